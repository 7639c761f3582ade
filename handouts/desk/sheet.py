"""A client's sheet: the form a therapist fills in, its preview, and the PDF to print.

The sheet is made by the catalogue's `make_sheet`, the function `handouts aftercare` uses,
so what the desk prints is what the command writes. Problems are shown beside the field
they concern, in the words the command line uses.
"""

from __future__ import annotations

import base64
import datetime as dt
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import ValidationError
from starlette.datastructures import FormData
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response
from starlette.routing import Route

from handouts.catalogue.checks import job_for
from handouts.catalogue.document import notes_room
from handouts.catalogue.plan import Job
from handouts.catalogue.sheets import check_sheet, make_sheet
from handouts.content.appointments import Visit, read_visit
from handouts.content.dates import Dating
from handouts.content.load import SOURCE_LANGUAGE, Found
from handouts.content.messages import in_words
from handouts.content.programme import unknown_exercises
from handouts.desk import picker
from handouts.desk.app import Desk, desk_of
from handouts.desk.security import checked_form
from handouts.desk.words import staff_language
from handouts.errors import ContentError, HandoutsError, LayoutError, LedgerError
from handouts.ledger import Booking, Ledger
from handouts.render.kinds import Kind

#: The form's fields, in the order the page shows them (the home programme's are the
#: picker's: see picker.py).
FIELDS = ("client", "treatment", "lang", "therapist", "date", "next_visit", "next_visit_time",
          "notes", "email")
#: Quick choices for the next visit: weeks after the treatment date.
QUICK_WEEKS = {"next_1w": 1, "next_2w": 2}
PREVIEW_DPI = 60


@dataclass
class Sheet:
    """The form as typed (the picker's ticks in programme order), and what is wrong with
    it: by field, and those no field owns."""

    values: dict[str, str]
    chosen: list[str] = field(default_factory=list)
    wrong: dict[str, list[str]] = field(default_factory=dict)
    said: str = ""  # what the last action did, when it is not shown elsewhere

    def blame(self, where: str, message: str) -> None:
        known = where in FIELDS or where == picker.PROGRAMME or where in self.values
        self.wrong.setdefault(where if known else "", []).append(message)


def treatments(found: Found) -> list[tuple[str, str]]:
    """(folder, name staff know it by) for each treatment, by name."""
    named = [(slug, (by_lang.get(SOURCE_LANGUAGE) or next(iter(by_lang.values()))).name)
             for slug, by_lang in found.treatments.items() if by_lang]
    return sorted(named, key=lambda pair: pair[1].casefold())


def languages(found: Found) -> list[tuple[str, str]]:
    """(code, the language's own name) for each language with labels."""
    return sorted((code, labels.language) for code, labels in found.labels.items())


def _origin(name: str) -> tuple[Path, int, int]:
    """A typed value's place, for the catalogue's problems: the field itself."""
    return Path(name), 1, 1


def form_fields(desk: Desk) -> int:
    """How many fields the form may post: its own, and the picker's for every exercise."""
    return 40 + picker.fields(desk.library())


def read_sheet(desk: Desk, values: Mapping[str, str], chosen: Sequence[str],
               booking: Booking | None = None) -> tuple[Sheet, Visit | None]:
    """The form's values and the picker's ticks as a checked Visit (an appointment's
    programme kept as stored where the form left it unchanged), or the sheet with each
    problem at its field."""
    found = desk.library()
    sheet = Sheet({name: values.get(name, "").strip() if name != "notes"
                   else values.get(name, "") for name in FIELDS})
    sheet.values.update(picker.typed(found, values))
    sheet.chosen, programme = picker.read(found, sheet.values["treatment"], chosen,
                                          sheet.values, sheet.blame,
                                          desk.words()["programme_none_ticked"],
                                          booking.visit.exercises if booking else None)
    fields = {name: sheet.values[name] for name in FIELDS
              if name not in ("treatment", "lang")}
    try:
        visit = read_visit({**fields, "next_visit": fields["next_visit"] or None,
                            "next_visit_time": fields["next_visit_time"] or None,
                            "exercises": programme,
                            "therapist": fields["therapist"] or None},
                           Dating(desk.today()))
    except ValidationError as exc:
        for error in exc.errors():
            where = str(error["loc"][0]) if error["loc"] else "client"
            sheet.blame(where, "is empty" if error["type"] == "missing" else in_words(error))
        return sheet, None
    return sheet, None if sheet.wrong else visit


