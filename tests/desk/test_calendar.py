"""The next visit on the desk: its time on the client's form, and the calendar file a saved
appointment offers (desk/sheet.py), read in-process with Starlette's TestClient."""

from __future__ import annotations

import datetime as dt
import re
from zoneinfo import ZoneInfo

from icalendar import Calendar
from starlette.testclient import TestClient

from tests.desk.conftest import TODAY, csrf, problems

NEXT = TODAY + dt.timedelta(weeks=1)


def _saved(client: TestClient, **fields: str) -> int:
    """Save a client's sheet to the day from the form; the appointment's id."""
    response = client.post("/sheet", data={
        "csrf": csrf(client), "client": "Emma Wilson", "treatment": "plantar-fasciitis",
        "lang": "ko", "therapist": "Linh", "date": TODAY.isoformat(),
        "next_visit": NEXT.isoformat(), "next_visit_time": "15:00", "notes": "",
        "email": "", "action": "save", **fields}, follow_redirects=False)
    assert response.status_code == 303, response.text
    found = set(re.findall(r'href="/sheet/(\d+)"', client.get("/today").text))
    assert len(found) == 1
    return int(found.pop())


def test_a_saved_next_visit_downloads_as_a_calendar_file(client: TestClient) -> None:
    booking = _saved(client)
    response = client.get(f"/sheet/{booking}/next-visit.ics")
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/calendar; charset=utf-8"
    assert response.headers["content-disposition"] == 'attachment; filename="next-visit.ics"'
    assert response.headers["cache-control"] == "no-store"
    assert response.headers["x-content-type-options"] == "nosniff"
    calendar = Calendar.from_ical(response.content)
    assert calendar["METHOD"] == "PUBLISH"  # a file to add: no one is invited
    [event] = calendar.events
    assert event.start == dt.datetime.combine(NEXT, dt.time(15, 0),
                                              ZoneInfo("Asia/Ho_Chi_Minh"))
    assert event["SUMMARY"] == "L Spa Da Nang 족저근막염 발 마사지 예약"  # the client's language


def test_the_form_offers_the_file_and_keeps_the_time(client: TestClient) -> None:
    booking = _saved(client)
    page = client.get(f"/sheet/{booking}").text
    assert f'href="/sheet/{booking}/next-visit.ics" download' in page
    assert 'name="next_visit_time" type="time" value="15:00"' in page


def test_an_appointment_without_a_next_visit_has_no_calendar_file(client: TestClient) -> None:
    booking = _saved(client, next_visit="", next_visit_time="")
    assert client.get(f"/sheet/{booking}/next-visit.ics").status_code == 404
    assert "next-visit.ics" not in client.get(f"/sheet/{booking}").text


def test_an_unknown_appointment_has_no_calendar_file(client: TestClient) -> None:
    assert client.get("/sheet/999/next-visit.ics").status_code == 404


def test_a_time_without_a_day_is_named_at_the_time(client: TestClient) -> None:
    response = client.post("/sheet", data={
        "csrf": csrf(client), "client": "Emma Wilson", "treatment": "plantar-fasciitis",
        "lang": "en", "date": TODAY.isoformat(), "next_visit": "", "next_visit_time": "15:00",
        "action": "preview"})
    assert response.status_code == 422
    assert problems(response.text)["next_visit_time"] == [
        "a time needs the day of the next visit too"]
