"""desk/picker.py: the client form's home programme, picked from the library, in-process."""

from __future__ import annotations

import json
import re
from pathlib import Path

from starlette.testclient import TestClient

from handouts.content.appointments import read_visit
from handouts.content.dates import Dating
from handouts.content.models import DOSES
from handouts.content.programme import Programme
from handouts.ledger import Ledger
from tests.desk.conftest import TODAY, csrf, problems
from tests.desk.test_sheet import PLANTAR_OWN, form


def ticked(html: str) -> list[str]:
    """The exercises ticked on the page, in the page's order."""
    return re.findall(r'name="exercise" value="([a-z0-9-]+)" checked', html)


def booked_programme(client: TestClient, project: Path, posted: dict[str, str | list[str]]
                     ) -> Programme | None:
    """The programme the ledger keeps after the form is saved as `posted`."""
    saved = client.post("/sheet", data={**posted, "action": "save"}, follow_redirects=False)
    assert saved.status_code == 303, problems(saved.text)
    with Ledger.beside(project / "data") as ledger:
        (booking,) = ledger.appointments.on_day(TODAY)
        return booking.visit.exercises


def test_every_exercise_of_the_library_is_a_row_with_its_picture_and_labelled_steppers(
        client: TestClient, project: Path) -> None:
    page = client.get("/sheet").text
    library = sorted(p.name for p in (project / "data" / "exercises").iterdir())
    rows = re.findall(r'<div class="exercise" role="group" aria-labelledby="pick-([a-z-]+)-name"',
                      page)
    assert sorted(rows) == library
    for ident in library:
        assert f'src="/sheet/exercise/{ident}.png"' in page
        picture = client.get(f"/sheet/exercise/{ident}.png")
        assert picture.headers["content-type"] == "image/png"
        assert picture.content.startswith(b"\x89PNG")
        for key, field in (("hold", "hold_seconds"), ("repeats", "repeats"), ("sets", "sets"),
                           ("daily", "times_a_day")):
            low, high, _ = DOSES[field]
            assert f'<label for="{key}-{ident}">' in page
            assert re.search(rf'<input type="number" id="{key}-{ident}" name="{key}-{ident}" '
                             rf'min="{low}" max="{high}" step="1"', page)
        assert re.search(rf'<input id="note-{ident}" name="note-{ident}" maxlength="120"', page)
    assert client.get("/sheet/exercise/no-such.png").status_code == 404


def test_a_new_sheet_shows_the_treatments_own_exercises_ticked_at_the_librarys_doses(
        client: TestClient) -> None:
    page = client.post("/sheet", data=form(client, action="next_1w")).text
    assert ticked(page) == PLANTAR_OWN
    assert re.search(r'id="hold-towel-stretch" name="hold-towel-stretch"[^>]* value="30" '
                     r'placeholder="30"', page)  # data/exercises/towel-stretch/facts.yaml
    assert 'name="defaults_of" value="plantar-fasciitis"' in page


def test_the_treatments_own_exercises_untouched_keep_its_home_care(
        client: TestClient, project: Path) -> None:
    as_shown = {"hold-towel-stretch": "30", "repeats-towel-stretch": "3",  # facts.yaml's
                "hold-wall-calf-stretch": "30", "repeats-wall-calf-stretch": "3",
                "hold-arch-roll": "60", "repeats-arch-roll": "2"}
    assert booked_programme(client, project, form(client, **as_shown)) is None


def test_a_dose_changed_makes_the_programme_the_clients_own(client: TestClient,
                                                             project: Path) -> None:
    programme = booked_programme(client, project,
                                 form(client, **{"hold-towel-stretch": "45"}))
    assert [(item.exercise, item.hold_seconds) for item in programme or ()] == [
        ("towel-stretch", 45), ("wall-calf-stretch", None), ("arch-roll", None)]


def test_the_move_buttons_reorder_the_programme_without_the_pages_script(
        client: TestClient) -> None:
    page = client.post("/sheet", data=form(client, action="up:arch-roll")).text
    assert ticked(page) == ["towel-stretch", "arch-roll", "wall-calf-stretch"]
    assert 'name="defaults_of" value=""' in page  # reordered: the client's own now
    page = client.post("/sheet", data=form(client, action="down:towel-stretch")).text
    assert ticked(page) == ["wall-calf-stretch", "towel-stretch", "arch-roll"]
    first = re.search(r'value="up:wall-calf-stretch"[^>]*>', page)
    assert first and "disabled" in first.group(0)  # the first cannot move up


