"""Imposition: N copies of a one-page document on A4 sheets, with crop marks at the trim.

Copies are placed at 100% (print shops and paper trimmers expect exact A5/A6), trim edge to
trim edge, or bleed to bleed when there is bleed. Crop marks sit outside the grid (and its
bleed) where the sheet has room; where copies fill the sheet (4 x A6 on A4), they run in from
the sheet edge along each cut line, so the person at the trimmer still sees where to cut.

A PDF page has one TrimBox: the sheet carries the block of copies (one copy: the flyer
itself) as its TrimBox, and that block plus the bleed as its BleedBox; the crop marks show
the cuts between copies.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from io import BytesIO
from typing import Any

from pypdf import PageObject, PdfReader, PdfWriter, Transformation
from pypdf.generic import (
    ArrayObject,
    DecodedStreamObject,
    DictionaryObject,
    FloatObject,
    NameObject,
)
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm

from handouts.errors import LayoutError

GRIDS = {1: (1, 1), 2: (2, 1), 4: (2, 2)}
MARK_LENGTH = 5 * mm
MARK_OFFSET = 2 * mm


@dataclass(frozen=True)
class Sheet:
    """Where each copy's trim box lands on the sheet, in points."""

    width: float
    height: float
    cells: tuple[tuple[float, float, float, float], ...]  # x0, y0, x1, y1 of each trim box
    bleed: float = 0.0

    @property
    def trim(self) -> tuple[float, float, float, float]:
        """The block of copies: where the outer cuts are."""
        return (min(c[0] for c in self.cells), min(c[1] for c in self.cells),
                max(c[2] for c in self.cells), max(c[3] for c in self.cells))

    @property
    def bleed_box(self) -> tuple[float, float, float, float]:
        """The block of copies with its bleed, as far as the sheet goes."""
        x0, y0, x1, y1 = self.trim
        b = self.bleed
        return max(0, x0 - b), max(0, y0 - b), min(self.width, x1 + b), min(self.height, y1 + b)


def plan_sheet(trim: tuple[float, float], bleed: float, copies: int, name: str,
               paper: tuple[float, float] = A4) -> Sheet:
    """Lay `copies` trims out on `paper`, portrait or landscape, whichever fits; else refuse."""
    if copies not in GRIDS:
        raise LayoutError(f"--n-up must be one of {', '.join(map(str, GRIDS))}, not {copies}")
    cols, rows = GRIDS[copies]
    tw, th = trim
    cell_w, cell_h = tw + 2 * bleed, th + 2 * bleed
    for sheet_w, sheet_h in (paper, (paper[1], paper[0])):
        for c, r in ((cols, rows), (rows, cols)):
            grid_w, grid_h = c * cell_w, r * cell_h
            if grid_w <= sheet_w + 0.01 and grid_h <= sheet_h + 0.01:
                x0 = (sheet_w - grid_w) / 2 + bleed
                y0 = (sheet_h - grid_h) / 2 + bleed
                cells = tuple(
                    (x0 + i * cell_w, y0 + j * cell_h, x0 + i * cell_w + tw, y0 + j * cell_h + th)
                    for j in reversed(range(r)) for i in range(c)
                )
                return Sheet(sheet_w, sheet_h, cells, bleed)
    raise LayoutError(
        f"{copies} copies of {name} ({tw / mm:.0f} x {th / mm:.0f} mm"
        f"{f' + {bleed / mm:g} mm bleed' if bleed else ''}) do not fit on one "
        f"{'A4' if paper == A4 else 'Letter'} sheet; "
        f"choose a smaller --size or fewer copies"
    )


def _marks(sheet: Sheet) -> bytes:
    """PDF drawing operators for the crop marks of `sheet`: 0.25 pt black lines, clear of
    the bleed so no mark prints on the colour a trimmer may leave."""
    xs = sorted({x for cell in sheet.cells for x in (cell[0], cell[2])})
    ys = sorted({y for cell in sheet.cells for y in (cell[1], cell[3])})
    left, right, bottom, top = xs[0], xs[-1], ys[0], ys[-1]
    offset = sheet.bleed + MARK_OFFSET

    def tick(start: float, room: float, outward: int) -> tuple[float, float]:
        """From the grid edge towards the sheet edge; in from the sheet edge if no room."""
        if room >= offset + MARK_LENGTH:
            a = start + outward * offset
            return a, a + outward * MARK_LENGTH
        edge = start + outward * room
        return edge, edge - outward * (MARK_LENGTH + 1 * mm)

    lines = []
    for x in xs:
        for y_start, room, outward in ((top, sheet.height - top, 1), (bottom, bottom, -1)):
            a, b = tick(y_start, room, outward)
            lines.append(f"{x:.3f} {a:.3f} m {x:.3f} {b:.3f} l S")
    for y in ys:
        for x_start, room, outward in ((right, sheet.width - right, 1), (left, left, -1)):
            a, b = tick(x_start, room, outward)
            lines.append(f"{a:.3f} {y:.3f} m {b:.3f} {y:.3f} l S")
    return ("q 0.25 w 0 0 0 RG\n" + "\n".join(lines) + "\nQ\n").encode("ascii")


def impose(pdf: bytes, copies: int, crop_marks: bool, name: str,
           paper: tuple[float, float] = A4) -> bytes:
    """Place `copies` of the first page of `pdf` on a sheet of `paper` (A4 unless told),
    optionally with crop marks."""
    source = PdfReader(BytesIO(pdf)).pages[0]
    trim = [float(v) for v in source.trimbox]
    bleed = trim[0] - float(source.mediabox[0])
    sheet = plan_sheet((trim[2] - trim[0], trim[3] - trim[1]), bleed, copies, name, paper)
    writer = PdfWriter()
    page = PageObject.create_blank_page(writer, sheet.width, sheet.height)
    for x0, y0, _, _ in sheet.cells:
        page.merge_transformed_page(source, Transformation().translate(x0 - trim[0],
                                                                        y0 - trim[1]))
    if crop_marks:
        marks = PageObject.create_blank_page(writer, sheet.width, sheet.height)
        stream = DecodedStreamObject()
        stream.set_data(_marks(sheet))
        marks[NameObject("/Contents")] = writer._add_object(stream)
        page.merge_page(marks)
    for key, box in (("/TrimBox", sheet.trim), ("/BleedBox", sheet.bleed_box)):
        page[NameObject(key)] = ArrayObject(FloatObject(round(v, 3) + 0.0)  # + 0.0: no "-0"
                                            for v in box)
    writer.add_page(page)
    original = PdfReader(BytesIO(pdf))
    meta: Mapping[str, Any] = original.metadata or {}
    writer.add_metadata({key: meta[key] for key in ("/Title", "/Author", "/Subject", "/Creator")
                         if key in meta} | {"/Producer": meta.get("/Producer", "handouts")})
    root = original.trailer["/Root"].get_object()
    assert isinstance(root, DictionaryObject)
    if "/Lang" in root:
        writer._root_object[NameObject("/Lang")] = root["/Lang"]
    out = BytesIO()
    writer.write(out)
    return out.getvalue()
