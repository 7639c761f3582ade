"""The desk's speed as staff feel it (a benchmark, not a test): a form change to its new
preview image (warm, p50/p95), Send to "sent" shown on Today (aiosmtpd on loopback), and
"Print the day" for 40 sheets. In-process (Starlette's TestClient) on a copy of data/.

    PYTHONPATH=. python benchmarks/desk.py
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import statistics
import tempfile
import time
from pathlib import Path

from starlette.testclient import TestClient

from handouts.desk.app import create_app

REPO = Path(__file__).resolve().parents[1]
HEADER = "client,treatment,lang,therapist,date,email,notes,next_visit\n"


def token(client: TestClient, page: str) -> str:
    found = re.search(r'name="csrf" value="([^"]+)"', client.get(page).text)
    assert found
    return found.group(1)


def percentiles(times: list[float]) -> str:
    ordered = sorted(times)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return f"p50 {statistics.median(ordered) * 1000:.0f} ms, p95 {p95 * 1000:.0f} ms"


def previews(client: TestClient, csrf: str, changes: int = 20) -> list[float]:
    """Seconds from each form change (new notes) to its preview's page images, in a desk
    that has drawn the sheet once: what the page's script posts after a pause in typing."""
    form = {"csrf": csrf, "client": "Emma Wilson", "treatment": "plantar-fasciitis",
            "lang": "en", "therapist": "Linh", "action": "preview"}
    client.post("/sheet/preview", data={**form, "notes": "warm-up"})
    times = []
    for n in range(changes):
        started = time.perf_counter()
        answer = client.post("/sheet/preview", data={**form, "notes": f"Roll the arch {n} times."})
        times.append(time.perf_counter() - started)
        assert answer.json()["pages"]
    return times


def preview_figure(changes: int = 20) -> str:
    """The form change -> new preview image figure alone (p50/p95), in a desk on a copy of
    data/: what benchmarks/run.py prints beside the command line's figures."""
    with tempfile.TemporaryDirectory() as folder:
        project = Path(folder)
        shutil.copytree(REPO / "data", project / "data")
        with TestClient(create_app(project / "data", REPO / "fonts"),
                        base_url="http://127.0.0.1") as client:
            return percentiles(previews(client, token(client, "/sheet"), changes))


def main() -> None:
    from aiosmtpd.controller import Controller
    from aiosmtpd.handlers import Sink

    with tempfile.TemporaryDirectory() as folder:
        project = Path(folder)
        shutil.copytree(REPO / "data", project / "data")
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        smtp = Controller(Sink(), hostname="127.0.0.1", port=port)
        smtp.start()
        os.environ.update(HANDOUTS_SMTP_HOST="127.0.0.1", HANDOUTS_SMTP_PORT=str(port),
                          HANDOUTS_SMTP_STARTTLS="off",
                          HANDOUTS_SMTP_SENDER="reception@lspa.example.com")
        try:
            with TestClient(create_app(project / "data", REPO / "fonts"),
                            base_url="http://127.0.0.1") as client:
                csrf = token(client, "/sheet")
                rooms = []
                for lang in ("en", "ja", "en"):  # cold, cold, then warm (kept per language)
                    started = time.perf_counter()
                    client.get("/sheet/room", params={"treatment": "plantar-fasciitis",
                                                      "lang": lang})
                    rooms.append(time.perf_counter() - started)
                times = previews(client, csrf)
                rows = "".join(f"Client {n},plantar-fasciitis,en,Linh,,client{n}@example.com,"
                               f"Stretch {n} times a day.,\n" for n in range(40))
                client.post("/today/import", data={"csrf": csrf},
                            files={"csv": ("day.csv", HEADER + rows, "text/csv")})
                ids = re.findall(r'href="/sheet/(\d+)"', client.get("/today").text)
                sends = []
                for booking in ids[:10]:
                    started = time.perf_counter()
                    page = client.post(f"/sheet/{booking}", data={"csrf": csrf,
                                                                   "action": "send"}).text
                    sends.append(time.perf_counter() - started)
                    assert "sent at" in page
                started = time.perf_counter()
                day = client.post("/today/print", data={"csrf": csrf})
                printed = time.perf_counter() - started
                assert day.headers["content-type"] == "application/pdf"
        finally:
            smtp.stop()
    print(f"notes' room for a treatment and language: {rooms[0] * 1000:.0f} ms (en), "
          f"{rooms[1] * 1000:.0f} ms (ja) first, then {rooms[2] * 1000:.1f} ms")
    print(f"form change -> new preview image (warm, 20 changes): {percentiles(times)}")
    print(f"Send -> 'sent' shown on Today (10 clients): {percentiles(sends)}")
    print(f"Print the day, 40 sheets: {printed:.1f} s")


if __name__ == "__main__":
    main()
