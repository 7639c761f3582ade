"""Which documents exist: every treatment x kind x language the content can make.

A `Job` is one document's identity; its output name is derived from it, never parsed back.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from handouts.content.facts import FACTS_FILE
from handouts.content.load import Found, Library
from handouts.render.kinds import Kind

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


def plan(library: Found, langs: Iterable[str] | None = None) -> list[Job]:
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


def inputs_of(library: Library, job: Job) -> list[Path]:
    """Every file whose change changes `job`'s PDF: content, labels, brand, fonts, logo."""
    data = library.data_dir
    files = [data / "treatments" / job.treatment / f"{job.lang}.yaml",
             *[data / "treatments" / job.treatment / FACTS_FILE][:job.treatment
                                                                 in library.facts_docs],
             data / "labels" / f"{job.lang}.yaml", data / "brand.yaml", data / "fonts.yaml",
             library.logo]
    family_name = library.labels[job.lang].font
    for name in [family_name, *library.fonts.families[family_name].fallbacks]:
        family = library.fonts.families[name]
        files += [library.fonts_dir / f for f in (family.regular, family.bold, family.italic,
                                                  family.bold_italic) if f]
    return sorted(set(files))
