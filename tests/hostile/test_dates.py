"""Dates and the appointments CSV, as staff and their spreadsheets write them (issue 19: the
README's date going stale, local date formats, damaged CSVs).

Dates a command must see as future are counted from today here, as the README tells a
therapist to write them; nothing depends on which day the suite runs."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from subprocess import CompletedProcess

import pytest
import yaml
from pypdf import PdfReader

from handouts.content.appointments import read_appointments
from handouts.content.dates import Dating
from tests.email_reading import parse_eml, parts

Run = Callable[..., CompletedProcess[str]]
HEADER = "client,treatment,lang,therapist,date,email,notes,next_visit\n"
TODAY = dt.date.today()
TODAY_WORDS = ("today", "hôm nay", "오늘", "本日", "今日")


def _text(pdf: Path) -> str:
    return " ".join((page.extract_text() or "") for page in PdfReader(pdf).pages)


def _en_date(day: dt.date) -> str:
    """How CLDR writes a date in English ('December 9, 2026')."""
    months = ["January", "February", "March", "April", "May", "June", "July", "August",
              "September", "October", "November", "December"]
    return f"{months[day.month - 1]} {day.day}, {day.year}"


def test_a_next_visit_counted_from_the_treatment_is_printed_as_its_date(run: Run,
                                                                        project: Path) -> None:
    """--next-visit +1w: a week after the treatment (today by default)."""
    result = run("aftercare", "plantar-fasciitis", "--client", "Emma", "--next-visit", "+1w",
                 "-o", "sheet.pdf")
    assert result.returncode == 0, result.stderr
    assert _en_date(TODAY + dt.timedelta(weeks=1)) in _text(project / "sheet.pdf")


def test_a_csv_with_empty_dates_and_relative_visits_is_read_as_today(tmp_path: Path) -> None:
    """The sample CSV's shape: an empty date is today, +10d and +2w count from it."""
    day = tmp_path / "day.csv"
    day.write_text(HEADER + "Anna,plantar-fasciitis,en,Linh,,,,+10d\n"
                   "Binh,plantar-fasciitis,vi,Linh,,,,+2W\n", encoding="utf-8")
    appointments, problems = read_appointments(day, Dating(TODAY))
    assert problems == []
    assert [(a.visit.date, a.visit.next_visit) for a in appointments] == [
        (TODAY, TODAY + dt.timedelta(days=10)), (TODAY, TODAY + dt.timedelta(weeks=2))]


def test_a_next_visit_in_the_past_is_refused_at_its_cell(run: Run, project: Path) -> None:
    past = TODAY - dt.timedelta(days=3)
    (project / "day.csv").write_text(
        HEADER + f"Anna,plantar-fasciitis,en,Linh,{past - dt.timedelta(days=7)},,,{past}\n",
        encoding="utf-8")
    result = run("aftercare", "--from", "day.csv", "--out", "today")
    assert result.returncode == 1
    assert f"day.csv:2:8: next_visit: the next visit ({past}) is in the past" in result.stderr
    assert "0 built, 1 failed" in result.stderr
    assert not (project / "today").exists() or not list((project / "today").iterdir())


def test_a_treatment_dated_before_today_never_says_today_in_its_email(run: Run,
                                                                      project: Path) -> None:
    """The sample once said 'thank you for visiting us today' about a week-old visit."""
    earlier = TODAY - dt.timedelta(days=8)
    rows = "".join(f"C {lang},plantar-fasciitis,{lang},Linh,{earlier},{lang}@example.com,,\n"
                   for lang in ("en", "vi", "ko", "ja"))
    (project / "day.csv").write_text(HEADER + rows, encoding="utf-8")
    result = run("email", "--from", "day.csv", "--eml", "outbox")
    assert result.returncode == 0, result.stderr
    emails = sorted((project / "outbox").glob("*.eml"))
    assert len(emails) == 4
    for eml in emails:
        text, _, pdf = parts(parse_eml(eml.read_bytes()))
        sheet = project / "sheet.pdf"
        sheet.write_bytes(pdf)
        for said in (text, _text(sheet)):
            lowered = said.lower()
            assert not any(w in lowered for w in TODAY_WORDS), (eml, said)


@pytest.mark.parametrize(("lang", "typed", "meant"), [
    ("vi", "02/12/2026", dt.date(2026, 12, 2)),  # Vietnamese Excel: day first
    ("en", "24/11/2026", dt.date(2026, 11, 24)),  # only one reading is a real day
    ("en", "11/24/2026", dt.date(2026, 11, 24)),
    ("ko", "2026. 11. 24.", dt.date(2026, 11, 24)),
    ("ja", "2026/11/24", dt.date(2026, 11, 24)),
    ("EN", "24/11/2026", dt.date(2026, 11, 24)),  # the language code in any case
])
def test_a_date_in_a_format_the_language_declares_is_read(lang: str, typed: str,
                                                          meant: dt.date, run: Run,
                                                          project: Path) -> None:
    (project / "day.csv").write_text(HEADER + f"Anna,plantar-fasciitis,{lang},Linh,{typed},,,\n",
                                     encoding="utf-8")
    appointments, problems = read_appointments(
        project / "day.csv", Dating(None, {"en": ["DD/MM/YYYY", "MM/DD/YYYY"],
                                           "vi": ["DD/MM/YYYY"], "ko": ["YYYY. M. D."],
                                           "ja": ["YYYY/MM/DD"]}))
    assert problems == []
    assert appointments[0].visit.date == meant


