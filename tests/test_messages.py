"""Messages say what is actually wrong: a missing folder, a CSV separator, blank names; help
shows its text whole."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from subprocess import CompletedProcess

import pytest

from handouts.content.appointments import MAX_ROWS, read_appointments

Run = Callable[..., CompletedProcess[str]]
HEADER = "client,treatment,lang,therapist,date,email,notes,next_visit\n"


@pytest.mark.parametrize("command", [
    ["aftercare", "plantar-fasciitis", "--client", "Emma"],
    ["flyer", "plantar-fasciitis"],
    ["aftercare", "--from", "data/appointments.csv", "--out", "today"],
    ["email", "--from", "data/appointments.csv", "--eml", "outbox"],
    ["email", "plantar-fasciitis", "--client", "Emma", "--to", "e@example.com", "--eml", "o"],
])
def test_a_missing_data_folder_is_named(command: list[str], run: Run) -> None:
    result = run(*command, "--data", "missing")
    assert result.returncode == 1
    assert result.stderr == "missing:1:1: data folder not found\n"


@pytest.mark.parametrize(("separator", "shown"), [(";", "';'"), ("\t", "a tab")])
def test_a_csv_separated_otherwise_says_separator(separator: str, shown: str, project: Path,
                                                  run: Run) -> None:
    rows = (project / "data" / "appointments.csv").read_text("utf-8")
    (project / "day.csv").write_text(rows.replace(",", separator), encoding="utf-8")
    result = run("aftercare", "--from", "day.csv", "--out", "today")
    assert result.returncode == 1
    assert result.stderr == (
        f"day.csv:1:1: the columns are separated by {shown}, not commas: save the CSV with a "
        "comma as the separator (expected columns: client, treatment, lang, therapist, date, "
        "email, notes, next_visit, exercises)\n")


def rows_spanning_two_lines(count: int) -> str:
    return HEADER + "".join(f'Client {i},plantar-fasciitis,en,Linh,2026-11-24,,"Ice.\nRest.",\n'
                            for i in range(count))


def test_the_row_cap_counts_rows_not_lines(tmp_path: Path) -> None:
    sheet = tmp_path / "day.csv"
    sheet.write_text(rows_spanning_two_lines(MAX_ROWS), encoding="utf-8")
    appointments, problems = read_appointments(sheet)
    assert problems == [] and len(appointments) == MAX_ROWS
    assert appointments[-1].visit.notes == "Ice. Rest."

    sheet.write_text(rows_spanning_two_lines(MAX_ROWS + 1), encoding="utf-8")
    appointments, problems = read_appointments(sheet)
    assert len(appointments) == MAX_ROWS
    assert [str(p) for p in problems] == [
        f"{sheet}:{2 + 2 * MAX_ROWS}:1: more than {MAX_ROWS} rows; split the file"]


BLANK = "the client's name is blank (empty, or only spaces or invisible characters)"


@pytest.mark.parametrize("name", ["   ", "\u3000", "\u200b \u200b"])
def test_a_blank_name_is_called_blank(name: str, project: Path, run: Run) -> None:
    result = run("aftercare", "plantar-fasciitis", "--client", name)
    assert result.returncode == 2
    assert "Invalid value for --client: " + BLANK in " ".join(result.stderr.split())
    (project / "day.csv").write_text(
        HEADER + f"{name},plantar-fasciitis,en,Linh,2026-11-24,,,\n", encoding="utf-8")
    batch = run("aftercare", "--from", "day.csv", "--out", "today")
    assert batch.returncode == 1
    assert f"day.csv:2:1: client: {BLANK}" in batch.stderr


def test_help_keeps_square_brackets_and_shows_force_as_a_flag(run: Run) -> None:
    result = run("build", "--help")
    assert result.returncode == 0
    assert "[default: fonts/ beside" in result.stdout
    assert re.search(r"^\s+--force\s+Rebuild everything, changed or not\.$", result.stdout,
                     re.MULTILINE), result.stdout
    assert "<bool>" not in result.stdout
    aftercare = run("aftercare", "--help")
    assert "[default: today]" in " ".join(aftercare.stdout.split())
    assert run("build", "--force", "true").returncode == 2


@pytest.mark.parametrize("cell", ["Em\x00ma", "Emma\x1b[31m", "Em\x7fma"])
def test_a_control_character_in_a_name_is_refused_not_printed(cell: str, project: Path,
                                                               run: Run) -> None:
    (project / "day.csv").write_text(
        HEADER + f"{cell},plantar-fasciitis,en,Linh,2026-11-24,,,\n", encoding="utf-8")
    result = run("aftercare", "--from", "day.csv", "--out", "today")
    assert result.returncode == 1
    code = next(c for c in cell if c in "\x00\x1b\x7f")
    assert (f"day.csv:2:1: client: contains the control character U+{ord(code):04X}; retype "
            "the text") in result.stderr
    assert not (project / "today").exists() or not list((project / "today").iterdir())


def test_an_email_row_whose_sheet_cannot_fit_is_named_by_its_line(project: Path,
                                                                   run: Run) -> None:
    notes = "Rest and drink water after the massage. " * 25  # ~1000 characters
    (project / "day.csv").write_text(
        HEADER + "Mai,plantar-fasciitis,en,Linh,2026-11-24,mai@example.com,Ice.,\n"
        f'Bo,plantar-fasciitis,en,Linh,2026-11-24,bo@example.com,"{notes}",\n',
        encoding="utf-8")
    result = run("email", "--from", "day.csv", "--eml", "outbox")
    assert result.returncode == 1
    assert re.search(r"^day\.csv:3:1: plantar-fasciitis aftercare \(en, A4\): the therapist's "
                     r"notes leave no room", result.stderr, re.M), result.stderr
    assert len(list((project / "outbox").glob("*.eml"))) == 1
