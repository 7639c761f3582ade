"""Print safety, read from the PDFs as a print shop would: nothing within 5 mm of a cut,
colour at the trim only where bleed lets it run on, N-up copies with blank paper between."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pypdfium2 as pdfium
import pytest
from pypdf import PdfReader
from reportlab.lib.pagesizes import A5, A6, letter
from reportlab.lib.units import mm

from handouts.catalogue.document import render_job
from handouts.catalogue.plan import Job
from handouts.content.load import Library
from handouts.output.impose import impose, plan_sheet
from tests.pdf_reading import glyphs, qr_codes

SAFE = 5 * mm
Box = tuple[float, float, float, float]


def _inside(box: Box, area: Box, margin: float) -> bool:
    left, bottom, right, top = box
    x0, y0, x1, y1 = area
    tolerance = 0.3  # PDFium's boxes round to a fraction of a point
    return (left >= x0 + margin - tolerance and right <= x1 - margin + tolerance
            and bottom >= y0 + margin - tolerance and top <= y1 - margin + tolerance)


def _trim(path: Path) -> Box:
    box = PdfReader(path).pages[0].trimbox
    return float(box[0]), float(box[1]), float(box[2]), float(box[3])


def _cells(name: str) -> list[Box] | None:
    """Where each copy of an imposed sheet sits, from the same plan the tool uses."""
    if name.endswith("half-letter-2up"):
        return list(plan_sheet((396, 612), 0, 2, "Half Letter", letter).cells)
    if name.endswith("4up"):
        return list(plan_sheet(A6, 0, 4, "A6").cells)
    if name.endswith("2up"):
        return list(plan_sheet(A5, 0, 2, "A5").cells)
    return None


@pytest.fixture(scope="module")
def every_flyer(flyers: dict[str, Path], shipped_library: Library,
                tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The flyer in every language at every size, with bleed, and imposed 2-up and 4-up."""
    out = tmp_path_factory.mktemp("every-flyer")
    made = {f"en-{name}": path for name, path in flyers.items() if name != "a5-1up-marks"}
    for lang in ("en", "vi", "ko", "ja"):
        job = Job("plantar-fasciitis", "flyer", lang)
        made[f"{lang}-half-letter"] = out / f"{lang}-half-letter.pdf"
        made[f"{lang}-half-letter"].write_bytes(render_job(shipped_library, job, "half-letter"))
        made[f"{lang}-half-letter-2up"] = out / f"{lang}-half-letter-2up.pdf"
        made[f"{lang}-half-letter-2up"].write_bytes(impose(
            render_job(shipped_library, job, "half-letter"), 2, True, "HALF-LETTER", letter))
        if lang == "en":
            continue
        for size in ("a4", "a5", "a6", "letter"):
            made[f"{lang}-{size}"] = out / f"{lang}-{size}.pdf"
            made[f"{lang}-{size}"].write_bytes(render_job(shipped_library, job, size))
        made[f"{lang}-a5-bleed"] = out / f"{lang}-a5-bleed.pdf"
        made[f"{lang}-a5-bleed"].write_bytes(render_job(shipped_library, job, "a5", 3))
        made[f"{lang}-a6-4up"] = out / f"{lang}-a6-4up.pdf"
        made[f"{lang}-a6-4up"].write_bytes(impose(render_job(shipped_library, job, "a6"), 4,
                                                  True, "A6"))
    return made


@pytest.fixture(scope="module")
def every_document(every_flyer: dict[str, Path], shipped_out: Path,
                   aftercare_letter: Path) -> dict[str, Path]:
    made = dict(every_flyer)
    for pdf in sorted(shipped_out.glob("*-aftercare-*.pdf")):
        made[pdf.stem] = pdf
    made["aftercare-en-letter"] = aftercare_letter
    return made


def _too_close(every_document: dict[str, Path],
               marks: Callable[[Path], list[tuple[str, Box]]]) -> list[str]:
    """Each mark (a glyph, a code) that lies within 5 mm of its page's or copy's trim."""
    found = []
    for name, path in every_document.items():
        areas = _cells(name) or [_trim(path)]
        for what, box in marks(path):
            if not any(_inside(box, area, SAFE) for area in areas):
                found.append(f"{name}: {what} at {box}")
    return found


