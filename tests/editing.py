"""Edit a scratch copy of the content the way a staff member would."""

from __future__ import annotations

import os
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


def edit_keeping_stat(path: Path, old: bytes, new: bytes) -> None:
    """Replace `old` by `new` (as many bytes) and put the file's modification time back, as
    `cp -p` or `rsync -a` of another version, or a second save within one clock tick, leaves
    it: only the bytes say that the file changed."""
    assert len(old) == len(new), "the edit must keep the file's size"
    before = path.stat()
    content = path.read_bytes()
    assert old in content, f"{old!r} not in {path}"
    path.write_bytes(content.replace(old, new, 1))
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    after = path.stat()
    assert (after.st_size, after.st_mtime_ns) == (before.st_size, before.st_mtime_ns)
