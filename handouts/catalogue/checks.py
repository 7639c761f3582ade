"""Whether a document can be made: shared content loaded, the request known, every
character drawable (a treatment named by folder or name, a language in any case).
Everything is checked before anything is rendered; `validate` also lays each document out."""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TypeGuard

from handouts.catalogue.plan import Job, plan, treatments_of
from handouts.content.cache import learnt
from handouts.content.load import (
    EXERCISES,
    SOURCE_LANGUAGE,
    Found,
    Library,
    content_folder,
    load_library,
    treatment_files,
)
from handouts.content.translations import LOCK, record_of, with_records
from handouts.content.yaml_source import read_yaml
from handouts.errors import ContentError, Problem, Scope
from handouts.output.write import write_atomic
from handouts.render.fonts import RegisteredFamily, glyph_problems, register_family
from handouts.render.kinds import Kind
from handouts.render.sizes import Size


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
    """Every character `job` would draw that its font lacks, at its file:line:col.

    The fonts are registered every time (a build does it before its workers start, so they
    share them); the answer, a walk through every text (about 8 ms a document), depends on
    nothing but the library and is kept with its learnt answers."""
    family = family_for(library, job.lang)
    answers = learnt(library)
    key = ("glyph check", job.treatment, job.kind, job.lang)
    if key not in answers:
        brand_strings = (("name",), ("address",), ("tagline", job.lang),
                         ("disclaimer", job.lang))
        answers[key] = (
            *(problem for slug in treatments_of(library, job)
              for problem in glyph_problems(library.treatment_docs[(slug, job.lang)], family)),
            *(problem for (_, lang), doc in sorted(library.exercise_docs.items())
              if lang == job.lang and job.kind is Kind.AFTERCARE  # any may be in a programme
              for problem in glyph_problems(doc, family)),
            *glyph_problems(library.label_docs[job.lang], family),
            *glyph_problems(library.brand_doc, family, only=brand_strings),
        )
    return list(answers[key])


#: Where a requested value came from, for error messages: field name -> (file, line, column).
Origin = Callable[[str], tuple[Path, int, int]]


def require_data_folder(library: Found) -> None:
    """Raise the loading problem when --data names no folder: nothing can be made then, and
    'unknown treatment (known: none)' would blame the wrong thing."""
    if not library.data_dir.is_dir():
        raise ContentError(library.problems)


def _folded(name: str) -> str:
    """A name as staff may type it: any case, any spacing, composed or not."""
    return " ".join(unicodedata.normalize("NFKC", name).split()).casefold()


def language_named(asked: str, known: Iterable[str]) -> str | None:
    """The language of `known` that `asked` names: in any case (EN, ko-kr), and a region
    the content does not have falls back to its language (ko-KR -> ko)."""
    by_folded = {lang.casefold(): lang for lang in known}
    wanted = _folded(asked).replace("_", "-")
    while wanted:
        if wanted in by_folded:
            return by_folded[wanted]
        wanted = wanted.rpartition("-")[0]
    return None


def languages_asked(found: Found, langs: Iterable[str] | None,
                    origin: Origin | None = None) -> list[str] | None:
    """The languages `langs` name (None: all); raise ContentError for one there is no
    content for, listing those there are."""
    if not langs:
        return None
    known = languages_of(found)
    named = [(asked, language_named(asked, known)) for asked in langs]
    unknown = [asked for asked, lang in named if lang is None]
    if unknown:
        where = origin("lang") if origin else (found.data_dir / "labels", 1, 1)
        raise ContentError([Problem(*where, f"unknown language '{asked}' (there are: "
                                            f"{', '.join(known) or 'none'})")
                            for asked in unknown])
    return [lang for _, lang in named if lang is not None]


def treatment_named(found: Found, asked: str) -> str | None:
    """The treatment folder `asked` names: the folder itself or its `name:` in any
    language, in any case."""
    wanted = _folded(asked)
    folders = sorted({slug for slug, _ in treatment_files(found.data_dir)})
    for slug in folders:
        if _folded(slug) == wanted:
            return slug
    for slug, by_lang in sorted(found.treatments.items()):
        if any(_folded(treatment.name) == wanted for treatment in by_lang.values()):
            return slug
    return None


