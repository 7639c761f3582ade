"""Render: a story of flowables -> PDF bytes, on designed pages, shrunk to fit or refused.

Everything happens in memory; writing the bytes to disk is the finish stage's job. A page
design (handout pages, flyer page) supplies the page templates and what every page carries.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Hashable, MutableMapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from io import BytesIO
from pathlib import Path
from typing import Protocol

from reportlab.lib.colors import Color
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Flowable, Frame, PageTemplate, Spacer
from reportlab.platypus.doctemplate import ActionFlowable
from reportlab.platypus.doctemplate import LayoutError as ReportLabLayoutError

from handouts.content.digests import digest
from handouts.errors import LayoutError
from handouts.render.archive import archival, write_streams_with_eol
from handouts.render.blocks import SectionMark, para
from handouts.render.fonts import GlyphOrder, glyphs_used, reserve_glyphs
from handouts.render.later_pages import (
    FirstPage,
    LaterPages,
    NotAlike,
    Recorder,
    draw_again,
    draw_first_again,
    drawable,
    forms_present,
    innermost_personal,
    is_personal,
)
from handouts.render.pdf_writing import format_faster
from handouts.render.streams import deflate_repeats_once
from handouts.render.tagging import CLOSE, OPEN_ARTIFACT, StructureTree, xmp_packet
from handouts.render.theme import Theme

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
    #: Ask viewers to print at 100 % (a flyer cut to size), not fit it to the paper.
    actual_size: bool = False


@dataclass(frozen=True)
class PageSpec:
    """Trim size, bleed, margins, and how many pages the document may take."""

    size: tuple[float, float]
    max_pages: int
    body_sizes: Sequence[float]
    name: str = "A4"
    bleed: float = 0.0
    margin: float = 14 * mm
    #: At the smallest body size, spacing factors to try before giving up.
    tighter: Sequence[float] = (0.75, 0.5, 0.35)

    @property
    def media(self) -> tuple[float, float]:
        return self.size[0] + 2 * self.bleed, self.size[1] + 2 * self.bleed

    @property
    def trim_box(self) -> tuple[float, float, float, float]:
        b = self.bleed
        return b, b, b + self.size[0], b + self.size[1]

    @property
    def width(self) -> float:
        """Width of the text area."""
        return self.size[0] - 2 * self.margin


class PageDesign(Protocol):
    def templates(self, theme: Theme, spec: PageSpec) -> list[PageTemplate]: ...

    def finish_page(self, canvas: Canvas, theme: Theme, spec: PageSpec, page: int,
                    total: int) -> None: ...


@dataclass
class _Placement:
    """Where the story went: the lowest point reached on each page, and its sections."""

    frame_top: dict[int, float] = field(default_factory=dict)
    frame_bottom: dict[int, float] = field(default_factory=dict)
    lowest: dict[int, float] = field(default_factory=dict)
    first_section_on: dict[int, str] = field(default_factory=dict)
    current_section: str = ""
    too_tall: float = 0.0


def _section_of(flowable: Flowable) -> str | None:
    """The section a (possibly grouped) flowable opens, if it carries a SectionMark."""
    if isinstance(flowable, SectionMark):
        return flowable.name
    for inner in getattr(flowable, "_content", []):
        name = _section_of(inner)
        if name:
            return name
    return None


class _Overflow(Exception):
    """A trial layout began a page past the limit: that attempt cannot fit."""


class _DrawnBefore(Exception):
    """The second page begins, and what follows the first is recorded: draw the record."""


def _skip_draw(*args: object, **kw: object) -> None:
    pass


class _Doc(BaseDocTemplate):
    def __init__(self, *args: object, placement: _Placement, page_limit: int | None = None,
                 later: LaterPages | None = None, recorder: Recorder | None = None,
                 first: FirstPage | None = None, **kw: object) -> None:
        super().__init__(*args, **kw)
        self.placement = placement
        self.page_limit = page_limit
        self.later = later
        self.recorder = recorder
        #: The first page to draw from a record (with `later`, the pages after it).
        self.first = first
        self._story_begun = False
        #: The story's blocks still to place (ReportLab's own list, consumed as it goes).
        self.left: list[Flowable] = []

    def handle_pageBegin(self) -> None:  # noqa: N802 - ReportLab's method name
        # the page count only grows: once a page past the limit begins, the attempt has failed
        if self.page_limit is not None and self.page >= self.page_limit:
            raise _Overflow
        if self.page >= 1 and self.later is not None and drawable(self.later, self.canv,
                                                                  self.left):
            raise _DrawnBefore
        if self.page >= 1 and self.recorder is not None:
            self.recorder.begin_page(self.canv, self.left)
        super().handle_pageBegin()

    def handle_pageEnd(self) -> None:  # noqa: N802 - ReportLab's method name
        if self.page >= 2 and self.recorder is not None:
            self.recorder.end_page(self.canv)
        if self.page == 1 and self.recorder is not None:
            self.recorder.first_page_ends(self.canv)
        super().handle_pageEnd()

    def build(self, flowables: list[Flowable], *args: object, **kw: object) -> None:
        self.left = flowables
        super().build(flowables, *args, **kw)

    def handle_flowable(self, flowables: list[Flowable]) -> None:
        first = flowables[0] if flowables else None
        if not self._story_begun and self.page == 1:
            self._story_begun = True
            if self.first is not None and self.later is not None:
                if not forms_present(self.later, self.canv):
                    raise NotAlike("a form a later page shows is not in this document")
                draw_first_again(self.canv, self.first, flowables)
                self.canv.setPageRotation(getattr(self.pageTemplate, "rotation",
                                                  self.rotation))
                self.canv.showPage()
                raise _DrawnBefore
            if self.recorder is not None:
                self.recorder.story_begins(self.canv, flowables)
        trial = first if self.page_limit is not None else None
        if trial is not None:
            trial.drawOn = _skip_draw  # a trial places blocks but never draws them
        # the block itself, which ReportLab's frame draws out of what keeps it together
        watched = (innermost_personal([first]) if first is not None and self.page == 1
                   and self.recorder is not None and is_personal(first) else None)
        if watched is not None:
            self._watch_block(watched)
        try:
            super().handle_flowable(flowables)
        except ReportLabLayoutError:
            if first is not None and getattr(self, "frame", None) is not None:
                _, height = first.wrapOn(self.canv, self.frame._width, self.frame._height)
                self.placement.too_tall = max(0.0, height - self.frame._height)
                self.placement.current_section = _section_of(first) or \
                    self.placement.current_section
            raise
        finally:
            if trial is not None:
                del trial.drawOn  # never left on a block another layout might draw
            if watched is not None:
                del watched.wrapOn, watched.drawOn

    def _watch_block(self, block: Flowable) -> None:
        """Have the recorder told where the client's block is drawn on the first page, and
        in what room (ReportLab's frame wraps it, then draws it)."""
        recorder, offered = self.recorder, [0.0, 0.0, 0.0, 0.0]
        assert recorder is not None
        wrap_on, draw_on = block.wrapOn, block.drawOn

        def wrapped(canv: Canvas, width: float, height: float) -> tuple[float, float]:
            took: tuple[float, float] = wrap_on(canv, width, height)
            offered[:] = [width, height, *took]
            return took

        def drawn(canv: Canvas, x: float, y: float, _sW: float = 0) -> None:  # noqa: N803
            recorder.block_begins(canv, (offered[0], offered[1]), (offered[2], offered[3]),
                                  (x, y, _sW))
            draw_on(canv, x, y, _sW)
            recorder.block_ends(canv)

        block.wrapOn, block.drawOn = wrapped, drawn

    def afterFlowable(self, flowable: Flowable) -> None:  # noqa: N802 - ReportLab's hook name
        p = self.placement
        page = self.page
        if isinstance(flowable, SectionMark):
            p.current_section = flowable.name
        if not isinstance(flowable, Spacer | ActionFlowable):  # content, not breaks or gaps
            p.first_section_on.setdefault(page, p.current_section)
        if self.recorder is not None:
            self.recorder.placed(flowable, page)
        frame = getattr(self, "frame", None)
        if frame is None:
            return
        p.frame_top[page] = frame._y1 + frame._height - frame._topPadding
        p.frame_bottom[page] = frame._y1 + frame._bottomPadding
        p.lowest[page] = min(p.lowest.get(page, frame._y), frame._y)


def _canvas_class(design: PageDesign, theme: Theme, spec: PageSpec, meta: Metadata,
                  glyphs: GlyphOrder = (),
                  learn_glyphs: Callable[[GlyphOrder], None] | None = None) -> type:
    """A canvas that finishes each page only once the page count is known (Page 1 of 2),
    and writes the document tagged: its structure tree is recorded as the pages are drawn.

    `glyphs` are reserved before anything is drawn (see `reserve_glyphs`); `learn_glyphs`
    is told, once every page is drawn, what the document drew in which face."""

    class NumberedCanvas(Canvas):
        def __init__(self, *args: object, **kw: object) -> None:
            super().__init__(*args, **kw)
            self._deferred: list[dict[str, object]] = []
            self.structure = StructureTree(meta.lang)
            reserve_glyphs(self._doc, glyphs)

        def showPage(self) -> None:  # noqa: N802 - ReportLab's method name
            self._deferred.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            total = len(self._deferred)
            for state in self._deferred:
                self.__dict__.update(state)
                # everything not tagged on the page is an artifact
                self._code.insert(0, OPEN_ARTIFACT)
                design.finish_page(self, theme, spec, self._pageNumber, total)
                self._code.append(CLOSE)
                # the file's /ID: a digest of what every page draws, not of the clock
                self._doc.updateSignature("\n".join(self._code))
                Canvas.showPage(self)
            if learn_glyphs is not None:
                learn_glyphs(glyphs_used(self._doc))
            if meta.actual_size:
                self.setViewerPreference("PrintScaling", "None")
            self.structure.write(self._doc, self._doc.Pages.pages, xmp_packet(
                meta.title, meta.author, meta.subject, meta.keywords, meta.lang,
                meta.creator))
            archival(self._doc, self._doc.Pages.pages)
            Canvas.save(self)

    write_streams_with_eol()
    deflate_repeats_once()
    format_faster()
    return NumberedCanvas


class _TrialCanvas(Canvas):
    """A canvas for trial layouts, which only count pages: nothing is kept or written.

    Layout never depends on what is drawn, so a trial reaches the same page count as the
    real thing. Pictures and codes skip their drawing on it (`dry`).
    """

    dry = True

    def showPage(self) -> None:  # noqa: N802 - ReportLab's method name
        self._startPage()

    def save(self) -> None:
        pass

    def drawImage(self, *args: object, **kw: object) -> None:  # noqa: N802
        pass

    def linkURL(self, *args: object, **kw: object) -> None:  # noqa: N802
        pass


def frame(x: float, y: float, width: float, height: float, name: str) -> Frame:
    return Frame(x, y, width, height, leftPadding=0, rightPadding=0, topPadding=0,
                 bottomPadding=0, id=name)


@dataclass(frozen=True)
class Box:
    """A rectangle on the page, in points from the lower-left corner."""

    x: float
    y: float
    width: float
    height: float

    @property
    def top(self) -> float:
        return self.y + self.height

    def inset(self, dx: float, dy: float | None = None) -> Box:
        dy = dx if dy is None else dy
        return Box(self.x + dx, self.y + dy, self.width - 2 * dx, self.height - 2 * dy)


def fill(c: Canvas, box: Box, colour: Color, radius: float = 0) -> None:
    """A coloured panel: square where it runs into the bleed, rounded where it floats."""
    c.saveState()
    c.setFillColor(colour)
    if radius:
        c.roundRect(box.x, box.y, box.width, box.height, radius, stroke=0, fill=1)
    else:
        c.rect(box.x, box.y, box.width, box.height, stroke=0, fill=1)
    c.restoreState()


def draw_masthead(c: Canvas, masthead: Masthead, theme: Theme, content: Box,
                  logo: float) -> None:
    """The brand band's content: logo, spa name and tagline, and the document kind at the
    right, all inside `content` (the band itself is painted by the page design)."""
    mid = content.y + content.height / 2
    c.drawImage(_logo_image(masthead.logo), content.x, mid - logo / 2, logo, logo, mask="auto",
                preserveAspectRatio=True)
    text_x = content.x + logo + 3.5 * mm
    right = content.x + content.width
    kind_style = theme.style("header.kind")
    kind_w = min(stringWidth(masthead.kind_label, kind_style.fontName, kind_style.fontSize) + 2,
                 (right - text_x) * 0.4)
    text_w = right - text_x - kind_w - 6 * mm
    name = para(masthead.spa_name, theme, "header.name")
    tagline = para(masthead.tagline, theme, "header.tagline")
    kind = para(masthead.kind_label, theme, "header.kind")
    _, name_h = name.wrap(text_w, content.height)
    _, tag_h = tagline.wrap(text_w, content.height)
    if name_h + tag_h > content.height:  # a small card's band has room for the name only
        tag_h = 0
    block = name_h + tag_h
    name.drawOn(c, text_x, mid + block / 2 - name_h)
    if tag_h:
        tagline.drawOn(c, text_x, mid + block / 2 - block)
    _, kind_h = kind.wrap(kind_w, content.height)
    kind.drawOn(c, right - kind_w, mid - kind_h / 2)
    c.saveState()
    c.setStrokeColor(theme.palette.accent)
    c.setLineWidth(1.2)
    rule_x = right - kind_w - 3 * mm
    c.line(rule_x, mid - content.height * 0.3, rule_x, mid + content.height * 0.3)
    c.restoreState()


#: The running head of a handout's later pages: a slim line, logo, spa and treatment.
RUNNING_HEAD = 8 * mm


@dataclass(frozen=True)
class HandoutPages:
    """Aftercare pages: a brand band on page 1, a slim running head on the others; the
    disclaimer and page numbers on every page (the disclaimer tagged as a paragraph on the
    last, page furniture on the others, so a screen reader reads it once)."""

    masthead: Masthead

    def _band_height(self, theme: Theme) -> float:
        return theme.body_pt * 2.4 + 9 * mm

    def _footer_height(self, theme: Theme, spec: PageSpec) -> float:
        _, h = para(self.masthead.disclaimer, theme, "footer").wrap(spec.width - 25 * mm, 1000)
        return h + 4 * mm

    def templates(self, theme: Theme, spec: PageSpec) -> list[PageTemplate]:
        ox, oy = spec.bleed, spec.bleed
        page_w, page_h = spec.size
        m = theme.margin
        bottom = oy + m + self._footer_height(theme, spec) + 2 * mm
        first_top = oy + page_h - m - self._band_height(theme) - 4 * mm
        later_top = oy + page_h - m - RUNNING_HEAD - 2 * mm

        def band(c: Canvas, doc: BaseDocTemplate) -> None:
            height = self._band_height(theme)
            panel = Box(ox + m, oy + page_h - m - height, page_w - 2 * m, height)
            fill(c, panel, theme.palette.primary, radius=3 * mm)
            draw_masthead(c, self.masthead, theme, panel.inset(4 * mm, 3 * mm),
                          logo=min(height - 5 * mm, 20 * mm))

        def running_head(c: Canvas, doc: BaseDocTemplate) -> None:
            top = oy + page_h - m
            logo = RUNNING_HEAD - 2 * mm
            c.drawImage(_logo_image(self.masthead.logo), ox + m, top - logo, logo, logo,
                        mask="auto", preserveAspectRatio=True)
            name = para(self.masthead.spa_name, theme, "running")
            _, name_h = name.wrap(spec.width / 2, RUNNING_HEAD)
            name.drawOn(c, ox + m + logo + 2.5 * mm, top - logo / 2 - name_h / 2)
            what = para(f"{self.masthead.treatment_name} · {self.masthead.kind_label}"
                        if theme.line_breaking == "words" else self.masthead.treatment_name,
                        theme, "running.name")
            _, what_h = what.wrap(spec.width / 2, RUNNING_HEAD)
            what.drawOn(c, ox + m + spec.width / 2, top - logo / 2 - what_h / 2)
            c.saveState()
            c.setStrokeColor(theme.palette.accent)
            c.setLineWidth(0.8)
            c.line(ox + m, top - RUNNING_HEAD, ox + m + spec.width, top - RUNNING_HEAD)
            c.restoreState()

        return [
            PageTemplate("first", [frame(ox + m, bottom, spec.width, first_top - bottom,
                                         "first")], onPage=band, autoNextPageTemplate="later"),
            PageTemplate("later", [frame(ox + m, bottom, spec.width, later_top - bottom,
                                         "later")], onPage=running_head),
        ]

    def finish_page(self, c: Canvas, theme: Theme, spec: PageSpec, page: int,
                    total: int) -> None:
        ox = oy = spec.bleed
        m = theme.margin
        disclaimer = para(self.masthead.disclaimer, theme, "footer")
        if page == total:  # read once, after the story; a repeat on the other pages
            disclaimer.structure = "P"
        _, h = disclaimer.wrap(spec.width - 25 * mm, 1000)
        base = oy + m
        c.saveState()
        c.setStrokeColor(theme.palette.accent)
        c.setLineWidth(0.8)
        c.line(ox + m, base + h + 2.5 * mm, ox + m + spec.width, base + h + 2.5 * mm)
        c.restoreState()
        disclaimer.drawOn(c, ox + m, base)
        label = para(self.masthead.page_label.format(page=page, pages=total), theme,
                     "footer.page")
        label_w, label_h = label.wrap(25 * mm, 100)
        label.drawOn(c, ox + m + spec.width - label_w, base + h - label_h)


def _doc(out: BytesIO, theme: Theme, spec: PageSpec, meta: Metadata, placement: _Placement,
         page_limit: int | None = None, later: LaterPages | None = None,
         recorder: Recorder | None = None, first: FirstPage | None = None) -> _Doc:
    media = spec.media
    return _Doc(
        out, placement=placement, page_limit=page_limit, later=later, recorder=recorder,
        first=first,
        pagesize=media,
        leftMargin=theme.margin,
        rightMargin=theme.margin, topMargin=theme.margin, bottomMargin=theme.margin,
        title=meta.title, author=meta.author, subject=meta.subject, creator=meta.creator,
        producer=meta.creator, keywords=list(meta.keywords), lang=meta.lang, invariant=1,
        pageCompression=1, initialFontName=theme.family.regular,
        initialFontSize=theme.body_pt, displayDocTitle=1,
        trimBox=spec.trim_box, bleedBox=(0, 0, media[0], media[1]),
    )


def _layout(story: list[Flowable], theme: Theme, spec: PageSpec, design: PageDesign,
            meta: Metadata, glyphs: GlyphOrder = (),
            learn_glyphs: Callable[[GlyphOrder], None] | None = None,
            later: MutableMapping[Hashable, LaterPages] | None = None,
            later_key: Hashable = None, first_too: bool = True
            ) -> tuple[bytes, int, _Placement]:
    """The story laid out and drawn; with `later`, the pages after the first are drawn
    from `later[later_key]` where recorded, else recorded there when sound, and the first
    page around the client's block too (unless `first_too` is off)."""
    placement = _Placement()
    out = BytesIO()
    known = later.get(later_key) if later is not None else None
    recorder = Recorder(glyphs) if later is not None and known is None else None
    doc = _doc(out, theme, spec, meta, placement, later=known, recorder=recorder,
               first=known.first if known is not None and first_too else None)
    doc.addPageTemplates(design.templates(theme, spec))
    try:
        doc.build(story, canvasmaker=_canvas_class(design, theme, spec, meta, glyphs,
                                                   learn_glyphs))
    except NotAlike:  # the first page would not come out as laid out: lay it out
        return _layout(story, theme, spec, design, meta, glyphs, learn_glyphs, later,
                       later_key, first_too=False)
    except _DrawnBefore:
        assert known is not None
        draw_again(doc.canv, known)
        doc.canv._doc.info = doc._savedInfo
        doc.canv.save()
        return out.getvalue(), doc.page + len(known.pages), placement
    except ReportLabLayoutError:
        # one block taller than a whole page: overflow past the last page by its excess
        page = max(doc.page, spec.max_pages) + 1
        placement.first_section_on[page] = placement.current_section
        placement.frame_top[page] = placement.too_tall
        placement.lowest[page] = 0
        return b"", page, placement
    finally:
        record = recorder.stop() if recorder is not None else None
    if later is not None and record is not None and doc.page <= spec.max_pages:
        later[later_key] = record
    return out.getvalue(), doc.page, placement


def _fits(story: list[Flowable], theme: Theme, spec: PageSpec, design: PageDesign,
          meta: Metadata) -> bool:
    """Whether the story fits `spec.max_pages`, from a trial layout that writes nothing and
    stops as soon as a page past the limit begins (the same page count as `_layout`)."""
    doc = _doc(BytesIO(), theme, spec, meta, _Placement(), page_limit=spec.max_pages)
    doc._doSave = 0
    doc.addPageTemplates(design.templates(theme, spec))
    try:
        doc.build(story, canvasmaker=_TrialCanvas)
    except (_Overflow, ReportLabLayoutError):
        return False
    return doc.page <= spec.max_pages


def _story(compose: Story, theme: Theme) -> list[Flowable]:
    story = compose(theme)
    while story and isinstance(story[-1], Spacer):
        story.pop()  # a gap after the last block must never start a page of its own
    return story


def fits_at_floor(compose: Story, design: PageDesign, spec: PageSpec, meta: Metadata,
                  theme_for: Callable[[float, float], Theme]) -> bool:
    """Whether the story fits at the smallest body size and tightest spacing `render`
    tries (if not there, at no size), from one trial layout."""
    theme = theme_for(spec.body_sizes[-1], spec.tighter[-1] if spec.tighter else 1.0)
    return _fits(_story(compose, theme), theme, spec, design, meta)


def render(compose: Story, design: PageDesign, spec: PageSpec, meta: Metadata,
           theme_for: Callable[[float, float], Theme], what: str,
           trials: MutableMapping[Hashable, bool] | None = None,
           trial_key: Callable[[Theme], Hashable] | None = None, dry: bool = False,
           glyphs: GlyphOrder = (),
           learn_glyphs: Callable[[GlyphOrder], None] | None = None,
           later: MutableMapping[Hashable, LaterPages] | None = None) -> bytes:
    """Lay out the story at the largest body size that fits `spec.max_pages`, then with
    tighter spacing at the smallest size; else refuse, naming the section that overflows.

    `what` names the document in the error (treatment, kind, language, paper).

    With `trials` and `trial_key`, whether a size fits is remembered under
    `trial_key(theme)`: the caller's promise that two stories with the same key (at that
    size and spacing) take the same room, page for page. A batch of personalised sheets
    lays out its shared content once per size instead of once per client.

    `dry` only asks whether it can be made: the first trial that fits ends it (returning
    no bytes), and only a refusal is laid out in full, to measure the overflow.

    `glyphs` and `learn_glyphs`: the font subsets' order, as `_canvas_class` takes them.

    With `later` too, what the pages after the first draw is kept there under
    `trial_key(theme)` and `glyphs` and drawn from there the next time: the caller's
    further promise that two stories with the same key draw the same after their first
    page, save what is marked `personal` (see later_pages.py).
    """
    placement = _Placement()
    floor = spec.body_sizes[-1]
    attempts = [(body, 1.0) for body in spec.body_sizes] + [(floor, t) for t in spec.tighter]

    def story_at(body_pt: float, spacing: float) -> tuple[list[Flowable], Theme]:
        theme = theme_for(body_pt, spacing)
        return _story(compose, theme), theme

    # Every attempt but the last is first tried cheaply (nothing drawn or written, stopped
    # at the first page too many); only the first that fits, or the last, is laid out for
    # real. The size chosen is the same as laying each out in full, in order.
    for number, (body_pt, spacing) in enumerate(attempts, start=1):
        key: Hashable = None
        if number < len(attempts) or dry:
            key = (trial_key(theme_for(body_pt, spacing))
                   if trials is not None and trial_key is not None else None)
            fits = trials.get(key) if trials is not None and key is not None else None
            if fits is None:
                fits = _fits(*story_at(body_pt, spacing), spec, design, meta)
                if trials is not None and key is not None:
                    trials[key] = fits
            if not fits:
                continue
            if dry:
                return b""
        if later is not None and trial_key is not None and key is None:
            key = trial_key(theme_for(body_pt, spacing))
        later_key = (key, glyphs) if later is not None and key is not None else None
        pdf, pages, placement = _layout(*story_at(body_pt, spacing), spec, design, meta,
                                        glyphs, learn_glyphs,
                                        later if later_key is not None else None, later_key)
        if pages <= spec.max_pages:
            return pdf
    if dry:  # refused: the last attempt laid out in full says by how much
        _, _, placement = _layout(*story_at(*attempts[-1]), spec, design, meta)
    section = placement.first_section_on.get(spec.max_pages + 1, "") or "the first section"
    limit = "1 page" if spec.max_pages == 1 else f"{spec.max_pages} pages"
    if placement.too_tall:
        # one block taller than a whole page: the layout stopped there, so what follows it
        # was never measured; its excess over a page is the least that must go
        overflow_mm = max(1, math.ceil(placement.too_tall / mm))
        by = f"overflows by at least {overflow_mm} mm: it is taller than a whole page"
    else:
        over = [p for p in placement.lowest if p > spec.max_pages]
        spilled = sum(placement.frame_top[p] - placement.lowest[p] for p in over)
        last = spec.max_pages
        left_free = (placement.lowest[last] - placement.frame_bottom[last]
                     if last in placement.lowest and last in placement.frame_bottom else 0.0)
        # what spilled over, less the room a block kept whole left at the foot of the last page
        overflow_mm = max(1, math.ceil((spilled - left_free) / mm))
        by = f"overflows by about {overflow_mm} mm"
    raise LayoutError(
        f"{what}: does not fit {limit} of {spec.name} even at the smallest body size "
        f"({floor:g} pt) and tightest spacing: section '{section}' {by}. Shorten the text "
        "by that much, from that section or before it.", overflow_mm, section,
    )


def _logo_image(path: Path) -> ImageReader:
    """The logo as ReportLab reads it, once per file version (known by its bytes: a running
    desk draws a logo replaced under the same name and date). Given an image rather than a
    file name, ReportLab names the PDF object from the pixels, not from the absolute path,
    so the same content gives the same bytes in any folder."""
    return _read_image(path, digest(path))


@lru_cache(maxsize=8)
def _read_image(path: Path, file_digest: bytes) -> ImageReader:
    """A logo ReportLab would print otherwise than a viewer shows it (turned by EXIF, 16-bit
    grey) is placed as its upright pixels; any other as its own file."""
    from PIL import Image

    from handouts.content.pictures import placeable, upright

    with Image.open(path) as image:
        if not placeable(image):
            return ImageReader(upright(image))
    return ImageReader(str(path))
