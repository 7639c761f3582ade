"""Compose the reception flyer: one page, brand band on top, contact band at the foot."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Flowable, PageTemplate, Spacer

from handouts.content.models import Brand, Labels, Treatment
from handouts.render.blocks import (
    SectionMark,
    bullet_columns,
    bullets,
    numbered_run,
    para,
    section,
)
from handouts.render.contact import contact_block
from handouts.render.document import Masthead, PageSpec, draw_masthead, frame
from handouts.render.localise import format_amount
from handouts.render.theme import Theme

#: QR symbol width per flyer size, quiet zone excluded; never below DESIGN.md's 20 mm.
QR_SYMBOL_WIDTH = {"A4": 26 * mm, "Letter": 26 * mm, "A5": 21 * mm, "A6": 20 * mm}


def facts_line(treatment: Treatment, labels: Labels) -> str | None:
    """'60 minutes · 450,000 VND' from whichever of duration and price the content has."""
    facts = []
    if treatment.duration_minutes:
        facts.append(labels.duration.format(minutes=treatment.duration_minutes))
    if treatment.price is not None:
        facts.append(labels.price.format(
            amount=format_amount(treatment.price, labels.thousands_separator)))
    return labels.separator.join(facts) or None


def compose_flyer(treatment: Treatment, labels: Labels, *, theme: Theme, width: float,
                  size_name: str) -> list[Flowable]:
    """Headline, pitch, facts, then benefits and condensed steps where the size has room.

    A6 keeps only the sections the content lists in `flyer.a6_sections`.
    """
    flyer = treatment.flyer
    shown = set(flyer.a6_sections) if size_name == "A6" else {"pitch", "benefits", "steps"}
    gap = theme.gap
    story: list[Flowable] = [SectionMark("flyer.headline"),
                             para(flyer.headline, theme, "flyer.headline")]
    if "pitch" in shown:
        story += [Spacer(1, gap * 0.2), para(flyer.pitch, theme, "intro")]
    facts = facts_line(treatment, labels)
    if facts:
        story += [Spacer(1, gap * 0.3), para(facts, theme, "flyer.facts")]
    story.append(Spacer(1, gap * 0.7))
    if "benefits" in shown:
        items = flyer.benefits or [b.title for b in treatment.benefits]
        body = ([bullet_columns(items[i:i + 2], theme, width) for i in range(0, len(items), 2)]
                if width > 100 * mm else bullets(items, theme))
        story += section("flyer.benefits", labels.flyer.benefits, theme, body)
    if "steps" in shown:
        steps = flyer.steps or [s.title for s in treatment.steps]
        story += section("flyer.steps", labels.flyer.steps, theme,
                         [numbered_run(steps, theme, "body", labels.separator)])
    return story


@dataclass(frozen=True)
class FlyerPage:
    """One page: a full-bleed brand band on top, the contact band at the foot."""

    masthead: Masthead
    contact: Callable[[Theme, float], Flowable]

    def _band_height(self, theme: Theme, spec: PageSpec) -> float:
        return theme.body_pt * 2.2 + min(10 * mm, spec.size[0] * 0.07) + spec.bleed

    def templates(self, theme: Theme, spec: PageSpec) -> list[PageTemplate]:
        ox = oy = spec.bleed
        page_w, page_h = spec.media
        m = theme.margin
        contact = self.contact(theme, spec.width)
        _, contact_h = contact.wrap(spec.width, page_h)
        pad = min(5 * mm, spec.size[0] * 0.03)  # 5 mm on A5 and up, less on A6
        contact_top = oy + m + contact_h + pad
        band_h = self._band_height(theme, spec)
        story_top = page_h - band_h - min(6 * mm, spec.size[0] * 0.04)
        story_bottom = contact_top + pad

        def decorate(c: Canvas, doc: BaseDocTemplate) -> None:
            draw_masthead(c, self.masthead, theme, 0, page_h, page_w, band_h, radius=0)
            c.saveState()
            c.setFillColor(theme.palette.tint)
            c.rect(0, 0, page_w, contact_top, stroke=0, fill=1)
            c.restoreState()
            contact.drawOn(c, ox + m, oy + m)

        return [PageTemplate("flyer", [frame(ox + m, story_bottom, spec.width,
                                             max(story_top - story_bottom, 1), "flyer")],
                             onPage=decorate)]

    def finish_page(self, c: Canvas, theme: Theme, spec: PageSpec, page: int,
                    total: int) -> None:
        """A flyer carries no page numbers."""


def flyer_contact(brand: Brand, labels: Labels, qr_width: float) -> Callable[[Theme, float],
                                                                             Flowable]:
    """The booking block: title, one QR code per channel, address and hours."""
    return lambda theme, width: contact_block(brand, labels, theme, width, labels.flyer.book,
                                              None, qr_width, boxed=False)
