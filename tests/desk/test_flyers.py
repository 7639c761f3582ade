"""desk/flyers.py: flyers and menus chosen in a form, previewed and downloaded."""

from __future__ import annotations

import io

from pypdf import PdfReader
from starlette.testclient import TestClient

from tests.desk.conftest import csrf


def form(desk: TestClient, **fields: str) -> dict[str, str]:
    return {"csrf": csrf(desk, "/flyers"), "treatment": "plantar-fasciitis", "lang": "en",
            "size": "a6", "copies": "4", "crop_marks": "on", "bleed": "0",
            "action": "download", **fields}


def test_download_is_the_imposed_sheet_handouts_flyer_makes(client: TestClient) -> None:
    response = client.post("/flyers", data=form(client))
    assert response.status_code == 200
    assert response.headers["content-disposition"] == (
        'inline; filename="plantar-fasciitis-flyer-en-a6-4up.pdf"')
    page = PdfReader(io.BytesIO(response.content)).pages[0]
    assert round(float(page.mediabox.width)) == 595  # an A4 sheet of four A6 flyers
    assert page.extract_text().count("Plantar fasciitis") >= 4


def test_a_korean_a5_flyer_with_bleed_for_the_print_shop(client: TestClient) -> None:
    response = client.post("/flyers", data=form(client, lang="ko", size="a5", copies="1",
                                                crop_marks="", bleed="3"))
    page = PdfReader(io.BytesIO(response.content)).pages[0]
    assert float(page.bleedbox.width) > float(page.trimbox.width)
    assert "족저근막염" in page.extract_text()


def test_preview_shows_the_sheet(client: TestClient) -> None:
    page = client.post("/flyers", data=form(client, action="preview")).text
    assert page.count('src="data:image/png;base64,') == 1


def test_bad_choices_are_named_not_crashed_on(client: TestClient) -> None:
    response = client.post("/flyers", data=form(client, size="../../etc/passwd", copies="3",
                                                bleed="99"))
    assert response.status_code == 422
    assert "Size: choose one from the list" in response.text
    assert "Copies per sheet: choose one from the list" in response.text
    assert "write a number of millimetres from 0 to 10" in response.text
    together = client.post("/flyers", data=form(client, size="a5", copies="2", bleed="3"))
    assert together.status_code == 422 and "do not go together" in together.text


def test_html_in_a_choice_stays_text(client: TestClient) -> None:
    page = client.post("/flyers", data=form(client, treatment="<script>alert(1)</script>")).text
    assert "<script>alert(1)" not in page
    assert "unknown treatment &#39;&lt;script&gt;alert(1)&lt;/script&gt;&#39;" in page
