"""N-up sheets: N copies on A4, each inside its own cell, crop marks at the trim lines."""

from __future__ import annotations

from pathlib import Path

import pypdfium2 as pdfium
import pytest
from pypdf import PdfReader
from reportlab.lib.pagesizes import A4, A5, A6
from reportlab.lib.units import mm

from handouts.content.channels import contact_url
from handouts.content.load import Library
from handouts.errors import LayoutError
from handouts.output.impose import plan_sheet
from tests.pdf_reading import links, qr_codes, qr_texts, runs

HEADLINE_START = "Heel pain"


@pytest.mark.parametrize(("name", "copies", "trim"), [("a6-4up", 4, A6), ("a5-2up", 2, A5)])
def test_sheet_holds_n_copies_each_inside_its_own_cell(name: str, copies: int,
                                                       trim: tuple[float, float],
                                                       flyers: dict[str, Path]) -> None:
    page = PdfReader(flyers[name]).pages[0]
    assert sorted([float(page.mediabox.width), float(page.mediabox.height)]) == pytest.approx(
        sorted(A4))
    cells = plan_sheet(trim, 0, copies, "x").cells
    headlines = [r for r in runs(flyers[name]) if r.text.startswith(HEADLINE_START)]
    assert len(headlines) == copies
    for cell in cells:
        inside = [r for r in runs(flyers[name])
                  if cell[0] <= r.x <= cell[2] and cell[1] <= r.y <= cell[3]]
        assert sum(r.text.startswith(HEADLINE_START) for r in inside) == 1
    for link in links(flyers[name]):
        x0, y0, x1, y1 = link.rect
        assert any(c[0] <= x0 and x1 <= c[2] and c[1] <= y0 and y1 <= c[3] for c in cells)


def test_every_code_decodes_on_the_a6_4up_sheet(flyers: dict[str, Path],
                                                shipped_library: Library) -> None:
    assert shipped_library.brand is not None
    expected = sorted(contact_url(ch) for ch in shipped_library.brand.channels
                      if ch.primary or ch.small_card == "code") * 4
    assert qr_texts(flyers["a6-4up"], dpi=150) == sorted(expected)


def dark(image: object, x_mm: float, y_mm_from_top: float) -> bool:
    x, y = round(x_mm / 25.4 * 300), round(y_mm_from_top / 25.4 * 300)
    return any(sum(image.getpixel((x + dx, y))) < 200 for dx in (-1, 0, 1))  # type: ignore[attr-defined]


def render(path: Path) -> object:
    document = pdfium.PdfDocument(str(path))
    image = document[0].render(scale=300 / 72).to_pil().convert("RGB")
    document.close()
    return image


def test_crop_marks_sit_outside_the_trim_where_the_sheet_has_room(
        flyers: dict[str, Path]) -> None:
    image = render(flyers["a5-1up-marks"])
    cell = plan_sheet(A5, 0, 1, "x").cells[0]
    left_mm, top_mm = cell[0] / mm, (A4[1] - cell[3]) / mm
    assert dark(image, left_mm, top_mm - 4)       # vertical mark above the top-left corner
    assert not dark(image, left_mm + 10, top_mm - 4)  # and nothing beside it


def test_crop_marks_run_along_the_cut_lines_of_a_full_sheet(flyers: dict[str, Path]) -> None:
    image = render(flyers["a6-4up"])
    middle_x = A4[0] / 2 / mm
    assert dark(image, middle_x, 5.5)  # the vertical cut line, marked from the top edge
    assert not dark(image, middle_x + 15, 0.3)


def test_copies_that_cannot_fit_an_a4_sheet_are_refused() -> None:
    with pytest.raises(LayoutError, match="do not fit on one A4 sheet"):
        plan_sheet(A4, 0, 2, "A4")


@pytest.mark.parametrize(("name", "copies", "trim"), [("a6-4up", 4, A6), ("a5-2up", 2, A5)])
def test_every_copy_has_its_own_links_over_its_own_codes(name: str, copies: int,
                                                         trim: tuple[float, float],
                                                         flyers: dict[str, Path]) -> None:
    single = links(flyers[name.split("-")[0]])
    cells = plan_sheet(trim, 0, copies, "x").cells
    on_sheet = links(flyers[name])
    assert len(on_sheet) == copies * len(single)
    for cell in cells:
        inside = [link for link in on_sheet if cell[0] <= link.rect[0] and link.rect[2] <= cell[2]
                  and cell[1] <= link.rect[1] and link.rect[3] <= cell[3]]
        assert sorted(link.uri for link in inside) == sorted(link.uri for link in single)
    codes = qr_codes(flyers[name], dpi=200)
    assert len(codes) == copies * sum(1 for _ in qr_texts(flyers[name.split("-")[0]]))
    for code in codes:  # the code a phone reads and the link a click opens are one
        middle = ((code.box[0] + code.box[2]) / 2, (code.box[1] + code.box[3]) / 2)
        under = [link.uri for link in on_sheet if link.rect[0] <= middle[0] <= link.rect[2]
                 and link.rect[1] <= middle[1] <= link.rect[3]]
        assert under == [code.text]


@pytest.mark.parametrize("name", ["a4", "a5", "a6", "letter", "a5-bleed", "a6-4up", "a5-2up",
                                  "a5-1up-marks"])
def test_flyers_and_print_sheets_ask_to_print_at_actual_size(name: str,
                                                             flyers: dict[str, Path]) -> None:
    preferences = PdfReader(flyers[name]).trailer["/Root"]["/ViewerPreferences"]
    assert preferences["/PrintScaling"] == "/None"
