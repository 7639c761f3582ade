"""A build killed or stopped part-way leaves no worker process and no temp file behind."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from pypdf import PdfReader

from handouts.output.write import temp_name
from tests.catalogue.test_watch import wait_for
from tests.conftest import REPO, SHIPPED_MENUS, SHIPPED_TREATMENTS

PDFS = {f"{treatment}-{kind}-{lang}.pdf" for treatment in SHIPPED_TREATMENTS
        for kind in ("aftercare", "flyer") for lang in ("en", "vi", "ko", "ja")} | SHIPPED_MENUS


def children(pid: int) -> set[int]:
    """Live processes whose parent is `pid`, read from /proc."""
    found = set()
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            fields = stat.rpartition(")")[2].split()
            if int(fields[1]) == pid and fields[0] != "Z":
                found.add(int(entry.name))
    return found


def alive(pid: int) -> bool:
    """Running (a zombie waiting for init to reap it is dead: it holds no memory)."""
    try:
        return (Path("/proc") / str(pid) / "stat").read_text().rpartition(")")[2].split()[0] \
            != "Z"
    except OSError:
        return False


def temps(out: Path) -> list[str]:
    return sorted(p.name for folder in (out, out / "thumbs") if folder.exists()
                  for p in folder.iterdir() if p.name.endswith(".tmp"))


def start_build(project: Path) -> subprocess.Popen[str]:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    # --no-cache: a build that lays every document out afresh, so it is still at work when
    # the signal comes (one from the content cache can finish within the tests' delays)
    return subprocess.Popen([sys.executable, "-m", "handouts", "build", "--force", "--no-cache"],
                            cwd=project,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
                            start_new_session=True)


def dead_pid() -> int:
    process = subprocess.Popen(["true"])
    process.wait()
    return process.pid


def build_until_workers_run(project: Path, delay: float) -> tuple[subprocess.Popen[str],
                                                                  set[int]]:
    process = start_build(project)
    started.append(process)
    assert wait_for(lambda: len(children(process.pid)) >= 2, 60), process.communicate()
    workers = children(process.pid)
    time.sleep(delay)  # into rendering and writing
    return process, workers


started: list[subprocess.Popen[str]] = []


@pytest.fixture(autouse=True)
def no_strays() -> Iterator[None]:
    """Whatever a failing test leaves running is ended (its process group: the workers)."""
    yield
    while started:
        process = started.pop()
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)  # its session: workers included
        process.communicate(timeout=30)


@pytest.mark.parametrize("delay", [0.0, 0.4, 0.9])
def test_sigkill_leaves_no_worker_and_the_next_build_sweeps_its_temp_files(
        delay: float, project: Path) -> None:
    out = project / "out"
    process, workers = build_until_workers_run(project, delay)
    process.kill()
    process.wait(timeout=20)
    assert wait_for(lambda: not any(alive(w) for w in workers), 5), workers

    # what a killed run may leave mid-write, and files that are not ours to touch
    (out / "thumbs").mkdir(parents=True, exist_ok=True)
    gone = dead_pid()
    left = [out / temp_name(gone, "abcd0123"), out / "thumbs" / temp_name(gone, "4e2f9a10"),
            out / temp_name(1, "99aa88bb")]  # its pid reused by a live process, an hour old
    for path in left:
        path.write_bytes(b"%PDF-1.4 half")
    os.utime(left[2], (time.time() - 3600, time.time() - 3600))
    live = out / temp_name(os.getpid(), "abcdef01")  # a run still writing
    mine = [out / ".notes.tmp", live, out / ".index.html.newer123.tmp"]
    for path in mine:
        path.write_bytes(b"someone's")
        os.utime(path, (time.time(), time.time()))  # now by the build's clock (faketime too)

    again = start_build(project)
    started.append(again)
    stdout, stderr = again.communicate(timeout=120)
    assert again.returncode == 0, stderr
    assert temps(out) == sorted(p.name for p in mine)
    assert {p.name for p in out.glob("*.pdf")} == PDFS
    for name in PDFS:
        assert len(PdfReader(out / name).pages) >= 1


@pytest.mark.parametrize(("signum", "code", "message"), [
    (signal.SIGTERM, 143, "stopped (SIGTERM)"),
    (signal.SIGINT, 130, "stopped (Ctrl+C)"),  # Ctrl+C reaches the whole process group
])
def test_sigterm_and_ctrl_c_stop_cleanly(signum: int, code: int, message: str,
                                         project: Path) -> None:
    out = project / "out"
    first = start_build(project)
    started.append(first)
    first.communicate(timeout=120)
    before = {name: (out / name).read_bytes() for name in PDFS}
    for delay in (0.0, 0.5):
        process, workers = build_until_workers_run(project, delay)
        os.killpg(process.pid, signum)
        stdout, stderr = process.communicate(timeout=30)
        assert process.returncode == code, stderr
        assert stderr.strip().splitlines()[-1] == message
        assert "Traceback" not in stderr
        assert not any(alive(w) for w in workers), workers  # stopped and reaped at once
        assert temps(out) == []
        assert {name: (out / name).read_bytes() for name in PDFS} == before