def make_pdf(desk: Desk, sheet: Sheet, visit: Visit) -> tuple[Job, bytes] | None:
    """The client's sheet, as `handouts aftercare` makes it; None (and the problems in
    `sheet`) when it cannot be made."""
    try:
        return make_sheet(desk.library(), sheet.values["treatment"], sheet.values["lang"],
                          visit, _origin)
    except ContentError as exc:
        for problem in exc.problems:
            field_name = str(problem.path)
            shown = field_name in FIELDS or field_name == picker.PROGRAMME
            sheet.blame(field_name, problem.message if shown else str(problem))
    except LayoutError as exc:
        sheet.blame("notes" if visit.notes else "", str(exc))
    except HandoutsError as exc:
        sheet.blame("", str(exc))
    return None


def blank(desk: Desk) -> Sheet:
    """A new client's form: the first treatment, today, its own home programme."""
    found = desk.library()
    first = treatments(found)
    treatment = first[0][0] if first else ""
    chosen, programme = picker.shown(found, treatment, None)
    return Sheet({"client": "", "treatment": treatment, "lang": SOURCE_LANGUAGE,
                  "therapist": "", "date": desk.today().isoformat(), "next_visit": "",
                  "next_visit_time": "", "notes": "", "email": "", **programme}, chosen)


def booked(desk: Desk, booking: Booking) -> Sheet:
    """An appointment's details as the form shows them."""
    visit = booking.visit
    found = desk.library()
    chosen, programme = picker.shown(found, booking.treatment, visit.exercises)
    sheet = Sheet({"client": visit.client, "treatment": booking.treatment,
                  "lang": booking.lang, "therapist": visit.therapist or "",
                  "date": visit.date.isoformat(),
                  "next_visit": visit.next_visit.isoformat() if visit.next_visit else "",
                  "next_visit_time": f"{visit.next_visit_time:%H:%M}"
                  if visit.next_visit_time else "",
                  "notes": visit.notes or "", "email": visit.email or "", **programme}, chosen)
    for gone in unknown_exercises(visit.exercises or (), found.exercises):
        sheet.blame(picker.PROGRAMME, gone)  # it has no row: saving would drop it
    return sheet


def show_sheet(request: Request, sheet: Sheet, pages: list[str] | None = None,
               status: int = 200, booking: Booking | None = None,
               email: EmailPreview | None = None) -> Response:
    desk = desk_of(request)
    found = desk.library()
    return desk.page(request, "sheet.html.j2", status=status, sheet=sheet, pages=pages or [],
                     email=email,
                     treatments=treatments(found), languages=languages(found),
                     therapists=desk.therapists(), booking=booking,
                     defaults={slug: picker.defaults(found, slug)
                               for slug, _ in treatments(found)},
                     action=f"/sheet/{booking.id}" if booking else "/sheet",
                     **picker.context(found, sheet.chosen, staff_language(desk.data_dir)))


def booking_of(request: Request) -> Booking | None:
    """The appointment the address names (by id), or None on a new sheet; 404 when none."""
    number = request.path_params.get("booking")
    if number is None:
        return None
    try:
        with Ledger.beside(desk_of(request).data_dir) as ledger:
            return ledger.appointments.get(number)
    except LedgerError:
        raise HTTPException(404) from None


async def new(request: Request) -> Response:
    booking = booking_of(request)
    desk = desk_of(request)
    return show_sheet(request, booked(desk, booking) if booking else blank(desk),
                      booking=booking)


def typed(form: FormData) -> tuple[dict[str, str], list[str]] | None:
    """The form's fields and the picker's ticks as posted; None when it has no fields (a
    press on Today's list, which names the appointment only)."""
    values = {name: value for name, value in form.multi_items()
              if isinstance(value, str) and name != picker.PICKED}
    if not any(name in values for name in FIELDS):
        return None
    return values, [value for name, value in form.multi_items()
                    if name == picker.PICKED and isinstance(value, str)]


