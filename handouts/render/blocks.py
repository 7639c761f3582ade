"""Layout blocks shared by every document kind: numbered steps, bullets, boxes, QR tiles."""

from __future__ import annotations

from collections.abc import Sequence

from reportlab.lib.colors import Color
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Paragraph, Spacer, Table, TableStyle

from handouts.render.inline import to_markup
from handouts.render.qr import QUIET_ZONE_MODULES, QrSymbol, draw_symbol
from handouts.render.theme import Theme


def para(text: str, theme: Theme, role: str, bullet: str | None = None,
         emphasis: bool = True) -> Paragraph:
    """A paragraph of content text: escaped, Markdown-lite emphasis, font fallback."""
    markup = to_markup(text, theme.family, theme.palette.primary.hexval(), emphasis)
    return Paragraph(markup, theme.style(role), bulletText=bullet)


class SectionMark(Flowable):
    """Zero-size marker: lets the renderer tell which section a page overflow falls in."""

    def __init__(self, name: str) -> None:
        super().__init__()
        self.name = name
        self.width = self.height = 0

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        return 0, 0

    def draw(self) -> None:
        pass


class NumberBadge(Flowable):
    """A filled circle with a step number, in the brand colour."""

    def __init__(self, number: int, theme: Theme) -> None:
        super().__init__()
        self.number = number
        self.theme = theme
        self.width = self.height = theme.body_pt * 1.9

    def draw(self) -> None:
        c = self.canv
        r = self.width / 2
        style = self.theme.style("step.number")
        c.setFillColor(self.theme.palette.primary)
        c.circle(r, r, r, stroke=0, fill=1)
        c.setFillColor(self.theme.palette.paper)
        c.setFont(style.fontName, style.fontSize)
        c.drawCentredString(r, r - style.fontSize * 0.36, str(self.number))


def _table(rows: list[list[object]], widths: Sequence[float], theme: Theme,
           extra: Sequence[tuple[object, ...]] = ()) -> Table:
    """A borderless layout table; every cell's font is set so none falls back to Helvetica."""
    table = Table(rows, colWidths=list(widths))
    table.setStyle(TableStyle([
        ("FONTNAME", (0, 0), (-1, -1), theme.family.regular),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 0),
        ("RIGHTPADDING", (0, 0), (-1, -1), 0),
        ("TOPPADDING", (0, 0), (-1, -1), 0),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
        *extra,
    ]))
    return table


def section(mark: str, title: str, theme: Theme, body: list[Flowable],
            keep: int = 1) -> list[Flowable]:
    """A titled section whose title never sits at the foot of a page without the first
    `keep` blocks of its body."""
    head = [SectionMark(mark), para(title, theme, "section.title")]
    return [KeepTogether(head + body[:keep]), *body[keep:], Spacer(1, theme.gap * 0.5)]


def lead_in(title: str, text: str, theme: Theme, title_role: str, text_role: str,
            emphasis: bool = True) -> Paragraph:
    """One paragraph that opens with a title in the title role's font and colour."""
    t = theme.style(title_role)
    head = (f'<font size="{t.fontSize:.2f}" color="{t.textColor.hexval()}">'
            f"<b>{to_markup(title, theme.family)}</b></font>")
    gap = to_markup("\u2002", theme.family)
    body = to_markup(text, theme.family, theme.palette.primary.hexval(), emphasis)
    return Paragraph(f"{head}{gap}{body}", theme.style(text_role))


def side_by_side(left: list[Flowable], right: list[Flowable], theme: Theme, width: float,
                 split: float) -> Table:
    """Two stacks of flowables next to each other; `split` is the left one's share."""
    gutter = 6 * mm
    left_w = (width - gutter) * split
    return _table([[left, "", right]], [left_w, gutter, width - gutter - left_w], theme)


def numbered_steps(steps: Sequence[tuple[str, str]], theme: Theme, width: float) -> list[Flowable]:
    """One row per step: a number badge, then the step's title leading into its text."""
    badge = theme.body_pt * 1.9
    gutter = theme.body_pt * 0.8
    out: list[Flowable] = []
    for number, (title, text) in enumerate(steps, start=1):
        row = _table([[NumberBadge(number, theme),
                       lead_in(title, text, theme, "step.title", "step.text")]],
                     [badge + gutter, width - badge - gutter], theme,
                     [("BOTTOMPADDING", (0, 0), (-1, -1), theme.space(0.3)),
                      ("VALIGN", (0, 0), (-1, -1), "MIDDLE")])
        out.append(row)
    return out


def bullets(items: Sequence[str], theme: Theme) -> list[Flowable]:
    return [para(item, theme, "bullet", bullet="•") for item in items]


def grid(cells: Sequence[list[Flowable]], theme: Theme, width: float,
         columns: int) -> list[Flowable]:
    """Short items side by side under a thin accent rule: benefits, stretches, questions.

    Each item is a list (title, text, ...); the n-th parts of the items in a row share a table
    row, so every text starts level even when one title wraps. One table per row of items,
    so a page can break between them.
    """
    gutter = 6 * mm
    col = (width - gutter * (columns - 1)) / columns
    widths = [w for i in range(columns) for w in ([gutter] if i else []) + [col]]
    parts = max(len(cell) for cell in cells)
    rows: list[Flowable] = []
    for start in range(0, len(cells), columns):
        chunk = list(cells[start:start + columns])
        lines = []
        for part in range(parts):
            line: list[object] = []
            for i in range(columns):
                if i:
                    line.append("")
                line.append(chunk[i][part] if i < len(chunk) and part < len(chunk[i]) else "")
            lines.append(line)
        rows.append(_table(lines, widths, theme, [
            *[("LINEABOVE", (2 * i, 0), (2 * i, 0), 1.2, theme.palette.accent)
              for i in range(len(chunk))],
            ("TOPPADDING", (0, 0), (-1, 0), theme.space(0.3)),
            ("BOTTOMPADDING", (0, -1), (-1, -1), theme.space(0.4)),
        ]))
    return rows


