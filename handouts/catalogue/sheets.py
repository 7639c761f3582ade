"""Personalised aftercare sheets: one from the therapist's options, or a day's batch.

Each sheet is checked (treatment, language, every character of the client's details against
the font) before it is drawn; in a batch a bad row is reported and the others still go.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

from handouts.catalogue.checks import (
    Origin,
    check_job,
    family_for,
    job_for,
    require_data_folder,
)
from handouts.catalogue.document import render_job, sheet_glyphs
from handouts.catalogue.plan import Job
from handouts.content.appointments import Appointment, Visit, client_key, read_appointments
from handouts.content.cache import cached_library, store_learnt
from handouts.content.dates import Dating
from handouts.content.load import Found, Library
from handouts.content.programme import unknown_exercises
from handouts.errors import ContentError, Failure, HandoutsError, Problem
from handouts.ledger import FileKind, Made, open_for_work
from handouts.output.write import sweep_temps, write_atomic
from handouts.render.fonts import missing_glyph
from handouts.render.kinds import Kind


def sheet_key(treatment: str, lang: str, visit: Visit) -> str:
    """What makes two sheets the same: treatment, language, client (any case) and date."""
    return "|".join((treatment, lang, client_key(visit.client), visit.date.isoformat()))


#: Visit fields that are not what the client reads: the address the sheet goes to.
NOT_CONTENT = frozenset({"email"})


def sheet_version(visit: Visit) -> str:
    """Which version of a client's sheet this is: a digest of the visit's own fields (every
    one, so a field added later counts without a change here), not of the PDF.

    The PDF also changes when the spa edits a treatment's words, a translation, a font or
    the layout; a version of those would call every client ever emailed "changed" after a
    typo fix, and knowing it would mean rendering every sheet of the day for the Today
    page. What a client was told personally (notes, next visit, their programme) is what
    is worth a second message. A field left at its default adds nothing to the digest, so
    a new optional field leaves every existing version as it was.
    """
    personal = visit.model_dump(mode="json", exclude=set(NOT_CONTENT), exclude_defaults=True)
    text = json.dumps(personal, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def sheet_filename(treatment: str, lang: str, visit: Visit) -> str:
    """A safe, distinct file name that keeps the client's name in its own script.

    The name in NFC, with only its letters, marks and digits (runs of anything else,
    path separators, dots and characters Windows forbids included, become one dash), cut
    to 40 characters; then a short hash of the sheet's key, so two clients whose names
    clean alike never overwrite each other's sheet.
    """
    name = "".join(c if unicodedata.category(c)[0] in "LMN" else " "
                   for c in unicodedata.normalize("NFC", visit.client))
    shown = "-".join(name.split())[:40].strip("-")
    key = hashlib.sha256(sheet_key(treatment, lang, visit).encode()).hexdigest()[:8]
    return f"{treatment}-aftercare-{lang}-{shown or 'client'}-{visit.date}-{key}.pdf"


def todays_dating(found: Found, today: dt.date | None = None) -> Dating:
    """How a day's CSV reads its dates: an empty date is today (`today`, by default the
    clock's), a next visit may not be before it, and each language's labels say how its
    dates may be typed."""
    return Dating(today or dt.date.today(), {lang: labels.date_input
                                             for lang, labels in found.labels.items()})


def visit_glyph_problems(library: Library, lang: str, visit: Visit,
                         origin: Origin) -> list[Problem]:
    """A problem for each character of the client's details the language's fonts lack."""
    family = family_for(library, lang)
    problems = []
    notes = " ".join(item.note or "" for item in visit.exercises or ())
    for field, value in (("client", visit.client), ("therapist", visit.therapist),
                         ("notes", visit.notes), ("exercises", notes)):
        for char in family.missing(value or ""):
            path, line, column = origin(field)
            problems.append(Problem(path, line, column, f"{field}: {missing_glyph(char, family)}"))
    return problems


def programme_problems(library: Found, lang: str, visit: Visit,
                       origin: Origin) -> list[Problem]:
    """A problem for each exercise of the client's programme the library lacks, or lacks
    in the client's language, where the programme was given."""
    if not visit.exercises:
        return []
    path, line, column = origin("exercises")
    problems = [Problem(path, line, column, f"exercises: {message}")
                for message in unknown_exercises(visit.exercises, library.exercises)]
    problems += [Problem(path, line, column, f"exercises: '{item.exercise}' has no words "
                         f"in {lang} yet (data/exercises/{item.exercise}/{lang}.yaml)")
                 for item in visit.exercises
                 if item.exercise in library.exercises
                 and lang not in library.exercises[item.exercise]]
    return problems


