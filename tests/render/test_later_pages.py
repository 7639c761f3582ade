"""Later pages: a batch lays out what follows a client's details once, and only records
what is the same for every client."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from reportlab.platypus import Spacer

import handouts.catalogue.document as making
import handouts.render.document as rendering
from handouts.catalogue.plan import Job
from handouts.catalogue.sheets import make_sheet
from handouts.content.appointments import Visit
from handouts.content.cache import learnt
from handouts.content.load import Library
from handouts.render import later_pages
from handouts.render.fonts import GlyphOrder
from handouts.render.later_pages import LaterPage, LaterPages, Recorder, personal
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
