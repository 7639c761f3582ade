"""content/appointments.py: a day's CSV read into checked visits, each bad cell at its place."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from pydantic import ValidationError

from handouts.content.appointments import Visit, read_appointments
from handouts.errors import ContentError

HEADER = "client,treatment,lang,date,email\n"


def _csv(tmp_path: Path, text: str, encoding: str = "utf-8") -> Path:
    path = tmp_path / "day.csv"
    path.write_bytes(text.encode(encoding))
    return path


def test_a_good_row_becomes_an_appointment_at_its_line(tmp_path: Path) -> None:
    path = _csv(tmp_path, HEADER + "Anna,plantar-fasciitis,en,2026-11-24,a@example.com\n")
    appointments, problems = read_appointments(path)
    assert problems == []
    [row] = appointments
    assert (row.line, row.treatment, row.lang) == (2, "plantar-fasciitis", "en")
    assert (row.visit.client, row.visit.date, row.visit.email) == (
        "Anna", dt.date(2026, 11, 24), "a@example.com")


def test_a_bad_date_is_a_problem_at_its_cell(tmp_path: Path) -> None:
    path = _csv(tmp_path, HEADER + "Anna,plantar-fasciitis,en,24/11/2026,\n")
    appointments, problems = read_appointments(path)
    assert appointments == []
    assert [str(p) for p in problems] == [
        f"{path}:2:4: date: dates are written YYYY-MM-DD, got '24/11/2026'"]


def test_an_empty_client_is_a_problem_and_the_other_rows_still_count(tmp_path: Path) -> None:
    path = _csv(tmp_path, HEADER + ",plantar-fasciitis,en,2026-11-24,\n"
                "Bo,plantar-fasciitis,vi,2026-11-24,\n")
    appointments, problems = read_appointments(path)
    assert [a.visit.client for a in appointments] == ["Bo"]
    assert [(p.line, p.column) for p in problems] == [(2, 1)]


def test_a_row_with_too_few_cells_is_named_with_both_counts(tmp_path: Path) -> None:
    path = _csv(tmp_path, HEADER + "Anna,plantar-fasciitis\n")
    assert [p.message for p in read_appointments(path)[1]] == [
        "row has 2 cells, the header has 5"]


def test_semicolons_are_recognised_as_the_wrong_separator(tmp_path: Path) -> None:
    path = _csv(tmp_path, "client;treatment;lang;date\nAnna;x;en;2026-11-24\n")
    with pytest.raises(ContentError) as caught:
        read_appointments(path)
    assert caught.value.problems[0].message.startswith(
        "the columns are separated by ';', not commas")


def test_a_file_not_in_utf8_is_refused_at_line_one(tmp_path: Path) -> None:
    path = _csv(tmp_path, HEADER + "Zoë,plantar-fasciitis,en,2026-11-24,\n", "latin-1")
    with pytest.raises(ContentError) as caught:
        read_appointments(path)
    assert [str(p) for p in caught.value.problems] == [
        f"{path}:1:1: file is not valid UTF-8 (save the CSV as UTF-8)"]


def test_a_control_character_in_a_name_is_refused() -> None:
    with pytest.raises(ValidationError, match="control character U\\+0007"):
        Visit(client="An\x07na", date=dt.date(2026, 11, 24))


def test_a_next_visit_on_or_before_the_treatment_is_refused() -> None:
    with pytest.raises(ValidationError, match="must come after the treatment date"):
        Visit(client="Mai", date=dt.date(2026, 11, 24), next_visit=dt.date(2026, 11, 1))
    assert Visit(client="Mai", date=dt.date(2026, 11, 24),
                 next_visit=dt.date(2026, 11, 25)).next_visit == dt.date(2026, 11, 25)


VISITED = "client,treatment,lang,date,next_visit\n"


@pytest.mark.parametrize(("cell", "day", "time"), [
    ("2099-12-09 15:00", dt.date(2099, 12, 9), dt.time(15, 0)),
    ("2099-12-09 9:30", dt.date(2099, 12, 9), dt.time(9, 30)),
    ("2099-12-09T15:00", dt.date(2099, 12, 9), dt.time(15, 0)),
    ("2099-12-09 15:00:00", dt.date(2099, 12, 9), dt.time(15, 0)),  # as a spreadsheet saves it
    ("+1w 15:00", dt.date(2099, 12, 1), dt.time(15, 0)),
    ("2099-12-09", dt.date(2099, 12, 9), None),
])
def test_a_next_visit_may_carry_the_time_it_is_booked_for(tmp_path: Path, cell: str,
                                                          day: dt.date,
                                                          time: dt.time | None) -> None:
    path = _csv(tmp_path, VISITED + f"Anna,plantar-fasciitis,en,2099-11-24,{cell}\n")
    appointments, problems = read_appointments(path)
    assert problems == []
    assert (appointments[0].visit.next_visit, appointments[0].visit.next_visit_time) == (
        day, time)


@pytest.mark.parametrize(("cell", "said"), [
    ("2099-12-09 25:00", "'25:00' is not a time of day: write it 24-hour HH:MM, as "
                         "2026-12-09 15:00"),
    ("2099-12-09 15:0", "write the time 24-hour HH:MM, as 2026-12-09 15:00, got '15:0'"),
    ("15:00", "'15:00' needs the day of the next visit before it, as 2026-12-09 15:00"),
])
def test_a_next_visit_with_a_bad_time_is_refused_at_its_cell(tmp_path: Path, cell: str,
                                                              said: str) -> None:
    path = _csv(tmp_path, VISITED + f"Anna,plantar-fasciitis,en,2099-11-24,{cell}\n")
    appointments, problems = read_appointments(path)
    assert appointments == []
    assert [str(p) for p in problems] == [f"{path}:2:5: next_visit: {said}"]


def test_a_time_without_a_next_visit_is_refused_at_the_time() -> None:
    with pytest.raises(ValidationError) as raised:
        Visit.model_validate({"client": "Mai", "date": "2099-11-24",
                              "next_visit_time": "15:00"})
    [error] = raised.value.errors()
    assert error["loc"] == ("next_visit_time",)
