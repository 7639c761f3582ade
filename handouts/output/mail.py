"""Email delivery: each client's message (composed in message.py) sent over SMTP, logged once.

Settings come from the environment, never from content files, and the password is never
printed. The send log lets a re-run skip every sheet that already went out.
"""

from __future__ import annotations

import json
import os
import smtplib
import ssl
from collections.abc import Mapping
from dataclasses import dataclass, field
from email.message import EmailMessage
from enum import Enum
from pathlib import Path

from handouts.errors import MailError
from handouts.output.write import open_private

ENV_PREFIX = "HANDOUTS_SMTP_"


@dataclass(frozen=True)
class SmtpSettings:
    host: str
    port: int
    sender: str
    user: str | None = None
    password: str | None = field(default=None, repr=False)
    starttls: bool = True

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> SmtpSettings:
        """HANDOUTS_SMTP_HOST, _PORT (587), _USER, _PASSWORD, _SENDER, _STARTTLS (on)."""
        def get(name: str) -> str | None:
            return env.get(ENV_PREFIX + name) or None

        missing = [ENV_PREFIX + n for n in ("HOST", "SENDER") if not get(n)]
        if missing:
            raise MailError(f"set {' and '.join(missing)} to send email (or use --eml DIR "
                            f"to write .eml files instead)")
        port = get("PORT") or "587"
        if not port.isdigit():
            raise MailError(f"{ENV_PREFIX}PORT must be a number, got {port!r}")
        starttls = (get("STARTTLS") or "on").lower() not in ("off", "0", "no", "false")
        return cls(host=get("HOST") or "", port=int(port), sender=get("SENDER") or "",
                   user=get("USER"), password=get("PASSWORD"), starttls=starttls)


class SendLog:
    """Which sheets have gone to whom: one JSON line per delivered message, appended.

    Opening it proves it can be written and takes an exclusive lock, before any message
    goes: a log that cannot record a delivery would make every retry send it again, and a
    second `handouts email` on the same log would send what this one is sending. The lock
    is held until `close` (or the process ends).
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self.sent: set[str] = set()
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            self._handle = open(path, "a+", encoding="utf-8", opener=open_private)
        except OSError as exc:
            raise MailError(f"{path}: cannot write the send log ({exc.strerror}); nothing "
                            f"was sent") from None
        try:
            _lock(self._handle.fileno())
            self._handle.seek(0)
            text = self._handle.read()
            if text and not text.endswith("\n"):
                self._write("\n")  # a line cut short by a crash stays on its own line
        except BlockingIOError:
            self.close()
            raise MailError(f"{path}: another `handouts email` is sending with this send "
                            f"log; nothing was sent (run again when it has finished)") \
                from None
        except UnicodeDecodeError as exc:
            self.close()
            raise MailError(f"{path}: cannot read the send log: {exc}") from None
        except OSError as exc:
            self.close()
            raise MailError(f"{path}: cannot use the send log ({exc.strerror}); nothing "
                            f"was sent") from None
        for line in text.splitlines():
            try:
                self.sent.add(json.loads(line)["key"])
            except (ValueError, KeyError, TypeError):
                continue

    def _write(self, text: str) -> None:
        self._handle.write(text)
        self._handle.flush()
        os.fsync(self._handle.fileno())

    def record(self, key: str, to: str) -> None:
        """Remember a delivery; durable before the next message goes."""
        try:
            self._write(json.dumps({"key": key, "to": to}, ensure_ascii=False) + "\n")
        except OSError as exc:
            raise MailError(f"{self.path}: sent to {to}, but could not record it in the send "
                            f"log ({exc.strerror}); stopped so nothing is sent twice") from None
        self.sent.add(key)

    def close(self) -> None:
        """Release the lock; the log can no longer record."""
        self._handle.close()

    def __enter__(self) -> SendLog:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()


def _lock(fd: int) -> None:
    """An exclusive lock on the open file, or BlockingIOError if another process holds it."""
    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows has no flock; the log is still proven
        return
    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)


@dataclass(frozen=True)
class Outgoing:
    key: str  # what the log remembers: recipient and sheet
    label: str  # how reports name it, e.g. "appointments.csv:3"
    filename: str  # the attached sheet's file name
    message: EmailMessage


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


def send_all(outgoing: list[Outgoing], settings: SmtpSettings, log: SendLog) -> list[Delivery]:
    """Send what the log has not seen, over one connection; a refused recipient fails alone."""
    pending = [o for o in outgoing if o.key not in log.sent]
    results = [Delivery(o, Status.ALREADY_SENT) for o in outgoing if o.key in log.sent]
    if not pending:
        return results
    try:
        smtp = smtplib.SMTP(settings.host, settings.port, timeout=30)
    except OSError as exc:
        raise MailError(f"cannot reach SMTP server {settings.host}:{settings.port}: "
                        f"{exc.strerror or exc}") from None
    try:
        if settings.starttls:
            smtp.starttls(context=ssl.create_default_context())
        if settings.user:
            smtp.login(settings.user, settings.password or "")
        for item in pending:
            try:
                smtp.send_message(item.message, from_addr=settings.sender)
            except smtplib.SMTPRecipientsRefused as exc:
                code, reason = next(iter(exc.recipients.values()))
                results.append(Delivery(item, Status.FAILED, f"refused {code}: {_text(reason)}"))
                smtp.rset()
                continue
            except (smtplib.SMTPDataError, smtplib.SMTPSenderRefused) as exc:
                results.append(Delivery(item, Status.FAILED,
                                        f"refused {exc.smtp_code}: {_text(exc.smtp_error)}"))
                smtp.rset()
                continue
            log.record(item.key, str(item.message["To"]))
            results.append(Delivery(item, Status.SENT))
    except smtplib.SMTPAuthenticationError:
        raise MailError(f"the SMTP server refused the login for user {settings.user!r}") \
            from None
    except (smtplib.SMTPException, OSError) as exc:
        raise MailError(f"SMTP error with {settings.host}:{settings.port}: {exc}") from None
    finally:
        try:
            smtp.quit()
        except (smtplib.SMTPException, OSError):
            smtp.close()
    return results


def _text(reason: bytes | str) -> str:
    return reason.decode("utf-8", "replace") if isinstance(reason, bytes) else reason


def write_eml(folder: Path, filename: str, message: EmailMessage) -> Path:
    """The message as a .eml file a mail client opens, for a look before anything is sent."""
    from handouts.output.write import write_atomic

    target = folder / filename
    write_atomic(target, message.as_bytes(), private=True)
    return target
