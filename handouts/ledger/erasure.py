"""Erasing client data: `handouts forget` on request, and the brand's retention at start.

A client's name, address and notes are health-related personal data: forgetting removes the
ledger's rows about them (deliveries, appointments) and the personal files the tool made for
them (sheets, .eml), and only those files, only while they still hold what was written.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from handouts.content.appointments import client_key
from handouts.content.load import Found, Library
from handouts.ledger.files import made_file, remove_made_file
from handouts.ledger.store import Ledger, ledger_path, now, stamp

if TYPE_CHECKING:
    import sqlite3

#: Days personal files and ledger rows are kept when brand.yaml sets no `retention_days`.
RETENTION_DAYS = 90


@dataclass(frozen=True)
class Forgotten:
    """What one erasure removed, counted (names are not repeated back)."""

    deliveries: int = 0
    appointments: int = 0
    files: int = 0  # personal files deleted
    #: Files recorded for these clients that were gone already or had been changed since
    #: (so not the tool's to delete): forgotten by the ledger, left on disk.
    files_left: int = 0

    @property
    def nothing(self) -> bool:
        return not (self.deliveries or self.appointments or self.files or self.files_left)

    def summary(self, what: str) -> str:
        """What was removed, in counts; `what` names what was asked ("for that client")."""
        if self.nothing:
            return f"nothing recorded {what}: nothing removed"
        said = (f"removed {what}: {self.deliveries} record(s) of emails, {self.appointments} "
                f"appointment(s), {self.files} personal file(s)")
        if self.files_left:
            said += (f"; {self.files_left} file(s) made for them had been moved or changed "
                     "since and were left in place")
        return said


def forget(data_dir: Path, client: str | None = None,
           before: dt.date | None = None) -> Forgotten:
    """Erase one client (`client`, matched as reception means a name: any case, spacing or
    Unicode form) or everything about visits before `before`, from the ledger of the
    project holding `data_dir`. A project without a ledger has nothing to forget."""
    if not ledger_path(data_dir).exists() or (client is not None and not client_key(client)):
        return Forgotten()  # a blank name is no client (old send logs' rows have none)
    with Ledger.beside(data_dir) as ledger:
        if client is not None:
            return _erase(ledger, "client_key = ?", (client_key(client),))
        assert before is not None, "forget needs a client or a date"
        return _erase(ledger, "{day} < ?", (before.isoformat(),))


def apply_retention(ledger: Ledger, days: int = RETENTION_DAYS,
                    at: dt.datetime | None = None) -> Forgotten:
    """Remove what was recorded more than `days` ago (before `at`, now by default): the
    personal files and the ledger rows; a delivery being sent right now stays."""
    cutoff = stamp((at or now()) - dt.timedelta(days=days))
    return _erase(ledger, "recorded_at < ?", (cutoff,), keep_sending=True)


def open_for_work(found: Found) -> Ledger:
    """The ledger beside `found`'s data folder, the brand's retention applied first: how
    `handouts email`, `aftercare` and the desk open it. When brand.yaml did not load its
    retention is unknown, so nothing is removed."""
    ledger = Ledger.beside(found.data_dir)
    if isinstance(found, Library):
        try:
            apply_retention(ledger, found.brand.retention_days)
        except BaseException:
            ledger.close()
            raise
    return ledger


def _erase(ledger: Ledger, where: str, parameters: tuple[str, ...],
           keep_sending: bool = False) -> Forgotten:
    """Delete every row matching `where` in each table (`{day}` is the row's visit date),
    and the files the tool made for those rows; all rows in one transaction."""
    sending = " AND state != 'sending'" if keep_sending else ""
    conditions = {"deliveries": where.format(day="COALESCE(visit_date, recorded_at)") + sending,
                  "appointments": where.format(day="day"),
                  "made_files": where.format(day="visit_date")}
    with ledger.transaction() as db:
        made = [made_file(r) for r in db.execute(
            f"SELECT * FROM made_files WHERE {conditions['made_files']}", parameters)]
        removed = sum(remove_made_file(m) for m in made)
        counts = {table: _delete(db, table, condition, parameters)
                  for table, condition in conditions.items()}
    return Forgotten(deliveries=counts["deliveries"], appointments=counts["appointments"],
                     files=removed, files_left=len(made) - removed)


def _delete(db: sqlite3.Connection, table: str, condition: str,
            parameters: tuple[str, ...]) -> int:
    return db.execute(f"DELETE FROM {table} WHERE {condition}", parameters).rowcount
