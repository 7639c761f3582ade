"""out/index.html: every document with a thumbnail and a link, for reception to click and print.

Plain HTML with relative links and inline CSS, so it works offline from any folder.
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape
from pathlib import Path

from handouts.output.write import write_if_changed


@dataclass(frozen=True)
class Entry:
    treatment: str  # the treatment's name, for the heading
    kind: str  # the kind's label, e.g. "Aftercare guide"
    language: str  # the language's own name, e.g. "Tiếng Việt"
    pdf: str  # file name in the output folder
    thumbnail: str  # relative path of its PNG


STYLE = """
body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;margin:2rem;color:#1e2a2a}
h1{color:#1f5c57;margin-bottom:.2rem} h2{color:#1f5c57;margin-top:2rem}
p.hint{color:#4a5656;margin-top:0}
section.kind{margin:1rem 0} h3{margin:.5rem 0;font-size:1rem;color:#4a5656}
ul{list-style:none;padding:0;display:flex;flex-wrap:wrap;gap:1rem}
li a{display:block;text-decoration:none;color:#1f5c57;text-align:center;font-weight:600}
li img{display:block;border:1px solid #cfd8d6;box-shadow:0 1px 3px #0002;margin-bottom:.3rem;
background:#fff}
"""


def write_index(folder: Path, title: str, entries: list[Entry]) -> Path:
    """Write `folder/index.html`; only touches the file when its content changes."""
    parts = [f"<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
             f"<title>{escape(title)}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n"
             f"<h1>{escape(title)}</h1>\n<p class=\"hint\">Click a document to open it, then "
             f"print at actual size (100%).</p>\n"]
    treatments = list(dict.fromkeys(e.treatment for e in entries))
    for treatment in treatments:
        parts.append(f"<h2>{escape(treatment)}</h2>\n")
        mine = [e for e in entries if e.treatment == treatment]
        for kind in dict.fromkeys(e.kind for e in mine):
            parts.append(f"<section class=\"kind\"><h3>{escape(kind)}</h3>\n<ul>\n")
            for e in (e for e in mine if e.kind == kind):
                parts.append(
                    f"<li><a href=\"{escape(e.pdf)}\"><img src=\"{escape(e.thumbnail)}\" "
                    f"alt=\"{escape(kind)}, {escape(e.language)}\" width=\"220\">"
                    f"{escape(e.language)}</a></li>\n")
            parts.append("</ul></section>\n")
    parts.append("</body>\n</html>\n")
    target = folder / "index.html"
    write_if_changed(target, "".join(parts).encode("utf-8"))
    return target
