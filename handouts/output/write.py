"""Atomic writes: a temp file beside the target, fsync, then rename over it.

A crash or an error at any point leaves the previous good file untouched.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from handouts.errors import OutputError


def write_atomic(target: Path, data: bytes) -> None:
    """Replace `target` with `data` in one step; readers see the old file or the new one."""
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, temp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    except OSError as exc:
        raise OutputError(f"{target}: cannot write here: {exc.strerror}") from None
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temp, 0o644)
        os.replace(temp, target)
    except OSError as exc:
        Path(temp).unlink(missing_ok=True)
        raise OutputError(f"{target}: cannot write: {exc.strerror}") from None
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


def write_if_changed(target: Path, data: bytes) -> None:
    """Write only when the content differs, so an unchanged file keeps its mtime."""
    try:
        if target.read_bytes() == data:
            return
    except OSError:
        pass
    write_atomic(target, data)
