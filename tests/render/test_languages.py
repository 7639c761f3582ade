"""Every language: its own words, its own font, no missing glyph, native line breaking."""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from io import BytesIO
from pathlib import Path
from subprocess import CompletedProcess

import pytest
from pypdf import PdfReader
from reportlab.pdfgen.canvas import Canvas

from handouts.content.channels import contact_url
from handouts.content.load import Library
from handouts.render.fonts import register_family
from handouts.render.inline import plain
from tests.conftest import SHIPPED_MENUS, SHIPPED_TREATMENTS
from tests.editing import edit, line_of
from tests.pdf_reading import notdef_characters, qr_texts, squashed, text

LANGS = ("en", "vi", "ko", "ja")
KINDS = ("aftercare", "flyer")
Run = Callable[..., CompletedProcess[str]]


def nfc(value: str) -> str:
    return unicodedata.normalize("NFC", squashed(value))


@pytest.mark.parametrize("lang", LANGS)
def test_aftercare_holds_the_translated_titles_and_labels(lang: str, shipped_out: Path,
                                                          shipped_library: Library) -> None:
    page_text = nfc(text(shipped_out / f"plantar-fasciitis-aftercare-{lang}.pdf"))
    treatment = shipped_library.treatments["plantar-fasciitis"][lang]
    labels = shipped_library.labels[lang]
    for words in [*(s.title for s in treatment.steps), labels.sections.steps,
                  labels.sections.benefits, labels.sections.faq, labels.sections.precautions,
                  labels.aftercare, *(q.question for q in treatment.faq)]:
        assert nfc(plain(words)) in page_text, words


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("kind", KINDS)
def test_lang_metadata_matches_the_language(lang: str, kind: str, shipped_out: Path) -> None:
    reader = PdfReader(shipped_out / f"plantar-fasciitis-{kind}-{lang}.pdf")
    assert reader.trailer["/Root"]["/Lang"] == lang


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("kind", KINDS)
def test_codes_decode_and_page_limits_hold(lang: str, kind: str, shipped_out: Path,
                                           shipped_library: Library) -> None:
    pdf = shipped_out / f"plantar-fasciitis-{kind}-{lang}.pdf"
    assert shipped_library.brand is not None
    assert qr_texts(pdf) == sorted(contact_url(ch) for ch in shipped_library.brand.channels)
    assert len(PdfReader(pdf).pages) <= (2 if kind == "aftercare" else 1)


def test_no_shipped_pdf_draws_a_character_as_notdef(shipped_out: Path) -> None:
    pdfs = sorted(shipped_out.glob("*.pdf"))
    assert len(pdfs) == len(SHIPPED_TREATMENTS) * len(LANGS) * len(KINDS) + len(SHIPPED_MENUS)
    for pdf in pdfs:
        assert notdef_characters(pdf) == [], pdf.name


def test_notdef_check_catches_a_missing_glyph(shipped_library: Library) -> None:
    assert shipped_library.fonts is not None
    family = register_family("noto-sans", shipped_library.fonts, shipped_library.fonts_dir)
    out = BytesIO()
    canvas = Canvas(out, initialFontName=family.regular)
    canvas.setFont(family.regular, 12)
    canvas.drawString(72, 72, "A가")  # Noto Sans has no Hangul: ReportLab writes code 0
    canvas.save()
    path = Path(shipped_library.data_dir.parent / "out-notdef.pdf")
    try:
        path.write_bytes(out.getvalue())
        assert notdef_characters(path) != []
    finally:
        path.unlink()


def test_japanese_lines_never_start_with_closing_punctuation(shipped_out: Path) -> None:
    for kind in KINDS:
        lines = text(shipped_out / f"plantar-fasciitis-{kind}-ja.pdf").splitlines()
        assert len(lines) > 10
        starts = [line for line in lines if line.strip()[:1] in ("、", "。", "」", "）")]
        assert starts == []


def test_vietnamese_is_nfc_normalised_and_keeps_every_diacritic(project: Path,
                                                               run: Run) -> None:
    vi = project / "data" / "treatments" / "plantar-fasciitis" / "vi.yaml"
    title = "Đau gót chân khi mới bước đi?"
    decomposed = unicodedata.normalize("NFD", title)
    assert decomposed != title
    edit(vi, f"headline: {title}", f"headline: {decomposed}")
    result = run("flyer", "plantar-fasciitis", "--lang", "vi", "-o", "vi.pdf")
    assert result.returncode == 0, result.stderr
    page = text(project / "vi.pdf")
    assert title in page
    assert notdef_characters(project / "vi.pdf") == []


def test_a_character_the_fonts_lack_is_an_error_naming_it_and_its_line(project: Path,
                                                                       en_yaml: Path,
                                                                       run: Run) -> None:
    # English is drawn in Noto Sans, which has no Hangul; without its fallbacks to the
    # Korean and Japanese fonts, a Korean word in English content cannot be drawn.
    edit(project / "data" / "fonts.yaml", "    fallbacks: [nanum-gothic, ipaex-gothic]\n", "")
    edit(en_yaml, "    title: Warm-up\n", "    title: Warm-up 가볍게\n")
    result = run("build", "--lang", "en")
    assert result.returncode == 1
    line = line_of(en_yaml, "Warm-up 가볍게")
    assert f"data/treatments/plantar-fasciitis/en.yaml:{line}:" in result.stderr
    assert "U+AC00 '가'" in result.stderr
    assert not (project / "out" / "plantar-fasciitis-aftercare-en.pdf").exists()


def test_validate_reports_keys_a_translation_lacks(project: Path, run: Run) -> None:
    vi = project / "data" / "treatments" / "plantar-fasciitis" / "vi.yaml"
    edit(vi, "  title: Chăm sóc chân tại nhà\n", "")  # an optional key English has
    result = run("validate")
    assert result.returncode == 1
    assert "data/treatments/plantar-fasciitis/vi.yaml:" in result.stderr
    assert "missing key 'home_care.title'" in result.stderr


def test_a_korean_word_in_english_is_drawn_by_the_fallback_font(project: Path, en_yaml: Path,
                                                                run: Run) -> None:
    edit(en_yaml, "    title: Warm-up\n", "    title: Warm-up 가볍게\n")
    result = run("build", "--lang", "en")
    assert result.returncode == 0, result.stderr
    pdf = project / "out" / "plantar-fasciitis-aftercare-en.pdf"
    assert "가볍게" in text(pdf)  # the title wraps beside its badge and pictogram
    assert notdef_characters(pdf) == []


def test_a_character_no_font_has_is_an_error(project: Path, en_yaml: Path, run: Run) -> None:
    edit(en_yaml, "    title: Warm-up\n", "    title: Warm-up \U0001F9B6\n")
    result = run("validate")
    assert result.returncode == 1
    assert f"en.yaml:{line_of(en_yaml, 'Warm-up')}:" in result.stderr
    assert "U+1F9B6" in result.stderr


@pytest.mark.parametrize("lang", LANGS)
def test_every_language_fits_us_letter(lang: str, shipped_library: Library) -> None:
    from handouts.catalogue.document import render_job
    from handouts.catalogue.plan import Job

    pdf = render_job(shipped_library, Job("plantar-fasciitis", "aftercare", lang), "letter")
    assert len(PdfReader(BytesIO(pdf)).pages) == 2
