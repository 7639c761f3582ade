"""ledger/store.py: one private ledger per project, beside the data folder."""

from __future__ import annotations

import datetime as dt
import os
import stat
from dataclasses import replace
from pathlib import Path

import pytest

from handouts.errors import LedgerError
from handouts.ledger import DeliveryState, Ledger, Parcel, Standing, ledger_path
from handouts.ledger.store import SCHEMA_VERSION


def test_one_ledger_per_project_however_the_data_folder_is_spelled(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Beside data/, never in it, never in the current folder: `data`, `./data/` from the
    project and `project/data` from elsewhere all name one ledger."""
    project = tmp_path / "spa"
    (project / "data").mkdir(parents=True)
    (tmp_path / "elsewhere").mkdir()
    monkeypatch.chdir(project)
    here = {ledger_path(Path("data")), ledger_path(Path("./data/"))}
    monkeypatch.chdir(tmp_path / "elsewhere")
    here.add(ledger_path(project / "data"))
    here.add(ledger_path(Path("../spa/data")))
    assert here == {project / ".handouts" / "ledger.sqlite3"}


def test_the_ledger_and_its_folder_are_private_whatever_the_umask(tmp_path: Path) -> None:
    (tmp_path / "data").mkdir()
    old = os.umask(0o000)
    try:
        with Ledger.beside(tmp_path / "data") as ledger:
            ledger.read("SELECT 1")
    finally:
        os.umask(old)
    folder = tmp_path / ".handouts"
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    for made in folder.iterdir():  # the database, and SQLite's -wal and -shm beside it
        assert stat.S_IMODE(made.stat().st_mode) == 0o600, made.name
    assert not list((tmp_path / "data").iterdir())


def test_a_damaged_ledger_is_named_not_a_traceback(tmp_path: Path) -> None:
    path = tmp_path / ".handouts" / "ledger.sqlite3"
    path.parent.mkdir()
    path.write_bytes(b"this is not a database, but long enough to look like a file" * 40)
    with pytest.raises(LedgerError, match="ledger.sqlite3: the ledger is damaged"):
        Ledger(path)


#: The deliveries table as schema 1 made it (before versions were recorded).
SCHEMA_1_DELIVERIES = """CREATE TABLE deliveries (
    id INTEGER PRIMARY KEY, key TEXT NOT NULL, round INTEGER NOT NULL, client TEXT NOT NULL,
    client_key TEXT NOT NULL, address TEXT NOT NULL, treatment TEXT, lang TEXT,
    visit_date TEXT, filename TEXT NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('sending', 'sent', 'failed')),
    detail TEXT NOT NULL DEFAULT '', claimed_by TEXT NOT NULL DEFAULT '',
    recorded_at TEXT NOT NULL, UNIQUE (key, round))"""
SCHEMA_1_APPOINTMENTS = """CREATE TABLE appointments (
    id INTEGER PRIMARY KEY, day TEXT NOT NULL, time TEXT, position INTEGER NOT NULL,
    client TEXT NOT NULL, client_key TEXT NOT NULL, email TEXT, lang TEXT NOT NULL,
    treatment TEXT NOT NULL, therapist TEXT, next_visit TEXT, notes TEXT, source TEXT,
    recorded_at TEXT NOT NULL)"""


def test_a_schema_1_ledger_is_brought_up_to_date_and_resends_nothing(tmp_path: Path) -> None:
    """A ledger an earlier handouts wrote: its sent rows have no version, and count as the
    sheet as it is now, so upgrading sends no client a second message."""
    import sqlite3

    path = tmp_path / "ledger.sqlite3"
    key = "emma@example.com|plantar-fasciitis|en|emma wilson|2026-11-24"
    old = sqlite3.connect(path)
    old.execute(SCHEMA_1_DELIVERIES)
    old.execute(SCHEMA_1_APPOINTMENTS)
    old.execute("INSERT INTO appointments (day, position, client, client_key, lang, treatment, "
                "notes, recorded_at) VALUES ('2026-11-24', 1, 'Emma Wilson', 'emma wilson', "
                "'en', 'plantar-fasciitis', 'Ice the heel.', '2026-11-24T09:00:00+00:00')")
    old.execute("INSERT INTO deliveries (key, round, client, client_key, address, treatment, "
                "lang, visit_date, filename, state, recorded_at) VALUES (?, 0, 'Emma Wilson', "
                "'emma wilson', 'emma@example.com', 'plantar-fasciitis', 'en', '2026-11-24', "
                "'sheet.pdf', 'sent', '2026-11-24T10:00:00.000000+00:00')", (key,))
    old.execute("PRAGMA user_version = 1")
    old.commit()
    old.close()
    emma = Parcel(key, "Emma Wilson", "emma@example.com", "plantar-fasciitis", "en",
                  dt.date(2026, 11, 24), "sheet.pdf", version="b7e1")
    with Ledger(path) as ledger:
        [record] = ledger.deliveries.listed()
        assert (record.state, record.version, record.resent) == (DeliveryState.SENT, "", False)
        assert ledger.deliveries.standing(emma) is Standing.SENT
        assert ledger.deliveries.claim(replace(emma, renew=True)) is None
        assert ledger.deliveries.claim(emma) is None
        assert ledger.read("PRAGMA user_version")[0][0] == SCHEMA_VERSION
        [booking] = ledger.appointments.on_day(dt.date(2026, 11, 24))
        assert (booking.visit.notes, booking.visit.exercises) == ("Ice the heel.", None)
