"""SHA-256 of input files' bytes, with a large file hashed again only when it changed.

Every build and sheet knows its inputs by their bytes (the content cache's key, the build
manifest's fingerprints). Hashing the fonts (21 MB) took 25-40 ms of every command. A large
file's digest is therefore remembered with its identity: device, inode, size, modification
time and change time. Size and modification time alone say nothing (`cp -p` and `rsync -a`
set them), but no copy or edit can keep a file's change time or inode: the kernel sets the
change time on every write, rename or `touch`. As git does with its index, a remembered
digest is trusted only for a file that had been still for RACY_SECONDS when it was hashed
(by this process's clock) and when the memo was written (by the file system's own clock,
the one change times are taken from), so a second save within one tick is never missed.
Small files (YAML, SVG, code: a few milliseconds for all of them) are always hashed: the
rule guards large ones, so a file system without real change times (a FAT memory stick)
could at worst miss a font replaced by one of exactly its size and time.

The memo is kept in the content cache's folder (content/kept.py: private to this user, a
damaged or foreign file is ignored); `--no-cache` and a project without one hash everything.
"""

from __future__ import annotations

import hashlib
import os
import threading
import time
from pathlib import Path
from typing import Any

from handouts.content.kept import read_kept, write_kept

#: A file changed this recently may change again within the same clock tick, keeping its
#: times and size: it is hashed every time until it has been still this long.
RACY_SECONDS = 2
#: Files from this size up are remembered by their identity; smaller ones are always hashed.
LARGE_BYTES = 256 * 1024
MEMO_NAME = "digests"
_KEY = hashlib.sha256(b"handouts file digests 1").digest()
#: (device, inode, size, modification ns, change ns) of a file
Identity = tuple[int, int, int, int, int]
#: a file's identity when hashed, its digest, and when it was hashed (the process's clock)
Entry = tuple[Identity, bytes, int]


class _Memo:
    folder: Path | None = None
    #: the kept memo's entries, but for files changed within RACY_SECONDS of their hashing
    trusted: dict[str, Entry] = {}
    #: large files hashed by this process: kept for the next run, never trusted by this one
    hashed: dict[str, Entry] = {}


_LOCK = threading.Lock()


def remember_in(folder: Path | None) -> None:
    """Remember large files' digests in `folder` (the content cache's), or nowhere."""
    with _LOCK:
        if folder == _Memo.folder:
            return
        _Memo.folder, _Memo.trusted, _Memo.hashed = folder, {}, {}
        if folder is None:
            return
        kept: Any = read_kept(folder / MEMO_NAME, _KEY)
        try:
            written = (folder / MEMO_NAME).stat().st_mtime_ns
        except OSError:
            return
        try:
            _Memo.trusted = {name: entry for name, entry in kept.items()
                             if _still(entry[0], entry[2]) and _still(entry[0], written)}
        except (AttributeError, TypeError, IndexError):  # none kept, or not this shape
            _Memo.trusted = {}


def digest(path: Path | str) -> bytes:
    """The SHA-256 of the file's bytes now (raises OSError when it cannot be read)."""
    name = os.path.abspath(path)
    with open(name, "rb") as handle:
        info = os.fstat(handle.fileno())
        if info.st_size < LARGE_BYTES or _Memo.folder is None:
            return hashlib.sha256(handle.read()).digest()
        identity = (info.st_dev, info.st_ino, info.st_size, info.st_mtime_ns, info.st_ctime_ns)
        known = _Memo.trusted.get(name)
        if known is not None and known[0] == identity:
            return known[1]
        hashed = hashlib.sha256(handle.read()).digest()
    with _LOCK:
        _Memo.hashed[name] = (identity, hashed, time.time_ns())
    return hashed


def store_digests() -> None:
    """Keep what was hashed for the next run, if anything was."""
    with _LOCK:
        if _Memo.folder is None or not _Memo.hashed:
            return
        known = {**_Memo.trusted, **_Memo.hashed}
        folder, _Memo.hashed = _Memo.folder, {}
    write_kept(folder / MEMO_NAME, _KEY, known)


def _still(identity: Identity, moment: int) -> bool:
    """Whether the file had not changed for RACY_SECONDS at `moment`."""
    return moment - max(identity[3], identity[4]) >= RACY_SECONDS * 10**9
