"""A client's home programme: which exercises of the library, in which order, at which doses,
each with the therapist's short note. The treatment's exercises at their own doses when the
therapist sets none.

One syntax, read here for the command line (`--exercise`, repeated) and the appointments
CSV (`exercises` cell, items separated by `;`): an exercise's id, then optionally a colon and
`key=value` pairs separated by commas, e.g.

    towel-stretch:hold=45,repeats=3; arch-roll; wall-calf-stretch:sets=2,note=left leg only

Keys: hold (seconds), repeats, sets, daily (times a day), note. A note runs to the end of its
item, so it may hold commas (never `;`, which ends the item). The desk's form gives the same
fields one input each (`prescribed`); both are checked by the one model, `Prescribed`.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from handouts.content import patterns
from handouts.content.models import DOSES, Exercise

#: How many exercises a programme may hold: six cards fill the sheet's two rows.
MAX_EXERCISES = 6
#: A note's length: one line under the exercise's doses.
MAX_NOTE = 120
#: The syntax's short keys -> the dose each sets (the note is not a dose).
KEYS = {"hold": "hold_seconds", "repeats": "repeats", "sets": "sets",
        "daily": "times_a_day"}
#: Between the items of a CSV cell.
ITEM_SEPARATOR = ";"

#: Where the model's own field names are shown to staff, the syntax's key instead.
SHOWN = {**{field: key for key, field in KEYS.items()}, "note": "note",
         "exercise": "exercise"}


def _dose(name: str) -> Any:
    low, high, _ = DOSES[name]
    return Field(None, ge=low, le=high)


class Prescribed(BaseModel):
    """One exercise of a client's programme; a dose left out is the library's default."""

    #: built on first use, not at import: a sheet without a programme never builds it
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)

    exercise: Annotated[str, Field(pattern=patterns.SLUG, max_length=40)]
    hold_seconds: int | None = _dose("hold_seconds")
    repeats: int | None = _dose("repeats")
    sets: int | None = _dose("sets")
    times_a_day: int | None = _dose("times_a_day")
    note: str | None = Field(None, max_length=MAX_NOTE)

    @field_validator("note", mode="before")
    @classmethod
    def _note(cls, value: object) -> object:
        if not isinstance(value, str):
            return value
        if any(unicodedata.category(c) == "Cc" for c in value):
            raise ValueError("contains a control character; retype the note")
        folded = " ".join(unicodedata.normalize("NFC", value).split())
        return folded or None


#: A client's programme, in the therapist's order.
Programme = tuple[Prescribed, ...]


class ProgrammeError(ValueError):
    """A programme that cannot be read: which item (from 1), which key, what is wrong and
    the range allowed (`hold=900 is out of range: 1 to 600 seconds`)."""

    def __init__(self, item: int, key: str, message: str) -> None:
        super().__init__(message)
        self.item, self.key, self.message = item, key, message


def _range(field: str) -> str:
    low, high, unit = DOSES[field]
    return f"{low} to {high} {unit}"


def prescribed(fields: Mapping[str, object], item: int = 1) -> Prescribed:
    """One exercise of a programme from its fields (the desk's inputs, or a parsed item);
    ProgrammeError naming the field and its allowed range."""
    try:
        return Prescribed.model_validate(dict(fields))
    except ValidationError as exc:
        error = exc.errors()[0]
        field = str(error["loc"][0]) if error["loc"] else "exercise"
        key = SHOWN.get(field, field)
        value = fields.get(field)
        if field in DOSES:
            raise ProgrammeError(item, key, f"{key}={value} is out of range: "
                                            f"{_range(field)}") from None
        if field == "exercise":
            raise ProgrammeError(item, key, f"'{value}' is not an exercise id (a-z, 0-9 "
                                            "and dashes, such as towel-stretch)") from None
        if field == "note" and error["type"] == "string_too_long":
            raise ProgrammeError(item, key, f"the note is {len(str(value))} characters; "
                                            f"keep it to {MAX_NOTE}") from None
        raise ProgrammeError(item, key, f"{key}: {error['msg']}") from None


def _number(key: str, text: str, item: int) -> int:
    if not text.strip().isdigit():
        field = KEYS[key]
        raise ProgrammeError(item, key, f"{key}={text.strip()} is not a whole number: "
                                        f"{_range(field)}")
    return int(text.strip())


def read_item(text: str, item: int = 1) -> Prescribed:
    """One item of the syntax: `towel-stretch:hold=45,repeats=3,note=left foot only`."""
    ident, _, settings = text.strip().partition(":")
    fields: dict[str, object] = {"exercise": ident.strip()}
    rest = settings.strip()
    while rest:
        pair, _, after = rest.partition(",")
        key, equals, value = pair.partition("=")
        key = key.strip().lower()
        if key == "note" and equals:  # a note runs to the item's end, commas and all
            fields["note"] = rest.partition("=")[2]
            break
        if not equals or key not in KEYS:
            known = ", ".join([*KEYS, "note"])
            raise ProgrammeError(item, key or pair.strip(), f"'{pair.strip()}' is not a "
                                 f"setting: write key=value with a key of {known}")
        if KEYS[key] in fields:
            raise ProgrammeError(item, key, f"{key} is given twice")
        fields[KEYS[key]] = _number(key, value, item)
        rest = after.strip()
    if not fields["exercise"]:
        raise ProgrammeError(item, "exercise", "an item without its exercise id (such as "
                                               "towel-stretch) before the ':'")
    return prescribed(fields, item)


def read_programme(items: Sequence[str]) -> Programme:
    """A programme from its items as typed: one per `--exercise`, or a CSV cell split at
    `;` (use `split_cell`); an exercise given twice or too many are refused."""
    programme = tuple(read_item(text, i) for i, text in enumerate(items, start=1))
    return checked(programme)


def split_cell(cell: str) -> list[str]:
    """A CSV cell's items: separated by `;`, blank ones (a trailing `;`) dropped."""
    return [item for item in cell.split(ITEM_SEPARATOR) if item.strip()]


def checked(programme: Programme) -> Programme:
    """`programme` once no exercise is in it twice and it has at most MAX_EXERCISES."""
    seen: set[str] = set()
    for i, item in enumerate(programme, start=1):
        if item.exercise in seen:
            raise ProgrammeError(i, "exercise", f"'{item.exercise}' is in the programme "
                                                "twice: give it once, with its doses")
        seen.add(item.exercise)
    if len(programme) > MAX_EXERCISES:
        raise ProgrammeError(MAX_EXERCISES + 1, "exercise", f"{len(programme)} exercises: "
                             f"a sheet has room for {MAX_EXERCISES}")
    return programme


def unknown_exercises(programme: Programme, known: Mapping[str, object]) -> list[str]:
    """Each problem of `programme` against the library: an id it does not have."""
    have = ", ".join(sorted(known)) or "none"
    return [f"no exercise '{item.exercise}' in the library (it has {have})"
            for item in programme if item.exercise not in known]


@dataclass(frozen=True)
class Dosed:
    """An exercise as a sheet prints it: the library's words in the client's language, at
    the doses the client was given (the library's where the therapist set none)."""

    exercise: Exercise
    hold_seconds: int
    repeats: int
    sets: int | None
    times_a_day: int | None
    note: str | None = None


def dosed(programme: Programme | None, defaults: Sequence[str] | None,
          library: Mapping[str, Mapping[str, Exercise]], lang: str) -> list[Dosed]:
    """What a sheet prints: the client's programme, else the treatment's `defaults` (ids)
    at the library's doses. Every id must be in `library` in `lang` (checked on loading and
    by `unknown_exercises` before this)."""
    # the treatment's ids were checked as the library loaded: constructed, not validated
    # again (building the validator took 5 ms of a sheet that has no programme)
    items = programme if programme is not None else tuple(
        Prescribed.model_construct(exercise=ident) for ident in defaults or ())
    out = []
    for item in items:
        exercise = library[item.exercise][lang]
        out.append(Dosed(exercise, item.hold_seconds or exercise.hold_seconds,
                         item.repeats or exercise.repeats, item.sets or exercise.sets,
                         item.times_a_day or exercise.times_a_day, item.note))
    return out


def own_programme(programme: Programme, library: Mapping[str, Mapping[str, Exercise]],
                  *defaults: Sequence[str] | None, kept: Programme | None = None
                  ) -> Programme | None:
    """A programme chosen on a form that shows every exercise at the library's doses: a dose
    equal to the library's is left to the library (the sheet follows it) unless `kept`, the
    programme the form was opened with, set it so (saved unchanged, it stays as it was); a
    programme that is then one of the treatments' `defaults` exactly (same exercises, same
    order, no dose or note set) is None: the treatment's own home care, not the client's."""
    earlier = {item.exercise: item for item in kept or ()}

    def own(item: Prescribed) -> Prescribed:
        by_lang = library.get(item.exercise)
        if not by_lang:
            return item
        exercise = next(iter(by_lang.values()))  # doses are facts: one in every language
        was = earlier.get(item.exercise)
        return item.model_copy(update={
            field: None for field in KEYS.values()
            if getattr(item, field) == getattr(exercise, field)
            and (was is None or getattr(was, field) != getattr(item, field))})

    mine = tuple(own(item) for item in programme)
    for ids in defaults:
        if ids and mine == tuple(Prescribed.model_validate({"exercise": ident})
                                 for ident in ids):
            return None
    return mine