def test_an_ambiguous_date_is_refused_with_both_readings(run: Run, project: Path) -> None:
    """English declares day-first and month-first: 02/12/2026 could be either."""
    (project / "day.csv").write_text(HEADER + "Anna,plantar-fasciitis,en,Linh,02/12/2026,,,\n"
                                     "Hoa,plantar-fasciitis,vi,Linh,02/12/2026,,,\n",
                                     encoding="utf-8")
    result = run("aftercare", "--from", "day.csv", "--out", "today")
    assert result.returncode == 1
    assert ("day.csv:2:5: date: '02/12/2026' could be 2026-02-12 or 2026-12-02: write the one "
            "you mean as YYYY-MM-DD") in result.stderr
    assert "1 built, 1 failed" in result.stderr  # the Vietnamese row is 2 December


@pytest.mark.parametrize("typed", ["20261201", "2026-W49-1", "2026-12-1", "2026-12-01T10:00"])
def test_only_the_documented_formats_are_dates_on_every_python(typed: str,
                                                               tmp_path: Path) -> None:
    """Python 3.11's fromisoformat takes 20261201 and week dates; 3.10's does not."""
    day = tmp_path / "day.csv"
    day.write_text(HEADER + f"Anna,plantar-fasciitis,en,Linh,{typed},,,\n", encoding="utf-8")
    appointments, problems = read_appointments(day)
    assert appointments == []
    assert [str(p) for p in problems] == [
        f"{day}:2:5: date: dates are written YYYY-MM-DD, got '{typed}'"]


def test_an_unclosed_quote_is_named_and_every_row_it_swallowed_fails(run: Run,
                                                                     project: Path) -> None:
    (project / "day.csv").write_text(
        HEADER + 'Anna,plantar-fasciitis,en,Linh,2026-11-24,,"Ice the heel,\n'
        "Binh,plantar-fasciitis,en,Linh,2026-11-24,,,\n"
        "Chi,plantar-fasciitis,en,Linh,2026-11-24,,,\n", encoding="utf-8")
    result = run("aftercare", "--from", "day.csv", "--out", "today")
    assert result.returncode == 1
    assert ('day.csv:2:7: this cell opens a quote (") that is never closed, so this row and '
            "the 2 line(s) after it were not read") in result.stderr
    assert "day.csv:3:1: not read: inside the quote opened at line 2" in result.stderr
    assert "day.csv:4:1: not read: inside the quote opened at line 2" in result.stderr
    assert "0 built, 3 failed" in result.stderr


def test_a_huge_cell_is_named_and_the_rows_after_it_are_still_made(run: Run,
                                                                   project: Path) -> None:
    notes = "x" * 200_000
    (project / "day.csv").write_text(
        HEADER + f"Anna,plantar-fasciitis,en,Linh,2026-11-24,,{notes},\n"
        "Binh,plantar-fasciitis,en,Linh,2026-11-24,,,\n", encoding="utf-8")
    result = run("aftercare", "--from", "day.csv", "--out", "today")
    assert result.returncode == 1
    assert "day.csv:2:1: a cell is longer than 131,072 characters" in result.stderr
    assert "1 built, 1 failed" in result.stderr
    assert len(list((project / "today").glob("*.pdf"))) == 1


def test_a_column_given_twice_is_refused(run: Run, project: Path) -> None:
    (project / "day.csv").write_text(
        "client,treatment,lang,date,email,email\n"
        "Anna,plantar-fasciitis,en,2026-11-24,a@example.com,b@example.com\n", encoding="utf-8")
    result = run("email", "--from", "day.csv", "--eml", "outbox")
    assert result.returncode == 1
    assert result.stderr == ("day.csv:1:6: column 'email' appears twice (first as column 5): "
                             "keep one\n")
    assert not (project / "outbox").exists()


def test_a_cell_too_long_is_said_in_the_editors_words(tmp_path: Path) -> None:
    """Not pydantic's 'String should have at most 200 characters'."""
    day = tmp_path / "day.csv"
    day.write_text(HEADER + f"{'A' * 230},plantar-fasciitis,en,Linh,2026-11-24,,,\n",
                   encoding="utf-8")
    _, problems = read_appointments(day)
    assert [str(p) for p in problems] == [
        f"{day}:2:1: client: is too long: 230 characters, at most 200"]


def test_a_new_language_keeps_the_english_date_formats_as_a_setting(run: Run,
                                                                    project: Path) -> None:
    """Date formats are a setting, not words: a new language starts with English's (both
    orders, so an ambiguous date is refused, never misread) and nothing to translate."""
    assert run("new", "language", "pt-BR", "--font", "noto-sans").returncode == 0
    result = run("validate")
    assert "date_input" not in result.stderr
    labels = project / "data" / "labels"
    made = yaml.safe_load((labels / "pt-BR.yaml").read_text("utf-8"))["date_input"]
    assert made == yaml.safe_load((labels / "en.yaml").read_text("utf-8"))["date_input"]


def test_a_next_visit_with_a_bad_time_is_refused_at_its_option(run: Run, project: Path) -> None:
    result = run("aftercare", "plantar-fasciitis", "--client", "Emma", "--date", "2099-11-24",
                 "--next-visit", "2099-12-09 24:30", "-o", "sheet.pdf")
    assert result.returncode == 2
    said = " ".join(result.stderr.replace("│", " ").split())
    assert "--next-visit" in said and "'24:30' is not a time of day" in said
    assert "Traceback" not in result.stderr and not (project / "sheet.pdf").exists()
