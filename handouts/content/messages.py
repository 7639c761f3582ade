"""Pydantic's validation errors in a spa editor's words, in one place.

Each kind of error the content models and a visit's options can raise is worded here
("String should have at most 200 characters" becomes "is too long: 230 characters, at most
200"); a mistyped key is told the key it was probably meant to be, instead of an unknown key
and a missing one; a key a model no longer has is told why, and to delete it. A kind not
listed keeps pydantic's sentence rather than failing.
"""

from __future__ import annotations

import difflib
import inspect
import re
import types
import typing
from collections.abc import Iterable
from typing import Any

from pydantic import BaseModel
from pydantic_core import ErrorDetails

from handouts.content import patterns
from handouts.content.yaml_source import Loc, dotted

#: What a value checked against each pattern should look like.
PATTERNS = {
    patterns.CURRENCY: "a three-letter currency code in capitals, such as VND",
    patterns.LANGUAGE_CODE: "a language code such as vi or pt-BR",
}


def _shape(value: Any) -> str:
    """What the editor wrote, as they would call it."""
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "keys and values"
    return "one text"


def _quoted(text: str) -> list[str]:
    """'a', 'b' or 'c' (pydantic's list of allowed values) -> [a, b, c]."""
    return re.findall(r"'((?:[^'\\]|\\.)*)'", text)


def _one_of(given: Any, allowed: list[str]) -> str:
    """"'x' is not one of: a, b", with the closest allowed value when one is close."""
    message = f"{given!r} is not one of: {', '.join(allowed)}"
    close = difflib.get_close_matches(str(given), allowed, n=1)
    return message + (f" (did you mean '{close[0]}'?)" if close else "")


#: What to write where a value of each type was left empty.
EMPTY = {"string_type": "the text", "list_type": "at least one item",
         **dict.fromkeys(("int_type", "int_parsing"), "a whole number"),
         **dict.fromkeys(("bool_type", "bool_parsing"), "true or false"),
         **dict.fromkeys(("date_type", "date_parsing"), "a date, YYYY-MM-DD"),
         **dict.fromkeys(("dict_type", "model_type", "model_attributes_type"),
                         "its keys and values")}


def in_words(error: ErrorDetails) -> str:
    """What is wrong with one value, to follow its key ('name: ' + this)."""
    kind = error["type"]
    given: Any = error["input"]
    ctx: dict[str, Any] = error.get("ctx") or {}
    if given in (None, "") and kind in EMPTY:
        return f"is empty: write {EMPTY[kind]}"
    if kind == "string_type":
        return f"should be one text, not {_shape(given)}"
    if kind == "string_too_short":
        return ("is empty" if ctx["min_length"] == 1 else
                f"is too short: {len(given)} characters, at least {ctx['min_length']}")
    if kind == "string_too_long":
        return f"is too long: {len(given)} characters, at most {ctx['max_length']}"
    if kind == "string_pattern_mismatch":
        return f"write {PATTERNS.get(ctx['pattern'], 'it in the expected form')}; not {given!r}"
    if kind == "too_short":
        return ("is empty: write at least one item" if ctx["min_length"] == 1 else
                f"has {ctx['actual_length']} items; it needs at least {ctx['min_length']}")
    if kind == "too_long":
        return f"has {ctx['actual_length']} items; at most {ctx['max_length']}"
    if kind == "list_type":
        return "should be a list: one item per line, each starting with '- '"
    if kind in ("dict_type", "model_type", "model_attributes_type"):
        return f"should be keys and values, each on its own line, not {_shape(given)}"
    if kind in ("int_parsing", "int_type", "int_from_float"):
        return f"should be a whole number (digits only), not {given!r}"
    if kind == "int_parsing_size":
        return "is far too large a number"
    if kind in ("greater_than_equal", "greater_than"):
        floor = f"at least {ctx['ge']}" if "ge" in ctx else f"more than {ctx['gt']}"
        return f"is too small: {given}, {floor}"
    if kind in ("less_than_equal", "less_than"):
        ceiling = f"at most {ctx['le']}" if "le" in ctx else f"less than {ctx['lt']}"
        return f"is too large: {given}, {ceiling}"
    if kind == "literal_error":
        return _one_of(given, _quoted(ctx["expected"]))
    if kind.startswith("date_"):
        return f"should be a date written YYYY-MM-DD, not {given!r}"
    if kind in ("bool_parsing", "bool_type"):
        return f"should be true or false, not {given!r}"
    if kind == "union_tag_invalid":
        return "unknown kind: " + _one_of(ctx["tag"], _quoted(ctx["expected_tags"]))
    if kind == "union_tag_not_found":
        return f"has no {ctx['discriminator']} key: say which kind it is"
    return error["msg"].removeprefix("Value error, ")


