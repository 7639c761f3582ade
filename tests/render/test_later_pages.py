"""Later pages: a batch lays out what follows a client's details once, and only records
what is the same for every client."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import replace
from functools import partial
from pathlib import Path

import pytest
from reportlab.platypus import Flowable, Spacer

import handouts.catalogue.document as making
import handouts.render.document as rendering
from handouts.catalogue.plan import Job
from handouts.catalogue.sheets import make_sheet
from handouts.content.appointments import Visit
from handouts.content.cache import learnt
from handouts.content.load import Library
from handouts.render import later_pages
from handouts.render.fonts import GlyphOrder
from handouts.render.later_pages import FirstPage, LaterPage, LaterPages, Recorder, personal
from handouts.render.sizes import Size


def origin(field: str) -> tuple[Path, int, int]:
    return Path("day.csv"), 1, 1


def sheets(library: Library, clients: list[tuple[str, str]]) -> list[bytes]:
    """Each client's sheet, made one after the other in this process as a batch makes them."""
    return [make_sheet(library, "plantar-fasciitis", lang, Visit(
        client=name, therapist="Linh", date=dt.date(2026, 11, 24), notes="Ice the heel."),
        origin)[1] for name, lang in clients]


@pytest.fixture
def drawn_again(monkeypatch: pytest.MonkeyPatch, shipped_library: Library) -> list[int]:
    """How many pages each sheet drew from a record, with no record kept from before."""
    for key in list(making.LaterPagesKept(learnt(shipped_library))):
        del making.LaterPagesKept(learnt(shipped_library))[key]
    calls: list[int] = []
    draw = later_pages.draw_again

    def counted(canvas: object, record: LaterPages) -> None:
        calls.append(len(record.pages))
        draw(canvas, record)

    monkeypatch.setattr(rendering, "draw_again", counted)
    return calls


def test_a_batch_lays_out_the_later_page_once_per_language(
        shipped_library: Library, drawn_again: list[int]) -> None:
    sheets(shipped_library, [("Emma Wilson", "en"), ("Zoë Ødegård", "en"),
                             ("Nguyễn Thị Hoa", "vi"), ("Client 3", "en"),
                             ("Đặng Quốc Bảo", "vi")])
    assert drawn_again == [1, 1, 1]  # the second and third English, the second Vietnamese


def test_a_page_drawing_a_character_without_a_reserved_code_is_never_recorded(
        shipped_library: Library, drawn_again: list[int], monkeypatch: pytest.MonkeyPatch
) -> None:
    reserved = making.sheet_glyphs

    def short_of_one_face(library: Library, job: Job, size: Size) -> GlyphOrder:
        (face, _), *others = reserved(library, job, size)
        return ((face, ""), *others)  # the regular face's characters, numbered as drawn

    monkeypatch.setattr(making, "sheet_glyphs", short_of_one_face)
    sheets(shipped_library, [("Nguyễn Thị Hoa", "vi"), ("Đặng Quốc Bảo", "vi")])
    assert drawn_again == [] and not making.LaterPagesKept(learnt(shipped_library))


@pytest.mark.parametrize(("pages", "recorded"), [({1}, True), ({1, 2}, False),
                                                  (set(), False)])
def test_a_record_is_kept_only_when_the_client_s_details_are_on_the_first_page(
        pages: set[int], recorded: bool) -> None:
    recorder = Recorder(())
    recorder.pages.append(LaterPage(("BT ET",), (), ()))
    recorder.placed(Spacer(1, 1), 2)  # the treatment's own blocks go anywhere
    for page in pages:
        recorder.placed(personal(Spacer(1, 1)), page)
    assert (recorder.stop() is not None) == recorded


def visit(name: str, notes: str | None = "Ice the heel.",
          next_visit: dt.date | None = None) -> Visit:
    return Visit(client=name, therapist="Linh", date=dt.date(2026, 11, 24), notes=notes,
                 next_visit=next_visit)


def made(library: Library, visits: list[tuple[Visit, str]]) -> list[bytes]:
    return [make_sheet(library, "plantar-fasciitis", lang, v, origin)[1] for v, lang in visits]


