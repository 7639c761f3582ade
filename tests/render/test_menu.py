"""The menu: every treatment of the catalogue on one sheet per language, at A4 and A5, with
its length, price, pitch and pictogram, the spa's contact codes, tagged for screen readers;
a treatment not yet translated is left off that language's menu, and the build says so."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from pypdf import PdfReader

from handouts.content.channels import contact_url
from handouts.content.load import Library, load_library
from handouts.render.localise import format_price
from handouts.render.menu import pitch_of
from tests.conftest import REPO, SHIPPED_DATA, SHIPPED_FONTS
from tests.pdf_reading import qr_texts, squashed, text
from tests.structure_reading import read

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "hot-stone-massage"
LANGS = ("en", "vi", "ko", "ja")
SIZES = ("a4", "a5")
#: A third treatment, made from the fixture: a price wider than the others, and a pitch.
THIRD = "head-and-shoulder"
THIRD_WORDS = {
    "en": ("Head and shoulder massage",
           "Slow, warm pressure on the neck, shoulders and scalp after a long day."),
    "vi": ("Massage đầu và vai", "Ấn chậm và ấm lên cổ, vai và da đầu sau một ngày dài."),
    "ko": ("머리와 어깨 마사지", "긴 하루 끝에 목과 어깨와 두피를 천천히 따뜻하게 풀어 드려요."),
    "ja": ("ヘッド＆ショルダーマッサージ",
           "長い一日の後に、首・肩・頭皮をゆっくり温かくほぐします。"),
}


def _run(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    return subprocess.run([sys.executable, "-m", "handouts", *args], cwd=cwd,
                          capture_output=True, text=True, env=env, timeout=300)


def _project(root: Path) -> Path:
    """The shipped content with plantar fasciitis as its one treatment: tests add the others."""
    shutil.copytree(SHIPPED_DATA, root / "data")
    for folder in (root / "data" / "treatments").iterdir():
        if folder.name != "plantar-fasciitis":
            shutil.rmtree(folder)
    (root / "fonts").symlink_to(SHIPPED_FONTS, target_is_directory=True)
    return root


@pytest.fixture(scope="module")
def menus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A project of three treatments (the shipped one, the hot-stone fixture with no price,
    length or pitch, and a third with its own), built by `handouts build`."""
    root = _project(tmp_path_factory.mktemp("menu"))
    treatments = root / "data" / "treatments"
    shutil.copytree(FIXTURE, treatments / "hot-stone-massage")
    shutil.copytree(FIXTURE, treatments / THIRD)
    for lang, (name, pitch) in THIRD_WORDS.items():
        path = treatments / THIRD / f"{lang}.yaml"
        path.write_text(re.sub(r"^name: .*$", f"name: {name}\npitch: {pitch}",
                               path.read_text(encoding="utf-8"), count=1, flags=re.M),
                        encoding="utf-8")
    (treatments / THIRD / "facts.yaml").write_text("duration_minutes: 90\nprice: 1250000\n",
                                                   encoding="utf-8")
    result = _run(root, "build", "--out", "out")
    assert result.returncode == 0, result.stderr
    return root


def test_the_menu_lists_every_treatment_with_its_length_and_price_in_every_language(
        menus: Path) -> None:
    library = load_library(menus / "data", SHIPPED_FONTS)
    assert sorted(library.treatments) == ["head-and-shoulder", "hot-stone-massage",
                                          "plantar-fasciitis"]
    for lang in LANGS:
        labels = library.labels[lang]
        for size in SIZES:
            printed = squashed(text(menus / "out" / f"menu-{lang}-{size}.pdf"))
            assert squashed(labels.menu.title) in printed, (lang, size)
            for slug, by_lang in library.treatments.items():
                treatment = by_lang[lang]
                # the hot-stone fixture has no pitch: its flyer's headline stands in
                for words in (treatment.name, pitch_of(treatment)):
                    assert squashed(words) in printed, (lang, size, slug, words)
                if treatment.price is not None:
                    assert squashed(format_price(treatment.price, labels)) in printed, \
                        (lang, size, slug)
                if treatment.duration_minutes:
                    minutes = labels.duration.format(minutes=treatment.duration_minutes)
                    assert squashed(minutes) in printed, (lang, size, slug)


