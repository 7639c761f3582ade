"""Content: every document and its languages (complete, may be out of date, missing), and
`validate`'s problems as file:line:col, checked again on its own after a file is saved."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field

from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route

from handouts.catalogue.overview import Overview, overview
from handouts.desk.app import DRAWING, Desk, desk_of
from handouts.errors import HandoutsError


@dataclass
class Checking:
    """The last check of the content and the files it saw; a new one runs in the background
    when a file changed (validate lays every document out: seconds, not milliseconds)."""

    seen: object = None
    result: Overview | HandoutsError | None = None
    running: bool = False
    lock: threading.Lock = field(default_factory=threading.Lock)

    def stamp(self, desk: Desk) -> str:
        """What the page shows, in a word: it changes when a check starts or ends."""
        result, current = self.latest(desk)
        return f"{id(result)}-{int(current)}"

    def latest(self, desk: Desk) -> tuple[Overview | HandoutsError | None, bool]:
        """The last result, and whether it is of the files as they are now; starts a check
        when they changed."""
        now = desk.fingerprint()
        with self.lock:
            current = self.seen == now and self.result is not None
            if not current and not self.running:
                self.running = True
                threading.Thread(target=self._check, args=(desk, now), daemon=True).start()
            return self.result, current

    def _check(self, desk: Desk, seen: object) -> None:
        result: Overview | HandoutsError
        try:
            with DRAWING:  # validate lays documents out: not beside a preview being drawn
                result = overview(desk.data_dir, desk.fonts_dir)
        except HandoutsError as exc:
            result = exc
        with self.lock:
            self.seen, self.result, self.running = seen, result, False


def checking(request: Request) -> Checking:
    state = request.app.state
    if not hasattr(state, "checking"):
        state.checking = Checking()
    found: Checking = state.checking
    return found


async def show(request: Request) -> Response:
    check = checking(request)
    result, current = check.latest(desk_of(request))
    return desk_of(request).page(
        request, "content.html.j2", overview=result if isinstance(result, Overview) else None,
        failure=str(result) if isinstance(result, HandoutsError) else "",
        current=current, stamp=check.stamp(desk_of(request)))


async def stamp(request: Request) -> Response:
    """The page's stamp now: static/follow.js reloads the page when it changes."""
    return PlainTextResponse(checking(request).stamp(desk_of(request)))


ROUTES = [Route("/content", show, methods=["GET"]),
          Route("/content/stamp", stamp, methods=["GET"])]
