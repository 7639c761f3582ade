"""Sign in with the staff passcode (only asked when one is set), and sign out."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from handouts.desk.app import desk_of
from handouts.desk.security import checked_form, passcode_matches


async def show(request: Request) -> Response:
    return desk_of(request).page(request, "signin.html.j2", problem="")


async def sign_in(request: Request) -> Response:
    desk = desk_of(request)
    form = await checked_form(request)
    guard = desk.guard
    if guard.passcode_hash is None:
        return RedirectResponse("/", status_code=303)
    words = desk.words()
    address = request.client.host if request.client else ""
    wait = guard.throttle.wait_s(address)
    if wait:
        return desk.page(request, "signin.html.j2", status=429,
                         problem=words["signin_wait"].format(seconds=wait))
    if not passcode_matches(guard.passcode_hash, str(form.get("passcode", ""))):
        guard.throttle.failed(address)
        return desk.page(request, "signin.html.j2", status=401, problem=words["signin_wrong"])
    guard.throttle.succeeded(address)
    request.session.clear()  # a fresh session (and CSRF token) once signed in
    request.session["staff"] = True
    return RedirectResponse("/", status_code=303)


async def sign_out(request: Request) -> Response:
    await checked_form(request)
    request.session.clear()
    return RedirectResponse("/signin", status_code=303)


ROUTES = [
    Route("/signin", show, methods=["GET"]),
    Route("/signin", sign_in, methods=["POST"]),
    Route("/signout", sign_out, methods=["POST"]),
]
