"""Translations measured against English: the same keys, made from the current text.

Pydantic already rejects unknown keys and missing required ones; `key_differences` also
catches optional keys one language has and another lacks (a price in English only, say),
pointing at the line.

Provenance: each treatment folder (and the labels folder) holds a `translations.lock` the
tool writes (never staff), recording for every translated text a short hash of the English
text it was made from and of the translation itself. When the English changes and the
translation does not, the translation may be out of date: reported until a person confirms
it (`handouts translated`) or edits it (a translation whose text changed counts as
confirmed). A lock beside the YAML keeps the files staff edit free of hashes, and a
one-line-per-text JSON merges like code.
"""

from __future__ import annotations

import hashlib
import json
import unicodedata
from collections.abc import Collection
from pathlib import Path
from typing import Any

from handouts.content.placeholders import texts
from handouts.content.yaml_source import Loc, YamlDocument, dotted
from handouts.errors import Problem

#: The file beside a treatment's language files that records where each translation came from.
LOCK = "translations.lock"

#: How much of the English a staleness message quotes.
QUOTED = 60

#: One language's record: key path -> (hash of the English it was made from, hash of itself).
Record = dict[str, tuple[str, str]]


def _keys(data: Any, loc: Loc = ()) -> dict[Loc, None]:
    """Every key path in `data`; list items are compared position by position."""
    found: dict[Loc, None] = {}
    if isinstance(data, dict):
        for key, value in data.items():
            found[(*loc, key)] = None
            found.update(_keys(value, (*loc, key)))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            found[(*loc, index)] = None  # an item (a step, a sign) the other file lacks
            found.update(_keys(value, (*loc, index)))
    return found


def key_differences(doc: YamlDocument, source: YamlDocument,
                    own: Collection[str] = ()) -> list[Problem]:
    """Keys `doc` lacks or adds compared with `source` (the English file), at `doc`'s lines;
    top-level keys in `own` are each language's own choice, not compared."""
    mine, theirs = ({loc: None for loc in _keys(data) if loc[0] not in own}
                    for data in (doc.data, source.data))
    problems = []
    for loc in theirs:
        if loc not in mine and loc[:-1] in mine | {(): None}:
            line, _ = source.where(loc)
            problems.append(doc.problem(loc[:-1], f"missing key '{dotted(loc)}' "
                                                  f"(present in {source.path}:{line})"))
    for loc in mine:
        if loc not in theirs and loc[:-1] in theirs | {(): None}:
            problems.append(doc.problem(loc, f"extra key '{dotted(loc)}' not in {source.path}"))
    return problems


def fingerprint(text: str) -> str:
    """A short hash of a text as a reader sees it (composed, without surrounding spaces)."""
    normal = unicodedata.normalize("NFC", text.strip())
    return hashlib.sha256(normal.encode("utf-8")).hexdigest()[:12]


def read_lock(folder: Path) -> tuple[dict[str, Record], Problem | None]:
    """Every language's record in `folder`'s lock (none when it has no lock), and the problem
    when it cannot be read (a damaged or hand-merged file)."""
    path = folder / LOCK
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
        return {lang: {key: (pair[0], pair[1]) for key, pair in record.items()}
                for lang, record in raw["languages"].items()}, None
    except FileNotFoundError:
        return {}, None
    except (OSError, ValueError, KeyError, TypeError, IndexError, AttributeError):
        return {}, Problem(path, 1, 1, "this record of what each translation was made from "
                                       "cannot be read; check the translations, then run "
                                       "`handouts translated` to write it anew")


def record_of(translation: Any, source: Any) -> Record:
    """What a translation's data is now and which English (`source`'s data) each of its
    texts is made from."""
    english = dict(texts(source))
    return {dotted(loc): (fingerprint(english[loc]), fingerprint(text))
            for loc, text in texts(translation) if loc in english}


def lock_text(records: dict[str, Record]) -> str:
    """The lock file's text: sorted, one text per line, so it diffs and merges well."""
    lines = ['{"about": "Which English text each translation was made from; written by '
             '`handouts translated` and `handouts new`, not by hand.",', ' "languages": {']
    for i, lang in enumerate(sorted(records)):
        items = sorted(records[lang].items())
        lines.append(f"  {json.dumps(lang)}: {{")
        lines += [f"   {json.dumps(key, ensure_ascii=False)}: {json.dumps(list(pair))}"
                  + ("," if j < len(items) - 1 else "") for j, (key, pair) in enumerate(items)]
        lines.append("  }" + ("," if i < len(records) - 1 else ""))
    return "\n".join([*lines, " }}", ""])


def with_records(folder: Path, records: dict[str, Record]) -> str:
    """`folder`'s lock text with `records` replacing those languages' (others kept)."""
    kept, _ = read_lock(folder)
    return lock_text({**kept, **records})


def _quoted(text: str) -> str:
    one_line = " ".join(text.split())
    return json.dumps(one_line if len(one_line) <= QUOTED else one_line[:QUOTED - 1] + "…",
                      ensure_ascii=False)


def out_of_date(translation: YamlDocument, source: YamlDocument, lang: str,
                record: Record) -> list[Problem]:
    """Each text of `translation` whose English changed since it was translated and which
    nobody has confirmed or edited since, at its own line."""
    english = dict(texts(source.data))
    problems = []
    for loc, text in texts(translation.data):
        made_from, made = record.get(dotted(loc), ("", ""))
        now = english.get(loc)
        if now is None or not made_from or made != fingerprint(text) \
                or made_from == fingerprint(now):
            continue
        line, _ = source.where(loc)
        problem = translation.problem(loc, f"may be out of date: {source.path.name}:{line} "
                                           f"now says {_quoted(now)}")
        problems.append(Problem(problem.path, problem.line, problem.column, problem.message,
                                lang=lang, unfinished=True))
    return problems
