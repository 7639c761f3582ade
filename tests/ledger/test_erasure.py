"""ledger/erasure.py: forgetting a client or everything before a date, and the retention."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from handouts.ledger import FileKind, Forgotten, Ledger, Parcel, apply_retention, forget

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
