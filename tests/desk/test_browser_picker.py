"""The home programme picker in a real browser: a therapist builds a Korean client's programme
(two exercises, a dose set with the stepper, one moved up, a note), sees the preview follow
without a reload, and sends it; the PDF the client gets holds each dose on its exercise's
card. Screenshots at 1280 and 800 px; axe-core on the filled-in page.

Marked `browser`: `pytest -m browser tests/desk/test_browser_picker.py`.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import Inbox
from tests.desk.test_browser import (  # noqa: F401  (fixtures: this module's own desk)
    axe_violations,
    browser,
    desk_url,
    page,
    shoot,
)
from tests.email_reading import parse_eml
from tests.pdf_reading import cards, text

pytestmark = pytest.mark.browser


@dataclass
class Hands:
    """A therapist's hands on the page: each press of a button (a click) or a key is counted
    (a Korean syllable is its jamo, as a 2-set keyboard types them)."""

    clicks: int = 0
    keys: int = 0

    def click(self, locator: Any) -> None:
        locator.click()
        self.clicks += 1

    def type(self, locator: Any, text: str) -> None:
        self.click(locator)
        locator.press_sequentially(text)
        self.keys += len(unicodedata.normalize("NFD", text))

    def press(self, locator: Any, key: str, times: int = 1) -> None:
        for _ in range(times):
            locator.press(key)
        self.keys += times

    def choose(self, locator: Any, value: str) -> None:
        locator.select_option(value)  # open the list, pick one
        self.clicks += 2


def korean_programme(tab: Any, address: str) -> Hands:
    """The scripted flow, up to the preview showing the programme (Send is one press more)."""
    from playwright.sync_api import expect

    hands = Hands()
    tab.goto(f"{address}/sheet")
    tab.evaluate("window.stayed = true")  # gone if the page reloads
    hands.type(tab.locator("#client"), "김민지")
    hands.choose(tab.locator("#treatment"), "plantar-fasciitis")  # ticks its own three
    hands.choose(tab.locator("#lang"), "ko")
    hands.type(tab.locator("#email"), "minji.kim@example.com")
    cards = tab.locator("#preview-pages img").nth(1)  # the programme's page
    expect(cards).to_have_attribute("src", re.compile("^data:image/png"))
    shown = cards.get_attribute("src")
    hands.click(tab.get_by_role("checkbox", name="Wall calf stretch"))  # two stay ticked
    hold = tab.get_by_role("group", name="Towel stretch").get_by_label("Hold (s)")
    hands.click(hold)
    hands.press(hold, "ArrowUp", 15)  # the stepper: 30 -> 45
    repeats = tab.get_by_role("group", name="Rolling the arch").get_by_label("Repeats")
    hands.click(repeats)
    hands.press(repeats, "ArrowUp", 2)  # 2 -> 4
    hands.click(tab.get_by_role("button", name="Move Rolling the arch up"))
    note = tab.get_by_role("group", name="Rolling the arch").get_by_label("Note for the client")
    with tab.expect_response(lambda answer: answer.url.endswith("/sheet/preview")
                             and "왼발만" in (answer.request.post_data or "")):
        hands.type(note, "왼발만")  # the preview asked once typing pauses, with the note
    expect(tab.locator("#preview-state")).to_have_text("")
    expect(cards).not_to_have_attribute("src", shown or "")
    assert tab.evaluate("window.stayed") is True
    return hands


def test_a_korean_clients_programme_is_picked_previewed_and_sent(
        desk_url: str, page: Any, smtp_server: Inbox, tmp_path: Path) -> None:  # noqa: F811
    from playwright.sync_api import expect

    hands = korean_programme(page, desk_url)
    ticked = page.locator('#programme-rows input[name="exercise"]:checked')
    assert [ticked.nth(i).get_attribute("value") for i in range(ticked.count())] == [
        "arch-roll", "towel-stretch"]
    assert page.locator("#hold-towel-stretch").input_value() == "45"
    shoot(page, "picker", tmp_path)
    assert axe_violations(page) == []

    hands.click(page.get_by_role("button", name="Send", exact=True))
    expect(page.locator("form p.status[role=status]")).to_contain_text("Sent")
    (message,) = [parse_eml(raw) for _, to, raw in smtp_server.received
                  if to == ["minji.kim@example.com"]]
    pdf = next(part.get_content() for part in message.iter_attachments()
               if part.get_content_type() == "application/pdf")
    on = cards(pdf, 1, ["발바닥 아치 굴리기", "수건 스트레칭"])
    arch, towel = on["발바닥 아치 굴리기"], on["수건 스트레칭"]
    assert "발바닥 아치 굴리기" in arch and "60초 유지" in arch and "4회" in arch
    assert "왼발만" in arch
    assert "수건 스트레칭" in towel and "45초 유지" in towel and "3회" in towel
    assert "왼발만" not in towel
    assert "벽 짚고 종아리 스트레칭" not in text(pdf)  # unticked: not printed


def test_another_treatment_ticks_its_own_exercises_until_the_picker_is_touched(
        desk_url: str, page: Any) -> None:  # noqa: F811
    page.goto(f"{desk_url}/sheet")
    ticked = page.locator('#programme-rows input[name="exercise"]:checked')

    def shown() -> list[str]:
        return [ticked.nth(i).get_attribute("value") or "" for i in range(ticked.count())]

    page.select_option("#treatment", "neck-shoulder-massage")
    assert shown() == ["side-neck-stretch", "shoulder-blade-squeeze", "doorway-chest-stretch"]
    page.select_option("#treatment", "plantar-fasciitis")
    assert shown() == ["towel-stretch", "wall-calf-stretch", "arch-roll"]
    page.locator("#hold-arch-roll").fill("90")  # touched: the therapist's choice now
    page.select_option("#treatment", "neck-shoulder-massage")
    assert shown() == ["towel-stretch", "wall-calf-stretch", "arch-roll"]
    page.get_by_role("checkbox", name="Side neck stretch").check()
    assert shown()[-1] == "side-neck-stretch"  # ticked: at the programme's end
    assert page.get_by_role("checkbox", name="Side neck stretch").evaluate(
        "box => box === document.activeElement")


def test_a_row_moved_says_where_it_went_and_keeps_the_focus(
        desk_url: str, page: Any) -> None:  # noqa: F811
    from playwright.sync_api import expect

    page.goto(f"{desk_url}/sheet")
    page.select_option("#treatment", "plantar-fasciitis")  # towel, wall calf, arch roll
    up = page.get_by_role("button", name="Move Rolling the arch up")
    up.click()
    expect(page.get_by_role("status").filter(has_text="Rolling the arch")).to_have_text(
        "Rolling the arch is now number 2 of 3")
    assert up.evaluate("button => button === document.activeElement")
