"""The HTML email as a phone shows it: rendered by headless Chromium at 360 and 800 px.

Deselected by default (pyproject's addopts); run with `pytest -m browser`. Needs Debian's
`chromium` (`.ci/run` installs it). The repository's fonts are handed to Chromium through
fontconfig so Korean and Japanese draw here as they do on a phone.
"""

from __future__ import annotations

import base64
import datetime as dt
import os
import subprocess
from pathlib import Path

import pytest
from PIL import Image

from handouts.catalogue.document import sheet_exercises
from handouts.content.appointments import Visit
from handouts.content.channels import contact_handle, contact_url
from handouts.content.load import Library
from handouts.output.message import compose_message
from handouts.render.localise import format_when
from tests.chromium import chromium, environment_with_fonts
from tests.email_reading import parse_eml, parts, read_html

pytestmark = pytest.mark.browser

#: case -> (language, client): the four languages, and a name with no place to break
CASES = {"en": ("en", "Emma Wilson"), "vi": ("vi", "Nguyễn Thị Hoa"), "ko": ("ko", "김민지"),
         "ja": ("ja", "佐藤 由美"), "en-long-name": ("en", "Bartholomew" * 18)}
HEIGHT = 2000


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    """Run headless Chromium with the repository's fonts; returns a function of the args."""
    binary = chromium()
    home = tmp_path_factory.mktemp("chromium")
    env = environment_with_fonts(home)
    base = [binary, "--headless", "--disable-gpu", "--hide-scrollbars", "--no-first-run",
            "--force-device-scale-factor=1", f"--user-data-dir={home / 'profile'}"]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        base.append("--no-sandbox")  # Chromium refuses to sandbox as root (CI containers)

    def run(*args: str) -> str:
        result = subprocess.run([*base, *args], capture_output=True, text=True, env=env,
                                timeout=120)
        assert result.returncode == 0, result.stderr[-2000:]
        return result.stdout

    return run


@pytest.fixture(scope="module")
def html_files(tmp_path_factory: pytest.TempPathFactory,
               shipped_library: Library) -> dict[str, Path]:
    """Each language's HTML part, taken from a composed and re-parsed message."""
    folder = tmp_path_factory.mktemp("html")
    brand = shipped_library.brand
    assert brand is not None
    made = {}
    for case, (lang, client) in CASES.items():
        visit = Visit(client=client, therapist="Linh", date=dt.date(2026, 11, 24),
                      next_visit=dt.date(2026, 12, 1), next_visit_time=dt.time(15, 0),
                      email="client@example.com",
                      notes="Roll the arch over a cold bottle twice a day.")
        message = compose_message(
            brand=brand, labels=shipped_library.labels[lang],
            treatment=shipped_library.treatments["plantar-fasciitis"][lang], visit=visit,
            lang=lang, sender="reception@lspadanang.example.com", to="client@example.com",
            pdf=b"%PDF-1.7 (not under test here)", filename="sheet.pdf",
            pictures=shipped_library.pictures,
            exercises=sheet_exercises(shipped_library, "plantar-fasciitis", lang, visit))
        parsed = parse_eml(message.as_bytes())
        _, html, _ = parts(parsed)
        # a mail client shows the marks from the message itself; a browser needs data: URLs
        for part in parsed.walk():
            if part["Content-ID"]:
                cid = str(part["Content-ID"]).strip("<>")
                data = base64.b64encode(part.get_content()).decode()
                html = html.replace(f"cid:{cid}", f"data:image/png;base64,{data}")
        made[case] = folder / f"{case}.html"
        made[case].write_text(html, encoding="utf-8")
    return made


def _not_blank(png: Path, width: int, background: str) -> Image.Image:
    image = Image.open(png).convert("RGB")
    assert image.size == (width, HEIGHT)
    top = image.crop((0, 0, width, 1400))
    colours = top.getcolors(maxcolors=1 << 20) or []
    assert len(colours) > 150, f"{png}: only {len(colours)} colours: blank or text missing"
    bg = tuple(int(background[i:i + 2], 16) for i in (1, 3, 5))
    busy = sum(count for count, colour in colours if colour != bg)
    assert busy > 0.3 * width * 1400, f"{png}: mostly background"
    return image


@pytest.mark.parametrize("width", [360, 800])
@pytest.mark.parametrize("case", CASES)
def test_email_renders_readably_at_phone_and_desktop_width(
        case: str, width: int, browser, html_files: dict[str, Path],  # type: ignore[no-untyped-def]
        shipped_library: Library, tmp_path: Path) -> None:
    brand = shipped_library.brand
    assert brand is not None
    lang = CASES[case][0]
    png = tmp_path / f"{case}-{width}.png"
    browser(f"--screenshot={png}", f"--window-size={width},{HEIGHT}",
            html_files[case].as_uri())
    image = _not_blank(png, width, brand.colours.tint)
    primary = tuple(int(brand.colours.primary[i:i + 2], 16) for i in (1, 3, 5))
    band = sum(n for n, colour in image.getcolors(maxcolors=1 << 20) or [] if colour == primary)
    assert band > 40 * width, "the brand-coloured header and buttons are missing"

    # The DOM Chromium built: the buttons' text, and nothing wider than the screen. (Headless
    # windows are at least 500 px wide, so the body is narrowed to `width` before measuring.)
    probe = tmp_path / "probe.html"
    probe.write_text(html_files[case].read_text("utf-8").replace(
        "</body>", f"<script>document.body.style.width = '{width}px';"
                   "const right = Math.max(...[...document.body.querySelectorAll('*')]"
                   ".map(e => e.getBoundingClientRect().right));"
                   "document.body.setAttribute('data-right', Math.ceil(right));"
                   "</script></body>"), encoding="utf-8")
    dom = browser("--dump-dom", f"--window-size={width},{HEIGHT}", probe.as_uri())
    page = read_html(dom)
    labels = shipped_library.labels[lang]
    shown = dict(page.links)
    for channel in brand.channels:
        text = shown[contact_url(channel)]
        assert getattr(labels.channels, channel.kind) in text
        assert contact_handle(channel) in text
    assert int(page.attribute("body", "data-right")[0]) <= width
    when = format_when(dt.date(2026, 12, 1), dt.time(15, 0), labels)  # the day and the hour
    assert " ".join(labels.personal.next_visit.format(date=when).split()) in " ".join(
        page.text.split())


def test_dark_mode_gives_a_dark_page_with_light_text(browser, html_files: dict[str, Path],  # type: ignore[no-untyped-def]
                                                    shipped_library: Library,
                                                    tmp_path: Path) -> None:
    brand = shipped_library.brand
    assert brand is not None
    png = tmp_path / "dark.png"
    browser("--force-dark-mode", f"--screenshot={png}", f"--window-size=360,{HEIGHT}",
            html_files["en"].as_uri())
    image = Image.open(png).convert("RGB")
    corner = image.getpixel((3, 3))
    assert sum(corner) / 3 < 60, f"page background stays light in dark mode: {corner}"
    greyscale = image.crop((0, 0, 360, 1400)).convert("L")
    histogram = greyscale.histogram()
    assert sum(histogram[200:]) > 2000, "no light text on the dark page"
    assert len(image.getcolors(maxcolors=1 << 20) or []) > 150
