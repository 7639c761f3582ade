"""Watch mode, as the content editor uses it: save, see the PDF; break it, see why; fix it."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from tests.conftest import REPO
from tests.editing import edit

PDF = "out/plantar-fasciitis-aftercare-en.pdf"


@dataclass
class Watching:
    """A running `handouts watch`: its process and every line it has printed so far."""

    process: subprocess.Popen[str]
    output: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


@contextmanager
def watching(cwd: Path, command: list[str] | None = None,
             env: dict[str, str] | None = None) -> Iterator[Watching]:
    """Run `handouts watch` in `cwd`, collecting its lines; stop it with Ctrl+C on leaving."""
    env = env or {**os.environ, "PYTHONPATH": str(REPO)}
    with subprocess.Popen(command or [sys.executable, "-m", "handouts", "watch"], cwd=cwd,
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                          env=env) as process:
        run = Watching(process)
        readers = [threading.Thread(target=lambda s=stream, k=sink: k.extend(iter(s.readline, "")))
                   for stream, sink in ((process.stdout, run.output),
                                        (process.stderr, run.errors))]
        for reader in readers:
            reader.start()
        try:
            yield run
        finally:
            process.send_signal(signal.SIGINT)
            process.wait(timeout=30)
            for reader in readers:
                reader.join(timeout=30)


def wait_for(condition: Callable[[], bool], seconds: float = 60) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return False


def test_watch_rebuilds_on_save_reports_errors_and_recovers(project: Path, en_yaml: Path) -> None:
    with watching(project) as run:
        edit_and_watch(project, en_yaml, run.output, run.errors)
    assert run.process.returncode == 0
    assert not any("Traceback" in line for line in run.errors), run.errors


def edit_and_watch(project: Path, en_yaml: Path, output: list[str], errors: list[str]) -> None:
    assert wait_for(lambda: any("built" in line for line in output), 60), output + errors
    pdf = project / PDF
    first = pdf.stat().st_mtime_ns

    edit(en_yaml, "headline: Caring for your feet", "headline: Looking after your feet")
    assert wait_for(lambda: pdf.stat().st_mtime_ns != first), output + errors
    second = pdf.stat().st_mtime_ns

    # a hold is a fact of the exercise library, kept once for every language and treatment
    facts = en_yaml.parents[2] / "exercises" / "arch-roll" / "facts.yaml"
    edit(facts, "hold_seconds: 60", "hold_seconds: a minute")
    assert wait_for(lambda: any("hold_seconds" in line for line in errors)), output + errors
    assert pdf.stat().st_mtime_ns == second  # the good PDF stays, and watching goes on

    edit(facts, "hold_seconds: a minute", "hold_seconds: 45")
    assert wait_for(lambda: pdf.stat().st_mtime_ns != second), output + errors
