"""desk/signin.py: with a passcode set, every page asks for it; guessing is slowed down."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from handouts.desk.app import create_app
from handouts.desk.security import ALL_FREE_TRIES, FIRST_WAIT_S, Throttle, set_passcode
from tests.desk.conftest import TODAY, Clock, csrf

PASSCODE = "lotus and lemongrass"


@pytest.fixture
def guarded(project: Path, clock: Clock) -> Iterator[TestClient]:
    set_passcode(project / "data", PASSCODE)
    app = create_app(project / "data", project / "fonts", today=lambda: TODAY,
                     throttle=Throttle(clock))
    with TestClient(app, base_url="http://127.0.0.1", follow_redirects=False) as test_client:
        yield test_client


def sign_in(client: TestClient, passcode: str) -> int:
    return client.post("/signin", data={"csrf": csrf(client, "/signin"),
                                        "passcode": passcode}).status_code


def test_every_page_asks_for_the_passcode_first(guarded: TestClient) -> None:
    for page in ("/", "/sheet", "/flyers", "/content"):
        response = guarded.get(page)
        assert response.status_code == 303 and response.headers["location"] == "/signin"
    assert guarded.get("/signin").status_code == 200
    assert guarded.get("/static/desk.css").status_code == 200


def test_the_right_passcode_opens_the_desk_and_sign_out_closes_it(guarded: TestClient) -> None:
    assert sign_in(guarded, PASSCODE) == 303
    page = guarded.get("/sheet")
    assert page.status_code == 200 and "Sign out" in page.text
    assert guarded.post("/signout", data={"csrf": csrf(guarded)}).status_code == 303
    assert guarded.get("/sheet").status_code == 303


def test_twenty_wrong_passcodes_then_even_the_right_one_waits(guarded: TestClient,
                                                              clock: Clock) -> None:
    answers = [sign_in(guarded, f"guess {n}") for n in range(20)]
    assert answers[:5] == [401] * 5  # a few typing mistakes cost nothing
    assert set(answers[5:]) == {429}  # then every try waits, unheard, whatever it says
    refused = guarded.post("/signin", data={"csrf": csrf(guarded, "/signin"),
                                            "passcode": PASSCODE})
    assert refused.status_code == 429 and "please wait 30 seconds" in refused.text
    clock.now += FIRST_WAIT_S
    assert sign_in(guarded, "one more guess") == 401  # heard again, and wrong: twice the wait
    assert sign_in(guarded, PASSCODE) == 429
    clock.now += 2 * FIRST_WAIT_S
    assert sign_in(guarded, PASSCODE) == 303
    assert guarded.get("/sheet").status_code == 200


def test_the_wait_grows_with_each_wrong_try_after_the_free_ones(clock: Clock) -> None:
    throttle = Throttle(clock)
    waits = []
    for _ in range(8):
        throttle.failed("192.168.1.20")
        waits.append(throttle.wait_s("192.168.1.20"))
    assert waits[:4] == [0, 0, 0, 0]
    assert waits[4:] == [30, 60, 120, 240]
    throttle.succeeded("192.168.1.20")
    assert throttle.wait_s("192.168.1.20") == 0


def test_one_addresss_guesses_do_not_lock_out_another(clock: Clock) -> None:
    throttle = Throttle(clock)
    for _ in range(20):
        throttle.failed("192.168.1.66")
    assert throttle.wait_s("192.168.1.66") > 0
    assert throttle.wait_s("192.168.1.21") == 0


def test_guesses_from_many_addresses_make_everyone_wait(clock: Clock) -> None:
    throttle = Throttle(clock)
    for n in range(ALL_FREE_TRIES):
        throttle.failed(f"10.0.{n // 250}.{n % 250}")  # never FREE_TRIES from one
    assert throttle.wait_s("192.168.1.21") == FIRST_WAIT_S
