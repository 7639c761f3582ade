"""out/index.html: every document with a thumbnail and a link, for reception to click and print.

Plain HTML with relative links and inline CSS, so it works offline from any folder; the page
is templates/index.html.j2, autoescaped, so a treatment's name is always text.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

from jinja2 import Environment

from handouts.output.jinja import environment
from handouts.output.write import write_if_changed

#: What reception reads beside each language: is this document ready to hand out?
STATES = {"complete": "complete", "stale": "may be out of date", "missing": "missing"}


@dataclass(frozen=True)
class Entry:
    treatment: str  # the treatment's name, for the heading
    kind: str  # the kind's label, e.g. "Aftercare guide"
    language: str  # the language's own name, e.g. "Tiếng Việt"
    pdf: str  # file name in the output folder ("" when missing)
    thumbnail: str  # relative path of its PNG
    #: "complete"; "stale" (its translation's English changed, or its content is unfinished
    #: since this PDF was made); "missing" (not made yet: no translation, or placeholders)
    state: str = "complete"


Group = list[tuple[str, list[tuple[str, list[Entry]]]]]


def grouped(entries: list[Entry]) -> Group:
    """Entries by treatment, then by kind, each in the order first met."""
    return [(treatment, [(kind, [e for e in entries if (e.treatment, e.kind) == (treatment, kind)])
                         for kind in dict.fromkeys(e.kind for e in entries
                                                   if e.treatment == treatment)])
            for treatment in dict.fromkeys(e.treatment for e in entries)]


@cache
def _environment() -> Environment:
    return environment()


def index_html(title: str, entries: list[Entry]) -> str:
    return _environment().get_template("index.html.j2").render(
        title=title, treatments=grouped(entries), states=STATES)


def write_index(folder: Path, title: str, entries: list[Entry]) -> Path:
    """Write `folder/index.html`; only touches the file when its content changes."""
    target = folder / "index.html"
    write_if_changed(target, index_html(title, entries).encode("utf-8"))
    return target
