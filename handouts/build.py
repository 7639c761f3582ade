"""The catalogue: which treatment x kind x language documents exist, and building them all.

Everything is loaded and checked before anything is written; a document with a problem is
reported and skipped, its previous PDF left in place, while the others are still built.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from reportlab.lib.pagesizes import A4, letter

from handouts import __version__
from handouts.content.load import Library, load_library
from handouts.errors import HandoutsError, Problem
from handouts.output.write import write_atomic
from handouts.render.aftercare import compose_aftercare
from handouts.render.document import HandoutPages, Masthead, Metadata, PageSpec, render
from handouts.render.fonts import RegisteredFamily, glyph_problems, register_family
from handouts.render.theme import BODY_FLOOR_PT, Palette, Theme

PAPER = {"a4": ("A4", A4), "letter": ("Letter", letter)}
KINDS = ("aftercare",)


@dataclass(frozen=True, order=True)
class Job:
    """One document to build."""

    treatment: str
    kind: str
    lang: str

    @property
    def filename(self) -> str:
        return f"{self.treatment}-{self.kind}-{self.lang}.pdf"


@dataclass
class BuildReport:
    built: list[Path] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


def plan(library: Library, langs: Iterable[str] | None = None) -> list[Job]:
    """Every document the content can make, optionally only in `langs`."""
    wanted = set(langs) if langs else None
    jobs = [
        Job(slug, kind, lang)
        for slug, by_lang in library.treatments.items()
        for lang in by_lang
        for kind in KINDS
        if wanted is None or lang in wanted
    ]
    return sorted(jobs)


def family_for(library: Library, lang: str) -> RegisteredFamily:
    labels = library.labels[lang]
    assert library.fonts is not None
    return register_family(labels.font, library.fonts, library.fonts_dir)


def has_shared_content(library: Library, job: Job) -> bool:
    """Brand, fonts and the job's labels all loaded (if not, their problems are recorded)."""
    return (library.brand is not None and library.fonts is not None
            and job.lang in library.labels)


def glyph_check(library: Library, job: Job) -> list[Problem]:
    """Every character `job` would draw that its font lacks, at its file:line:col."""
    family = family_for(library, job.lang)
    assert library.brand_doc is not None
    brand_strings = (("name",), ("address",), ("tagline", job.lang), ("disclaimer", job.lang))
    return [
        *glyph_problems(library.treatment_docs[(job.treatment, job.lang)], family),
        *glyph_problems(library.label_docs[job.lang], family),
        *glyph_problems(library.brand_doc, family, only=brand_strings),
    ]


def render_job(library: Library, job: Job, paper: str = "a4") -> bytes:
    """PDF bytes for `job`; raises LayoutError if it cannot fit."""
    assert library.brand is not None and library.logo is not None
    brand = library.brand
    treatment = library.treatments[job.treatment][job.lang]
    labels = library.labels[job.lang]
    family = family_for(library, job.lang)
    palette = Palette.from_brand(brand.colours)
    paper_name, size = PAPER[paper]
    spec = PageSpec(size, max_pages=2, body_sizes=(11.0, 10.75, BODY_FLOOR_PT[job.kind]),
                    name=paper_name)
    masthead = Masthead(
        spa_name=brand.name, tagline=brand.tagline[job.lang], kind_label=labels.aftercare,
        treatment_name=treatment.name, disclaimer=brand.disclaimer[job.lang],
        page_label=labels.page, logo=library.logo,
    )
    meta = Metadata(
        title=f"{treatment.name}: {labels.aftercare}", author=brand.name,
        subject=treatment.headline, lang=job.lang, creator=f"handouts {__version__}",
        keywords=(job.treatment, job.kind, job.lang),
    )
    return render(
        lambda theme: compose_aftercare(treatment, labels, brand, theme, spec.width),
        HandoutPages(masthead), spec, meta,
        theme_for=lambda body: Theme(palette, family, body, labels.line_breaking, spec.margin),
        what=f"{job.treatment} {job.kind} ({job.lang}, {paper_name})",
    )


def validate(library: Library, jobs: list[Job]) -> list[Problem]:
    """Every content problem: loading, then glyph coverage for each document."""
    problems = list(library.problems)
    for job in jobs:
        if has_shared_content(library, job):
            problems += glyph_check(library, job)
    return sorted(set(problems))


def build(data_dir: Path, out_dir: Path, langs: Iterable[str] | None = None,
          paper: str = "a4", fonts_dir: Path | None = None) -> BuildReport:
    """Build every document; report what was written and what failed, and why."""
    library = load_library(data_dir, fonts_dir)
    jobs = plan(library, langs)
    report = BuildReport(problems=list(library.problems))
    ready: list[Job] = []
    for job in jobs:
        problems = glyph_check(library, job) if has_shared_content(library, job) else []
        report.problems += problems
        if problems or not has_shared_content(library, job):
            report.failed.append(job.filename)
        else:
            ready.append(job)
    rendered: list[tuple[Job, bytes]] = []
    for job in ready:
        try:
            rendered.append((job, render_job(library, job, paper)))
        except HandoutsError as exc:
            report.failed.append(f"{job.filename}: {exc}")
    for job, pdf in rendered:
        target = out_dir / job.filename
        write_atomic(target, pdf)
        report.built.append(target)
    report.problems = sorted(set(report.problems))
    return report
