"""The content at a glance, for whoever edits it without a terminal: every document with
its languages complete, may be out of date or missing, and `validate`'s problems."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from handouts.catalogue.build import LABELS, _kind_label, _names_of_files
from handouts.catalogue.checks import validate
from handouts.catalogue.plan import KINDS, plan
from handouts.content.load import SOURCE_LANGUAGE, load_library
from handouts.errors import Problem


@dataclass(frozen=True)
class Document:
    """One treatment's document of one kind, and its state in each language: (the
    language's own name, "complete" | "stale" | "missing"), as index.html marks them;
    `slug`, `kind_id` and `shown_lang` (the first language it can be made in, or "") say
    which document a picture of it shows."""

    treatment: str
    kind: str
    languages: tuple[tuple[str, str], ...]
    slug: str = ""
    kind_id: str = ""
    shown_lang: str = ""


@dataclass(frozen=True)
class Overview:
    documents: tuple[Document, ...]
    problems: tuple[Problem, ...]


def overview(data_dir: Path, fonts_dir: Path | None = None) -> Overview:
    """What `validate` finds in `data_dir`, and per document which languages can be made."""
    library = load_library(data_dir, fonts_dir)
    problems = validate(library, plan(library))
    treatment_of = _names_of_files(library)
    stale = {(treatment_of[p.path], p.lang) for p in library.out_of_date
             if p.path in treatment_of}
    documents = []
    english = library.labels.get(SOURCE_LANGUAGE) or next(iter(library.labels.values()), None)
    if english is None:  # no labels file loaded: no document can be made, problems say why
        return Overview((), tuple(problems))
    for slug, by_lang in sorted(library.treatments.items()):
        named = by_lang.get(SOURCE_LANGUAGE) or next(iter(by_lang.values()))
        for kind in KINDS:
            states, made = [], []
            for lang, labels in sorted(library.labels.items()):
                held = any(p.holds_back and p.holds_back.covers(slug, lang) for p in problems)
                state = ("missing" if lang not in by_lang or held else
                         "stale" if {(slug, lang), (LABELS, lang)} & stale else "complete")
                states.append((labels.language, state))
                made += [lang] if state != "missing" else []
            shown = SOURCE_LANGUAGE if SOURCE_LANGUAGE in made else next(iter(made), "")
            documents.append(Document(named.name, _kind_label(library, kind, english),
                                      tuple(states), slug, kind.value, shown))
    return Overview(tuple(documents), tuple(problems))
