"""Compose the reception flyer: one page built around one focal point.

Brand band on top; then the headline, the hero picture beside the price set large, the pitch
and the session as a short numbered list; at the foot one large "scan to book" code for the
primary channel and the other channels in a compact group. Colour runs to the trim only when
there is bleed to run on into; without bleed (office printers, N-up sheets) the bands float
as panels with white paper round them, so no cut or unprintable edge can spoil them.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Flowable, KeepTogether, PageTemplate, Spacer

from handouts.content.channels import contact_handle, contact_url
from handouts.content.models import Brand, Channel, Labels, Treatment
from handouts.content.pictures import Picture
from handouts.render.blocks import (
    NumberBadge,
    Text,
    bullets,
    heading,
    icon,
    layout_table,
    measured,
    para,
    row_of,
    section,
    tiles_per_row,
    unbroken,
)
from handouts.render.contact import Stack, qr_tiles, visiting_details
from handouts.render.document import Box, Masthead, PageSpec, draw_masthead, fill, frame
from handouts.render.inline import plain, to_markup
from handouts.render.localise import format_price
from handouts.render.picture import PictureBox
from handouts.render.sizes import Size
from handouts.render.tagging import ElementPath, grouped, link
from handouts.render.theme import Space, Theme

#: No text, logo or code comes closer to the trim than this (DESIGN.md).
SAFE_EDGE = 5 * mm


@dataclass(frozen=True)
class FlyerGeometry:
    """The proportions of one flyer size: its own, not another size scaled."""

    margin: float  # text and codes from the trim
    band: float  # brand band height, inside the trim
    logo: float
    primary_qr: float  # the "scan to book" code, quiet zone excluded
    other_qr: float  # every other code: never below DESIGN.md's 20 mm
    body_start: float  # body size the shrink-to-fit starts from
    sections: frozenset[str]  # what the story keeps besides headline, picture and price


EVERYTHING = frozenset({"pitch", "steps", "benefits"})
GEOMETRY = {
    Size.A4: FlyerGeometry(16 * mm, 30 * mm, 20 * mm, 40 * mm, 20 * mm, 17.0, EVERYTHING),
    Size.LETTER: FlyerGeometry(16 * mm, 30 * mm, 20 * mm, 40 * mm, 20 * mm, 17.0, EVERYTHING),
    # A5 spends its room on the codes a client scans and the type an older client reads:
    # the session list stays, the benefits (which the pitch already sells) go
    Size.A5: FlyerGeometry(11 * mm, 21 * mm, 13 * mm, 29 * mm, 20 * mm, 13.0,
                        frozenset({"pitch", "steps"})),
    # half-letter (5.5 x 8.5 in) is A5's counterpart beside Letter handouts
    Size.HALF_LETTER: FlyerGeometry(11 * mm, 21 * mm, 13 * mm, 29 * mm, 20 * mm, 13.0,
                                    frozenset({"pitch", "steps"})),
    # A6 keeps what the treatment's `flyer.a6_sections` lists
    Size.A6: FlyerGeometry(9 * mm, 16 * mm, 10 * mm, 22 * mm, 20 * mm, 10.0, frozenset()),
}


def price_text(treatment: Treatment, labels: Labels) -> str:
    assert treatment.price is not None
    return unbroken(format_price(treatment.price, labels))


def _longest_word(treatment: Treatment, theme: Theme) -> float:
    """The widest word of the treatment's name as set beside the hero: the hero gives up
    that much room rather than break a word (ホットストーンマッサー / ジ on an A6 card)."""
    style = theme.style("section.title")
    return max(stringWidth(word, style.fontName, style.fontSize)
               for word in plain(treatment.name).split()) + 1


def _offer(treatment: Treatment, labels: Labels, theme: Theme, width: float
           ) -> list[Flowable]:
    """The treatment's name, the duration, then the price set large in the accent colour, on
    one line of `width`: a price too wide for it is set smaller, never broken ("450,000 VN" /
    "D")."""
    offer: list[Flowable] = [para(treatment.name, theme, "section.title")]
    if treatment.duration_minutes:
        offer.append(para(labels.duration.format(minutes=treatment.duration_minutes), theme,
                          "flyer.duration", emphasis=False))
    if treatment.price is not None:
        markup = to_markup(price_text(treatment, labels), theme.family, emphasis=False)
        price = Text(markup, theme.style("flyer.price"))
        natural = price.minWidth()  # the whole price: its spaces are unbreakable
        if natural > width:
            style = copy.copy(price.style)
            scale = width / natural * 0.98
            style.fontSize, style.leading = style.fontSize * scale, style.leading * scale
            price = Text(markup, style)
        offer.append(price)
    return offer


def numbered_list(items: list[str], theme: Theme, width: float, columns: int) -> list[Flowable]:
    """Short numbered items, a small badge before each, in `columns` read down then across.

    Each column is a stack of its own: an item that wraps pushes down only the items below
    it in its column, never those of the column beside it.
    """
    badge = theme.body_pt * 1.45
    cells = [row_of([NumberBadge(i, theme, badge), para(item, theme, "flyer.step")], theme,
                    theme.body_pt * 0.5, valign="TOP") for i, item in enumerate(items, start=1)]
    per_column = -(-len(cells) // columns)
    gutter = 5 * mm
    col = (width - gutter * (columns - 1)) / columns

    def stack(first: int) -> Flowable:
        """One column's items, each its own list item, in number order."""
        indices = range(first, min(first + per_column, len(cells)))
        paths: dict[tuple[int, int], ElementPath] = {
            (row, 0): (("L", "flyer.steps"), ("LI", index)) for row, index in enumerate(indices)}
        return layout_table([[cells[index]] for index in indices], [col], theme,
                            [("BOTTOMPADDING", (0, 0), (-1, -1), theme.space(Space.HAIR))],
                            items=paths)
    stacks = [stack(first) for first in range(0, len(cells), per_column)]
    if len(stacks) == 1:
        return stacks
    row: list[object] = []
    for number, column in enumerate(stacks):
        row += ["", column] if number else [column]
    widths = [w for c in range(len(stacks)) for w in ([gutter] if c else []) + [col]]
    return [layout_table([row], widths, theme)]


