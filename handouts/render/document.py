"""Render: a story of flowables -> PDF bytes, on branded pages, shrunk to fit or refused.

Everything happens in memory; writing the bytes to disk is the finish stage's job.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from io import BytesIO
from pathlib import Path

from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Flowable, Frame, PageTemplate

from handouts.errors import LayoutError
from handouts.render.blocks import SectionMark, para
from handouts.render.fonts import RegisteredFamily
from handouts.render.theme import Palette, Theme

Story = Callable[[Theme], list[Flowable]]


@dataclass(frozen=True)
class Masthead:
    """Words and marks printed on every page, outside the flowing story."""

    spa_name: str
    tagline: str
    kind_label: str
    treatment_name: str
    disclaimer: str
    page_label: str
    logo: Path


@dataclass(frozen=True)
class Metadata:
    title: str
    author: str
    subject: str
    lang: str
    creator: str
    keywords: tuple[str, ...] = ()


@dataclass(frozen=True)
class PageSpec:
    """Paper size and how many pages the document may take."""

    size: tuple[float, float]
    max_pages: int
    body_sizes: Sequence[float]
    name: str = "A4"


@dataclass
class _Placement:
    """Where the story went: the pages used and the lowest point reached on each."""

    frame_top: dict[int, float] = field(default_factory=dict)
    lowest: dict[int, float] = field(default_factory=dict)
    first_section_on: dict[int, str] = field(default_factory=dict)
    current_section: str = ""


class _Doc(BaseDocTemplate):
    def __init__(self, *args: object, placement: _Placement, **kw: object) -> None:
        super().__init__(*args, **kw)
        self.placement = placement

    def afterFlowable(self, flowable: Flowable) -> None:  # noqa: N802 - ReportLab's hook name
        p = self.placement
        page = self.page
        if isinstance(flowable, SectionMark):
            p.current_section = flowable.name
        p.first_section_on.setdefault(page, p.current_section)
        frame = getattr(self, "frame", None)
        if frame is None:
            return
        p.frame_top[page] = frame._y1 + frame._height - frame._topPadding
        p.lowest[page] = min(p.lowest.get(page, frame._y), frame._y)


def _canvas_class(masthead: Masthead, theme: Theme, page_size: tuple[float, float]) -> type:
    """A canvas that defers each page's footer until the page count is known."""

    class NumberedCanvas(Canvas):
        def __init__(self, *args: object, **kw: object) -> None:
            super().__init__(*args, **kw)
            self._deferred: list[dict[str, object]] = []

        def showPage(self) -> None:  # noqa: N802 - ReportLab's method name
            self._deferred.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            total = len(self._deferred)
            for state in self._deferred:
                self.__dict__.update(state)
                _draw_footer(self, masthead, theme, page_size, self._pageNumber, total)
                Canvas.showPage(self)
            Canvas.save(self)

    return NumberedCanvas


def _footer_height(masthead: Masthead, theme: Theme, width: float) -> float:
    p = para(masthead.disclaimer, theme, "footer")
    _, h = p.wrap(width - 25 * mm, 1000)
    return h + 4 * mm


def _draw_footer(c: Canvas, masthead: Masthead, theme: Theme, page_size: tuple[float, float],
                 page: int, total: int) -> None:
    width = page_size[0] - 2 * theme.margin
    disclaimer = para(masthead.disclaimer, theme, "footer")
    _, h = disclaimer.wrap(width - 25 * mm, 1000)
    base = theme.margin
    c.saveState()
    c.setStrokeColor(theme.palette.accent)
    c.setLineWidth(0.8)
    c.line(theme.margin, base + h + 2.5 * mm, theme.margin + width, base + h + 2.5 * mm)
    disclaimer.drawOn(c, theme.margin, base)
    c.restoreState()
    label = para(masthead.page_label.format(page=page, pages=total), theme, "footer.page")
    label_w, label_h = label.wrap(25 * mm, 100)
    label.drawOn(c, theme.margin + width - label_w, base + h - label_h)


def _band_height(theme: Theme) -> float:
    return theme.body_pt * 2.6 + 12 * mm


