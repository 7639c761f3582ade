"""Make the README's pictures from the real output: page 1 of the English aftercare handout,
the English A5 flyer and a 4 x A6 sheet, rendered by PDFium; the desk's Today page with
data/appointments.csv imported, in Chromium (Debian's, driven by Playwright) at 1280 px; and
a Korean client's email with her own programme and next visit, in Chromium at a phone's 390 px.
Run from the repository root:

    python docs/pictures.py
"""

from __future__ import annotations

import base64
import datetime as dt
import os
import shutil
import tempfile
import threading
import time
from email import message_from_bytes, policy
from pathlib import Path
from typing import TYPE_CHECKING

import pypdfium2 as pdfium
from PIL import Image

from handouts.catalogue.document import render_job, sheet_exercises
from handouts.catalogue.plan import Job
from handouts.catalogue.sheets import todays_dating
from handouts.content.appointments import Visit
from handouts.content.load import Found, Library, load_library
from handouts.content.programme import read_programme
from handouts.desk.app import create_app
from handouts.desk.server import listening_socket
from handouts.ledger import Ledger
from handouts.output.impose import impose
from handouts.output.message import compose_message
from handouts.render.kinds import Kind

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Playwright

ROOT = Path(__file__).resolve().parents[1]
DPI = 60
#: The day the desk's picture shows (a fixed one: the picture changes only with the desk).
DESK_DAY = dt.date(2026, 3, 4)
DESK_WIDTH = 1280
#: An iPhone's width in CSS pixels, drawn at its device scale.
PHONE_WIDTH, PHONE_SCALE = 390, 2


def _png(pdf: bytes, target: Path) -> None:
    with tempfile.NamedTemporaryFile(suffix=".pdf") as handle:
        handle.write(pdf)
        handle.flush()
        document = pdfium.PdfDocument(handle.name)
        image = document[0].render(scale=DPI / 72).to_pil().convert("RGB")
        document.close()
    image.quantize(colors=128).save(target, optimize=True)


def _keep(screenshot: Path, target: Path) -> None:
    """A browser's screenshot as the README's picture: 128 colours are plenty for a page."""
    with Image.open(screenshot) as image:
        image.convert("RGB").quantize(colors=128).save(target, optimize=True)


def _fontconfig(folder: Path) -> Path:
    """The system's fonts and the shipped ones, so that Chromium draws the Korean and
    Japanese clients' names as a spa's PC (which has such fonts) shows them."""
    conf = folder / "fonts.conf"
    conf.write_text('<?xml version="1.0"?>\n<fontconfig><include ignore_missing="yes">'
                    f'/etc/fonts/fonts.conf</include><dir>{ROOT / "fonts"}</dir></fontconfig>\n',
                    encoding="utf-8")
    return conf


def _chromium(playwright: Playwright, scratch: Path) -> Browser:
    """Debian's Chromium, drawing with the shipped fonts as well as the system's."""
    return playwright.chromium.launch(
        executable_path=shutil.which("chromium") or "chromium", args=["--no-sandbox"],
        env={**os.environ, "FONTCONFIG_FILE": str(_fontconfig(scratch))})


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
                browser = _chromium(playwright, Path(scratch))
                page = browser.new_page(viewport={"width": DESK_WIDTH, "height": 720})
                page.goto(f"http://127.0.0.1:{sock.getsockname()[1]}/today")
                shot = Path(scratch) / "desk.png"
                page.screenshot(path=str(shot), full_page=True)
                browser.close()
        finally:
            server.should_exit = True
            thread.join()
            sock.close()
        _keep(shot, target)


def _email_png(library: Library, target: Path) -> None:
    """The HTML part of the email a Korean client gets with the therapist's programme (two
    stretches at her doses, a note) and a next visit at 15:00, as a mail app reads it from
    the message: composed, parsed again, the channel marks shown from their parts."""
    from playwright.sync_api import sync_playwright

    assert library.brand is not None
    visit = Visit(client="김민지", therapist="Linh", date=dt.date(2026, 12, 2),
                  next_visit=dt.date(2026, 12, 9), next_visit_time=dt.time(15, 0),
                  email="minji@example.com", notes="왼쪽 발뒤꿈치가 가장 아파요.",
                  exercises=read_programme(["towel-stretch:hold=45,repeats=4,daily=3,"
                                            "note=왼발만 하세요", "arch-roll:hold=90,daily=2"]))
    message = message_from_bytes(compose_message(
        brand=library.brand, labels=library.labels["ko"],
        treatment=library.treatments["plantar-fasciitis"]["ko"], visit=visit, lang="ko",
        sender="reception@lspadanang.example.com", to="minji@example.com", pdf=b"%PDF",
        filename="sheet.pdf", pictures=library.pictures,
        exercises=sheet_exercises(library, "plantar-fasciitis", "ko", visit),
        now=dt.datetime(2026, 12, 2, 9, 0, tzinfo=dt.timezone.utc)).as_bytes(),
        policy=policy.default)
    body = message.get_body(("html",))
    assert body is not None
    html = body.get_content()
    for part in message.walk():
        if part["Content-ID"]:
            data = base64.b64encode(part.get_content()).decode("ascii")
            html = html.replace(f"cid:{part['Content-ID'].strip('<>')}",
                                f"data:image/png;base64,{data}")
    with tempfile.TemporaryDirectory() as scratch, sync_playwright() as playwright:
        browser = _chromium(playwright, Path(scratch))
        page = browser.new_page(viewport={"width": PHONE_WIDTH, "height": 844},
                                device_scale_factor=PHONE_SCALE)
        page.set_content(html)
        shot = Path(scratch) / "email.png"
        page.screenshot(path=str(shot), full_page=True)
        browser.close()
        _keep(shot, target)


def main() -> None:
    library = load_library(ROOT / "data", ROOT / "fonts")
    assert isinstance(library, Library), "the content does not load: run handouts validate"
    _email_png(library, ROOT / "docs" / "email.png")
    aftercare = render_job(library, Job("plantar-fasciitis", Kind.AFTERCARE, "en"))
    flyer = render_job(library, Job("plantar-fasciitis", Kind.FLYER, "en"))
    cards = impose(render_job(library, Job("plantar-fasciitis", Kind.FLYER, "vi"), "a6"), 4, True,
                   "A6")
    _png(aftercare, ROOT / "docs" / "handout.png")
    _png(flyer, ROOT / "docs" / "flyer.png")
    _png(cards, ROOT / "docs" / "cards-a6.png")
    _desk_png(library, ROOT / "docs" / "desk.png")


if __name__ == "__main__":
    main()
