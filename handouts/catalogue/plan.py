"""Which documents exist: every treatment x kind x language the content can make, and
each language's documents of the whole catalogue (the menu) at each of their sizes.

A `Job` is one document's identity; its output name is derived from it, never parsed back.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from handouts.content.facts import FACTS_FILE
from handouts.content.load import EXERCISES, Found, Library
from handouts.render.kinds import Kind
from handouts.render.sizes import Size

#: Every kind of document, in build order.
KINDS = tuple(Kind)


@dataclass(frozen=True, order=True)
class Job:
    """One document to build: of one treatment, or (treatment "") of the whole catalogue
    at one of its kind's sizes."""

    treatment: str
    kind: Kind
    lang: str
    size: Size | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "kind", Kind(self.kind))  # "flyer" at the edge, Kind below

    @property
    def filename(self) -> str:
        if not self.treatment:  # menu-en-a4.pdf
            return f"{self.kind}-{self.lang}-{self.size}.pdf"
        return f"{self.treatment}-{self.kind}-{self.lang}.pdf"


def plan(library: Found, langs: Iterable[str] | None = None,
         paper: Size = Size.A4) -> list[Job]:
    """Every document the content can make on `paper`, optionally only in `langs`: each
    kind of the whole catalogue once per language some treatment is written in."""
    wanted = set(langs) if langs else None
    written = {lang for by_lang in library.treatments.values() for lang in by_lang
               if wanted is None or lang in wanted}
    jobs = [
        Job(slug, kind, lang)
        for slug, by_lang in library.treatments.items()
        for lang in by_lang
        for kind in KINDS
        if kind.spec.catalogue_sizes is None and (wanted is None or lang in wanted)
    ]
    jobs += whole_catalogue(written, paper)
    return sorted(jobs, key=lambda job: (job.treatment, job.kind, job.lang, job.size or ""))


def whole_catalogue(langs: Iterable[str], paper: Size) -> list[Job]:
    """The documents of the whole catalogue in `langs`, at their sizes beside `paper`."""
    return [Job("", kind, lang, size) for kind in KINDS if kind.spec.catalogue_sizes
            for size in kind.spec.catalogue_sizes[paper] for lang in langs]


def treatments_of(library: Found, job: Job) -> list[str]:
    """The treatments `job` is made from: its own, or every one written in its language."""
    if job.treatment:
        return [job.treatment]
    return sorted(slug for slug, by_lang in library.treatments.items() if job.lang in by_lang)


def inputs_of(library: Library, job: Job, shared: list[Path] | None = None) -> list[Path]:
    """Every file whose change can change `job`'s PDF: its treatments' files in its
    language and their facts, each exercise's words in its language and its facts, its
    language's labels, the fonts it is set in, and every other file under data/ (brand,
    logo, pictures, and whatever folder the content grows next: a kind of file nobody
    listed here still counts): `shared`, when a build has listed them once for all its
    documents."""
    data = library.data_dir
    slugs = treatments_of(library, job)
    files = [*(data / "treatments" / slug / f"{job.lang}.yaml" for slug in slugs),
             *(data / "treatments" / slug / FACTS_FILE for slug in slugs
               if slug in library.facts_docs),
             *(path for folder in _exercise_folders(data)
               for path in (folder / f"{job.lang}.yaml", folder / FACTS_FILE) if path.is_file()),
             data / "labels" / f"{job.lang}.yaml", library.logo,
             *(shared_files(data) if shared is None else shared)]
    family_name = library.labels[job.lang].font
    for name in [family_name, *library.fonts.families[family_name].fallbacks]:
        family = library.fonts.families[name]
        files += [library.fonts_dir / f for f in (family.regular, family.bold, family.italic,
                                                  family.bold_italic) if f]
    return sorted(set(files))


#: The folders under data/ whose files belong to one treatment or one language.
_PER_DOCUMENT = ("treatments", "labels", EXERCISES)


def _exercise_folders(data_dir: Path) -> list[Path]:
    """The exercise library's folders: each exercise's words in a language are an input of
    that language's documents only (a translation of a stretch rebuilds nothing else)."""
    library = data_dir / EXERCISES
    return sorted(path for path in library.iterdir() if path.is_dir()) if library.is_dir() else []


def shared_files(data_dir: Path) -> list[Path]:
    """Every file under `data_dir` that is not one treatment's or one language's."""
    return sorted(path for path in data_dir.rglob("*")
                  if path.relative_to(data_dir).parts[0] not in _PER_DOCUMENT
                  and path.is_file())
