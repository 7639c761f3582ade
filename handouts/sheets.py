"""Personalised aftercare sheets: one from the therapist's options, or a day's batch.

Each sheet is checked (treatment, language, every character of the client's details against
the font) before it is drawn; in a batch a bad row is reported and the others still go.
"""

from __future__ import annotations

import hashlib
import os
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from handouts.content.appointments import Appointment, Visit
from handouts.content.load import Library
from handouts.documents import Job, check_job, family_for, render_job
from handouts.errors import ContentError, HandoutsError, Problem
from handouts.output.write import write_atomic

if TYPE_CHECKING:
    from email.message import EmailMessage

#: Where a visit's text came from, for error messages: field name -> (file, line, column).
Origin = Callable[[str], tuple[Path, int, int]]


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
            problems.append(Problem(
                path, line, column,
                f"{field}: character U+{ord(char):04X} {char!r} "
                f"({unicodedata.name(char, 'unnamed')}) is not in font '{family.name}'"))
    return problems


def make_sheet(library: Library, treatment: str, lang: str, visit: Visit,
               origin: Origin) -> bytes:
    """The personalised PDF; raises ContentError or LayoutError naming what is wrong."""
    job = Job(treatment, "aftercare", lang)
    check_job(library, job)
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

    Big batches use every core, each worker loading the content once.
    """
    workers = min(workers or os.cpu_count() or 1, max(1, len(appointments) // PER_WORKER))
    results = []
    if workers <= 1:
        for appointment in appointments:
            results.append(_one(library, csv_path, appointment, out_dir))
            done(results[-1])
        return results
    from concurrent.futures import ProcessPoolExecutor  # only big jobs pay for the import

    with ProcessPoolExecutor(workers, initializer=_worker_start,
                             initargs=(library.data_dir, library.fonts_dir)) as pool:
        for result in pool.map(_worker_one, [csv_path] * len(appointments), appointments,
                               [out_dir] * len(appointments), chunksize=4):
            results.append(result)
            done(result)
    return results


#: Fewer appointments than this per extra process are not worth starting it for.
PER_WORKER = 8
_worker_library: Library | None = None


def _worker_start(data_dir: Path, fonts_dir: Path) -> None:
    global _worker_library
    from handouts.content.load import load_library

    _worker_library = load_library(data_dir, fonts_dir)


def _worker_one(csv_path: Path, appointment: Appointment, out_dir: Path) -> SheetResult:
    assert _worker_library is not None
    return _one(_worker_library, csv_path, appointment, out_dir)


def _one(library: Library, csv_path: Path, appointment: Appointment,
         out_dir: Path) -> SheetResult:
    try:
        _check_row(library, csv_path, appointment)
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


def _check_row(library: Library, csv_path: Path, appointment: Appointment) -> None:
    """An unknown treatment or language is the row's fault: say so at its cell."""
    origin = appointment.origin(csv_path)
    if appointment.treatment not in library.treatments:
        known = ", ".join(sorted(library.treatments))
        raise ContentError([Problem(*origin("treatment"), f"unknown treatment "
                                    f"'{appointment.treatment}' (known: {known})")])
    languages = library.treatments[appointment.treatment]
    if appointment.lang not in languages:
        raise ContentError([Problem(*origin("lang"), f"no '{appointment.lang}' version of "
                                    f"{appointment.treatment} (have: {', '.join(languages)})")])


def email_for(library: Library, treatment: str, lang: str, visit: Visit, pdf: bytes,
              filename: str, sender: str) -> EmailMessage:
    """The client's email in their language, from the labels file, with the sheet attached."""
    from handouts.output.mail import compose_message

    assert library.brand is not None and visit.email is not None
    labels = library.labels[lang]
    names = {"client": visit.client, "spa": library.brand.name,
             "treatment": library.treatments[treatment][lang].name}
    return compose_message(spa=library.brand.name, sender=sender, to=visit.email,
                           subject=labels.email.subject.format(**names),
                           body=labels.email.body.format(**names), pdf=pdf,
                           filename=filename, lang=lang)


def outgoing_key(visit: Visit, filename: str) -> str:
    """What the send log remembers: this sheet, to this address."""
    return f"{(visit.email or '').lower()}|{filename}"
