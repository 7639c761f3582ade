"""Edit a scratch copy of the content the way a staff member would."""

from __future__ import annotations

from pathlib import Path


def edit(path: Path, old: str, new: str) -> None:
    """Replace one exact snippet of a content file; fails loudly if the snippet moved."""
    content = path.read_text(encoding="utf-8")
    assert old in content, f"{old!r} not in {path}"
    path.write_text(content.replace(old, new, 1), encoding="utf-8")


def line_of(path: Path, snippet: str) -> int:
    """1-based line number of the first line containing `snippet`."""
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if snippet in line:
            return number
    raise AssertionError(f"{snippet!r} not in {path}")
