"""The command as a user runs it: exit codes, file:line:col messages, nothing half-written."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path
from subprocess import CompletedProcess

import pytest
from pypdf import PdfReader

from tests.conftest import REPO
from tests.editing import edit, line_of
from tests.pdf_reading import text

Run = Callable[..., CompletedProcess[str]]
PDF = "out/plantar-fasciitis-aftercare-en.pdf"
EN = "data/treatments/plantar-fasciitis/en.yaml"
FACTS = "data/treatments/plantar-fasciitis/facts.yaml"
BRAND = "data/brand.yaml"

# (file, old snippet, new snippet, line-finding snippet in the edited file, words in message)
BAD_CONTENT = {
    "unknown key": (EN, "headline:", "headlin:", "headlin:", "unknown key 'headlin'"),
    "missing key": (EN, "name: Plantar fasciitis foot massage\n", "", "headline:",
                    "missing key 'name'"),
    "wrong type": (FACTS, "duration_minutes: 60", "duration_minutes: an hour",
                   "duration_minutes: an hour", "duration_minutes"),
    "duplicate key": (EN, "headline:", "name: Again\nheadline:", "name: Again",
                      "duplicate key 'name'"),
    "yaml syntax": (EN, "steps:\n", "steps: [\n", "", "YAML syntax"),
    "bad phone": (BRAND, '"+84 905 123 456"', '"0905 123 456"', "0905 123 456",
                  "write the phone number in international form"),
    "bad url": (BRAND, "url: https://pf.kakao.com/_lspadanang/chat",
                "url: http://pf.kakao.com/x", "url: http://pf", "https://"),
    "logo outside data": (BRAND, "logo: logo.png", "logo: ../../../../etc/passwd", "logo:",
                          "leaves"),
    "logo missing": (BRAND, "logo: logo.png", "logo: nowhere.png", "logo:", "not found"),
    "logo not an image": (BRAND, "logo: logo.png", "logo: brand.yaml", "logo:",
                          "not a readable PNG or JPEG"),
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
    leftovers = list((project / "out").glob("*.tmp")) if (project / "out").exists() else []
    assert leftovers == []


def test_failed_build_keeps_the_previous_good_pdf(project: Path, facts_yaml: Path,
                                                  run: Run) -> None:
    assert run("build").returncode == 0
    good = (project / PDF).read_bytes()
    edit(facts_yaml, "duration_minutes: 60", "duration_minutes: forever")
    result = run("build")
    assert result.returncode == 1
    assert (project / PDF).read_bytes() == good
    assert not list((project / "out").glob("*.tmp"))


def test_validate_lists_every_problem_not_just_the_first(project: Path, en_yaml: Path,
                                                         facts_yaml: Path, run: Run) -> None:
    edit(en_yaml, "headline:", "headlin:")
    edit(facts_yaml, "duration_minutes: 60", "duration_minutes: often")
    edit(project / BRAND, '"+84 236 3123 456"', '"12345"')
    result = run("validate")
    assert result.returncode == 1
    assert f"{EN}:{line_of(en_yaml, 'headlin:')}:1: unknown key 'headlin'" in result.stderr
    assert f"{FACTS}:{line_of(facts_yaml, 'duration_minutes: often')}:" in result.stderr
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


def test_build_no_cache_neither_reads_nor_writes_the_content_cache(project: Path,
                                                                   run: Run) -> None:
    result = run("build", "--lang", "en", "--no-cache")
    assert result.returncode == 0, result.stderr
    assert (project / "out" / "plantar-fasciitis-aftercare-en.pdf").is_file()
    assert not (project / ".handouts" / "cache").exists()


def test_build_keeps_the_content_cache_beside_the_data_folder(project: Path, run: Run) -> None:
    assert run("build", "--lang", "en").returncode == 0
    kept = {p.name.split("-")[0] for p in (project / ".handouts" / "cache").iterdir()}
    assert kept == {"digests", "face", "library", "remembered"}  # content/cache.py names each


def test_usage_error_exits_2(run: Run) -> None:
    assert run("build", "--paper", "a3").returncode == 2


def test_missing_data_folder_is_a_content_error(run: Run) -> None:
    result = run("build", "--data", "nowhere")
    assert result.returncode == 1
    assert "nowhere:1:1: data folder not found" in result.stderr


@pytest.mark.parametrize(("command", "says"), [
    ([], ["Turn a spa's YAML content into branded, print-ready PDF handouts and flyers.",
          "build", "validate", "flyer", "aftercare", "email", "watch", "preview", "new"]),
    (["build"], ["Build every treatment x document x language into OUT as "
                 "<treatment>-<kind>-<lang>.pdf.", "--data", "--out", "--lang", "--paper"]),
    (["validate"], ["Check all content and list every problem as file:line:col: message.",
                    "--data", "--lang", "--fonts"]),
])
def test_help_explains_each_command(command: list[str], says: list[str], run: Run) -> None:
    result = run(*command, "--help")
    assert result.returncode == 0
    shown = " ".join(result.stdout.split())
    assert [words for words in says if words not in shown] == [], result.stdout


LONG = " ".join(["Gentle pressure on the arch helps the heel relax and recover."] * 40)


def test_overlong_flyer_names_section_and_overflow_and_writes_nothing(project: Path,
                                                                       en_yaml: Path,
                                                                       run: Run) -> None:
    edit(en_yaml, "    - A slow, relaxing cool down\n", f"    - {LONG}\n")
    result = run("flyer", "plantar-fasciitis", "--size", "a5", "-o", "flyer.pdf")
    assert result.returncode == 1
    assert "plantar-fasciitis flyer (en, A5)" in result.stderr
    assert "section 'flyer.steps' overflows by" in result.stderr and " mm" in result.stderr
    assert not (project / "flyer.pdf").exists()


def test_overlong_aftercare_names_section_and_keeps_old_pdf(project: Path, en_yaml: Path,
                                                            run: Run) -> None:
    assert run("build", "--lang", "en").returncode == 0
    good = (project / PDF).read_bytes()
    edit(en_yaml, "      professional can guide you.\n",
         f"      professional can guide you. {LONG}\n")
    result = run("build", "--lang", "en")
    assert result.returncode == 1
    assert "plantar-fasciitis aftercare (en, A4)" in result.stderr
    assert "overflows by" in result.stderr and "section '" in result.stderr
    assert (project / PDF).read_bytes() == good


def test_flyer_command_imposes_4up_a6_with_crop_marks(project: Path, run: Run) -> None:
    result = run("flyer", "plantar-fasciitis", "--size", "a6", "--n-up", "4", "--crop-marks")
    assert result.returncode == 0, result.stderr
    assert "wrote plantar-fasciitis-flyer-en-a6-4up.pdf" in result.stdout
    sheet = PdfReader(project / "plantar-fasciitis-flyer-en-a6-4up.pdf")
    assert len(sheet.pages) == 1
    box = sheet.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (595, 842)  # one A4 sheet


@pytest.mark.parametrize(("args", "words"), [
    (["flyer", "no-such-treatment"], "TREATMENT:1:1: unknown treatment 'no-such-treatment'"),
    (["flyer", "plantar-fasciitis", "--lang", "fr"], "--lang:1:1: no 'fr' version"),
    (["flyer", "plantar-fasciitis", "--size", "a4", "--n-up", "2"], "do not fit on one A4"),
])
def test_flyer_command_refuses_what_it_cannot_make(args: list[str], words: str,
                                                   run: Run) -> None:
    result = run(*args)
    assert result.returncode == 1
    assert words in result.stderr and "Traceback" not in result.stderr


def test_flyer_n_up_8_is_a_usage_error(run: Run) -> None:
    assert run("flyer", "plantar-fasciitis", "--n-up", "8").returncode == 2


def test_preview_renders_each_page_as_an_image(project: Path, run: Run) -> None:
    assert run("build", "--lang", "en").returncode == 0
    result = run("preview", "plantar-fasciitis-aftercare-en", "--to", "pngs")
    assert result.returncode == 0, result.stderr
    images = sorted((project / "pngs").glob("*.png"))
    assert [p.name for p in images] == ["plantar-fasciitis-aftercare-en-p1.png",
                                        "plantar-fasciitis-aftercare-en-p2.png"]
    assert all(p.read_bytes().startswith(b"\x89PNG") for p in images)


LABELS_EN = "data/labels/en.yaml"


def test_a_label_with_a_format_spec_is_a_content_error(project: Path, run: Run) -> None:
    edit(project / LABELS_EN, 'hold: "Hold {seconds} s"', 'hold: "Hold {seconds:s} s"')
    result = run("build", "--lang", "en")
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert f"{LABELS_EN}:{line_of(project / LABELS_EN, 'hold:')}:" in result.stderr


def test_markup_in_a_label_prints_literally(project: Path, run: Run) -> None:
    edit(project / LABELS_EN, 'hold: "Hold {seconds} s"', 'hold: "<img src=\'x\'/> {seconds} s"')
    result = run("build", "--lang", "en")
    assert result.returncode == 0, result.stderr
    assert "<img src='x'/> 30 s" in text(project / PDF)


def test_a_language_missing_from_the_brand_fails_alone(project: Path, run: Run) -> None:
    edit(project / BRAND, "  ko: 다낭 중심에서 누리는 마사지와 웰니스\n", "")
    result = run("build")
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "tagline has no 'ko' text" in result.stderr
    built = {p.name for p in (project / "out").glob("*.pdf")}
    assert "plantar-fasciitis-aftercare-en.pdf" in built
    assert "plantar-fasciitis-aftercare-ko.pdf" not in built


@pytest.mark.parametrize(("content", "words"), [
    (b"OTTO" + b"\0" * 60, "CFF (PostScript) outlines"),
    (b"<html>not a font</html>", "not a TrueType font file"),
])
def test_a_font_the_pdf_cannot_embed_is_a_content_error(content: bytes, words: str,
                                                        project: Path, run: Run) -> None:
    shutil.copytree(project / "fonts", project / "myfonts")
    (project / "myfonts" / "NotoSans-Italic.ttf").write_bytes(content)
    result = run("validate", "--fonts", "myfonts")
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert f"data/fonts.yaml:{line_of(project / 'data' / 'fonts.yaml', 'italic:')}:" in \
        result.stderr
    assert words in result.stderr


def test_building_one_language_from_elsewhere_deletes_nothing(
        project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from handouts.catalogue.build import build

    monkeypatch.chdir(project)
    build(Path("data"), Path("out"))  # sources recorded from a relative --data
    before = {p.name for p in (project / "out").glob("*.pdf")}
    elsewhere = project / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    report = build(project / "data", project / "out", langs=["en"])
    assert report.removed == []
    assert {p.name for p in (project / "out").glob("*.pdf")} == before


def test_a_gap_in_one_language_does_not_block_another_s_flyer(project: Path, run: Run) -> None:
    edit(project / BRAND, "  ko: 다낭 중심에서 누리는 마사지와 웰니스\n", "")
    assert run("flyer", "plantar-fasciitis", "--lang", "en", "-o", "en.pdf").returncode == 0
    result = run("flyer", "plantar-fasciitis", "--lang", "ko", "-o", "ko.pdf")
    assert result.returncode == 1 and "tagline has no 'ko' text" in result.stderr


def test_no_command_body_is_longer_than_fifteen_lines() -> None:
    """The CLI is a thin face (issue 21): a command parses its options, calls the catalogue
    and reports; anything longer belongs in a function of its own."""
    import ast

    source = (REPO / "handouts" / "cli.py").read_text(encoding="utf-8")
    long = {}
    for node in ast.parse(source).body:
        if isinstance(node, ast.FunctionDef) and any(
                isinstance(d, ast.Call) and getattr(d.func, "attr", "") == "command"
                for d in node.decorator_list):
            body = node.body[1:] if ast.get_docstring(node) else node.body
            lines = (node.end_lineno or 0) - body[0].lineno + 1
            if lines > 15:
                long[node.name] = lines
    assert long == {}



def _commands() -> list[str]:
    import typer

    from handouts import cli

    return [info.name or typer.main.get_command_name(info.callback.__name__)
            for info in cli.app.registered_commands if info.callback is not None]


@pytest.mark.parametrize("command", _commands())
def test_a_command_run_alone_reads_its_options_as_the_whole_app_does(command: str) -> None:
    """A run builds only the command asked for; its help (every option, its usage line) is
    the one the whole app gives."""
    from typer.testing import CliRunner

    from handouts import cli

    alone = cli._app_for([command, "--help"])
    assert alone is not cli.app
    runner = CliRunner()
    whole = runner.invoke(cli.app, [command, "--help"], prog_name="handouts")
    one = runner.invoke(alone, [command, "--help"], prog_name="handouts")
    assert whole.exit_code == one.exit_code == 0
    assert one.output == whole.output

