"""Flyers and menus for reception: pick treatment, language, size, copies per sheet, crop
marks and bleed; preview; download. Made by the catalogue's `make_flyer`, as `handouts
flyer` makes them."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from handouts.catalogue.flyers import flyer_filename, make_flyer
from handouts.content.load import SOURCE_LANGUAGE
from handouts.desk.app import desk_of
from handouts.desk.security import checked_form
from handouts.desk.sheet import languages, pdf_response, preview_images, treatments
from handouts.errors import HandoutsError
from handouts.render.sizes import Size

COPIES = (1, 2, 4)
MAX_BLEED_MM = 10


def _show(request: Request, values: dict[str, str], problems: list[str] | None = None,
          pages: list[str] | None = None, status: int = 200) -> Response:
    desk = desk_of(request)
    found = desk.library()
    return desk.page(request, "flyers.html.j2", status=status, values=values,
                     problems=problems or [], pages=pages or [], treatments=treatments(found),
                     languages=languages(found), sizes=[(s.value, s.page_name) for s in Size],
                     copies=COPIES)


async def show(request: Request) -> Response:
    first = treatments(desk_of(request).library())
    return _show(request, {"treatment": first[0][0] if first else "", "lang": SOURCE_LANGUAGE,
                           "size": Size.A5.value, "copies": "1", "crop_marks": "",
                           "bleed": "0"})


async def act(request: Request) -> Response:
    """Preview or download the flyer asked for."""
    form = await checked_form(request)
    values = {name: str(form.get(name, "")).strip()
              for name in ("treatment", "lang", "size", "copies", "crop_marks", "bleed")}
    words = desk_of(request).words()
    problems = []
    try:
        size = Size(values["size"])
    except ValueError:
        problems.append(words["size"] + ": " + words["unknown_choice"])
    copies = int(values["copies"]) if values["copies"] in {str(c) for c in COPIES} else 0
    if not copies:
        problems.append(words["copies"] + ": " + words["unknown_choice"])
    try:
        bleed = float(values["bleed"] or 0)
        if not 0 <= bleed <= MAX_BLEED_MM:
            raise ValueError
    except ValueError:
        bleed = 0
        problems.append(words["bleed"] + ": " + words["bleed_range"].format(most=MAX_BLEED_MM))
    if problems:
        return _show(request, values, problems, status=422)
    try:
        job, pdf = make_flyer(desk_of(request).library(), values["treatment"], values["lang"],
                              size, copies, bool(values["crop_marks"]), bleed)
    except HandoutsError as exc:
        return _show(request, values, str(exc).splitlines(), status=422)
    if form.get("action") == "download":
        return pdf_response(pdf, flyer_filename(job.treatment, job.lang, size, copies,
                                                bool(values["crop_marks"])))
    return _show(request, values, pages=preview_images(pdf))


ROUTES = [
    Route("/flyers", show, methods=["GET"]),
    Route("/flyers", act, methods=["POST"]),
]
