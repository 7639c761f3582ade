"""output/mail.py: SMTP settings from the environment, and each message claimed in the
ledger so it is sent once."""

from __future__ import annotations

import datetime as dt
import os
from email.message import EmailMessage
from pathlib import Path

import pytest

from handouts.errors import MailError
from handouts.ledger import DeliveryState, Ledger, Parcel
from handouts.output.mail import Outgoing, SmtpSettings, Status, send_all
from tests.conftest import Inbox

BASE = {"HANDOUTS_SMTP_HOST": "mail.example.com", "HANDOUTS_SMTP_SENDER": "spa@example.com"}


def test_settings_default_to_port_587_with_starttls() -> None:
    settings = SmtpSettings.from_env(BASE)
    assert (settings.host, settings.port, settings.sender, settings.starttls) == (
        "mail.example.com", 587, "spa@example.com", True)


def test_starttls_off_is_read_in_any_case() -> None:
    assert not SmtpSettings.from_env(BASE | {"HANDOUTS_SMTP_STARTTLS": "OFF"}).starttls


def test_missing_host_and_sender_are_both_named() -> None:
    with pytest.raises(MailError) as caught:
        SmtpSettings.from_env({})
    assert str(caught.value) == ("set HANDOUTS_SMTP_HOST and HANDOUTS_SMTP_SENDER to send email "
                                 "(or use --eml DIR to write .eml files instead)")


def test_a_port_that_is_not_a_number_is_refused() -> None:
    with pytest.raises(MailError, match="HANDOUTS_SMTP_PORT must be a number, got 'smtp'"):
        SmtpSettings.from_env(BASE | {"HANDOUTS_SMTP_PORT": "smtp"})


def outgoing(address: str = "anna@example.com") -> Outgoing:
    message = EmailMessage()
    message["From"], message["To"], message["Subject"] = "spa@example.com", address, "Aftercare"
    message.set_content("Your sheet.")
    key = f"{address}|plantar-fasciitis|en|anna berg|2026-11-24"
    return Outgoing(Parcel(key, "Anna Berg", address, "plantar-fasciitis", "en",
                           dt.date(2026, 11, 24), "sheet.pdf"), "day.csv:2", message)


def test_a_recorded_delivery_is_known_to_the_next_run(tmp_path: Path,
                                                       smtp_server: Inbox) -> None:
    """Was: the send log's next opening knew the delivery; now the ledger does."""
    settings = SmtpSettings.from_env(os.environ)
    with Ledger(tmp_path / "ledger.sqlite3") as ledger:
        [first] = send_all([outgoing()], settings, ledger.deliveries)
    with Ledger(tmp_path / "ledger.sqlite3") as ledger:
        [again] = send_all([outgoing()], settings, ledger.deliveries)
    assert (first.status, again.status) == (Status.SENT, Status.ALREADY_SENT)
    assert len(smtp_server.received) == 1


def test_a_refused_recipient_is_recorded_with_why_and_tried_again(
        tmp_path: Path, smtp_server: Inbox) -> None:
    settings = SmtpSettings.from_env(os.environ)
    smtp_server.refuse.add("anna@example.com")
    with Ledger(tmp_path / "ledger.sqlite3") as ledger:
        [refused] = send_all([outgoing()], settings, ledger.deliveries)
        record = ledger.deliveries.latest(outgoing().parcel.key)
        assert record is not None and record.state is DeliveryState.FAILED
        assert record.detail == refused.detail == "refused 550: 5.1.1 mailbox unavailable"
        smtp_server.refuse.clear()
        [retried] = send_all([outgoing()], settings, ledger.deliveries)
    assert retried.status is Status.SENT and len(smtp_server.received) == 1


def test_a_delivery_another_sender_holds_is_not_sent(tmp_path: Path,
                                                     smtp_server: Inbox) -> None:
    """Was: a log in use refused a second sender outright; now each message is claimed, and
    one another process is sending is left to it (the others would still go)."""
    with Ledger(tmp_path / "ledger.sqlite3") as ledger:
        assert ledger.deliveries.claim(outgoing().parcel) is not None  # a live sender's
        [delivery] = send_all([outgoing()], SmtpSettings.from_env(os.environ),
                              ledger.deliveries)
    assert delivery.status is Status.ALREADY_SENT
    assert smtp_server.received == []


def test_send_again_sends_one_more_message_once(tmp_path: Path, smtp_server: Inbox) -> None:
    """The desk's "send again", pressed twice having seen the first delivery: one more."""
    settings = SmtpSettings.from_env(os.environ)
    with Ledger(tmp_path / "ledger.sqlite3") as ledger:
        send_all([outgoing()], settings, ledger.deliveries)
        [again] = send_all([outgoing()], settings, ledger.deliveries, again_after=0)
        [twice] = send_all([outgoing()], settings, ledger.deliveries, again_after=0)
    assert (again.status, twice.status) == (Status.SENT, Status.ALREADY_SENT)
    assert len(smtp_server.received) == 2
