"""Markdown-lite for content text: `**bold**` and `*italic*`; every other character is literal.

ReportLab paragraphs are markup: `&`, `<b>`, `<img src=...>` in content would be obeyed.
So content is escaped first and the only tags are the ones built here.
"""

from __future__ import annotations

import html
import re
from itertools import groupby
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from handouts.render.fonts import RegisteredFamily

def escape(text: str) -> str:
    """`&`, `<` and `>` as entities: xml.sax.saxutils.escape's job, without importing urllib,
    http and ssl on the way (about 20 ms of a cold sheet)."""
    return html.escape(text, quote=False)


_EMPHASIS = re.compile(
    r"\*\*(?P<bold>(?=\S)[^*]*?(?:\*(?!\*)[^*]*?)*(?<=\S))\*\*"
    r"|\*(?P<italic>(?=[^\s*])[^*]*?(?<=[^\s*]))\*"
)


def _spans(text: str) -> list[tuple[str, str]]:
    """Split `text` into (kind, text) runs: kind is '', 'b', 'i' or 'bi'."""
    out: list[tuple[str, str]] = []
    pos = 0
    for match in _EMPHASIS.finditer(text):
        if match.start() > pos:
            out.append(("", text[pos:match.start()]))
        if match.group("bold") is not None:
            for kind, inner in _spans(match.group("bold")):
                out.append(("b" + kind.replace("b", ""), inner))
        else:
            out.append(("i", match.group("italic")))
        pos = match.end()
    if pos < len(text):
        out.append(("", text[pos:]))
    return out


def _with_fallback(run: str, family: RegisteredFamily | None) -> str:
    """Escape `run`, switching to a fallback font for characters the family lacks."""
    if family is None or family.draws_all(run):
        return escape(run)
    out: list[str] = []
    for drawer, chars in groupby(run, key=lambda char: family.drawer(char) or family):
        piece = escape("".join(chars))
        out.append(piece if drawer is family else f'<font name="{drawer.regular}">{piece}</font>')
    return "".join(out)


def to_markup(text: str, family: RegisteredFamily | None = None,
              strong_colour: str | None = None, emphasis: bool = True) -> str:
    """ReportLab paragraph markup for `text`, with content characters escaped.

    With a `family`, characters it lacks are drawn in its fallback family. A family with no
    bold face (IPAex Gothic) shows **bold** in `strong_colour` instead, so it still stands out.
    `emphasis=False` prints asterisks as typed (a client's name, a therapist's note).
    """
    parts = []
    for kind, run in _spans(text) if emphasis else [("", text)]:
        run = _with_fallback(run, family)
        if "i" in kind:
            run = f"<i>{run}</i>"
        if "b" in kind:
            run = f"<b>{run}</b>"
            if family is not None and family.bold == family.regular and strong_colour:
                run = f'<font color="{strong_colour}">{run}</font>'
        parts.append(run)
    return "".join(parts)


def plain(text: str) -> str:
    """`text` as a reader sees it on the page: emphasis markers removed."""
    return "".join(run for _, run in _spans(text))
