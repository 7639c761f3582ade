"""Make the README's pictures from the real output: page 1 of the English aftercare handout,
the English A5 flyer and a 4 x A6 sheet, rendered by PDFium, and the desk's Today page with
data/appointments.csv imported, in Chromium (Debian's, driven by Playwright) at 1280 px.
Run from the repository root:

    python docs/pictures.py
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import tempfile
import threading
import time
from pathlib import Path

import pypdfium2 as pdfium
from PIL import Image

from handouts.catalogue.document import render_job
from handouts.catalogue.plan import Job
from handouts.catalogue.sheets import todays_dating
from handouts.content.load import Found, load_library
from handouts.desk.app import create_app
from handouts.desk.server import listening_socket
from handouts.ledger import Ledger
from handouts.output.impose import impose

ROOT = Path(__file__).resolve().parents[1]
DPI = 60
#: The day the desk's picture shows (a fixed one: the picture changes only with the desk).
DESK_DAY = dt.date(2026, 3, 4)
DESK_WIDTH = 1280


def _png(pdf: bytes, target: Path) -> None:
    with tempfile.NamedTemporaryFile(suffix=".pdf") as handle:
        handle.write(pdf)
        handle.flush()
        document = pdfium.PdfDocument(handle.name)
        image = document[0].render(scale=DPI / 72).to_pil().convert("RGB")
        document.close()
    image.quantize(colors=128).save(target, optimize=True)


def _fontconfig(folder: Path) -> Path:
    """The system's fonts and the shipped ones, so that Chromium draws the Korean and
    Japanese clients' names as a spa's PC (which has such fonts) shows them."""
    conf = folder / "fonts.conf"
    conf.write_text('<?xml version="1.0"?>\n<fontconfig><include ignore_missing="yes">'
                    f'/etc/fonts/fonts.conf</include><dir>{ROOT / "fonts"}</dir></fontconfig>\n',
                    encoding="utf-8")
    return conf


def _desk_png(library: Found, target: Path) -> None:
    """Today on a scratch copy of data/ (its ledger beside it, not the repository's) with the
    shipped sample appointments imported, served by uvicorn as `handouts desk` serves it."""
    import uvicorn
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as scratch:
        data = Path(scratch) / "data"
        shutil.copytree(ROOT / "data", data)
        with Ledger.beside(data) as ledger:
            done = ledger.appointments.import_csv(data / "appointments.csv",
                                                  todays_dating(library, DESK_DAY))
            assert not done.problems, done.problems
        sock = listening_socket("127.0.0.1", 0)
        app = create_app(data, ROOT / "fonts", today=lambda: DESK_DAY)
        server = uvicorn.Server(uvicorn.Config(app, access_log=False, log_level="warning",
                                               lifespan="off"))
        thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
        thread.start()
        while not server.started:
            time.sleep(0.05)
        try:
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(
                    executable_path=shutil.which("chromium") or "chromium", args=["--no-sandbox"],
                    env={**os.environ, "FONTCONFIG_FILE": str(_fontconfig(Path(scratch)))})
                page = browser.new_page(viewport={"width": DESK_WIDTH, "height": 720})
                page.goto(f"http://127.0.0.1:{sock.getsockname()[1]}/today")
                shot = Path(scratch) / "desk.png"
                page.screenshot(path=str(shot), full_page=True)
                browser.close()
        finally:
            server.should_exit = True
            thread.join()
            sock.close()
        with Image.open(shot) as image:
            image.convert("RGB").quantize(colors=128).save(target, optimize=True)


def main() -> None:
    library = load_library(ROOT / "data", ROOT / "fonts")
    aftercare = render_job(library, Job("plantar-fasciitis", "aftercare", "en"))
    flyer = render_job(library, Job("plantar-fasciitis", "flyer", "en"))
    cards = impose(render_job(library, Job("plantar-fasciitis", "flyer", "vi"), "a6"), 4, True,
                   "A6")
    _png(aftercare, ROOT / "docs" / "handout.png")
    _png(flyer, ROOT / "docs" / "flyer.png")
    _png(cards, ROOT / "docs" / "cards-a6.png")
    _desk_png(library, ROOT / "docs" / "desk.png")


if __name__ == "__main__":
    main()
