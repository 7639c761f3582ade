"""The content cache's files: `MAGIC`, a key, the SHA-256 of the payload, then the payload
(a pickle). One format for everything kept in `.handouts/cache` (the library, font faces,
file digests), so every kind is read with the same care.

A file that is truncated, damaged, foreign or of another key is a miss, never an error. The
digest catches damage, not malice: unpickling runs code, so a file is unpickled only when it
and the folders holding it belong to this user and nobody else may write them (the tool makes
them 0700 and the file 0600). Whoever could replace it could already run code as this user.
A file that cannot be written (a read-only project, a folder of the wrong owner) is skipped.
"""

from __future__ import annotations

import gc
import hashlib
import os
import pickle
import stat
from pathlib import Path

from handouts.errors import OutputError
from handouts.output.write import write_atomic

#: Bumped when the files' layout changes.
MAGIC = b"handouts content cache 1\n"
#: Far larger than anything this tool keeps: not one of ours.
MAX_BYTES = 256 * 1024 * 1024
_DIGEST = 32


def read_kept(path: Path, key: bytes) -> object | None:
    """What was kept in `path` under `key`, or None: missing, damaged, another key's, or in
    a place someone else could have written."""
    try:
        if not all(private(folder) for folder in (path.parent.parent, path.parent)):
            return None
        descriptor = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_CLOEXEC)
        with os.fdopen(descriptor, "rb") as handle:
            if not private(handle.fileno()) or os.fstat(handle.fileno()).st_size > MAX_BYTES:
                return None
            data = handle.read()
    except OSError:
        return None
    head = len(MAGIC)
    stored_key, digest = data[head:head + _DIGEST], data[head + _DIGEST:head + 2 * _DIGEST]
    payload = data[head + 2 * _DIGEST:]
    if data[:head] != MAGIC or stored_key != key \
            or hashlib.sha256(payload).digest() != digest:
        return None
    collecting = gc.isenabled()
    try:
        gc.disable()  # it makes thousands of objects: collecting meanwhile took ten times longer
        kept: object = pickle.loads(payload)
    except Exception:  # written by another version of a package after all: a miss
        return None
    finally:
        if collecting:
            gc.enable()
    return kept


def write_kept(path: Path, key: bytes, value: object) -> None:
    """Keep `value` in `path` under `key`; skipped where the cache cannot be kept."""
    try:
        for folder in (path.parent.parent, path.parent):
            folder.mkdir(mode=0o700, exist_ok=True)
            if not private(folder):
                return
        payload = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
        write_atomic(path, MAGIC + key + hashlib.sha256(payload).digest() + payload,
                     private=True)
    except (OSError, OutputError, pickle.PicklingError, TypeError, AttributeError,
            RecursionError):
        return


def private(where: Path | int) -> bool:
    """Whether a folder (not a link) or an open file belongs to this user alone to write."""
    info = os.fstat(where) if isinstance(where, int) else os.lstat(where)
    kind = stat.S_ISREG if isinstance(where, int) else stat.S_ISDIR
    return kind(info.st_mode) and info.st_uid == os.geteuid() \
        and not info.st_mode & (stat.S_IWGRP | stat.S_IWOTH)