def compose_flyer(treatment: Treatment, labels: Labels, brand: Brand, *, theme: Theme,
                  width: float, size: Size, pictures: Mapping[str, Picture]
                  ) -> list[Flowable]:
    """Headline, the treatment's name beside the hero with the price, pitch, then the session
    and benefits where the size has room, spread down the page so no blank band is left.

    A6 always keeps the sections the content lists in `flyer.a6_sections`, and adds the
    others, in order, where they fit: a card's room is not left blank.
    """
    flyer = treatment.flyer
    kept = set(flyer.a6_sections) if size is Size.A6 else GEOMETRY[size].sections
    shown = EVERYTHING if size is Size.A6 else kept
    wide = width > 150 * mm
    story: list[Flowable] = [para(flyer.headline, theme, "flyer.headline")]
    hero = pictures.get(flyer.hero) if flyer.hero else None
    share = {Size.A6: 0.5, Size.A5: 0.36}.get(size, 0.5)
    gutter = 5 * mm
    hero_w = min((width - gutter) * share, width - gutter - _longest_word(treatment, theme))
    offer = _offer(treatment, labels, theme, width - gutter - hero_w if hero else width)
    pitch = [para(flyer.pitch, theme, "intro")] if "pitch" in shown else []
    if hero is not None:
        picture = PictureBox(hero, theme.palette, hero_w,
                             hero_w * hero.aspect * min(1.0, theme.spacing + 0.2),
                             alt=flyer.hero_alt or "")
        beside: list[Flowable] = [*offer]
        if pitch and size is not Size.A6:  # the pitch reads beside the picture
            beside += [Spacer(1, theme.space(Space.TIGHT)), *pitch]
            pitch = []
        story += [Spacer(1, theme.space(Space.TIGHT)),
                  layout_table([[picture, "", beside]], [hero_w, gutter, width - gutter - hero_w],
                               theme, [("VALIGN", (0, 0), (-1, -1), "MIDDLE")])]
    else:
        story += offer
    blocks: list[tuple[list[Flowable], bool]] = [(story, True)]
    if pitch:
        blocks.append(([_spaced(measured(pitch, theme, width), theme, Space.TIGHT)],
                       "pitch" in kept))
    if "steps" in shown:
        steps = flyer.steps or [s.title for s in treatment.steps]
        columns = 2 if width > 100 * mm and not wide or len(steps) > 4 else 1
        blocks.append((section("flyer.steps", labels.flyer.steps, theme,
                               numbered_list(steps, theme, width, columns)), "steps" in kept))
    benefits = flyer.benefits or [b.title for b in treatment.benefits or []]
    if "benefits" in shown and benefits:
        columns = 2 if width > 100 * mm else 1
        cells = [[b] for b in bullets(benefits, theme)]
        blocks.append((section("flyer.benefits", labels.flyer.benefits, theme,
                               _columns(cells, theme, width, columns)), "benefits" in kept))
    return [Spread(blocks, width)]


