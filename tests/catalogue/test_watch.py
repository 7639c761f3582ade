"""Watch mode, as the content editor uses it: save, see the PDF; break it, see why; fix it."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

from tests.conftest import REPO
from tests.editing import edit

PDF = "out/plantar-fasciitis-aftercare-en.pdf"


def wait_for(condition: Callable[[], bool], seconds: float = 20) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return False


def test_watch_rebuilds_on_save_reports_errors_and_recovers(project: Path, en_yaml: Path) -> None:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    output: list[str] = []
    errors: list[str] = []
    with subprocess.Popen([sys.executable, "-m", "handouts", "watch"], cwd=project,
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                          env=env) as process:
        readers = [threading.Thread(target=lambda s=stream, k=sink: k.extend(iter(s.readline, "")))
                   for stream, sink in ((process.stdout, output), (process.stderr, errors))]
        for reader in readers:
            reader.start()
        try:
            edit_and_watch(project, en_yaml, output, errors)
        finally:
            process.send_signal(signal.SIGINT)
            process.wait(timeout=20)
            for reader in readers:
                reader.join(timeout=20)
    assert process.returncode == 0
    assert not any("Traceback" in line for line in errors), errors


def edit_and_watch(project: Path, en_yaml: Path, output: list[str], errors: list[str]) -> None:
    assert wait_for(lambda: any("built" in line for line in output), 60), output + errors
    pdf = project / PDF
    first = pdf.stat().st_mtime_ns

    edit(en_yaml, "headline: Caring for your feet", "headline: Looking after your feet")
    assert wait_for(lambda: pdf.stat().st_mtime_ns != first), output + errors
    second = pdf.stat().st_mtime_ns

    edit(en_yaml, "hold_seconds: 60", "hold_seconds: a minute")
    assert wait_for(lambda: any("hold_seconds" in line for line in errors)), output + errors
    assert pdf.stat().st_mtime_ns == second  # the good PDF stays, and watching goes on

    edit(en_yaml, "hold_seconds: a minute", "hold_seconds: 45")
    assert wait_for(lambda: pdf.stat().st_mtime_ns != second), output + errors
