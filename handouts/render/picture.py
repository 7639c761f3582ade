"""Placing pictures: SVG drawings stay vector, in the theme's colours; rasters at print size.

Artwork is drawn in the default brand palette; a spa with other colours gets it recoloured,
so the theme owns the look of pictures as it does of text.
"""

from __future__ import annotations

import copy
from functools import lru_cache
from io import BytesIO

from reportlab.graphics.shapes import Drawing, Group, Shape
from reportlab.lib.colors import Color
from reportlab.lib.units import inch, mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable

from handouts.content.cache import remembered
from handouts.content.pictures import Picture, placeable, upright
from handouts.errors import ContentError, Problem
from handouts.render.tagging import tagged
from handouts.render.theme import Palette

#: Photos must print sharp: fewer pixels per inch than this at the placed size is refused.
MIN_PPI = 200
#: More than this is invisible in print and only makes PDFs (and emails) heavy.
MAX_PPI = 300

#: The palette the shipped artwork is drawn in (the default brand), by role.
ART_PALETTE = {"primary": "#1F5C57", "accent": "#B9894A", "tint": "#EAF2F0", "ink": "#1E2A2A"}


def _hex(colour: Color) -> str:
    return "#" + colour.hexval()[2:].upper()


def _colour_key(colour: Color) -> tuple[str, float]:
    return colour.hexval(), getattr(colour, "alpha", 1)


def _recolour(node: object, swap: dict[str, Color], every: Color | None) -> None:
    """Replace fill and stroke colours in place: all of them by `every`, or per `swap`."""
    if isinstance(node, Group):
        for child in node.contents:
            _recolour(child, swap, every)
        return
    if not isinstance(node, Shape):
        return
    for attribute in ("fillColor", "strokeColor"):
        colour = getattr(node, attribute, None)
        if not isinstance(colour, Color) or getattr(colour, "alpha", 1) == 0:
            continue
        setattr(node, attribute, every if every is not None else swap.get(_hex(colour), colour))


#: Recoloured drawings, by (drawing, colours): the drawing itself is kept with its copy, so
#: its id is never reused while the entry lives. Drawn many times per document, never changed.
_themed: dict[tuple[object, ...], tuple[Drawing, Drawing]] = {}
_THEMED_MAX = 512


def themed(drawing: Drawing, palette: Palette, single: Color | None) -> Drawing:
    """A copy of `drawing` in the brand's colours; `single` paints every line one colour.

    The same copy serves every use of one drawing in one set of colours (deep-copying and
    recolouring a drawing costs about 5 ms; a handout shows dozens of pictograms).
    """
    key = (id(drawing), *(_colour_key(getattr(palette, role)) for role in ART_PALETTE),
           None if single is None else _colour_key(single))
    hit = _themed.get(key)
    if hit is not None and hit[0] is drawing:
        return hit[1]
    swap = {ART_PALETTE[role].upper(): getattr(palette, role) for role in ART_PALETTE}
    result = copy.deepcopy(drawing)
    for child in result.contents:
        _recolour(child, swap, single)
    if len(_themed) >= _THEMED_MAX:
        _themed.clear()
    _themed[key] = (drawing, result)
    return result


@lru_cache(maxsize=64)
def _resampled(raster: bytes, width_px: int, height_px: int) -> bytes:
    """The raster upright (see `upright`) at `width_px` (never upsampled); JPEG for photos,
    PNG where transparent. Its own bytes when ReportLab places those as they look."""
    from PIL import Image

    with Image.open(BytesIO(raster)) as stored:
        if placeable(stored) and stored.size[0] <= width_px:
            return raster
        image = upright(stored)
    has_alpha = image.mode in ("RGBA", "LA", "P") and "transparency" in image.info \
        or image.mode in ("RGBA", "LA")
    image = image.convert("RGBA" if has_alpha else "RGB")
    if image.size[0] > width_px:
        image = image.resize((width_px, height_px), Image.Resampling.LANCZOS)
    out = BytesIO()
    if has_alpha:
        image.save(out, "PNG", optimize=True)
    else:
        image.save(out, "JPEG", quality=85, optimize=True)
    return out.getvalue()


def check_resolution(picture: Picture, width: float) -> None:
    """Refuse a raster that would print soft at `width` points wide."""
    if picture.drawing is not None:
        return
    ppi = picture.pixels[0] / (width / inch)
    if ppi < MIN_PPI:
        need = int(MIN_PPI * width / inch) + 1
        raise ContentError([Problem(*picture.origin, (
            f"picture {picture.name!r} prints at {ppi:.0f} ppi ({width / mm:.0f} mm wide); "
            f"use one at least {need} pixels wide for {MIN_PPI} ppi"))])


