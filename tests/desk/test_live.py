"""desk/sheet.py's live side: the notes' budget and the preview that follows the form."""

from __future__ import annotations

import base64
import io

import pypdfium2 as pdfium
from PIL import Image
from starlette.testclient import TestClient

from tests.desk.test_sheet import form


def room(desk: TestClient, treatment: str, lang: str) -> int | None:
    """The room the desk says the notes have, asked as the page asks: the form posted."""
    answer = desk.post("/sheet/room", data=form(desk, treatment=treatment, lang=lang))
    assert answer.status_code == 200
    fits: int | None = answer.json()["room"]
    return fits


def words_of(length: int) -> str:
    return ("Stretch the calf against the wall. " * 60)[:length].rstrip()


def test_the_room_said_for_notes_is_what_the_sheet_takes(client: TestClient) -> None:
    fits = room(client, "plantar-fasciitis", "en")
    assert fits is not None and 100 < fits < 1200
    made = client.post("/sheet/preview", data=form(client, notes=words_of(fits - 40)))
    refused = client.post("/sheet/preview", data=form(client, notes=words_of(fits + 80)))
    assert made.status_code == 200 and made.json()["pages"]
    assert refused.status_code == 422 and refused.json()["wrong"]["notes"]


def test_the_room_depends_on_the_language(client: TestClient) -> None:
    assert room(client, "plantar-fasciitis", "ja") != room(client, "plantar-fasciitis", "en")


def test_no_room_is_said_for_a_treatment_that_is_not_there(client: TestClient) -> None:
    assert room(client, "../../etc", "en") is None


def test_the_sheet_page_carries_the_budget_words_and_its_script(client: TestClient) -> None:
    page = client.get("/sheet").text
    assert 'data-more="About {n} more characters fit."' in page
    assert '<script src="/static/sheet.js" defer></script>' in page
    assert client.get("/static/sheet.js").status_code == 200


def png_pages(answer: dict[str, list[str]]) -> list[Image.Image]:
    prefix = "data:image/png;base64,"
    assert all(src.startswith(prefix) for src in answer["pages"])
    return [Image.open(io.BytesIO(base64.b64decode(src[len(prefix):])))
            for src in answer["pages"]]


def test_the_live_preview_answers_the_forms_pages_as_images(client: TestClient) -> None:
    answer = client.post("/sheet/preview", data=form(client))
    pdf = client.post("/sheet", data={**form(client), "action": "print"}).content
    assert answer.status_code == 200
    assert len(png_pages(answer.json())) == len(pdfium.PdfDocument(pdf))


def test_the_live_preview_changes_with_the_notes(client: TestClient) -> None:
    before = png_pages(client.post("/sheet/preview", data=form(client)).json())
    after = png_pages(client.post("/sheet/preview",
                                  data=form(client, notes="Ice the heel at night.")).json())
    assert [p.tobytes() for p in before] != [p.tobytes() for p in after]


def test_the_live_preview_names_the_field_that_is_wrong(client: TestClient) -> None:
    answer = client.post("/sheet/preview", data=form(client, client=""))
    assert answer.status_code == 422
    assert answer.json()["pages"] == [] and list(answer.json()["wrong"]) == ["client"]


def test_the_live_preview_refuses_a_post_without_its_token(client: TestClient) -> None:
    fields = form(client)
    del fields["csrf"]
    assert client.post("/sheet/preview", data=fields).status_code == 403
