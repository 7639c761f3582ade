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


def test_each_document_shows_a_picture_of_its_first_page(client: TestClient) -> None:
    import io
    import re

    from PIL import Image

    page = settled(client)
    sources = re.findall(r'<img class="thumb"[^>]* src="([^"]+)" alt="First page of',
                         page)
    assert "/content/page/plantar-fasciitis/aftercare/en.png" in sources
    picture = client.get("/content/page/plantar-fasciitis/aftercare/en.png")
    image = Image.open(io.BytesIO(picture.content))
    assert picture.headers["content-type"] == "image/png"
    assert image.height > image.width  # an A4 portrait page
    assert image.convert("L").getextrema()[0] < 128  # something is drawn on it


def test_a_picture_of_a_document_that_is_not_there_is_not_found(client: TestClient) -> None:
    assert client.get("/content/page/nowhere/aftercare/en.png").status_code == 404
    assert client.get("/content/page/plantar-fasciitis/poster/en.png").status_code == 404
