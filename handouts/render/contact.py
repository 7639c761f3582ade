"""The contact block every document ends with: one captioned, clickable QR code per channel."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from reportlab.platypus import Flowable, Spacer

from handouts.content.channels import contact_handle, contact_url
from handouts.content.models import Brand, Channel, Labels
from handouts.content.pictures import Picture
from handouts.render.blocks import (
    QrTile,
    box_inner_width,
    icon,
    lead_in,
    para,
    side_by_side,
    tile_rows,
    tinted_box,
)
from handouts.render.qr import QUIET_ZONE_MODULES, encode
from handouts.render.theme import Space, Theme


def qr_tiles(channels: Sequence[Channel], labels: Labels, theme: Theme, qr_width: float,
             pictures: Mapping[str, Picture]) -> list[QrTile]:
    """One tile per channel, all with the same quiet zone (four modules of the coarsest
    symbol), so a row of them lines up."""
    symbols = [encode(contact_url(ch)) for ch in channels]
    quiet = qr_width / min(s.size for s in symbols) * QUIET_ZONE_MODULES
    return [
        QrTile(symbol, contact_url(ch), getattr(labels.channels, ch.kind), contact_handle(ch),
               theme, qr_width, quiet, pictures.get(ch.mark) if ch.mark else None,
               alt=labels.qr_alt.format(channel=getattr(labels.channels, ch.kind),
                                        handle=contact_handle(ch)))
        for ch, symbol in zip(channels, symbols, strict=True)
    ]


def visiting_details(brand: Brand, labels: Labels, theme: Theme) -> list[Flowable]:
    """Address, then opening hours and the website."""
    hours = labels.hours.format(opens=brand.hours.opens, closes=brand.hours.closes)
    website = brand.website.removeprefix("https://")
    address = para(brand.address, theme, "contact.details")
    address.lang = brand.address_lang
    return [address, para(labels.separator.join([hours, website]), theme, "contact.details")]


def contact_block(brand: Brand, labels: Labels, theme: Theme, width: float, title: str,
                  note: str | None, qr_width: float, pictures: Mapping[str, Picture]
                  ) -> Flowable:
    """A tinted panel: title, QR tiles (as many per row as fit), address, hours, website."""
    inner = box_inner_width(theme, width)
    tiles = qr_tiles(brand.channels, labels, theme, qr_width, pictures)
    pictogram = pictures.get(brand.pictograms.contact or "")
    title_block = (lead_in(title, note, theme, "contact.title", "contact.note") if note
                   else para(title, theme, "contact.title"))
    mark = icon(pictogram, theme)
    if mark is not None:
        title_block = side_by_side([mark], [title_block], theme, inner,
                                   (mark.width + 1) / inner, gutter=theme.body_pt * 0.5)
    content: list[Flowable] = [
        title_block,
        Spacer(1, theme.space(Space.HAIR)),
        *tile_rows(tiles, theme, inner),
        *visiting_details(brand, labels, theme),
    ]
    return tinted_box(content, theme, width, theme.palette.tint)


class Stack(Flowable):
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

