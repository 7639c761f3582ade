"""The personal files the tool made (a client's sheet, their .eml), so they can be erased.

Each is recorded with the client it is for and a hash of what was written: `forget` and the
retention remove a file only while it still holds exactly that, so a file someone has since
put in its place is never touched.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
from collections.abc import Iterable
from dataclasses import dataclass
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING

from handouts.content.appointments import client_key
from handouts.ledger.store import now, stamp, unstamp

if TYPE_CHECKING:
    import sqlite3

    from handouts.ledger.store import Ledger


class FileKind(str, Enum):
    SHEET = "sheet"  # a personalised aftercare PDF
    EMAIL = "email"  # a client's message written as .eml

    def __str__(self) -> str:
        return self.value


@dataclass(frozen=True)
class Made:
    """A personal file just written, to be recorded (`sha256`: of the bytes written)."""

    path: Path
    kind: FileKind
    client: str
    visit_date: dt.date
    sha256: str


@dataclass(frozen=True)
class MadeFile:
    id: int
    path: Path
    kind: FileKind
    client: str
    visit_date: dt.date
    sha256: str
    recorded_at: dt.datetime


class MadeFiles:
    """The ledger's record of personal files (reach it as `ledger.files`)."""

    def __init__(self, ledger: Ledger) -> None:
        self._ledger = ledger

    def record(self, path: Path, kind: FileKind, client: str, visit_date: dt.date,
               content: bytes, at: dt.datetime | None = None) -> None:
        """Remember that `content` was written at `path` for `client` (a file made again
        at the same place replaces the record)."""
        self.record_all([Made(path, kind, client, visit_date,
                              hashlib.sha256(content).hexdigest())], at)

    def record_all(self, made: Iterable[Made], at: dt.datetime | None = None) -> None:
        """Remember each file as `record` does, in one transaction: a batch of a hundred
        sheets waits for the disk once, not a hundred times."""
        when = stamp(at or now())
        with self._ledger.transaction() as db:
            db.executemany(
                "INSERT INTO made_files (path, kind, client, client_key, visit_date, sha256, "
                "recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (path) DO UPDATE SET "
                "kind = excluded.kind, client = excluded.client, client_key = "
                "excluded.client_key, visit_date = excluded.visit_date, sha256 = "
                "excluded.sha256, recorded_at = excluded.recorded_at",
                [(os.path.abspath(one.path), one.kind.value, one.client,
                  client_key(one.client), one.visit_date.isoformat(), one.sha256, when)
                 for one in made])

    def listed(self) -> list[MadeFile]:
        return [made_file(r) for r in self._ledger.read("SELECT * FROM made_files ORDER BY id")]


def remove_made_file(made: MadeFile) -> bool:
    """Delete the file if it still holds what the tool wrote; True when it was removed."""
    try:
        if hashlib.sha256(made.path.read_bytes()).hexdigest() != made.sha256:
            return False
        made.path.unlink()
    except OSError:  # gone already, or not ours to remove
        return False
    return True


def made_file(row: sqlite3.Row) -> MadeFile:
    """A `made_files` row as a MadeFile."""
    return MadeFile(id=row["id"], path=Path(row["path"]), kind=FileKind(row["kind"]),
                    client=row["client"], visit_date=dt.date.fromisoformat(row["visit_date"]),
                    sha256=row["sha256"], recorded_at=unstamp(row["recorded_at"]))
