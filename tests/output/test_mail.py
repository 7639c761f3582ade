"""output/mail.py: SMTP settings from the environment, and the send log that sends once."""

from __future__ import annotations

from pathlib import Path

import pytest

from handouts.errors import MailError
from handouts.output.mail import SendLog, SmtpSettings

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


def test_a_recorded_delivery_is_known_to_the_next_log(tmp_path: Path) -> None:
    with SendLog(tmp_path / "sent.jsonl") as log:
        log.record("anna@example.com|sheet.pdf", "anna@example.com")
    with SendLog(tmp_path / "sent.jsonl") as again:
        assert again.sent == {"anna@example.com|sheet.pdf"}


def test_a_damaged_log_line_is_skipped_not_fatal(tmp_path: Path) -> None:
    path = tmp_path / "sent.jsonl"
    path.write_text('{"key": "a|1.pdf", "to": "a"}\nnot json\n{"to": "b"}\n', encoding="utf-8")
    with SendLog(path) as log:
        assert log.sent == {"a|1.pdf"}


def test_a_log_in_use_refuses_a_second_sender(tmp_path: Path) -> None:
    with SendLog(tmp_path / "sent.jsonl"), pytest.raises(MailError, match="another"):
        SendLog(tmp_path / "sent.jsonl")