def forget_records(library: Library) -> None:
    kept = making.LaterPagesKept(learnt(library))
    for key in list(kept):
        del kept[key]


@pytest.fixture
def first_drawn(monkeypatch: pytest.MonkeyPatch, shipped_library: Library) -> list[str]:
    """The client of each sheet whose first page was drawn from a record, with no record
    kept from before."""
    forget_records(shipped_library)
    calls: list[str] = []
    draw = later_pages.draw_first_again

    def counted(canvas: object, record: FirstPage, story: list[Flowable]) -> None:
        draw(canvas, record, story)  # type: ignore[arg-type]
        calls.append(canvas.structure.lang)  # type: ignore[attr-defined]

    monkeypatch.setattr(rendering, "draw_first_again", counted)
    return calls


def laid_out_in_full(library: Library, visits: list[tuple[Visit, str]],
                     monkeypatch: pytest.MonkeyPatch) -> list[bytes]:
    """The same sheets with every first page laid out (no record of one kept or used)."""
    forget_records(library)
    monkeypatch.setattr(rendering, "_layout", partial(rendering._layout, first_too=False))
    return made(library, visits)


def test_a_batch_draws_each_first_page_around_the_client_s_own_block(
        shipped_library: Library, first_drawn: list[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    """The first client of a language lays the page out; the next ones draw it from that
    record with their own details, and get the sheet laying it out gives them."""
    day = [(visit("Emma Wilson"), "en"), (visit("Zoë Ødegård"), "en"),
           (visit("Nguyễn Thị Hoa"), "vi"), (visit("Client 3"), "en"),
           (visit("Đặng Quốc Bảo"), "vi"), (visit("김민지"), "ko"), (visit("박서준"), "ko")]
    drawn = made(shipped_library, day)
    assert first_drawn == ["en", "en", "vi", "ko"]  # Zoë, Client 3, Đặng Quốc Bảo, 박서준
    assert drawn == laid_out_in_full(shipped_library, day, monkeypatch)


def test_a_block_with_other_parts_lays_its_first_page_out(
        shipped_library: Library, first_drawn: list[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    """Notes, none, a next visit: each kind of block lays out its first page once (its
    parts are tagged apart), then draws it; every sheet as laid out."""
    later = dt.date(2026, 12, 9)
    day = [(visit("Emma Wilson"), "en"), (visit("Ana", notes=None), "en"),
           (visit("Bea", next_visit=later), "en"), (visit("Cai", notes=None), "en"),
           (visit("Dan", next_visit=later), "en"), (visit("Eve"), "en")]
    drawn = made(shipped_library, day)
    assert len(first_drawn) == 3
    assert drawn == laid_out_in_full(shipped_library, day, monkeypatch)


def _other_template(first: FirstPage) -> FirstPage:
    return replace(first, header=("0 g",))


def _other_canvas_at_start(first: FirstPage) -> FirstPage:
    return replace(first, states=("another font", first.states[1]))


def _other_number_of_pieces(first: FirstPage) -> FirstPage:
    return replace(first, marks=(first.marks[0], first.marks[1] + 1))


@pytest.mark.parametrize("otherwise", [_other_template, _other_canvas_at_start,
                                       _other_number_of_pieces])
def test_a_first_page_that_would_not_come_out_alike_is_laid_out(
        otherwise: Callable[[FirstPage], FirstPage], shipped_library: Library,
        first_drawn: list[str], monkeypatch: pytest.MonkeyPatch) -> None:
    """A record whose page template drew otherwise (as one made by another brand would),
    whose canvas stood otherwise where the block began, or whose block tagged another
    number of pieces: the sheet is laid out in full, and is what laying it out gives."""
    day = [(visit("Emma Wilson"), "en"), (visit("Zoë Ødegård"), "en")]
    made(shipped_library, day[:1])
    kept = making.LaterPagesKept(learnt(shipped_library))
    for key in list(kept):
        record = kept[key]
        assert record.first is not None
        kept[key] = replace(record, first=otherwise(record.first))
    drawn = made(shipped_library, day[1:])
    assert first_drawn == []
    assert drawn == laid_out_in_full(shipped_library, day, monkeypatch)[1:]
