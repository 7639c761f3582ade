"""ledger/deliveries.py: a delivery is claimed by exactly one sender, recorded, and found."""

from __future__ import annotations

import datetime as dt
import json
import multiprocessing
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

from handouts.ledger import DeliveryState, Ledger, Parcel, Standing

DAY = dt.date(2026, 11, 24)


def parcel(address: str = "emma@example.com", client: str = "Emma Wilson",
           earlier: tuple[str, ...] = ()) -> Parcel:
    key = f"{address}|plantar-fasciitis|en|{client.lower()}|{DAY}"
    return Parcel(key, client, address, "plantar-fasciitis", "en", DAY, "sheet.pdf", earlier)


def test_a_sent_delivery_is_not_claimed_again(tmp_path: Path) -> None:
    with Ledger(tmp_path / "ledger.sqlite3") as ledger:
        claim = ledger.deliveries.claim(parcel())
        assert claim is not None
        assert ledger.deliveries.claim(parcel()) is None  # being sent: not twice
        ledger.deliveries.mark_sent(claim)
    with Ledger(tmp_path / "ledger.sqlite3") as again:
        assert again.deliveries.claim(parcel()) is None
        record = again.deliveries.latest(parcel().key)
        assert record is not None and record.state is DeliveryState.SENT
        assert (record.client, record.address, record.visit_date) == (
            "Emma Wilson", "emma@example.com", DAY)


def test_a_failed_delivery_is_tried_again_and_says_why(tmp_path: Path) -> None:
    with Ledger(tmp_path / "ledger.sqlite3") as ledger:
        claim = ledger.deliveries.claim(parcel())
        assert claim is not None
        ledger.deliveries.mark_failed(claim, "refused 550: mailbox unavailable")
        failed = ledger.deliveries.latest(parcel().key)
        assert failed is not None and failed.detail == "refused 550: mailbox unavailable"
        retry = ledger.deliveries.claim(parcel())
        assert retry is not None and retry.id == claim.id


def test_send_again_claims_the_next_round_once(tmp_path: Path) -> None:
    """Two staff pressing "send again" having seen round 0: one more message, not two."""
    with Ledger(tmp_path / "ledger.sqlite3") as ledger:
        first = ledger.deliveries.claim(parcel())
        assert first is not None
        ledger.deliveries.mark_sent(first)
        again = ledger.deliveries.claim(parcel(), again_after=0)
        assert again is not None and again.round == 1
        assert ledger.deliveries.claim(parcel(), again_after=0) is None


def test_a_claim_left_by_a_dead_sender_is_taken_over(tmp_path: Path) -> None:
    """A process killed while sending leaves its claim; the next run may send (as a crash
    between sending and recording always allowed), rather than never."""
    path = tmp_path / "ledger.sqlite3"
    script = ("import datetime as dt, sys; from handouts.ledger import Ledger, Parcel; "
              "l = Ledger(__import__('pathlib').Path(sys.argv[1])); "
              "print(l.deliveries.claim(Parcel(sys.argv[2], 'Emma Wilson', 'emma@example.com', "
              "'plantar-fasciitis', 'en', dt.date(2026, 11, 24), 'sheet.pdf')) is not None)")
    died = subprocess.run([sys.executable, "-c", script, str(path), parcel().key],
                          capture_output=True, text=True, check=True)
    assert died.stdout.strip() == "True"
    with Ledger(path) as ledger:
        assert ledger.deliveries.claim(parcel()) is not None


def _claim_after(start: object, path: str, results: object) -> None:
    start.wait()  # type: ignore[attr-defined]
    with Ledger(Path(path)) as ledger:
        claim = ledger.deliveries.claim(parcel())
        results.put(claim is not None)  # type: ignore[attr-defined]
        if claim:
            ledger.deliveries.mark_sent(claim)


def test_of_four_processes_claiming_one_delivery_at_once_exactly_one_wins(
        tmp_path: Path) -> None:
    context = multiprocessing.get_context("spawn")
    start, results = context.Event(), context.Queue()
    path = str(tmp_path / "ledger.sqlite3")
    Ledger(Path(path)).close()
    workers = [context.Process(target=_claim_after, args=(start, path, results))
               for _ in range(4)]
    for worker in workers:
        worker.start()
    start.set()
    for worker in workers:
        worker.join(60)
    assert sorted(results.get(timeout=5) for _ in workers) == [False] * 3 + [True]


def test_an_old_send_log_is_imported_once_and_left_as_it_was(tmp_path: Path) -> None:
    """Its keys (today's, and the ASCII file names of before) count as sent; the file is
    only read; a second import adds nothing."""
    log = tmp_path / "handouts-sent.jsonl"
    lines = [{"key": parcel().key, "to": "emma@example.com"},
             {"key": "hoa@example.com|plantar-fasciitis-aftercare-vi-nguyen-thi-hoa-"
                     "2026-11-24-72b9e60f.pdf", "to": "hoa@example.com"}]
    log.write_text("\n".join(json.dumps(x) for x in lines) + "\nnot json\n", encoding="utf-8")
    before = log.read_bytes(), log.stat().st_mtime_ns
    with Ledger(tmp_path / "ledger.sqlite3") as ledger:
        assert ledger.deliveries.import_send_log(log) == 2
        assert ledger.deliveries.import_send_log(log) is None
        assert ledger.deliveries.claim(parcel()) is None
        hoa = parcel("hoa@example.com", "Nguyễn Thị Hoa", earlier=(str(lines[1]["key"]),))
        assert ledger.deliveries.claim(hoa) is None
        assert ledger.deliveries.import_send_log(tmp_path / "absent.jsonl") is None
    assert (log.read_bytes(), log.stat().st_mtime_ns) == before