def _draw_first_header(c: Canvas, doc: BaseDocTemplate, masthead: Masthead, theme: Theme) -> None:
    page_w, page_h = doc.pagesize
    m = theme.margin
    band_h = _band_height(theme)
    top = page_h - m
    c.saveState()
    c.setFillColor(theme.palette.primary)
    c.roundRect(m, top - band_h, page_w - 2 * m, band_h, 3 * mm, stroke=0, fill=1)
    logo = band_h - 6 * mm
    c.drawImage(str(masthead.logo), m + 4 * mm, top - band_h + 3 * mm, logo, logo,
                mask="auto", preserveAspectRatio=True)
    text_x = m + 4 * mm + logo + 4 * mm
    right = page_w - m - 5 * mm
    name = para(masthead.spa_name, theme, "header.name")
    tagline = para(masthead.tagline, theme, "header.tagline")
    kind = para(masthead.kind_label, theme, "header.kind")
    style = theme.style("header.kind")
    kind_w = min(stringWidth(masthead.kind_label, style.fontName, style.fontSize) + 2,
                 (right - text_x) * 0.4)
    text_w = right - text_x - kind_w - 6 * mm
    _, name_h = name.wrap(text_w, band_h)
    _, tag_h = tagline.wrap(text_w, band_h)
    mid = top - band_h / 2
    block = name_h + tag_h
    name.drawOn(c, text_x, mid + block / 2 - name_h)
    tagline.drawOn(c, text_x, mid + block / 2 - block)
    kind.wrap(kind_w, band_h)
    kind.drawOn(c, right - kind_w, mid - kind.height / 2)
    c.setStrokeColor(theme.palette.accent)
    c.setLineWidth(1.2)
    c.line(right - kind_w - 3 * mm, mid - band_h * 0.28, right - kind_w - 3 * mm,
           mid + band_h * 0.28)
    c.restoreState()


def _layout(story: list[Flowable], theme: Theme, spec: PageSpec, masthead: Masthead,
            meta: Metadata) -> tuple[bytes, int, _Placement]:
    page_w, page_h = spec.size
    m = theme.margin
    width = page_w - 2 * m
    footer_h = _footer_height(masthead, theme, width)
    bottom = m + footer_h + 2 * mm
    first_top = page_h - m - _band_height(theme) - 6 * mm
    later_top = page_h - m
    placement = _Placement()
    out = BytesIO()
    doc = _Doc(
        out, placement=placement, pagesize=spec.size, leftMargin=m, rightMargin=m,
        topMargin=m, bottomMargin=m, title=meta.title, author=meta.author,
        subject=meta.subject, creator=meta.creator, producer=meta.creator,
        keywords=list(meta.keywords), lang=meta.lang, invariant=1, pageCompression=1,
        initialFontName=theme.family.regular, initialFontSize=theme.body_pt,
        displayDocTitle=1,
    )
    frame_kw = {"leftPadding": 0, "rightPadding": 0, "topPadding": 0, "bottomPadding": 0}
    first = Frame(m, bottom, width, first_top - bottom, id="first", **frame_kw)
    later = Frame(m, bottom, width, later_top - bottom, id="later", **frame_kw)
    doc.addPageTemplates([
        PageTemplate("first", [first], onPage=lambda c, d: _draw_first_header(c, d, masthead,
                                                                               theme),
                     autoNextPageTemplate="later"),
        PageTemplate("later", [later]),
    ])
    doc.build(story, canvasmaker=_canvas_class(masthead, theme, spec.size))
    return out.getvalue(), doc.page, placement


def render(compose: Story, palette: Palette, family: RegisteredFamily, spec: PageSpec,
           masthead: Masthead, meta: Metadata, what: str, line_breaking: str = "words") -> bytes:
    """Lay out the story at the largest body size that fits `spec.max_pages`; else refuse.

    `what` names the document in the error (treatment, kind, language, paper).
    """
    placement = _Placement()
    pages = 0
    for body_pt in spec.body_sizes:
        theme = Theme(palette, family, body_pt, line_breaking)
        pdf, pages, placement = _layout(compose(theme), theme, spec, masthead, meta)
        if pages <= spec.max_pages:
            return pdf
    over = [p for p in placement.lowest if p > spec.max_pages]
    overflow_pt = sum(placement.frame_top[p] - placement.lowest[p] for p in over)
    section = placement.first_section_on.get(spec.max_pages + 1, "") or "the first section"
    raise LayoutError(
        f"{what}: does not fit {spec.max_pages} {spec.name} page(s) even at the smallest body "
        f"size ({spec.body_sizes[-1]} pt): section '{section}' overflows by "
        f"{overflow_pt / mm:.0f} mm. Shorten the text from that section on."
    )
