"""Any treatment: one with only the sections every treatment has (a hot-stone massage, in
tests/fixtures/) is made at every kind, size and language, names no body part it does not
treat, leaves no blank band in the middle of a page, and its flyers and cards carry its name.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pypdfium2 as pdfium
import pytest

from handouts.content.load import Library
from tests.conftest import REPO, SHIPPED_DATA, SHIPPED_FONTS
from tests.email_reading import eml_files, parse_eml, parts, read_html
from tests.pdf_reading import squashed, text

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "hot-stone-massage"
SLUG = "hot-stone-massage"
LANGS = ("en", "vi", "ko", "ja")
NAMES = {"en": "Hot stone massage", "vi": "Massage đá nóng", "ko": "핫스톤 마사지",
         "ja": "ホットストーンマッサージ"}
#: Words for feet, heels and calves: a hot-stone massage of the back and shoulders has none.
FOOT_WORDS = {"en": ("feet", "foot", "heel", "calf", "calves"), "vi": ("chân", "gót"),
              "ko": ("발",), "ja": ("足",)}
#: Flyer sizes made by `handouts flyer` (A5 and half-letter come from `build`).
FLYER_SIZES = ("a4", "a6", "letter")
BAND_MM = 35
DPI = 72


def _run(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    return subprocess.run([sys.executable, "-m", "handouts", *args], cwd=cwd,
                          capture_output=True, text=True, env=env, timeout=300)


@pytest.fixture(scope="module")
def made(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A project whose only treatment is the fixture, and everything made from it: the
    catalogue on A4 and on Letter, flyers at every other size, a day's sheets and emails."""
    root = tmp_path_factory.mktemp("any-treatment")
    shutil.copytree(SHIPPED_DATA, root / "data")
    shutil.rmtree(root / "data" / "treatments")  # the shipped samples, one of the same name
    shutil.copytree(FIXTURE, root / "data" / "treatments" / SLUG)
    (root / "fonts").symlink_to(SHIPPED_FONTS, target_is_directory=True)
    rows = ["client,treatment,lang,therapist,date,email,notes,next_visit"]
    rows += [f"Client {lang},{SLUG},{lang},Linh,2099-11-24,{lang}@example.com,"
             f"Warm shoulders tonight.,+1w" for lang in LANGS]
    (root / "day.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    commands = [("build", "--out", "out"), ("build", "--paper", "letter", "--out", "letter"),
                ("aftercare", "--from", "day.csv", "--out", "sheets"),
                ("email", "--from", "day.csv", "--eml", "outbox", "--log", "sent.jsonl")]
    commands += [("flyer", SLUG, "--size", size, "--lang", lang, "-o",
                  f"flyers/{SLUG}-flyer-{size}-{lang}.pdf")
                 for size in FLYER_SIZES for lang in LANGS]
    (root / "flyers").mkdir()
    for command in commands:
        result = _run(root, *command)
        assert result.returncode == 0, (command, result.stdout, result.stderr)
    return root


def _pdfs(made: Path) -> list[Path]:
    return sorted(p for folder in ("out", "letter", "sheets", "flyers")
                  for p in (made / folder).glob("*.pdf"))


def _flyers(made: Path) -> list[Path]:
    return [p for p in _pdfs(made) if "-flyer-" in p.name]


def _lang(path: Path) -> str:
    """A PDF's language, from its name: `...-en.pdf`, or `...-aftercare-en-<client>...`."""
    return next(lang for lang in LANGS if f"-{lang}-" in f"{path.stem}-")


def _client_lang(plain: str) -> str:
    """The language of an email to `Client <lang>`."""
    return next(lang for lang in LANGS if f"Client {lang}" in plain)


def test_a_treatment_with_only_the_required_sections_is_made_at_every_kind_size_and_language(
        made: Path) -> None:
    """Aftercare on A4 and Letter, flyers at A4, A5, A6, Letter and half-letter, a
    personalised sheet and an email, in each of the fixture's four languages."""
    names = {p.name for p in _pdfs(made)}
    for lang in LANGS:
        assert {f"{SLUG}-aftercare-{lang}.pdf", f"{SLUG}-flyer-{lang}.pdf"} <= names
        for size in FLYER_SIZES:
            assert f"{SLUG}-flyer-{size}-{lang}.pdf" in names
    assert len(list((made / "sheets").glob("*.pdf"))) == len(LANGS)
    # a handout and a flyer, and the menu at Letter and half-letter, in each language
    assert len(list((made / "letter").glob("*.pdf"))) == 4 * len(LANGS)
    assert len(eml_files(made / "outbox")) == len(LANGS)


