"""Layout blocks shared by every document kind: numbered steps, bullets, boxes, QR tiles."""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from typing import Any

from reportlab.lib.colors import Color
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.textsplit import ALL_CANNOT_START
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Paragraph, Spacer, Table, TableStyle

from handouts.content.pictures import Picture
from handouts.errors import LayoutError
from handouts.render.inline import to_markup
from handouts.render.picture import PictureBox
from handouts.render.qr import QUIET_ZONE_MODULES, QrSymbol, draw_symbol
from handouts.render.tagging import (
    ElementPath,
    ItemTable,
    TaggedParagraph,
    grouped,
    link,
    structure_of_role,
    tagged,
)
from handouts.render.theme import Space, Theme

NBSP = "\u00a0"
#: Tied last words longer than this would leave a gap at the end of the line above.
_TIE_LIMIT = 14


def unbroken(text: str) -> str:
    """`text` that never breaks across lines: a phone number, a handle, a date, a name."""
    return NBSP.join(text.split(" "))


def tie_last_words(text: str) -> str:
    """Join the last two words, so a paragraph never ends on a line holding one short word."""
    head, space, last = text.rpartition(" ")
    before = head.rpartition(" ")[2]
    if not space or len(before) + len(last) > _TIE_LIMIT or head.count(" ") < 3:
        return text
    return f"{head}{NBSP}{last}"


def para(text: str, theme: Theme, role: str, bullet: str | None = None,
         emphasis: bool = True) -> Paragraph:
    """A paragraph of content text: escaped, Markdown-lite emphasis, font fallback, and (in
    scripts broken at spaces) no one-word last line; Japanese breaks between phrases."""
    if theme.line_breaking == "characters":
        phrased = phrases(text)
        markup = to_markup(phrased, theme.family, theme.palette.primary.hexval(), emphasis)
        return PhraseParagraph(markup, theme.style(role), bullet)
    text = tie_last_words(text)
    markup = to_markup(text, theme.family, theme.palette.primary.hexval(), emphasis)
    return Text(markup, theme.style(role), bulletText=bullet)


#: Markup as ReportLab's parser left it, by style (its id, the style kept beside it so the id
#: stays its own), markup and bullet: a batch sets the same texts in the same styles on
#: every client's sheet, and parsing the markup is a sixth of laying a page out.
_parsed: dict[tuple[int, str, str | None],
              tuple[ParagraphStyle, Any, list[Any], Any, str]] = {}
#: More than a catalogue's texts at a few sizes; the memo starts again when full.
MAX_PARSED = 20_000


class ParsedOnce(TaggedParagraph):
    """A paragraph whose markup is parsed once per process and style: later ones start from
    a copy of each fragment the parser made (the same fragments, so the same lines)."""

    frags: list[Any]  # ReportLab's, set by _setup

    def _setup(self, text: str | None, style: ParagraphStyle, bulletText: Any,  # noqa: N803
               frags: list[Any] | None, cleaner: Any) -> None:
        if frags is not None or not isinstance(text, str) or not isinstance(
                bulletText, str | None):  # a split's second half, or an unusual bullet
            super()._setup(text, style, bulletText, frags, cleaner)
            return
        key = (id(style), text, bulletText)
        known = _parsed.get(key)
        if known is None or known[0] is not style:
            super()._setup(text, style, bulletText, None, cleaner)
            parsed = self.frags
            if isinstance(self.bulletText, str | None):  # not fragments of its own markup
                if len(_parsed) >= MAX_PARSED:
                    _parsed.clear()
                _parsed[key] = (style, self.style, parsed, self.bulletText, self.text)
                self.frags = [fragment.clone() for fragment in parsed]
            return
        _, parsed_style, fragments, bullet, cleaned = known
        super()._setup(cleaned, parsed_style, bullet,
                       [fragment.clone() for fragment in fragments], cleaner)


