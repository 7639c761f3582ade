"""Facts kept once: a treatment's language-neutral facts in its facts.yaml, its words in one
file per language, joined into the one Treatment the documents are made from.

The split follows the Treatment model itself: a field whose type is a `Fact` (a price, a
hold in seconds) or a picture's path is a fact, every other field is words. Adding a field
to the model therefore puts it in the right file, its schema and `handouts new` with no
change here. Items of a list that carry facts (a step and its icon, a stretch and its hold)
are joined by an `id` written in both files, not by position: a reordered list, an item a
translation lacks or a mistyped id is then reported by name. An exercise of the library
(data/exercises/<id>/) is split the same way, by the same rule, from the Exercise model.
"""

from __future__ import annotations

import functools
import operator
import types
import typing
from typing import Annotated, Any, Literal, TypeVar, Union

from pydantic import BaseModel, Field, ValidationError, create_model
from pydantic.fields import FieldInfo
from pydantic_core import ErrorDetails

from handouts.content import patterns
from handouts.content.models import FACT, Exercise, Model, Treatment
from handouts.content.yaml_source import Loc, YamlDocument, dotted
from handouts.errors import ContentError, Problem

#: The file in each treatment's folder that holds its facts.
FACTS_FILE = "facts.yaml"

#: An item's name, the same in the facts file and every language file (never translated).
ItemId = Annotated[str, Field(pattern=patterns.SLUG, max_length=40), FACT]
_ITEM_ID: dict[str, Any] = {
    "description": "the item's name, the same in facts.yaml and every language file (a-z, "
                   "0-9 and dashes): it joins the item's words to its facts",
    "examples": ["towel-stretch"]}

Kind = Literal["fact", "words", "both"]
W = TypeVar("W", bound=BaseModel)


def marked_fact(annotation: Any) -> bool:
    """Whether `annotation` (through Optional and Annotated) carries the FACT mark."""
    origin, args = typing.get_origin(annotation), typing.get_args(annotation)
    if origin is Annotated:
        return FACT in args[1:] or marked_fact(args[0])
    if origin in (Union, types.UnionType):
        return any(marked_fact(member) for member in args)
    return False


def is_fact(info: FieldInfo) -> bool:
    """Whether a field is a language-neutral fact rather than words."""
    return FACT in info.metadata or marked_fact(info.annotation)


def _model_in(annotation: Any) -> tuple[type[BaseModel], bool] | None:
    """The model a field holds (through Optional and Annotated), and whether as list items."""
    origin = typing.get_origin(annotation)
    if origin is Annotated:
        return _model_in(typing.get_args(annotation)[0])
    if origin in (Union, types.UnionType):
        found = [m for a in typing.get_args(annotation) if (m := _model_in(a))]
        return found[0] if len(found) == 1 else None
    if origin is list:
        inner = _model_in(typing.get_args(annotation)[0])
        return (inner[0], True) if inner and not inner[1] else None
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation, False
    return None


@functools.cache
def _holds(model: type[BaseModel], facts: bool) -> bool:
    """Whether `model` holds any facts (or, with facts=False, any words)."""
    return any(kind(info) in ("both", "fact" if facts else "words")
               for info in model.model_fields.values())


def kind(info: FieldInfo) -> Kind:
    """Whether a field is a fact, words, or a part (a model) holding both."""
    if is_fact(info):
        return "fact"
    inner = _model_in(info.annotation)
    if inner is None:
        return "words"
    if not _holds(inner[0], facts=False):
        return "fact"
    return "both" if _holds(inner[0], facts=True) else "words"


def _swap(annotation: Any, old: type[BaseModel], new: type[BaseModel]) -> Any:
    """`annotation` with the model `old` replaced by `new`."""
    if annotation is old:
        return new
    origin, args = typing.get_origin(annotation), typing.get_args(annotation)
    if origin is Annotated:
        return Annotated[(_swap(args[0], old, new), *args[1:])]
    if origin in (Union, types.UnionType):
        return functools.reduce(operator.or_, (_swap(a, old, new) for a in args))
    if origin is list:
        return list[_swap(args[0], old, new)]  # type: ignore[misc]
    return annotation


def _projected(example: Any, model: type[BaseModel]) -> Any:
    """An example of the whole treatment cut down to what `model` (a part of it) holds."""
    if isinstance(example, list):
        return [_projected(item, model) for item in example]
    if not isinstance(example, dict):
        return example
    fields = model.model_fields
    return {key: _projected(value, inner[0]) if (inner := _model_in(fields[key].annotation))
            else value for key, value in example.items() if key in fields}