def test_the_menu_codes_open_the_spa_channels(menus: Path, shipped_library: Library) -> None:
    wanted = sorted(contact_url(channel) for channel in shipped_library.brand.channels)
    for lang in LANGS:
        for size in SIZES:
            assert sorted(qr_texts(menus / "out" / f"menu-{lang}-{size}.pdf")) == wanted, \
                (lang, size)


@pytest.mark.parametrize("lang", LANGS)
def test_a_screen_reader_meets_the_title_then_each_treatment_then_the_contacts(
        menus: Path, lang: str) -> None:
    library = load_library(menus / "data", SHIPPED_FONTS)
    labels = library.labels[lang]
    names = [library.treatments[slug][lang].name for slug in sorted(library.treatments)]
    for size in SIZES:
        root = read(menus / "out" / f"menu-{lang}-{size}.pdf").root
        headings = [(e.role, squashed(e.text)) for e in root.walk()
                    if re.fullmatch(r"H\d", e.role)]
        assert headings == [("H1", squashed(labels.menu.title)),
                            *(("H2", squashed(name)) for name in names),
                            ("H2", squashed(labels.flyer.book))], (lang, size)


def test_an_untranslated_treatment_is_left_off_that_languages_menu_and_named(
        tmp_path: Path) -> None:
    root = _project(tmp_path)
    (root / "data" / "treatments" / "hot-stone-massage").mkdir()
    for lang in ("en", "vi"):
        shutil.copy(FIXTURE / f"{lang}.yaml", root / "data" / "treatments" /
                    "hot-stone-massage" / f"{lang}.yaml")
    result = _run(root, "build", "--out", "out")
    assert result.returncode == 0, result.stderr
    assert "hot-stone-massage: not yet translated into ja, ko; left off the ja, ko menus" \
        in result.stdout.splitlines(), result.stdout
    library = load_library(root / "data", SHIPPED_FONTS)
    hot_stone = library.treatments["hot-stone-massage"]
    for size in SIZES:
        for lang in LANGS:
            printed = squashed(text(root / "out" / f"menu-{lang}-{size}.pdf"))
            # never a mixed-language menu: no English stand-in for the missing translation
            on_it = [treatment.name for treatment in hot_stone.values()
                     if squashed(treatment.name) in printed]
            assert on_it == ([hot_stone[lang].name] if lang in hot_stone else []), \
                (lang, size)
            assert squashed(library.treatments["plantar-fasciitis"][lang].name) in printed


def test_a_menu_longer_than_its_page_runs_on_with_every_treatment_once_in_order(
        tmp_path: Path) -> None:
    """Twelve treatments do not fit one A5 page even without their pitches: the menu runs
    on to a second page (each with the brand and the codes, as a folded card), in order."""
    root = _project(tmp_path)
    treatments = root / "data" / "treatments"
    for number in range(1, 12):
        folder = treatments / f"plantar-fasciitis-{number:02d}"  # listed by their folder
        shutil.copytree(treatments / "plantar-fasciitis", folder)
        path = folder / "en.yaml"
        path.write_text(re.sub(r"^name: (.*)$", rf"name: \1 No. {number:02d}",
                               path.read_text(encoding="utf-8"), count=1, flags=re.M),
                        encoding="utf-8")
    result = _run(root, "build", "--out", "out", "--lang", "en")
    assert result.returncode == 0, result.stderr
    reader = PdfReader(root / "out" / "menu-en-a5.pdf")
    assert len(reader.pages) == 2
    pages = [squashed(page.extract_text()) for page in reader.pages]
    names = [squashed(f"Plantar fasciitis foot massage No. {n:02d}") for n in range(1, 12)]
    printed = "".join(pages)
    assert all(printed.count(name) == 1 for name in names)
    assert sorted(names, key=printed.index) == names  # read in the order they are listed
    assert all(squashed("L Spa Da Nang") in page for page in pages)
    assert len(PdfReader(root / "out" / "menu-en-a4.pdf").pages) == 1  # room on A4
