"""Issue 19, items 10-12 and the habits: `validate` says what `build` will say, at the right
place; languages and treatments are named the way staff name them."""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable
from pathlib import Path
from subprocess import CompletedProcess

from PIL import Image

from tests.conftest import SHIPPED_TREATMENTS
from tests.editing import edit, line_of

Run = Callable[..., CompletedProcess[str]]

INTRO = ("  Thank you for visiting us. Here is what we did, how to care for your feet at\n"
         "  home, and when to take extra care.\n")


def _small_png(project: Path) -> str:
    """A 60-pixel-wide PNG in data/art: far under 200 ppi wherever a handout places it."""
    Image.new("RGB", (60, 40), (200, 120, 90)).save(project / "data" / "art" / "small.png")
    return "art/small.png"


def _long_intro(en_yaml: Path, sentences: int) -> None:
    edit(en_yaml, INTRO, "  " + "Rest your feet and drink water after the massage. " * sentences
         + "\n")


def test_validate_reports_a_picture_too_small_for_its_place(facts_yaml: Path, project: Path,
                                                             run: Run) -> None:
    """Item 10: a PNG under 200 ppi where it is placed fails validate as it fails build."""
    edit(facts_yaml, "image: art/illustrations/plantar-fascia.svg", f"image: {_small_png(project)}")
    result = run("validate", "--lang", "en")
    assert result.returncode == 1, result.stdout
    line = line_of(facts_yaml, "small.png")
    assert f"plantar-fasciitis/facts.yaml:{line}:3: picture 'art/small.png' prints at" \
        in result.stderr, result.stderr


def test_validate_reports_a_section_that_overflows(en_yaml: Path, run: Run) -> None:
    """Item 10: a page that cannot fit fails validate, naming the document, at the line of
    the section that overflows."""
    _long_intro(en_yaml, 120)
    result = run("validate", "--lang", "en")
    assert result.returncode == 1, result.stdout
    assert f"en.yaml:{line_of(en_yaml, 'intro:')}:1: plantar-fasciitis aftercare (en, A4): " \
        "does not fit 2 pages" in result.stderr, result.stderr


def test_a_treatment_folder_name_too_long_is_reported_and_the_others_still_build(
        en_yaml: Path, project: Path, run: Run) -> None:
    """Item 10: a folder name no PDF file name can hold is a problem validate lists; build
    still makes every other treatment's documents."""
    long_name = "-".join(["foot"] * 50)  # 249 characters
    shutil.copytree(en_yaml.parent, project / "data" / "treatments" / long_name)
    checked = run("validate", "--lang", "en")
    assert checked.returncode == 1, checked.stdout
    assert f"treatments/{long_name}:1:1: treatment folder name is 249 characters" \
        in checked.stderr, checked.stderr
    built = run("build", "--lang", "en")
    assert built.returncode == 1
    assert (project / "out" / "plantar-fasciitis-aftercare-en.pdf").is_file()
    assert (project / "out" / "plantar-fasciitis-flyer-en.pdf").is_file()
    english = len(SHIPPED_TREATMENTS) * 2
    # the English menus, which would list it, wait for it too
    assert f"{english} built, 0 unchanged, 4 failed" in built.stderr, built.stderr
    assert "Traceback" not in built.stderr


def test_an_unknown_language_is_an_error_naming_the_languages_there_are(run: Run) -> None:
    """Item 10: `--lang xx` is refused, not "content OK: 0 documents"."""
    for command in ("validate", "build"):
        result = run(command, "--lang", "xx")
        assert result.returncode == 1, result.stdout
        assert "unknown language 'xx' (there are: en, ja, ko, vi)" in result.stderr, \
            result.stderr


