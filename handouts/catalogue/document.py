"""Making one document: a checked job -> PDF bytes (building many is build.py's job)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Hashable, Iterator, MutableMapping
from dataclasses import dataclass, replace
from functools import partial
from typing import Any

from reportlab.lib.units import mm

from handouts import __version__
from handouts.catalogue.checks import family_for
from handouts.catalogue.plan import Job, treatments_of
from handouts.content.appointments import Visit
from handouts.content.cache import learnt
from handouts.content.load import Library
from handouts.content.models import Labels
from handouts.content.pictures import Picture
from handouts.content.programme import Dosed, Programme, dosed
from handouts.errors import ContentError, LayoutError, Problem
from handouts.render.aftercare import personal_block
from handouts.render.document import Masthead, Metadata, PageSpec, fits_at_floor, render
from handouts.render.fonts import GlyphOrder, reservable
from handouts.render.kinds import Content, Kind, Layout
from handouts.render.later_pages import LaterPages
from handouts.render.sizes import Size
from handouts.render.theme import Palette, Theme, theme_at


def _sheet_trial_key(job: Job, spec: PageSpec, visit: Visit, labels: Labels, story: int,
                     theme: Theme) -> Hashable:
    """What decides whether a personalised sheet fits, besides the library and the job.

    A sheet's story is the general handout's with the personal block in place of the
    introduction; the block is one unsplittable table kept whole, so only its height moves
    what follows. Same library, document, paper, story (whole, or lighter), size, spacing
    and block height: the same pages. The block's parts (a next visit, notes) are named
    too: the same parts tag the same number of pieces, so the first page drawn from
    another client's record numbers what follows the block alike (see later_pages.py).
    """
    _, height = personal_block(visit, labels, theme, spec.width).wrap(spec.width, 1e6)
    return ("sheet fits", job, spec, story, theme.body_pt, theme.spacing, height,
            visit.exercises, visit.next_visit is not None, visit.notes is not None)


def _document_trial_key(job: Job, spec: PageSpec, size: Size, bleed_mm: float, story: int,
                        theme: Theme) -> Hashable:
    """What decides whether a document without a client fits, besides the library (whose
    learnt answers these are: any change to a content file is another library)."""
    return ("document fits", job, spec, str(size), bleed_mm, story, theme.body_pt,
            theme.spacing)


def _notes_that_fit(library: Library, job: Job, size: Size, bleed_mm: float,
                    visit: Visit) -> int:
    """How many characters of the visit's notes (cut at a word, or anywhere in a language
    that breaks lines between characters or notes without spaces) the sheet has room for.

    Only asked once a sheet has been refused; each probe is one trial layout of the
    lightest story at the type floor (about ten for 1200 characters), and the answer tells
    them exactly how much to cut.
    """
    notes = visit.notes or ""
    spaces = [i for i, char in enumerate(notes) if char.isspace()]
    by_words = library.labels[job.lang].line_breaking == "words" and spaces
    ends = [*spaces, len(notes)] if by_words else list(range(1, len(notes) + 1))
    fits, low, high = 0, 0, len(ends) - 1
    while low <= high:
        middle = (low + high) // 2
        shorter = visit.model_copy(update={"notes": notes[:ends[middle]].rstrip() or None})
        # the lightest story at the smallest type and tightest spacing: if not there, nowhere
        prepared = _prepare(library, job, size, bleed_mm, shorter)
        if fits_at_floor(prepared.layout.lighter[-1], prepared.layout.design,
                         prepared.layout.spec, prepared.meta, prepared.theme_for):
            fits, low = ends[middle], middle + 1
        else:
            high = middle - 1
    return fits


def notes_room(library: Library, job: Job, size: Size | str | None = None,
               programme: Programme | None = None) -> int:
    """About how many characters of notes a client's sheet of `job` has room for (the
    personal block's room, as `_notes_that_fit` measures a refused sheet's), so a form can
    say how much more fits while the therapist types; with the client's own `programme`
    (its cards and notes take room too). Measured once per treatment, language, size and
    programme (about ten trial layouts, each in the language's own script) and kept with
    the library's other learnt answers."""
    size = Size(size) if size else job.size or job.kind.spec.default_size
    answers = learnt(library)
    key = ("notes room", job.treatment, job.lang, str(size), programme)
    if key not in answers:
        word = library.labels[job.lang].language  # a word in the language's own script
        filler = " ".join([word] * 1200)[:1200].rstrip()
        visit = Visit(client=word, therapist=None, date=dt.date(2000, 1, 1), notes=filler,
                      exercises=programme)
        answers[key] = _notes_that_fit(library, job, size, 0, visit)
    return int(answers[key])


def _placed_pictures(library: Library, job: Job) -> dict[str, Picture]:
    """The pictures, each pointing where `job`'s treatment files place it: a picture too
    small there is blamed on that line, not on the first file that named it."""
    places = {name: origin for slug in reversed(treatments_of(library, job))
              for name, origin in library.picture_places.get((slug, job.lang), {}).items()}
    return {**library.pictures, **{name: replace(library.pictures[name], origin=origin)
                                   for name, origin in places.items()}}


def sheet_exercises(library: Library, treatment: str, lang: str,
                    visit: Visit | None) -> list[Dosed]:
    """The exercises a treatment's sheet (and its email) print: the visit's programme, else
    the treatment's own, each from the library in `lang` at its doses."""
    programme = visit.exercises if visit else None
    return dosed(programme, library.treatments[treatment][lang].home_care.exercises,
                 library.exercises, lang)


@dataclass(frozen=True)
class _Prepared:
    """One document ready to lay out: its pages and stories, metadata, and type at a size."""

    layout: Layout
    meta: Metadata
    theme_for: Callable[[float, float], Theme]
    what: str


def _prepare(library: Library, job: Job, size: Size, bleed_mm: float,
             visit: Visit | None) -> _Prepared:
    brand = library.brand
    treatments = [library.treatments[slug][job.lang] for slug in treatments_of(library, job)]
    labels = library.labels[job.lang]
    family = family_for(library, job.lang)
    palette = Palette.from_brand(brand.colours)
    kind = job.kind.spec
    kind_label = kind.label(labels)
    named = treatments[0].name if job.treatment else brand.name  # the catalogue is the spa's
    masthead = Masthead(
        spa_name=brand.name, tagline=brand.tagline[job.lang], kind_label=kind_label,
        treatment_name=named, disclaimer=brand.disclaimer[job.lang],
        page_label=labels.page, logo=library.logo,
    )
    exercises = (sheet_exercises(library, job.treatment, job.lang, visit)
                 if job.kind is Kind.AFTERCARE else [])
    content = Content(treatments, labels, brand, _placed_pictures(library, job), masthead,
                      visit, exercises)
    title = f"{named}: {kind_label}"
    meta = Metadata(
        title=f"{title} ({visit.client})" if visit else title, author=brand.name,
        subject=kind.subject(content), lang=job.lang, creator=f"handouts {__version__}",
        keywords=tuple(k for k in (job.treatment, job.kind.value, job.lang) if k),
        actual_size=kind.actual_size,
    )
    layout = kind.layout(kind, content, size, bleed_mm * mm)
    margin = layout.spec.margin
    return _Prepared(layout, meta, lambda body, spacing: theme_at(
        palette, family, body, labels.line_breaking, margin, spacing),
        f"{f'{job.treatment} ' if job.treatment else ''}{job.kind} ({job.lang}, "
        f"{size.page_name})")


def sheet_glyphs(library: Library, job: Job, size: Size) -> GlyphOrder:
    """The order a client's sheet of `job` reserves its font subsets in: the characters the
    treatment's own handout (no client) draws on `size`, face by face.

    Reserved first, they are encoded alike on every client's sheet whatever the client's
    name holds, so a page without personal content is the same stream of bytes for every
    client. Learnt once per treatment, language and paper (one layout of the handout) and
    kept with the library's other learnt answers.
    """
    answers = learnt(library)
    key = ("glyph order", job, str(size))
    order: GlyphOrder | None = answers.get(key)

    def usable(order: GlyphOrder) -> bool:  # fallback faces load when a text needs them
        return reservable(order) or (bool(family_for(library, job.lang).fallbacks)
                                     and reservable(order))
    if order is None or not usable(order):
        prepared = _prepare(library, job, size, 0, None)
        drawn: list[GlyphOrder] = []
        try:
            render(prepared.layout.compose, prepared.layout.design, prepared.layout.spec,
                   prepared.meta, prepared.theme_for, what=prepared.what,
                   learn_glyphs=drawn.append)
        except LayoutError:
            pass  # no handout without a client on this paper: each sheet in its own order
        order = answers[key] = drawn[-1] if drawn else ()
    return order


#: Records of later pages kept with a library's learnt answers: a batch needs one per
#: treatment, language, paper and block height; each is about 100 KB in the cache.
MAX_LATER_PAGES = 8


class LaterPagesKept(MutableMapping[Hashable, LaterPages]):
    """The later pages recorded from a library, kept with its learnt answers, so in the
    content cache too: the next command draws them from there. The oldest go first when
    there are more than MAX_LATER_PAGES."""

    def __init__(self, answers: dict[Hashable, Any]) -> None:
        self.answers = answers

    def _keys(self) -> list[tuple[str, Hashable]]:
        return [key for key in self.answers
                if isinstance(key, tuple) and len(key) == 2 and key[0] == "later pages"]

    def __getitem__(self, key: Hashable) -> LaterPages:
        record: LaterPages = self.answers[("later pages", key)]
        return record

    def __setitem__(self, key: Hashable, record: LaterPages) -> None:
        for old in self._keys()[:max(0, len(self._keys()) + 1 - MAX_LATER_PAGES)]:
            del self.answers[old]
        self.answers[("later pages", key)] = record

    def __delitem__(self, key: Hashable) -> None:
        del self.answers[("later pages", key)]

    def __iter__(self) -> Iterator[Hashable]:
        return (key for _, key in self._keys())

    def __len__(self) -> int:
        return len(self._keys())


def render_job(library: Library, job: Job, size: Size | str | None = None,
               bleed_mm: float = 0, visit: Visit | None = None, explain: bool = True,
               dry: bool = False) -> bytes:
    """PDF bytes for `job` (at its kind's default size unless `size` says otherwise),
    personalised for `visit` when given; with `dry`, no bytes: only whether it can be made
    (trial layouts, nothing drawn), raising what making it would raise.

    Raises LayoutError when it cannot fit without going below the type floors; for a sheet
    whose notes are too long, `explain` works out how much of them would fit.
    """
    size = Size(size) if size else job.size or job.kind.spec.default_size
    prepared = _prepare(library, job, size, bleed_mm, visit)
    layout, what = prepared.layout, prepared.what
    spec = layout.spec
    trials = learnt(library)  # which size fits: kept with the cached library
    glyphs = sheet_glyphs(library, job, size) if visit is not None and not dry else ()
    later = LaterPagesKept(trials) if glyphs and trials is not None else None

    def trial_key(pages: PageSpec, story: int) -> Callable[[Theme], Hashable]:
        """Only the visit's block differs between a client's sheets."""
        if visit is None:
            return partial(_document_trial_key, job, pages, size, bleed_mm, story)
        return partial(_sheet_trial_key, job, pages, visit, library.labels[job.lang], story)

    one = layout.one_page
    if one is not None:  # a document that can be one page is one page
        floor = prepared.theme_for(one.body_sizes[-1], one.tighter[-1] if one.tighter else 1.0)
        key = trial_key(one, 0)(floor)
        fits = trials.get(key)
        if fits is None:  # a trial at the floor: if not there, at no size
            fits = trials[key] = fits_at_floor(layout.compose, layout.design, one,
                                               prepared.meta, prepared.theme_for)
        if fits:
            return render(layout.compose, layout.design, one, prepared.meta,
                          prepared.theme_for, what=what, trials=trials,
                          trial_key=trial_key(one, 0), dry=dry, glyphs=glyphs, later=later)
    refused: LayoutError | None = None
    tries = [(spec, number, compose) for spec in (layout.spec, *layout.more)
             for number, compose in enumerate((layout.compose, *layout.lighter))]
    for spec, number, compose in tries:
        try:
            return render(compose, layout.design, spec, prepared.meta, prepared.theme_for,
                          what=what, trials=trials, trial_key=trial_key(spec, number), dry=dry,
                          glyphs=glyphs, later=later)
        except LayoutError as error:
            if explain and visit is not None and visit.notes and compose is not layout.compose:
                fit = _notes_that_fit(library, job, size, bleed_mm, visit)
                raise LayoutError(
                    f"{what}: the therapist's notes leave no room for two pages, even "
                    f"without the questions and answers: about {fit} of their "
                    f"{len(visit.notes)} characters fit; shorten them by "
                    f"{len(visit.notes) - fit} or more.", error.overflow_mm) from None
            if visit is not None and visit.exercises and compose is not layout.compose:
                raise LayoutError(
                    f"{what}: the home programme's {len(visit.exercises)} exercises leave no "
                    "room for two pages, even without the questions and answers: drop an "
                    "exercise or shorten its note.", error.overflow_mm) from None
            if number == 0:  # the whole story's overflow, on the most pages tried, is told
                refused = error
    assert refused is not None
    if layout.hint:
        raise LayoutError(f"{refused} {layout.hint}", refused.overflow_mm,
                          refused.section) from None
    raise refused


def trial_problems(library: Library, task: tuple[Job, Size]) -> list[Problem]:
    """What stops a document being made at a size, found the cheap way a build chooses its
    type size (trial layouts, nothing drawn or written): a picture too small for its place,
    a section that cannot fit (at its line in the treatment file), whatever else rendering
    would refuse."""
    job, size = task
    # a document of the whole catalogue answers for its layout at its language's labels
    doc = library.treatment_docs.get((job.treatment, job.lang)) or library.label_docs[job.lang]
    try:
        render_job(library, job, size, dry=True)
    except ContentError as exc:
        return list(exc.problems)
    except LayoutError as exc:
        return [doc.problem(tuple(exc.section.split(" ")[0].split(".")), str(exc))]
    except Exception as exc:  # as a build reports it (e.g. a font damaged inside a table)
        return [doc.problem((), f"cannot render ({type(exc).__name__}: {exc})")]
    return []
