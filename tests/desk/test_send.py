"""Send and Send again from the desk: the message `handouts email` sends, delivered once
through the ledger (an aiosmtpd server on loopback receives it)."""

from __future__ import annotations

import re
import threading
from pathlib import Path

from starlette.testclient import TestClient

from handouts.desk.app import create_app
from handouts.ledger import Ledger
from tests.conftest import SHIPPED_DATA, Inbox
from tests.desk.conftest import TODAY, csrf
from tests.email_reading import parse_eml, parts


def import_day(client: TestClient) -> list[str]:
    """The shipped appointments imported; each client's appointment id, in order."""
    page = client.post("/today/import", data={"csrf": csrf(client, "/today")},
                       files={"csv": ("bookings.csv", (SHIPPED_DATA / "appointments.csv")
                                      .read_bytes(), "text/csv")}).text
    return re.findall(r'<td><a href="/sheet/(\d+)">', page)


def press(client: TestClient, booking: str, action: str, **more: str) -> str:
    return client.post(f"/sheet/{booking}", data={"csrf": csrf(client, "/today"),
                                                  "action": action, **more}).text


def test_send_emails_the_clients_sheet_and_today_says_sent_after_a_reload(
        client: TestClient, smtp_server: Inbox) -> None:
    emma = import_day(client)[0]
    page = press(client, emma, "send")
    assert len(smtp_server.received) == 1
    _, to, raw = smtp_server.received[0]
    assert to == ["emma.wilson@example.com"]
    message = parse_eml(raw)
    text, html, pdf = parts(message)
    assert "Emma Wilson" in text and pdf.startswith(b"%PDF")
    assert re.search(r">sent at \d{1,2}:\d\d\s[AP]M<", page)
    assert re.search(r">sent at \d{1,2}:\d\d\s[AP]M<", client.get("/today").text)
    press(client, emma, "send")  # pressed again: the ledger says it went
    assert len(smtp_server.received) == 1


def test_send_again_sends_one_more_however_often_it_is_pressed(
        client: TestClient, smtp_server: Inbox) -> None:
    emma = import_day(client)[0]
    press(client, emma, "send")
    press(client, emma, "send_again", round="0")
    press(client, emma, "send_again", round="0")  # a second tab that saw the same round
    assert len(smtp_server.received) == 2
    press(client, emma, "send_again", round="1")
    assert len(smtp_server.received) == 3


def test_today_says_a_message_was_sent_again(client: TestClient, smtp_server: Inbox) -> None:
    emma = import_day(client)[0]
    press(client, emma, "send")
    page = press(client, emma, "send_again", round="0")
    assert re.search(r">sent again at \d{1,2}:\d\d\s[AP]M<", page)


def test_two_staff_pressing_send_at_once_send_one_message(
        client: TestClient, smtp_server: Inbox, project: Path) -> None:
    emma = import_day(client)[0]
    press_in_two_desks_at_once(client, project, emma, "send")
    assert len(smtp_server.received) == 1


def press_in_two_desks_at_once(client: TestClient, project: Path, booking: str,
                               action: str) -> None:
    """`action` on `booking`'s sheet from two desks (two tabs, two staff) at the same moment."""
    other = create_app(project / "data", project / "fonts", today=lambda: TODAY)
    with TestClient(other, base_url="http://127.0.0.1") as second:
        start = threading.Barrier(2)

        def go(desk: TestClient) -> None:
            token = csrf(desk, "/today")
            start.wait()
            desk.post(f"/sheet/{booking}", data={"csrf": token, "action": action})

        threads = [threading.Thread(target=go, args=(d,)) for d in (client, second)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=120)


def test_a_refused_address_shows_failed_and_why(client: TestClient,
                                                smtp_server: Inbox) -> None:
    smtp_server.refuse.add("emma.wilson@example.com")
    emma = import_day(client)[0]
    press(client, emma, "send")
    page = client.get("/today").text
    assert "failed: refused 550" in page and 'value="send"' in page


def test_send_without_an_address_asks_for_one(client: TestClient, smtp_server: Inbox) -> None:
    page = client.post("/sheet", data={"csrf": csrf(client), "client": "Ann",
                                       "treatment": "plantar-fasciitis", "lang": "en",
                                       "date": TODAY.isoformat(), "action": "send"}).text
    assert "write the client&#39;s email address to send the sheet" in page
    assert smtp_server.received == []


def test_the_email_can_be_read_before_it_is_sent(client: TestClient,
                                                 smtp_server: Inbox) -> None:
    emma = import_day(client)[0]
    page = press(client, emma, "email")
    assert "<dd>emma.wilson@example.com</dd>" in page
    assert re.search(r'<pre class="email-text">[^<]*Emma Wilson', page)
    assert "plantar-fasciitis-aftercare-en-Emma-Wilson-" in page
    assert smtp_server.received == []
    press(client, emma, "send")
    _, _, raw = smtp_server.received[0]
    subject = parse_eml(raw)["Subject"]
    assert f"<dd>{subject}</dd>" in page  # the message previewed is the one sent