def test_every_brand_and_fonts_problem_is_listed_at_once(project: Path, run: Run) -> None:
    """Item 11: a missing logo is listed beside the brand's other problems, and every
    missing font file beside the others."""
    brand = project / "data" / "brand.yaml"
    text = brand.read_text("utf-8")
    logo = re.search(r"^logo: (.+)$", text, re.M)
    assert logo
    colour = re.search(r"^  primary: .+$", text, re.M)
    assert colour
    brand.write_text(text.replace(logo.group(0), "logo: art/no-such-logo.png")
                     .replace(colour.group(0), '  primary: "teal"'), encoding="utf-8")
    fonts = project / "data" / "fonts.yaml"
    names = re.findall(r"^\s+regular: (\S+)$", fonts.read_text("utf-8"), re.M)
    assert len(names) >= 2
    for name in names[:2]:
        edit(fonts, f"regular: {name}", f"regular: missing-{name}")
    result = run("validate")
    assert result.returncode == 1
    assert "no-such-logo.png' not found" in result.stderr, result.stderr
    assert "primary" in result.stderr
    for name in names[:2]:
        assert f"missing-{name}' not found" in result.stderr, result.stderr


def test_a_broken_english_file_is_named_not_the_lang_option(en_yaml: Path, project: Path,
                                                             run: Run) -> None:
    """Item 12: an error in en.yaml is reported by `flyer` and by a CSV row, not as
    `--lang:1:1: no 'en' version`."""
    edit(en_yaml, "name: Plantar fasciitis foot massage", "nmae: Plantar fasciitis foot massage")
    result = run("flyer", "plantar-fasciitis")
    assert result.returncode == 1
    assert "en.yaml" in result.stderr and "no 'en' version" not in result.stderr, result.stderr
    csv = project / "today.csv"
    csv.write_text("client,treatment,lang,date\nEmma,plantar-fasciitis,en,2026-11-24\n",
                   encoding="utf-8")
    rows = run("aftercare", "--from", str(csv), "--out", "today")
    assert rows.returncode == 1
    assert "en.yaml" in rows.stderr and "no 'en' version" not in rows.stderr, rows.stderr


def test_a_low_resolution_picture_is_blamed_where_it_is_placed(facts_yaml: Path,
                                                                project: Path, run: Run) -> None:
    """Item 12: a small PNG is blamed at the line that places it. Issue 20: pictures are
    facts, written once in facts.yaml, so the Vietnamese documents blame facts.yaml's line,
    not a language file."""
    name = _small_png(project)
    edit(facts_yaml, "image: art/illustrations/plantar-fascia.svg", f"image: {name}")
    result = run("build", "--lang", "vi")
    assert result.returncode == 1
    assert f"facts.yaml:{line_of(facts_yaml, 'small.png')}:3: picture" in result.stderr, \
        result.stderr
    assert "en.yaml" not in result.stderr and "vi.yaml" not in result.stderr, result.stderr


def _overflow(run: Run) -> tuple[str, int]:
    result = run("validate", "--lang", "en")
    found = re.search(r"section '([^']+)'[^.]* overflows by (?:about|at least) (\d+) mm",
                      result.stderr)
    assert found, result.stderr
    return found.group(1), int(found.group(2))


def test_an_overflow_names_its_section_and_grows_with_the_text(en_yaml: Path,
                                                                run: Run) -> None:
    """Item 12: an introduction thousands of characters too long is named, and the size
    reported moves with the text instead of "about 1 mm" of "the first section"."""
    _long_intro(en_yaml, 120)
    section, shorter = _overflow(run)
    assert section == "intro"
    sentence = "Rest your feet and drink water after the massage. "
    edit(en_yaml, sentence * 120, sentence * 240)
    longer_section, longer = _overflow(run)
    assert longer_section == "intro"
    assert longer > shorter + 50, (shorter, longer)


