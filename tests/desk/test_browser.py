"""The desk in a real browser: the real server (uvicorn) on a free port, Debian's Chromium
driven by Playwright. Today, a CSV imported, a client's sheet whose preview follows the
notes, screenshots at 1280 and 800 px, and axe-core on every page (WCAG 2.1 AA).

Marked `browser` (deselected by default): `pytest -m browser tests/desk/test_browser.py`.
"""

from __future__ import annotations

import re
import shutil
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.chromium import chromium, environment_with_fonts
from tests.conftest import SHIPPED_DATA, SHIPPED_FONTS, Inbox
from tests.desk.conftest import TODAY

pytestmark = pytest.mark.browser

AXE = Path(__file__).parent / "vendor" / "axe.min.js"
WIDTHS = (1280, 800)
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]


@pytest.fixture(scope="module")
def desk_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The real desk served by uvicorn in a thread, on a copy of the shipped data."""
    import uvicorn

    from handouts.desk.app import create_app
    from handouts.desk.server import listening_socket

    project = tmp_path_factory.mktemp("desk-project")
    shutil.copytree(SHIPPED_DATA, project / "data")
    sock = listening_socket("127.0.0.1", 0)
    app = create_app(project / "data", SHIPPED_FONTS, today=lambda: TODAY)
    server = uvicorn.Server(uvicorn.Config(app, access_log=False, log_level="warning",
                                           lifespan="off"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    for _ in range(200):
        if server.started:
            break
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{sock.getsockname()[1]}"
    finally:
        server.should_exit = True
        thread.join(timeout=30)
        sock.close()


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    """Headless Chromium (Debian's) with the repository's fonts, so every script draws."""
    from playwright.sync_api import sync_playwright

    home = tmp_path_factory.mktemp("chromium")
    env = environment_with_fonts(home)
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=chromium(), args=CHROMIUM_ARGS,
                                              env=env)
        try:
            yield launched
        finally:
            launched.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": WIDTHS[0], "height": 900})
    opened = context.new_page()
    blocked: list[str] = []
    opened.on("console", lambda message: blocked.append(message.text)
              if "Content Security Policy" in message.text else None)
    yield opened
    context.close()
    assert blocked == []  # nothing the page needs is refused by its own policy


def shoot(page: Any, name: str, folder: Path) -> None:
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=str(folder / f"{name}-{width}.png"), full_page=True)


def axe_violations(page: Any) -> list[dict[str, Any]]:
    """axe-core's WCAG 2.1 A and AA violations on the page as it is now."""
    page.evaluate(AXE.read_text(encoding="utf-8"))
    result: dict[str, Any] = page.evaluate(
        "async () => await axe.run(document, {runOnly: {type: 'tag', values: "
        "['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})")
    return [{"id": v["id"], "help": v["help"], "nodes": [n["html"] for n in v["nodes"]][:3]}
            for v in result["violations"]]


def test_import_open_a_client_and_the_preview_follows_the_notes(
        desk_url: str, page: Any, tmp_path: Path) -> None:
    page.goto(f"{desk_url}/today")
    assert page.title().startswith("Today")
    page.set_input_files("#csv", str(SHIPPED_DATA / "appointments.csv"))
    page.get_by_role("button", name="Import", exact=True).click()
    page.wait_for_url(f"{desk_url}/today")
    names = page.locator("table.day tbody td:nth-child(2) a").all_inner_texts()
    assert names == ["Emma Wilson", "Nguyễn Thị Hoa", "김민지", "佐藤 由美"]
    shoot(page, "today", tmp_path)
    assert axe_violations(page) == []

    from playwright.sync_api import expect

    page.get_by_role("link", name="Emma Wilson").click()
    page.fill("#notes", "Roll the arch twice a day.")
    page.get_by_role("button", name="Preview", exact=True).last.click()
    shown = page.locator(".preview img").first
    expect(shown).to_have_attribute("src", re.compile("^data:image/png;base64,"))
    first = shown.get_attribute("src")
    page.fill("#notes", "Ice the left heel for ten minutes every evening, and rest.")
    page.get_by_role("button", name="Preview", exact=True).last.click()
    expect(page.locator(".preview img").first).not_to_have_attribute("src", first or "")
    second = page.locator(".preview img").first.get_attribute("src")
    assert second and second.startswith("data:image/png;base64,")
    assert "Emma" not in page.title() and "Emma" not in page.url
    shoot(page, "sheet", tmp_path)
    assert axe_violations(page) == []


def test_the_preview_and_the_notes_budget_follow_typing_without_a_reload(
        desk_url: str, page: Any, tmp_path: Path) -> None:
    from playwright.sync_api import expect

    page.goto(f"{desk_url}/sheet")
    page.select_option("#treatment", "plantar-fasciitis")
    page.fill("#client", "Emma Wilson")
    expect(page.locator("#notes-room")).to_have_text(
        re.compile(r"About \d+ more characters fit"))
    before = int(re.findall(r"\d+", page.locator("#notes-room").inner_text())[0])
    page.locator("#notes").press_sequentially("Ice the heel.")
    expect(page.locator("#notes-room")).to_have_text(f"About {before - 13} more characters fit.")
    first = page.locator("#preview-pages img").first
    expect(first).to_have_attribute("src", re.compile("^data:image/png;base64,"))
    shown = first.get_attribute("src")
    page.evaluate("window.stayed = true")  # gone if the page reloads
    page.locator("#notes").press_sequentially(" Rest.")
    expect(page.locator("#preview-pages img").first).not_to_have_attribute("src", shown or "")
    assert page.evaluate("window.stayed") is True
    page.fill("#client", "")
    expect(page.locator(".field:has(#client) .problem.live")).to_contain_text("blank")
    assert page.locator("#preview-pages img").count() > 0  # the last good pages stay
    shoot(page, "sheet-live", tmp_path)
    assert axe_violations(page) == []


@pytest.mark.parametrize("address", ["/today", "/sheet", "/sent", "/flyers", "/content",
                                     "/signin", "/nowhere"])
def test_every_page_has_no_wcag_21_aa_violation(desk_url: str, page: Any, tmp_path: Path,
                                                address: str) -> None:
    page.goto(f"{desk_url}{address}")
    if address == "/content":  # let the first check finish (it refreshes itself)
        for _ in range(300):
            if page.locator("text=Checking the content").count() == 0:
                break
            time.sleep(0.2)
            page.goto(f"{desk_url}{address}")
        for _ in range(600):  # the documents' first pages, drawn on first sight
            if page.evaluate("() => Array.from(document.images)"
                             ".every(i => i.complete && i.naturalWidth > 0)"):
                break
            time.sleep(0.2)
    shoot(page, address.strip("/"), tmp_path)
    assert axe_violations(page) == []


def test_problems_beside_the_fields_are_read_with_them(desk_url: str, page: Any,
                                                       tmp_path: Path) -> None:
    from playwright.sync_api import expect

    page.goto(f"{desk_url}/sheet")
    page.fill("#client", "   ")
    page.get_by_role("button", name="Preview", exact=True).last.click()
    # the form is sent and the page comes back with the problem: wait for it, as a user does
    expect(page.locator("#client")).to_have_attribute("aria-invalid", "true")
    assert "blank" in page.locator("#client-problem").inner_text()
    shoot(page, "sheet-problems", tmp_path)
    assert axe_violations(page) == []


def two_tabs_emma_sent(browser: Any, desk_url: str) -> list[Any]:
    """Two staff's tabs; in the first, the shipped day imported and Emma's sheet sent."""
    from playwright.sync_api import expect

    tabs = [browser.new_context(viewport={"width": WIDTHS[0], "height": 900}).new_page()
            for _ in range(2)]
    first = tabs[0]
    first.goto(f"{desk_url}/today")
    first.set_input_files("#csv", str(SHIPPED_DATA / "appointments.csv"))
    first.get_by_role("button", name="Import", exact=True).click()
    first.wait_for_url(f"{desk_url}/today")
    first.locator("tr", has_text="Emma Wilson").get_by_role(
        "button", name="Send", exact=True).click()
    expect(first.locator("tr", has_text="Emma Wilson")).to_contain_text("sent at",
                                                                        timeout=120_000)
    return tabs


def test_send_shows_sent_after_a_reload_and_two_tabs_send_once(
        desk_url: str, browser: Any, smtp_server: Inbox, tmp_path: Path) -> None:
    from playwright.sync_api import expect

    tabs = two_tabs_emma_sent(browser, desk_url)
    first, second = tabs
    first.reload()
    expect(first.locator("tr", has_text="Emma Wilson")).to_contain_text("sent at")
    assert [to for _, to, _ in smtp_server.received] == [["emma.wilson@example.com"]]

    for tab in tabs:  # both staff look at the day, then press Send for the same client
        tab.goto(f"{desk_url}/today")
    for tab in tabs:
        tab.locator("tr", has_text="김민지").get_by_role(
            "button", name="Send", exact=True).click(no_wait_after=True)
    for tab in tabs:  # each lands back on Today once its press is answered
        expect(tab.locator("tr", has_text="김민지")).to_contain_text("sent at", timeout=120_000)
    second.reload()
    expect(second.locator("tr", has_text="김민지")).to_contain_text("sent at")
    assert [to for _, to, _ in smtp_server.received].count(["minji.kim@example.com"]) == 1
    shoot(second, "today-sent", tmp_path)
    assert axe_violations(second) == []
    for tab in tabs:
        tab.context.close()


def test_forget_a_client_from_their_sheet_after_a_confirm_step(desk_url: str, page: Any,
                                                                tmp_path: Path) -> None:
    page.goto(f"{desk_url}/today")
    page.set_input_files("#csv", str(SHIPPED_DATA / "appointments.csv"))
    page.get_by_role("button", name="Import", exact=True).click()
    page.wait_for_url(f"{desk_url}/today")
    page.get_by_role("link", name="佐藤 由美").click()
    page.get_by_role("link", name="Forget this client").click()
    assert "佐藤" not in page.title()
    shoot(page, "forget", tmp_path)
    assert axe_violations(page) == []
    from playwright.sync_api import expect

    page.get_by_role("button", name="Forget this client").click()
    expect(page.locator("[role=status]")).to_contain_text("1 appointment(s)")
    assert axe_violations(page) == []
    page.get_by_role("link", name="Back to Today").click()
    page.wait_for_url(f"{desk_url}/today")
    names = page.locator("table.day tbody td:nth-child(2) a").all_inner_texts()
    assert "佐藤 由美" not in names and "Emma Wilson" in names
