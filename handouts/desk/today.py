"""Today: the day's appointments from the ledger (imported from the booking system's CSV or
added on a client's sheet), each with its state and buttons, and "Print the day"."""

from __future__ import annotations

import hashlib
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

from starlette.datastructures import UploadFile
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from handouts.catalogue.checks import job_for
from handouts.catalogue.sheets import (
    DaySheet,
    day_pdf,
    sheet_key,
    sheet_version,
    todays_dating,
)
from handouts.content.appointments import read_appointments
from handouts.content.load import Found
from handouts.desk.app import Desk, Shown, desk_of
from handouts.desk.security import MAX_BODY_BYTES, checked_form
from handouts.desk.sheet import pdf_response, treatments
from handouts.desk.words import bookings_csv
from handouts.errors import ContentError, HandoutsError
from handouts.ledger import Booking, DeliveryState, Ledger, Parcel, Standing, ledger_path
from handouts.render.kinds import Kind

#: Where the ledger says an uploaded CSV's rows came from: one upload replaces the last's.
UPLOADED = "the desk's upload"


@dataclass(frozen=True)
class Row:
    """One appointment as Today shows it: who, what, and where its email stands."""

    booking: Booking
    treatment: str  # the treatment's name
    language: str  # the language's own name
    state: str  # "not_sent", "no_email", "sending", "sent", "changed", "failed", "cannot_make"
    detail: str = ""  # why it failed, when it was sent
    round: int | None = None  # the last delivery's round, for "send again"
    changed: bool = False  # the client's details changed since their sheet was sent
    resent: bool = False  # the last message repeated a version by hand ("Send again")


def row_of(written: Shown, found: Found, ledger: Ledger, booking: Booking) -> Row:
    names = dict(treatments(found))
    labels = found.labels.get(booking.lang)
    shown = (names.get(booking.treatment, booking.treatment),
             labels.language if labels else booking.lang)
    try:
        job = job_for(found, booking.treatment, Kind.AFTERCARE, booking.lang)
    except ContentError as exc:
        return Row(booking, *shown, "cannot_make", "; ".join(p.message for p in exc.problems))
    if not booking.visit.email:
        return Row(booking, *shown, "no_email")
    key = f"{booking.visit.email.lower()}|{sheet_key(job.treatment, job.lang, booking.visit)}"
    record = ledger.deliveries.latest(key)
    if record is None:
        return Row(booking, *shown, "not_sent")
    when = written.time(record.recorded_at)
    detail = record.detail if record.state is DeliveryState.FAILED else when
    parcel = Parcel(key, booking.visit.client, booking.visit.email, job.treatment, job.lang,
                    booking.visit.date, "", version=sheet_version(booking.visit))
    changed = ledger.deliveries.standing(parcel) is Standing.CHANGED
    state = "changed" if changed and record.state is DeliveryState.SENT else record.state.value
    return Row(booking, *shown, state, detail, record.round, changed, record.resent)


def open_ledger(desk: Desk) -> Ledger:
    return Ledger.beside(desk.data_dir)


def follow_bookings(desk: Desk) -> list[str]:
    """Today's appointments from the booking system's export named in data/staff.yaml,
    read again whenever its content changes (by digest: a copy that keeps the file's time
    is still seen); a damaged file keeps the last good rows and says what is wrong, at
    file:line:col. Its problems, while they last."""
    path = bookings_csv(desk.data_dir)
    if path is None:
        return []
    try:
        raw = path.read_bytes()
    except OSError as exc:
        return [f"{path}: cannot be read ({exc.strerror or exc})"]
    digest = hashlib.sha256(raw).hexdigest()
    if desk.followed is not None and desk.followed[0] == digest:
        return desk.followed[1]
    dating = todays_dating(desk.library(), desk.today())
    try:
        problems = [f"{path}:{p.line}:{p.column}: {p.message}"
                    for p in read_appointments(path, dating)[1]]
        if not problems:
            with open_ledger(desk) as ledger:
                ledger.appointments.import_csv(path, dating)
    except ContentError as exc:
        problems = [f"{path}:{p.line}:{p.column}: {p.message}" for p in exc.problems]
    desk.followed = (digest, problems)
    return problems


