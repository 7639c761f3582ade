"""The command as a user runs it: exit codes, file:line:col messages, nothing half-written."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from subprocess import CompletedProcess

import pytest

from tests.editing import edit, line_of

Run = Callable[..., CompletedProcess[str]]
PDF = "out/plantar-fasciitis-aftercare-en.pdf"
EN = "data/treatments/plantar-fasciitis/en.yaml"
BRAND = "data/brand.yaml"

# (file, old snippet, new snippet, line-finding snippet in the edited file, words in message)
BAD_CONTENT = {
    "unknown key": (EN, "headline:", "headlin:", "headlin:", "unknown key 'headlin'"),
    "missing key": (EN, "name: Plantar fasciitis foot massage\n", "", "headline:",
                    "missing key 'name'"),
    "wrong type": (EN, "hold_seconds: 60", "hold_seconds: a minute", "hold_seconds: a minute",
                   "hold_seconds"),
    "duplicate key": (EN, "headline:", "name: Again\nheadline:", "name: Again",
                      "duplicate key 'name'"),
    "yaml syntax": (EN, "steps:\n", "steps: [\n", "", "YAML syntax"),
    "bad phone": (BRAND, '"+84 905 123 456"', '"0905 123 456"', "0905 123 456", "E.164"),
    "bad url": (BRAND, "url: https://pf.kakao.com/_lspadanang/chat",
                "url: http://pf.kakao.com/x", "url: http://pf", "https://"),
    "logo outside data": (BRAND, "logo: logo.png", "logo: ../../../../etc/passwd", "logo:",
                          "leaves"),
    "logo missing": (BRAND, "logo: logo.png", "logo: nowhere.png", "logo:", "not found"),
    "alias bomb": (EN, "name: Plantar fasciitis foot massage\n",
                   "name: Plantar\nbomb0: &a [x, x, x, x]\nbomb1: &b [*a, *a, *a, *a]\n",
                   "bomb1", "aliases"),
}


@pytest.mark.parametrize("case", BAD_CONTENT)
def test_bad_content_names_file_and_line_and_writes_no_pdf(case: str, project: Path,
                                                           run: Run) -> None:
    file, old, new, marker, words = BAD_CONTENT[case]
    edit(project / file, old, new)
    result = run("build")
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    expected = f"{file}:{line_of(project / file, marker)}:" if marker else f"{file}:"
    assert expected in result.stderr, result.stderr
    assert words in result.stderr
    assert not (project / PDF).exists()
    leftovers = list((project / "out").glob(".*")) if (project / "out").exists() else []
    assert leftovers == []


def test_failed_build_keeps_the_previous_good_pdf(project: Path, en_yaml: Path, run: Run) -> None:
    assert run("build").returncode == 0
    good = (project / PDF).read_bytes()
    edit(en_yaml, "hold_seconds: 60", "hold_seconds: forever")
    result = run("build")
    assert result.returncode == 1
    assert (project / PDF).read_bytes() == good
    assert not [p.name for p in (project / "out").iterdir() if p.name.startswith(".")]


def test_validate_lists_every_problem_not_just_the_first(project: Path, en_yaml: Path,
                                                         run: Run) -> None:
    edit(en_yaml, "headline:", "headlin:")
    edit(en_yaml, "hold_seconds: 60", "hold_seconds: often")
    edit(project / BRAND, '"+84 236 3123 456"', '"12345"')
    result = run("validate")
    assert result.returncode == 1
    assert f"{EN}:{line_of(en_yaml, 'headlin:')}:1: unknown key 'headlin'" in result.stderr
    assert f"{EN}:{line_of(en_yaml, 'hold_seconds: often')}:" in result.stderr
    assert f"{BRAND}:{line_of(project / BRAND, '12345')}:" in result.stderr
    assert "Traceback" not in result.stderr


def test_validate_passes_on_shipped_content(run: Run) -> None:
    result = run("validate")
    assert result.returncode == 0, result.stderr
    assert "content OK" in result.stdout


def test_build_reports_what_it_wrote(project: Path, run: Run) -> None:
    result = run("build", "--out", "printed")
    assert result.returncode == 0, result.stderr
    assert "wrote printed/plantar-fasciitis-aftercare-en.pdf" in result.stdout
    assert (project / "printed" / "plantar-fasciitis-aftercare-en.pdf").is_file()


def test_usage_error_exits_2(run: Run) -> None:
    assert run("build", "--paper", "a3").returncode == 2


def test_missing_data_folder_is_a_content_error(run: Run) -> None:
    result = run("build", "--data", "nowhere")
    assert result.returncode == 1
    assert "nowhere:1:1: data folder not found" in result.stderr


@pytest.mark.parametrize("command", [[], ["build"], ["validate"]])
def test_help_explains_each_command(command: list[str], run: Run) -> None:
    result = run(*command, "--help")
    assert result.returncode == 0
    assert "--data" in result.stdout or "build" in result.stdout
