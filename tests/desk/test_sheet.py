"""desk/sheet.py: a client's sheet from the form, previewed, printed, problems beside fields."""

from __future__ import annotations

import base64
import io
import re
import subprocess
import sys
from pathlib import Path

import pytest
from pypdf import PdfReader
from starlette.testclient import TestClient

from tests.conftest import REPO
from tests.desk.conftest import TODAY, csrf, problems
from tests.pdf_reading import cards

HOSTILE = '<script>alert(1)</script><img src=x onerror=alert(2)>"\'&amp;'


#: The picker as the page first shows plantar-fasciitis: its own exercises ticked.
PLANTAR_OWN = ["towel-stretch", "wall-calf-stretch", "arch-roll"]


def form(desk: TestClient, **fields: str | list[str]) -> dict[str, str | list[str]]:
    return {"csrf": csrf(desk), "client": "Emma Wilson", "treatment": "plantar-fasciitis",
            "lang": "en", "therapist": "Linh", "date": TODAY.isoformat(), "next_visit": "",
            "notes": "Roll the arch twice a day.", "email": "", "action": "preview",
            "exercise": PLANTAR_OWN, "defaults_of": "plantar-fasciitis", **fields}


def preview_pngs(html: str) -> list[bytes]:
    return [base64.b64decode(data) for data in
            re.findall(r'src="data:image/png;base64,([A-Za-z0-9+/=]+)"', html)]


def test_the_form_lists_treatments_by_name_languages_and_the_spas_therapists(
        client: TestClient) -> None:
    page = client.get("/sheet").text
    assert '<option value="hot-stone-massage" selected>Hot stone massage' in page  # the first
    assert '<option value="plantar-fasciitis">Plantar fasciitis foot massage' in page
    assert re.search(r'<option value="vi" lang="vi"[^>]*>Tiếng Việt</option>', page)
    for name in ("Linh", "Trang", "Mai"):  # data/staff.yaml
        assert f"<option>{name}</option>" in page
    assert f'type="date" value="{TODAY.isoformat()}"' in page


def test_print_returns_the_same_pdf_handouts_aftercare_writes(client: TestClient,
                                                              project: Path) -> None:
    response = client.post("/sheet", data=form(client, action="print", next_visit="2030-03-11"))
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/pdf"
    assert response.headers["content-disposition"] == (
        'inline; filename="plantar-fasciitis-aftercare-en.pdf"')
    made = subprocess.run(
        [sys.executable, "-m", "handouts", "aftercare", "plantar-fasciitis", "--client",
         "Emma Wilson", "--therapist", "Linh", "--date", TODAY.isoformat(), "--next-visit",
         "+1w", "--notes", "Roll the arch twice a day.", "-o", "cli.pdf"],
        cwd=project, capture_output=True, text=True, env={"PYTHONPATH": str(REPO)}, timeout=120)
    assert made.returncode == 0, made.stderr
    desk_pages = [p.extract_text() for p in PdfReader(io.BytesIO(response.content)).pages]
    cli_pages = [p.extract_text() for p in PdfReader(project / "cli.pdf").pages]
    assert desk_pages == cli_pages
    assert "Emma Wilson" in desk_pages[0]


def test_preview_shows_the_pages_and_follows_the_notes(client: TestClient) -> None:
    first = client.post("/sheet", data=form(client))
    assert first.status_code == 200
    pages = preview_pngs(first.text)
    assert len(pages) == 2 and all(png.startswith(b"\x89PNG") for png in pages)
    assert 'alt="Page 1 of 2 of the sheet"' in first.text
    second = preview_pngs(client.post("/sheet", data=form(
        client, notes="Ice the left heel for ten minutes every evening.")).text)
    assert second[0] != pages[0]


def test_quick_buttons_set_the_next_visit_a_week_or_two_after_the_treatment(
        client: TestClient) -> None:
    for action, day in (("next_1w", "2030-03-11"), ("next_2w", "2030-03-18")):
        page = client.post("/sheet", data=form(client, action=action)).text
        assert f'id="next_visit" name="next_visit" type="date" value="{day}"' in page


def test_problems_are_shown_beside_their_field_in_the_commands_words(client: TestClient) -> None:
    response = client.post("/sheet", data=form(client, client="   ", next_visit="2030-03-01",
                                               email="not an address"))
    assert response.status_code == 422
    found = problems(response.text)
    assert found["client"] == ["the client's name is blank (empty, or only spaces or "
                               "invisible characters)"]
    assert found["next_visit"] == ["the next visit (2030-03-01) must come after the treatment "
                                   "date (2030-03-04)"]
    assert "email" in found
    assert 'id="client" name="client" value="" autocomplete="off" required aria-invalid' \
        in response.text


