"""The day's appointments: typed in at the desk, or imported from the booking system's CSV.

Each row is a checked `Visit` (the same model, and the same CSV reader with its messages, as
`handouts aftercare --from`) plus the treatment, language, an optional time and its place in
the day's order; its `id` is how the desk names it (never a file path or a name).
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from handouts.content.appointments import Visit, client_key, read_appointments
from handouts.content.dates import Dating
from handouts.errors import LedgerError, Problem
from handouts.ledger.store import now, stamp

if TYPE_CHECKING:
    import sqlite3

    from handouts.ledger.store import Ledger


@dataclass(frozen=True)
class Booking:
    """One appointment of a day: who (`visit`: client, email, therapist, date, next visit,
    notes), which sheet (treatment folder, language), when and in which order."""

    id: int
    treatment: str
    lang: str
    visit: Visit
    time: dt.time | None
    position: int  # 1, 2, ... within the day
    source: str | None  # the CSV it was imported from; None when typed in

    @property
    def day(self) -> dt.date:
        return self.visit.date


@dataclass(frozen=True)
class CsvImport:
    """What one import of an appointments CSV did: the rows now in the ledger, and a
    problem (`file:line:col`) for each row that could not be taken."""

    bookings: list[Booking]
    problems: list[Problem]


class Appointments:
    """The ledger's appointments (reach it as `ledger.appointments`)."""

    def __init__(self, ledger: Ledger) -> None:
        self._ledger = ledger

    def add(self, treatment: str, lang: str, visit: Visit,
            time: dt.time | None = None) -> Booking:
        """A new appointment on the visit's date, placed last in that day's order."""
        with self._ledger.transaction() as db:
            return self._get(db, _insert(db, treatment, lang, visit, time, None))

    def edit(self, booking_id: int, treatment: str, lang: str, visit: Visit,
             time: dt.time | None = None) -> Booking:
        """Change an appointment; moved to another day, it goes last in that day's order."""
        with self._ledger.transaction() as db:
            old = self._get(db, booking_id)
            position = old.position if old.day == visit.date else _next_position(db, visit.date)
            db.execute("UPDATE appointments SET day = ?, time = ?, position = ?, client = ?, "
                       "client_key = ?, email = ?, lang = ?, treatment = ?, therapist = ?, "
                       "next_visit = ?, notes = ?, exercises = ?, recorded_at = ? WHERE id = ?",
                       (*_visit_columns(visit, time), position, *_detail_columns(
                           treatment, lang, visit), stamp(now()), booking_id))
            return self._get(db, booking_id)

    def remove(self, booking_id: int) -> None:
        """Take an appointment off its day (raises LedgerError when there is none)."""
        with self._ledger.transaction() as db:
            if db.execute("DELETE FROM appointments WHERE id = ?", (booking_id,)).rowcount != 1:
                raise _missing(booking_id)

    def get(self, booking_id: int) -> Booking:
        """One appointment by id (raises LedgerError when there is none)."""
        rows = self._ledger.read("SELECT * FROM appointments WHERE id = ?", (booking_id,))
        if not rows:
            raise _missing(booking_id)
        return _booking(rows[0])

    def on_day(self, day: dt.date) -> list[Booking]:
        """The day's appointments in their order."""
        return [_booking(r) for r in self._ledger.read(
            "SELECT * FROM appointments WHERE day = ? ORDER BY position, id", (day.isoformat(),))]

    def import_csv(self, path: Path, dating: Dating, source: str | None = None) -> CsvImport:
        """The CSV's good rows, replacing those an earlier import of the same file left (so
        a booking export read again as it changes does not double the day; `source` names
        a file read from a temporary copy, default its path); hand-typed
        appointments stay. Read by `content.appointments.read_appointments`: its problems,
        and a ContentError when the file itself cannot be used."""
        appointments, problems = read_appointments(path, dating)
        source = source or str(path.resolve())
        with self._ledger.transaction() as db:
            db.execute("DELETE FROM appointments WHERE source = ?", (source,))
            ids = [_insert(db, a.treatment, a.lang, a.visit, None, source)
                   for a in appointments]
            return CsvImport([self._get(db, i) for i in ids], problems)

    def _get(self, db: sqlite3.Connection, booking_id: int) -> Booking:
        row = db.execute("SELECT * FROM appointments WHERE id = ?", (booking_id,)).fetchone()
        if row is None:
            raise _missing(booking_id)
        return _booking(row)


def _missing(booking_id: int) -> LedgerError:
    return LedgerError(f"no appointment #{booking_id} (removed meanwhile?)")


def _insert(db: sqlite3.Connection, treatment: str, lang: str, visit: Visit,
            time: dt.time | None, source: str | None) -> int:
    cursor = db.execute(
        "INSERT INTO appointments (day, time, position, client, client_key, email, lang, "
        "treatment, therapist, next_visit, notes, exercises, source, recorded_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (*_visit_columns(visit, time), _next_position(db, visit.date),
         *_detail_columns(treatment, lang, visit), source, stamp(now())))
    assert cursor.lastrowid is not None  # an INSERT always has one
    return cursor.lastrowid


def _visit_columns(visit: Visit, time: dt.time | None) -> tuple[str, str | None]:
    return visit.date.isoformat(), time.strftime("%H:%M") if time else None


def _detail_columns(treatment: str, lang: str, visit: Visit) -> tuple[object, ...]:
    return (visit.client, client_key(visit.client), visit.email, lang, treatment,
            visit.therapist, _next_visit_column(visit), visit.notes, _programme_column(visit))


def _programme_column(visit: Visit) -> str | None:
    """The client's own programme as JSON (each exercise's id, doses and note), read back
    by Visit as the desk's fields are; None when the treatment's exercises are theirs."""
    if visit.exercises is None:
        return None
    return json.dumps([item.model_dump(exclude_none=True) for item in visit.exercises],
                      ensure_ascii=False)


def _next_visit_column(visit: Visit) -> str | None:
    """The next visit as one text, its time after the day when booked: `2026-12-09 15:00`
    (read back by Visit, as a CSV cell is)."""
    if visit.next_visit is None:
        return None
    when = visit.next_visit.isoformat()
    return f"{when} {visit.next_visit_time:%H:%M}" if visit.next_visit_time else when


def _next_position(db: sqlite3.Connection, day: dt.date) -> int:
    row = db.execute("SELECT MAX(position) FROM appointments WHERE day = ?",
                     (day.isoformat(),)).fetchone()
    return int(row[0] or 0) + 1


def _booking(row: sqlite3.Row) -> Booking:
    visit = Visit.model_validate({
        "client": row["client"], "therapist": row["therapist"], "email": row["email"],
        "date": dt.date.fromisoformat(row["day"]), "notes": row["notes"],
        "next_visit": row["next_visit"],
        "exercises": json.loads(row["exercises"]) if row["exercises"] else None})
    return Booking(id=row["id"], treatment=row["treatment"], lang=row["lang"], visit=visit,
                   time=dt.time.fromisoformat(row["time"]) if row["time"] else None,
                   position=row["position"], source=row["source"])
