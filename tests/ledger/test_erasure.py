"""ledger/erasure.py: forgetting a client or everything before a date, and the retention."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable
from pathlib import Path
from subprocess import CompletedProcess

import pytest

from handouts.ledger import (
    FileKind,
    Forgotten,
    Ledger,
    Made,
    Parcel,
    apply_retention,
    forget,
)
from tests.conftest import Inbox

Run = Callable[..., CompletedProcess[str]]

DAY = dt.date(2026, 11, 24)
LONG_AGO = dt.datetime(2020, 1, 1, tzinfo=dt.timezone.utc)


def sent(ledger: Ledger, client: str, address: str, day: dt.date = DAY) -> None:
    parcel = Parcel(f"{address}|{client}|{day}", client, address, "plantar-fasciitis", "en",
                    day, "sheet.pdf")
    claim = ledger.deliveries.claim(parcel)
    assert claim is not None
    ledger.deliveries.mark_sent(claim)


def made(ledger: Ledger, path: Path, client: str, day: dt.date = DAY,
         at: dt.datetime | None = None) -> Path:
    path.write_bytes(f"%PDF- {client}'s sheet".encode())
    ledger.files.record(path, FileKind.SHEET, client, day, path.read_bytes(), at)
    return path


def test_forgetting_a_client_matches_the_name_as_reception_means_it(tmp_path: Path) -> None:
    (tmp_path / "data").mkdir()
    with Ledger.beside(tmp_path / "data") as ledger:
        sent(ledger, "Nguyễn Thị Hoa", "hoa@example.com")
        sent(ledger, "Emma Wilson", "emma@example.com")
        hoa = made(ledger, tmp_path / "hoa.pdf", "Nguyễn Thị Hoa")
        changed = made(ledger, tmp_path / "hoa-2.pdf", "Nguyễn Thị Hoa")
        changed.write_bytes(b"the user's own file now")
        emma = made(ledger, tmp_path / "emma.pdf", "Emma Wilson")
    gone = forget(tmp_path / "data", client="  NGUYỄN   thị hoa ")
    assert gone == Forgotten(deliveries=1, files=1, files_left=1)
    assert not hoa.exists() and changed.exists() and emma.exists()
    assert forget(tmp_path / "data", client="Nguyễn Thị Hoa").nothing
    with Ledger.beside(tmp_path / "data") as ledger:
        assert [d.client for d in ledger.deliveries.listed()] == ["Emma Wilson"]


def test_a_batch_s_files_recorded_at_once_are_each_forgotten_with_their_client(
        tmp_path: Path) -> None:
    (tmp_path / "data").mkdir()
    sheets = {name: tmp_path / f"{name}.pdf" for name in ("Emma Wilson", "Anna Berg")}
    for name, path in sheets.items():
        path.write_bytes(f"%PDF- {name}'s sheet".encode())
    with Ledger.beside(tmp_path / "data") as ledger:
        ledger.files.record_all(
            Made(path, FileKind.SHEET, name, DAY, hashlib.sha256(path.read_bytes()).hexdigest())
            for name, path in sheets.items())
        assert [(f.client, f.path) for f in ledger.files.listed()] == list(sheets.items())
    assert forget(tmp_path / "data", client="anna berg") == Forgotten(files=1)
    assert sheets["Emma Wilson"].exists() and not sheets["Anna Berg"].exists()


def test_forgetting_before_a_date_goes_by_the_visit_s_date(tmp_path: Path) -> None:
    (tmp_path / "data").mkdir()
    with Ledger.beside(tmp_path / "data") as ledger:
        sent(ledger, "Emma Wilson", "emma@example.com", DAY)
        sent(ledger, "Anna Berg", "anna@example.com", DAY + dt.timedelta(1))
    assert forget(tmp_path / "data", before=DAY).nothing
    assert forget(tmp_path / "data", before=DAY + dt.timedelta(1)) == Forgotten(deliveries=1)


def test_a_project_without_a_ledger_has_nothing_to_forget_and_gets_none(tmp_path: Path) -> None:
    (tmp_path / "data").mkdir()
    assert forget(tmp_path / "data", client="Emma Wilson").nothing
    assert not (tmp_path / ".handouts").exists()


def test_retention_removes_what_was_recorded_longer_ago_than_the_brand_keeps(
        tmp_path: Path) -> None:
    with Ledger(tmp_path / "ledger.sqlite3") as ledger:
        old = made(ledger, tmp_path / "old.pdf", "Emma Wilson", at=LONG_AGO)
        new = made(ledger, tmp_path / "new.pdf", "Anna Berg")
        sent(ledger, "Anna Berg", "anna@example.com")
        assert apply_retention(ledger, 90) == Forgotten(files=1)
        assert not old.exists() and new.exists()
        assert apply_retention(ledger, 90).nothing


# -- through the real command ------------------------------------------------------------

HEADER = "client,treatment,lang,therapist,date,email,notes,next_visit\n"


def day_csv(project: Path, *rows: tuple[str, str, str]) -> str:
    (project / "day.csv").write_text(HEADER + "".join(
        f"{client},plantar-fasciitis,en,Linh,{date},{address},Ice the heel.,\n"
        for client, address, date in rows), encoding="utf-8")
    return "day.csv"


def test_forget_a_client_erases_their_records_and_only_the_files_made_for_them(
        project: Path, run: Run, smtp_server: Inbox) -> None:
    csv = day_csv(project, ("Emma Wilson", "emma@example.com", "2026-11-24"),
                  ("Anna Berg", "anna@example.com", "2026-11-24"))
    for args in (["aftercare", "--from", csv, "--out", "today"],
                 ["email", "--from", csv, "--eml", "outbox"], ["email", "--from", csv]):
        assert run(*args).returncode == 0, args
    (project / "today" / "emma-wilson-notes.pdf").write_bytes(b"%PDF- the spa's own file")
    made = sorted(p.name for p in [*(project / "today").iterdir(),
                                   *(project / "outbox").iterdir()])
    result = run("forget", "--client", "  emma   WILSON ")
    assert result.returncode == 0, result.stderr
    assert result.stdout == ("removed for that client: 1 record(s) of emails, 0 "
                             "appointment(s), 2 personal file(s)\n")
    left = sorted(p.name for p in [*(project / "today").iterdir(),
                                   *(project / "outbox").iterdir()])
    assert "emma-wilson-notes.pdf" in left and len(left) == len(made) - 2
    assert not [n for n in left if "Emma-Wilson" in n]
    with Ledger.beside(project / "data") as ledger:
        assert [d.client for d in ledger.deliveries.listed()] == ["Anna Berg"]
    again = run("forget", "--client", "Emma Wilson")
    assert (again.returncode, again.stdout) == (
        0, "nothing recorded for that client: nothing removed\n")


def test_forget_before_a_date_erases_the_visits_before_it(project: Path, run: Run,
                                                          smtp_server: Inbox) -> None:
    csv = day_csv(project, ("Emma Wilson", "emma@example.com", "2026-11-24"),
                  ("Anna Berg", "anna@example.com", "2026-11-25"))
    assert run("aftercare", "--from", csv, "--out", "today").returncode == 0
    assert run("email", "--from", csv).returncode == 0
    result = run("forget", "--before", "2026-11-25")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("removed before 2026-11-25: 1 record(s) of emails, 0 "
                                    "appointment(s), 1 personal file(s)")
    assert len(list((project / "today").iterdir())) == 1
    assert "Anna-Berg-2026-11-25" in next((project / "today").iterdir()).name


def test_forget_asks_for_one_of_client_or_date(run: Run) -> None:
    for args in ([], ["--client", "Emma", "--before", "2026-11-25"], ["--client", " "],
                 ["--before", "25/11/2026x"]):
        result = run("forget", *args)
        assert result.returncode == 2, (args, result.stderr)
        assert "Traceback" not in result.stderr


@pytest.mark.parametrize(("retention", "kept"), [(None, False), (365, True)])
def test_personal_files_older_than_the_brand_s_retention_go_when_a_command_starts(
        project: Path, run: Run, retention: int | None, kept: bool) -> None:
    """brand.yaml's retention_days (90 when not set): a sheet recorded 100 days ago is
    removed when `handouts aftercare` starts; today's sheets stay."""
    if retention:
        brand = project / "data" / "brand.yaml"
        brand.write_text(brand.read_text("utf-8") + f"retention_days: {retention}\n", "utf-8")
    with Ledger.beside(project / "data") as ledger:
        old = made(ledger, project / "old-sheet.pdf", "Emma Wilson",
                   at=dt.datetime.now(dt.timezone.utc) - dt.timedelta(days=100))
    csv = day_csv(project, ("Anna Berg", "anna@example.com", "2026-11-24"))
    result = run("aftercare", "--from", csv, "--out", "today")
    assert result.returncode == 0, result.stderr
    assert old.exists() is kept
    assert len(list((project / "today").iterdir())) == 1