def test_an_unknown_treatment_or_language_is_named_at_its_field(client: TestClient) -> None:
    found = problems(client.post("/sheet", data=form(client, treatment="hot-stone")).text)
    assert found["treatment"][0].startswith("unknown treatment 'hot-stone' (there are: "
                                            "hot-stone-massage (Hot stone massage), ")
    found = problems(client.post("/sheet", data=form(client, lang="fr")).text)
    assert found["lang"][0].startswith("no 'fr' version of plantar-fasciitis")


def test_notes_too_long_for_two_pages_say_how_much_to_cut_beside_the_notes(
        client: TestClient) -> None:
    found = problems(client.post("/sheet", data=form(client, notes="Stretch well. " * 85)).text)
    assert "shorten them by" in found["notes"][0]


@pytest.mark.parametrize("field", ["client", "therapist", "notes", "email", "date",
                                   "next_visit", "treatment", "lang"])
def test_html_in_any_field_stays_text(client: TestClient, field: str) -> None:
    page = client.post("/sheet", data=form(client, **{field: HOSTILE})).text
    assert "<script>alert(1)" not in page and "<img src=x" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_a_client_named_script_is_printed_as_typed(client: TestClient) -> None:
    response = client.post("/sheet", data=form(client, client="<script>", action="print"))
    assert "<script>" in PdfReader(io.BytesIO(response.content)).pages[0].extract_text()


def test_the_client_never_appears_in_the_title_or_the_address(client: TestClient) -> None:
    response = client.post("/sheet", data=form(client, client="Zelda Quartermaine"))
    title = re.search(r"<title>(.*)</title>", response.text)
    assert title and "Zelda" not in title.group(1)
    assert "Zelda" not in str(response.url)


def test_a_programme_picked_on_the_form_is_the_same_pdf_the_command_line_writes(
        client: TestClient, project: Path) -> None:
    picked = form(client, action="print", exercise=["arch-roll", "towel-stretch"],
                  **{"hold-arch-roll": "45", "repeats-arch-roll": "4",
                     "note-arch-roll": "left foot only",  # the towel stretch as shown: its
                     "hold-towel-stretch": "30", "repeats-towel-stretch": "3"})  # own doses
    response = client.post("/sheet", data=picked)
    assert response.status_code == 200, problems(response.text)
    made = subprocess.run(
        [sys.executable, "-m", "handouts", "aftercare", "plantar-fasciitis", "--client",
         "Emma Wilson", "--therapist", "Linh", "--date", TODAY.isoformat(), "--notes",
         "Roll the arch twice a day.", "--exercise", "arch-roll:hold=45,repeats=4,note=left "
         "foot only", "--exercise", "towel-stretch", "-o", "cli.pdf"],
        cwd=project, capture_output=True, text=True, env={"PYTHONPATH": str(REPO)}, timeout=120)
    assert made.returncode == 0, made.stderr
    assert response.content == (project / "cli.pdf").read_bytes()
    arch = cards(response.content, 1, ["Rolling the arch", "Towel stretch"])["Rolling the arch"]
    assert "Rolling the arch" in arch and "Hold 45 s" in arch and "left foot only" in arch


@pytest.mark.parametrize(("picked", "where", "said"), [
    ({"hold-arch-roll": "900"}, "hold-arch-roll", "hold=900 is out of range: 1 to 600 seconds"),
    ({"daily-arch-roll": "0"}, "daily-arch-roll", "daily=0 is out of range: 1 to 10 times a day"),
    ({"exercise": ["arch-rol"]}, "exercises", "no exercise 'arch-rol' in the library"),
])
def test_a_wrong_programme_is_named_beside_its_input_with_the_range(
        client: TestClient, picked: dict[str, str | list[str]], where: str, said: str) -> None:
    response = client.post("/sheet", data=form(client, **picked))
    assert response.status_code == 422
    assert said in " ".join(problems(response.text)[where])
    if where != "exercises":
        assert re.search(rf'id="{where}" name="{where}"[^>]* aria-invalid="true" '
                         rf'aria-describedby="{where}-problem"', response.text)


def test_a_booked_programme_is_shown_back_on_the_form(client: TestClient) -> None:
    picked = form(client, action="save", exercise=["arch-roll", "towel-stretch"],
                  **{"sets-arch-roll": "2", "note-arch-roll": "after work",
                     "hold-towel-stretch": "40"})
    saved = client.post("/sheet", data=picked, follow_redirects=True)
    assert saved.status_code == 200, problems(saved.text)
    booking = max(re.findall(r'href="(/sheet/(\d+))"', saved.text), key=lambda h: int(h[1]))[0]
    page = client.get(booking).text
    ticked = re.findall(r'name="exercise" value="([a-z-]+)" checked', page)
    assert ticked == ["arch-roll", "towel-stretch"]  # in the programme's order, first
    assert re.search(r'id="sets-arch-roll" name="sets-arch-roll"[^>]* value="2"', page)
    assert re.search(r'id="note-arch-roll" name="note-arch-roll"[^>]* value="after work"', page)
    assert re.search(r'id="hold-towel-stretch" name="hold-towel-stretch"[^>]* value="40"', page)