def _spaced(block: Flowable, theme: Theme, space: Space) -> Flowable:
    """A block with a step of the spacing scale above it."""
    block.spaceBefore = theme.space(space)
    return block


class Spread(Flowable):
    """The flyer's story as one block that takes the whole frame: the required blocks, then
    each optional one that still fits, with the room left over shared out between them (and
    below the last), so a short story leaves no blank band in the middle of the card.

    A story taller than the frame splits back into its flowables, so the page's layout
    reports the section that overflows as it would for any story.
    """

    def __init__(self, blocks: list[tuple[list[Flowable], bool]], width: float) -> None:
        super().__init__()
        self.blocks = blocks
        self.width = width
        self.placed: list[tuple[Flowable, float]] = []

    def _everything(self) -> list[Flowable]:
        return [f for block, required in self.blocks if required for f in block]

    def _measure(self, block: list[Flowable], first: bool, height: float
                 ) -> list[tuple[Flowable, float, float]]:
        """(flowable, space above, height) for each part of a block, containers opened."""
        parts: list[tuple[Flowable, float, float]] = []
        for flowable in block:
            for part in flowable._content if isinstance(flowable, KeepTogether) else [flowable]:
                above = 0.0 if first and not parts else part.getSpaceBefore()
                _, tall = part.wrap(self.width, height)
                parts.append((part, above, tall + part.getSpaceAfter()))
        return parts

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        chosen: list[list[tuple[Flowable, float, float]]] = []
        used = 0.0
        for block, required in self.blocks:
            parts = self._measure(block, not chosen, available_height)
            tall = sum(above + height for _, above, height in parts)
            if required or used + tall <= available_height:
                chosen.append(parts)
                used += tall
        if used > available_height:  # overflows: the page lays the flowables out one by one
            self.placed = []
            self.height = used
            return self.width, used
        extra = (available_height - used) / len(chosen)
        self.placed, y = [], available_height
        for number, parts in enumerate(chosen):
            y -= extra if number else 0.0
            for part, above, height in parts:
                y -= above + height
                self.placed.append((part, y + part.getSpaceAfter()))
        self.height = available_height
        return self.width, available_height

    def split(self, available_width: float, available_height: float) -> list[Flowable]:
        return self._everything() if not self.placed else []

    def draw(self) -> None:
        for flowable, y in self.placed:
            flowable.drawOn(self.canv, 0, y)


def _columns(cells: list[list[Flowable]], theme: Theme, width: float,
             columns: int) -> list[Flowable]:
    """Items side by side without the accent rules a grid draws: a short list in columns."""
    rows = [cells[i:i + columns] for i in range(0, len(cells), columns)]
    col = width / columns
    return [layout_table([list(row) + [""] * (columns - len(row))
                          for row in rows], [col] * columns, theme)]


class Linked(Flowable):
    """A flowable that is also a link: a channel shown by mark and handle, tappable."""

    def __init__(self, inner: Flowable, url: str, description: str) -> None:
        super().__init__()
        self.inner = inner
        self.url = url
        self.description = description

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        self.width, self.height = self.inner.wrap(available_width, available_height)
        return self.width, self.height

    def draw(self) -> None:
        with grouped(self.canv, "Link"):
            self.inner.drawOn(self.canv, 0, 0)
            link(self.canv, self.url, (0, 0, self.width, self.height), self.description)


def primary_channel(brand: Brand) -> Channel:
    """The channel marked primary, else the first: its code is the flyer's focal code."""
    return next((ch for ch in brand.channels if ch.primary), brand.channels[0])


