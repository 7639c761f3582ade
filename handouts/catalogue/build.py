"""Building the catalogue: every treatment x kind x language, only what changed, on all cores.

Everything is loaded and checked before anything is written. A document with a problem is
reported and skipped, its previous PDF left in place, while the others are still built. The
manifest in the output folder records what each PDF was made from, so an unchanged document
is not rebuilt and a document whose source is gone is removed (never a file we did not make).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from handouts import __version__
from handouts.catalogue.checks import (
    Origin,
    concerns,
    glyph_check,
    has_shared_content,
    languages_asked,
    untranslated,
)
from handouts.catalogue.document import render_job
from handouts.catalogue.manifest import Made, Manifest
from handouts.catalogue.plan import (
    KINDS,
    Job,
    inputs_of,
    plan,
    shared_files,
    treatments_of,
    whole_catalogue,
)
from handouts.catalogue.pool import map_with_library
from handouts.content.cache import cached_library, store_learnt
from handouts.content.load import EXERCISES, SOURCE_LANGUAGE, Found, Library, treatment_files
from handouts.content.models import Labels
from handouts.errors import ContentError, Failure, HandoutsError, OutputError, Problem
from handouts.output.index import Entry, write_index
from handouts.output.preview import Thumbnails
from handouts.output.write import sweep_temps, write_atomic
from handouts.render.kinds import Kind
from handouts.render.sizes import Size

THUMBS = "thumbs"


@dataclass(frozen=True)
class NotBuilt:
    """A document left as it was. `failure` says why when rendering failed; otherwise the
    reason is among the report's problems (or its content file did not load)."""

    job: Job
    failure: Failure | None = None


@dataclass
class Unfinished:
    """What is still to do for one treatment (or one language's labels and brand texts):
    its documents are made once it is done, and meanwhile nothing has failed."""

    name: str
    untranslated: list[str] = field(default_factory=list)
    placeholders: int = 0
    out_of_date: int = 0
    #: Documents of the whole catalogue made without it meanwhile: kind -> languages.
    left_off: dict[Kind, list[str]] = field(default_factory=dict)

    def __str__(self) -> str:
        parts = []
        if self.untranslated:
            parts.append(f"not yet translated into {', '.join(self.untranslated)}")
        if self.placeholders:
            parts.append(f"{_count(self.placeholders, 'placeholder')} left")
        if self.out_of_date:
            parts.append(f"{_count(self.out_of_date, 'translated text')} may be out of date")
        parts += [f"left off the {', '.join(langs)} {kind}{'s' if len(langs) > 1 else ''}"
                  for kind, langs in self.left_off.items()]
        return f"{self.name}: {'; '.join(parts)}"


def _count(number: int, thing: str) -> str:
    return f"{number} {thing}{'s' if number != 1 else ''}"


@dataclass
class BuildReport:
    built: list[Path] = field(default_factory=list)
    unchanged: list[Path] = field(default_factory=list)
    removed: list[Path] = field(default_factory=list)
    failed: list[NotBuilt] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    #: What is still to do, one entry per treatment (`validate` lists the details).
    unfinished: list[Unfinished] = field(default_factory=list)

    @property
    def summary(self) -> str:
        removed = f", {len(self.removed)} removed" if self.removed else ""
        return (f"{len(self.built)} built, {len(self.unchanged)} unchanged, "
                f"{len(self.failed)} failed{removed}")


# -- rendering, serial or on every core ------------------------------------------------


def _render(library: Library, task: tuple[Job, Size]) -> bytes | Failure:
    """PDF bytes, or why this document cannot be made."""
    job, paper = task
    try:
        return render_job(library, job, job.size or job.kind.spec.beside[paper])
    except HandoutsError as exc:
        return Failure.of(exc)
    except Exception as exc:  # e.g. a font damaged inside a table: this document fails alone
        return Failure(message=f"cannot render ({type(exc).__name__}: {exc})")


# -- the build ------------------------------------------------------------------------------