class Text(ParsedOnce):
    """A paragraph broken into lines once per width: tables wrap each cell several times at
    the same width, and a paragraph's lines depend on nothing else."""

    _laid: tuple[float, tuple[float, float]] | None = None

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        # a split that found no room drops ReportLab's lines (blPara): break them again then
        if self._laid is None or self._laid[0] != available_width or not hasattr(self, "blPara"):
            self._laid = available_width, super().wrap(available_width, available_height)
        return self._laid[1]


#: Marks a place between two phrases where a line may break; never printed.
PHRASE_BREAK = "\ue000"


@lru_cache(maxsize=1)
def _japanese_parser() -> Any:
    import budoux

    return budoux.load_default_japanese_parser()


@lru_cache(maxsize=4096)  # every size tried sets the same texts again
def phrases(text: str) -> str:
    """`text` with a PHRASE_BREAK between its phrases (budoux, Google's phrase segmenter), so
    a line breaks between words, not inside one ("役立ちま/すか" never happens)."""
    parts: list[str] = []
    for part in _japanese_parser().parse(text):
        # kinsoku: marks that may not open a line (、。・」) hang on the phrase before
        while parts and part and part[0] in ALL_CANNOT_START:
            parts[-1] += part[0]
            part = part[1:]
        if parts and part and _within_a_word(parts[-1][-1], part[0]):
            parts[-1] += part  # budoux may cut a number ("209/9年"): a line never does
        elif part:
            parts.append(part)
    joined = PHRASE_BREAK.join(parts)
    # never inside the ** of emphasis, nor beside a space (a space is a break already)
    return (joined.replace("*" + PHRASE_BREAK + "*", "**")
            .replace(" " + PHRASE_BREAK, " ").replace(PHRASE_BREAK + " ", " "))


def _within_a_word(before: str, after: str) -> bool:
    """Two characters of one Latin word or number (digits, letters, a time's colon)."""
    return all(c.isascii() and (c.isalnum() or c == ":") for c in (before, after))


class PhraseParagraph(ParsedOnce):
    """A Japanese paragraph whose lines end only between phrases.

    ReportLab's CJK wrapping may break after any character; here the lines are chosen first,
    phrase by phrase, from the widths ReportLab itself measures for each phrase (bold and
    fallback fonts included), and ReportLab only sets them. A phrase wider than a whole line
    is still broken by ReportLab (with kinsoku), as before.
    """

    def __init__(self, markup: str, style: ParagraphStyle, bullet: str | None = None) -> None:
        self.phrase_markup = markup
        self.phrase_bullet = bullet
        self.laid_width: float | None = None
        self.laid_size = (0.0, 0.0)
        super().__init__(markup, style, bulletText=bullet)
        self.phrase_widths = self._measure()

    def _measure(self) -> list[float]:
        """The width of each phrase, as the fragments between PHRASE_BREAKs are set."""
        from reportlab.pdfbase.pdfmetrics import stringWidth

        widths = [0.0]
        self.phrase_starts = [""]
        for frag in self.frags:
            for char in getattr(frag, "text", ""):
                if char == PHRASE_BREAK:
                    widths.append(0.0)
                    self.phrase_starts.append("")
                else:
                    widths[-1] += stringWidth(char, frag.fontName, frag.fontSize)
                    self.phrase_starts[-1] = self.phrase_starts[-1] or char
        return widths

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        if self.laid_width != available_width or not hasattr(self, "blPara"):
            self.laid_width = available_width
            markup = self._broken(available_width - self.style.leftIndent
                                  - self.style.rightIndent)
            Paragraph.__init__(self, markup, self.style, bulletText=self.phrase_bullet)
            self.laid_size = super().wrap(available_width, available_height)
        # tables wrap each cell several times at one width: CJK breaking is set once per width
        return self.laid_size

    def _broken(self, width: float) -> str:
        """The markup with a line break before each phrase that would not fit its line."""
        parts = self.phrase_markup.split(PHRASE_BREAK)
        if len(parts) != len(self.phrase_widths):  # cannot match them: ReportLab breaks
            return self.phrase_markup.replace(PHRASE_BREAK, "")
        room = width - self.style.fontSize * 0.05
        used = self.phrase_widths[0] + self.style.firstLineIndent
        out = parts[0]
        for part, w, first in zip(parts[1:], self.phrase_widths[1:], self.phrase_starts[1:],
                                  strict=True):
            # kinsoku: a phrase opening with a closing mark or a middle dot stays on the line;
            # a phrase wider than a whole line runs on from here and ReportLab breaks it
            if used + w > room and used > 0 and first not in ALL_CANNOT_START and w <= room:
                out += "<br/>"
                used = 0.0
            out += part
            used = (used + w) % room if w > room else used + w
        return out


