"""Forget this client: a client's sheet asks first, then erases what the tool keeps about
them with the ledger's `forget`, as `handouts forget --client` does (client names, notes
and addresses are health-related personal data)."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from handouts.desk.app import desk_of
from handouts.desk.security import checked_form
from handouts.desk.sheet import booking_of
from handouts.ledger import forget as erase


async def ask(request: Request) -> Response:
    """The confirm step: who would be forgotten and what goes; nothing is changed yet."""
    booking = booking_of(request)
    return desk_of(request).page(request, "forget.html.j2", booking=booking, done="")


async def forget(request: Request) -> Response:
    """Every record of the sheet's client (by name, as reception means it: any case or
    spacing), on every day, and the personal files made for them; what went, counted."""
    desk = desk_of(request)
    await checked_form(request)
    booking = booking_of(request)
    assert booking is not None  # the route always names one
    gone = await desk.work(erase, desk.data_dir, booking.visit.client)
    return desk.page(request, "forget.html.j2", booking=booking,
                     done=gone.summary("for that client"))


ROUTES = [
    Route("/sheet/{booking:int}/forget", ask, methods=["GET"]),
    Route("/sheet/{booking:int}/forget", forget, methods=["POST"]),
]
