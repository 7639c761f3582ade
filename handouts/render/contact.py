"""The contact block every document ends with: one captioned, clickable QR code per channel."""

from __future__ import annotations

from reportlab.platypus import Flowable, Spacer

from handouts.content.channels import contact_handle, contact_url
from handouts.content.models import Brand, Labels
from handouts.render.blocks import (
    QrTile,
    box_inner_width,
    lead_in,
    para,
    tile_rows,
    tinted_box,
)
from handouts.render.qr import QUIET_ZONE_MODULES, encode
from handouts.render.theme import Theme


def contact_block(brand: Brand, labels: Labels, theme: Theme, width: float, title: str,
                  note: str | None, qr_width: float, boxed: bool = True) -> Flowable:
    """Title, QR tiles (as many per row as fit), then address, opening hours and website."""
    inner = box_inner_width(theme, width) if boxed else width
    symbols = [encode(contact_url(ch)) for ch in brand.channels]
    # one quiet zone for all: four modules of the coarsest symbol, so every tile matches
    quiet = qr_width / min(s.size for s in symbols) * QUIET_ZONE_MODULES
    tiles = [
        QrTile(symbol, contact_url(ch), getattr(labels.channels, ch.kind), contact_handle(ch),
               theme, qr_width, quiet)
        for ch, symbol in zip(brand.channels, symbols, strict=True)
    ]
    hours = labels.hours.format(opens=brand.hours.opens, closes=brand.hours.closes)
    website = brand.website.removeprefix("https://")
    heading = (lead_in(title, note, theme, "contact.title", "contact.note") if note
               else para(title, theme, "contact.title"))
    content: list[Flowable] = [
        heading,
        Spacer(1, theme.space(0.4)),
        *tile_rows(tiles, theme, inner),
        para(brand.address, theme, "contact.details"),
        para(labels.separator.join([hours, website]), theme, "contact.details"),
    ]
    if boxed:
        return tinted_box(content, theme, width, theme.palette.tint)
    return _Stack(content, width)


class _Stack(Flowable):
    """Flowables stacked top to bottom as one block, so a page design can place it."""

    def __init__(self, content: list[Flowable], width: float) -> None:
        super().__init__()
        self.content = content
        self.width = width
        self.sizes: list[tuple[float, float]] = []

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        self.sizes = [f.wrap(self.width, available_height) for f in self.content]
        self.height = sum(h for _, h in self.sizes)
        return self.width, self.height

    def draw(self) -> None:
        y = self.height
        for flowable, (width, height) in zip(self.content, self.sizes, strict=True):
            y -= height
            x = (self.width - width) / 2 if getattr(flowable, "hAlign", "") == "CENTER" else 0
            flowable.drawOn(self.canv, x, y)

