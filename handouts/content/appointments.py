"""Personal details for an aftercare sheet: from command-line options or an appointments CSV.

Every row is checked on its own; a bad row is reported as `file:line:col` and does not stop
the others.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import unicodedata
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)

from handouts.content.dates import Dating, read_date, read_next_visit, read_time, split_time
from handouts.content.messages import in_words
from handouts.content.models import EmailAddress
from handouts.content.programme import (
    Programme,
    ProgrammeError,
    checked,
    prescribed,
    read_programme,
    split_cell,
)
from handouts.errors import ContentError, Problem

COLUMNS = ("client", "treatment", "lang", "therapist", "date", "email", "notes", "next_visit",
           "exercises")
MAX_ROWS = 5000


def _text(value: str | None) -> str | None:
    """Folded, NFC text; None when nothing visible is left (a blank optional cell)."""
    if value is None:
        return None
    value = " ".join(unicodedata.normalize("NFC", value).split())
    return value if any(unicodedata.category(c) != "Cf" and not c.isspace() for c in value) \
        else None


def client_key(name: str) -> str:
    """A client's name as reception means it: `Emma Wilson`, `emma  wilson` and the same
    letters in another Unicode form are one client."""
    folded = unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", name).casefold())
    return " ".join(folded.split())


class Visit(BaseModel):
    """Who the sheet is for, and what their therapist wants them to remember."""

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)

    client: str = Field(min_length=1, max_length=200)
    therapist: str | None = Field(None, max_length=120)
    date: dt.date
    next_visit: dt.date | None = None
    #: The hour the next visit is booked for, when given (the desk's time field, or the
    #: time typed after the day: `2026-12-09 15:00`).
    next_visit_time: dt.time | None = None
    notes: str | None = Field(None, max_length=1200)
    email: EmailAddress | None = None
    #: The client's own home programme; None gives the treatment's exercises.
    exercises: Programme | None = None

    @field_validator("exercises", mode="before")
    @classmethod
    def _programme(cls, value: object) -> object:
        """Typed (a CSV cell, the --exercise options) or stored (the ledger's fields)."""
        try:
            if isinstance(value, str):
                value = split_cell(value) or None
            if isinstance(value, list | tuple) and all(isinstance(v, str) for v in value):
                return read_programme(value) if value else None
            if isinstance(value, list | tuple):
                return checked(tuple(prescribed(v, i) if isinstance(v, dict) else v
                                     for i, v in enumerate(value, start=1)))
        except ProgrammeError as exc:
            many = isinstance(value, list | tuple) and len(value) > 1
            raise ValueError(f"item {exc.item}: {exc.message}" if many
                             else exc.message) from None
        return value

    @field_validator("client", "therapist", "notes", mode="before")
    @classmethod
    def _clean(cls, value: object) -> object:
        if isinstance(value, str):
            control = next((c for c in value if unicodedata.category(c) == "Cc"
                            and c not in "\t\n\r"), None)
            if control is not None:  # a NUL or escape from a broken export: never printed
                raise ValueError(f"contains the control character U+{ord(control):04X}; "
                                 "retype the text")
        return _text(value) if isinstance(value, str) else value

    @field_validator("client", mode="before")
    @classmethod
    def _named(cls, value: object) -> object:
        if isinstance(value, str) and _text(value) is None:
            raise ValueError("the client's name is blank (empty, or only spaces or invisible "
                             "characters)")
        return value

    @field_validator("email", mode="before")
    @classmethod
    def _no_email(cls, value: object) -> object:
        return None if isinstance(value, str) and not value.strip() else value

    @field_validator("date", mode="before")
    @classmethod
    def _treated(cls, value: object, info: ValidationInfo) -> object:
        if not isinstance(value, str):
            return value
        dating = _dating(info)
        if not value.strip():
            if dating.today is None:
                raise ValueError("is empty")
            return dating.today  # an empty date cell: treated today
        return read_date(value, _formats(info))

    @field_validator("next_visit", mode="before")
    @classmethod
    def _next(cls, value: object, info: ValidationInfo) -> object:
        if not isinstance(value, str):
            return value
        if not value.strip():
            return None
        treated = info.data.get("date")
        return read_next_visit(value, treated if isinstance(treated, dt.date) else None,
                               _formats(info))

    @model_validator(mode="before")
    @classmethod
    def _time_typed_with_the_day(cls, data: object) -> object:
        """`next_visit: 2026-12-09 15:00` is one option or cell: its time is taken from the
        same text (`next_visit` checks it and reports a bad one, at that option or cell)."""
        if isinstance(data, dict) and isinstance(data.get("next_visit"), str) \
                and data.get("next_visit_time") is None:
            return {**data, "next_visit_time": split_time(data["next_visit"])[1]}
        return data

    @field_validator("next_visit_time", mode="before")
    @classmethod
    def _next_time(cls, value: object, info: ValidationInfo) -> object:
        if not isinstance(value, str):
            return value
        if "next_visit" not in info.data:  # a bad next visit: reported there, once
            return None
        if info.data["next_visit"] is None:
            if value.strip():
                raise ValueError("a time needs the day of the next visit too")
            return None
        return read_time(value) if value.strip() else None

    @field_validator("next_visit")
    @classmethod
    def _after_the_visit(cls, value: dt.date | None, info: ValidationInfo) -> dt.date | None:
        visited = info.data.get("date")
        if value is not None and isinstance(visited, dt.date) and value <= visited:
            raise ValueError(f"the next visit ({value.isoformat()}) must come after the "
                             f"treatment date ({visited.isoformat()})")
        today = _dating(info).today
        if value is not None and today is not None and value < today:
            raise ValueError(f"the next visit ({value.isoformat()}) is in the past (today is "
                             f"{today.isoformat()})")
        return value


def _dating(info: ValidationInfo) -> Dating:
    context = info.context
    return context if isinstance(context, Dating) else Dating()


def _formats(info: ValidationInfo) -> Sequence[str]:
    """The date formats of the row's language (its `lang` cell, passed in the context)."""
    context = info.context
    return context.for_lang(context.lang) if isinstance(context, RowDating) else ()


@dataclass(frozen=True)
class RowDating(Dating):
    """Dating for one CSV row: its language picks the date formats it may use."""

    lang: str = ""


def read_visit(fields: Mapping[str, object], dating: Dating) -> Visit:
    """A Visit from typed-in fields, dates read as `dating` says (raises ValidationError)."""
    return Visit.model_validate(fields, context=dating)


@dataclass(frozen=True)
class Appointment:
    """One CSV row: which sheet to make, for whom; `line` is its line in the file."""

    line: int
    treatment: str
    lang: str
    visit: Visit
    columns: dict[str, int]

    def origin(self, path: Path) -> Callable[[str], tuple[Path, int, int]]:
        """Where a field of this row sits in the file, for error messages."""
        return lambda field: (path, self.line, self.columns.get(field, 1))


def visit_problems(error: ValidationError, path: Path, line: int,
                   columns: dict[str, int]) -> list[Problem]:
    """Pydantic errors on a row -> one problem per bad cell, at its line and column."""
    out = []
    for item in error.errors():
        field = str(item["loc"][0]) if item["loc"] else "client"
        message = "is empty" if item["type"] == "missing" else in_words(item)
        out.append(Problem(path, line, columns.get(field, 1), f"{field}: {message}"))
    return out


def read_appointments(path: Path, dating: Dating | None = None,
                      ) -> tuple[list[Appointment], list[Problem]]:
    """Every good row of the CSV, and a problem for each bad one, unread ones included (or a
    ContentError if the file itself cannot be used). `dating` says what today is and how
    each language's dates may be typed."""
    dating = dating or Dating()
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise ContentError([Problem(path, 1, 1, f"cannot read file: {exc.strerror}")]) from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ContentError([Problem(path, 1, 1, "file is not valid UTF-8 (save the CSV as "
                                                "UTF-8)")]) from None
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header = next(reader, None)
    except csv.Error as exc:
        raise ContentError([Problem(path, 1, 1, _csv_words(exc))]) from None
    if header is None:
        raise ContentError([Problem(path, 1, 1, "the CSV is empty")])
    header = [h.strip().lower() for h in header]
    columns = _check_header(path, header)
    appointments: list[Appointment] = []
    problems: list[Problem] = []
    rows = 0
    while True:
        number = reader.line_num + 1  # where this row starts; a quoted cell may span lines
        try:
            row = next(reader, None)
        except csv.Error as exc:
            if "unexpected end of data" not in str(exc):
                problems.append(Problem(path, number, 1, _csv_words(exc)))
                continue  # the reader goes on at the next line
            problems += _unclosed_quote(path, text, number)
            break
        if row is None:
            break
        if not any(cell.strip() for cell in row):
            continue
        rows += 1  # rows, not lines: a quoted cell may span several
        if rows > MAX_ROWS:
            problems.append(Problem(path, number, 1, f"more than {MAX_ROWS} rows; split the file"))
            break
        if len(row) != len(header):
            problems.append(Problem(path, number, 1,
                                    f"row has {len(row)} cells, the header has {len(header)}"))
            continue
        cells = dict(zip(header, row, strict=True))
        fields = {k: v for k, v in cells.items() if k not in ("treatment", "lang")}
        lang = cells["lang"].strip()
        try:
            visit = read_visit(fields, RowDating(dating.today, dating.formats, lang))
        except ValidationError as exc:
            problems += visit_problems(exc, path, number, columns)
            continue
        appointments.append(Appointment(number, cells["treatment"].strip(), lang, visit,
                                        columns))
    return appointments, problems


def _check_header(path: Path, header: list[str]) -> dict[str, int]:
    """Each column's number; a ContentError when a needed column is missing, unknown or
    repeated (a repeated one would silently win over the other)."""
    missing = [c for c in ("client", "treatment", "lang", "date") if c not in header]
    unknown = [h for h in header if h not in COLUMNS]
    separator = next((s for s in (";", "\t", "|") if len(header) == 1 and s in header[0]), None)
    if missing and separator:
        shown = "a tab" if separator == "\t" else f"'{separator}'"
        raise ContentError([Problem(path, 1, 1, f"the columns are separated by {shown}, not "
                                    f"commas: save the CSV with a comma as the separator "
                                    f"(expected columns: {', '.join(COLUMNS)})")])
    repeated = [Problem(path, 1, i + 1, f"column '{name}' appears twice (first as column "
                        f"{header.index(name) + 1}): keep one")
                for i, name in enumerate(header) if name in header[:i]]
    if missing or unknown:
        parts = ([f"missing column(s): {', '.join(missing)}"] if missing else []) + (
            [f"unknown column(s): {', '.join(unknown)}"] if unknown else [])
        repeated.append(Problem(path, 1, 1, "; ".join(parts) +
                                f" (expected: {', '.join(COLUMNS)})"))
    if repeated:
        raise ContentError(repeated)
    return {name: i + 1 for i, name in enumerate(header)}


def _csv_words(error: csv.Error) -> str:
    """The csv module's complaint in a spreadsheet user's words."""
    said = str(error)
    if "field larger than field limit" in said:
        return (f"a cell is longer than {csv.field_size_limit():,} characters, so this row "
                "was not read: is something pasted into it by mistake?")
    if "expected after" in said:
        return ('a quote (") inside a quoted cell must be doubled (""), so this row was '
                "not read")
    return f"this row could not be read as CSV ({said})"


def _unclosed_quote(path: Path, text: str, first: int) -> list[Problem]:
    """A quote opened at line `first` and never closed swallows the rest of the file: name
    it, and count every line it swallowed as a row not read."""
    lines = text.splitlines()
    opened = lines[first - 1] if first <= len(lines) else ""
    cell = _opening_cell(opened)
    after = [n for n in range(first + 1, len(lines) + 1) if lines[n - 1].strip()]
    out = [Problem(path, first, cell, 'this cell opens a quote (") that is never closed, so '
                   f"this row and the {len(after)} line(s) after it were not read: close the "
                   "quote or remove it")]
    out += [Problem(path, n, 1, f"not read: inside the quote opened at line {first}")
            for n in after]
    return out


def _opening_cell(line: str) -> int:
    """The number of the cell whose opening quote is still open at the end of `line`."""
    cell, quoted, start = 1, False, True
    opened = 1
    for char in line:
        if start and char == '"':
            quoted, opened = True, cell
        elif char == '"':
            quoted = not quoted
        elif char == "," and not quoted:
            cell += 1
            start = True
            continue
        start = False
    return opened
