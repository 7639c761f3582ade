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
"""

from __future__ import annotations

from collections.abc import Sequence
from contextvars import ContextVar, Token
from dataclasses import dataclass
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
class LaterPages:
    """What a document drew after its first page, and the kinds of block its story still
    had to place when the second began: a story that stands elsewhere there (another
    story under the same key) is laid out, never drawn from this."""

    left: tuple[str, ...]
    pages: tuple[LaterPage, ...]


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
    return record.left == story_left(left) and all(
        canvas._doc.hasForm(name) for page in record.pages for name in page.forms)


def draw_again(canvas: Canvas, record: LaterPages) -> None:
    """Draw the recorded pages after the canvas's current one, each finished as it was."""
    tree: StructureTree = canvas.structure
    for page in record.pages:
        tree.replay(canvas, page.tagging)
        canvas._code = list(page.code)
        canvas._formsinuse = list(page.forms)
        canvas.showPage()


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
    """Records the later pages of one document as it is laid out, and says whether the
    record is sound (see the module's note)."""

    def __init__(self, reserved: GlyphOrder) -> None:
        self.reserved = {face: frozenset(map(ord, characters)) for face, characters in reserved}
        self.pages: list[LaterPage] = []
        self.left: tuple[str, ...] = ()
        self.sound = True
        self.personal_pages: set[int] = set()
        self.document: object = None
        self.drawn: list[tuple[TTFont, str]] = []
        self._watching: Token[Recorder | None] | None = None
        self._before: dict[str, Any] = {}
        self._objects: set[str] = set()
        self._fonts: dict[str, str] = {}

    def begin_page(self, canvas: Canvas, left: Sequence[Flowable]) -> None:
        """A page after the first is about to begin, with `left` to place."""
        if self._watching is None:  # from now until `stop`, note the strings drawn
            self.left = story_left(left)
            self.document = canvas._doc
            _watch_text()
            self._watching = _recording.set(self)
        self._before = _state(canvas)
        self._objects = set(canvas._doc.idToObject)
        self._fonts = dict(canvas._doc.fontMapping)
        canvas.structure.log = []

    def end_page(self, canvas: Canvas) -> None:
        """A page after the first is drawn, about to be shown."""
        tree: StructureTree = canvas.structure
        added = set(canvas._doc.idToObject) - self._objects
        if (_state(canvas) != self._before or dict(canvas._doc.fontMapping) != self._fonts
                or any(not name.startswith("Annot.") for name in added) or tree.log is None):
            self.sound = False
        self.pages.append(LaterPage(tuple(canvas._code), tuple(canvas._formsinuse),
                                    tuple(tree.log or ())))
        tree.log = None

    def placed(self, flowable: Flowable, page: int) -> None:
        if is_personal(flowable):
            self.personal_pages.add(page)

    def stop(self) -> LaterPages | None:
        """The record, if sound: the client's details placed on the first page only, and
        every character drawn after it of a code reserved before anything was drawn."""
        if self._watching is not None:
            _recording.reset(self._watching)
            self._watching = None
        if not (self.sound and self.pages and self.personal_pages == {1}):
            return None
        for font, text in self.drawn:
            reserved = self.reserved.get(font.fontName, frozenset())
            for char in text:
                code = 0x20 if char == "\xa0" else ord(char)
                if code not in ASCII_PRESET and code in font.face.charToGlyph \
                        and code not in reserved:
                    return None
        return LaterPages(self.left, tuple(self.pages))


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
            recorder.drawn.append((font, text))
        return split(font, text, doc, *args)

    TTFont.splitString = noted
