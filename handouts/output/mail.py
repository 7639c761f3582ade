"""Email delivery: each client's message (composed in message.py) sent over SMTP, once.

Settings come from the environment, never from content files, and the password is never
printed. Each message is claimed in the ledger before it goes (handouts/ledger/), so a
re-run, or another process sending at the same moment, skips every sheet already out.
"""

from __future__ import annotations

import smtplib
import socket
import ssl
import threading
import time
from collections.abc import Mapping
from contextlib import suppress
from dataclasses import dataclass, field
from email.message import EmailMessage
from enum import Enum
from pathlib import Path

from handouts.errors import LedgerError, MailError
from handouts.ledger.deliveries import Deliveries, Parcel

ENV_PREFIX = "HANDOUTS_SMTP_"


#: How long one exchange with the server may take, in seconds, unless HANDOUTS_SMTP_TIMEOUT
#: says otherwise: connecting and logging in, then each message.
TIMEOUT = 60.0


@dataclass(frozen=True)
class SmtpSettings:
    host: str
    port: int
    sender: str
    user: str | None = None
    password: str | None = field(default=None, repr=False)
    starttls: bool = True
    timeout: float = TIMEOUT

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> SmtpSettings:
        """HANDOUTS_SMTP_HOST, _PORT (587), _USER, _PASSWORD, _SENDER, _STARTTLS (on),
        _TIMEOUT (60 seconds)."""
        def get(name: str) -> str | None:
            return env.get(ENV_PREFIX + name) or None

        missing = [ENV_PREFIX + n for n in ("HOST", "SENDER") if not get(n)]
        if missing:
            raise MailError(f"set {' and '.join(missing)} to send email (or use --eml DIR "
                            f"to write .eml files instead)")
        port = _number("PORT", get("PORT") or "587")
        if not 1 <= port <= 65535:  # the socket would quietly take 99999 as 34463
            raise MailError(f"{ENV_PREFIX}PORT must be a port from 1 to 65535, got "
                            f"{get('PORT')!r}")
        timeout = _number("TIMEOUT", get("TIMEOUT") or f"{TIMEOUT:g}")
        if timeout < 1:
            raise MailError(f"{ENV_PREFIX}TIMEOUT must be at least 1 (seconds), got "
                            f"{get('TIMEOUT')!r}")
        starttls = (get("STARTTLS") or "on").lower() not in ("off", "0", "no", "false")
        return cls(host=get("HOST") or "", port=port, sender=sender_from_env(env) or "",
                   user=get("USER"), password=get("PASSWORD"), starttls=starttls,
                   timeout=timeout)


def _number(name: str, value: str) -> int:
    """A whole number from HANDOUTS_SMTP_<name>, in ASCII digits (`²` is a digit to Python,
    not to a socket)."""
    if not (value.isascii() and value.isdigit()):
        raise MailError(f"{ENV_PREFIX}{name} must be a number, got {value!r}")
    return int(value)


def sender_from_env(env: Mapping[str, str]) -> str | None:
    """HANDOUTS_SMTP_SENDER when set, checked to be one address: a line break in it would
    write headers of its own into every message."""
    from pydantic import TypeAdapter, ValidationError

    from handouts.content.models import EmailAddress

    value = env.get(ENV_PREFIX + "SENDER") or None
    if value is None:
        return None
    try:
        return TypeAdapter(EmailAddress).validate_python(value)
    except ValidationError:
        raise MailError(f"{ENV_PREFIX}SENDER must be one email address (no spaces or line "
                        f"breaks), got {value!r}; nothing was sent") from None


@dataclass(frozen=True)
class Outgoing:
    parcel: Parcel  # what the ledger records: recipient and sheet
    label: str  # how reports name it, e.g. "appointments.csv:3"
    message: EmailMessage

    @property
    def filename(self) -> str:
        """The attached sheet's file name."""
        return self.parcel.filename


class Status(str, Enum):
    """What became of one message (its value is how reports say it)."""

    SENT = "sent"
    ALREADY_SENT = "already sent"
    FAILED = "failed"

    def __str__(self) -> str:
        return self.value


@dataclass(frozen=True)
class Delivery:
    outgoing: Outgoing
    status: Status
    detail: str = ""  # why it failed


