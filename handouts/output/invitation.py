"""The next visit as an iCalendar (RFC 5545) event, so the client's phone keeps it.

The email carries it as an invitation (see `compose_message`) and the desk offers the same
event as a download. The event is at the hour booked, in the spa's time zone (brand.yaml's
`time_zone`), so a client whose phone is set to Seoul time sees 17:00 for a 15:00 visit in
Da Nang; a next visit with no time is an all-day event. Its UID is made from the spa, the
client and the treatment date, never at random: a resend, or a changed next visit sent
again, replaces the event in the client's calendar instead of adding a second one.

Why METHOD:REQUEST, sent twice in the email (an inline text/calendar alternative and a
text/calendar attachment, both `method=REQUEST`), with the spa as ORGANIZER and the client
as ATTENDEE: that is the shape of the invitations Google Calendar and Outlook send, and the
one mail apps offer to add with one tap. Gmail shows its invitation card (Yes / Maybe / No;
"Yes" puts the visit in Google Calendar) for a text/calendar REQUEST that names the
recipient as attendee; iOS Mail shows its invitation banner (Accept) for the same. A
PUBLISH file is, in both, an attachment to open and then add, and is not promised to move
an event already added: a later REQUEST with the same UID and a higher SEQUENCE is (RFC
5546, 2.1.5). The client's answer, if their app sends one, is an email to the spa's reply
address: reception sees who confirmed. A downloaded file has no one to invite: PUBLISH,
which calendars import as an event to add. (Chosen from the apps' documented and reported
behaviour; the tests check the message's structure, not a real phone.)

No alarm is set: phones give an added event their own default alert, which the client chose.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from zoneinfo import ZoneInfo

from handouts.content.appointments import Visit, client_key
from handouts.content.channels import contact_handle
from handouts.content.models import Brand, Labels, Treatment

#: The event's file name, the same for every client: a client's name is never in one.
FILENAME = "next-visit.ics"
MEDIA_TYPE = "text/calendar"
PRODUCT = "-//handouts//next visit//EN"
#: An invitation's METHOD, which its MIME type repeats as `method=` (RFC 6047).
INVITATION = "REQUEST"
SEQUENCE_FROM = dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc)


def visit_uid(brand: Brand, visit: Visit) -> str:
    """The event's UID: one per spa, client (as reception means the name) and treatment
    date, so every send of that sheet names the same event; hashed, so the client's name
    is not written in it."""
    key = "\n".join((brand.name, client_key(visit.client), visit.date.isoformat()))
    domain = brand.website.split("/")[2]
    return f"{hashlib.sha256(key.encode('utf-8')).hexdigest()[:32]}@{domain}"


def sequence(now: dt.datetime) -> int:
    """The event's revision: minutes since SEQUENCE_FROM at `now`, so each later send
    outranks the one before (a calendar applies an update only with a higher SEQUENCE)
    without the ledger counting sends (two in one minute: the later DTSTAMP wins, RFC 5546
    2.1.5); iCalendar's 32-bit integer holds minutes for 4,000 years."""
    return max(0, int((now - SEQUENCE_FROM).total_seconds()) // 60)


def next_visit_ics(brand: Brand, labels: Labels, treatment: Treatment, visit: Visit,
                   now: dt.datetime, invite: tuple[str, str] | None = None) -> bytes | None:
    """The next visit as an .ics file, or None when the visit names no next one.

    `invite` = (the spa's address, the client's): an invitation (METHOD:REQUEST) from the
    one to the other, for an email; without it, an event to add (METHOD:PUBLISH).
    """
    from icalendar import Calendar, Event, vCalAddress

    if visit.next_visit is None:
        return None
    event = Event()
    event.add("uid", visit_uid(brand, visit))
    event.add("dtstamp", now.astimezone(dt.timezone.utc))
    event.add("sequence", sequence(now))
    start, end = _when(brand, treatment, visit.next_visit, visit.next_visit_time)
    event.add("dtstart", start)
    if end is not None:
        event.add("dtend", end)
    event.add("summary", labels.email.calendar_title.format(spa=brand.name,
                                                            treatment=treatment.name))
    phone = next((contact_handle(c) for c in brand.channels if c.kind == "phone"), None)
    event.add("location", labels.separator.join(filter(None, (brand.address, phone))))
    event.add("description", "\n".join(
        [f"{getattr(labels.channels, c.kind)}: {contact_handle(c)}" for c in brand.channels]
        + [brand.website]))
    event.add("url", brand.website)
    event.add("status", "CONFIRMED")
    event.add("transp", "OPAQUE")
    calendar = Calendar()
    calendar.add("prodid", PRODUCT)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", INVITATION if invite else "PUBLISH")
    if invite:
        spa, client = invite
        event.add("organizer", vCalAddress(f"mailto:{spa}"), parameters={"CN": brand.name})
        event.add("attendee", vCalAddress(f"mailto:{client}"),
                  parameters={"ROLE": "REQ-PARTICIPANT", "PARTSTAT": "NEEDS-ACTION",
                              "RSVP": "TRUE"})
    calendar.add_component(event)
    # RFC 5545 wants a VTIMEZONE for each TZID: made from the tz database, for the visit's
    # year and the next (a shorter file than icalendar's default 1970-2038)
    calendar.add_missing_timezones(first_date=dt.date(visit.next_visit.year, 1, 1),
                                   last_date=dt.date(visit.next_visit.year + 2, 1, 1))
    ics: bytes = calendar.to_ical()
    return ics


def _when(brand: Brand, treatment: Treatment, day: dt.date, time: dt.time | None,
          ) -> tuple[dt.date | dt.datetime, dt.date | dt.datetime | None]:
    """Start and end: the whole day when no time is booked; else the hour booked in the
    spa's zone (the phone's own zone when brand.yaml names none), for the treatment's
    length (a moment when the treatment gives none: RFC 5545 ends it where it starts)."""
    if time is None:
        return day, day + dt.timedelta(days=1)
    zone = ZoneInfo(brand.time_zone) if brand.time_zone else None
    start = dt.datetime.combine(day, time, zone)
    minutes = treatment.duration_minutes
    return start, start + dt.timedelta(minutes=minutes) if minutes else None
