"""What keeps clients' health notes on the desk: the staff passcode (an scrypt hash kept
outside data/), a sign-in that slows down guessing, CSRF tokens on every form, a cap on what
a request may send, and the headers every answer carries."""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import os
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from starlette.datastructures import FormData
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from handouts.errors import HandoutsError, OutputError
from handouts.output.write import write_atomic

#: scrypt's cost: about 50 ms a guess here, and 16 MB of memory per guess for an attacker.
SCRYPT = {"n": 2**14, "r": 8, "p": 1}
SHORTEST_PASSCODE = 8
#: Wrong passcodes allowed before each further try must wait; the wait doubles with each.
FREE_TRIES = 5
#: Wrong tries from all addresses together before everyone waits.
ALL_FREE_TRIES = 50
#: Addresses whose wrong tries are remembered (the oldest forgotten past this).
MAX_ADDRESSES = 4096
FIRST_WAIT_S = 30.0
LONGEST_WAIT_S = 15 * 60.0
#: The most a request may send: an appointments CSV of the row cap is well under this.
MAX_BODY_BYTES = 2 * 1024 * 1024
CSRF_FIELD = "csrf"

#: No inline script or style, nothing from elsewhere, never inside another site's frame.
CSP = ("default-src 'none'; script-src 'self'; connect-src 'self'; style-src 'self'; "
       "img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'")
HEADERS = {
    "content-security-policy": CSP,
    "x-content-type-options": "nosniff",
    "x-frame-options": "DENY",
    "referrer-policy": "no-referrer",
    "cross-origin-opener-policy": "same-origin",
}


def passcode_file(data_dir: Path) -> Path:
    """Where the staff passcode's hash lives: beside the ledger, never in data/ (data/ is
    shared, copied and committed; the hash is not)."""
    from handouts.ledger import ledger_path

    return ledger_path(data_dir).parent / "desk-passcode"


def set_passcode(data_dir: Path, passcode: str) -> Path:
    """Store `passcode` as a salted scrypt hash, readable by this user only."""
    if len(passcode) < SHORTEST_PASSCODE:
        raise HandoutsError(f"the passcode is too short: use at least {SHORTEST_PASSCODE} "
                            "characters (a short phrase is easy to remember)")
    salt = secrets.token_bytes(16)
    digest = hashlib.scrypt(passcode.encode(), salt=salt, **SCRYPT)
    target = passcode_file(data_dir)
    try:
        target.parent.mkdir(mode=0o700, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"{target.parent}: cannot create the folder for the passcode "
                          f"({exc.strerror})") from None
    write_atomic(target, f"scrypt:{salt.hex()}:{digest.hex()}\n".encode(), private=True)
    return target


def stored_hash(data_dir: Path) -> str | None:
    """The passcode's stored hash, or None when no passcode is set."""
    try:
        return passcode_file(data_dir).read_text(encoding="ascii").strip() or None
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError) as exc:
        raise HandoutsError(f"{passcode_file(data_dir)}: cannot read the passcode file "
                            f"({exc}); set it again with handouts desk --set-passcode") from None


def passcode_matches(stored: str, given: str) -> bool:
    try:
        scheme, salt, digest = stored.split(":")
        expected = bytes.fromhex(digest)
        tried = hashlib.scrypt(given.encode(), salt=bytes.fromhex(salt), **SCRYPT)
    except ValueError:
        return False
    return scheme == "scrypt" and hmac.compare_digest(tried, expected)


def is_loopback(host: str) -> bool:
    """Whether binding `host` keeps the desk on this computer only."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def names_this_computer(hostname: str) -> bool:
    """Whether a request's Host names this computer itself (localhost or a loopback
    address), not a name someone else's page may point here."""
    return hostname.lower().rstrip(".") == "localhost" or is_loopback(hostname.strip("[]"))


@dataclass
class _Count:
    wrong: int = 0
    locked_until: float = 0.0