def send_all(outgoing: list[Outgoing], settings: SmtpSettings, deliveries: Deliveries,
             again_after: int | None = None) -> list[Delivery]:
    """Send what the ledger has not delivered, over one connection, each message claimed in
    the ledger first (another process sending at the same time sends the others); a refused
    recipient, or one the server cannot take, fails alone. Connecting and logging in, then
    each message, must each finish within `settings.timeout`.

    `again_after` is "send again" (the desk's button): the round the staff member saw; the
    next one is sent, once, however many press it at the same moment.
    """
    results: list[Delivery] = []
    pending: list[Outgoing] = []
    for item in outgoing:
        if again_after is None and deliveries.delivered(item.parcel):
            results.append(Delivery(item, Status.ALREADY_SENT))
        else:
            pending.append(item)
    if not pending:
        return results
    smtp = smtplib.SMTP(timeout=settings.timeout)
    where = f"{settings.host}:{settings.port}"
    deadline = _Deadline(smtp, settings.timeout)
    try:
        with deadline:
            try:
                smtp.connect(settings.host, settings.port)
            except OSError as exc:
                if deadline.passed:
                    raise
                raise MailError(f"cannot reach SMTP server {where}: {exc.strerror or exc}") \
                    from None
            if settings.starttls:
                smtp.ehlo_or_helo_if_needed()
                if not smtp.has_extn("starttls"):
                    raise MailError(f"the SMTP server {where} offers no STARTTLS: set "
                                    f"{ENV_PREFIX}STARTTLS=off only if it is a local relay; "
                                    f"nothing was sent")
                smtp.starttls(context=ssl.create_default_context())
            if settings.user:
                smtp.ehlo_or_helo_if_needed()
                if not smtp.has_extn("auth"):
                    raise MailError(f"the SMTP server {where} takes no login (no AUTH): for "
                                    f"a server that needs none, unset {ENV_PREFIX}USER and "
                                    f"{ENV_PREFIX}PASSWORD; nothing was sent")
                smtp.login(settings.user, settings.password or "")
        for item in pending:
            with deadline:
                results.append(_claim_and_send(smtp, item, settings.sender, deliveries,
                                               again_after))
    except smtplib.SMTPAuthenticationError:
        raise MailError(f"the SMTP server refused the login for user {settings.user!r}") \
            from None
    except (smtplib.SMTPException, OSError) as exc:
        if deadline.passed:
            raise MailError(f"the SMTP server {where} did not finish an exchange within "
                            f"{settings.timeout:g} s ({ENV_PREFIX}TIMEOUT), so it was given "
                            f"up on; what was not sent is sent by the next run") from None
        raise MailError(f"SMTP error with {where}: {exc}") from None
    finally:
        try:
            with _Deadline(smtp, settings.timeout):
                smtp.quit()
        except (smtplib.SMTPException, OSError):
            smtp.close()
    return results


def _claim_and_send(smtp: smtplib.SMTP, item: Outgoing, sender: str,
                    deliveries: Deliveries, again_after: int | None) -> Delivery:
    """One message, claimed in the ledger first: sent and recorded, or failed alone and
    recorded with why (the connection stays usable); claimed by another sender meanwhile,
    it is theirs. Cut short (the server gone), the claim is marked failed, so a later run,
    or the desk that stays open, may send it again."""
    claim = deliveries.claim(item.parcel, again_after)
    if claim is None:
        return Delivery(item, Status.ALREADY_SENT)
    try:
        failed = _send(smtp, item, sender)
    except BaseException as exc:
        with suppress(LedgerError):  # the error being raised says more
            deliveries.mark_failed(claim, f"interrupted while sending ({type(exc).__name__})")
        raise
    if failed:
        deliveries.mark_failed(claim, failed)
        return Delivery(item, Status.FAILED, failed)
    try:
        deliveries.mark_sent(claim)
    except LedgerError as exc:
        raise MailError(f"sent to {item.parcel.address}, but could not record it: {exc}") \
            from None
    return Delivery(item, Status.SENT)


def _send(smtp: smtplib.SMTP, item: Outgoing, sender: str) -> str:
    """One message sent (""), or why the server would not take it."""
    try:
        smtp.send_message(item.message, from_addr=sender)
    except smtplib.SMTPNotSupportedError:  # raised before a word is sent: nothing to reset
        return ("the mail server cannot take an address with non-ASCII characters (it lacks "
                "SMTPUTF8); check the address or send this one by hand")
    except smtplib.SMTPRecipientsRefused as exc:
        code, reason = next(iter(exc.recipients.values()))
        smtp.rset()
        return f"refused {code}: {_text(reason)}"
    except (smtplib.SMTPDataError, smtplib.SMTPSenderRefused) as exc:
        smtp.rset()
        return f"refused {exc.smtp_code}: {_text(exc.smtp_error)}"
    return ""


class _Deadline:
    """Cuts the connection when one exchange with the server runs past `seconds`.

    A read timeout alone is not enough: a server may answer every read in time and never
    finish (a tarpit sending `220-` lines for ever). Reusable: each `with` is one exchange.
    The watcher sleeps in short steps and reads the clock itself rather than waiting on a
    timed lock (threading.Timer): a timed wait is measured on a clock that tools such as
    libfaketime shift apart from time.monotonic(), and then never ends.
    """

    def __init__(self, smtp: smtplib.SMTP, seconds: float) -> None:
        self.smtp = smtp
        self.seconds = seconds
        self.passed = False
        self._over = threading.Event()  # this exchange ended: cut nothing more

    def __enter__(self) -> None:
        self._over = threading.Event()  # a new one: the last exchange's watcher keeps its own
        ends = time.monotonic() + self.seconds
        threading.Thread(target=self._watch, args=(self._over, ends), daemon=True).start()

    def __exit__(self, *_: object) -> None:
        self._over.set()

    def _watch(self, over: threading.Event, ends: float) -> None:
        while not over.is_set():
            if time.monotonic() >= ends and self._cut():
                return
            time.sleep(0.05)

    def _cut(self) -> bool:
        """End the blocked read; False while there is no socket yet (still connecting,
        bounded by the read timeout): look again at the next step."""
        self.passed = True
        sock = self.smtp.sock
        if sock is None:
            return False
        try:  # the plain socket's shutdown, under TLS too: the blocked read ends at once
            socket.socket.shutdown(sock, socket.SHUT_RDWR)
        except OSError:
            pass
        return True


def _text(reason: bytes | str) -> str:
    return reason.decode("utf-8", "replace") if isinstance(reason, bytes) else reason


def write_eml(folder: Path, filename: str, message: EmailMessage) -> Path:
    """The message as a .eml file a mail client opens, for a look before anything is sent."""
    from handouts.output.write import write_atomic

    target = folder / filename
    write_atomic(target, message.as_bytes(), private=True)
    return target
