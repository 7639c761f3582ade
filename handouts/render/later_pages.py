"""Later pages: what a client's sheet draws after its first page, laid out once per batch.

A client's details sit on the first page of their sheet; what follows is the treatment's,
the same for every client whose details take the same room. With the font subsets reserved
in the treatment's order (`reserve_glyphs`), it is the same operators byte for byte. So the
first such sheet records what its later pages drew (their operators, the forms they show,
the changes they made to the structure tree) and the next ones draw that record instead of
laying those pages out again.

A record is made only where it is what laying out would give: nothing personal was placed
after the first page, every character drawn there had a reserved code, and drawing those
pages changed nothing in the canvas or the document but their operators, the forms they
show, their link annotations and the structure tree, all checked as they are drawn.

The first page is recorded too, around the client's block (`FirstPage`): the same key
promises the block takes the same room, so what the page draws before and after it is the
same. A later sheet draws its page template for real, the record's operators before the
block, its own block where the first one stood, then the rest; it is laid out in full
instead wherever it does not come out alike (`NotAlike`), checked as it is drawn.
"""

from __future__ import annotations

from collections.abc import Sequence
from contextvars import ContextVar, Token
from dataclasses import dataclass, field
from functools import cache
from typing import Any, TypeVar

from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable

from handouts.render.fonts import ASCII_PRESET, GlyphOrder
from handouts.render.tagging import StructureTree, TreeCall


@dataclass(frozen=True)
class LaterPage:
    """One page as drawn: its operators, the forms it shows, its structure tree's changes."""

    code: tuple[str, ...]
    forms: tuple[str, ...]
    tagging: tuple[TreeCall, ...]


@dataclass(frozen=True)
class FirstPage:
    """The first page as drawn around the client's block: what its page template drew
    (`header`, drawn again for real and compared), the story before and after the block,
    where the block stood and the room it took, and what must hold at both its ends."""

    #: The kinds of block the whole story held: another story under the same key (see
    #: `LaterPages`) is laid out, never drawn from this.
    story: tuple[str, ...]
    header: tuple[str, ...]
    before: LaterPage
    after: LaterPage
    #: The room the block was offered (width, height), what it took, where it was drawn
    #: (x, y and the width it left).
    offered: tuple[float, float]
    took: tuple[float, float]
    at: tuple[float, float, float]
    #: The canvas at the block's start and at its end (then also at the page's end).
    states: tuple[str, str]
    #: The marked-content sequences the page had begun at the block's start and end.
    marks: tuple[int, int]


@dataclass(frozen=True)
class LaterPages:
    """What a document drew after its first page, and the kinds of block its story still
    had to place when the second began: a story that stands elsewhere there (another
    story under the same key) is laid out, never drawn from this. With `first`, its first
    page around the client's block too."""

    left: tuple[str, ...]
    pages: tuple[LaterPage, ...]
    first: FirstPage | None = None


@dataclass
class _FirstDrawing:
    """The first page's parts as the recorder meets them: the template and the story's
    start, then the client's block's start and end (`end` set once it is drawn)."""

    story: tuple[str, ...]
    header: tuple[str, ...]
    #: Where the story's operators begin in the page's code.
    start: int
    before: LaterPage | None = None
    offered: tuple[float, float] = (0.0, 0.0)
    took: tuple[float, float] = (0.0, 0.0)
    at: tuple[float, float, float] = (0.0, 0.0, 0.0)
    #: The canvas and the marked-content count at the block's start and end.
    states: list[str] = field(default_factory=list)
    marks: list[int] = field(default_factory=list)
    #: The forms in use at the block's start.
    forms: list[str] = field(default_factory=list)
    #: Where the operators after the block begin in the page's code.
    end: int | None = None


class NotAlike(Exception):
    """A first page drawn from a record does not come out as laying it out would: lay it
    out instead."""


def story_left(flowables: Sequence[Flowable]) -> tuple[str, ...]:
    return tuple(type(flowable).__qualname__ for flowable in flowables)

F = TypeVar("F", bound=Flowable)


def personal(flowable: F) -> F:
    """Mark `flowable` as what differs from one client to the next: a page it is placed on
    is never drawn from another client's record."""
    flowable.personal = True
    return flowable


def is_personal(flowable: Flowable) -> bool:
    return getattr(flowable, "personal", False) is True


def drawable(record: LaterPages, canvas: Canvas, left: Sequence[Flowable]) -> bool:
    """Whether the record can be drawn on this document, its second page about to begin
    with `left` to place: the same kinds of block are left, and every form it shows is
    there."""
    return record.left == story_left(left) and forms_present(record, canvas)


def forms_present(record: LaterPages, canvas: Canvas) -> bool:
    """Whether every form the record's pages show is in the canvas's document."""
    return all(canvas._doc.hasForm(name) for page in record.pages for name in page.forms)


