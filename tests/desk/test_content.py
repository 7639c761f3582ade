"""desk/content.py: the catalogue's languages and validate's problems, checked again after a
save."""

from __future__ import annotations

import time
from pathlib import Path

from starlette.testclient import TestClient


def settled(client: TestClient) -> str:
    """The content page once its check of the files as they are now is done."""
    for _ in range(600):
        page = client.get("/content").text
        if "Checking the content" not in page:
            return page
        time.sleep(0.1)
    raise AssertionError("the content check never finished")


def test_documents_list_their_languages_and_no_problems(client: TestClient) -> None:
    page = settled(client)
    assert "Plantar fasciitis foot massage" in page
    assert "Tiếng Việt: complete" in page
    assert "No problems: every document can be made." in page
    assert '<script src="/static/follow.js" defer></script>' in page  # follows saves
    assert "<script>" not in page


def test_a_saved_mistake_shows_at_its_file_line_and_column(client: TestClient,
                                                           en_yaml: Path) -> None:
    settled(client)
    text = en_yaml.read_text(encoding="utf-8")
    en_yaml.write_text(text.replace("\nheadline:", "\nheadlin:", 1), encoding="utf-8")
    page = settled(client)
    assert "data/treatments/plantar-fasciitis/en.yaml:" in page
    assert "unknown key" in page and "headlin" in page
    assert "English: missing" in page
