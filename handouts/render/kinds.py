"""One spec per document kind: its sizes, type floor, pages, page design and story.

Adding a kind is one more `KindSpec` here (plus its compose module and its data); nothing
above the render package branches on a kind.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from enum import Enum
from functools import partial

from reportlab.lib.units import mm
from reportlab.platypus import Flowable

from handouts.content.appointments import Visit
from handouts.content.models import Brand, Labels, Treatment
from handouts.content.pictures import Picture
from handouts.content.programme import Dosed
from handouts.render.aftercare import compose_aftercare
from handouts.render.document import HandoutPages, Masthead, PageDesign, PageSpec
from handouts.render.flyer import GEOMETRY, FlyerPage, compose_flyer, contact_panel
from handouts.render.menu import BODY_START, compose_menu
from handouts.render.sizes import Size
from handouts.render.theme import Theme


class Kind(str, Enum):
    """A kind of document (its value is the spelling in file names and on the CLI)."""

    AFTERCARE = "aftercare"
    FLYER = "flyer"
    MENU = "menu"

    def __str__(self) -> str:
        return self.value

    def __format__(self, spec: str) -> str:
        return format(self.value, spec)

    @property
    def spec(self) -> KindSpec:
        return SPECS[self]


@dataclass(frozen=True)
class Content:
    """What a document is made from, once loaded and checked: one treatment, or for a
    document of the whole catalogue every treatment there is in its language."""

    treatments: Sequence[Treatment]
    labels: Labels
    brand: Brand
    pictures: Mapping[str, Picture]
    masthead: Masthead
    visit: Visit | None = None
    #: The exercises the sheet prints: the client's programme, else the treatment's.
    exercises: Sequence[Dosed] = ()

    @property
    def treatment(self) -> Treatment:
        """The one treatment a document of one treatment is made from."""
        (treatment,) = self.treatments
        return treatment


@dataclass(frozen=True)
class Layout:
    """One document at one size: its pages, its story (at a theme) and its page design.

    `lighter` are shorter stories, tried in order when the whole one cannot fit even at the
    type floor; then `more`, the same pages allowed to run longer (fewest first), for a
    story no shorter version of fits; `hint` says what else takes the page's room, for the
    refusal.
    """

    spec: PageSpec
    compose: Callable[[Theme], list[Flowable]]
    design: PageDesign
    lighter: tuple[Callable[[Theme], list[Flowable]], ...] = ()
    hint: str = ""
    #: The same pages limited to one, tried first: a story that fits one page takes one.
    one_page: PageSpec | None = None
    more: tuple[PageSpec, ...] = ()


@dataclass(frozen=True)
class KindSpec:
    kind: Kind
    #: The size made when none is asked for.
    default_size: Size
    #: The size made in a catalogue build beside handouts on each paper.
    beside: Mapping[Size, Size]
    #: Smallest body size a client should be asked to read (DESIGN.md).
    body_floor: float
    #: The kind's name as the client reads it.
    label: Callable[[Labels], str]
    #: The PDF's subject.
    subject: Callable[[Content], str]
    #: The document's pages and story at a size, with a bleed in points.
    layout: Callable[[KindSpec, Content, Size, float], Layout]
    #: Cut to size, so printed at 100 % (`/PrintScaling /None`), never fitted to the paper.
    actual_size: bool = False
    #: A kind of the whole catalogue (one document per language, of every treatment) is
    #: made at each of these sizes beside handouts on each paper; None: one per treatment.
    catalogue_sizes: Mapping[Size, tuple[Size, ...]] | None = None

    def body_sizes(self, start: float) -> tuple[float, ...]:
        """Body sizes to try, largest first, in quarter points down to the floor."""
        steps = int(round((start - self.body_floor) / 0.25))
        return tuple(start - 0.25 * i for i in range(steps + 1))


def _aftercare_layout(kind: KindSpec, content: Content, size: Size, bleed: float) -> Layout:
    """Two pages from 11 pt down, 12 mm margins, codes 20 mm wide (DESIGN.md's floors);
    one page when the whole story fits one, so a short sheet never leaves its contact
    panel alone on a second page."""
    spec = PageSpec(size.dimensions, 2, kind.body_sizes(11.0), size.page_name, bleed, 12 * mm)
    compose = partial(compose_aftercare, content.treatment, content.labels, content.brand,
                      width=spec.width, pictures=content.pictures, qr_width=20 * mm,
                      visit=content.visit, exercises=content.exercises,
                      body_floor=kind.body_floor)
    # a client's own sheet keeps the therapist's notes and drops the questions if it must
    lighter = ((lambda theme: compose(theme=theme, without_faq=True)),) if content.visit else ()
    return Layout(spec, lambda theme: compose(theme=theme), HandoutPages(content.masthead),
                  lighter, one_page=replace(spec, max_pages=1))


def _flyer_layout(kind: KindSpec, content: Content, size: Size, bleed: float) -> Layout:
    """One page in the size's own geometry: margins, band, code widths, starting body size."""
    geometry = GEOMETRY[size]
    spec = PageSpec(size.dimensions, 1, kind.body_sizes(geometry.body_start), size.page_name,
                    bleed, geometry.margin)
    compose = partial(compose_flyer, content.treatment, content.labels, content.brand,
                      width=spec.width, size=size, pictures=content.pictures)
    design = FlyerPage(content.masthead, geometry, partial(
        contact_panel, content.brand, content.labels, geometry=geometry, size=size,
        pictures=content.pictures))
    hint = (f"The contact panel at the foot, with {len(content.brand.channels)} channels, "
            "takes its room first: fewer codes (brand.yaml's `small_card: handle` on A6), "
            "shorter handles or a larger size leave the rest more.")
    return Layout(spec, lambda theme: compose(theme=theme), design, hint=hint)


#: The most pages a menu runs to: a folded card's four sides.
MENU_PAGES = 4


def _menu_layout(kind: KindSpec, content: Content, size: Size, bleed: float) -> Layout:
    """The flyer's page (brand band, contact panel at the foot) around every treatment."""
    geometry = GEOMETRY[size]
    spec = PageSpec(size.dimensions, 1, kind.body_sizes(BODY_START[size]), size.page_name,
                    bleed, geometry.margin)
    compose = partial(compose_menu, content.treatments, content.labels, content.brand,
                      width=spec.width, pictures=content.pictures)
    design = FlyerPage(content.masthead, geometry, partial(
        contact_panel, content.brand, content.labels, geometry=geometry, size=size,
        pictures=content.pictures))
    hint = (f"The menu lists {len(content.treatments)} treatments on {MENU_PAGES} pages, "
            "even without their pitches: shorter names or the larger menu leave them more "
            "room.")
    # a long menu on a small sheet keeps every treatment and drops their pitches; longer
    # still, it runs on (each page with the brand band and the codes: a folded card)
    more = tuple(replace(spec, max_pages=n) for n in range(2, MENU_PAGES + 1))
    return Layout(spec, lambda theme: compose(theme=theme), design,
                  (lambda theme: compose(theme=theme, pitches=False),), hint=hint, more=more)


SPECS: dict[Kind, KindSpec] = {
    Kind.AFTERCARE: KindSpec(
        Kind.AFTERCARE, Size.A4, {Size.A4: Size.A4, Size.LETTER: Size.LETTER}, 10.5,
        label=lambda labels: labels.aftercare,
        subject=lambda content: content.treatment.headline, layout=_aftercare_layout),
    # the flyer beside the handouts: A5 beside A4, half-letter beside Letter
    Kind.FLYER: KindSpec(
        Kind.FLYER, Size.A5, {Size.A4: Size.A5, Size.LETTER: Size.HALF_LETTER}, 9.0,
        label=lambda labels: labels.flyer.kind,
        subject=lambda content: content.treatment.flyer.headline, layout=_flyer_layout,
        actual_size=True),
    # every treatment on one sheet per language: A4 and A5 (Letter and half-letter)
    Kind.MENU: KindSpec(
        Kind.MENU, Size.A4, {Size.A4: Size.A4, Size.LETTER: Size.LETTER}, 9.0,
        label=lambda labels: labels.menu.kind,
        subject=lambda content: content.labels.menu.title, layout=_menu_layout,
        catalogue_sizes={Size.A4: (Size.A4, Size.A5),
                         Size.LETTER: (Size.LETTER, Size.HALF_LETTER)}),
}