def test_a_sheet_that_cannot_be_made_is_not_sent_and_says_why(client: TestClient,
                                                              smtp_server: Inbox) -> None:
    page = client.post("/sheet", data={"csrf": csrf(client), "client": "Ann",
                                       "email": "ann@example.com", "treatment": "hot-stone",
                                       "lang": "en", "date": TODAY.isoformat(),
                                       "action": "send"}).text
    assert 'id="treatment-problem">unknown treatment &#39;hot-stone&#39;' in page
    assert smtp_server.received == []


def emma_with(client: TestClient, notes: str, booking: str = "") -> str:
    """Emma's appointment saved on her sheet with these notes; its id."""
    client.post(f"/sheet{'/' + booking if booking else ''}", data={
        "csrf": csrf(client), "client": "Emma Wilson", "email": "emma@example.com",
        "treatment": "plantar-fasciitis", "lang": "en", "date": TODAY.isoformat(),
        "notes": notes, "action": "save"})
    found = re.search(r'href="/sheet/(\d+)"', client.get("/today").text)
    assert found
    return found.group(1)


def test_notes_edited_after_sending_show_changed_and_send_the_new_version(
        client: TestClient, smtp_server: Inbox) -> None:
    emma = emma_with(client, "Ice the heel.")
    press(client, emma, "send")
    assert 'value="send_new"' not in client.get("/today").text
    emma_with(client, "Ice the heel twice a day.", emma)
    page = client.get("/today").text
    assert re.search(r">changed since sent at \d{1,2}:\d\d\W{1,2}[AP]M<", page)
    assert '<button type="submit" name="action" value="send_new">Send the new version<' in page
    press(client, emma, "send_new")
    assert len(smtp_server.received) == 2
    text, _, _ = parts(parse_eml(smtp_server.received[1][2]))
    assert "Ice the heel twice a day." in text
    page = client.get("/today").text
    assert re.search(r">sent at \d{1,2}:\d\d\W{1,2}[AP]M<", page) and 'value="send_new"' not in page
    press(client, emma, "send_new")  # a tab still showing the button: nothing more goes
    press(client, emma, "send")
    assert len(smtp_server.received) == 2


def test_send_without_asking_for_the_new_version_sends_nothing(
        client: TestClient, smtp_server: Inbox) -> None:
    emma = emma_with(client, "Ice the heel.")
    press(client, emma, "send")
    emma_with(client, "Ice the heel twice a day.", emma)
    press(client, emma, "send")
    assert len(smtp_server.received) == 1


def test_two_tabs_sending_the_new_version_at_once_send_one_message(
        client: TestClient, smtp_server: Inbox, project: Path) -> None:
    emma = emma_with(client, "Ice the heel.")
    press(client, emma, "send")
    emma_with(client, "Ice the heel twice a day.", emma)
    press_in_two_desks_at_once(client, project, emma, "send_new")
    assert len(smtp_server.received) == 2


def test_send_the_new_version_without_the_csrf_token_is_refused(
        client: TestClient, smtp_server: Inbox) -> None:
    emma = emma_with(client, "Ice the heel.")
    press(client, emma, "send")
    emma_with(client, "Ice the heel twice a day.", emma)
    refused = client.post(f"/sheet/{emma}", data={"action": "send_new"})
    assert refused.status_code == 403
    assert len(smtp_server.received) == 1


def test_sent_shows_which_version_went(client: TestClient, smtp_server: Inbox,
                                      project: Path) -> None:
    emma = emma_with(client, "Ice the heel.")
    press(client, emma, "send")
    emma_with(client, "Ice the heel twice a day.", emma)
    press(client, emma, "send_new")
    with Ledger.beside(project / "data") as ledger:
        went = ledger.deliveries.listed()
    day = went[0].recorded_at.astimezone().date()  # the day the ledger says they went
    shown = re.findall(r"<td><code>([0-9a-f]{8})</code></td>",
                      client.get(f"/sent?day={day.isoformat()}").text)
    assert shown == [r.version[:8] for r in went] and shown[0] != shown[1]


def test_sent_names_the_new_version_as_such_not_as_send_again(
        client: TestClient, smtp_server: Inbox, project: Path) -> None:
    emma = emma_with(client, "Ice the heel.")
    press(client, emma, "send")
    emma_with(client, "Ice the heel twice a day.", emma)
    press(client, emma, "send_new")
    with Ledger.beside(project / "data") as ledger:
        day = ledger.deliveries.listed()[0].recorded_at.astimezone().date()
    page = client.get(f"/sent?day={day.isoformat()}").text
    assert '<span class="hint">· the new version</span>' in page
    assert "Send again" not in page


def test_send_on_a_sheet_not_on_today_says_it_changed_and_sends_nothing(
        client: TestClient, smtp_server: Inbox) -> None:
    form = {"client": "Ann Lee", "email": "ann@example.com", "treatment": "plantar-fasciitis",
            "lang": "en", "date": TODAY.isoformat(), "action": "send"}
    client.post("/sheet", data={"csrf": csrf(client), **form, "notes": "Ice the heel."})
    page = client.post("/sheet", data={"csrf": csrf(client), **form,
                                       "notes": "Ice the heel twice a day."}).text
    assert "changed since it was sent, so nothing went" in page
    assert len(smtp_server.received) == 1