def test_no_page_or_email_names_a_body_part_the_treatment_does_not_treat(
        made: Path, shipped_library: Library) -> None:
    """The home-care heading is the labels' neutral one; no foot words anywhere."""
    for pdf in _pdfs(made):
        lang = _lang(pdf)
        words = text(pdf)
        for foot in FOOT_WORDS[lang]:
            assert foot not in words.lower(), (pdf.name, foot)
        if "-aftercare-" in pdf.name:  # a flyer or a menu has no home-care heading
            heading = shipped_library.labels[lang].sections.home_care
            assert squashed(heading) in squashed(words), (pdf.name, heading)
    for eml in eml_files(made / "outbox"):
        plain, html, _ = parts(parse_eml(eml.read_bytes()))
        lang = _client_lang(plain)
        shown = plain + read_html(html).text
        for foot in FOOT_WORDS[lang]:
            assert foot not in shown.lower(), (eml.name, foot)


def test_a_missing_section_prints_nothing_not_even_its_heading(
        made: Path, shipped_library: Library) -> None:
    """No heading of a section the treatment leaves out, on paper or in the email; the
    email's warning panel gives the precautions when there are no doctor's signs."""
    for lang in LANGS:
        s = shipped_library.labels[lang].sections
        absent = (s.how_it_helps, s.benefits, s.muscles, s.stretches, s.see_doctor, s.faq)
        for pdf in (made / "out" / f"{SLUG}-aftercare-{lang}.pdf",
                    next((made / "sheets").glob(f"{SLUG}-aftercare-{lang}-*.pdf"))):
            words = squashed(text(pdf))
            for heading in absent:
                assert squashed(heading) not in words, (pdf.name, heading)
    for eml in eml_files(made / "outbox"):
        plain, _, _ = parts(parse_eml(eml.read_bytes()))
        lang = _client_lang(plain)
        s = shipped_library.labels[lang].sections
        assert s.see_doctor not in plain and s.precautions in plain, eml.name


def _blank_bands_mm(pdf: Path) -> list[list[float]]:
    """Per page, the height of every run of blank (paper-white) rows between the first and
    the last row PDFium draws anything on, top to bottom."""
    bands: list[list[float]] = []
    document = pdfium.PdfDocument(pdf)
    try:
        for page in document:
            grey = page.render(scale=DPI / 72).to_pil().convert("L")
            width, height = grey.size
            pixels = grey.load()
            assert pixels is not None
            inked = [any(pixels[x, y] < 245 for x in range(width)) for y in range(height)]
            rows = [y for y, ink in enumerate(inked) if ink]
            runs: list[float] = []
            run = 0
            for y in range(rows[0], rows[-1] + 1):
                if inked[y]:
                    if run:
                        runs.append(run / DPI * 25.4)
                    run = 0
                else:
                    run += 1
            bands.append(runs)
    finally:
        document.close()
    return bands


def test_no_blank_band_taller_than_35_mm_inside_a_page(made: Path) -> None:
    """Only below the last block of a handout's last page (above its footer) may the paper
    stay blank; a flyer or card spreads its story down to its contact panel."""
    for pdf in _pdfs(made):
        pages = _blank_bands_mm(pdf)
        if "-flyer-" not in pdf.name:
            pages[-1] = pages[-1][:-1]  # below the last block, above the footer
        for number, runs in enumerate(pages, start=1):
            assert all(run <= BAND_MM for run in runs), (pdf.name, number, runs)


def test_flyers_and_cards_print_the_treatment_name(made: Path, flyers: dict[str, Path],
                                                   shipped_library: Library) -> None:
    """The fixture's flyers in every language, and the shipped one at every size and sheet."""
    for pdf in _flyers(made):
        assert squashed(NAMES[_lang(pdf)]) in squashed(text(pdf)), pdf.name
    name = shipped_library.treatments["plantar-fasciitis"]["en"].name
    for size, pdf in flyers.items():  # once on every copy of an imposed sheet
        words = squashed(text(pdf))
        assert words.count(squashed(name)) == words.count("Chatwithus") > 0, size


def test_the_shipped_treatment_keeps_its_foot_words_through_its_own_files(
        shipped_library: Library, aftercare_en: Path) -> None:
    """Plantar fasciitis sets its own home-care heading and condition pictogram; the labels'
    heading and the brand's pictogram are the neutral defaults."""
    plantar = shipped_library.treatments["plantar-fasciitis"]
    for lang in LANGS:
        assert plantar[lang].home_care.title is not None
        assert plantar[lang].home_care.title != shipped_library.labels[lang].sections.home_care
    assert "Caring for your feet at home" in text(aftercare_en)
    assert shipped_library.labels["en"].sections.home_care == "Caring for yourself at home"
    own = plantar["en"].pictograms
    assert own is not None and own.condition != shipped_library.brand.pictograms.condition
    default = (SHIPPED_DATA / str(shipped_library.brand.pictograms.condition)).read_text()
    assert "footsteps" not in default