def drawing_operators(drawing: Drawing) -> list[str] | None:
    """The PDF operators that paint `drawing` at the origin, worked out once per drawing.

    renderPDF walks the whole shape tree on every call (a third of a personalised sheet's
    time went there); the operators depend on the drawing alone, so they are kept on it.
    The text-state lines renderPDF opens with are dropped: the drawing has no text, and they
    would name whichever font the page had current. None for a drawing that needs a named
    resource of its page (a graphics state for transparency): it is drawn afresh each time.
    """
    if not hasattr(drawing, "_handouts_operators"):
        from reportlab.graphics import renderPDF  # only here: a warm run has them kept

        scratch = Canvas(BytesIO())
        start = len(scratch._code)
        renderPDF.draw(drawing, scratch, 0, 0)
        operators = [op for op in scratch._code[start:]
                     if not (op.startswith("BT ") and op.endswith(" ET"))]
        named = any(op.endswith((" gs", " Do", " sh")) for op in operators)
        drawing._handouts_operators = None if named else operators
    cached: list[str] | None = drawing._handouts_operators
    return cached


class PictureBox(Flowable):
    """A picture scaled to fit `width` x `height` (keeping its proportions), centred.

    `single` paints a line icon in one colour; otherwise artwork takes the brand palette.
    """

    def __init__(self, picture: Picture, palette: Palette, width: float, height: float | None,
                 single: Color | None = None, alt: str = "") -> None:
        super().__init__()
        self.picture = picture
        self.alt = alt
        box_h = height if height is not None else width * picture.aspect
        scale_w = min(width, box_h / picture.aspect)
        self.picture_w, self.picture_h = scale_w, scale_w * picture.aspect
        self.width, self.height = width, box_h
        check_resolution(picture, self.picture_w)
        self.palette, self.single = palette, single

    def drawing(self) -> Drawing:
        """The vector picture in the theme's colours."""
        assert self.picture.drawing is not None
        return themed(self.picture.drawing, self.palette, self.single)

    def operators(self) -> list[str] | None:
        """`drawing_operators` of the themed drawing, kept with the content cache for the
        picture file's bytes and these colours (recolouring a copy and walking it cost a
        personalised sheet tens of milliseconds in every process)."""
        if not self.picture.digest:
            return drawing_operators(self.drawing())
        colours = tuple(None if c is None else (c.red, c.green, c.blue, getattr(c, "alpha", 1))
                        for c in (*(getattr(self.palette, r) for r in ART_PALETTE), self.single))
        return remembered(("picture operators", self.picture.digest, colours),
                          lambda: drawing_operators(self.drawing()))

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        return self.width, self.height

    def draw(self) -> None:
        x = (self.width - self.picture_w) / 2
        y = (self.height - self.picture_h) / 2
        if not self.alt:  # a pictogram beside its words: decoration, left as an artifact
            draw_picture(self.canv, self, x, y)
            return
        with tagged(self.canv, "Figure", self.alt):
            draw_picture(self.canv, self, x, y)


def draw_picture(canvas: Canvas, box: PictureBox, x: float, y: float) -> None:
    """Draw the box's picture with its lower-left corner at (x, y) on `canvas`."""
    if getattr(canvas, "dry", False):
        return  # a trial layout: only page counts matter
    if box.picture.drawing is not None:
        scale = box.picture_w / float(box.picture.drawing.width)
        canvas.saveState()
        canvas.translate(x, y)
        canvas.scale(scale, scale)
        operators = box.operators()
        if operators is None:
            from reportlab.graphics import renderPDF

            drawing = box.drawing()
            # the drawing has no text; without this ReportLab declares Helvetica for it
            drawing.initialFontName = canvas._fontname
            drawing.initialFontSize = canvas._fontsize
            renderPDF.draw(drawing, canvas, 0, 0)
        else:
            canvas._code.extend(operators)
        canvas.restoreState()
        return
    picture = box.picture
    width_px = min(picture.pixels[0], max(1, round(MAX_PPI * box.picture_w / inch)))
    height_px = max(1, round(width_px * picture.aspect))
    data = _resampled(picture.raster, width_px, height_px)
    canvas.drawImage(ImageReader(BytesIO(data)), x, y, box.picture_w, box.picture_h,
                     mask="auto")
