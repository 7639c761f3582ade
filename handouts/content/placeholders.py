"""Placeholder text that `handouts new` writes and a person must replace before printing.

`TODO: ...` marks a value still to be written, `TRANSLATE: ...` one still to be translated
(it holds the English to translate from). Either is a problem at its own line and column, and
the document it belongs to is not built until it is gone.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from pydantic import BaseModel

from handouts.content import patterns
from handouts.content.yaml_source import Loc, YamlDocument, dotted
from handouts.errors import Problem

TODO = "TODO:"
TRANSLATE = "TRANSLATE:"


def language_keys(model: type[BaseModel]) -> tuple[str, ...]:
    """Fields of `model` that hold one text per language code (the brand's tagline, ...)."""
    per_language = {"propertyNames": {"pattern": patterns.LANGUAGE_CODE}}
    return tuple(name for name, info in model.model_fields.items()
                 if isinstance(info.json_schema_extra, dict)
                 and info.json_schema_extra.get("propertyNames") == per_language["propertyNames"])


def texts(data: Any, loc: Loc = ()) -> list[tuple[Loc, str]]:
    """Every text in a file's data with its key path, in file order."""
    if isinstance(data, dict):
        return [found for key, value in data.items() for found in texts(value, (*loc, key))]
    if isinstance(data, list):
        return [found for i, value in enumerate(data) for found in texts(value, (*loc, i))]
    return [(loc, data)] if isinstance(data, str) else []


def placeholders(doc: YamlDocument, model: type[BaseModel]) -> list[tuple[Loc, Problem]]:
    """Every placeholder in `doc`, with its key path. A placeholder in a per-language text of
    the brand carries that language: it holds back only that language's documents."""
    languages = language_keys(model)
    found = []
    for loc, value in texts(doc.data):
        text = value.strip()
        if text.startswith(TODO):
            message = f"still a placeholder: {dotted(loc)}"
        elif text.startswith(TRANSLATE):
            message = f"still to translate: {dotted(loc)}"
        else:
            continue
        problem = replace(doc.problem(loc, message), unfinished=True)
        if len(loc) > 1 and loc[0] in languages:
            problem = replace(problem, lang=str(loc[1]))
        found.append((loc, problem))
    return found


def covered(loc: Loc, marks: list[tuple[Loc, Problem]]) -> bool:
    """Whether `loc` is a placeholder or inside one (its type error is the placeholder's)."""
    return any(tuple(loc[:len(mark)]) == mark for mark, _ in marks)