def test_japanese_notes_are_told_how_many_characters_fit(run: Run) -> None:
    """Item 12: notes without spaces are cut anywhere, not only at a space: the count
    given really fits, and one more character does not."""
    notes = "朝晩タオルで足裏をのばし、かかとを冷やしてください。" * 40
    args = ("aftercare", "plantar-fasciitis", "--lang", "ja", "--client", "佐藤",
            "--date", "2026-11-24", "-o", "sheet.pdf")
    refused = run(*args, "--notes", notes)
    assert refused.returncode == 1
    found = re.search(r"about (\d+) of their (\d+) characters fit", refused.stderr)
    assert found, refused.stderr
    fit = int(found.group(1))
    assert fit > 100, refused.stderr
    assert run(*args, "--notes", notes[:fit]).returncode == 0
    assert run(*args, "--notes", notes[:fit + 1]).returncode == 1


def test_a_broken_file_in_another_language_does_not_fail_build_lang(project: Path,
                                                                    run: Run) -> None:
    """Item 12: `build --lang en` with a broken ko file: the count and the exit agree."""
    ko_yaml = project / "data" / "treatments" / "plantar-fasciitis" / "ko.yaml"
    edit(ko_yaml, "name:", "nmae:")
    result = run("build", "--lang", "en")
    assert result.returncode == 0, result.stderr
    # with the English menus
    assert f"{len(SHIPPED_TREATMENTS) * 2 + 2} built, 0 unchanged, 0 failed" in result.stdout


def test_language_codes_in_any_case(project: Path, run: Run) -> None:
    """Habits: `--lang EN`, `ko-kr` and a CSV cell `EN` name the language they spell."""
    english = len(SHIPPED_TREATMENTS) * 2 + 2  # and the menus
    assert f"content OK: {english} document(s)" in run("validate", "--lang", "EN").stdout
    flyer = run("flyer", "plantar-fasciitis", "--lang", "ko-kr")
    assert flyer.returncode == 0, flyer.stderr
    assert (project / "plantar-fasciitis-flyer-ko-a5.pdf").is_file()
    csv = project / "today.csv"
    csv.write_text("client,treatment,lang,date\nEmma,plantar-fasciitis,EN,2026-11-24\n"
                   "Emma,plantar-fasciitis,en,2026-11-24\n", encoding="utf-8")
    rows = run("aftercare", "--from", str(csv), "--out", "today")
    assert rows.returncode == 1  # the second row is the first one again, in other letters
    assert "today.csv:3:1: same client, treatment, language and date as line 2" \
        in rows.stderr, rows.stderr
    assert [p.name.split("-Emma-")[0] for p in (project / "today").glob("*.pdf")] == [
        "plantar-fasciitis-aftercare-en"]


def test_a_treatment_is_named_by_its_title_or_folder(project: Path, run: Run) -> None:
    """Habits: `flyer`, `aftercare` and the CSV take the treatment's name as well as its
    folder; an unknown one lists the treatments there are."""
    flyer = run("flyer", "plantar FASCIITIS foot massage", "--lang", "en")
    assert flyer.returncode == 0, flyer.stderr
    assert (project / "plantar-fasciitis-flyer-en-a5.pdf").is_file()
    sheet = run("aftercare", "足底筋膜炎のフットマッサージ", "--lang", "ja", "--client", "佐藤",
                "--date", "2026-11-24", "-o", "sheet.pdf")
    assert sheet.returncode == 0, sheet.stderr
    csv = project / "today.csv"
    csv.write_text("client,treatment,lang,date\nEmma,Plantar Fasciitis Foot Massage,en,"
                   "2026-11-24\nHoa,hot stone,vi,2026-11-24\n", encoding="utf-8")
    rows = run("aftercare", "--from", str(csv), "--out", "today")
    assert rows.returncode == 1
    assert len(list((project / "today").glob("plantar-fasciitis-aftercare-en-*.pdf"))) == 1
    assert "unknown treatment 'hot stone' (there are: hot-stone-massage (Hot stone massage), " \
        "neck-shoulder-massage (Neck and shoulder massage), plantar-fasciitis " \
        "(Plantar fasciitis foot massage))" in rows.stderr, rows.stderr
