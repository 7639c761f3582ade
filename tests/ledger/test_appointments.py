"""ledger/appointments.py: the day's appointments, typed in or imported from the CSV."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from handouts.content.appointments import Visit, read_visit
from handouts.content.dates import Dating
from handouts.errors import ContentError, LedgerError
from handouts.ledger import Ledger

DAY = dt.date(2026, 11, 24)
HEADER = "client,treatment,lang,therapist,date,email,notes,next_visit\n"


def visit(client: str, day: dt.date = DAY, **more: object) -> Visit:
    return read_visit({"client": client, "date": day, **more}, Dating())


def test_added_appointments_are_listed_by_day_in_their_order(tmp_path: Path) -> None:
    with Ledger(tmp_path / "ledger.sqlite3") as ledger:
        emma = ledger.appointments.add("plantar-fasciitis", "en",
                                       visit("Emma Wilson", email="emma@example.com",
                                             next_visit=DAY + dt.timedelta(weeks=1)),
                                       dt.time(9, 30))
        ledger.appointments.add("plantar-fasciitis", "vi", visit("Nguyễn Thị Hoa"))
        ledger.appointments.add("plantar-fasciitis", "ko", visit("김민지", DAY + dt.timedelta(1)))
        today = ledger.appointments.on_day(DAY)
        assert [(b.visit.client, b.lang, b.position) for b in today] == [
            ("Emma Wilson", "en", 1), ("Nguyễn Thị Hoa", "vi", 2)]
        assert today[0] == emma and emma.time == dt.time(9, 30)
        assert emma.visit.next_visit == DAY + dt.timedelta(weeks=1)


def test_an_edited_appointment_keeps_its_place_or_moves_to_the_end_of_its_new_day(
        tmp_path: Path) -> None:
    with Ledger(tmp_path / "ledger.sqlite3") as ledger:
        emma = ledger.appointments.add("plantar-fasciitis", "en", visit("Emma Wilson"))
        ledger.appointments.add("plantar-fasciitis", "en", visit("Anna Berg"))
        edited = ledger.appointments.edit(emma.id, "plantar-fasciitis", "en",
                                          visit("Emma Wilson", notes="Ice the heel."))
        assert (edited.position, edited.visit.notes) == (1, "Ice the heel.")
        ledger.appointments.add("plantar-fasciitis", "en", visit("Tom Lee", DAY + dt.timedelta(1)))
        moved = ledger.appointments.edit(emma.id, "plantar-fasciitis", "en",
                                         visit("Emma Wilson", DAY + dt.timedelta(1)))
        assert moved.position == 2
        assert [b.visit.client for b in ledger.appointments.on_day(DAY)] == ["Anna Berg"]
        ledger.appointments.remove(moved.id)
        with pytest.raises(LedgerError, match=f"no appointment #{moved.id}"):
            ledger.appointments.get(moved.id)


def test_a_csv_import_takes_the_good_rows_names_the_bad_and_replaces_its_last_import(
        tmp_path: Path) -> None:
    """Read as `aftercare --from` reads it (same messages); read again after the booking
    system rewrote it, the day is not doubled, and an appointment typed in stays."""
    csv = tmp_path / "day.csv"
    csv.write_text(HEADER + "Emma Wilson,plantar-fasciitis,en,Linh,2026-11-24,emma@example.com,,\n"
                   ",plantar-fasciitis,en,Linh,2026-11-24,,,\n", encoding="utf-8")
    with Ledger(tmp_path / "ledger.sqlite3") as ledger:
        typed = ledger.appointments.add("plantar-fasciitis", "en", visit("Walk In"))
        first = ledger.appointments.import_csv(csv, Dating())
        assert [b.visit.client for b in first.bookings] == ["Emma Wilson"]
        assert [str(p) for p in first.problems] == [
            f"{csv}:3:1: client: the client's name is blank (empty, or only spaces or "
            "invisible characters)"]
        csv.write_text(HEADER + "Emma Wilson,plantar-fasciitis,en,Linh,2026-11-24,,,\n"
                       "Anna Berg,plantar-fasciitis,en,Linh,2026-11-24,,,\n", encoding="utf-8")
        ledger.appointments.import_csv(csv, Dating())
        assert [b.visit.client for b in ledger.appointments.on_day(DAY)] == [
            "Walk In", "Emma Wilson", "Anna Berg"]
        assert ledger.appointments.get(typed.id).source is None
        csv.write_text("client;treatment;lang;date\n", encoding="utf-8")
        with pytest.raises(ContentError, match="separated by ';'"):
            ledger.appointments.import_csv(csv, Dating())
        assert len(ledger.appointments.on_day(DAY)) == 3  # a file that cannot be read: kept


def test_a_next_visit_s_time_is_kept_with_its_day(tmp_path: Path) -> None:
    booked = visit("Mai", next_visit=DAY + dt.timedelta(weeks=1), next_visit_time="09:30")
    with Ledger(tmp_path / "ledger.sqlite3") as ledger:
        stored = ledger.appointments.add("plantar-fasciitis", "en", booked)
        again = ledger.appointments.get(stored.id).visit
    assert (again.next_visit, again.next_visit_time) == (DAY + dt.timedelta(weeks=1),
                                                          dt.time(9, 30))


def test_a_client_s_own_programme_is_kept_with_their_appointment(tmp_path: Path) -> None:
    booked = visit("Ji-woo", exercises="towel-stretch:hold=45,repeats=4,note=왼발만; arch-roll")
    with Ledger(tmp_path / "ledger.sqlite3") as ledger:
        stored = ledger.appointments.add("plantar-fasciitis", "ko", booked)
        again = ledger.appointments.get(stored.id).visit
    assert again.exercises == booked.exercises
    assert [(e.exercise, e.hold_seconds, e.repeats, e.note) for e in again.exercises or ()] == [
        ("towel-stretch", 45, 4, "왼발만"), ("arch-roll", None, None, None)]


def test_a_programme_in_the_csv_survives_the_import(tmp_path: Path) -> None:
    csv = tmp_path / "day.csv"
    csv.write_text("client,treatment,lang,date,exercises\n"
                   "Emma Wilson,plantar-fasciitis,en,2026-11-24,arch-roll:sets=2\n",
                   encoding="utf-8")
    with Ledger(tmp_path / "ledger.sqlite3") as ledger:
        ledger.appointments.import_csv(csv, Dating())
        [booking] = ledger.appointments.on_day(DAY)
    assert [(e.exercise, e.sets) for e in booking.visit.exercises or ()] == [("arch-roll", 2)]