def innermost_personal(story: Sequence[Flowable]) -> Flowable:
    """The client's block itself: the first personal block of `story`, inside whatever
    keeps it together (what ReportLab's frame draws)."""
    found = next((flowable for flowable in story if is_personal(flowable)), None)
    if found is None:
        raise NotAlike("no client's block in this story")
    inner: Sequence[Flowable] = getattr(found, "_content", ())
    while any(is_personal(flowable) for flowable in inner):
        found = next(flowable for flowable in inner if is_personal(flowable))
        inner = getattr(found, "_content", ())
    return found


def draw_again(canvas: Canvas, record: LaterPages) -> None:
    """Draw the recorded pages after the canvas's current one, each finished as it was."""
    tree: StructureTree = canvas.structure
    for page in record.pages:
        tree.replay(canvas, page.tagging)
        canvas._code = list(page.code)
        canvas._formsinuse = list(page.forms)
        canvas.showPage()


def draw_first_again(canvas: Canvas, record: FirstPage, story: Sequence[Flowable]) -> None:
    """Draw the first page of `story` from `record`, with its client's block where the
    record's stood, the page template already drawn; raise NotAlike, having drawn what it
    may, where it would not come out as laying the page out would."""
    tree: StructureTree = canvas.structure
    if story_left(story) != record.story:
        raise NotAlike("another story")
    if tuple(canvas._code) != record.header or tree.marking:
        raise NotAlike("the page template drew otherwise")
    block = innermost_personal(story)
    forms = list(canvas._formsinuse)
    canvas._code.extend(record.before.code)
    tree.replay(canvas, record.before.tagging)
    if fingerprint(canvas) != record.states[0] or tree.marks(canvas) != record.marks[0]:
        raise NotAlike("the canvas stands otherwise where the block begins")
    if block.wrapOn(canvas, *record.offered) != record.took:
        raise NotAlike("the block takes other room")
    block.drawOn(canvas, *record.at)
    if (fingerprint(canvas) != record.states[1] or tree.marks(canvas) != record.marks[1]
            or tree.marking or canvas._formsinuse != forms):
        raise NotAlike("the block leaves the canvas otherwise")
    canvas._code.extend(record.after.code)
    tree.replay(canvas, record.after.tagging)
    if not all(canvas._doc.hasForm(name) for name in record.after.forms):
        raise NotAlike("a form the page shows is not in this document")
    canvas._formsinuse = list(record.after.forms)


#: What the canvas holds for the document as a whole, not for what is drawn next.
_OF_THE_DOCUMENT = frozenset({"_doc", "_filename", "structure", "_pageNumber"})


def fingerprint(canvas: Canvas) -> str:
    """What drawing on `canvas` next depends on (colours, font, line, text and graphics
    state...), in words comparable across documents."""
    return repr(sorted((key, value) for key, value in _state(canvas).items()
                       if key not in _OF_THE_DOCUMENT))


#: The canvas's records of one page, which drawing it fills (and a record makes again),
#: and the layout's own link to the canvas (let go before the last page is shown).
_DRAWN = frozenset({"_code", "_formsinuse", "_annotationrefs", "_annotationCount",
                    "_deferred", "_doctemplate"})


def _state(canvas: Canvas) -> dict[str, Any]:
    """Everything else on the canvas, copied where drawing could change it in place."""
    state = {key: value.copy() if isinstance(value, list | dict | set) else value
             for key, value in vars(canvas).items() if key not in _DRAWN}
    state["_extgstate"] = {key: dict(value) for key, value in vars(canvas._extgstate).items()}
    return state


