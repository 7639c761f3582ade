"""Send and Send again from the desk: the message `handouts email` sends, delivered once
through the ledger (an aiosmtpd server on loopback receives it)."""

from __future__ import annotations

import re
import threading
from pathlib import Path

from starlette.testclient import TestClient

from handouts.desk.app import create_app
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
    other = create_app(project / "data", project / "fonts", today=lambda: TODAY)
    with TestClient(other, base_url="http://127.0.0.1") as second:
        start = threading.Barrier(2)

        def go(desk: TestClient) -> None:
            token = csrf(desk, "/today")
            start.wait()
            desk.post(f"/sheet/{emma}", data={"csrf": token, "action": "send"})

        threads = [threading.Thread(target=go, args=(d,)) for d in (client, second)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=120)
    assert len(smtp_server.received) == 1


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
