"""Making one document (catalogue/document.py): a batch of personalised sheets remembers
which body size fits, and prints exactly what each sheet made alone prints."""

from __future__ import annotations

from collections.abc import Hashable

import pytest

import handouts.catalogue.document as documents
import handouts.render.document as document
import handouts.render.kinds as kinds
from handouts.catalogue.document import render_job
from handouts.catalogue.plan import Job
from handouts.content.appointments import Visit
from handouts.content.cache import learnt
from handouts.content.load import Library, load_library
from handouts.errors import LayoutError

VISITS = [
    Visit(client="Emma Wilson", therapist="Linh", date="2026-11-24",
          notes="Roll the arch over a cold bottle twice a day.", next_visit="2026-12-01"),
    Visit(client="Bo", date="2026-11-24"),
    Visit(client="Nguyễn Thị Minh Khai", therapist="Linh", date="2026-11-24",
          notes="Ice after running. " * 12),
    Visit(client="Long Notes", date="2026-11-24", notes="Very long notes. " * 40),
]


def _full_layout_fits(story, theme, spec, design, meta) -> bool:  # type: ignore[no-untyped-def]
    """The reference: whether a size fits, from a complete layout with everything drawn."""
    return document._layout(story, theme, spec, design, meta)[1] <= spec.max_pages


def _pdf_or_error(library: Library, job: Job, size: str | None = None, bleed: float = 0,
                  visit: Visit | None = None) -> bytes:
    try:
        return render_job(library, job, size, bleed, visit=visit)
    except LayoutError as exc:
        return str(exc).encode()


@pytest.mark.parametrize(("job", "size", "bleed"), [
    (Job("plantar-fasciitis", "aftercare", "en"), "a4", 0),
    (Job("plantar-fasciitis", "aftercare", "ja"), "letter", 0),
    (Job("plantar-fasciitis", "flyer", "ko"), "a6", 3),
    (Job("plantar-fasciitis", "flyer", "en"), "a5", 0),
])
def test_trial_layouts_choose_the_size_full_layouts_choose(
        shipped_library: Library, monkeypatch: pytest.MonkeyPatch, job: Job, size: str,
        bleed: float) -> None:
    quick = _pdf_or_error(shipped_library, job, size, bleed)
    monkeypatch.setattr(document, "_fits", _full_layout_fits)
    assert quick == _pdf_or_error(shipped_library, job, size, bleed)


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_a_batch_remembering_sizes_prints_what_each_sheet_alone_prints(
        shipped_library: Library, monkeypatch: pytest.MonkeyPatch, lang: str) -> None:
    job = Job("plantar-fasciitis", "aftercare", lang)
    batch = [_pdf_or_error(shipped_library, job, size, visit=visit)
             for visit in VISITS for size in ("a4", "letter")]
    assert learnt(shipped_library)  # the batch did remember
    # each sheet alone: nothing remembered, every size laid out in full
    monkeypatch.setattr(documents, "learnt", lambda library: {})
    monkeypatch.setattr(document, "_fits", _full_layout_fits)
    alone = [_pdf_or_error(shipped_library, job, size, visit=visit)
             for visit in VISITS for size in ("a4", "letter")]
    assert batch == alone
    assert any(pdf.startswith(b"%PDF") for pdf in batch)
    assert any(not pdf.startswith(b"%PDF") for pdf in batch)  # the long notes do not fit


def test_what_a_batch_learnt_is_forgotten_with_its_library(shipped_library: Library) -> None:
    render_job(shipped_library, Job("plantar-fasciitis", "aftercare", "en"), visit=VISITS[1])
    assert learnt(shipped_library)
    again = load_library(shipped_library.data_dir, shipped_library.fonts_dir)
    assert learnt(again) == {}


def _squashed_text(pdf: bytes) -> str:
    from io import BytesIO

    from pypdf import PdfReader

    return "".join("".join(page.extract_text().split()) for page in PdfReader(BytesIO(pdf)).pages)


def _visit(notes: str) -> Visit:
    return Visit(client="Nguyễn Thị Minh Khai", therapist="Linh", date="2026-11-24",
                 next_visit="2026-12-01", notes=notes)


def test_a_sheet_gives_up_its_questions_rather_than_the_therapists_notes(
        shipped_library: Library, monkeypatch: pytest.MonkeyPatch) -> None:
    job = Job("plantar-fasciitis", "aftercare", "vi")
    notes = " ".join(["Lăn vòm bàn chân trên chai nước lạnh mỗi sáng."] * 6)
    faq = "".join(shipped_library.labels["vi"].sections.faq.split())
    short = _squashed_text(render_job(shipped_library, job, visit=_visit("Nghỉ ngơi.")))
    assert faq in short  # short notes: the questions stay
    roomy = _squashed_text(render_job(shipped_library, job, visit=_visit(notes)))
    assert "".join(notes.split()) in roomy and faq not in roomy
    whole = kinds.compose_aftercare
    monkeypatch.setattr(kinds, "compose_aftercare",
                        lambda *a, without_faq=False, **k: whole(*a, **k))
    with pytest.raises(LayoutError):  # the whole story could not hold these notes
        render_job(shipped_library, job, visit=_visit(notes))


def test_notes_too_long_even_without_the_questions_say_how_much_of_them_fits(
        shipped_library: Library) -> None:
    import re

    job = Job("plantar-fasciitis", "aftercare", "vi")
    notes = ("Nghỉ ngơi và uống nước. " * 40).strip()
    with pytest.raises(LayoutError) as refused:
        render_job(shipped_library, job, visit=_visit(notes))
    said = re.search(r"about (\d+) of their (\d+) characters fit", str(refused.value))
    assert said is not None and int(said[2]) == len(notes), str(refused.value)
    fit = int(said[1])
    render_job(shipped_library, job, visit=_visit(notes[:fit]))  # that much does fit
    with pytest.raises(LayoutError):  # and the next word does not
        render_job(shipped_library, job, visit=_visit(notes[:notes.index(" ", fit + 1)]),
                   explain=False)


def test_later_pages_kept_with_what_was_learnt_are_few_the_oldest_going_first() -> None:
    from handouts.catalogue.document import MAX_LATER_PAGES, LaterPagesKept
    from handouts.render.later_pages import LaterPages

    answers: dict[Hashable, object] = {("sheet fits", 1): True}
    kept = LaterPagesKept(answers)
    for number in range(MAX_LATER_PAGES + 2):
        kept[number] = LaterPages((), ())
    assert list(kept) == list(range(2, MAX_LATER_PAGES + 2))
    assert answers[("sheet fits", 1)] is True  # the other answers stay
