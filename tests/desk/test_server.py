"""desk/server.py through the real command: `handouts desk` listens on loopback, refuses
the network without a passcode, logs no request and stops cleanly on SIGTERM and Ctrl+C."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import REPO


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def start(project: Path, *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, "-m", "handouts", "desk", "--no-browser", *args],
                            cwd=project, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, env={**os.environ, "PYTHONPATH": str(REPO)})


def wait_for(url: str) -> None:
    """Until the server answers `url` (the first page loads the content: slow on a busy
    machine)."""
    for _ in range(600):
        try:
            urllib.request.urlopen(url, timeout=60).close()
            return
        except (urllib.error.URLError, OSError):
            time.sleep(0.2)
    raise AssertionError(f"{url} never answered")


def stop(server: subprocess.Popen[str]) -> None:
    """Whatever happened, no server is left running."""
    server.kill()
    server.communicate(timeout=30)


def test_host_beyond_loopback_without_a_passcode_is_refused(
        run: Callable[..., subprocess.CompletedProcess[str]]) -> None:
    port = free_port()
    result = run("desk", "--no-browser", "--host", "0.0.0.0", "--port", str(port))
    assert result.returncode == 1
    assert result.stderr.startswith("--host 0.0.0.0: other devices on the network could "
                                    "open the desk")
    assert "handouts desk --set-passcode" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize(("signal_sent", "code", "said"),
                         [(signal.SIGTERM, 143, "stopped (SIGTERM)"),
                          (signal.SIGINT, 0, "stopped the desk")])
def test_it_serves_on_loopback_logs_no_request_and_stops_cleanly(
        project: Path, signal_sent: signal.Signals, code: int, said: str) -> None:
    port = free_port()
    server = start(project, "--port", str(port))
    try:
        wait_for(f"http://127.0.0.1:{port}/sheet")
        urllib.request.urlopen(f"http://127.0.0.1:{port}/sheet?client=Zelda", timeout=60).close()
        server.send_signal(signal_sent)
        out, err = server.communicate(timeout=60)
    finally:
        if server.returncode is None:
            stop(server)
    assert server.returncode == code, err
    assert out.startswith(f"the desk is at http://127.0.0.1:{port}/ (Ctrl+C stops it)")
    assert said in out + err
    assert "Zelda" not in out + err and "GET" not in out + err  # no access log
    assert "Traceback" not in err


def test_with_a_passcode_it_listens_on_the_network_behind_the_sign_in(project: Path) -> None:
    setting = subprocess.run([sys.executable, "-m", "handouts", "desk", "--set-passcode"],
                             input="quiet garden 42\nquiet garden 42\n", cwd=project,
                             capture_output=True, text=True,
                             env={**os.environ, "PYTHONPATH": str(REPO)}, timeout=60)
    assert setting.returncode == 0, setting.stderr
    assert "passcode set" in setting.stdout
    assert not any("quiet garden" in p.read_text(errors="replace")
                   for p in (project / "data").rglob("*") if p.is_file())
    port = free_port()
    server = start(project, "--host", "0.0.0.0", "--port", str(port))
    try:
        wait_for(f"http://127.0.0.1:{port}/signin")
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/sheet", timeout=60) as page:
            assert page.url.endswith("/signin")  # redirected there
        server.send_signal(signal.SIGTERM)
        out, _ = server.communicate(timeout=60)
    finally:
        if server.returncode is None:
            stop(server)
    assert server.returncode == 143
    said = out.splitlines()
    address = said[0].removeprefix("the desk is at ").removesuffix(" (Ctrl+C stops it)")
    assert address.startswith("http://") and address.endswith(f":{port}/")
    assert not address.startswith("http://0.0.0.0")  # an address a tablet can open
    assert said[1] == f"on a tablet on the spa's network, scan this code or type {address}"
    assert decoded_terminal_qr(said[2:]) == address


def decoded_terminal_qr(lines: list[str]) -> str:
    """The text of a QR code drawn in half blocks, decoded from pixels as a camera would."""
    import zxingcpp
    from PIL import Image

    drawn = [line for line in lines if line and set(line) <= set("█▀▄ ")]
    scale = 8
    image = Image.new("L", (len(drawn[0]) * scale, len(drawn) * 2 * scale), 0)
    for y, line in enumerate(drawn):
        for x, block in enumerate(line):
            for half, light in ((0, block in "█▀"), (1, block in "█▄")):
                if light:  # the terminal's text colour, light on dark
                    image.paste(255, (x * scale, (2 * y + half) * scale,
                                      (x + 1) * scale, (2 * y + half + 1) * scale))
    found = zxingcpp.read_barcodes(image)
    assert found, "no QR code found in the terminal's drawing"
    return str(found[0].text)


def test_personal_sheets_older_than_the_retention_are_removed_when_the_desk_starts(
        project: Path) -> None:
    import datetime as dt

    from handouts.ledger import FileKind, Ledger

    sheet = project / "old-sheet.pdf"
    sheet.write_bytes(b"%PDF-1.7 a client's sheet")
    long_ago = dt.datetime(2001, 1, 2, tzinfo=dt.timezone.utc)  # far beyond 90 days
    with Ledger.beside(project / "data") as ledger:
        ledger.files.record(sheet, FileKind.SHEET, "Old Client", long_ago.date(),
                            sheet.read_bytes(), at=long_ago)
    port = free_port()
    server = start(project, "--port", str(port))
    try:
        wait_for(f"http://127.0.0.1:{port}/today")
        server.send_signal(signal.SIGTERM)
        server.communicate(timeout=60)
    finally:
        if server.returncode is None:
            stop(server)
    assert not sheet.exists()