def test_another_treatment_ticks_its_own_exercises_while_the_picker_is_untouched(
        client: TestClient) -> None:
    hot_stone = json.loads(re.findall(r"data-defaults='([^']*)'", client.get("/sheet").text)[0]
                           .replace("&#34;", '"'))["hot-stone-massage"]
    page = client.post("/sheet", data=form(client, treatment="hot-stone-massage")).text
    assert ticked(page) == hot_stone
    assert 'name="defaults_of" value="hot-stone-massage"' in page
    touched = client.post("/sheet", data=form(client, treatment="hot-stone-massage",
                                              **{"hold-towel-stretch": "45"})).text
    assert ticked(touched) == PLANTAR_OWN  # the therapist's choice stays


def test_nothing_ticked_is_named_at_the_programme(client: TestClient) -> None:
    response = client.post("/sheet", data=form(client, exercise=[]))
    assert response.status_code == 422
    assert problems(response.text)["exercises"] == [
        "tick at least one exercise (or the treatment's own, to give its home care)"]


def test_the_preview_and_the_notes_room_follow_the_programme(client: TestClient) -> None:
    def room(**fields: str | list[str]) -> int:
        answer = client.post("/sheet/room", data=form(client, **fields)).json()
        return int(answer["room"])

    own = room()
    assert room(exercise=[*PLANTAR_OWN, "side-neck-stretch"]) < own  # a fourth card's room
    before = client.post("/sheet/preview", data=form(client)).json()["pages"]
    after = client.post("/sheet/preview", data=form(
        client, exercise=["side-neck-stretch", "arch-roll"])).json()["pages"]
    assert len(before) == len(after) == 2 and after[1] != before[1]
    assert client.post("/sheet/room", data={"csrf": csrf(client)}).json() == {"room": None}


def test_a_form_posted_without_the_picker_gives_the_treatments_own(
        client: TestClient, project: Path) -> None:
    picked = form(client)
    del picked["exercise"], picked["defaults_of"]  # a form that is not the desk's page
    assert booked_programme(client, project, picked) is None


def test_an_appointments_programme_saved_unchanged_stays_as_it_was(
        client: TestClient, project: Path) -> None:
    typed = "towel-stretch:hold=30; arch-roll"  # hold=30: the library's own, set by hand
    visit = read_visit({"client": "Emma Wilson", "date": TODAY.isoformat(),
                        "exercises": typed}, Dating(TODAY))
    with Ledger.beside(project / "data") as ledger:
        booking = ledger.appointments.add("plantar-fasciitis", "en", visit)
    page = client.get(f"/sheet/{booking.id}").text
    assert ticked(page) == ["towel-stretch", "arch-roll"]
    as_shown = {"hold-towel-stretch": "30", "repeats-towel-stretch": "3",
                "hold-arch-roll": "60", "repeats-arch-roll": "2", "defaults_of": ""}
    saved = client.post(f"/sheet/{booking.id}", data=form(
        client, action="save", exercise=ticked(page), **as_shown), follow_redirects=False)
    assert saved.status_code == 303, problems(saved.text)
    with Ledger.beside(project / "data") as ledger:
        assert ledger.appointments.get(booking.id).visit.exercises == visit.exercises


def test_an_appointments_exercise_gone_from_the_library_is_named_when_opened(
        client: TestClient, project: Path) -> None:
    """Its row is gone, so saving would drop it: the page says so before anyone saves."""
    visit = read_visit({"client": "Emma Wilson", "date": TODAY.isoformat(),
                        "exercises": "heel-raise:repeats=10; arch-roll"}, Dating(TODAY))
    with Ledger.beside(project / "data") as ledger:
        booking = ledger.appointments.add("plantar-fasciitis", "en", visit)
    page = client.get(f"/sheet/{booking.id}").text
    assert ticked(page) == ["arch-roll"]
    (said,) = problems(page)["exercises"]
    assert said.startswith("no exercise 'heel-raise' in the library")
