"""The client form's home programme: every exercise of the library with its picture, a tick
for "in the programme", and its doses and note, in the programme's order.

A thin face on content/programme.py: each ticked row's inputs are mapped to the fields of
`prescribed` (the model the command line and the CSV are read by), checked by `checked`,
and `own_programme` says whether the choice is the client's own or the treatment's home
care. Input names: `exercise` (the ticks, in programme order), `<key>-<id>` for each
syntax key (hold, repeats, sets, daily) and `note-<id>`, and `defaults_of`, the treatment
whose own exercises the picker shows untouched: while it does, a change of treatment ticks
the new treatment's own instead (the page's script does it at once; without the script the
desk does it on the next press).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from handouts.content.cache import learnt
from handouts.content.load import SOURCE_LANGUAGE, Found
from handouts.content.models import DOSES, Exercise
from handouts.content.programme import (
    KEYS,
    MAX_NOTE,
    Prescribed,
    Programme,
    ProgrammeError,
    checked,
    own_programme,
    prescribed,
)
from handouts.desk.app import desk_of

#: The ticks' name: their values, in the form's order, are the programme's exercises.
PICKED = "exercise"
#: Where a problem of the programme as a whole is shown (none ticked, too many, unknown).
PROGRAMME = "exercises"
#: The treatment whose own exercises the picker shows, untouched ("" once they are not).
DEFAULTS_OF = "defaults_of"
#: Each row's inputs: the syntax's dose keys, then the note.
INPUTS = (*KEYS, "note")
#: A row's picture, in pixels across (shown at half that: sharp on a fine screen).
PICTURE_PX = 160
#: How a row moves without the page's script: `action=up:<id>` or `down:<id>`.
MOVES = {"up": -1, "down": 1}


def fields(found: Found) -> int:
    """How many fields the picker may post: a tick and its inputs for every exercise."""
    return (1 + len(INPUTS)) * len(found.exercises) + 1


def input_name(key: str, ident: str) -> str:
    """The form's name for one input of an exercise's row (`hold-towel-stretch`)."""
    return f"{key}-{ident}"


@dataclass(frozen=True)
class Dose:
    """One number input of every row: its syntax key (its words are `dose_<key>`) and its
    allowed range (the model's, DOSES)."""

    key: str
    low: int
    high: int


DOSE_INPUTS = tuple(Dose(key, *DOSES[field][:2]) for key, field in KEYS.items())


@dataclass(frozen=True)
class Row:
    """One exercise as the picker shows it."""

    ident: str
    name: str  # in the staff's language
    library: dict[str, str]  # its doses as the library gives them, by syntax key
    chosen: bool
    first: bool  # the first of the chosen: it cannot move up
    last: bool  # the last of the chosen: it cannot move down


def _facts(found: Found, ident: str) -> Exercise:
    """An exercise in any of its languages: its doses and picture are the same in all."""
    return next(iter(found.exercises[ident].values()))


def library_inputs(exercise: Exercise) -> dict[str, str]:
    """A row's inputs as the library gives them: its doses (blank where it sets none)."""
    return {key: "" if getattr(exercise, field) is None else str(getattr(exercise, field))
            for key, field in KEYS.items()}


def fresh(found: Found, ident: str) -> dict[str, str]:
    """A row's inputs by name as first shown: the library's doses, no note."""
    inputs = {**library_inputs(_facts(found, ident)), "note": ""}
    return {input_name(key, ident): value for key, value in inputs.items()}


def defaults(found: Found, treatment: str) -> list[str]:
    """The exercises `treatment` gives every client (none for an unknown treatment)."""
    versions = found.treatments.get(treatment) or {}
    first = next(iter(versions.values()), None)
    return list(first.home_care.exercises or []) if first is not None else []


def shown(found: Found, treatment: str, programme: Programme | None
          ) -> tuple[list[str], dict[str, str]]:
    """The ticks (in order) and every input for a visit's programme: the treatment's own at
    the library's doses when None; a dose the programme leaves out shows the library's."""
    items = programme if programme is not None else tuple(
        Prescribed.model_validate({"exercise": ident}) for ident in defaults(found, treatment))
    values = {DEFAULTS_OF: treatment if programme is None else ""}
    for ident, versions in found.exercises.items():
        if versions:
            values.update(fresh(found, ident))
    for item in items:
        for key, field in KEYS.items():
            if getattr(item, field) is not None:
                values[input_name(key, item.exercise)] = str(getattr(item, field))
        values[input_name("note", item.exercise)] = item.note or ""
    return [item.exercise for item in items], values


def typed(found: Found, form: Mapping[str, str]) -> dict[str, str]:
    """The picker's inputs as posted (every row's, ticked or not, so nothing typed is lost);
    DEFAULTS_OF only when posted (a form without the picker gives the treatment's own)."""
    names = [input_name(key, ident) for ident in found.exercises for key in INPUTS]
    return {name: form[name] if name in form else "" for name in names} | (
        {DEFAULTS_OF: form[DEFAULTS_OF]} if DEFAULTS_OF in form else {})


def read(found: Found, treatment: str, chosen: Sequence[str], values: dict[str, str],
         blame: Callable[[str, str], None], none_ticked: str, kept: Programme | None = None
         ) -> tuple[list[str], Programme | None]:
    """The ticked rows as a programme (None: the treatment's own home care) and the ticks
    to show again; each problem blamed at its input (`hold-towel-stretch`) or, for the
    whole programme, at PROGRAMME. When the choice is the treatment's own, `values` show
    its exercises at the library's doses and name it in DEFAULTS_OF. A form posted without
    the picker (no DEFAULTS_OF: not the desk's page) gives the treatment's own. `kept`: the
    appointment's programme as stored, whose doses stay as they were when left unchanged."""
    if DEFAULTS_OF not in values and not chosen:
        chosen = defaults(found, treatment)
    items: list[Prescribed] = []
    for place, ident in enumerate(chosen, start=1):
        fields: dict[str, object] = {"exercise": ident,
                                     "note": values.get(input_name("note", ident)) or None}
        fields.update({field: value.strip() for key, field in KEYS.items()
                       if (value := values.get(input_name(key, ident), "")).strip()})
        try:
            items.append(prescribed(fields, place))
        except ProgrammeError as exc:
            blame(PROGRAMME if exc.key == "exercise" else input_name(exc.key, ident),
                  exc.message)
    if len(items) < len(chosen):
        return list(chosen), None
    own = defaults(found, treatment)
    if not items and own:
        blame(PROGRAMME, none_ticked)
        return [], None
    try:
        programme = own_programme(checked(tuple(items)), found.exercises, own,
                                  defaults(found, values.get(DEFAULTS_OF, "")), kept=kept)
    except ProgrammeError as exc:
        blame(PROGRAMME, exc.message)
        return list(chosen), None
    if programme:
        values[DEFAULTS_OF] = ""
        return list(chosen), programme
    values[DEFAULTS_OF] = treatment
    for ident in own:  # ticked afresh for a new treatment: at the library's doses
        if found.exercises.get(ident):
            values.update(fresh(found, ident))
    return own, None


def moved(chosen: Sequence[str], action: str) -> list[str] | None:
    """The ticks after `up:<id>` or `down:<id>` (one place, within the ticked); None when
    `action` is not a move."""
    way, _, ident = action.partition(":")
    if way not in MOVES:
        return None
    order = list(chosen)
    if ident in order:
        at = order.index(ident)
        to = at + MOVES[way]
        if 0 <= to < len(order):
            order[at], order[to] = order[to], order[at]
    return order


def rows(found: Found, chosen: Sequence[str], staff_lang: str) -> list[Row]:
    """Every exercise of the library: the ticked first, in the programme's order, then the
    others by name in the staff's language."""
    def name(ident: str) -> str:
        versions = found.exercises[ident]
        return (versions.get(staff_lang) or versions.get(SOURCE_LANGUAGE)
                or next(iter(versions.values()))).name

    ticked = [ident for ident in dict.fromkeys(chosen) if found.exercises.get(ident)]
    others = sorted((ident for ident, versions in found.exercises.items()
                     if versions and ident not in ticked), key=lambda i: name(i).casefold())
    return [Row(ident, name(ident), library_inputs(_facts(found, ident)), ident in ticked,
                ticked[:1] == [ident], ticked[-1:] == [ident])
            for ident in (*ticked, *others)]


def context(found: Found, chosen: Sequence[str], staff_lang: str) -> dict[str, object]:
    """What the form's template needs to draw the picker."""
    return {"rows": rows(found, chosen, staff_lang), "doses": DOSE_INPUTS,
            "max_note": MAX_NOTE, "picked": PICKED, "defaults_of": DEFAULTS_OF}


def exercise_png(found: Found, ident: str) -> bytes | None:
    """An exercise's picture, small, drawn once for the content as it is (kept with the
    library's learnt answers, as the Content page's first pages are); None without one."""
    from handouts.output.preview import picture_png

    if not found.exercises.get(ident):
        return None
    image = _facts(found, ident).image
    if image is None or image not in found.pictures:
        return None
    answers = learnt(found)
    key = ("exercise picture", ident, PICTURE_PX)
    if key not in answers:
        answers[key] = picture_png(found.pictures[image], PICTURE_PX)
    return bytes(answers[key])


async def picture(request: Request) -> Response:
    """One exercise's picture for the picker (its id only in the address)."""
    desk = desk_of(request)
    png = await desk.work(exercise_png, desk.library(), request.path_params["exercise"])
    if png is None:
        raise HTTPException(404)
    return Response(png, media_type="image/png", headers={"cache-control": "no-cache"})


ROUTES = [Route("/sheet/exercise/{exercise}.png", picture, methods=["GET"])]