@functools.cache
def part(model: type[BaseModel], facts: bool, listed: bool = False) -> type[BaseModel]:
    """The facts (or the words) of `model`: the model of what one file holds. An item of a
    list whose items carry facts gets an `id` in both (required with its facts)."""
    fields: dict[str, Any] = {}
    if listed:
        fields["id"] = (ItemId, Field(**_ITEM_ID)) if facts \
            else (ItemId | None, Field(None, **_ITEM_ID))
    for name, info in model.model_fields.items():
        here = kind(info)
        if here == "both":
            inner, in_list = _model_in(info.annotation) or (model, False)
            sub = part(inner, facts, in_list)
            annotation = _swap(info.annotation, inner, sub)
            required = info.is_required() and not facts  # a step may have no facts at all
            if not required and annotation is not None:
                annotation = annotation | None
            examples = [_projected(e, sub) for e in info.examples or []]
            fields[name] = (Annotated[(annotation, *info.metadata)] if info.metadata
                            else annotation,
                            Field(... if required else None, description=info.description,
                                  examples=examples or None))
        elif (here == "fact") == facts:
            fields[name] = (info.annotation, info)
    suffix = ("Item" if listed else "") + ("Facts" if facts else "Words")
    derived: type[BaseModel] = create_model(model.__name__ + suffix, __base__=Model,
                                            __doc__=model.__doc__, **fields)
    return derived


class TreatmentWords(part(Treatment, facts=False)):  # type: ignore[misc]
    """data/treatments/<treatment>/<lang>.yaml: one treatment's words in one language (its
    numbers, pictures and settings are in facts.yaml beside it)."""


class TreatmentFacts(part(Treatment, facts=True)):  # type: ignore[misc]
    """data/treatments/<treatment>/facts.yaml: what is the same in every language (price,
    duration, pictures, the exercises it gives, the sections an A6 card keeps), written
    once."""


class ExerciseWords(part(Exercise, facts=False)):  # type: ignore[misc]
    """data/exercises/<exercise>/<lang>.yaml: one exercise's words in one language (its
    picture, body area and doses are in facts.yaml beside it)."""


class ExerciseFacts(part(Exercise, facts=True)):  # type: ignore[misc]
    """data/exercises/<exercise>/facts.yaml: what is the same in every language (its
    picture, body area and default doses), written once."""


# -- a file holding what belongs in the other ---------------------------------------------------


def _named(data: Any, loc: Loc) -> str:
    """A key path as an editor finds it: a list item by its id where it has one."""
    shown: list[str | int] = []
    current = data
    for seg in loc:
        current = (current.get(seg) if isinstance(current, dict) else current[seg]
                   if isinstance(current, list) and isinstance(seg, int) else None)
        ident = current.get("id") if isinstance(current, dict) else None
        shown.append(f"{shown.pop()}[{ident}]" if isinstance(seg, int) and isinstance(
            ident, str) and shown else seg)
    return dotted(tuple(shown))


def misplaced(doc: YamlDocument, in_facts: bool,
              whole: type[BaseModel] = Treatment) -> tuple[list[Problem], YamlDocument]:
    """Each fact a language file sets (or words a facts file holds), at its line, and the
    document without them (so the model does not report them again as unknown keys)."""
    problems: list[Problem] = []
    others = "each language's file (en.yaml, vi.yaml, ...)"

    def kept(data: Any, model: type[BaseModel], loc: Loc) -> Any:
        if not isinstance(data, dict):
            return data
        result = {}
        for key, value in data.items():
            info = model.model_fields.get(key)
            here = kind(info) if info is not None else ("fact" if in_facts else "words")
            inner = _model_in(info.annotation) if info is not None else None
            if here == "both" and inner and inner[1] and isinstance(value, list):
                result[key] = [kept(item, inner[0], (*loc, key, i))
                               for i, item in enumerate(value)]
            elif here == "both" and inner:
                result[key] = kept(value, inner[0], (*loc, key))
            elif (here == "fact") == in_facts:
                result[key] = value
            elif in_facts:
                problems.append(doc.problem((*loc, key), f"{_named(doc.data, (*loc, key))} is "
                                            f"words, written in {others}; {FACTS_FILE} holds "
                                            "only what is the same in every language"))
            else:
                problems.append(doc.problem((*loc, key), f"{_named(doc.data, (*loc, key))} is "
                                            f"a fact kept once in {FACTS_FILE}; a language "
                                            "file holds only words"))
        return result

    pruned = kept(doc.data, whole, ())
    return problems, YamlDocument(doc.path, pruned, doc.positions, doc.source)


# -- joining facts and words -----------------------------------------------------------------


def _ids(items: list[Any]) -> list[str | None]:
    return [item.get("id") if isinstance(item, dict) else None for item in items]


def _twice(items: list[Any], doc: YamlDocument, loc: Loc) -> list[Problem]:
    """An id used twice in one list, at its second use."""
    seen: dict[str, int] = {}
    problems = []
    for i, ident in enumerate(_ids(items)):
        if ident is None:
            continue
        if ident in seen:
            line, _ = doc.where((*loc, seen[ident], "id"))
            problems.append(doc.problem((*loc, i, "id"), f"{dotted(loc)}: id '{ident}' is "
                                                         f"used twice (also at line {line})"))
        seen.setdefault(ident, i)
    return problems