def build(data_dir: Path, out_dir: Path, langs: Iterable[str] | None = None,
          paper: Size | str = Size.A4, fonts_dir: Path | None = None, force: bool = False,
          workers: int | None = None, index: bool = True,
          origin: Origin | None = None, cache: bool = True) -> BuildReport:
    """Bring `out_dir` up to date with `data_dir`; report built, unchanged, failed, removed.
    The content comes from the content cache (see content/cache.py) unless `cache` is off.

    Only the problems that touch the languages asked for are reported: a broken Korean
    file does not fail an English build. Raise ContentError for a language there is no
    content for."""
    paper = Size(paper)
    library = cached_library(data_dir, fonts_dir, use=cache)
    langs = languages_asked(library, langs, origin)
    for folder in (out_dir, out_dir / THUMBS):
        sweep_temps(folder)  # what builds killed mid-write left
    manifest = Manifest.load(out_dir)
    report = BuildReport(problems=[p for p in library.problems
                                   if concerns(p, langs) and not p.unfinished],
                         unfinished=_unfinished(library, langs))
    wanted = set(langs) if langs else None
    broken: set[str] = set()  # languages a treatment file of failed to load
    for treatment, lang in treatment_files(library.data_dir):
        loaded = lang in library.treatments.get(treatment, {})
        if not loaded and (wanted is None or lang in wanted) \
                and not _only_unfinished(library, treatment, lang):  # it failed to load
            broken.add(lang)
            report.failed += [NotBuilt(Job(treatment, kind, lang)) for kind in KINDS
                              if kind.spec.catalogue_sizes is None]
    settings = f"handouts {__version__}\npaper {paper}"
    pending: list[tuple[Job, str]] = []
    jobs = plan(library, langs, paper)
    shared = shared_files(library.data_dir)
    # a language whose every treatment file failed has no menu planned: it failed too
    report.failed += [NotBuilt(job) for job in whole_catalogue(sorted(broken), paper)
                      if job not in jobs]
    for job in jobs:
        target = out_dir / job.filename
        if not has_shared_content(library, job):
            if not _only_unfinished(library, job.treatment, job.lang):
                report.failed.append(NotBuilt(job))
            continue
        if not job.treatment:  # of the whole catalogue: never without a treatment in error
            if job.lang in broken:
                report.failed.append(NotBuilt(job))
                continue
            _left_off(library, job, report.unfinished)
        fingerprint = manifest.fingerprint(inputs_of(library, job, shared),
                                           f"{settings}\n{job}")
        if not force and manifest.is_current(job.filename, fingerprint):
            report.unchanged.append(target)
            continue
        try:
            problems = glyph_check(library, job)
        except ContentError as exc:  # a font of this language cannot be read
            problems = exc.problems
        if problems:
            report.problems += problems
            report.failed.append(NotBuilt(job))
            continue
        pending.append((job, fingerprint))

    thumbnails = Thumbnails()
    tasks = [(job, paper) for job, _ in pending]  # none unless the shared content loaded
    results = (map_with_library(library, _render, tasks, workers)
               if isinstance(library, Library) else iter(()))
    for (job, fingerprint), result in zip(pending, results, strict=True):
        if isinstance(result, Failure):
            report.failed.append(NotBuilt(job, result))
            continue
        target = out_dir / job.filename
        write_atomic(target, result)
        thumb = Path(THUMBS) / f"{target.stem}.png"
        if index:
            write_atomic(out_dir / thumb, thumbnails.of(result))
        manifest.record(job.filename, fingerprint, source_of(library.data_dir, job).resolve(),
                        (job.treatment, job.kind, job.lang),
                        [job.filename, thumb.as_posix()] if index else [job.filename])
        report.built.append(target)

    if (library.data_dir / "treatments").is_dir():  # not when the data folder vanished
        made = {job.filename for job in jobs}
        report.removed = _remove_orphans(manifest, lambda name, entry: not entry.treatment
                                         and (wanted is None or entry.lang in wanted)
                                         and entry.lang not in broken and name not in made)
    if index and (report.built or report.removed or report.unchanged):
        _write_index(out_dir, manifest, library, plan(library, None, paper))
    if out_dir.exists():
        manifest.save()
    store_learnt()  # which size fits each document (workers' too): the next build knows
    thumbnails.store()
    report.problems = sorted(set(report.problems))
    return report


#: The name the labels go by in what is unfinished (`labels: 2 translated texts may be ...`).
LABELS = "labels"


def _names_of_files(library: Found) -> dict[Path, str]:
    """Each loaded content file's treatment (an exercise's: the exercise), or "labels"."""
    return {**{doc.path: slug for (slug, _), doc in library.treatment_docs.items()},
            **{doc.path: ident for (ident, _), doc in library.exercise_docs.items()},
            **{doc.path: LABELS for doc in library.label_docs.values()}}


def _only_unfinished(library: Found, treatment: str, lang: str) -> bool:
    """Whether what holds back `treatment` in `lang` is only work still to do (placeholders),
    not a mistake: then its documents are unfinished, not failed."""
    holding = [p for p in library.problems
               if (p.holds_back and p.holds_back.covers(treatment, lang)) or p.lang == lang]
    return bool(holding) and all(p.unfinished for p in holding)


def _unfinished(library: Found, langs: list[str] | None) -> list[Unfinished]:
    """What is still to do in `langs`, gathered per treatment (and per language for its
    labels and brand texts)."""
    todo: dict[str, Unfinished] = {}

    def of(name: str) -> Unfinished:
        return todo.setdefault(name, Unfinished(name))

    for problem in untranslated(library, langs):
        if problem.holds_back and problem.holds_back.treatment:
            of(problem.holds_back.treatment).untranslated.append(problem.lang)
    treatment_of = _names_of_files(library)
    for problem in library.out_of_date:
        if concerns(problem, langs):
            of(treatment_of[problem.path]).out_of_date += 1
    for problem in library.problems:
        if problem.unfinished and concerns(problem, langs):
            scope = problem.holds_back
            if scope and scope.treatment:
                of(scope.treatment).placeholders += 1
            elif Path(problem.path).parent.parent.name == EXERCISES:  # an exercise's words
                of(Path(problem.path).parent.name).placeholders += 1
            else:
                of(f"{problem.lang or (scope and scope.lang)} labels and brand texts"
                   ).placeholders += 1
    return [todo[name] for name in sorted(todo)]