def icon(picture: Picture | None, theme: Theme, size: float | None = None,
         colour: Color | None = None) -> PictureBox | None:
    """A line pictogram in one brand colour (the primary unless told), or None."""
    if picture is None:
        return None
    side = size or theme.icon
    return PictureBox(picture, theme.palette, side, side, colour or theme.palette.primary)


class SectionMark(Flowable):
    """Zero-size marker: lets the renderer tell which section a page overflow falls in.

    It carries its section's space above: a KeepTogether asks its first flowable (this
    mark) for the room to leave above it, so space kept on the heading inside would go
    uncounted and push the block's last row alone onto the next page.
    """

    def __init__(self, name: str, space_before: float = 0) -> None:
        super().__init__()
        self.name = name
        self.width = self.height = 0
        self.spaceBefore = space_before

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        return 0, 0

    def draw(self) -> None:
        pass


class NumberBadge(Flowable):
    """A filled circle with a step number, in the brand colour, optically centred: the
    figures' own height (not the font's line box) sits on the circle's middle."""

    def __init__(self, number: int, theme: Theme, diameter: float | None = None) -> None:
        super().__init__()
        self.number = number
        self.theme = theme
        self.width = self.height = diameter or theme.body_pt * 1.9

    def draw(self) -> None:
        from reportlab.pdfbase.pdfmetrics import getFont

        c = self.canv
        r = self.width / 2
        style = self.theme.style("step.number")
        size = min(style.fontSize, self.width * 0.6)
        face = getFont(style.fontName).face
        figure_height = getattr(face, "capHeight", 714) / 1000 * size
        c.setFillColor(self.theme.palette.primary)
        c.circle(r, r, r, stroke=0, fill=1)
        c.setFillColor(self.theme.palette.paper)
        c.setFont(style.fontName, size)
        with tagged(c, "Lbl"):
            c.drawCentredString(r, r - figure_height / 2, str(self.number))


class WholeTable(Table):
    """A table that moves to the next page whole instead of splitting between its rows."""

    def split(self, available_width: float, available_height: float) -> list[Flowable]:
        return []


def layout_table(rows: Sequence[Sequence[object]], widths: Sequence[float | None],
                 theme: Theme, extra: Sequence[tuple[object, ...]] = (),
                 whole: bool = False,
                 items: dict[tuple[int, int], ElementPath] | None = None) -> Table:
    """A borderless layout table; every cell's font is set so none falls back to Helvetica.

    A `whole` table never splits across pages: a title must not end a page without its text.
    With `items` ((row, column) -> element path), each item's cells read as one element.
    """
    if items:
        table: Table = ItemTable(rows, colWidths=list(widths))
        table.items, table.whole = items, whole
    else:
        table = (WholeTable if whole else Table)(rows, colWidths=list(widths))
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


def heading(title: str, theme: Theme, pictogram: Picture | None = None,
            role: str = "section.title", colour: Color | None = None) -> Flowable:
    """A heading, with its pictogram before it when the brand gives one."""
    text = para(title, theme, role)
    mark = icon(pictogram, theme, colour=colour)
    if mark is None:
        return text
    return row_of([mark, text], theme, theme.body_pt * 0.5)


