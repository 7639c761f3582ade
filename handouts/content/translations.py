"""Translation completeness: a language's files should have the same keys as English.

Pydantic already rejects unknown keys and missing required ones; this also catches optional
keys one language has and another lacks (a price in English only, say), pointing at the line.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from handouts.content.yaml_source import Loc, YamlDocument, dotted
from handouts.errors import Problem


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
