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

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from io import BytesIO
from typing import Any, cast

from pypdf import PageObject, PdfReader, PdfWriter, Transformation
from pypdf.generic import (
    ArrayObject,
    BooleanObject,
    ByteStringObject,
    DecodedStreamObject,
    DictionaryObject,
    FloatObject,
    IndirectObject,
    NameObject,
    NumberObject,
    StreamObject,
    TextStringObject,
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
    optionally with crop marks.

    The sheet is for printing and cutting, and says so: PDF/A-2u like the flyer (the same
    sRGB output intent, its text still Unicode), asking to print at 100 %, but untagged
    (`/MarkInfo /Marked false`, no PDF/UA claim in its XMP). Four copies of one card read
    aloud four times help no one; the single flyer is the accessible document. Each copy
    keeps its own working links, placed on it.
    """
    original = PdfReader(BytesIO(pdf))
    source = original.pages[0]
    trim = [float(v) for v in source.trimbox]
    bleed = trim[0] - float(source.mediabox[0])
    sheet = plan_sheet((trim[2] - trim[0], trim[3] - trim[1]), bleed, copies, name, paper)
    writer = PdfWriter()
    writer.pdf_header = original.pdf_header
    page = PageObject.create_blank_page(writer, sheet.width, sheet.height)
    annotations = [a.get_object() for a in source.get("/Annots") or []]
    if "/Annots" in source:
        del source[NameObject("/Annots")]  # pypdf would share one copy's among all
    links = ArrayObject()
    for x0, y0, _, _ in sheet.cells:
        dx, dy = x0 - trim[0], y0 - trim[1]
        page.merge_transformed_page(source, Transformation().translate(dx, dy))
        links.extend(_place_link(writer, annotation, dx, dy) for annotation in annotations)
    if crop_marks:
        marks = PageObject.create_blank_page(writer, sheet.width, sheet.height)
        stream = DecodedStreamObject()
        stream.set_data(_marks(sheet))
        marks[NameObject("/Contents")] = writer._add_object(stream)
        page.merge_page(marks)
    for key, box in (("/TrimBox", sheet.trim), ("/BleedBox", sheet.bleed_box)):
        page[NameObject(key)] = ArrayObject(FloatObject(round(v, 3) + 0.0)  # + 0.0: no "-0"
                                            for v in box)
    if links:
        page[NameObject("/Annots")] = links
    page[NameObject("/Group")] = DictionaryObject({
        NameObject("/Type"): NameObject("/Group"), NameObject("/S"): NameObject("/Transparency"),
        NameObject("/CS"): NameObject("/DeviceRGB")})
    writer.add_page(page)
    _describe(writer, original, copies, crop_marks, paper, pdf)
    out = BytesIO()
    writer.write(out)
    return out.getvalue()


def _place_link(writer: PdfWriter, annotation: DictionaryObject, dx: float,
                dy: float) -> IndirectObject:
    """A copy's own link annotation: the source's URI and description moved by `dx`, `dy`."""
    action = cast(DictionaryObject, annotation["/A"].get_object())
    x0, y0, x1, y1 = (float(v) for v in cast(ArrayObject, annotation["/Rect"]))
    placed = DictionaryObject({
        NameObject("/Type"): NameObject("/Annot"), NameObject("/Subtype"): NameObject("/Link"),
        NameObject("/Rect"): ArrayObject(FloatObject(round(v, 3) + 0.0)
                                         for v in (x0 + dx, y0 + dy, x1 + dx, y1 + dy)),
        NameObject("/Border"): ArrayObject([NumberObject(0)] * 3),
        NameObject("/F"): NumberObject(4),
        NameObject("/A"): DictionaryObject({
            NameObject("/Type"): NameObject("/Action"), NameObject("/S"): NameObject("/URI"),
            NameObject("/URI"): action["/URI"]}),
    })
    if "/Contents" in annotation:
        placed[NameObject("/Contents")] = annotation["/Contents"]
    return writer._add_object(placed)


def _describe(writer: PdfWriter, original: PdfReader, copies: int, crop_marks: bool,
              paper: tuple[float, float], pdf: bytes) -> None:
    """The flyer's metadata and language, PDF/A-2u's output intent and XMP (without a
    PDF/UA claim: the sheet is untagged and says so), /PrintScaling /None, and an /ID
    digested from the flyer and the layout, never from the clock."""
    from handouts.render.archive import SRGB, srgb_profile
    from handouts.render.tagging import xmp_packet

    meta: Mapping[str, Any] = original.metadata or {}
    keys = ("/Title", "/Author", "/Subject", "/Creator", "/Keywords", "/CreationDate",
            "/ModDate")
    writer.add_metadata({key: meta[key] for key in keys if key in meta}
                        | {"/Producer": meta.get("/Producer", "handouts")})
    root = original.trailer["/Root"].get_object()
    assert isinstance(root, DictionaryObject)
    lang = str(root.get("/Lang", ""))
    if "/Lang" in root:
        writer._root_object[NameObject("/Lang")] = root["/Lang"]
    catalog = writer._root_object
    catalog[NameObject("/MarkInfo")] = DictionaryObject(
        {NameObject("/Marked"): BooleanObject(False)})
    catalog[NameObject("/ViewerPreferences")] = DictionaryObject(
        {NameObject("/PrintScaling"): NameObject("/None"),
         NameObject("/DisplayDocTitle"): BooleanObject(True)})
    profile = StreamObject()
    profile.set_data(srgb_profile())
    profile[NameObject("/N")] = NumberObject(3)
    catalog[NameObject("/OutputIntents")] = ArrayObject([DictionaryObject({
        NameObject("/Type"): NameObject("/OutputIntent"),
        NameObject("/S"): NameObject("/GTS_PDFA1"),
        NameObject("/OutputConditionIdentifier"): TextStringObject(SRGB),
        NameObject("/Info"): TextStringObject(SRGB),
        NameObject("/DestOutputProfile"): writer._add_object(profile)})])
    xmp = StreamObject()
    xmp.set_data(xmp_packet(
        str(meta.get("/Title", "")), str(meta.get("/Author", "")),
        str(meta.get("/Subject", "")), [str(meta["/Keywords"])] if "/Keywords" in meta else [],
        lang, str(meta.get("/Producer", "handouts")), accessible=False))
    xmp[NameObject("/Type")] = NameObject("/Metadata")
    xmp[NameObject("/Subtype")] = NameObject("/XML")
    catalog[NameObject("/Metadata")] = writer._add_object(xmp)
    digest = hashlib.md5(pdf + repr((copies, crop_marks, paper)).encode(),
                         usedforsecurity=False).digest()
    writer._ID = ArrayObject([ByteStringObject(digest), ByteStringObject(digest)])