async def act(request: Request) -> Response:
    """Preview, print, save to the day, or move the next visit a week or two after the
    treatment."""
    desk = desk_of(request)
    form = await checked_form(request, fields=form_fields(desk))
    booking = booking_of(request)
    action = str(form.get("action", "preview"))
    posted = typed(form)
    if posted is None:
        stored = booked(desk, booking) if booking else Sheet({})
        posted = stored.values, stored.chosen
    values, chosen = posted
    order = picker.moved(chosen, action)
    sheet, visit = read_sheet(desk, values, chosen if order is None else order, booking)
    if order is not None:  # a row moved up or down (the page without its script)
        return show_sheet(request, sheet, booking=booking)
    if action in QUICK_WEEKS:
        if visit is not None:
            later = visit.date + dt.timedelta(weeks=QUICK_WEEKS[action])
            sheet.values["next_visit"] = later.isoformat()
            sheet.wrong.pop("next_visit", None)
        return show_sheet(request, sheet, booking=booking)
    if visit is None:
        return show_sheet(request, sheet, status=422, booking=booking)
    if action in ("send", "send_again", "send_new"):  # the catalogue makes and checks the sheet
        return await send(request, sheet, visit, booking, form)
    if action == "email":
        return await show_email(request, sheet, visit, booking)
    made = await desk.work(make_pdf, desk, sheet, visit)
    if made is None:
        return show_sheet(request, sheet, status=422, booking=booking)
    job, pdf = made
    if action == "print":
        return pdf_response(pdf, f"{job.treatment}-aftercare-{job.lang}.pdf")
    if action == "save":
        with Ledger.beside(desk.data_dir) as ledger:
            if booking is None:
                ledger.appointments.add(job.treatment, job.lang, visit)
            else:
                ledger.appointments.edit(booking.id, job.treatment, job.lang, visit)
        return RedirectResponse("/today", status_code=303)
    return show_sheet(request, sheet, pages=preview_images(pdf), booking=booking)


async def send(request: Request, sheet: Sheet, visit: Visit, booking: Booking | None,
               form: FormData) -> Response:
    """Email the sheet exactly as `handouts email` does (the same catalogue call, so the
    same message and the same deliver-once in the ledger); "send again" names the round
    staff saw sent, so two people pressing it at once still send one message; "send the new
    version" sends a sheet changed since it was sent, each version once."""
    from handouts.catalogue.mailing import Recipient, mail_sheets
    from handouts.output.mail import Status

    desk = desk_of(request)
    words = desk.words()
    if not visit.email:
        sheet.blame("email", words["email_needed"])
        return show_sheet(request, sheet, status=422, booking=booking)
    again = None
    if form.get("action") == "send_again":
        seen = str(form.get("round", ""))
        if not seen.isdigit():
            raise HTTPException(400, "Send again: reload the page and try again.")
        again = int(seen)
    recipient = Recipient("the desk", sheet.values["treatment"], sheet.values["lang"], visit,
                          _origin)
    try:
        mailing = await desk.work(mail_sheets, desk.data_dir, desk.fonts_dir, recipient, None,
                                  None, dict(os.environ), again,
                                  form.get("action") == "send_new")
    except HandoutsError as exc:
        sheet.blame("", str(exc))
        return show_sheet(request, sheet, status=502, booking=booking)
    for failure in mailing.failures:
        for problem in failure.problems:
            sheet.blame(str(problem.path), problem.message)
        if failure.message:
            sheet.blame("", failure.message)
    for delivery in mailing.failed:
        sheet.blame("email", delivery.detail)
    if booking is not None and not sheet.wrong:
        return RedirectResponse("/today", status_code=303)
    if not sheet.wrong:
        sent = any(d.status is Status.SENT for d in mailing.deliveries or [])
        sheet.said = words["sent_now" if sent else "changed_not_sent" if mailing.changed
                           else "state_already_sent"]
    return show_sheet(request, sheet, status=422 if sheet.wrong else 200, booking=booking)


@dataclass(frozen=True)
class EmailPreview:
    """The message Send would send, as staff check it: who, subject, text, attachment."""

    to: str
    subject: str
    text: str
    attachment: str