def row_of(items: Sequence[Flowable], theme: Theme, gap: float,
           valign: str = "MIDDLE") -> Table:
    """Small flowables in a row, vertically centred: pictograms beside their words.

    Every item but the last keeps its natural width; the last takes what is left. A mark
    before words that may wrap is set `valign="TOP"`, level with their first line.
    """
    widths: list[float | None] = []
    for item in items[:-1]:
        if isinstance(item, Paragraph):
            item.wrap(10_000, 10_000)
            natural = max(item.getActualLineWidths0() or [0.0])
        else:
            natural = item.wrap(0, 0)[0]
        widths.append(natural + gap)
    widths.append(None)
    table = Table([list(items)], colWidths=widths)
    table.setStyle(TableStyle([
        ("FONTNAME", (0, 0), (-1, -1), theme.family.regular),
        ("VALIGN", (0, 0), (-1, -1), valign),
        *[(side, (0, 0), (-1, -1), 0) for side in ("LEFTPADDING", "RIGHTPADDING",
                                                    "TOPPADDING", "BOTTOMPADDING")],
    ]))
    table.hAlign = "LEFT"
    return table


def section(mark: str, title: str, theme: Theme, body: list[Flowable], keep: int = 1,
            pictogram: Picture | None = None) -> list[Flowable]:
    """A titled section, one step of the spacing scale above it (none at a page's top); its
    title never sits at the foot of a page without the first `keep` blocks of its body."""
    head = heading(title, theme, pictogram)
    return [KeepTogether([SectionMark(mark, theme.space(Space.SECTION)), head,
                          Spacer(1, theme.space(Space.HAIR)), *body[:keep]]), *body[keep:]]


def measured(content: list[Flowable], theme: Theme, width: float) -> Flowable:
    """Text kept to a readable measure: a full-width column would run past 80 characters."""
    if width <= theme.measure:
        return layout_table([[content]], [width], theme)
    return layout_table([[content, ""]], [theme.measure, width - theme.measure], theme)


def lead_in(title: str, text: str, theme: Theme, title_role: str, text_role: str,
            emphasis: bool = True) -> Paragraph:
    """One paragraph that opens with a title in the title role's font and colour."""
    t = theme.style(title_role)
    by_phrase = theme.line_breaking == "characters"
    if by_phrase:
        title, text = phrases(title), phrases(text)
    head = (f'<font size="{t.fontSize:.2f}" color="{t.textColor.hexval()}">'
            f"<b>{to_markup(title, theme.family)}</b></font>")
    gap = to_markup("\u2002", theme.family)
    body = to_markup(text, theme.family, theme.palette.primary.hexval(), emphasis)
    paragraph: TaggedParagraph = (
        PhraseParagraph(f"{head}{PHRASE_BREAK}{gap}{body}", theme.style(text_role))
        if by_phrase else Text(f"{head}{gap}{body}", theme.style(text_role)))
    if (structure_of_role(title_role) or "P").startswith("H"):
        paragraph.structure = structure_of_role(title_role)
    return paragraph


def side_by_side(left: list[Flowable], right: list[Flowable], theme: Theme, width: float,
                 split: float, gutter: float = 6 * mm) -> Table:
    """Two stacks of flowables next to each other; `split` is the left one's share."""
    left_w = (width - gutter) * split
    return layout_table([[left, "", right]], [left_w, gutter, width - gutter - left_w], theme)


def numbered_steps(steps: Sequence[tuple[str, str]], theme: Theme, width: float) -> list[Flowable]:
    """One row per step: a number badge, then the step's title leading into its text."""
    badge = theme.body_pt * 1.9
    gutter = theme.body_pt * 0.8
    out: list[Flowable] = []
    for number, (title, text) in enumerate(steps, start=1):
        row = layout_table([[NumberBadge(number, theme),
                       lead_in(title, text, theme, "step.title", "step.text")]],
                     [badge + gutter, width - badge - gutter], theme,
                     [("BOTTOMPADDING", (0, 0), (-1, -1), theme.space(Space.HAIR)),
                      ("VALIGN", (0, 0), (-1, -1), "MIDDLE")])
        out.append(row)
    return out


