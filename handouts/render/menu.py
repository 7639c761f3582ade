"""Compose the menu: every treatment of the catalogue in one language, on one sheet.

The flyer's page holds it (brand band on top, contact codes at the foot); between them the
title, then one row per treatment: its pictogram, its name over one line of pitch, and at
the right its length over its price, every price in one right-aligned column. A short menu
spaces its rows further apart (up to a limit) rather than huddle under the title.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

from reportlab.platypus import Flowable, Spacer, Table

from handouts.content.models import Brand, Labels, Treatment
from handouts.content.pictures import Picture
from handouts.render.blocks import icon, layout_table, para, unbroken
from handouts.render.flyer import price_text
from handouts.render.sizes import Size
from handouts.render.theme import Space, Theme

#: The body size each menu size starts from; the page sets it smaller while it cannot fit.
BODY_START = {Size.A4: 14.0, Size.LETTER: 14.0, Size.A5: 11.0, Size.HALF_LETTER: 11.0}


def pitch_of(treatment: Treatment) -> str:
    """The treatment's line on the menu: its own pitch, else its flyer's headline."""
    return treatment.pitch or treatment.flyer.headline


def compose_menu(treatments: Sequence[Treatment], labels: Labels, brand: Brand, *,
                 theme: Theme, width: float, pictures: Mapping[str, Picture],
                 pitches: bool = True) -> list[Flowable]:
    """The menu's title, then its treatments as rows spread down the page; without
    `pitches`, names, lengths and prices only (a long menu on a small sheet)."""
    side = theme.body_pt * 2.6
    gap = theme.body_pt * 0.9
    marks = [icon(pictures.get(t.icon or brand.pictograms.treatment or ""), theme, side)
             for t in treatments]
    facts = [_facts(t, labels, theme) for t in treatments]
    # the prices' column as wide as the widest of them, so every price ends at one edge
    facts_w = max((_natural_width(p) + 1 for cell in facts for p in cell), default=0.0)
    mark_w = side + gap if any(marks) else 0.0
    words_w = width - mark_w - (facts_w + gap if facts_w else 0.0)
    rows = []
    for treatment, mark, cell in zip(treatments, marks, facts, strict=True):
        words: list[Flowable] = [para(treatment.name, theme, "section.title")]
        if pitches:
            words += [Spacer(1, theme.space(Space.HAIR)), para(pitch_of(treatment), theme, "body")]
        row: list[object] = [mark or ""] if mark_w else []
        row.append(words)
        if facts_w:
            row.append(cell or "")
        rows.append(row)
    widths = [w for w in (mark_w, words_w, facts_w + gap if facts_w else 0.0) if w]

    def table(padding: float) -> Table:
        return layout_table(rows, widths, theme, [
            ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ("TOPPADDING", (0, 0), (-1, -1), padding),
            ("BOTTOMPADDING", (0, 0), (-1, -1), padding),
            ("LINEABOVE", (0, 0), (-1, 0), 0.6, theme.palette.accent),
            ("LINEBELOW", (0, 0), (-1, -1), 0.6, theme.palette.accent),
            *([("LEFTPADDING", (-1, 0), (-1, -1), gap)] if facts_w else []),
        ])

    return [para(labels.menu.title, theme, "title"),
            Rows(table, theme.space(Space.ITEM), theme.body_pt * 3.2, len(rows),
                 theme.body_pt * 4)]


def _facts(treatment: Treatment, labels: Labels, theme: Theme) -> list[Flowable]:
    """The treatment's length over its price, each on one line, right-aligned."""
    cell: list[Flowable] = []
    if treatment.duration_minutes:
        cell.append(para(unbroken(labels.duration.format(minutes=treatment.duration_minutes)),
                         theme, "menu.duration", emphasis=False))
    if treatment.price is not None:
        cell.append(para(price_text(treatment, labels), theme, "menu.price", emphasis=False))
    return cell


def _natural_width(paragraph: Flowable) -> float:
    """The width of a one-line paragraph set without a limit."""
    paragraph.wrap(10_000, 10_000)
    return float(max(paragraph.getActualLineWidths0() or [0.0]))


class Rows(Flowable):
    """The treatments' table, its rows padded to share the room the page leaves (each
    between `tightest` and `loosest` above and below its words), and what is still left
    shared above it (up to `above`) and below it: a menu of a few treatments reads down the
    sheet instead of leaving its lower half blank, and stays close to its title."""

    def __init__(self, table: Callable[[float], Table], tightest: float, loosest: float,
                 count: int, above: float) -> None:
        super().__init__()
        self.table = table
        self.tightest = tightest
        self.loosest = loosest
        self.count = count
        self.above = above
        self.laid: Table | None = None
        self.tall = 0.0

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        tight = self.table(self.tightest)
        _, height = tight.wrap(available_width, available_height)
        spare = (available_height - height) / (2 * self.count)
        padding = self.tightest + min(max(spare, 0.0), self.loosest - self.tightest)
        self.laid = tight if padding == self.tightest else self.table(padding)
        self.width, self.tall = self.laid.wrap(available_width, available_height)
        self.height = max(self.tall, available_height)
        return self.width, self.height

    def split(self, available_width: float, available_height: float) -> list[Flowable]:
        """Too tall for the page: the rows that fit, at their tightest, and the rest after
        them (a menu that runs on to another page, or whose overflow is measured)."""
        parts: list[Flowable] = self.table(self.tightest).split(available_width,
                                                                 available_height)
        return parts

    def draw(self) -> None:
        assert self.laid is not None
        spare = self.height - self.tall
        self.laid.drawOn(self.canv, 0, spare - min(spare / 2, self.above))