def job_for(found: Found, treatment: str, kind: Kind, lang: str,
            origin: Origin | None = None) -> Job:
    """The document staff ask for, by treatment folder or name and by language code in any
    case; raise ContentError, where it was asked (a CSV cell, a command-line argument),
    naming the treatments or languages there are."""
    def asked(field: str, folder: Path) -> tuple[Path, int, int]:
        return origin(field) if origin else (folder, 1, 1)

    require_data_folder(found)
    if lang in found.treatments.get(treatment, {}):  # asked as the files are named: no need
        return Job(treatment, kind, lang)  # to list the folder (a batch asks once per row)
    treatments = found.data_dir / "treatments"
    slug = treatment_named(found, treatment)
    if slug is None:
        files = treatment_files(found.data_dir)
        known = ", ".join(_with_name(found, folder) for folder in sorted({s for s, _ in files}))
        raise ContentError([Problem(*asked("treatment", treatments),
                                    f"unknown treatment '{treatment}' (there are: "
                                    f"{known or 'none'})")])
    have = [code for folder, code in treatment_files(found.data_dir) if folder == slug]
    code = language_named(lang, have)
    if code is None:
        raise ContentError([Problem(*asked("lang", treatments / slug),
                                    f"no '{lang}' version of {slug} (have: {', '.join(have)})")])
    return Job(slug, kind, code)


def _with_name(found: Found, slug: str) -> str:
    """A treatment folder with its name, as staff know it: `plantar-fasciitis (Plantar
    fasciitis foot massage)`."""
    by_lang = found.treatments.get(slug, {})
    named = by_lang.get(SOURCE_LANGUAGE) or next(iter(by_lang.values()), None)
    return f"{slug} ({named.name})" if named else slug


def check_job(library: Found, job: Job, origin: Origin | None = None) -> Library:
    """The library `job` can be made from; else raise ContentError naming what stops it.

    An unknown treatment or language is the request's fault: with an `origin`, it is
    reported where it was asked (a CSV cell, a command-line argument). A content file that
    did not load is reported at its own lines.
    """
    job = job_for(library, job.treatment, job.kind, job.lang, origin)
    blocking = [p for p in library.problems
                if p.holds_back and p.holds_back.covers(job.treatment, job.lang)]
    if blocking:
        raise ContentError(blocking)
    loaded = library.treatments.get(job.treatment, {})
    if job.lang not in loaded or not has_shared_content(library, job):
        raise ContentError(library.problems)
    problems = glyph_check(library, job)
    if problems:
        raise ContentError(problems)
    return library


def concerns(problem: Problem, langs: Iterable[str] | None) -> bool:
    """Whether `problem` touches the languages asked for (every one when None): a problem
    holding back only another language's documents does not."""
    scope = problem.holds_back
    lang = scope.lang if scope else problem.lang or None
    return langs is None or lang is None or lang in langs


def languages_of(found: Found) -> list[str]:
    """Every language the content has: those with a labels file or a treatment file."""
    return sorted({lang for _, lang in treatment_files(found.data_dir)}
                  | {path.stem for path in (found.data_dir / "labels").glob("*.yaml")})


def untranslated(found: Found, langs: Iterable[str] | None = None) -> list[Problem]:
    """Each language (of `langs`, all when None) a treatment has no file for yet, at its
    English file: work still to do, not a mistake."""
    files = treatment_files(found.data_dir)
    wanted = set(langs) if langs is not None else None
    problems = []
    for slug in sorted({slug for slug, lang in files if lang == SOURCE_LANGUAGE}):
        english = found.data_dir / "treatments" / slug / f"{SOURCE_LANGUAGE}.yaml"
        have = {lang for folder, lang in files if folder == slug}
        for lang in languages_of(found):
            if lang not in have and (wanted is None or lang in wanted):
                problems.append(Problem(
                    english, 1, 1, f"not yet translated into {lang} (`handouts new "
                    f"translation {slug} --lang {lang}` starts it)", lang=lang,
                    holds_back=Scope(slug, lang), unfinished=True))
    return problems


def unfinished_work(found: Found, langs: Iterable[str] | None = None) -> list[Problem]:
    """What is still to do in `langs` (all when None): placeholders, translations not yet
    started and texts whose English changed since they were translated."""
    langs = list(langs) if langs is not None else None
    return sorted({*(p for p in found.problems if p.unfinished and concerns(p, langs)),
                   *untranslated(found, langs),
                   *(p for p in found.out_of_date if concerns(p, langs))})