def bullets(items: Sequence[str], theme: Theme) -> list[Flowable]:
    return [para(item, theme, "bullet", bullet="•") for item in items]


def grid(cells: Sequence[list[Flowable]], theme: Theme, width: float,
         columns: int, items: str | None = None, listed: bool = False) -> list[Flowable]:
    """Short items side by side under a thin accent rule: benefits, stretches, questions.

    Each item is a list (title, text, ...); the n-th parts of the items in a row share a table
    row, so every text starts level even when one title wraps. One table per row of items,
    so a page can break between them.

    Named `items`, each item reads as one element (a Div, or with `listed` an LI of one L),
    its parts in order, though the table draws them row by row.
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
        paths: dict[tuple[int, int], ElementPath] | None = {
            (part, 2 * i): (("L", items), ("LI", start + i)) if listed
            else (("Div", (items, start + i)),)
            for part in range(parts) for i in range(len(chunk))} if items else None
        rows.append(layout_table(lines, widths, theme, [
            *[("LINEABOVE", (2 * i, 0), (2 * i, 0), 1.2, theme.palette.accent)
              for i in range(len(chunk))],
            ("TOPPADDING", (0, 0), (-1, 0), theme.space(Space.TIGHT)),
            ("BOTTOMPADDING", (0, 0), (-1, -2), theme.space(Space.HAIR)),
            ("BOTTOMPADDING", (0, -1), (-1, -1), theme.space(Space.ITEM)),
        ], whole=True, items=paths))
    return rows


def bullet_columns(items: Sequence[str], theme: Theme, width: float) -> Table:
    """A few short bullets side by side on one line."""
    cells = [[para(item, theme, "bullet", bullet="•")] for item in items]
    return layout_table([cells], [width / len(cells)] * len(cells), theme)


def titled_grid(items: Sequence[tuple[str, str]], theme: Theme, width: float,
                columns: int, run_in: bool = False, name: str | None = None) -> list[Flowable]:
    """Titled items side by side: how massage helps, the benefits.

    `run_in` puts the title at the start of the text instead of above it, for short items;
    `name` makes each item read as one element (see `grid`).
    """
    cells = [[lead_in(t, x, theme, "item.title", "item.text")] if run_in
             else [para(t, theme, "item.title"), para(x, theme, "item.text")] for t, x in items]
    return grid(cells, theme, width, columns, items=name)


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
    table = layout_table([[content]], [width], theme, [
        ("BACKGROUND", (0, 0), (-1, -1), background),
        ("LEFTPADDING", (0, 0), (-1, -1), pad * 1.2),
        ("RIGHTPADDING", (0, 0), (-1, -1), pad * 1.2),
        ("TOPPADDING", (0, 0), (-1, -1), pad),
        ("BOTTOMPADDING", (0, 0), (-1, -1), pad),
        *([("LINEBEFORE", (0, 0), (0, -1), 3, rule)] if rule else []),
    ])
    return table


class QrTile(Flowable):
    """A QR symbol with its 4-module quiet zone, the channel's mark and name, its handle on
    one unbroken line, and a live link.

    The name wraps to the width the tile is given (its table cell); the code stays centred.
    """

    def __init__(self, symbol: QrSymbol, url: str, caption: str, handle: str, theme: Theme,
                 symbol_width: float, quiet: float, mark: Picture | None = None,
                 alt: str = "") -> None:
        super().__init__()
        self.symbol = symbol
        self.url = url
        self.alt = alt
        self.theme = theme
        self.symbol_width = symbol_width
        self.quiet = max(quiet, symbol_width / symbol.size * QUIET_ZONE_MODULES)
        self.code_width = symbol_width + 2 * self.quiet
        caption_style = theme.style("qr.caption")
        self.mark = icon(mark, theme, caption_style.fontSize * 1.15)
        self.mark_room = self.mark.width + caption_style.fontSize * 0.3 if self.mark else 0.0
        self.caption = para(caption, theme, "qr.caption")
        self.handle_text = handle
        self.handle = para(unbroken(handle), theme, "qr.handle", emphasis=False)
        self.width = self.code_width
        self.caption_h = self.handle_h = 0.0
        self.caption_w = 0.0

    @property
    def least_width(self) -> float:
        """The narrowest the tile can be: its code, its unbroken handle or its name's longest
        word (beside the mark), whichever is widest."""
        return max(self.code_width, self.handle.minWidth(),
                   self.caption.minWidth() + self.mark_room)

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        self.width = max(available_width, self.least_width)
        _, self.caption_h = self.caption.wrap(self.width - self.mark_room, available_height)
        self.caption_w = max(self.caption.getActualLineWidths0() or [0.0])
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
        # a screen reader meets the link as the code's alternative text, which names the
        # channel and handle; the caption and handle below are read as text after it
        with grouped(c, "Link"):
            with tagged(c, "Figure", self.alt):
                draw_symbol(c, self.symbol, left + self.quiet, bottom + self.quiet,
                            self.symbol_width, self.theme.palette.ink)
            link(c, self.url, (left, bottom, left + self.code_width, self.height), self.alt)
        caption_y = bottom - self.caption_h
        if self.mark is not None:
            line_h = self.theme.style("qr.caption").leading
            mark_x = (self.width - self.caption_w - self.mark_room) / 2
            self.mark.drawOn(c, mark_x, bottom - line_h + (line_h - self.mark.height) / 2)
        self.caption.drawOn(c, self.mark_room, caption_y)
        self.handle.drawOn(c, 0, caption_y - self.handle_h)


#: Closest two QR tiles may stand: white quiet zones that touch read as one strip.
TILE_GAP = 2 * mm


def tiles_per_row(tiles: Sequence[QrTile], width: float, most: int | None = None) -> int:
    """How many tiles a row of `width` holds, at least TILE_GAP apart, balanced over the rows
    (5 -> 3 + 2, not 4 + 1). A tile wider than the whole row (a long handle) is refused."""
    tile_w = max(t.least_width for t in tiles)
    if tile_w > width + 0.01:
        widest = max(tiles, key=lambda t: t.least_width)
        raise LayoutError(
            f"the contact '{widest.handle_text}' needs {tile_w / mm:.0f} mm beside its code, "
            f"and there are {width / mm:.0f} mm: shorten it in brand.yaml")
    fit = max(1, int((width + TILE_GAP) / (tile_w + TILE_GAP) + 1e-6))
    fit = min(fit, len(tiles), most or len(tiles))
    rows_needed = -(-len(tiles) // fit)
    return -(-len(tiles) // rows_needed)


def tile_rows(tiles: Sequence[QrTile], theme: Theme, width: float) -> list[Flowable]:
    """Tiles in as few rows as fit `width`, balanced, rows centred."""
    per_row = tiles_per_row(tiles, width)
    cell = width / per_row
    rows: list[Flowable] = []
    for start in range(0, len(tiles), per_row):
        chunk = list(tiles[start:start + per_row])
        row = layout_table([chunk], [cell] * len(chunk), theme,
                      [("BOTTOMPADDING", (0, 0), (-1, -1), theme.space(Space.HAIR))])
        row.hAlign = "CENTER"
        rows.append(row)
    return rows


def numbered_run(items: Sequence[str], theme: Theme, role: str, separator: str) -> Paragraph:
    """Short numbered items run together in one paragraph: '1 Warm-up · 2 Pressure · ...'."""
    number = theme.style("step.title")
    parts = [f'<font color="{number.textColor.hexval()}"><b>{i}</b></font>'
             f"{to_markup(chr(0xA0), theme.family)}{to_markup(item, theme.family)}"
             for i, item in enumerate(items, start=1)]
    return Text(to_markup(separator, theme.family).join(parts), theme.style(role))
