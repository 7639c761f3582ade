"""The desk's one Starlette app: its pages, the content it reads, and the guard in front.

`create_app(data_dir)` makes it; `handouts desk` serves it with uvicorn and the tests call
it in-process. Every page is a module beside this one; none renders, mails or reads
content itself: they call the catalogue, as the command line does.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from jinja2 import Environment
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.middleware import Middleware
from starlette.middleware.sessions import SessionMiddleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, PlainTextResponse, RedirectResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.types import ASGIApp, Receive, Scope, Send

from handouts.content.cache import cached_library, store_learnt
from handouts.content.digests import RACY_SECONDS
from handouts.content.load import SOURCE_LANGUAGE, Found, fonts_folder
from handouts.content.models import Labels
from handouts.desk import security
from handouts.desk.words import desk_words, staff_language, therapists
from handouts.errors import HandoutsError
from handouts.output.jinja import environment
from handouts.render.localise import format_clock, format_date

T = TypeVar("T")
#: Content files as last seen: path, modification time, size, change time, inode, and the
#: bytes' digest of a file changed within RACY_SECONDS (empty otherwise).
Seen = tuple[tuple[str, int, int, int, int, bytes], ...]
HERE = Path(__file__).parent
#: Held while drawing: ReportLab's fonts and caches are the process's, not a thread's.
DRAWING = threading.Lock()
#: Seconds between two stores of what the desk worked out from the content (which size
#: fits a sheet, the notes' room, QR codes, pictures) with the content cache: each store
#: rewrites the cache file, and a served desk ends without a word (Ctrl+C, SIGTERM).
STORE_EVERY = 60.0
#: The pages in the menu: address, word.
MENU = (("/today", "today"), ("/sheet", "sheet"), ("/sent", "sent"), ("/flyers", "flyers"),
        ("/content", "content"))


@dataclass(frozen=True)
class Shown:
    """Dates and times as the staff's language writes them (CLDR, as the documents do);
    ISO without labels."""

    labels: Labels | None

    def date(self, day: dt.date) -> str:
        return format_date(day, self.labels) if self.labels else day.isoformat()

    def time(self, moment: dt.datetime | dt.time) -> str:
        """A time of day; a stored moment at the desk's own clock."""
        local = moment.astimezone() if isinstance(moment, dt.datetime) else moment
        return format_clock(local, self.labels) if self.labels else local.strftime("%H:%M")


@dataclass
class Desk:
    """What every page shares: the content (reloaded when a file under data/ or the fonts
    changes), the desk's words, its templates and its guard."""

    data_dir: Path
    fonts_dir: Path | None
    guard: security.Guard
    today: Callable[[], dt.date] = dt.date.today
    templates: Environment = field(default_factory=lambda: environment(package="handouts.desk"))
    _found: tuple[Seen, Found] | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock)
    #: The followed booking export as last read: its digest, and its problems then.
    followed: tuple[str, list[str]] | None = None
    _stored_at: float | None = None  # when what it learnt was last stored (monotonic)

    def library(self) -> Found:
        """The content as it is on disk now; loaded again only when a file changed, from
        the content cache the command line shares when its bytes were seen before (with
        the layouts, QR codes and pictures already worked out from it)."""
        seen = self.fingerprint()
        with self._lock:
            if self._found is None or self._found[0] != seen:
                self._found = (seen, cached_library(self.data_dir, self.fonts_dir))
            return self._found[1]

    def fingerprint(self) -> Seen:
        """Every file under data/ and the fonts as it is now. Times and sizes alone miss an
        edit that keeps both (`cp -p`, `rsync -a`, two saves within a clock tick), so the
        inode and change time (which no copy can set) are in it too, and a file changed
        within the last RACY_SECONDS is known by its bytes (as git does with its index)."""
        folders = (self.data_dir, fonts_folder(self.data_dir, self.fonts_dir))
        now = time.time_ns()
        stats = []
        for folder in folders:
            for path in sorted(folder.rglob("*")) if folder.is_dir() else ():
                try:
                    stat = path.stat()
                    racy = path.is_file() and now - max(stat.st_mtime_ns, stat.st_ctime_ns) \
                        < RACY_SECONDS * 1_000_000_000
                    digest = hashlib.sha256(path.read_bytes()).digest() if racy else b""
                except OSError:
                    continue
                stats.append((str(path), stat.st_mtime_ns, stat.st_size, stat.st_ctime_ns,
                              stat.st_ino, digest))
        return tuple(stats)

    async def work(self, call: Callable[..., T], *args: Any) -> T:
        """`call(*args)` off the event loop (pages stay responsive while a sheet is drawn),
        one at a time (ReportLab's font registry is shared)."""
        def alone() -> T:
            with DRAWING:
                done = call(*args)
                now = time.monotonic()
                if self._stored_at is None or now - self._stored_at >= STORE_EVERY:
                    self._stored_at = now
                    store_learnt()
                return done

        return await run_in_threadpool(alone)

    def words(self) -> dict[str, str]:
        return desk_words(self.data_dir, staff_language(self.data_dir))

    def shown(self) -> Shown:
        """How the staff's language writes dates and times (staff.yaml and the labels read
        now, once for a whole page)."""
        found = self.library()
        return Shown(found.labels.get(staff_language(self.data_dir))
                     or found.labels.get(SOURCE_LANGUAGE))

    def therapists(self) -> list[str]:
        return therapists(self.data_dir)

    def page(self, request: Request, template: str, status: int = 200,
             **context: Any) -> HTMLResponse:
        """A page in the desk's frame: its words, this session's CSRF token, the menu."""
        shown = self.shown()
        html = self.templates.get_template(template).render(
            t=self.words(), csrf=security.csrf_token(request), path=request.url.path, menu=MENU,
            signed_in=self.guard.needs_signin and self.guard.signed_in(request),
            date_shown=shown.date, time_shown=shown.time, **context)
        return HTMLResponse(html, status_code=status)


