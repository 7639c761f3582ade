"""Watch mode: rebuild what a save under data/ or fonts/ affects, within a second.

A content error is reported and watching goes on; the next good save rebuilds.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from pathlib import Path

from handouts.catalogue.build import BuildReport, build
from handouts.content.load import fonts_folder
from handouts.errors import HandoutsError
from handouts.render.sizes import Size

#: How long a burst of saves is gathered before one rebuild, and how often to look, in ms.
DEBOUNCE_MS = 150
STEP_MS = 50
#: How often, in ms, to check the watched folders are still the ones being watched.
RECHECK_MS = 1000


def watch(data_dir: Path, out_dir: Path, fonts_dir: Path | None, paper: Size | str,
          report: Callable[[BuildReport | HandoutsError], None],
          stop: threading.Event | None = None) -> None:
    """Build once, then again after every change, until `stop` is set or Ctrl+C."""
    from watchfiles import watch as changes

    def once() -> None:
        try:
            report(build(data_dir, out_dir, paper=paper, fonts_dir=fonts_dir))
        except HandoutsError as exc:
            report(exc)
        except Exception as exc:  # whatever a half-saved file does, watching goes on
            report(HandoutsError(f"{data_dir}: the build stopped unexpectedly "
                                 f"({type(exc).__name__}: {exc}); the last good PDFs are "
                                 f"kept, save again to retry"))

    once()
    while True:
        while not data_dir.is_dir():  # deleted (or not there yet): wait for it, then rebuild
            if _stopped(stop, STEP_MS / 1000):
                return
            if data_dir.is_dir():
                once()
        folders = [p for p in (data_dir, fonts_folder(data_dir, fonts_dir)) if p.is_dir()]
        seen = {p: _identity(p) for p in folders}
        for batch in changes(*folders, stop_event=stop, debounce=DEBOUNCE_MS, step=STEP_MS,
                             rust_timeout=RECHECK_MS, yield_on_timeout=True,
                             raise_interrupt=False):
            if batch:
                once()
            if any(_identity(folder) != known for folder, known in seen.items()):
                if not batch:
                    once()  # replaced between two looks: build what is there now
                break  # a watched folder was deleted or replaced: watch the new one
        else:
            return  # Ctrl+C or `stop`


def _stopped(stop: threading.Event | None, seconds: float) -> bool:
    """Wait `seconds`; True when `stop` was set (Ctrl+C raises KeyboardInterrupt instead)."""
    if stop is None:
        time.sleep(seconds)
        return False
    return stop.wait(seconds)


def _identity(folder: Path) -> tuple[int, int] | None:
    try:
        stat = folder.stat()
    except OSError:
        return None
    return stat.st_dev, stat.st_ino
