"""Atomic writes: a temp file beside the target, fsync, then rename over it.

A crash or an error at any point leaves the previous good file untouched; a process killed
outright (SIGKILL) can leave its temp file, which the next build in that folder sweeps away.
"""

from __future__ import annotations

import os
import re
import tempfile
import time
from pathlib import Path

from handouts.errors import OutputError


def write_atomic(target: Path, data: bytes) -> None:
    """Replace `target` with `data` in one step; readers see the old file or the new one."""
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, temp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.{os.getpid()}.",
                                    suffix=".tmp")
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


#: `.<target>.<pid>.<8 random>.tmp`, and the same without the pid (written before it was
#: part of the name).
_TEMP = re.compile(r"^\..+?(?:\.(\d+))?\.[a-z0-9_]{8}\.tmp$")
#: A temp file lives for milliseconds; one this old (seconds) was abandoned by a killed run.
ABANDONED_AFTER = 600


def sweep_temps(folder: Path) -> list[Path]:
    """Remove the temp files killed runs left in `folder`: those whose writer (the pid in the
    name) is no longer running, and any older than ABANDONED_AFTER. Never another file."""
    removed: list[Path] = []
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return removed
    now = time.time()
    for entry in entries:
        match = _TEMP.match(entry.name)
        if not match or not entry.is_file(follow_symlinks=False):
            continue
        try:
            stale = now - entry.stat(follow_symlinks=False).st_mtime > ABANDONED_AFTER
            if not stale and match[1] is not None:
                stale = not _running(int(match[1]))
            if stale:
                os.unlink(entry.path)
                removed.append(Path(entry.path))
        except OSError:
            continue  # gone already, or not ours to remove
    return removed


def _running(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError, ValueError):
        return True  # someone else's process: leave its file alone
    return True
