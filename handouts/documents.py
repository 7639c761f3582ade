"""The documents: which treatment x kind x language documents exist, and how one is made.

A document is checked (shared content loaded, every character drawable) before it is
rendered; building many of them, incrementally, is build.py's job.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from reportlab.lib.units import mm

from handouts import __version__
from handouts.content.appointments import Visit
from handouts.content.load import Library, load_library
from handouts.content.models import Labels
from handouts.errors import ContentError, Problem
from handouts.render.aftercare import personal_block
from handouts.render.document import Masthead, Metadata, PageSpec, render
from handouts.render.fonts import RegisteredFamily, glyph_problems, register_family
from handouts.render.kinds import Content, Kind
from handouts.render.sizes import Size
from handouts.render.theme import Palette, Theme

#: Every kind of document, in build order.
KINDS = tuple(Kind)


@dataclass(frozen=True, order=True)
class Job:
    """One document to build."""

    treatment: str
    kind: Kind
    lang: str

    def __post_init__(self) -> None:
        object.__setattr__(self, "kind", Kind(self.kind))  # "flyer" at the edge, Kind below

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


def render_job(library: Library, job: Job, size: Size | str | None = None,
               bleed_mm: float = 0, visit: Visit | None = None) -> bytes:
    """PDF bytes for `job` (at its kind's default size unless `size` says otherwise),
    personalised for `visit` when given.

    Raises LayoutError when it cannot fit without going below the type floors.
    """
    assert library.brand is not None and library.logo is not None
    brand = library.brand
    treatment = library.treatments[job.treatment][job.lang]
    labels = library.labels[job.lang]
    family = family_for(library, job.lang)
    palette = Palette.from_brand(brand.colours)
    kind = job.kind.spec
    size = Size(size) if size else kind.default_size
    kind_label = kind.label(labels)
    masthead = Masthead(
        spa_name=brand.name, tagline=brand.tagline[job.lang], kind_label=kind_label,
        treatment_name=treatment.name, disclaimer=brand.disclaimer[job.lang],
        page_label=labels.page, logo=library.logo,
    )
    title = f"{treatment.name}: {kind_label}"
    meta = Metadata(
        title=f"{title} ({visit.client})" if visit else title, author=brand.name,
        subject=kind.subject(treatment), lang=job.lang, creator=f"handouts {__version__}",
        keywords=(job.treatment, job.kind.value, job.lang),
    )
    what = f"{job.treatment} {job.kind} ({job.lang}, {size.page_name})"
    content = Content(treatment, labels, brand, library.pictures, masthead, visit)
    layout = kind.layout(kind, content, size, bleed_mm * mm)
    spec = layout.spec
    trials: dict[Hashable, bool] | None = None
    trial_key: Callable[[Theme], Hashable] | None = None
    if visit is not None:  # only the visit's block differs between a client's sheets
        trials = _trials_for(library)
        trial_key = partial(_sheet_trial_key, job, spec, visit, labels)
    return render(
        layout.compose, layout.design, spec, meta,
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