def check_sheet(found: Found, job: Job, visit: Visit, origin: Origin) -> Library:
    """The library a client's sheet can be made from; else raise ContentError naming what
    stops it, the client's own details included."""
    problems = programme_problems(found, job.lang, visit, origin)
    if problems:
        raise ContentError(problems)
    library = check_job(found, job, origin)
    problems = visit_glyph_problems(library, job.lang, visit, origin)
    if problems:
        raise ContentError(problems)
    return library


def make_sheet(found: Found, treatment: str, lang: str, visit: Visit,
               origin: Origin) -> tuple[Job, bytes]:
    """The sheet asked for (treatment by folder or name, language in any case) and its
    personalised PDF; raises ContentError or LayoutError naming what is wrong."""
    job = job_for(found, treatment, Kind.AFTERCARE, lang, origin)
    return job, render_job(check_sheet(found, job, visit, origin), job, visit=visit)


def write_sheet(data_dir: Path, fonts_dir: Path | None, treatment: str, lang: str,
                visit: Visit, origin: Origin, output: Path | None = None) -> Path:
    """One client's sheet written to `output` (default: its own name, here); raises
    HandoutsError naming what stops it."""
    library = cached_library(data_dir, fonts_dir)
    job, pdf = make_sheet(library, treatment, lang, visit, origin)
    target = output or Path(sheet_filename(job.treatment, job.lang, visit))
    with open_for_work(library) as ledger:  # usable before the client's file is written
        write_atomic(target, pdf, private=True)
        ledger.files.record(target, FileKind.SHEET, visit.client, visit.date, pdf)
    store_learnt()  # which body size fits this sheet: the next run need not try again
    return target


@dataclass(frozen=True)
class DaySheet:
    """One sheet of a day's print job: `label` names it in a failure (the client's place in
    the day, never a file)."""

    label: str
    treatment: str
    lang: str
    visit: Visit


def day_pdf(found: Found, sheets: list[DaySheet]) -> tuple[bytes | None, list[Failure]]:
    """One PDF of the day's sheets in the order given, for one print job (each sheet as
    `make_sheet` makes it, so as `handouts aftercare` writes it), and why the others could
    not be made; None when none could."""
    from io import BytesIO

    from pypdf import PdfWriter

    writer = PdfWriter()
    failures: list[Failure] = []
    made = 0
    for sheet in sheets:
        def origin(field: str, label: str = sheet.label) -> tuple[Path, int, int]:
            return Path(label), 1, 1

        try:
            _, pdf = make_sheet(found, sheet.treatment, sheet.lang, sheet.visit, origin)
        except HandoutsError as exc:
            failure = Failure.of(exc)
            failures.append(failure if failure.problems else
                            Failure(message=f"{sheet.label}: {exc}"))
            continue
        writer.append(BytesIO(pdf))
        made += 1
    if not made:
        return None, failures
    out = BytesIO()
    writer.write(out)
    return out.getvalue(), failures


@dataclass(frozen=True)
class SheetResult:
    """One appointment's sheet: where it was written, or the problems that stopped it."""

    appointment: Appointment
    path: Path | None = None
    problems: tuple[Problem, ...] = ()
    sha256: str = ""  # of the PDF written at `path`, for the ledger


@dataclass
class BatchReport:
    """A day's sheets: each row's result, and the rows that could not be read."""

    results: list[SheetResult]
    problems: list[Problem]

    @property
    def failures(self) -> list[Failure]:
        return [Failure((p,)) for p in self.problems] + [
            Failure(r.problems) for r in self.results if r.problems]

    @property
    def summary(self) -> str:
        built = sum(1 for r in self.results if r.path)
        return f"{built} built, {len(self.failures)} failed"