def test_every_glyph_is_5_mm_inside_the_trim_of_every_page_and_copy(
        every_document: dict[str, Path]) -> None:
    assert _too_close(every_document, lambda path: [
        (f"p{glyph.page} {glyph.char!r}", glyph.box) for glyph in glyphs(path)]) == []


def test_every_code_is_5_mm_inside_the_trim_of_every_copy(
        every_document: dict[str, Path]) -> None:
    assert _too_close(every_document, lambda path: [
        (code.text, code.box) for code in qr_codes(path)]) == []


def _pixels(path: Path, dpi: float = 72) -> tuple[object, float]:
    document = pdfium.PdfDocument(str(path))
    try:
        return document[0].render(scale=dpi / 72).to_pil().convert("RGB"), dpi / 72
    finally:
        document.close()


def _coloured(rgb: tuple[int, int, int]) -> bool:
    """Brand colour, as opposed to white paper or the black of a crop mark."""
    return max(rgb) - min(rgb) > 24


@pytest.mark.parametrize("name", ["en-a5", "en-a6", "en-a4", "en-letter", "ja-a6",
                                  "vi-half-letter"])
def test_without_bleed_no_colour_reaches_the_trim(name: str,
                                                  every_flyer: dict[str, Path]) -> None:
    image, scale = _pixels(every_flyer[name])
    width, height = image.size  # type: ignore[attr-defined]
    strip = int(4 * mm * scale)
    edge = [(x, y) for x in range(width) for y in (*range(strip), *range(height - strip, height))]
    edge += [(x, y) for y in range(height) for x in (*range(strip), *range(width - strip, width))]
    assert not [p for p in edge if _coloured(image.getpixel(p))]  # type: ignore[attr-defined]


def test_n_up_copies_have_blank_paper_at_every_cut_and_marks_only_there(
        every_flyer: dict[str, Path]) -> None:
    for name in ("en-a6-4up", "ja-a6-4up", "en-a5-2up", "ko-half-letter-2up"):
        image, scale = _pixels(every_flyer[name], dpi=100)
        cells = _cells(name)
        assert cells is not None
        height = image.size[1]  # type: ignore[attr-defined]
        for x0, y0, x1, y1 in cells:
            band = 4 * mm
            for x in range(int(x0 * scale), int(x1 * scale), 3):
                for y_pt in (y0 + band / 2, y1 - band / 2):
                    pixel = image.getpixel((x, height - 1 - int(y_pt * scale)))  # type: ignore[attr-defined]
                    assert not _coloured(pixel), (name, x, y_pt)
            for y in range(int(y0 * scale), int(y1 * scale), 3):
                for x_pt in (x0 + band / 2, x1 - band / 2):
                    pixel = image.getpixel((int(x_pt * scale), height - 1 - y))  # type: ignore[attr-defined]
                    assert not _coloured(pixel), (name, x_pt, y)


def test_the_logo_is_the_same_size_with_and_without_bleed(flyers: dict[str, Path]) -> None:
    def logo_width(path: Path) -> float:
        sizes = []

        def visit(operator: bytes, operands: list[object], cm: list[float],
                  tm: list[float]) -> None:
            if operator == b"Do":
                sizes.append(round(abs(cm[0]), 2))

        PdfReader(path).pages[0].extract_text(visitor_operand_before=visit)
        return max(sizes)

    assert logo_width(flyers["a5"]) == logo_width(flyers["a5-bleed"])


def test_the_primary_code_is_the_largest_on_every_size(every_flyer: dict[str, Path],
                                                       shipped_library: Library) -> None:
    assert shipped_library.brand is not None
    from handouts.content.channels import contact_url
    from handouts.render.flyer import primary_channel

    primary = contact_url(primary_channel(shipped_library.brand))
    for name, path in every_flyer.items():
        if name.endswith("up"):
            continue
        codes = qr_codes(path, dpi=300)
        widest = max(codes, key=lambda code: code.width_mm)
        assert widest.text == primary, name
        assert all(code.width_mm < widest.width_mm - 1 for code in codes
                   if code.text != primary), name
