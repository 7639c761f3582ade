"""Content: every document (a picture of its first page) and its languages (complete, may be
out of date, missing), and
`validate`'s problems as file:line:col, checked again on its own after a file is saved."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route

from handouts.catalogue.checks import check_job, job_for
from handouts.catalogue.document import render_job
from handouts.catalogue.overview import Overview, overview
from handouts.content.cache import learnt
from handouts.content.load import Found
from handouts.desk.app import DRAWING, Desk, desk_of
from handouts.errors import HandoutsError
from handouts.output.preview import page_pngs
from handouts.render.kinds import Kind


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


THUMBNAIL_DPI = 24


def first_page(found: Found, slug: str, kind: str, lang: str) -> bytes:
    """A document's first page as a small PNG (its general version: no client in it),
    drawn once for the content as it is (kept with the library's learnt answers); raises
    HandoutsError when it cannot be made."""
    answers = learnt(found)
    key = ("first page", slug, kind, lang)
    if key not in answers:
        job = job_for(found, slug, Kind(kind), lang)
        pdf = render_job(check_job(found, job), job)
        answers[key] = page_pngs(pdf, THUMBNAIL_DPI)[0]
    return bytes(answers[key])


async def picture(request: Request) -> Response:
    """The first page of one document, for the catalogue's list (ids only in the address)."""
    desk = desk_of(request)
    kind = request.path_params["kind"]
    if kind not in {k.value for k in Kind}:
        raise HTTPException(404)
    try:
        png = await desk.work(first_page, desk.library(), request.path_params["treatment"],
                              kind, request.path_params["lang"])
    except HandoutsError:
        raise HTTPException(404) from None
    return Response(png, media_type="image/png", headers={"cache-control": "no-cache"})


ROUTES = [Route("/content", show, methods=["GET"]),
          Route("/content/page/{treatment}/{kind}/{lang}.png", picture, methods=["GET"]),
          Route("/content/stamp", stamp, methods=["GET"])]