async def show_email(request: Request, sheet: Sheet, visit: Visit,
                     booking: Booking | None) -> Response:
    """The email Send would send, composed by the catalogue as `handouts email` composes
    it, shown before anything goes (its plain-text part: the page runs no inline style)."""
    from handouts.catalogue.mailing import Recipient, default_sender, emails_for
    from handouts.output.mail import sender_from_env

    desk = desk_of(request)
    if not visit.email:
        sheet.blame("email", desk.words()["email_needed"])
        return show_sheet(request, sheet, status=422, booking=booking)
    found = desk.library()
    recipient = Recipient("the desk", sheet.values["treatment"], sheet.values["lang"], visit,
                          _origin)
    outgoing, refused = await desk.work(emails_for, found, [recipient],
                                        default_sender(found, sender_from_env(os.environ)))
    for failure in refused:
        for problem in failure.problems:
            sheet.blame(str(problem.path), problem.message)
        if failure.message:
            sheet.blame("", failure.message)
    if not outgoing:
        return show_sheet(request, sheet, status=422, booking=booking)
    message = outgoing[0].message
    text = message.get_body(("plain",))
    preview = EmailPreview(str(message["To"]), str(message["Subject"]),
                           text.get_content() if text is not None else "",
                           outgoing[0].filename)
    return show_sheet(request, sheet, booking=booking, email=preview)


async def room(request: Request) -> Response:
    """How many characters of notes the chosen treatment's sheet has room for in the chosen
    language with the programme ticked (the catalogue measures it, once per treatment,
    language and programme); null when that sheet cannot be made. The page's script posts
    the form (a programme's notes are the client's: never in an address) and counts what
    is typed against the answer."""
    desk = desk_of(request)
    found = desk.library()
    form = await checked_form(request, fields=form_fields(desk))
    values, chosen = typed(form) or ({}, [])
    treatment, lang = values.get("treatment", ""), values.get("lang", "")
    wrong: list[str] = []
    _, programme = picker.read(found, treatment, chosen, picker.typed(found, values),
                               lambda _, message: wrong.append(message), "")
    fits: int | None = None
    try:
        job = job_for(found, treatment, Kind.AFTERCARE, lang)
        check_sheet(found, job, Visit(client="-", therapist=None, date=desk.today(), notes=None,
                                        exercises=programme),
                    _origin)
        if not wrong:
            fits = await desk.work(notes_room, found, job, None, programme)
    except HandoutsError:
        pass
    return JSONResponse({"room": fits}, headers={"cache-control": "no-store"})


async def live_preview(request: Request) -> Response:
    """The form as it is now, as page images and the problems by field: what the page's
    script shows while the therapist types, without reloading the page."""
    desk = desk_of(request)
    form = await checked_form(request, fields=form_fields(desk))
    sheet, visit = read_sheet(desk, *(typed(form) or ({}, [])))
    made = await desk.work(make_pdf, desk, sheet, visit) if visit is not None else None
    pages = preview_images(made[1]) if made is not None else []
    return JSONResponse({"pages": pages, "wrong": sheet.wrong}, status_code=200 if made else 422,
                        headers={"cache-control": "no-store"})


def preview_images(pdf: bytes) -> list[str]:
    """The pages as data: URLs, so a client's preview is never a file or a URL of its own."""
    from handouts.output.preview import page_pngs

    return ["data:image/png;base64," + base64.b64encode(png).decode("ascii")
            for png in page_pngs(pdf, PREVIEW_DPI)]


async def next_visit_file(request: Request) -> Response:
    """A saved appointment's next visit as a calendar file to open on a phone or a PC:
    named by the appointment's id only, like every address here (never the client)."""
    from handouts.catalogue.invitations import next_visit_file as made
    from handouts.output.invitation import FILENAME, MEDIA_TYPE

    desk, booking = desk_of(request), booking_of(request)
    ics = await desk.work(made, desk.library(), booking.treatment, booking.lang,
                          booking.visit, _origin) if booking else None
    if ics is None:  # no next visit booked: nothing to add to a calendar
        raise HTTPException(404)
    return Response(ics, media_type=MEDIA_TYPE,
                    headers={"content-disposition": f'attachment; filename="{FILENAME}"'})


def pdf_response(pdf: bytes, filename: str) -> Response:
    """A PDF the browser opens to print (inline); its name never holds a client's."""
    return Response(pdf, media_type="application/pdf",
                    headers={"content-disposition": f'inline; filename="{filename}"'})


ROUTES = [
    Route("/sheet", new, methods=["GET"]),
    Route("/sheet/room", room, methods=["POST"]),
    Route("/sheet/preview", live_preview, methods=["POST"]),
    Route("/sheet", act, methods=["POST"]),
    Route("/sheet/{booking:int}", new, methods=["GET"]),
    Route("/sheet/{booking:int}", act, methods=["POST"]),
    Route("/sheet/{booking:int}/next-visit.ics", next_visit_file, methods=["GET"]),
]
