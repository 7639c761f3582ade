"""The look: colours, fonts and sizes for every style role, built from brand.yaml.

Templates name a role (`style("step.title")`); only this module decides what that looks like.
A look at one size is built once per process (`theme_at`) and shared by every document set
in it: nothing changes a style once built (ReportLab copies a style before it changes one,
and so does the flyer's price), so what is worked out from a style, such as a paragraph's
parsed markup (blocks.py), holds for each document that uses it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum
from functools import lru_cache

from reportlab.lib.colors import Color, HexColor
from reportlab.lib.enums import TA_CENTER, TA_LEFT, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth

from handouts.content.models import Colours
from handouts.render.fonts import RegisteredFamily


@dataclass(frozen=True)
class Palette:
    primary: Color
    accent: Color
    ink: Color
    paper: Color
    tint: Color
    warning: Color
    warning_ink: Color
    muted: Color

    @classmethod
    def from_brand(cls, colours: Colours) -> Palette:
        ink = HexColor(colours.ink)
        return cls(
            primary=HexColor(colours.primary), accent=HexColor(colours.accent), ink=ink,
            paper=HexColor(colours.paper), tint=HexColor(colours.tint),
            warning=HexColor(colours.warning), warning_ink=HexColor(colours.warning_ink),
            muted=HexColor("#4A5656"),
        )


class Space(Enum):
    """The vertical spacing scale, in body lines: every gap on a page is one of these."""

    HAIR = 0.2  # between a title and its own text
    TIGHT = 0.4  # between items of one block
    ITEM = 0.7  # between rows of a grid
    BLOCK = 1.0  # between blocks of one section
    SECTION = 1.2  # above every section heading


@dataclass
class Theme:
    """Every style role for one document, at one body size."""

    palette: Palette
    family: RegisteredFamily
    body_pt: float
    line_breaking: str = "words"
    margin: float = 14 * mm
    spacing: float = 1.0  # below 1 when a document must be set tighter to fit
    styles: dict[str, ParagraphStyle] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.styles = _styles(self.palette, self.family, self.body_pt)
        if self.line_breaking == "characters":
            for style in self.styles.values():
                style.wordWrap = "CJK"

    def style(self, role: str) -> ParagraphStyle:
        return self.styles[role]

    @property
    def gap(self) -> float:
        """The base vertical rhythm between blocks: one body line, less when set tighter."""
        return self.body_pt * 1.3 * self.spacing

    def space(self, step: Space) -> float:
        """A step of the one vertical spacing scale, tightened with the spacing."""
        return self.gap * step.value

    @property
    def measure(self) -> float:
        """The widest comfortable text column: about 75 characters of body text."""
        style = self.styles["body"]
        sample = "the quick brown fox jumps over a lazy dog, "
        per_char = stringWidth(sample, style.fontName, style.fontSize) / len(sample)
        return per_char * 75

    @property
    def icon(self) -> float:
        """Size of a section's pictogram: a little taller than its heading's capitals."""
        return self.body_pt * 1.75


@lru_cache(maxsize=64)
def theme_at(palette: Palette, family: RegisteredFamily, body_pt: float, line_breaking: str,
             margin: float, spacing: float) -> Theme:
    """The theme of this look at this size and spacing, the same object each time it is
    asked for in a process (a batch sets every client's sheet at the same few sizes)."""
    return Theme(palette, family, body_pt, line_breaking, margin, spacing)


def _styles(p: Palette, f: RegisteredFamily, body: float) -> dict[str, ParagraphStyle]:
    lead = 1.3

    def s(name: str, size: float, font: str | None = None, colour: Color | None = None,
          leading: float | None = None, **kw: object) -> ParagraphStyle:
        return ParagraphStyle(name, fontName=font or f.regular, fontSize=size,
                              leading=leading or size * lead, textColor=colour or p.ink,
                              alignment=kw.pop("alignment", TA_LEFT), **kw)

    return {
        "header.name": s("header.name", body * 1.05, f.bold, p.paper),
        "header.tagline": s("header.tagline", body * 0.85, colour=p.paper),
        "header.kind": s("header.kind", body * 0.85, f.bold, p.paper),
        "title": s("title", body * 1.7, f.bold, p.primary, leading=body * 2.05,
                   spaceAfter=body * 0.45),
        "intro": s("intro", body * 1.1, colour=p.ink),
        "personal.name": s("personal.name", body * 1.3, f.bold, p.primary),
        "personal.next": s("personal.next", body, f.bold, p.primary, alignment=TA_RIGHT),
        "section.title": s("section.title", body * 1.25, f.bold, p.primary),
        "body": s("body", body),
        "item.title": s("item.title", body, f.bold, p.primary),
        "item.text": s("item.text", body, autoLeading="max"),
        "step.number": s("step.number", body * 1.2, f.bold, p.paper, alignment=TA_CENTER,
                         leading=body * 1.3),
        "step.title": s("step.title", body, f.bold, p.primary),
        "step.text": s("step.text", body, autoLeading="max"),
        "bullet": s("bullet", body, leftIndent=body * 1.2, bulletIndent=body * 0.2,
                    bulletFontName=f.bold, bulletColor=p.accent),
        "stretch.name": s("stretch.name", body, f.bold, p.primary),
        "stretch.dose": s("stretch.dose", body * 0.95, f.bold, p.primary),
        "warning.title": s("warning.title", body * 1.2, f.bold, p.warning_ink,
                           spaceAfter=body * 0.3),
        "warning.subtitle": s("warning.subtitle", body, f.bold, p.warning_ink),
        "faq.question": s("faq.question", body, f.bold, p.primary),
        "faq.answer": s("faq.answer", body, leftIndent=0),
        "contact.title": s("contact.title", body * 1.2, f.bold, p.primary),
        "contact.note": s("contact.note", body, colour=p.ink, autoLeading="max"),
        "contact.details": s("contact.details", body, colour=p.ink),
        "qr.caption": s("qr.caption", max(8.0, body * 0.85), f.bold, p.primary,
                        alignment=TA_CENTER, leading=max(8.0, body * 0.85) * 1.2),
        "qr.handle": s("qr.handle", max(8.0, body * 0.75), colour=p.ink, alignment=TA_CENTER,
                       leading=max(8.0, body * 0.75) * 1.25),
        "flyer.headline": s("flyer.headline", body * 2.1, f.bold, p.primary,
                            leading=body * 2.45, spaceAfter=body * 0.3),
        "flyer.facts": s("flyer.facts", body * 1.1, f.bold, p.warning_ink),
        "flyer.price": s("flyer.price", body * 1.9, f.bold, p.accent, leading=body * 2.2),
        "flyer.duration": s("flyer.duration", body * 1.05, f.bold, p.primary),
        "flyer.step": s("flyer.step", body, colour=p.ink),
        "menu.duration": s("menu.duration", body * 0.95, f.bold, p.muted, alignment=TA_RIGHT),
        "menu.price": s("menu.price", body * 1.3, f.bold, p.primary, alignment=TA_RIGHT),
        "primary.title": s("primary.title", body * 1.15, f.bold, p.primary),
        "primary.handle": s("primary.handle", body, colour=p.ink),
        "running": s("running", max(8.0, body * 0.8), f.bold, p.primary),
        "running.name": s("running.name", max(8.0, body * 0.8), colour=p.muted,
                          alignment=TA_RIGHT),
        "footer": s("footer", body * 0.75, colour=p.muted),
        "footer.page": s("footer.page", body * 0.75, f.bold, p.primary, alignment=TA_RIGHT),
    }
