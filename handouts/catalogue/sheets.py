"""Personalised aftercare sheets: one from the therapist's options, or a day's batch.

Each sheet is checked (treatment, language, every character of the client's details against
the font) before it is drawn; in a batch a bad row is reported and the others still go.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from handouts.catalogue.checks import Origin, check_job, family_for
from handouts.catalogue.document import render_job
from handouts.catalogue.plan import Job
from handouts.catalogue.pool import map_with_library
from handouts.content.appointments import Appointment, Visit
from handouts.content.load import Library
from handouts.errors import ContentError, HandoutsError, Problem
from handouts.output.write import sweep_temps, write_atomic
from handouts.render.fonts import missing_glyph
from handouts.render.kinds import Kind

if TYPE_CHECKING:
    from email.message import EmailMessage

    from handouts.output.mail import Outgoing

def sheet_filename(treatment: str, lang: str, visit: Visit) -> str:
    """A safe, distinct file name whatever the client is called.

    Only a-z, 0-9 and dashes from the name (so no path can be smuggled in), cut to 40
    characters, plus a short hash of the exact name and date so two clients whose names
    read alike never overwrite each other's sheet.
    """
    ascii_name = unicodedata.normalize("NFKD", visit.client).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")[:40].strip("-")
    key = hashlib.sha256(f"{visit.client}\n{treatment}\n{lang}\n{visit.date}".encode())
    return f"{treatment}-aftercare-{lang}-{slug or 'client'}-{visit.date}-{key.hexdigest()[:8]}.pdf"


def visit_glyph_problems(library: Library, lang: str, visit: Visit,
                         origin: Origin) -> list[Problem]:
    """A problem for each character of the client's details the language's fonts lack."""
    family = family_for(library, lang)
    problems = []
    for field in ("client", "therapist", "notes"):
        value = getattr(visit, field)
        for char in family.missing(value or ""):
            path, line, column = origin(field)
            problems.append(Problem(path, line, column, f"{field}: {missing_glyph(char, family)}"))
    return problems


def make_sheet(library: Library, treatment: str, lang: str, visit: Visit,
               origin: Origin) -> bytes:
    """The personalised PDF; raises ContentError or LayoutError naming what is wrong."""
    job = Job(treatment, Kind.AFTERCARE, lang)
    check_job(library, job, origin)
    problems = visit_glyph_problems(library, lang, visit, origin)
    if problems:
        raise ContentError(problems)
    return render_job(library, job, visit=visit)


@dataclass(frozen=True)
class SheetResult:
    appointment: Appointment
    path: Path | None = None
    error: str | None = None


def make_batch(library: Library, csv_path: Path, appointments: list[Appointment],
               out_dir: Path, done: Callable[[SheetResult], None],
               workers: int | None = None) -> list[SheetResult]:
    """Build every appointment's sheet into `out_dir`; a failure is recorded, not raised.

    Two rows that would make the same file (same client, treatment, language and date) are
    refused rather than left to overwrite each other. Big batches use every core.
    """
    sweep_temps(out_dir)  # what a batch killed mid-write left
    first_line: dict[str, int] = {}
    tasks: list[tuple[Path, Appointment, Path]] = []
    results: list[SheetResult] = []
    for appointment in appointments:
        name = sheet_filename(appointment.treatment, appointment.lang, appointment.visit)
        if name in first_line:
            result = SheetResult(appointment, error=str(Problem(
                *appointment.origin(csv_path)("client"),
                f"same client, treatment, language and date as line {first_line[name]}: "
                "this row would overwrite that sheet")))
            results.append(result)
            done(result)
            continue
        first_line[name] = appointment.line
        tasks.append((csv_path, appointment, out_dir))
    for result in map_with_library(library, _one, tasks, workers, per_worker=8):
        results.append(result)
        done(result)
    return sorted(results, key=lambda r: r.appointment.line)


def _one(library: Library, task: tuple[Path, Appointment, Path]) -> SheetResult:
    csv_path, appointment, out_dir = task
    try:
        pdf = make_sheet(library, appointment.treatment, appointment.lang, appointment.visit,
                         appointment.origin(csv_path))
        target = out_dir / sheet_filename(appointment.treatment, appointment.lang,
                                          appointment.visit)
        write_atomic(target, pdf)
        return SheetResult(appointment, path=target)
    except ContentError as exc:
        return SheetResult(appointment, error="\n".join(str(p) for p in exc.problems))
    except HandoutsError as exc:
        return SheetResult(appointment, error=f"{csv_path}:{appointment.line}:1: {exc}")


@dataclass(frozen=True)
class Recipient:
    """One client to email: `label` names them in reports (a CSV line, or the --to option)."""

    label: str
    treatment: str
    lang: str
    visit: Visit
    origin: Origin


def emails_for(library: Library, recipients: list[Recipient],
               sender: str) -> tuple[list[Outgoing], list[str]]:
    """Each client's sheet and message, ready to send; and why the others cannot be.

    A row repeating an earlier one (same client, treatment, language and address, the
    address in any case) is refused, so that client gets one message, not one per row.
    """
    from handouts.output.mail import Outgoing

    outgoing: list[Outgoing] = []
    errors: list[str] = []
    first: dict[tuple[str, str, str, str], int] = {}
    for r in recipients:
        if not r.visit.email:
            path, line, _ = r.origin("email")
            errors.append(str(Problem(path, line, 1, "email: no address for this client")))
            continue
        same = (r.treatment, r.lang, r.visit.client, r.visit.email.lower())
        path, line, column = r.origin("client")
        if same in first:
            errors.append(str(Problem(path, line, column, "same client, treatment, language "
                                      f"and address as line {first[same]}: emailed once")))
            continue
        first[same] = line
        try:
            pdf = make_sheet(library, r.treatment, r.lang, r.visit, r.origin)
        except HandoutsError as exc:
            errors.append(str(exc))
            continue
        filename = sheet_filename(r.treatment, r.lang, r.visit)
        message = _message(library, r, pdf, filename, sender)
        outgoing.append(Outgoing(f"{r.visit.email.lower()}|{filename}", r.label, filename,
                                 message))
    return outgoing, errors


def default_sender(library: Library, configured: str | None) -> str:
    """HANDOUTS_SMTP_SENDER when set; else reception@ the spa's web domain (for .eml files)."""
    if configured:
        return configured
    domain = library.brand.website.split("/")[2] if library.brand else "localhost"
    return f"reception@{domain}"


def _message(library: Library, r: Recipient, pdf: bytes, filename: str,
             sender: str) -> EmailMessage:
    """The client's email in their language (text and HTML), with the sheet attached."""
    from handouts.output.message import compose_message

    assert library.brand is not None and r.visit.email is not None
    return compose_message(brand=library.brand, labels=library.labels[r.lang],
                           treatment=library.treatments[r.treatment][r.lang], visit=r.visit,
                           lang=r.lang, sender=sender, to=r.visit.email, pdf=pdf,
                           filename=filename, pictures=library.pictures)