# -- keys ------------------------------------------------------------------------------------


def _members(annotation: Any) -> list[Any]:
    """The types a field may hold, seen through Annotated and Optional/unions."""
    if typing.get_origin(annotation) is typing.Annotated:
        return _members(typing.get_args(annotation)[0])
    if typing.get_origin(annotation) in (typing.Union, types.UnionType):
        return [m for a in typing.get_args(annotation) if a is not type(None)
                for m in _members(a)]
    return [annotation]


def _inside(annotation: Any, segment: str | int) -> Any:
    """The type found at `segment` (a key, an index, a channel's kind) of an `annotation`."""
    for member in _members(annotation):
        origin = typing.get_origin(member)
        if isinstance(segment, int) and origin is list:
            return typing.get_args(member)[0]
        if isinstance(segment, str) and origin is dict:
            return typing.get_args(member)[1]
        if inspect.isclass(member) and issubclass(member, BaseModel):
            fields = member.model_fields
            if segment in fields:
                return fields[segment].annotation
            kind = fields.get("kind")
            if kind is not None and segment in typing.get_args(kind.annotation):
                return member  # the member of a union pydantic tried, by its tag
    return None


def _model_at(model: type[BaseModel], loc: tuple[Any, ...]) -> type[BaseModel] | None:
    """The model a mapping at pydantic's `loc` in `model` is read as (None when unknown)."""
    current: Any = model
    for segment in loc:
        current = _inside(current, segment)
    found = [m for m in _members(current) if inspect.isclass(m) and issubclass(m, BaseModel)]
    return found[0] if found else None


def _keys_at(model: type[BaseModel], loc: tuple[Any, ...]) -> list[str]:
    """The keys a mapping at pydantic's `loc` in `model` may have (none when unknown)."""
    found = _model_at(model, loc)
    return list(found.model_fields) if found else []


def _retired(model: type[BaseModel], loc: tuple[Any, ...]) -> dict[str, str]:
    """Keys the mapping at pydantic's `loc` once had (a model's RETIRED), and why they went."""
    retired: dict[str, str] = getattr(_model_at(model, loc), "RETIRED", {})
    return retired


def _value_at(data: Any, loc: Loc) -> Any:
    """What the file holds at `loc` (a key path of the file, so every step exists)."""
    for segment in loc:
        data = data[segment] if isinstance(data, dict) or isinstance(segment, int) else None
    return data


def worded(errors: Iterable[tuple[ErrorDetails, Loc]], model: type[BaseModel],
           data: Any) -> list[tuple[Loc, str]]:
    """Each of `model`'s errors on `data` (with its key path as the file has it) as a key
    path and a message. An unknown key close to one the model allows, and not written, says
    which one it probably is, and that key's own `missing key` is then not repeated."""
    errors = list(errors)
    meant: dict[Loc, str] = {}  # the missing key a mistyped one stands for
    for error, loc in errors:
        if error["type"] == "extra_forbidden":
            written = _value_at(data, loc[:-1])
            allowed = [key for key in _keys_at(model, error["loc"][:-1])
                       if not (isinstance(written, dict) and key in written)]
            close = difflib.get_close_matches(str(loc[-1]), allowed, n=1)
            if close:
                meant[loc] = close[0]
    explained = {(*loc[:-1], key) for loc, key in meant.items()}
    out = []
    for error, loc in errors:
        where = f" in {dotted(loc[:-1])}" if len(loc) > 1 else ""
        if error["type"] == "missing":
            if loc not in explained:
                out.append((loc, f"missing key '{loc[-1]}'{where}"))
        elif error["type"] == "extra_forbidden":
            retired = _retired(model, error["loc"][:-1]).get(str(loc[-1]))
            hint = f" (did you mean '{meant[loc]}'?)" if loc in meant else ""
            out.append((loc, f"{dotted(loc)}: no longer needed: {retired}; delete this line"
                        if retired else f"unknown key '{loc[-1]}'{where}{hint}"))
        else:
            name = dotted(loc)
            out.append((loc, f"{name}: {in_words(error)}" if name else in_words(error)))
    return out
