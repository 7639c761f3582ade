"""Serving the desk: checks before binding (a passcode before leaving this computer), the
socket, uvicorn without an access log, the browser opened once it listens."""

from __future__ import annotations

import socket
import threading
import webbrowser
from collections.abc import Callable
from pathlib import Path

from handouts.content.cache import cached_library
from handouts.content.load import content_folder
from handouts.desk.security import is_loopback, stored_hash
from handouts.desk.words import desk_words
from handouts.errors import HandoutsError
from handouts.ledger.erasure import open_for_work


def listening_socket(host: str, port: int) -> socket.socket:
    """A socket bound to host:port, or HandoutsError saying why not in plain words."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError as exc:
        sock.close()
        raise HandoutsError(f"--host {host} --port {port}: cannot listen there "
                            f"({exc.strerror}); is the desk already running? Try another "
                            "--port") from None
    sock.listen(128)
    sock.set_inheritable(True)
    return sock


def lan_address() -> str:
    """This computer's address on the spa's network, for the tablets (no packet is sent)."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        try:
            probe.connect(("10.255.255.255", 1))
            return str(probe.getsockname()[0])
        except OSError:
            return "127.0.0.1"


def terminal_qr(text: str) -> str:
    """`text` as a QR code drawn in the terminal (two module rows a line, half blocks), for
    a tablet's camera: light modules and the quiet zone are drawn, dark ones left blank, as
    a terminal shows light text on a dark background."""
    from handouts.render.qr import QUIET_ZONE_MODULES, encode

    symbol = encode(text)
    dark = {(row, col + i) for row, col, length in symbol.runs for i in range(length)}
    span = range(-QUIET_ZONE_MODULES, symbol.size + QUIET_ZONE_MODULES)
    blocks = {(False, False): "█", (False, True): "▀", (True, False): "▄", (True, True): " "}
    return "\n".join("".join(blocks[((top, col) in dark, (top + 1, col) in dark)]
                              for col in span)
                      for top in range(-QUIET_ZONE_MODULES, symbol.size + QUIET_ZONE_MODULES, 2))


def serve(data_dir: Path, fonts_dir: Path | None, host: str, port: int, open_browser: bool,
          say: Callable[[str], None]) -> None:
    """Serve the desk until Ctrl+C or SIGTERM; raise HandoutsError before binding when it
    must not start (no data folder, a bad words file, beyond loopback without passcode)."""
    import uvicorn

    from handouts.desk.app import create_app

    content_folder(data_dir)
    desk_words(data_dir)  # a mistake in the desk's words is named now, not on first page
    if not is_loopback(host) and stored_hash(data_dir) is None:
        raise HandoutsError(
            f"--host {host}: other devices on the network could open the desk and read "
            "clients' notes; set a staff passcode first (handouts desk --set-passcode), or "
            "leave out --host to use the desk on this computer only")
    sock = listening_socket(host, port)
    try:  # clients' records older than the brand's retention go before the desk opens
        open_for_work(cached_library(data_dir, fonts_dir)).close()
    except HandoutsError:
        sock.close()
        raise
    shown = lan_address() if host in ("0.0.0.0", "::") else host
    address = f"http://{shown}:{sock.getsockname()[1]}/"
    config = uvicorn.Config(create_app(data_dir, fonts_dir), access_log=False,
                            log_level="warning", server_header=False, lifespan="off")
    server = uvicorn.Server(config)
    say(f"the desk is at {address} (Ctrl+C stops it)")
    if not is_loopback(host):
        say(f"on a tablet on the spa's network, scan this code or type {address}")
        say(terminal_qr(address))
    if open_browser:
        threading.Timer(0.5, webbrowser.open, (address,)).start()
    try:
        server.run(sockets=[sock])
    finally:
        sock.close()
