"""The desk in-process: Starlette's TestClient on a copy of the shipped data, on a fixed day."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from handouts.desk.app import create_app
from handouts.desk.security import Throttle

#: The day the tests' desk believes it is (never the real clock).
TODAY = dt.date(2030, 3, 4)


class Clock:
    """A monotonic clock the tests move by hand."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def client(project: Path, clock: Clock) -> Iterator[TestClient]:
    app = create_app(project / "data", project / "fonts", today=lambda: TODAY,
                     throttle=Throttle(clock))
    with TestClient(app, base_url="http://127.0.0.1") as test_client:
        yield test_client


def csrf(client: TestClient, page: str = "/sheet") -> str:
    """The CSRF token a page's forms carry."""
    found = re.search(r'name="csrf" value="([^"]+)"', client.get(page).text)
    assert found, page
    return found.group(1)


def problems(html: str) -> dict[str, list[str]]:
    """The problems a page shows beside each field (id "<field>-problem")."""
    import html as entities

    found: dict[str, list[str]] = {}
    for name, text in re.findall(r'<p class="problem" id="([a-z0-9_-]+)-problem"[^>]*>([^<]*)</p>',
                                 html):
        found.setdefault(name, []).append(entities.unescape(text))
    return found
