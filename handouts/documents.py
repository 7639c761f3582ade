"""The documents: which treatment x kind x language documents exist, and how one is made.

A document is checked (shared content loaded, every character drawable) before it is
rendered; building many of them, incrementally, is build.py's job.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from reportlab.lib.pagesizes import A4, A5, A6, letter
from reportlab.lib.units import mm

from handouts import __version__
from handouts.content.appointments import Visit
from handouts.content.load import Library, load_library
from handouts.content.models import Labels
from handouts.errors import ContentError, Problem
from handouts.render.aftercare import compose_aftercare, personal_block
from handouts.render.document import (
    HandoutPages,
    Masthead,
    Metadata,
    PageDesign,
    PageSpec,
    render,
)
from handouts.render.flyer import GEOMETRY, FlyerPage, compose_flyer, contact_panel
from handouts.render.fonts import RegisteredFamily, glyph_problems, register_family
from handouts.render.theme import BODY_FLOOR_PT, Palette, Theme

SIZES = {"a4": ("A4", A4), "a5": ("A5", A5), "a6": ("A6", A6), "letter": ("Letter", letter),
         "half-letter": ("Half Letter", (letter[1] / 2, letter[0]))}
#: The sheet copies are imposed on: A sizes on A4, US sizes on US Letter.
SHEETS = {"a4": A4, "a5": A4, "a6": A4, "letter": letter, "half-letter": letter}
#: The flyer that goes with a paper size: A5 beside A4 handouts, half-letter beside Letter.
FLYER_FOR_PAPER = {"a4": "a5", "letter": "half-letter"}
KINDS = ("aftercare", "flyer")
DEFAULT_SIZE = {"aftercare": "a4", "flyer": "a5"}


@dataclass(frozen=True, order=True)
class Job:
    """One document to build."""

    treatment: str
    kind: str
    lang: str

    @property
    def filename(self) -> str:
        return f"{self.treatment}-{self.kind}-{self.lang}.pdf"


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
    """Brand, fonts and the job's labels all loaded (if not, their problems are recorded),
    and no problem holds back the job's language (a brand text still to translate)."""
    brand = library.brand
    return (brand is not None and library.fonts is not None and job.lang in library.labels
            and job.lang in brand.tagline and job.lang in brand.disclaimer
            and not any(problem.lang == job.lang for problem in library.problems))


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


def _body_sizes(start: float, floor: float) -> tuple[float, ...]:
    """Body sizes to try, largest first, in quarter points down to the floor."""
    steps = int(round((start - floor) / 0.25))
    return tuple(start - 0.25 * i for i in range(steps + 1))


#: Whether a personalised sheet fits at a size, by everything that decides it: see
#: `_sheet_trial_key`. Only for the library it was learnt from (the one object, kept).
_sheet_trials: dict[Hashable, bool] = {}
_sheet_trials_library: list[Library] = []
_SHEET_TRIALS_MAX = 4096


def _trials_for(library: Library) -> dict[Hashable, bool]:
    if not _sheet_trials_library or _sheet_trials_library[0] is not library \
            or len(_sheet_trials) >= _SHEET_TRIALS_MAX:
        _sheet_trials.clear()
        _sheet_trials_library[:] = [library]
    return _sheet_trials


def _sheet_trial_key(job: Job, spec: PageSpec, visit: Visit, labels: Labels,
                     theme: Theme) -> Hashable:
    """What decides whether a personalised sheet fits, besides the library and the job.

    A sheet's story is the general handout's with the personal block in place of the
    introduction; the block is one unsplittable table kept whole, so only its height moves
    what follows. Same library, document, paper, size, spacing and block height: the same
    pages.
    """
    _, height = personal_block(visit, labels, theme, spec.width).wrap(spec.width, 1e6)
    return (job, spec, theme.body_pt, theme.spacing, height)


