"""The reception flyer: one page per size, the right boxes, every code scannable."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from subprocess import CompletedProcess

import pypdfium2 as pdfium
import pytest
from pypdf import PdfReader
from reportlab.lib.pagesizes import A4, A5, A6, letter
from reportlab.lib.units import mm

from handouts.content.channels import contact_url
from handouts.content.load import Library
from handouts.render.inline import plain
from tests.conftest import SHIPPED_TREATMENTS
from tests.pdf_reading import body_size, lines, links, qr_codes, qr_texts, runs, squashed, text
from tests.structure_reading import read

SIZES = {"a4": A4, "a5": A5, "a6": A6, "letter": letter}


def urls(library: Library) -> list[str]:
    assert library.brand is not None
    return sorted(contact_url(ch) for ch in library.brand.channels)


@pytest.mark.parametrize("size", SIZES)
def test_flyer_is_one_page_with_media_trim_and_bleed_boxes(size: str,
                                                           flyers: dict[str, Path]) -> None:
    reader = PdfReader(flyers[size])
    assert len(reader.pages) == 1
    page = reader.pages[0]
    w, h = SIZES[size]
    for box in (page.mediabox, page.trimbox, page.bleedbox):
        assert [float(v) for v in box] == pytest.approx([0, 0, w, h], abs=0.01)


def test_bleed_grows_the_media_and_insets_the_trim(flyers: dict[str, Path]) -> None:
    page = PdfReader(flyers["a5-bleed"]).pages[0]
    w, h = A5
    b = 3 * mm
    assert [float(v) for v in page.mediabox] == pytest.approx([0, 0, w + 2 * b, h + 2 * b],
                                                              abs=0.01)
    assert [float(v) for v in page.bleedbox] == pytest.approx([0, 0, w + 2 * b, h + 2 * b],
                                                              abs=0.01)
    assert [float(v) for v in page.trimbox] == pytest.approx([b, b, w + b, h + b], abs=0.01)


def test_backgrounds_run_past_the_trim_into_the_bleed(flyers: dict[str, Path],
                                                     shipped_library: Library) -> None:
    assert shipped_library.brand is not None
    primary = shipped_library.brand.colours.primary
    tint = shipped_library.brand.colours.tint
    document = pdfium.PdfDocument(str(flyers["a5-bleed"]))
    image = document[0].render(scale=1).to_pil().convert("RGB")
    document.close()
    corner_top = image.getpixel((1, 1))          # inside the 3 mm bleed, top left
    corner_bottom = image.getpixel((1, image.height - 2))

    def hex_of(rgb: tuple[int, int, int]) -> str:
        return "#{:02X}{:02X}{:02X}".format(*rgb)

    assert hex_of(corner_top) == primary
    assert hex_of(corner_bottom) == tint


def test_flyer_says_what_the_content_says(flyers: dict[str, Path],
                                          shipped_library: Library) -> None:
    treatment = shipped_library.treatments["plantar-fasciitis"]["en"]
    assert treatment.flyer.steps is not None
    everything = [treatment.flyer.headline, treatment.flyer.pitch, "60 minutes",
                  "₫450,000", *treatment.flyer.steps]
    benefits = [b.title for b in treatment.benefits]
    for size, words_shown in (("a4", everything + benefits), ("letter", everything + benefits),
                              ("a5", everything)):
        page = squashed(text(flyers[size]))
        for words in words_shown:
            assert squashed(plain(words)) in page, (size, words)


def test_a5_leaves_the_benefits_to_the_pitch(flyers: dict[str, Path],
                                             shipped_library: Library) -> None:
    """A5 spends its room on large type and the codes; A4 and Letter list the benefits."""
    page = squashed(text(flyers["a5"]))
    for benefit in shipped_library.treatments["plantar-fasciitis"]["en"].benefits:
        assert squashed(benefit.title) not in page


@pytest.mark.parametrize("size", SIZES)
def test_every_flyer_code_decodes_and_links(size: str, flyers: dict[str, Path],
                                            shipped_library: Library) -> None:
    assert shipped_library.brand is not None
    # an A6 card keeps a code for the channels brand.yaml marks `small_card: code`
    expected = sorted(contact_url(ch) for ch in shipped_library.brand.channels
                      if size != "a6" or ch.primary or ch.small_card == "code")
    assert qr_texts(flyers[size]) == expected
    # every channel stays reachable: one without a code on A6 is a tappable mark and handle
    assert sorted(link.uri for link in links(flyers[size])) == urls(shipped_library)
    assert all(code.width_mm >= 19.8 for code in qr_codes(flyers[size], dpi=300))


def test_a6_fits_without_going_below_the_body_floor(flyers: dict[str, Path],
                                                    shipped_library: Library) -> None:
    # The A6 card keeps only what `flyer.a6_sections` lists (none in the shipped content):
    # its five 20 mm codes need about 80 mm of its 148 mm, and the pitch needs 18 mm more
    # than is left. What it prints as running text (address, hours) is at or above the
    # 9 pt floor; only the QR captions are smaller, and never below 7 pt.
    assert shipped_library.brand is not None
    drawn = runs(flyers["a6"])
    address = [r for r in drawn if r.text.strip() and r.text.strip() in
               shipped_library.brand.address]
    assert address and min(r.size for r in address) >= 9.0
    assert min(r.size for r in drawn) >= 7.0
    assert len(PdfReader(flyers["a6"]).pages) == 1


def test_shipped_flyers_keep_the_body_floor(shipped_out: Path) -> None:
    for pdf in shipped_out.glob("*-flyer-*.pdf"):
        assert body_size(pdf) >= 9.0, pdf.name
    for pdf in shipped_out.glob("*-aftercare-*.pdf"):
        assert body_size(pdf) >= 10.5, pdf.name


def test_letter_paper_gives_half_letter_flyers(project: Path, run: Callable[..., object]
                                               ) -> None:
    """A5's counterpart beside US Letter handouts is half-letter (5.5 x 8.5 in), and two of
    them are imposed on one Letter sheet."""
    built = run("build", "--lang", "en", "--paper", "letter")
    assert built.returncode == 0, built.stderr  # type: ignore[attr-defined]
    flyer = PdfReader(project / "out" / "plantar-fasciitis-flyer-en.pdf").pages[0]
    assert [float(v) for v in flyer.trimbox] == pytest.approx([0, 0, 396, 612], abs=0.01)
    sheet = run("flyer", "plantar-fasciitis", "--size", "half-letter", "--n-up", "2",
                "--crop-marks")
    assert sheet.returncode == 0, sheet.stderr  # type: ignore[attr-defined]
    page = PdfReader(project / "plantar-fasciitis-flyer-en-half-letter-2up.pdf").pages[0]
    assert [float(v) for v in page.mediabox] == pytest.approx([0, 0, 792, 612], abs=0.01)
    assert len(qr_texts(project / "plantar-fasciitis-flyer-en-half-letter-2up.pdf")) == 10


@pytest.mark.parametrize("lang", ["en", "vi", "ko", "ja"])
def test_each_session_number_stands_level_with_its_first_line(shipped_out: Path,
                                                              shipped_library: Library,
                                                              lang: str) -> None:
    treatment = shipped_library.treatments["plantar-fasciitis"][lang]
    steps = treatment.flyer.steps or [s.title for s in treatment.steps]
    drawn = runs(shipped_out / f"plantar-fasciitis-flyer-{lang}.pdf")
    for number, step in enumerate(steps, start=1):
        badge = next(r for r in drawn if r.text.strip() == str(number))
        first = min((r for r in drawn if badge.x < r.x < badge.x + 20 * mm and squashed(r.text)
                     and squashed(plain(step)).startswith(squashed(r.text)[:3])),
                    key=lambda r: abs(r.y - badge.y))
        assert abs(first.y - badge.y) < 1.0, (lang, number, first, badge)


def test_a_wrapped_session_step_never_pushes_the_column_beside_it(shipped_out: Path) -> None:
    """On the Japanese A5 flyer the session reads down two columns and step 5 wraps: steps
    1 to 3 (one line each) still sit one line apart, and the columns start level."""
    drawn = runs(shipped_out / "plantar-fasciitis-flyer-ja.pdf")
    badge = {number: next(r for r in drawn if r.text.strip() == str(number))
             for number in range(1, 6)}
    assert badge[1].y == pytest.approx(badge[4].y, abs=0.5)
    assert badge[1].y - badge[2].y == pytest.approx(badge[2].y - badge[3].y, abs=0.5), badge


@pytest.mark.parametrize("size", SIZES)
def test_codes_stand_apart_and_clear_of_the_cut(size: str, flyers: dict[str, Path]) -> None:
    page_w, page_h = SIZES[size]
    tiles = [link.rect for link in links(flyers[size])]
    for i, (x0, y0, x1, y1) in enumerate(tiles):
        assert 5 * mm - 0.5 <= x0 and x1 <= page_w - 5 * mm + 0.5, (size, x0, x1)
        assert 5 * mm - 0.5 <= y0 and y1 <= page_h - 5 * mm + 0.5, (size, y0, y1)
        for a0, b0, a1, b1 in tiles[i + 1:]:
            side_by_side = min(y1, b1) - max(y0, b0) > 0
            if side_by_side:
                gap = max(a0 - x1, x0 - a1)
                assert gap >= 2 * mm, (size, gap / mm)


def _brand_with(project: Path, old: str, new: str) -> None:
    brand = project / "data" / "brand.yaml"
    text = brand.read_text(encoding="utf-8")
    assert old in text
    brand.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.mark.parametrize("size", ["a4", "a5", "letter"])
def test_a_long_handle_never_lets_codes_touch(size: str, project: Path,
                                              run: Callable[..., CompletedProcess[str]]
                                              ) -> None:
    _brand_with(project, "    name: L Spa Da Nang\n",
                "    name: L Spa Da Nang Foot & Body Massage\n")
    result = run("flyer", "plantar-fasciitis", "--size", size, "-o", "f.pdf")
    if result.returncode:  # no room for the wider tiles: a clear refusal, never an overlap
        assert result.returncode == 1 and "Traceback" not in result.stderr, result.stderr
        assert "does not fit" in result.stderr
        return
    flyer = project / "f.pdf"
    tiles = sorted(link.rect for link in links(flyer))
    for i, (x0, y0, x1, y1) in enumerate(tiles):
        for a0, b0, a1, b1 in tiles[i + 1:]:
            if min(y1, b1) - max(y0, b0) > 0:
                assert max(a0 - x1, x0 - a1) >= 2 * mm, size
    assert len(qr_texts(flyer, dpi=200)) == 5


def test_a_handle_wider_than_its_room_is_refused_naming_it(
        project: Path, run: Callable[..., CompletedProcess[str]]) -> None:
    handle = "L Spa Da Nang " + "Wellness " * 12
    _brand_with(project, "    name: L Spa Da Nang\n", f"    name: {handle.strip()}\n")
    result = run("flyer", "plantar-fasciitis", "--size", "a6", "-o", "f.pdf")
    assert result.returncode == 1 and "Traceback" not in result.stderr, result.stderr
    assert "shorten it in brand.yaml" in result.stderr
    assert not (project / "f.pdf").exists()


def test_a_sixth_channel_on_a6_is_a_clear_refusal_not_a_crash(
        project: Path, run: Callable[..., CompletedProcess[str]]) -> None:
    _brand_with(project, "    small_card: handle\n  - kind: phone",
                "    small_card: handle\n  - kind: email\n    address: hi@lspa.vn\n"
                "  - kind: phone")
    result = run("flyer", "plantar-fasciitis", "--size", "a6", "-o", "f.pdf")
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr and "does not fit 1 page of A6" in result.stderr
    assert "contact panel at the foot, with 6 channels" in result.stderr


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_the_price_stays_on_one_line_when_the_type_is_large(
        lang: str, project: Path, run: Callable[..., CompletedProcess[str]],
        shipped_library: Library) -> None:
    from handouts.render.flyer import price_text

    # four channels leave the A6 card room for larger type, and a price too wide for its
    # column beside the picture
    _brand_with(project, '  - kind: phone\n    number: "+84 236 3123 456"\n'
                "    mark: art/channels/phone.svg\n    small_card: handle\n", "")
    result = run("flyer", "plantar-fasciitis", "--size", "a6", "--lang", lang, "-o", "f.pdf")
    assert result.returncode == 0, result.stderr
    treatment = shipped_library.treatments["plantar-fasciitis"][lang]
    price = squashed(price_text(treatment, shipped_library.labels[lang]).replace("\xa0", " "))
    assert any(price in squashed(line.replace("\xa0", " ")) for line in lines(project / "f.pdf"))


#: How each shipped language names a menu: the spa menu's word, never a one-treatment flyer's.
MENU_WORD = {"en": "menu", "vi": "bảng giá", "ko": "메뉴", "ja": "メニュー"}


@pytest.mark.parametrize("lang", MENU_WORD)
def test_a_flyer_of_one_treatment_never_calls_itself_a_menu(lang: str,
                                                            shipped_out: Path) -> None:
    for flyer in shipped_out.glob(f"*-flyer-{lang}.pdf"):
        assert MENU_WORD[lang] not in text(flyer).lower(), flyer.name


@pytest.mark.parametrize("treatment", SHIPPED_TREATMENTS)
def test_a_flyer_shows_its_hero_drawing(treatment: str, shipped_out: Path,
                                        shipped_library: Library) -> None:
    """A flyer without its focal picture looks plain at the desk: every shipped treatment
    has a hero, placed as a Figure read as its own description, in every language."""
    for lang in ("en", "vi", "ko", "ja"):
        hero_alt = shipped_library.treatments[treatment][lang].flyer.hero_alt
        assert hero_alt, (treatment, lang)
        figures = [e for e in read(shipped_out / f"{treatment}-flyer-{lang}.pdf").root.walk()
                   if e.role == "Figure"]
        assert plain(hero_alt) in {str(f.alt) for f in figures}, (treatment, lang)


def test_the_name_beside_the_hero_keeps_its_words_whole(tmp_path: Path,
                                                        shipped_library: Library) -> None:
    """On the Japanese A6 card the hot stone hero leaves room for the name's one long word:
    ホットストーンマッサージ on one line, not マッサー / ジ."""
    from handouts.catalogue.document import render_job
    from handouts.catalogue.plan import Job
    from handouts.render.kinds import Kind

    pdf = tmp_path / "card.pdf"
    pdf.write_bytes(render_job(shipped_library, Job("hot-stone-massage", Kind.FLYER, "ja"),
                               "a6"))
    name = shipped_library.treatments["hot-stone-massage"]["ja"].name
    assert name in [line.strip() for line in lines(pdf)]