def _join(words: Any, facts: Any, loc: Loc, sides: tuple[YamlDocument, YamlDocument | None],
          problems: list[Problem]) -> Any:
    """`words` with `facts` joined in: dicts key by key, lists of items by id (in the facts
    file's order, one for every language); what cannot be joined is added to `problems`."""
    words_doc, facts_doc = sides
    if isinstance(words, dict) or isinstance(facts, dict):
        words, facts = (side if isinstance(side, dict) else {} for side in (words, facts))
        return {key: _join(words.get(key), facts.get(key), (*loc, key), sides, problems)
                for key in [*words, *(key for key in facts if key not in words)]}
    if not isinstance(words, list) and not isinstance(facts, list):
        return words if facts is None else facts
    words, facts = (side if isinstance(side, list) else [] for side in (words, facts))
    if not any(isinstance(item, dict) for item in [*words, *facts]):
        return words or facts
    problems += _twice(words, words_doc, loc)
    by_id = {ident: (i, item) for i, (ident, item)
             in enumerate(zip(_ids(words), words, strict=True)) if ident is not None}
    known = [ident for ident in _ids(facts) if ident is not None]
    where = f"{facts_doc.path.name}:{facts_doc.where(loc)[0]}" if facts_doc else FACTS_FILE
    for i, ident in enumerate(_ids(words)):
        if ident is None and known:
            problems.append(words_doc.problem((*loc, i), f"{dotted(loc)}[{i}] needs the id of "
                                              f"its facts in {where}: one of "
                                              f"{', '.join(known)}"))
        elif ident is not None and ident not in known:
            listed = f"it lists {', '.join(known)}" if known else "it lists none here"
            problems.append(words_doc.problem((*loc, i, "id"), f"{dotted(loc)}: no '{ident}' "
                                              f"in {where} ({listed})"))
    if not known:
        return [{k: v for k, v in item.items() if k != "id"} if isinstance(item, dict)
                else item for item in words]
    assert facts_doc is not None  # facts were listed, so they came from a file
    joined = []
    for i, ident in enumerate(_ids(facts)):
        if ident not in by_id:
            problems.append(facts_doc.problem((*loc, i, "id"), f"{dotted(loc)}: '{ident}' has "
                                              f"no words in {words_doc.path.name}: add an "
                                              f"item with id: {ident} there"))
            continue
        at, item = by_id[ident]
        merged = _join(item, facts[i], (*loc, at), sides, problems)
        joined.append({k: v for k, v in merged.items() if k != "id"})
    return joined


def facts_problems(facts: BaseModel, doc: YamlDocument) -> list[Problem]:
    """What is wrong in a facts file beyond its model: an id used twice in a list."""
    problems: list[Problem] = []

    def walk(data: Any, loc: Loc) -> None:
        if isinstance(data, dict):
            for key, value in data.items():
                walk(value, (*loc, key))
        elif isinstance(data, list):
            problems.extend(_twice(data, doc, loc))
            for i, item in enumerate(data):
                walk(item, (*loc, i))

    walk(facts.model_dump(exclude_none=True), ())
    return problems


def _step(data: Any, seg: str | int) -> Any:
    if isinstance(data, dict):
        return data.get(seg)
    if isinstance(data, list) and isinstance(seg, int) and seg < len(data):
        return data[seg]
    return None


def _in_words(loc: Loc, words: Any, facts: Any) -> Loc:
    """Where a place in the joined treatment is in the language file: an item joined by id
    sits there at its own position, which need not be the facts file's."""
    found: list[str | int] = []
    for seg in loc:
        item = _step(facts, seg)
        ident = item.get("id") if isinstance(item, dict) else None
        at = (_ids(words).index(ident) if isinstance(words, list) and ident is not None
              and ident in _ids(words) else seg)
        found.append(at)
        words, facts = _step(words, at), item
    return tuple(found)


def _joining_problem(error: ErrorDetails, words: Any, facts: Any,
                     words_doc: YamlDocument) -> Problem:
    """A joined treatment's error at its place in the language file: a rule its words
    break (a picture without its description), or a fact an item needs and was not given."""
    loc = tuple(error["loc"])
    if error["type"] == "value_error":
        at = _in_words(loc, words, facts)
        message = error["msg"].removeprefix("Value error, ")
        named = _named(words_doc.data, at)
        return words_doc.problem(at, f"{named}: {message}" if named else message)
    return words_doc.problem(_in_words(loc[:-1], words, facts), (
        f"{dotted(loc)} is missing: give this item an id, and the id and its {loc[-1]} in "
        f"{FACTS_FILE}"))


def joined(words: BaseModel, words_doc: YamlDocument, facts: BaseModel | None,
           facts_doc: YamlDocument | None, whole: type[W] = Treatment) -> W:  # type: ignore[assignment]
    """The treatment (or exercise: `whole`) in one language: its words and its facts,
    joined; ContentError naming each item that cannot be joined (or a picture its words do
    not describe), at its line."""
    problems: list[Problem] = []
    said = words.model_dump(exclude_none=True)
    given = facts.model_dump(exclude_none=True) if facts else None
    data = _join(said, given, (), (words_doc, facts_doc), problems)
    if problems:
        raise ContentError(problems)
    try:
        return whole.model_validate(data)
    except ValidationError as exc:
        raise ContentError([_joining_problem(error, said, given, words_doc)
                            for error in exc.errors()]) from None
