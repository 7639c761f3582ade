"""catalogue/mailing.py: a sheet changed since it was sent is offered as the new version and
sent once, only when asked (an aiosmtpd server on loopback counts the messages)."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable
from pathlib import Path
from subprocess import CompletedProcess

from icalendar import Calendar, Event

from handouts.catalogue.mailing import Mailing, Recipient, mail_sheets
from handouts.catalogue.sheets import sheet_version
from handouts.content.appointments import Visit
from handouts.content.programme import read_programme
from handouts.ledger import Ledger
from handouts.output.mail import Status
from tests.conftest import Inbox
from tests.email_reading import parse_eml, parts

Run = Callable[..., CompletedProcess[str]]
DAY = dt.date(2026, 11, 24)


def emma(notes: str = "Ice the heel.", **more: object) -> Recipient:
    visit = Visit(client="Emma Wilson", date=DAY, email="emma@example.com", notes=notes,
                  **more)  # type: ignore[arg-type]
    return Recipient("--to emma@example.com", "plantar-fasciitis", "en", visit,
                     lambda field: (Path(field), 1, 1))


def mail(project: Path, to: Recipient, changed: bool = False,
         again_after: int | None = None) -> Mailing:
    return mail_sheets(project / "data", project / "fonts", to, None, None, dict(os.environ),
                       again_after, changed)


def statuses(mailing: Mailing) -> list[Status]:
    return [d.status for d in mailing.deliveries or []]


def test_changed_notes_are_offered_not_sent(project: Path, smtp_server: Inbox) -> None:
    mail(project, emma())
    offered = mail(project, emma("Ice the heel twice a day."))
    assert len(smtp_server.received) == 1
    assert [o.parcel.address for o in offered.changed] == ["emma@example.com"]
    assert "1 changed since sent" in offered.summary


def test_the_new_version_is_sent_once_when_asked(project: Path, smtp_server: Inbox) -> None:
    mail(project, emma())
    assert statuses(mail(project, emma("Ice the heel twice a day."), changed=True)) == [
        Status.SENT]
    assert len(smtp_server.received) == 2
    text, _, _ = parts(parse_eml(smtp_server.received[1][2]))
    assert "Ice the heel twice a day." in text  # the new notes are what went
    again = mail(project, emma("Ice the heel twice a day."), changed=True)
    assert statuses(again) == [Status.ALREADY_SENT] and again.changed == []
    assert len(smtp_server.received) == 2


def test_the_ledger_keeps_both_versions(project: Path, smtp_server: Inbox) -> None:
    mail(project, emma())
    mail(project, emma("Ice the heel twice a day."), changed=True)
    with Ledger.beside(project / "data") as ledger:
        went = sorted((r.round, r.version) for r in ledger.deliveries.listed())
    assert went == [(0, sheet_version(emma().visit)),
                    (1, sheet_version(emma("Ice the heel twice a day.").visit))]


def test_a_version_sent_before_is_never_sent_again(project: Path, smtp_server: Inbox) -> None:
    """Notes changed and sent, then changed back: the client has that version already."""
    mail(project, emma())
    mail(project, emma("Ice the heel twice a day."), changed=True)
    back = mail(project, emma(), changed=True)
    assert statuses(back) == [Status.ALREADY_SENT]
    assert len(smtp_server.received) == 2


def test_a_new_next_visit_is_a_new_version_too(project: Path, smtp_server: Inbox) -> None:
    """Every personal field counts, not only the notes: none is named in the rule."""
    mail(project, emma())
    later = mail(project, emma(next_visit=DAY + dt.timedelta(weeks=2)))
    assert len(later.changed) == 1


def test_a_changed_programme_is_offered_then_sent_once(project: Path,
                                                       smtp_server: Inbox) -> None:
    """The therapist changes a dose after the sheet went: offered, sent when asked, once."""
    first = read_programme(["towel-stretch:hold=30", "arch-roll"])
    changed = read_programme(["towel-stretch:hold=45,note=only the left foot", "arch-roll"])
    mail(project, emma(exercises=first))
    offered = mail(project, emma(exercises=changed))
    assert len(offered.changed) == 1 and len(smtp_server.received) == 1
    assert statuses(mail(project, emma(exercises=changed), changed=True)) == [Status.SENT]
    text, _, _ = parts(parse_eml(smtp_server.received[1][2]))
    assert "Hold 45 s" in text and "only the left foot" in text
    assert statuses(mail(project, emma(exercises=changed), changed=True)) == [
        Status.ALREADY_SENT]
    assert len(smtp_server.received) == 2


def _event(raw: bytes) -> Event:
    """The one event of the .ics a received message carries as an attachment."""
    (ics,) = [p for p in parse_eml(raw).iter_attachments()
              if p.get_content_type() == "text/calendar"]
    (event,) = Calendar.from_ical(ics.get_content()).events
    return event


def test_the_new_version_s_invitation_moves_the_visit_the_first_one_added(
        project: Path, smtp_server: Inbox) -> None:
    """Same UID in both messages as received: the phone updates its event, not a second."""
    mail(project, emma(next_visit=DAY + dt.timedelta(weeks=2), next_visit_time=dt.time(15)))
    mail(project, emma(next_visit=DAY + dt.timedelta(weeks=2), next_visit_time=dt.time(16)),
         changed=True)
    first, second = (_event(raw) for _, _, raw in smtp_server.received)
    assert second["UID"] == first["UID"]
    assert (first.start.hour, second.start.hour) == (15, 16)


def test_send_again_repeats_the_sheet_as_it_is_now(project: Path,
                                                  smtp_server: Inbox) -> None:
    """"Send again" is staff asking by hand (the client lost it): one more message, the
    changed sheet included, without offering that version once more afterwards."""
    mail(project, emma())
    assert statuses(mail(project, emma("Ice it."), again_after=0)) == [Status.SENT]
    after = mail(project, emma("Ice it."), changed=True)
    assert statuses(after) == [Status.ALREADY_SENT] and after.changed == []
    assert len(smtp_server.received) == 2


def test_handouts_email_reports_a_changed_sheet_and_sends_it_with_changed(
        project: Path, run: Run, smtp_server: Inbox) -> None:
    header = "client,treatment,lang,therapist,date,email,notes,next_visit\n"
    row = "Emma Wilson,plantar-fasciitis,en,Linh,2026-11-24,emma@example.com,{},\n"
    csv = project / "day.csv"
    csv.write_text(header + row.format("Ice the heel."), encoding="utf-8")
    assert run("email", "--from", "day.csv").returncode == 0
    csv.write_text(header + row.format("Ice the heel twice a day."), encoding="utf-8")
    told = run("email", "--from", "day.csv")
    assert told.returncode == 0, told.stderr
    assert ("day.csv:2: changed since sent to emma@example.com (--changed sends the new "
            "version)") in told.stdout
    assert "0 sent, 0 already sent, 1 changed since sent, 0 failed" in told.stdout
    assert len(smtp_server.received) == 1
    sent = run("email", "--from", "day.csv", "--changed")
    assert "day.csv:2: sent to emma@example.com" in sent.stdout
    assert "1 sent, 0 already sent, 0 failed" in sent.stdout
    assert "1 already sent" in run("email", "--from", "day.csv", "--changed").stdout
    assert len(smtp_server.received) == 2
