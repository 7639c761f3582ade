"""Whether a document can be made: shared content loaded, the request known, every
character drawable. Everything is checked before anything is rendered."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TypeGuard

from handouts.catalogue.plan import Job, plan
from handouts.content.load import Found, Library, load_library
from handouts.errors import ContentError, Problem
from handouts.render.fonts import RegisteredFamily, glyph_problems, register_family


def family_for(library: Library, lang: str) -> RegisteredFamily:
    labels = library.labels[lang]
    return register_family(labels.font, library.fonts, library.fonts_dir)


def has_shared_content(found: Found, job: Job) -> TypeGuard[Library]:
    """Brand, fonts and the job's labels all loaded (if not, their problems are recorded),
    and no problem holds back the job's language (a brand text still to translate)."""
    return (isinstance(found, Library) and job.lang in found.labels
            and job.lang in found.brand.tagline and job.lang in found.brand.disclaimer
            and not any(problem.lang == job.lang for problem in found.problems))


def glyph_check(library: Library, job: Job) -> list[Problem]:
    """Every character `job` would draw that its font lacks, at its file:line:col."""
    family = family_for(library, job.lang)
    brand_strings = (("name",), ("address",), ("tagline", job.lang), ("disclaimer", job.lang))
    return [
        *glyph_problems(library.treatment_docs[(job.treatment, job.lang)], family),
        *glyph_problems(library.label_docs[job.lang], family),
        *glyph_problems(library.brand_doc, family, only=brand_strings),
    ]


#: Where a requested value came from, for error messages: field name -> (file, line, column).
Origin = Callable[[str], tuple[Path, int, int]]


def single_document(data_dir: Path, fonts_dir: Path | None, job: Job,
                    origin: Origin | None = None) -> Library:
    """Load the content for one document; raise ContentError for anything that blocks it."""
    return check_job(load_library(data_dir, fonts_dir), job, origin)


def require_data_folder(library: Found) -> None:
    """Raise the loading problem when --data names no folder: nothing can be made then, and
    'unknown treatment (known: none)' would blame the wrong thing."""
    if not library.data_dir.is_dir():
        raise ContentError(library.problems)


def check_job(library: Found, job: Job, origin: Origin | None = None) -> Library:
    """The library `job` can be made from; else raise ContentError naming what stops it.

    An unknown treatment or language is the request's fault: with an `origin`, it is
    reported where it was asked (a CSV cell, a command-line argument).
    """
    def asked(field: str, folder: Path) -> tuple[Path, int, int]:
        return origin(field) if origin else (folder, 1, 1)

    require_data_folder(library)
    treatments = library.data_dir / "treatments"
    if job.treatment not in library.treatments:
        known = ", ".join(sorted(library.treatments)) or "none"
        raise ContentError([Problem(*asked("treatment", treatments),
                                    f"unknown treatment '{job.treatment}' (known: {known})")])
    if job.lang not in library.treatments[job.treatment]:
        known = ", ".join(sorted(library.treatments[job.treatment]))
        raise ContentError([Problem(*asked("lang", treatments / job.treatment),
                                    f"no '{job.lang}' version of {job.treatment} "
                                    f"(have: {known})")])
    blocking = [p for p in library.problems
                if p.holds_back and p.holds_back.covers(job.treatment, job.lang)]
    if blocking:
        raise ContentError(blocking)
    if not has_shared_content(library, job):
        raise ContentError(library.problems)
    problems = glyph_check(library, job)
    if problems:
        raise ContentError(problems)
    return library


def validate(library: Found, jobs: list[Job]) -> list[Problem]:
    """Every content problem: loading, translation gaps, glyph coverage for each document."""
    problems = list(library.problems) + list(library.translation_gaps)
    for job in jobs:
        if has_shared_content(library, job):
            problems += glyph_check(library, job)
    return sorted(set(problems))


def validate_folder(data_dir: Path, fonts_dir: Path | None,
                    langs: Iterable[str] | None = None) -> tuple[list[Job], list[Problem]]:
    """The documents the content in `data_dir` can make, and every problem it has."""
    library = load_library(data_dir, fonts_dir)
    jobs = plan(library, langs)
    return jobs, validate(library, jobs)