def bullet_columns(items: Sequence[str], theme: Theme, width: float) -> Table:
    """A few short bullets side by side on one line."""
    cells = [[para(item, theme, "bullet", bullet="•")] for item in items]
    return _table([cells], [width / len(cells)] * len(cells), theme)


def titled_grid(items: Sequence[tuple[str, str]], theme: Theme, width: float,
                columns: int, run_in: bool = False) -> list[Flowable]:
    """Titled items side by side: how massage helps, the benefits.

    `run_in` puts the title at the start of the text instead of above it, for short items.
    """
    cells = [[lead_in(t, x, theme, "item.title", "item.text")] if run_in
             else [para(t, theme, "item.title"), para(x, theme, "item.text")] for t, x in items]
    return grid(cells, theme, width, columns)


def box_padding(theme: Theme) -> float:
    """Space between a tinted box's edge and its content."""
    return theme.body_pt * 0.9


def box_inner_width(theme: Theme, width: float) -> float:
    """Width left for the content of a tinted box `width` wide."""
    return width - 2 * 1.2 * box_padding(theme)


def tinted_box(content: list[Flowable], theme: Theme, width: float, background: Color,
               rule: Color | None = None) -> Table:
    """Content on a tinted panel with a coloured rule down its left side."""
    pad = box_padding(theme)
    table = _table([[content]], [width], theme, [
        ("BACKGROUND", (0, 0), (-1, -1), background),
        ("LEFTPADDING", (0, 0), (-1, -1), pad * 1.2),
        ("RIGHTPADDING", (0, 0), (-1, -1), pad * 1.2),
        ("TOPPADDING", (0, 0), (-1, -1), pad),
        ("BOTTOMPADDING", (0, 0), (-1, -1), pad),
        *([("LINEBEFORE", (0, 0), (0, -1), 3, rule)] if rule else []),
    ])
    return table


class QrTile(Flowable):
    """A QR symbol with its 4-module quiet zone, a caption naming the channel, a live link.

    Captions wrap to the width the tile is given (its table cell), the code stays centred.
    """

    def __init__(self, symbol: QrSymbol, url: str, caption: str, handle: str, theme: Theme,
                 symbol_width: float, quiet: float) -> None:
        super().__init__()
        self.symbol = symbol
        self.url = url
        self.theme = theme
        self.symbol_width = symbol_width
        self.quiet = max(quiet, symbol_width / symbol.size * QUIET_ZONE_MODULES)
        self.code_width = symbol_width + 2 * self.quiet
        self.caption = para(caption, theme, "qr.caption")
        self.handle = para(handle, theme, "qr.handle")
        self.width = self.code_width
        self.caption_h = self.handle_h = 0.0

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        self.width = max(available_width, self.code_width)
        _, self.caption_h = self.caption.wrap(self.width, available_height)
        _, self.handle_h = self.handle.wrap(self.width, available_height)
        self.height = self.code_width + self.caption_h + self.handle_h
        return self.width, self.height

    def draw(self) -> None:
        c = self.canv
        left = (self.width - self.code_width) / 2
        bottom = self.height - self.code_width
        c.saveState()
        c.setFillColor(self.theme.palette.paper)
        c.rect(left, bottom, self.code_width, self.code_width, stroke=0, fill=1)
        c.restoreState()
        draw_symbol(c, self.symbol, left + self.quiet, bottom + self.quiet, self.symbol_width,
                    self.theme.palette.ink)
        self.caption.drawOn(c, 0, bottom - self.caption_h)
        self.handle.drawOn(c, 0, bottom - self.caption_h - self.handle_h)
        c.linkURL(self.url, (left, bottom, left + self.code_width, self.height), relative=1,
                  thickness=0)


def tile_rows(tiles: Sequence[QrTile], theme: Theme, width: float) -> list[Flowable]:
    """Tiles in as few rows as fit `width`, balanced (5 -> 3 + 2, not 4 + 1), rows centred."""
    tile_w = max(t.code_width for t in tiles)
    fit = max(1, min(len(tiles), int(width // tile_w)))
    rows_needed = -(-len(tiles) // fit)
    per_row = -(-len(tiles) // rows_needed)
    cell = width / per_row
    rows: list[Flowable] = []
    for start in range(0, len(tiles), per_row):
        chunk = list(tiles[start:start + per_row])
        row = _table([chunk], [cell] * len(chunk), theme,
                      [("BOTTOMPADDING", (0, 0), (-1, -1), theme.space(0.4))])
        row.hAlign = "CENTER"
        rows.append(row)
    return rows


def numbered_run(items: Sequence[str], theme: Theme, role: str, separator: str) -> Paragraph:
    """Short numbered items run together in one paragraph: '1 Warm-up · 2 Pressure · ...'."""
    number = theme.style("step.title")
    parts = [f'<font color="{number.textColor.hexval()}"><b>{i}</b></font>'
             f"{to_markup(chr(0xA0), theme.family)}{to_markup(item, theme.family)}"
             for i, item in enumerate(items, start=1)]
    return Paragraph(to_markup(separator, theme.family).join(parts), theme.style(role))
