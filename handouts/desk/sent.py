"""Sent: who was sent what, when, to which address, and why a send failed; by day."""

from __future__ import annotations

import datetime as dt

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from handouts.desk.app import desk_of
from handouts.desk.sheet import treatments
from handouts.ledger import Ledger


async def show(request: Request) -> Response:
    """The deliveries of one day (?day=YYYY-MM-DD, a date and no client data: today by
    default), newest first."""
    desk = desk_of(request)
    asked = request.query_params.get("day", "")
    try:
        day = dt.date.fromisoformat(asked) if asked else desk.today()
        problem = ""
    except ValueError:
        day, problem = desk.today(), desk.words()["day_unreadable"]
    with Ledger.beside(desk.data_dir) as ledger:
        records = ledger.deliveries.listed(day)
    return desk.page(request, "sent.html.j2", records=records, day=day, problem=problem,
                     names=dict(treatments(desk.library())))


ROUTES = [Route("/sent", show, methods=["GET"])]