def contact_panel(brand: Brand, labels: Labels, theme: Theme, width: float,
                  geometry: FlyerGeometry, size: Size,
                  pictures: Mapping[str, Picture]) -> Flowable:
    """'Chat with us to book': one large code for the primary channel, the others beside it
    (codes where the size has room, else mark and handle), then address and hours."""
    primary = primary_channel(brand)
    others = [ch for ch in brand.channels if ch is not primary]
    with_code = [ch for ch in others if size is not Size.A6 or ch.small_card == "code"]
    handle_only = [ch for ch in others if ch not in with_code]
    big = qr_tiles([primary], labels, theme, geometry.primary_qr, pictures)[0]
    small = qr_tiles(with_code, labels, theme, geometry.other_qr, pictures) if with_code else []
    gutter = 4 * mm
    big_w = big.least_width
    rest_w = width - big_w - gutter
    right: list[Flowable] = []
    if small:
        # as many codes to a row as fit TILE_GAP apart, rows balanced; spaced at most `loose`
        # apart (further, they stop reading as one group) and centred in their room
        loose = 6 * mm
        columns = tiles_per_row(small, rest_w)
        tile_w = max(t.least_width for t in small)
        rows = [small[i:i + columns] for i in range(0, len(small), columns)]
        between = min(loose, (rest_w - columns * tile_w) / (columns - 1)) if columns > 1 else 0.0
        widths = [w for c in range(columns) for w in ([between] if c else []) + [tile_w]]
        cells = [[cell for c, tile in enumerate(r + [""] * (columns - len(r)))
                  for cell in ([""] if c else []) + [tile]] for r in rows]
        right.append(layout_table(cells, widths, theme,
                                  [("BOTTOMPADDING", (0, 0), (-1, -2),
                                    theme.space(Space.TIGHT))]))
    for ch in handle_only:
        mark = icon(pictures.get(ch.mark) if ch.mark else None, theme,
                    theme.style("qr.caption").fontSize * 1.2)
        name = getattr(labels.channels, ch.kind)
        words = para(f"**{name}**{labels.separator}{unbroken(contact_handle(ch))}", theme,
                     "contact.details")
        right += [Spacer(1, theme.space(Space.HAIR)),
                  Linked(row_of([mark, words] if mark else [words], theme, theme.body_pt * 0.4),
                         contact_url(ch), f"{name}{labels.separator}{contact_handle(ch)}")]
    codes = layout_table([[big, "", right]], [big_w, gutter, rest_w], theme,
                         [("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                          ("ALIGN", (2, 0), (2, 0), "CENTER")])
    title = heading(labels.flyer.book, theme, pictures.get(brand.pictograms.contact or ""),
                    "contact.title")
    return Stack([title, Spacer(1, theme.space(Space.TIGHT)), codes,
                  Spacer(1, theme.space(Space.TIGHT)), *visiting_details(brand, labels, theme)],
                 width)


@dataclass(frozen=True)
class FlyerPage:
    """One page: the brand band on top, the contact panel at the foot, the story between."""

    masthead: Masthead
    geometry: FlyerGeometry
    contact: Callable[[Theme, float], Flowable]

    def templates(self, theme: Theme, spec: PageSpec) -> list[PageTemplate]:
        g = self.geometry
        trim = Box(spec.bleed, spec.bleed, *spec.size)
        media_w, media_h = spec.media
        bleed = spec.bleed > 0
        pad = g.margin - SAFE_EDGE if not bleed else min(5 * mm, g.margin - SAFE_EDGE)
        content_w = trim.width - 2 * g.margin
        contact = self.contact(theme, content_w)
        _, contact_h = contact.wrap(content_w, trim.height)
        contact_top = trim.y + g.margin + contact_h + pad
        band_bottom = trim.top - g.band
        if bleed:  # colour runs on past the trim into the bleed
            band = Box(0, band_bottom, media_w, media_h - band_bottom)
            foot = Box(0, 0, media_w, contact_top)
            radius = 0.0
        else:  # panels float on white paper, clear of any cut or unprintable edge
            band = Box(trim.x + SAFE_EDGE, band_bottom, trim.width - 2 * SAFE_EDGE,
                       g.band - SAFE_EDGE)
            foot = Box(trim.x + SAFE_EDGE, trim.y + SAFE_EDGE, trim.width - 2 * SAFE_EDGE,
                       contact_top - trim.y - SAFE_EDGE)
            radius = 3 * mm
        band_content = Box(trim.x + g.margin, band_bottom, content_w, g.band - SAFE_EDGE)
        gap = theme.space(Space.BLOCK)
        story_top = band_bottom - gap
        story_bottom = contact_top + gap

        def decorate(c: Canvas, doc: BaseDocTemplate) -> None:
            fill(c, band, theme.palette.primary, radius)
            fill(c, foot, theme.palette.tint, radius)
            draw_masthead(c, self.masthead, theme, band_content, g.logo)
            with grouped(c, "Sect", trailing=True):  # painted first, read after the story
                contact.drawOn(c, trim.x + g.margin, trim.y + g.margin)

        return [PageTemplate("flyer", [frame(trim.x + g.margin, story_bottom, content_w,
                                             max(story_top - story_bottom, 1), "flyer")],
                             onPage=decorate)]

    def finish_page(self, c: Canvas, theme: Theme, spec: PageSpec, page: int,
                    total: int) -> None:
        """A flyer carries no page numbers."""

