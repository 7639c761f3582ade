"""The next visit's calendar invitation, read as a mail client and a calendar read it: the
message with Python's `email` package, the event with `icalendar`."""

from __future__ import annotations

import datetime as dt
from email.message import EmailMessage
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar, Event

from handouts.catalogue.document import sheet_exercises
from handouts.content.appointments import Visit
from handouts.content.load import Library
from handouts.content.models import Brand
from handouts.output.message import compose_message
from handouts.render.localise import format_when
from tests.email_reading import parse_eml, parts, read_html

TREATMENT = "plantar-fasciitis"
SENT = dt.datetime(2099, 11, 24, 18, 0, tzinfo=dt.timezone.utc)
TREATED = dt.date(2099, 11, 24)
NEXT = dt.date(2099, 12, 9)


def _visit(**changes: object) -> Visit:
    fields: dict[str, object] = {"client": "Emma Wilson", "date": TREATED,
                                 "email": "emma@example.com", "next_visit": NEXT,
                                 "next_visit_time": dt.time(15, 0)}
    return Visit.model_validate({**fields, **changes})


def _send(library: Library, visit: Visit, lang: str = "en", now: dt.datetime = SENT,
          brand: Brand | None = None) -> EmailMessage:
    """The client's email as it leaves (composed, written out, parsed again)."""
    assert library.brand is not None
    message = compose_message(
        brand=brand or library.brand, labels=library.labels[lang],
        treatment=library.treatments[TREATMENT][lang], visit=visit, lang=lang,
        sender="reception@lspadanang.example.com", to=visit.email or "", pdf=b"%PDF-1.7",
        filename="sheet.pdf", now=now,
        exercises=sheet_exercises(library, TREATMENT, lang, visit))
    return parse_eml(message.as_bytes())


def _attached(message: EmailMessage) -> EmailMessage:
    """The .ics attachment: the one calendar part that is an attachment."""
    found = [p for p in message.iter_attachments() if p.get_content_type() == "text/calendar"]
    assert len(found) == 1
    return found[0]


def _event(message: EmailMessage) -> Event:
    calendar = Calendar.from_ical(_attached(message).get_content())
    assert len(calendar.events) == 1
    return calendar.events[0]


def test_the_invitation_is_a_text_calendar_attachment_named_next_visit_ics(
        shipped_library: Library) -> None:
    part = _attached(_send(shipped_library, _visit()))
    assert part.get_content_disposition() == "attachment"
    assert part.get_filename() == "next-visit.ics"
    assert part.get_param("method") == "REQUEST"
    calendar = Calendar.from_ical(part.get_content())
    assert calendar["METHOD"] == "REQUEST" and calendar["VERSION"] == "2.0"


def test_the_same_invitation_is_an_alternative_of_the_body_for_gmail_and_ios(
        shipped_library: Library) -> None:
    message = _send(shipped_library, _visit())
    alternatives = list(next(message.iter_parts()).iter_parts())
    inline = alternatives[-1]
    assert inline.get_content_type() == "text/calendar"
    assert inline.get_content_disposition() is None and inline.get_param("method") == "REQUEST"
    assert inline.get_content() == _attached(message).get_content()


def test_a_resend_keeps_the_uid_and_raises_the_sequence(shipped_library: Library) -> None:
    first = _event(_send(shipped_library, _visit()))
    later = _event(_send(shipped_library, _visit(next_visit_time=dt.time(16, 30)),
                         now=SENT + dt.timedelta(hours=2)))
    assert later["UID"] == first["UID"]
    assert later["SEQUENCE"] > first["SEQUENCE"]
    assert later.start.time() == dt.time(16, 30)


def test_the_uid_is_one_per_client_and_treatment_date(shipped_library: Library) -> None:
    emma = _event(_send(shipped_library, _visit()))["UID"]
    assert _event(_send(shipped_library, _visit(client="emma  WILSON")))["UID"] == emma
    assert _event(_send(shipped_library, _visit(client="Mai Tran")))["UID"] != emma
    assert _event(_send(shipped_library, _visit(date=TREATED - dt.timedelta(days=1))))[
        "UID"] != emma


def test_the_uid_does_not_hold_the_client_s_name(shipped_library: Library) -> None:
    uid = str(_event(_send(shipped_library, _visit()))["UID"]).lower()
    assert "emma" not in uid and "wilson" not in uid
    assert uid.endswith("@lspadanang.example.com")