def desk_of(request: Request) -> Desk:
    desk: Desk = request.app.state.desk
    return desk


class SignedIn:
    """ASGI middleware: with a passcode set, every page but sign-in and the style sheet
    first asks for it; without one, only requests addressed to this computer's own name
    are answered."""

    OPEN = ("/signin", "/static/")

    def __init__(self, app: ASGIApp, guard: security.Guard) -> None:
        self.app, self.guard = app, guard

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and not self.guard.needs_signin \
                and not security.names_this_computer(Request(scope).url.hostname or ""):
            # without a passcode the desk is this computer's alone: a page elsewhere whose
            # name was pointed at 127.0.0.1 (DNS rebinding) must not read it
            await PlainTextResponse("This desk answers at 127.0.0.1 or localhost only.",
                                    status_code=421)(scope, receive, send)
            return
        if scope["type"] == "http" and not scope["path"].startswith(self.OPEN):
            if not self.guard.signed_in(Request(scope)):
                await RedirectResponse("/signin", status_code=303)(scope, receive, send)
                return
        await self.app(scope, receive, send)


def create_app(data_dir: Path, fonts_dir: Path | None = None,
               today: Callable[[], dt.date] = dt.date.today,
               throttle: security.Throttle | None = None) -> Starlette:
    """The desk for the content in `data_dir`; staff sign in when a passcode is set."""
    from handouts.desk import content, flyers, forget, picker, sent, sheet, signin
    from handouts.desk import today as today_page

    guard = security.Guard(security.stored_hash(data_dir), throttle or security.Throttle())
    routes = [
        Route("/", lambda request: RedirectResponse("/today", status_code=303)),
        *signin.ROUTES, *today_page.ROUTES, *sheet.ROUTES, *picker.ROUTES, *sent.ROUTES,
        *flyers.ROUTES, *content.ROUTES, *forget.ROUTES,
        Mount("/static", StaticFiles(directory=HERE / "static"), name="static"),
    ]
    app = Starlette(routes=routes, middleware=[
        Middleware(security.Hardened),
        Middleware(SessionMiddleware, secret_key=security.session_secret(),
                   session_cookie="desk", max_age=12 * 3600, same_site="strict"),
        Middleware(SignedIn, guard=guard),
    ], exception_handlers={404: _not_found, HandoutsError: _trouble})
    app.state.desk = Desk(data_dir, fonts_dir, guard, today)
    return app


async def _not_found(request: Request, exc: Exception) -> Response:
    return desk_of(request).page(request, "missing.html.j2", status=404)


async def _trouble(request: Request, exc: Exception) -> Response:
    """What stops a page (the ledger unusable, a file that cannot be written), in words,
    not a traceback."""
    return desk_of(request).page(request, "trouble.html.j2", status=503, message=str(exc))