def render_job(library: Library, job: Job, size: str | None = None, bleed_mm: float = 0,
               visit: Visit | None = None) -> bytes:
    """PDF bytes for `job` (aftercare on A4 or flyer on A5 unless `size` says otherwise),
    personalised for `visit` when given.

    Raises LayoutError when it cannot fit without going below the type floors.
    """
    assert library.brand is not None and library.logo is not None
    brand = library.brand
    treatment = library.treatments[job.treatment][job.lang]
    labels = library.labels[job.lang]
    family = family_for(library, job.lang)
    palette = Palette.from_brand(brand.colours)
    size = size or DEFAULT_SIZE[job.kind]
    size_name, dimensions = SIZES[size]
    floor = BODY_FLOOR_PT[job.kind]
    kind_label = labels.aftercare if job.kind == "aftercare" else labels.flyer.kind
    masthead = Masthead(
        spa_name=brand.name, tagline=brand.tagline[job.lang], kind_label=kind_label,
        treatment_name=treatment.name, disclaimer=brand.disclaimer[job.lang],
        page_label=labels.page, logo=library.logo,
    )
    title = f"{treatment.name}: {kind_label}"
    meta = Metadata(
        title=f"{title} ({visit.client})" if visit else title, author=brand.name,
        subject=treatment.flyer.headline if job.kind == "flyer" else treatment.headline,
        lang=job.lang, creator=f"handouts {__version__}",
        keywords=(job.treatment, job.kind, job.lang),
    )
    what = f"{job.treatment} {job.kind} ({job.lang}, {size_name})"
    trials: dict[Hashable, bool] | None = None
    trial_key: Callable[[Theme], Hashable] | None = None
    bleed = bleed_mm * mm
    if job.kind == "aftercare":
        spec = PageSpec(dimensions, 2, _body_sizes(11.0, floor), size_name, bleed, 12 * mm)
        compose = partial(compose_aftercare, treatment, labels, brand, width=spec.width,
                          pictures=library.pictures, visit=visit)
        design: PageDesign = HandoutPages(masthead)
        if visit is not None:
            trials = _trials_for(library)
            trial_key = partial(_sheet_trial_key, job, spec, visit, labels)
    else:
        geometry = GEOMETRY[size_name]
        spec = PageSpec(dimensions, 1, _body_sizes(geometry.body_start, floor), size_name,
                        bleed, geometry.margin)
        compose = partial(compose_flyer, treatment, labels, brand, width=spec.width,
                          size_name=size_name, pictures=library.pictures)
        design = FlyerPage(masthead, geometry, partial(
            contact_panel, brand, labels, geometry=geometry, size_name=size_name,
            pictures=library.pictures))
    return render(
        lambda theme: compose(theme=theme), design, spec, meta,
        theme_for=lambda body, spacing: Theme(palette, family, body, labels.line_breaking,
                                              spec.margin, spacing),
        what=what, trials=trials, trial_key=trial_key,
    )


#: Where a requested value came from, for error messages: field name -> (file, line, column).
Origin = Callable[[str], tuple[Path, int, int]]


def single_document(data_dir: Path, fonts_dir: Path | None, job: Job,
                    origin: Origin | None = None) -> Library:
    """Load the content for one document; raise ContentError for anything that blocks it."""
    library = load_library(data_dir, fonts_dir)
    check_job(library, job, origin)
    return library


def require_data_folder(library: Library) -> None:
    """Raise the loading problem when --data names no folder: nothing can be made then, and
    'unknown treatment (known: none)' would blame the wrong thing."""
    if not library.data_dir.is_dir():
        raise ContentError(library.problems)


def check_job(library: Library, job: Job, origin: Origin | None = None) -> None:
    """Raise ContentError naming whatever stops `job` being made from `library`.

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
    blocking = [p for p in library.problems if p.lang in ("", job.lang) and (
                p.path.name in ("brand.yaml", "fonts.yaml")
                or p.path.parent.name == "labels" and p.path.stem == job.lang
                or p.path.parent.name == job.treatment and p.path.stem == job.lang)]
    if blocking:
        raise ContentError(blocking)
    if not has_shared_content(library, job):
        raise ContentError(library.problems)
    problems = glyph_check(library, job)
    if problems:
        raise ContentError(problems)


def validate(library: Library, jobs: list[Job]) -> list[Problem]:
    """Every content problem: loading, translation gaps, glyph coverage for each document."""
    problems = list(library.problems) + list(library.translation_gaps)
    for job in jobs:
        if has_shared_content(library, job):
            problems += glyph_check(library, job)
    return sorted(set(problems))


def inputs_of(library: Library, job: Job) -> list[Path]:
    """Every file whose change changes `job`'s PDF: content, labels, brand, fonts, logo."""
    data = library.data_dir
    assert library.fonts is not None and library.logo is not None
    files = [data / "treatments" / job.treatment / f"{job.lang}.yaml",
             data / "labels" / f"{job.lang}.yaml", data / "brand.yaml", data / "fonts.yaml",
             library.logo]
    family_name = library.labels[job.lang].font
    for name in [family_name, *library.fonts.families[family_name].fallbacks]:
        family = library.fonts.families[name]
        files += [library.fonts_dir / f for f in (family.regular, family.bold, family.italic,
                                                  family.bold_italic) if f]
    return sorted(set(files))