async def show(request: Request, problems: list[str] | None = None,
               status: int = 200) -> Response:
    desk = desk_of(request)
    found = desk.library()
    problems = [*(problems or []), *await desk.work(follow_bookings, desk)]
    with open_ledger(desk) as ledger:
        written = desk.shown()  # staff.yaml read once, not once a row
        rows = [row_of(written, found, ledger, b)
                for b in ledger.appointments.on_day(desk.today())]
    return desk.page(request, "today.html.j2", status=status, rows=rows,
                     problems=problems or [], day=desk.today())


async def import_csv(request: Request) -> Response:
    """The booking system's CSV, read as `handouts aftercare --from` reads it; its rows
    replace those an earlier upload left, so uploading the day's export again doubles
    nothing. The upload is kept only while it is read."""
    desk = desk_of(request)
    form = await checked_form(request, files=1)
    upload = form.get("csv")
    try:
        if not isinstance(upload, UploadFile) or not upload.filename:
            return await show(request, [desk.words()["choose_a_csv"]], status=422)
        raw = await upload.read(MAX_BODY_BYTES + 1)
        shown = Path(upload.filename).name
    finally:
        await form.close()
    # a copy of its own (0600, a name no other upload shares) while it is read; the rows
    # it leaves are the desk's upload's, replaced by the next upload
    with open_ledger(desk) as ledger:  # its folder (0700) exists from here on
        fd, name = tempfile.mkstemp(prefix="desk-upload-", suffix=".csv",
                                    dir=ledger_path(desk.data_dir).parent)
        held = Path(name)
        try:
            with os.fdopen(fd, "wb") as copy:
                copy.write(raw)
            done = ledger.appointments.import_csv(
                held, todays_dating(desk.library(), desk.today()), UPLOADED)
            problems = [f"{shown}:{p.line}:{p.column}: {p.message}" for p in done.problems]
        except ContentError as exc:
            problems = [f"{shown}:{p.line}:{p.column}: {p.message}" for p in exc.problems]
        except HandoutsError as exc:
            problems = [str(exc)]
        finally:
            held.unlink(missing_ok=True)
    if problems:
        return await show(request, problems, status=422)
    return RedirectResponse("/today", status_code=303)


async def print_day(request: Request) -> Response:
    """Every sheet of the day in appointment order, one PDF for one print job."""
    desk = desk_of(request)
    await checked_form(request)
    with open_ledger(desk) as ledger:
        bookings = ledger.appointments.on_day(desk.today())
    sheets = [DaySheet(f"{b.position}. {b.visit.client}", b.treatment, b.lang, b.visit)
              for b in bookings]
    pdf, failures = await desk.work(day_pdf, desk.library(), sheets)
    if pdf is None or failures:
        lines = [f"{p.path}: {p.message}" for f in failures for p in f.problems]
        lines += [f.message for f in failures if f.message]
        lines = lines or [desk.words()["day_empty"]]
        return await show(request, lines, status=422)
    return pdf_response(pdf, f"day-{desk.today().isoformat()}.pdf")


async def remove(request: Request) -> Response:
    desk = desk_of(request)
    await checked_form(request)
    with open_ledger(desk) as ledger:
        try:
            ledger.appointments.remove(request.path_params["booking"])
        except HandoutsError:
            pass  # removed meanwhile, from another tab: the page shows the day as it is
    return RedirectResponse("/today", status_code=303)


ROUTES = [
    Route("/today", show, methods=["GET"]),
    Route("/today/import", import_csv, methods=["POST"]),
    Route("/today/print", print_day, methods=["POST"]),
    Route("/today/{booking:int}/remove", remove, methods=["POST"]),
]
