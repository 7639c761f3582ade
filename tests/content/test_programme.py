"""A client's home programme: given on the command line or in the appointments CSV, read by
one parser, printed on their sheet at their doses; the library's words written once."""

from __future__ import annotations

import subprocess
from collections.abc import Callable
from pathlib import Path

from tests.editing import edit, line_of
from tests.pdf_reading import cards, squashed, text

Run = Callable[..., subprocess.CompletedProcess[str]]

PROGRAMME = ["towel-stretch:hold=45,repeats=4,sets=2,daily=3,note=only the left foot",
             "side-neck-stretch:hold=25"]
CLIENT = ("plantar-fasciitis", "--client", "Emma Wilson", "--date", "2026-12-02")


def _cli(run: Run, out: str, *exercises: str) -> subprocess.CompletedProcess[str]:
    args = [a for e in exercises for a in ("--exercise", e)]
    return run("aftercare", *CLIENT, *args, "-o", out)


def _csv(project: Path, cell: str) -> Path:
    path = project / "day.csv"
    path.write_text("client,treatment,lang,date,exercises\n"
                    f'Emma Wilson,plantar-fasciitis,en,2026-12-02,"{cell}"\n', encoding="utf-8")
    return path


def test_the_command_line_and_the_csv_make_the_same_sheet(project: Path, run: Run) -> None:
    assert _cli(run, "cli.pdf", *PROGRAMME).returncode == 0
    made = run("aftercare", "--from", str(_csv(project, "; ".join(PROGRAMME))), "--out", "day")
    assert made.returncode == 0, made.stderr
    (batch,) = (project / "day").glob("*.pdf")
    assert batch.read_bytes() == (project / "cli.pdf").read_bytes()


def test_each_dose_and_note_is_printed_on_its_own_card(project: Path, run: Run) -> None:
    assert _cli(run, "own.pdf", *PROGRAMME).returncode == 0
    on = cards(project / "own.pdf", 1, ["Towel stretch", "Side neck stretch"],
               below="Risks and precautions")
    towel, neck = on["Towel stretch"], on["Side neck stretch"]
    assert towel.startswith("Towel stretch") and neck.startswith("Side neck stretch")
    assert "Hold 45 s" in towel and "4 times" in towel
    assert "2 sets · 3 times a day" in towel and towel.endswith("only the left foot")
    assert "Hold 25 s" in neck and "3 times" in neck  # repeats: the library's default
    assert "45" not in neck and "sets" not in neck and "left foot" not in neck
    assert "Hold 25 s" not in towel
    assert "Your home programme" in text(project / "own.pdf")
    assert "Wall calf stretch" not in text(project / "own.pdf")  # the defaults are replaced


def test_a_sheet_without_a_programme_keeps_the_treatments_exercises(project: Path,
                                                                   run: Run) -> None:
    assert _cli(run, "plain.pdf").returncode == 0
    printed = text(project / "plain.pdf")
    assert "Your home programme" not in printed
    for name in ("Towel stretch", "Wall calf stretch", "Rolling the arch"):
        assert name in printed


def test_a_dose_out_of_range_is_refused_at_its_option(project: Path, run: Run) -> None:
    result = _cli(run, "x.pdf", "towel-stretch:hold=900")
    assert result.returncode == 2  # a usage error, as Typer gives for any bad option
    assert "--exercise" in result.stderr
    assert "hold=900 is out of range: 1 to 600 seconds" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (project / "x.pdf").exists()


def test_a_dose_out_of_range_is_refused_at_its_cell(project: Path, run: Run) -> None:
    csv = _csv(project, "arch-roll; towel-stretch:hold=900")
    result = run("aftercare", "--from", str(csv), "--out", "day")
    assert result.returncode == 1
    assert (f"{csv}:2:5: exercises: item 2: hold=900 is out of range: 1 to 600 seconds"
            in result.stderr), result.stderr


def test_an_unknown_exercise_of_a_programme_is_named_where_it_was_given(run: Run) -> None:
    result = _cli(run, "x.pdf", "towel-strech")
    assert result.returncode == 1
    assert "--exercise:1:1: exercises: no exercise 'towel-strech' in the library" \
        in result.stderr


def test_an_unknown_exercise_in_a_treatment_is_named_at_its_line(project: Path,
                                                                 facts_yaml: Path,
                                                                 run: Run) -> None:
    edit(facts_yaml, "    - arch-roll\n", "    - arch-rol\n")
    result = run("validate")
    assert result.returncode == 1
    assert (f"data/treatments/plantar-fasciitis/facts.yaml:{line_of(facts_yaml, 'arch-rol')}"
            ":7: home_care.exercises: no exercise 'arch-rol' in data/exercises/"
            in result.stderr), result.stderr


def test_an_exercise_translated_once_reads_the_same_in_every_treatment_using_it(
        project: Path, run: Run) -> None:
    """The neck treatment takes the foot's towel stretch too; its Korean words, written once
    in the library, are what both treatments' Korean sheets print."""
    neck = project / "data" / "treatments" / "neck-shoulder-massage" / "facts.yaml"
    edit(neck, "    - side-neck-stretch\n", "    - side-neck-stretch\n    - towel-stretch\n")
    edit(project / "data" / "exercises" / "towel-stretch" / "ko.yaml",
         "name: 수건 스트레칭", "name: 수건 당기기")
    built = run("build", "--lang", "ko")
    assert built.returncode == 0, built.stderr
    for treatment in ("plantar-fasciitis", "neck-shoulder-massage"):
        printed = squashed(text(project / "out" / f"{treatment}-aftercare-ko.pdf"))
        assert "수건당기기" in printed and "수건스트레칭" not in printed