def validate(library: Found, jobs: list[Job], langs: list[str] | None = None) -> list[Problem]:
    """Every content problem in `langs` (all when None): loading, translation gaps and texts
    out of date, glyph coverage, and what laying each document out finds, as `build` would
    meet them."""
    problems = [p for p in library.problems if concerns(p, langs)]
    problems += [gap for gap in library.translation_gaps
                 if langs is None or gap.path.stem in langs]  # files are named by language
    problems += unfinished_work(library, langs)
    drawable = []
    for job in jobs:
        if has_shared_content(library, job):
            glyphs = glyph_check(library, job)
            problems += glyphs
            if not glyphs:
                drawable.append((job, job.size or job.kind.spec.beside[Size.A4]))  # as built
    if drawable and isinstance(library, Library):
        # what only laying it out finds (a picture too small where it is placed, a section
        # that cannot fit), by trial layouts; imported here: document.py needs this module
        from handouts.catalogue.document import trial_problems
        from handouts.catalogue.pool import map_with_library

        for found in map_with_library(library, trial_problems, drawable, per_worker=8):
            problems += found
    return sorted(set(problems))


def validate_folder(data_dir: Path, fonts_dir: Path | None,
                    langs: Iterable[str] | None = None,
                    origin: Origin | None = None) -> tuple[list[Job], list[Problem]]:
    """The documents the content in `data_dir` can make, and every problem it has; raise
    ContentError for a language there is no content for."""
    library = load_library(data_dir, fonts_dir)
    wanted = languages_asked(library, langs, origin)
    jobs = plan(library, wanted)
    return jobs, validate(library, jobs, wanted)


def confirm_translations(data_dir: Path, treatment: str | None = None,
                         langs: Iterable[str] | None = None) -> list[tuple[str, list[str]]]:
    """Record that a person checked the translations of `treatment` (every one, and the
    labels, when None) in `langs` (every language each has when None) against today's
    English; each treatment (or "labels") with the languages confirmed. The record is each
    folder's lock (translations.lock); none is written unless every file could be read."""
    content_folder(data_dir)
    files = treatment_files(data_dir)
    folders: list[tuple[str, Path, list[str]]] = []  # name, folder, its translations
    if treatment is None:
        labels = sorted(path.stem for path in (data_dir / "labels").glob("*.yaml"))
        if SOURCE_LANGUAGE in labels:
            folders.append(("labels", data_dir / "labels",
                            [lang for lang in labels if lang != SOURCE_LANGUAGE]))
        slugs = sorted({slug for slug, lang in files if lang == SOURCE_LANGUAGE})
    else:
        slug = treatment_named(load_library(data_dir), treatment)
        if slug is None:
            known = ", ".join(sorted({s for s, _ in files})) or "none"
            raise ContentError([Problem(data_dir / "treatments", 1, 1, f"unknown treatment "
                                        f"'{treatment}' (there are: {known})")])
        slugs = [slug]
    folders += [(slug, data_dir / "treatments" / slug,
                 [lang for s, lang in files if s == slug and lang != SOURCE_LANGUAGE])
                for slug in slugs]
    if treatment is None:  # the exercise library is translated as the treatments are
        exercises = treatment_files(data_dir, EXERCISES)
        folders += [(ident, data_dir / EXERCISES / ident,
                     [lang for e, lang in exercises if e == ident and lang != SOURCE_LANGUAGE])
                    for ident in sorted({e for e, lang in exercises
                                         if lang == SOURCE_LANGUAGE})]
    problems: list[Problem] = []
    locks: list[tuple[Path, str]] = []
    confirmed = []
    for name, folder, have in folders:
        chosen = have if langs is None else [lang for asked in langs
                                             if (lang := language_named(asked, have))]
        if treatment is not None and langs is not None and len(chosen) < len(list(langs)):
            problems += [Problem(folder, 1, 1, f"no '{asked}' translation of {name} (have: "
                                               f"{', '.join(have) or 'none'})")
                         for asked in langs if language_named(asked, have) is None]
            continue
        try:
            source = read_yaml(folder / f"{SOURCE_LANGUAGE}.yaml")  # placeholders or not
            records = {lang: record_of(read_yaml(folder / f"{lang}.yaml").data, source.data)
                       for lang in chosen}
        except ContentError as exc:
            problems += exc.problems
            continue
        locks.append((folder / LOCK, with_records(folder, records)))
        confirmed.append((name, chosen))
    if problems:
        raise ContentError(problems)
    for path, text in locks:
        write_atomic(path, text.encode("utf-8"))
    return confirmed
