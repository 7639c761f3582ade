"""Watch mode: rebuild what a save under data/ or fonts/ affects, within a second.

A content error is reported and watching goes on; the next good save rebuilds.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path

from handouts.build import BuildReport, build
from handouts.errors import HandoutsError

#: How long a burst of saves is gathered before one rebuild, and how often to look, in ms.
DEBOUNCE_MS = 150
STEP_MS = 50


def watch(data_dir: Path, out_dir: Path, fonts_dir: Path | None, paper: str,
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
    folders = [p for p in (data_dir, fonts_dir or data_dir.parent / "fonts") if p.is_dir()]
    for _ in changes(*folders, stop_event=stop, debounce=DEBOUNCE_MS, step=STEP_MS,
                     yield_on_timeout=False, raise_interrupt=False):
        once()
