"""Atomic writes: a temp file beside the target, fsync, then rename over it.

A crash or an error at any point leaves the previous good file untouched; a process killed
outright (SIGKILL) can leave its temp file, which the next build in that folder sweeps away.
Temp files carry a name no person would choose: `.handouts-<pid>-<token>-<seal>.tmp`, the
seal a hash of the pid and token, so the sweep can tell them from anyone's own hidden files.
"""

from __future__ import annotations

import hashlib
import os
import re
import secrets
import time
from pathlib import Path

from handouts.errors import OutputError

#: Modes files are created with, before the umask: anything the tool makes, and files holding
#: a client's data.
SHARED = 0o666
PRIVATE = 0o600
#: The tool's own folder beside the data folder: the ledger, the content cache.
PROJECT_FOLDER = ".handouts"


def project_folder(data_dir: Path) -> Path:
    """`<project>/.handouts`, the project being the folder holding `data_dir`, however that
    is spelled and wherever the command runs from (`data`, `./data/`, `/spa/data` are one)."""
    return Path(os.path.abspath(data_dir)).parent / PROJECT_FOLDER


def write_atomic(target: Path, data: bytes, private: bool = False) -> None:
    """Replace `target` with `data` in one step; readers see the old file or the new one.

    The file follows the umask; a `private` one (a client's sheet or email: health data)
    is also never readable by anyone but its owner, whatever the umask allows.
    """
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, temp = _create_temp(target.parent, PRIVATE if private else SHARED)
    except OSError as exc:
        raise OutputError(f"{target}: cannot write here: {exc.strerror}") from None
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
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


def open_private(path: str, flags: int) -> int:
    """An opener for `open()` creating the file with PRIVATE mode (a log of clients)."""
    return os.open(path, flags, PRIVATE)


def temp_name(pid: int, token: str) -> str:
    """The name of a temp file written by process `pid`; `token` tells its files apart."""
    seal = hashlib.sha256(f"handouts temp file {pid} {token}".encode()).hexdigest()[:8]
    return f".handouts-{pid}-{token}-{seal}.tmp"


def _create_temp(folder: Path, mode: int) -> tuple[int, str]:
    """A new temp file in `folder` with `mode` less the umask, opened for writing: its
    descriptor and path."""
    while True:
        path = folder / temp_name(os.getpid(), secrets.token_hex(4))
        try:
            return os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC,
                           mode), str(path)
        except FileExistsError:
            continue  # another write of this process drew the same token: draw again


#: What `temp_name` writes; the seal is checked against it before anything is removed.
_TEMP = re.compile(r"^\.handouts-(\d+)-([0-9a-f]{8})-[0-9a-f]{8}\.tmp$")
#: A temp file lives for milliseconds; one this old (seconds) was abandoned by a killed run.
ABANDONED_AFTER = 600


def sweep_temps(folder: Path) -> list[Path]:
    """Remove the temp files killed runs left in `folder`: those whose writer (the pid in the
    name) is no longer running, and any older than ABANDONED_AFTER. Only a name whose seal
    matches is ours: never another file, however alike its name."""
    removed: list[Path] = []
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return removed
    now = time.time()
    for entry in entries:
        match = _TEMP.match(entry.name)
        if not match or entry.name != temp_name(int(match[1]), match[2]) \
                or not entry.is_file(follow_symlinks=False):
            continue
        try:
            stale = now - entry.stat(follow_symlinks=False).st_mtime > ABANDONED_AFTER
            if not stale:
                stale = not is_running(int(match[1]))
            if stale:
                os.unlink(entry.path)
                removed.append(Path(entry.path))
        except OSError:
            continue  # gone already, or not ours to remove
    return removed


def is_running(pid: int) -> bool:
    """Whether process `pid` may still be running here (another user's counts as running)."""
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError, ValueError):
        return True  # someone else's process: leave its file alone
    return True
