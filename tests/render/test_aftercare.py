"""The English aftercare handout, read back from the PDF as a client and a printer would."""

from __future__ import annotations

from io import BytesIO
from pathlib import Path

import pytest
from pypdf import PdfReader
from reportlab.lib.pagesizes import A4, letter

from handouts.catalogue.document import render_job
from handouts.catalogue.plan import Job
from handouts.content.appointments import Visit
from handouts.content.channels import contact_url
from handouts.content.load import Library
from handouts.render.inline import plain
from tests.pdf_reading import fonts, links, qr_codes, qr_texts, squashed, text


def reading_order(library: Library) -> list[str]:
    """Every step title, benefit, precaution and FAQ question, in the order the YAML has them."""
    t = library.treatments["plantar-fasciitis"]["en"]
    return [
        *(s.title for s in t.steps),
        *(b.title for b in t.benefits),
        *t.precautions,
        *(q.question for q in t.faq),
    ]


def test_content_appears_in_document_order(aftercare_en: Path, shipped_library: Library) -> None:
    page_text = squashed(text(aftercare_en))
    position = 0
    for item in reading_order(shipped_library):
        found = page_text.find(squashed(plain(item)), position)
        assert found >= 0, f"{item!r} missing or out of order"
        position = found


def test_labels_and_brand_come_from_data(aftercare_en: Path, shipped_library: Library) -> None:
    page_text = squashed(text(aftercare_en))
    labels = shipped_library.labels["en"]
    brand = shipped_library.brand
    assert brand is not None
    for words in (labels.sections.benefits, labels.sections.faq, labels.aftercare, brand.name,
                  brand.address, brand.disclaimer["en"], labels.page.format(page=1, pages=2)):
        assert squashed(words) in page_text


def test_a4_and_at_most_two_pages(aftercare_en: Path) -> None:
    reader = PdfReader(aftercare_en)
    assert 1 <= len(reader.pages) <= 2
    for page in reader.pages:
        assert (float(page.mediabox.width), float(page.mediabox.height)) == pytest.approx(A4)


def test_letter_paper_by_option(aftercare_letter: Path) -> None:
    reader = PdfReader(aftercare_letter)
    assert len(reader.pages) <= 2
    for page in reader.pages:
        assert (float(page.mediabox.width), float(page.mediabox.height)) == pytest.approx(letter)


def test_metadata_names_title_author_subject_and_language(aftercare_en: Path) -> None:
    reader = PdfReader(aftercare_en)
    meta = reader.metadata
    assert meta is not None
    assert meta.title == "Plantar fasciitis foot massage: Aftercare guide"
    assert meta.author == "L Spa Da Nang"
    assert meta.subject == "Caring for your feet after your massage"
    assert reader.trailer["/Root"]["/Lang"] == "en"


def test_every_font_is_embedded_and_subset(aftercare_en: Path) -> None:
    found = fonts(aftercare_en)
    assert found, "no fonts found"
    for font in found:
        name = str(font["/BaseFont"])
        assert "+" in name and len(name.split("+")[0]) == 7, f"{name} is not a subset"
        descendants = font.get("/DescendantFonts")
        descriptor = (descendants[0].get_object() if descendants else font)["/FontDescriptor"]
        assert "/FontFile2" in descriptor.get_object(), f"{name} is not embedded"


def test_no_reference_to_a_standard_font(aftercare_en: Path) -> None:
    names = {str(f["/BaseFont"]) for f in fonts(aftercare_en)}
    assert not any("Helvetica" in n or "Times" in n or "Courier" in n for n in names), names


def test_each_channel_link_opens_its_contact_url(aftercare_en: Path,
                                                 shipped_library: Library) -> None:
    assert shipped_library.brand is not None
    expected = [contact_url(ch) for ch in shipped_library.brand.channels]
    assert [link.uri for link in links(aftercare_en)] == expected


def test_each_qr_code_decodes_to_its_contact_url(aftercare_en: Path,
                                                 shipped_library: Library) -> None:
    assert shipped_library.brand is not None
    expected = sorted(contact_url(ch) for ch in shipped_library.brand.channels)
    assert qr_texts(aftercare_en, dpi=150) == expected


def test_qr_codes_are_at_least_20_mm(aftercare_en: Path) -> None:
    codes = qr_codes(aftercare_en, dpi=300)
    assert codes
    for code in codes:
        assert code.width_mm >= 19.8, code  # 0.2 mm: one pixel of measuring slack at 300 dpi


def _page_texts(pdf: bytes | Path) -> list[str]:
    source = BytesIO(pdf) if isinstance(pdf, bytes) else pdf
    return [squashed(page.extract_text()) for page in PdfReader(source).pages]


def _contact_stands_alone(pages: list[str], library: Library, lang: str) -> bool:
    """Whether a handout of more than one page gives the contact panel a page with no
    other section on it (questions, precautions or stretches)."""
    s = library.labels[lang].sections
    others = [squashed(title) for title in (s.faq, s.precautions, s.stretches)]
    return len(pages) > 1 and any(
        squashed(s.contact) in page and not any(title in page for title in others)
        for page in pages)


@pytest.mark.parametrize("slug", ["hot-stone-massage", "neck-shoulder-massage",
                                  "plantar-fasciitis"])
@pytest.mark.parametrize("lang", ["en", "vi", "ko", "ja"])
def test_the_contact_panel_never_has_a_page_to_itself(
        shipped_out: Path, shipped_library: Library, slug: str, lang: str) -> None:
    pages = _page_texts(shipped_out / f"{slug}-aftercare-{lang}.pdf")
    assert not _contact_stands_alone(pages, shipped_library, lang), pages[-1]


@pytest.mark.parametrize("lang", ["en", "vi", "ko", "ja"])
@pytest.mark.parametrize("paper", ["a4", "letter"])
def test_a_personal_sheet_keeps_the_contact_panel_with_a_section(
        shipped_library: Library, lang: str, paper: str) -> None:
    for visit in (Visit(client="Bo", date="2026-11-24"),
                  Visit(client="Emma Wilson", therapist="Linh", date="2026-11-24",
                        notes="Warm shoulders tonight. " * 6, next_visit="2026-12-01")):
        pdf = render_job(shipped_library, Job("hot-stone-massage", "aftercare", lang), paper,
                         visit=visit)
        assert not _contact_stands_alone(_page_texts(pdf), shipped_library, lang), visit


def test_a_handout_that_fits_one_page_takes_one(shipped_out: Path) -> None:
    """The hot stone sheet in English fits A4 at the type floor: one sheet of paper, not a
    second page for its last panel."""
    reader = PdfReader(shipped_out / "hot-stone-massage-aftercare-en.pdf")
    assert len(reader.pages) == 1
    assert "Page1of1" in squashed(reader.pages[0].extract_text())