@dataclass
class Throttle:
    """Wrong passcodes, counted per address (after FREE_TRIES from one address, its every
    further try waits, longer each time) and for the whole desk (after ALL_FREE_TRIES from
    any mix of addresses, a guesser changing address, everyone waits); a right passcode
    resets its address's count and the desk's."""

    clock: Callable[[], float] = time.monotonic
    counts: dict[str, _Count] = field(default_factory=dict)
    desk: _Count = field(default_factory=_Count)

    def wait_s(self, address: str = "") -> int:
        """Seconds before another try from `address` is heard (0: now)."""
        mine = self.counts.get(address, _Count())
        until = max(mine.locked_until, self.desk.locked_until)
        return max(0, int(until - self.clock() + 0.999))

    def failed(self, address: str = "") -> None:
        if address not in self.counts and len(self.counts) >= MAX_ADDRESSES:
            self.counts.pop(next(iter(self.counts)))  # the longest-known address goes
        for count, free in ((self.counts.setdefault(address, _Count()), FREE_TRIES),
                            (self.desk, ALL_FREE_TRIES)):
            count.wrong += 1
            if count.wrong >= free:
                wait = min(LONGEST_WAIT_S, FIRST_WAIT_S * 2 ** (count.wrong - free))
                count.locked_until = self.clock() + wait

    def succeeded(self, address: str = "") -> None:
        self.counts.pop(address, None)
        self.desk = _Count()


@dataclass
class Guard:
    """The desk's sign-in: whether a passcode is needed, and the throttle on guesses."""

    passcode_hash: str | None
    throttle: Throttle = field(default_factory=Throttle)

    @property
    def needs_signin(self) -> bool:
        return self.passcode_hash is not None

    def signed_in(self, request: Request) -> bool:
        return not self.needs_signin or bool(request.session.get("staff"))


def csrf_token(request: Request) -> str:
    """This session's CSRF token, made on first use."""
    token = request.session.get(CSRF_FIELD)
    if not isinstance(token, str):
        token = secrets.token_urlsafe(32)
        request.session[CSRF_FIELD] = token
    return token


async def checked_form(request: Request, files: int = 0, fields: int = 40) -> FormData:
    """The POSTed form, once its CSRF token matches the session's; 403 otherwise. Only a
    form that takes `files` may send any (the caller closes them); a form of more than
    `fields` fields is refused (a client's sheet has a row of inputs per exercise)."""
    form = await request.form(max_files=files, max_fields=fields,
                              max_part_size=MAX_BODY_BYTES)
    given = form.get(CSRF_FIELD)
    expected = request.session.get(CSRF_FIELD)
    if not (isinstance(given, str) and isinstance(expected, str)
            and hmac.compare_digest(given.encode(), expected.encode())):
        await form.close()
        raise HTTPException(403, "This form has expired: reload the page and try again.")
    return form


class Hardened:
    """ASGI middleware: every answer gets the security headers (and no-store: pages carry
    clients' details); a request body larger than MAX_BODY_BYTES is refused with 413."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope["headers"]).get(b"content-length", b"0")
        if not declared.isdigit() or int(declared) > MAX_BODY_BYTES:
            await _refuse(send, 413, "That file is too large for the desk.")
            return
        received = 0

        async def counted() -> Message:
            nonlocal received
            message = await receive()
            received += len(message.get("body", b""))
            if received > MAX_BODY_BYTES:
                raise HTTPException(413, "That file is too large for the desk.")
            return message

        async def headed(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = [(k, v) for k, v in message.get("headers", [])
                           if k.lower() != b"cache-control"]
                headers += [(k.encode(), v.encode()) for k, v in HEADERS.items()]
                static = scope["path"].startswith("/static/")
                headers.append((b"cache-control", b"max-age=3600" if static else b"no-store"))
                if scope.get("scheme") == "https":  # behind TLS: the cookie never leaves it
                    headers = [(k, v + b"; secure" if k.lower() == b"set-cookie"
                                and b"secure" not in v.lower() else v) for k, v in headers]
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, counted, headed)


async def _refuse(send: Send, status: int, text: str) -> None:
    body = text.encode()
    await send({"type": "http.response.start", "status": status, "headers": [
        (b"content-type", b"text/plain; charset=utf-8"),
        (b"content-length", str(len(body)).encode()),
        *((k.encode(), v.encode()) for k, v in HEADERS.items()),
        (b"cache-control", b"no-store")]})
    await send({"type": "http.response.body", "body": body})


def session_secret() -> str:
    """A fresh key each time the desk starts: restarting it signs everyone out."""
    return os.urandom(32).hex()