def source_of(data_dir: Path, job: Job) -> Path:
    """The file whose removal removes `job`'s document: its treatment's file in its language,
    or (of the whole catalogue) the language's labels."""
    if not job.treatment:
        return data_dir / "labels" / f"{job.lang}.yaml"
    return data_dir / "treatments" / job.treatment / f"{job.lang}.yaml"


def _left_off(library: Found, job: Job, unfinished: list[Unfinished]) -> None:
    """Note each treatment unfinished in `job`'s language that its document of the whole
    catalogue is made without (a mistake fails the document instead: see build)."""
    folders = {slug for slug, _ in treatment_files(library.data_dir)}
    on = set(treatments_of(library, job))
    for todo in unfinished:
        langs = todo.left_off.setdefault(job.kind, [])
        if todo.name in folders and todo.name not in on and job.lang not in langs \
                and (job.lang in todo.untranslated
                     or _only_unfinished(library, todo.name, job.lang)):
            langs.append(job.lang)
        if not langs:
            del todo.left_off[job.kind]


def _remove_orphans(manifest: Manifest, unplanned: Callable[[str, Made], bool]
                    ) -> list[Path]:
    """Delete the PDFs (and thumbnails) we made whose content file no longer exists, or that
    `unplanned` says the content no longer makes (a menu of a language with no treatment)."""
    removed = []
    for name, entry in sorted(manifest.documents.items()):
        if Path(entry.source).exists() and not unplanned(name, entry):
            continue
        for relative in dict.fromkeys([name, *entry.outputs]):
            path = manifest.folder / relative
            if not path.resolve().is_relative_to(manifest.folder.resolve()):
                continue  # a tampered manifest never deletes outside the output folder
            try:
                path.unlink(missing_ok=True)
            except OSError as exc:
                raise OutputError(f"{path}: cannot remove: {exc.strerror}") from None
            if relative == name:
                removed.append(path)
        del manifest.documents[name]
    return removed


def _write_index(out_dir: Path, manifest: Manifest, library: Found, jobs: list[Job]) -> None:
    """The catalogue page: every document made, and per treatment and kind each language
    complete, out of date (or unfinished since it was made) or missing; the documents of
    the whole catalogue (`jobs` says which the content makes) first, by size."""
    entries, whole = [], []
    treatment_of = _names_of_files(library)
    stale = {(treatment_of[p.path], p.lang) for p in library.out_of_date}
    made_in: dict[tuple[str, Kind], set[str]] = {}
    planned = {job.filename: job for job in jobs if not job.treatment}
    folders = {slug for slug, _ in treatment_files(library.data_dir)}
    sizes: dict[tuple[Kind, Size], set[str]] = {}
    for name, made in sorted(manifest.documents.items()):
        labels = library.labels.get(made.lang)
        job = planned.get(name)
        if job and job.size and labels and (out_dir / name).exists():
            on = treatments_of(library, job)
            current = set(on) == folders and not {*((slug, made.lang) for slug in on),
                                                   (LABELS, made.lang)} & stale
            whole.append(Entry(_kind_label(library, made.kind, labels), job.size.page_name,
                               labels.language, name,
                               ([f for f in made.outputs if f != name] or [""])[0],
                               "complete" if current else "stale"))
            sizes.setdefault((made.kind, job.size), set()).add(made.lang)
            continue
        content = library.treatments.get(made.treatment, {})
        named = content.get(SOURCE_LANGUAGE) or content.get(made.lang)
        if labels is None or named is None or not (out_dir / name).exists():
            continue
        kind_label = _kind_label(library, made.kind, labels)
        thumbs = [f for f in made.outputs if f != name] or [""]
        current = made.lang in content and not {(made.treatment, made.lang),
                                                 (LABELS, made.lang)} & stale
        entries.append(Entry(named.name, kind_label, labels.language, name, thumbs[0],
                             "complete" if current else "stale"))
        made_in.setdefault((made.treatment, made.kind), set()).add(made.lang)
    for (treatment, kind), langs in made_in.items():
        named = library.treatments[treatment].get(SOURCE_LANGUAGE) \
            or next(iter(library.treatments[treatment].values()))
        for lang, labels in sorted(library.labels.items()):
            if lang not in langs:
                entries.append(Entry(named.name, _kind_label(library, kind, labels),
                                     labels.language, "", "", "missing"))
    for (kind, size), langs in sizes.items():
        whole += [Entry(_kind_label(library, kind, labels), size.page_name, labels.language,
                        "", "", "missing")
                  for lang, labels in sorted(library.labels.items()) if lang not in langs]
    title = library.brand.name if isinstance(library, Library) else "handouts"
    write_index(out_dir, title, [*whole, *entries])


def _kind_label(library: Found, kind: Kind, labels: Labels) -> str:
    """A kind's heading on the page: one per kind, in English where there is English."""
    return kind.spec.label(library.labels.get(SOURCE_LANGUAGE, labels))
