"""Send the new version in a real browser: notes changed after a sheet went show "changed
since sent" on Today, and two tabs pressing "Send the new version" send one message.

Marked `browser`: `pytest -m browser tests/desk/test_browser_versions.py`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.conftest import Inbox
from tests.desk.test_browser import (  # noqa: F401  (fixtures: this module's own desk)
    axe_violations,
    browser,
    desk_url,
    shoot,
    two_tabs_emma_sent,
)

pytestmark = pytest.mark.browser


def test_changed_notes_offer_the_new_version_and_two_tabs_send_it_once(
        desk_url: str, browser: Any, smtp_server: Inbox, tmp_path: Path) -> None:  # noqa: F811
    from playwright.sync_api import expect

    tabs = two_tabs_emma_sent(browser, desk_url)
    first = tabs[0]
    first.locator("tr", has_text="Emma Wilson").get_by_role("link", name="Emma Wilson").click()
    first.fill("#notes", "Ice the heel twice a day; keep the night splint on.")
    first.get_by_role("button", name="Save changes").click()
    first.wait_for_url(f"{desk_url}/today")
    expect(first.locator("tr", has_text="Emma Wilson")).to_contain_text("changed since sent")

    for tab in tabs:  # both staff see the change, then press the button at once
        tab.goto(f"{desk_url}/today")
    shoot(first, "today-changed", tmp_path)
    assert axe_violations(first) == []
    for tab in tabs:
        tab.locator("tr", has_text="Emma Wilson").get_by_role(
            "button", name="Send the new version").click(no_wait_after=True)
    for tab in tabs:
        expect(tab.locator("tr", has_text="Emma Wilson")).to_contain_text("sent at",
                                                                          timeout=120_000)
    assert [to for _, to, _ in smtp_server.received].count(["emma.wilson@example.com"]) == 2
    for tab in tabs:
        tab.context.close()