class Recorder:
    """Records the pages of one document as it is laid out, the first around the client's
    block, and says whether each record is sound (see the module's note)."""

    def __init__(self, reserved: GlyphOrder) -> None:
        self.reserved = {face: frozenset(map(ord, characters)) for face, characters in reserved}
        self.pages: list[LaterPage] = []
        self.left: tuple[str, ...] = ()
        self._left_noted = False
        self.sound = True
        self.personal_pages: set[int] = set()
        self.document: object = None
        #: The strings drawn after the first page, and on it outside the client's block.
        self.drawn: list[tuple[TTFont, str]] = []
        self.drawn_first: list[tuple[TTFont, str]] = []
        self._watching: Token[Recorder | None] | None = None
        self._before: dict[str, Any] = {}
        self._objects: set[str] = set()
        self._fonts: dict[str, str] = {}
        # the first page: its parts as they are drawn, None once it cannot be recorded
        self._first: _FirstDrawing | None = None
        self.first: FirstPage | None = None
        self._in_block = False
        self._first_done = False

    def note(self, font: TTFont, text: str) -> None:
        """`text` was encoded in `font` for this document."""
        if self._in_block:
            return
        (self.drawn_first if not self._first_done else self.drawn).append((font, text))

    def _watch(self, canvas: Canvas) -> None:
        if self._watching is None:  # from now until `stop`, note the strings drawn
            self.document = canvas._doc
            _watch_text()
            self._watching = _recording.set(self)

    def _segment(self, canvas: Canvas) -> None:
        """A stretch of drawing to be recorded begins: note what it may not change."""
        self._before = _state(canvas)
        self._objects = set(canvas._doc.idToObject)
        self._fonts = dict(canvas._doc.fontMapping)
        canvas.structure.log = []

    def _unchanged(self, canvas: Canvas) -> bool:
        """Whether the stretch since `_segment` changed nothing but operators, forms, link
        annotations and the structure tree."""
        added = set(canvas._doc.idToObject) - self._objects
        return not (_state(canvas) != self._before
                    or dict(canvas._doc.fontMapping) != self._fonts
                    or any(not name.startswith("Annot.") for name in added)
                    or canvas.structure.log is None)

    def story_begins(self, canvas: Canvas, story: Sequence[Flowable]) -> None:
        """The first page's template is drawn, `story` about to be placed."""
        self._watch(canvas)
        self._first = _FirstDrawing(story_left(story), tuple(canvas._code), len(canvas._code))
        self._segment(canvas)

    def block_begins(self, canvas: Canvas, offered: tuple[float, float],
                     took: tuple[float, float], at: tuple[float, float, float]) -> None:
        """The client's block is about to be drawn on the first page."""
        first = self._first
        if first is None or first.before is not None or canvas.structure.marking \
                or not self._unchanged(canvas):
            self._first = None
            return
        tree: StructureTree = canvas.structure
        first.before = LaterPage(tuple(canvas._code[first.start:]), (), tuple(tree.log or ()))
        first.offered, first.took, first.at = offered, took, at
        first.states, first.marks = [fingerprint(canvas)], [tree.marks(canvas)]
        first.forms = list(canvas._formsinuse)
        tree.log = None
        self._in_block = True

    def block_ends(self, canvas: Canvas) -> None:
        self._in_block = False
        first = self._first
        if first is None or canvas.structure.marking or canvas._formsinuse != first.forms:
            self._first = None
            return
        first.end = len(canvas._code)
        first.states.append(fingerprint(canvas))
        first.marks.append(canvas.structure.marks(canvas))
        self._segment(canvas)

    def first_page_ends(self, canvas: Canvas) -> None:
        """The first page is drawn, about to be shown."""
        self._first_done = True
        first, tree = self._first, canvas.structure
        if first is None or first.before is None or first.end is None \
                or not self._unchanged(canvas) or fingerprint(canvas) != first.states[1]:
            self._first = None
        else:
            self.first = FirstPage(
                first.story, first.header, first.before,
                LaterPage(tuple(canvas._code[first.end:]), tuple(canvas._formsinuse),
                          tuple(tree.log or ())),
                first.offered, first.took, first.at, (first.states[0], first.states[1]),
                (first.marks[0], first.marks[1]))
        tree.log = None

    def begin_page(self, canvas: Canvas, left: Sequence[Flowable]) -> None:
        """A page after the first is about to begin, with `left` to place."""
        if not self._left_noted:
            self.left, self._left_noted = story_left(left), True
        self._watch(canvas)
        self._segment(canvas)

    def end_page(self, canvas: Canvas) -> None:
        """A page after the first is drawn, about to be shown."""
        tree: StructureTree = canvas.structure
        if not self._unchanged(canvas):
            self.sound = False
        self.pages.append(LaterPage(tuple(canvas._code), tuple(canvas._formsinuse),
                                    tuple(tree.log or ())))
        tree.log = None

    def placed(self, flowable: Flowable, page: int) -> None:
        if is_personal(flowable):
            self.personal_pages.add(page)

    def _reserved(self, drawn: list[tuple[TTFont, str]]) -> bool:
        """Whether every character of `drawn` had a code reserved before anything was."""
        for font, text in drawn:
            reserved = self.reserved.get(font.fontName, frozenset())
            for char in text:
                code = 0x20 if char == "\xa0" else ord(char)
                if code not in ASCII_PRESET and code in font.face.charToGlyph \
                        and code not in reserved:
                    return False
        return True

    def stop(self) -> LaterPages | None:
        """The record, if sound: the client's details placed on the first page only, and
        every character drawn after it of a code reserved before anything was drawn; its
        first page too where that was drawn alike around the client's block."""
        if self._watching is not None:
            _recording.reset(self._watching)
            self._watching = None
        if not (self.sound and self.pages and self.personal_pages == {1}
                and self._reserved(self.drawn)):
            return None
        first = self.first if self._first is not None else None
        if first is not None and not self._reserved(self.drawn_first):
            first = None
        return LaterPages(self.left, tuple(self.pages), first)


#: The recorder noting the strings drawn in this thread, if any.
_recording: ContextVar[Recorder | None] = ContextVar("recording", default=None)


@cache
def _watch_text() -> None:
    """Have ReportLab's TrueType fonts tell the recorder, if any, every string they encode
    for its document (once per process; ReportLab has no hook for it)."""
    split = TTFont.splitString

    def noted(font: TTFont, text: str, doc: object, *args: object) -> Any:
        recorder = _recording.get()
        if recorder is not None and doc is recorder.document:
            recorder.note(font, text)
        return split(font, text, doc, *args)

    TTFont.splitString = noted