def versioned(version: str, renew: bool = False) -> Parcel:
    """Emma's sheet in one version (a digest of her notes, next visit ...)."""
    return replace(parcel(), version=version, renew=renew)


def sent(ledger: Ledger, asked: Parcel, again_after: int | None = None) -> None:
    claim = ledger.deliveries.claim(asked, again_after)
    assert claim is not None
    ledger.deliveries.mark_sent(claim)


def test_a_sheet_whose_version_changed_since_sent_stands_changed(tmp_path: Path) -> None:
    with Ledger(tmp_path / "ledger.sqlite3") as ledger:
        assert ledger.deliveries.standing(versioned("v1")) is Standing.NOT_SENT
        sent(ledger, versioned("v1"))
        assert ledger.deliveries.standing(versioned("v1")) is Standing.SENT
        assert ledger.deliveries.standing(versioned("v2")) is Standing.CHANGED


def test_a_changed_sheet_is_not_sent_unless_the_new_version_is_asked_for(
        tmp_path: Path) -> None:
    with Ledger(tmp_path / "ledger.sqlite3") as ledger:
        sent(ledger, versioned("v1"))
        assert ledger.deliveries.claim(versioned("v2")) is None  # plain "send": it went


def test_the_new_version_is_claimed_once_in_the_next_round(tmp_path: Path) -> None:
    """Two tabs or two processes asking for the new version at once: one message."""
    with Ledger(tmp_path / "ledger.sqlite3") as ledger:
        sent(ledger, versioned("v1"))
        renewed = ledger.deliveries.claim(versioned("v2", renew=True))
        assert renewed is not None and renewed.round == 1
        assert ledger.deliveries.claim(versioned("v2", renew=True)) is None  # being sent
        ledger.deliveries.mark_sent(renewed)
        assert ledger.deliveries.claim(versioned("v2", renew=True)) is None  # it went
        assert ledger.deliveries.standing(versioned("v2")) is Standing.SENT
        versions = [(r.round, r.version) for r in ledger.deliveries.listed()]
        assert sorted(versions) == [(0, "v1"), (1, "v2")]  # both kept


def test_a_version_already_sent_is_never_offered_again(tmp_path: Path) -> None:
    """Notes changed, the new version sent, then changed back: the client has that one."""
    with Ledger(tmp_path / "ledger.sqlite3") as ledger:
        sent(ledger, versioned("v1"))
        sent(ledger, versioned("v2", renew=True))
        assert ledger.deliveries.standing(versioned("v1")) is Standing.SENT
        assert ledger.deliveries.claim(versioned("v1", renew=True)) is None


def test_a_failed_new_version_is_tried_again_in_its_own_row(tmp_path: Path) -> None:
    with Ledger(tmp_path / "ledger.sqlite3") as ledger:
        sent(ledger, versioned("v1"))
        first = ledger.deliveries.claim(versioned("v2", renew=True))
        assert first is not None
        ledger.deliveries.mark_failed(first, "refused 550: mailbox unavailable")
        retry = ledger.deliveries.claim(versioned("v2", renew=True))
        assert retry is not None and (retry.id, retry.round) == (first.id, 1)


def test_send_again_repeats_the_version_by_hand_and_says_so(tmp_path: Path) -> None:
    """"Send again" is staff asking for the same sheet again (the client lost it): the one
    way a version goes twice, recorded as resent; it does not make the sheet "changed"."""
    with Ledger(tmp_path / "ledger.sqlite3") as ledger:
        sent(ledger, versioned("v1"))
        sent(ledger, versioned("v1"), again_after=0)
        rows = sorted((r.round, r.version, r.resent) for r in ledger.deliveries.listed())
        assert rows == [(0, "v1", False), (1, "v1", True)]
        assert ledger.deliveries.standing(versioned("v1")) is Standing.SENT


def test_a_row_sent_before_versions_were_kept_counts_as_the_current_version(
        tmp_path: Path) -> None:
    """An old send log's row: what it held cannot be known; counted as changed, every
    client ever emailed would be offered a second message on the day of the upgrade."""
    log = tmp_path / "handouts-sent.jsonl"
    log.write_text(json.dumps({"key": parcel().key, "to": "emma@example.com"}) + "\n",
                   encoding="utf-8")
    with Ledger(tmp_path / "ledger.sqlite3") as ledger:
        ledger.deliveries.import_send_log(log)
        assert ledger.deliveries.standing(versioned("v9")) is Standing.SENT
        assert ledger.deliveries.claim(versioned("v9", renew=True)) is None