def test_a_booked_time_starts_then_in_the_spa_s_time_zone_for_the_treatment_s_length(
        shipped_library: Library) -> None:
    event = _event(_send(shipped_library, _visit()))
    start = event.start
    assert isinstance(start, dt.datetime)
    assert start.tzinfo == ZoneInfo("Asia/Ho_Chi_Minh")
    assert (start.date(), start.time()) == (NEXT, dt.time(15, 0))  # the wall clock in Da Nang
    assert start.astimezone(dt.timezone.utc).hour == 8  # Vietnam is UTC+7
    minutes = shipped_library.treatments[TREATMENT]["en"].duration_minutes
    assert minutes and event.end - start == dt.timedelta(minutes=minutes)


def test_the_time_zone_travels_with_the_invitation(shipped_library: Library) -> None:
    """A VTIMEZONE for the TZID that DTSTART and DTEND name: a phone needs no zone of its
    own to place the visit (RFC 5545 3.6.5)."""
    calendar = Calendar.from_ical(_attached(_send(shipped_library, _visit())).get_content())
    assert [str(z["TZID"]) for z in calendar.timezones] == ["Asia/Ho_Chi_Minh"]
    (event,) = calendar.events
    assert [event[p].params["TZID"] for p in ("DTSTART", "DTEND")] == ["Asia/Ho_Chi_Minh"] * 2


def test_without_a_time_the_next_visit_is_an_all_day_event(shipped_library: Library) -> None:
    event = _event(_send(shipped_library, _visit(next_visit_time=None)))
    assert type(event.start) is dt.date and event.start == NEXT
    assert event.end == NEXT + dt.timedelta(days=1)


def test_a_brand_without_a_time_zone_books_the_hour_wherever_the_phone_is(
        shipped_library: Library) -> None:
    assert shipped_library.brand is not None
    zoneless = shipped_library.brand.model_copy(update={"time_zone": None})
    start = _event(_send(shipped_library, _visit(), brand=zoneless)).start
    assert start == dt.datetime(2099, 12, 9, 15, 0) and start.tzinfo is None


def test_no_next_visit_no_invitation(shipped_library: Library) -> None:
    message = _send(shipped_library, _visit(next_visit=None, next_visit_time=None))
    assert all(p.get_content_type() != "text/calendar" for p in message.walk())
    text, html, _ = parts(message)
    said = shipped_library.labels["en"].email.add_to_calendar
    assert said not in text and said not in read_html(html).text


@pytest.mark.parametrize("lang", ["en", "vi", "ko", "ja"])
def test_the_email_says_under_the_next_visit_how_to_add_it_to_the_calendar(
        shipped_library: Library, lang: str) -> None:
    labels = shipped_library.labels[lang]
    when = format_when(NEXT, dt.time(15, 0), labels)
    told = f"{labels.personal.next_visit.format(date=when)} {labels.email.add_to_calendar}"
    text, html, _ = parts(_send(shipped_library, _visit(), lang))
    for part in (text, read_html(html).text):  # one space wherever a line breaks
        assert " ".join(told.split()) in " ".join(part.split())


@pytest.mark.parametrize(("lang", "summary"), [
    ("en", "Plantar fasciitis foot massage at L Spa Da Nang"),
    ("vi", "Massage chân cho viêm cân gan chân tại L Spa Da Nang"),
    ("ko", "L Spa Da Nang 족저근막염 발 마사지 예약"),
    ("ja", "L Spa Da Nang：足底筋膜炎のフットマッサージのご予約"),
])
def test_the_event_is_named_in_the_client_s_language(shipped_library: Library, lang: str,
                                                      summary: str) -> None:
    assert _event(_send(shipped_library, _visit(), lang))["SUMMARY"] == summary


def test_the_location_is_the_spa_s_address_and_phone(shipped_library: Library) -> None:
    location = str(_event(_send(shipped_library, _visit()))["LOCATION"])
    assert location == "01 Bạch Đằng, Hải Châu, Đà Nẵng, Việt Nam · +84 236 3123 456"


def test_the_spa_invites_the_client(shipped_library: Library) -> None:
    event = _event(_send(shipped_library, _visit()))
    assert str(event["ORGANIZER"]) == "mailto:reception@lspadanang.example.com"
    assert str(event["ATTENDEE"]) == "mailto:emma@example.com"