@dataclass(frozen=True)
class Batch:
    """A day's appointments read and their content loaded, ready to make."""

    library: Found
    csv_path: Path
    appointments: list[Appointment]
    problems: list[Problem]

    @classmethod
    def read(cls, data_dir: Path, fonts_dir: Path | None, csv_path: Path) -> Batch:
        library = cached_library(data_dir, fonts_dir)
        require_data_folder(library)
        appointments, problems = read_appointments(csv_path, todays_dating(library))
        return cls(library, csv_path, appointments, problems)

    def make(self, out_dir: Path, done: Callable[[SheetResult], None]) -> BatchReport:
        """Every sheet written into `out_dir` and recorded in the ledger as made for its
        client (so `forget` finds it); the ledger's retention runs first."""
        with open_for_work(self.library) as ledger:  # usable before any file is written
            results = make_batch(self.library, self.csv_path, self.appointments, out_dir, done)
            ledger.files.record_all(
                Made(result.path, FileKind.SHEET, result.appointment.visit.client,
                     result.appointment.visit.date, result.sha256)
                for result in results if result.path)
        store_learnt()  # what the batch learnt, here and in its worker processes
        return BatchReport(results, self.problems)


def make_batch(library: Found, csv_path: Path, appointments: list[Appointment],
               out_dir: Path, done: Callable[[SheetResult], None],
               workers: int | None = None) -> list[SheetResult]:
    """Build every appointment's sheet into `out_dir`; a failure is recorded, not raised.

    A row repeating an earlier one (same client, in any case, treatment, language and
    date) is refused: the client gets one sheet. Big batches use every core.
    """
    sweep_temps(out_dir)  # what a batch killed mid-write left
    first_line: dict[str, int] = {}
    jobs: dict[Job, None] = {}
    tasks: list[tuple[Path, Appointment, Path]] = []
    results: list[SheetResult] = []
    for asked in appointments:
        try:  # as the folders spell them, so `EN` and `en` rows make the same file
            job = job_for(library, asked.treatment, Kind.AFTERCARE, asked.lang,
                          asked.origin(csv_path))
            appointment = replace(asked, treatment=job.treatment, lang=job.lang)
            jobs[job] = None
        except ContentError:
            appointment = asked  # reported when its sheet is made
        key = sheet_key(appointment.treatment, appointment.lang, appointment.visit)
        if key in first_line:
            result = SheetResult(appointment, problems=(Problem(
                *appointment.origin(csv_path)("client"),
                f"same client, treatment, language and date as line {first_line[key]}: "
                "one sheet is made"),))
            results.append(result)
            done(result)
            continue
        first_line[key] = appointment.line
        tasks.append((csv_path, appointment, out_dir))
    for job in jobs:  # learnt here once, not once in each worker, and kept in the cache
        try:
            sheet_glyphs(check_job(library, job), job, job.size or job.kind.spec.default_size)
        except HandoutsError:
            pass  # the rows of this job say what stops it
    from handouts.catalogue.pool import map_with_library  # a batch's: one sheet needs no pool

    for result in map_with_library(library, _one, tasks, workers, per_worker=8):
        results.append(result)
        done(result)
    return sorted(results, key=lambda r: r.appointment.line)


def _one(library: Found, task: tuple[Path, Appointment, Path]) -> SheetResult:
    csv_path, appointment, out_dir = task
    try:
        job, pdf = make_sheet(library, appointment.treatment, appointment.lang,
                              appointment.visit, appointment.origin(csv_path))
        target = out_dir / sheet_filename(job.treatment, job.lang, appointment.visit)
        write_atomic(target, pdf, private=True)
        return SheetResult(appointment, path=target, sha256=hashlib.sha256(pdf).hexdigest())
    except ContentError as exc:
        return SheetResult(appointment, problems=tuple(exc.problems))
    except HandoutsError as exc:
        return SheetResult(appointment, problems=(Problem(csv_path, appointment.line, 1,
                                                          str(exc)),))
