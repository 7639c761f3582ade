"""`handouts new`: start a treatment or a language from the models, never overwriting a file.

A new treatment file has every key, a short comment on each (the field's description) and
`TODO: ...` text; a new language gets a labels file and a stub of each treatment whose texts
are the English ones marked `TRANSLATE: ...`, and the brand's per-language texts gain the
language. Until every placeholder is replaced, `handouts validate` lists them and nothing
half-written is built (see placeholders.py).
"""

from __future__ import annotations

import json
import re
import textwrap
import types
import typing
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, Union

import yaml
from pydantic import BaseModel
from pydantic.fields import FieldInfo

from handouts.content import patterns
from handouts.content.facts import (
    FACTS_FILE,
    ExerciseWords,
    TreatmentFacts,
    TreatmentWords,
    marked_fact,
)
from handouts.content.load import (
    EXERCISES,
    SOURCE_LANGUAGE,
    content_folder,
    folder_entries,
    load_file,
    validate_doc,
)
from handouts.content.models import Brand, FontCatalogue, Labels
from handouts.content.placeholders import TODO, TRANSLATE, language_keys, placeholders
from handouts.content.schema import FOLDER, modeline, schema_for, schema_texts
from handouts.content.translations import LOCK, record_of, with_records
from handouts.content.yaml_source import YamlDocument, read_yaml, why_not
from handouts.errors import ContentError, HandoutsError, OutputError, Problem
from handouts.output.write import write_atomic

WIDTH = 92

#: Labels that stay as in English: they are settings, not words.
KEEP_IN_LABELS = ("font", "line_breaking", "separator", "date_input")
#: Languages whose lines break between characters rather than at spaces.
CHARACTER_BREAKING = ("ja", "zh")


class BadArgument(HandoutsError):
    """A command-line value `handouts new` cannot use (a usage error, not a content one)."""

    def __init__(self, param: str, message: str) -> None:
        self.param = param
        super().__init__(message)


@dataclass
class Created:
    """What a `new` command did, for the CLI to report."""

    created: list[Path] = field(default_factory=list)
    changed: list[tuple[Path, str]] = field(default_factory=list)


# -- the shape of a model ----------------------------------------------------------------------


def _shape(annotation: Any) -> tuple[str, Any]:
    """('model', cls) | ('list', item) | ('dict', value) | ('int', None) | ('enum', values)
    | ('text', None), seen through Optional and Annotated."""
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return _shape(typing.get_args(annotation)[0])
    if origin in (Union, types.UnionType):
        members = [a for a in typing.get_args(annotation) if a is not type(None)]
        if len(members) == 1:
            return _shape(members[0])
        return ("text", None)
    if origin is list:
        return ("list", typing.get_args(annotation)[0])
    if origin is dict:
        return ("dict", typing.get_args(annotation)[1])
    if origin is Literal:
        return ("enum", typing.get_args(annotation))
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return ("model", annotation)
    if annotation is int:
        return ("int", None)
    return ("text", None)


def _optional(info: FieldInfo) -> bool:
    return not info.is_required() and info.default is None


# -- a new treatment -----------------------------------------------------------------------------


def _template_value(annotation: Any, info: FieldInfo | None, depth: int = 0,
                    example: Any = None) -> Any:
    """TODO text for a field, hinting at its example (or, inside a list of models, at the
    list's own example, which says more: 'Pain relief' rather than any title)."""
    kind, arg = _shape(annotation)
    if example is None and info is not None and info.examples:
        example = info.examples[0]
        for _ in range(depth):
            example = example[0] if isinstance(example, list) and example else None
    if kind == "model":
        given = example if isinstance(example, dict) else {}
        return {name: _template_value(sub.annotation, sub, example=given.get(name))
                for name, sub in arg.model_fields.items()}
    if info is not None and depth == 0 and not info.is_required() and info.default is not None:
        return info.get_default(call_default_factory=True)
    if kind == "list":
        return [_template_value(arg, info, depth + 1)]
    if kind == "enum":
        return arg[0]
    if isinstance(example, str | int) and not isinstance(example, bool):
        return f"{TODO} e.g. {example}"
    return f"{TODO} write it here"


def template(model: type[BaseModel]) -> dict[str, Any]:
    """Every key of `model` (a treatment's words or its facts), with TODO text (or the
    default where one exists)."""
    filled: dict[str, Any] = _template_value(model, None)
    return filled


# -- writing YAML with comments ----------------------------------------------------------------


#: What YAML may not hold as typed (C0/C1 controls, DEL, lone surrogates, U+FFFE/U+FFFF) or
#: would read as a line break (U+0085, U+2028, U+2029): written as escapes, in double quotes.
_UNTYPEABLE = re.compile("[^\t\n\r\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufffd"
                         "\U00010000-\U0010ffff]")


def _quoted(text: str) -> str:
    """`text` in double quotes, every character YAML reads back exactly."""
    return _UNTYPEABLE.sub(lambda m: f"\\u{ord(m[0]):04x}", json.dumps(text, ensure_ascii=False))


def _scalar(value: Any, kind: str, indent: int, room: int) -> list[str]:
    """A value as YAML text: the first element goes after 'key: ', the rest are lines."""
    if value is None:
        return [""]
    text = str(value)
    if kind in ("int", "enum") and re.fullmatch(r"\w[\w-]*", text, re.ASCII) \
            and text.lower() != "null":
        return [text]
    if _UNTYPEABLE.search(text) or "\r" in text:  # a CR would read back as a line break
        return [_quoted(text)]
    pad = " " * indent
    if "\n" in text:
        body, chomp = (text[:-1], "") if text.endswith("\n") else (text, "-")
        lines = body.split("\n")
        if body.strip() and not body.endswith("\n") \
                and all(line == line.rstrip() and not line.startswith((" ", "\t"))
                        for line in lines):
            return ["|" + chomp, *(pad + line if line else "" for line in lines)]
        return [_quoted(text)]
    if len(text) > room and text == " ".join(text.split()) and " " in text:
        lines = textwrap.wrap(text, WIDTH - indent, break_long_words=False,
                              break_on_hyphens=False)
        if all(line == " ".join(line.split()) for line in lines):
            return [">-", *(pad + line for line in lines)]
    return [_quoted(text)]


def _comment(info: FieldInfo | None, indent: int) -> list[str]:
    if info is None or not info.description:
        return []
    text = info.description[0].upper() + info.description[1:]
    kind, arg = _shape(info.annotation)
    if kind == "list" and _shape(arg)[0] == "enum":
        text += f" (any of: {', '.join(_shape(arg)[1])})"
    if _optional(info):
        text += " (optional: delete the key to leave it out)"
    return [" " * indent + "# " + line for line in
            textwrap.wrap(text, WIDTH - indent - 2, break_long_words=False)]


def _emit(model: type[BaseModel], data: dict[str, Any], indent: int, comments: bool,
          first_prefix: str = "") -> list[str]:
    """`data` (shaped like `model`) as YAML lines; the first key may follow a list's '- '."""
    out: list[str] = []
    for number, (key, value) in enumerate(data.items()):
        info = model.model_fields.get(key)
        annotation = info.annotation if info else str
        pad = " " * indent
        prefix = first_prefix if number == 0 and first_prefix else pad
        if comments:
            lines = _comment(info, indent)
            if number == 0 and first_prefix:  # a list item: the comment goes above its dash
                lines = [line.replace(" " * indent, " " * (indent - 2), 1) for line in lines]
            out += lines
        out += _entry(prefix + f"{key}:", annotation, value, indent, comments)
    return out


def _entry(head: str, annotation: Any, value: Any, indent: int, comments: bool) -> list[str]:
    kind, arg = _shape(annotation)
    if kind == "model" and isinstance(value, dict):
        return [head, *_emit(arg, value, indent + 2, comments)]
    if kind == "dict" and isinstance(value, dict):
        lines = [head]
        for key, item in value.items():
            lines += _entry(" " * (indent + 2) + f"{key}:", arg, item, indent + 2, comments)
        return lines
    if kind == "list" and isinstance(value, list):
        if not value:
            return [head + " []"]
        lines = [head]
        item_kind, item_arg = _shape(arg)
        for number, item in enumerate(value):
            dash = " " * (indent + 2) + "- "
            if item_kind == "model" and isinstance(item, dict):
                lines += _emit(item_arg, item, indent + 4, comments and number == 0,
                               first_prefix=dash)
            else:
                lines += _entry(dash.rstrip(), arg, item, indent + 4, comments)
        return lines
    first, *rest = _scalar(value, kind, indent + 2, WIDTH - len(head) - 1)
    return [f"{head} {first}".rstrip(), *rest]


def _document(header: list[str], model: type[BaseModel], data: dict[str, Any]) -> str:
    text = "\n".join([*header, *_emit(model, data, 0, comments=True)]) + "\n"
    _check_round_trip(text, data)
    return text


def _plain(data: Any) -> Any:
    """`data` as our loader reads it back: every scalar a string."""
    if isinstance(data, dict):
        return {key: _plain(value) for key, value in data.items()}
    if isinstance(data, list):
        return [_plain(value) for value in data]
    return None if data is None else str(data)


def _read_back(text: str) -> Any:
    """`text` as the content loader reads it: dicts, lists and strings."""
    from handouts.content.yaml_source import _build

    node = yaml.compose(text, Loader=yaml.SafeLoader)
    return _build(node, (), YamlDocument(Path("<new>"), None, source=text), []) \
        if node is not None else None


def _check_round_trip(text: str, data: Any) -> None:
    """What we write must read back as exactly what we meant (a bug here is ours)."""
    if _read_back(text) != _plain(data):
        raise AssertionError(f"generated YAML does not read back as written:\n{text}")


# -- the commands ---------------------------------------------------------------------------


def _exists(path: Path) -> bool:
    """Whether `path` exists; a folder on the way that cannot be opened is said so."""
    try:
        return path.exists()
    except OSError as exc:
        for step in [*reversed(path.parents), path]:  # the first step that cannot be taken
            try:
                step.stat()
            except OSError:
                break
        raise OutputError(f"{step.parent}: cannot open this folder: {why_not(exc)}") from None


def _refuse_existing(*paths: Path) -> None:
    existing = [p for p in paths if _exists(p)]
    if existing:
        raise OutputError("\n".join(f"{p}: already exists; handouts new never overwrites a "
                                    "file (rename or delete it first)" for p in existing))


class _Creation:
    """The files one `new` command creates, all or none: each is created only where none
    exists, and a failure (or Ctrl+C) part-way removes what was created before it, folders
    included, so the same command can simply be run again."""

    def __init__(self, data_dir: Path) -> None:
        self.data_dir = data_dir
        self.done = Created()
        self._made: list[Path] = []  # files and folders, in the order they were made

    def file(self, path: Path, text: str) -> None:
        """Create `path` holding `text`, and the schema its first line names if missing."""
        self._create(path, text)
        name = schema_for(self.data_dir, path)
        schema = self.data_dir / FOLDER / str(name)
        if name and not _exists(schema):
            self._create(schema, schema_texts()[name])

    def _create(self, path: Path, text: str) -> None:
        try:
            for folder in [f for f in reversed(path.parents) if not _exists(f)]:
                folder.mkdir()
                self._made.append(folder)
            with path.open("x", encoding="utf-8", newline="\n") as handle:
                self._made.append(path)
                handle.write(text)
        except FileExistsError:
            raise OutputError(f"{path}: already exists; handouts new never overwrites a "
                              "file") from None
        except OSError as exc:
            raise OutputError(f"{path}: cannot write: {exc.strerror}") from None
        self.done.created.append(path)

    def undo(self) -> bool:
        """Remove what this command made, newest first; whether there was anything."""
        for made in reversed(self._made):
            try:
                made.rmdir() if made.is_dir() else made.unlink()
            except OSError:
                pass  # a folder someone filled meanwhile stays, with what they put in it
        return bool(self._made)

    def __enter__(self) -> _Creation:
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: object) -> None:
        if error is not None and self.undo() and isinstance(error, OutputError):
            raise OutputError(f"{error}\nnothing was created: the files written before this "
                              "were removed") from None


def new_treatment(data_dir: Path, slug: str) -> Created:
    """Create data/treatments/SLUG/en.yaml full of TODO text; refuse if it exists."""
    if not re.fullmatch(patterns.SLUG, slug):
        raise BadArgument("SLUG", f"treatment names use a-z, 0-9 and dashes, such as "
                                  f"hot-stone-massage; got {slug!r}")
    if len(slug) > patterns.SLUG_LENGTH:
        raise BadArgument("SLUG", f"treatment names are at most {patterns.SLUG_LENGTH} "
                                  f"characters; this one has {len(slug)}")
    content_folder(data_dir)
    target = data_dir / "treatments" / slug / f"{SOURCE_LANGUAGE}.yaml"
    facts = target.with_name(FACTS_FILE)
    _refuse_existing(target, facts)
    header = [
        modeline(data_dir, target),
        f"# {slug}: English words (the numbers and pictures are in {FACTS_FILE}). Replace",
        f"# every \"{TODO} ...\" text: `handouts validate` lists those left, and the documents",
        "# are built once none is. Write **bold** and *italic* for emphasis; everything else",
        "# prints exactly as typed. A step or stretch's id joins it to its facts.",
    ]
    facts_header = [
        modeline(data_dir, facts),
        f"# {slug}: what is the same in every language, written once here (the words are",
        f"# in {SOURCE_LANGUAGE}.yaml and its translations). Replace every \"{TODO} ...\" text;",
        "# a step or stretch is joined to its words by its id, in the order listed here.",
    ]
    texts = {target: _document(header, TreatmentWords, template(TreatmentWords)),
             facts: _document(facts_header, TreatmentFacts, template(TreatmentFacts))}
    with _Creation(data_dir) as creation:
        for path, text in texts.items():
            creation.file(path, text)
    return creation.done


def _translate_value(annotation: Any, value: Any, keep: tuple[str, ...] = (),
                     key: str = "") -> Any:
    """English `value` marked for translation wherever the model holds words (an item's id
    is the same in every language, kept as it is)."""
    kind, arg = _shape(annotation)
    if key in keep or value is None or marked_fact(annotation):
        return value
    if kind == "model" and isinstance(value, dict):
        fields = arg.model_fields
        return {k: _translate_value(fields[k].annotation if k in fields else str, v, keep, k)
                for k, v in value.items()}
    if kind == "list" and isinstance(value, list):
        return [_translate_value(arg, item) for item in value]
    if kind == "dict" and isinstance(value, dict):
        return {k: _translate_value(arg, v) for k, v in value.items()}
    if kind == "text" and isinstance(value, str):
        return f"{TRANSLATE} {value.removeprefix(TRANSLATE).lstrip()}"
    return value


class UncopiedSources(ContentError):
    """The files `new language` copies from have problems: it copies nothing until they are
    corrected (a stub copied from a wrong file would be wrong in every language)."""

    def __str__(self) -> str:
        return f"{super().__str__()}\nnew language starts from these files: correct them first"


def _sources(models: dict[Path, type[BaseModel]]) -> dict[Path, YamlDocument]:
    """Each file `new language` copies from, read and checked against its model, its
    placeholders aside (a treatment still being written can be copied); every problem in any
    of them is reported at once."""
    docs: dict[Path, YamlDocument] = {}
    problems: list[Problem] = []
    for path, model in models.items():
        try:
            docs[path] = read_yaml(path)
            validate_doc(docs[path], model)
        except ContentError as exc:
            marks = {mark for _, mark in placeholders(docs[path], model)} if path in docs \
                else set()
            problems += [problem for problem in exc.problems if problem not in marks]
    if problems:
        raise UncopiedSources(problems)
    return docs


def new_language(data_dir: Path, code: str, font: str) -> Created:
    """Labels, a stub of every treatment and the brand's texts for language `code`, all
    marked TRANSLATE (or TODO) until done; refuse if any of its files exists."""
    if not re.fullmatch(patterns.LANGUAGE_CODE, code):
        raise BadArgument("CODE", f"a language code is 2 or 3 lowercase letters, optionally "
                                  f"with a region such as pt-BR; got {code!r}")
    content_folder(data_dir)
    catalogue, _ = load_file(data_dir / "fonts.yaml", FontCatalogue)
    if font not in catalogue.families:
        known = ", ".join(sorted(catalogue.families))
        raise BadArgument("--font", f"no font family {font!r} in {data_dir / 'fonts.yaml'}; "
                                    f"known: {known}")
    labels_path = data_dir / "labels" / f"{code}.yaml"
    sources = [folder / f"{SOURCE_LANGUAGE}.yaml"
               for folder, is_folder in folder_entries(data_dir / "treatments") if is_folder
               and (folder / f"{SOURCE_LANGUAGE}.yaml", False) in folder_entries(folder)]
    exercises = [folder / f"{SOURCE_LANGUAGE}.yaml"
                 for folder, is_folder in folder_entries(data_dir / EXERCISES) if is_folder
                 and (folder / f"{SOURCE_LANGUAGE}.yaml", False) in folder_entries(folder)]
    sources += exercises
    stubs = [source.with_name(f"{code}.yaml") for source in sources]
    _refuse_existing(labels_path, *stubs)

    brand_path = data_dir / "brand.yaml"
    english_labels = data_dir / "labels" / f"{SOURCE_LANGUAGE}.yaml"
    docs = _sources({brand_path: Brand, english_labels: Labels,
                     **dict.fromkeys(sources, TreatmentWords),
                     **dict.fromkeys(exercises, ExerciseWords)})
    english = docs[english_labels].data
    labels = {key: value for key, value in _translate_value(Labels, english, KEEP_IN_LABELS)
              .items() if key not in Labels.OWN_PATTERNS}  # the new language's are CLDR's
    labels["language"] = f"{TODO} the language's own name, e.g. Português"
    labels["font"] = font
    labels["line_breaking"] = ("characters" if code.split("-")[0] in CHARACTER_BREAKING
                               else "words")
    locks = {labels_path.parent / LOCK: with_records(labels_path.parent, {
        code: record_of(labels, english)})}
    texts = {labels_path: _document([
        modeline(data_dir, labels_path),
        f"# Every fixed word the {code} documents print. Replace each \"{TRANSLATE} ...\"",
        "# with its translation and each \"TODO: ...\" with the right words; words in",
        "# {braces} are filled in by the tool and stay as they are.",
    ], Labels, labels)}
    for source, stub in zip(sources, stubs, strict=True):
        texts[stub], locks[stub.parent / LOCK] = _translation_stub(
            data_dir, docs[source], stub, code,
            ExerciseWords if source in exercises else TreatmentWords)

    brand_text, added = _brand_with_language(docs[brand_path], code)

    with _Creation(data_dir) as creation:
        for path, text in texts.items():
            creation.file(path, text)
        for path, text in locks.items():
            write_atomic(path, text.encode("utf-8"))
        if added:  # last: once it is written, every new file is too
            write_atomic(brand_path, brand_text.encode("utf-8"))
            creation.done.changed.append((brand_path, ", ".join(added)))
        creation.done.changed += [(path, code) for path in locks]
    return creation.done


def _translation_stub(data_dir: Path, source: YamlDocument, stub: Path, code: str,
                      model: type[BaseModel] = TreatmentWords) -> tuple[str, str]:
    """The text of a treatment's stub in language `code`, every text the English one marked
    TRANSLATE, and its folder's lock recording the English each text is made from (so a
    change to the English while it is being translated is reported)."""
    data = _translate_value(model, source.data)
    text = _document([
        modeline(data_dir, stub),
        f"# {stub.parent.name} in {code}: translated from {SOURCE_LANGUAGE}.yaml. "
        f"Replace each \"{TRANSLATE} ...\"",
        f"# with its translation; ids stay as they are (numbers and pictures are in {FACTS_FILE}).",
        "# Write **bold** and *italic* for emphasis, as in English.",
    ], model, data)
    return text, with_records(stub.parent, {code: record_of(data, source.data)})


def new_translation(data_dir: Path, slug: str, code: str) -> Created:
    """A stub of treatment `slug` in language `code`, from its English file, every text marked
    TRANSLATE; refuse if it exists, or if the language has no labels yet (`new language`
    starts one)."""
    content_folder(data_dir)
    folder = data_dir / "treatments" / slug
    source = folder / f"{SOURCE_LANGUAGE}.yaml"
    if not _exists(source):
        known = sorted(f.name for f, is_folder in folder_entries(data_dir / "treatments")
                       if is_folder and _exists(f / f"{SOURCE_LANGUAGE}.yaml"))
        raise BadArgument("SLUG", f"no treatment {slug!r} with an English file to translate "
                                  f"from (there are: {', '.join(known) or 'none'})")
    if not _exists(data_dir / "labels" / f"{code}.yaml"):
        raise BadArgument("--lang", f"no language {code!r} yet (no {data_dir}/labels/"
                                    f"{code}.yaml): start it with `handouts new language "
                                    f"{code} --font FAMILY`, which also makes this stub")
    stub = folder / f"{code}.yaml"
    _refuse_existing(stub)
    docs = _sources({source: TreatmentWords})
    text, lock = _translation_stub(data_dir, docs[source], stub, code)
    with _Creation(data_dir) as creation:
        creation.file(stub, text)
        write_atomic(folder / LOCK, lock.encode("utf-8"))  # the tool's own: rewritten
        creation.done.changed.append((folder / LOCK, code))
    return creation.done


def _brand_with_language(doc: YamlDocument, code: str) -> tuple[str, list[str]]:
    """brand.yaml's text with a `code: TRANSLATE: ...` line added to each per-language text
    that lacks it, every other line untouched; refuse when the layout is not one we can
    extend line by line."""
    path = doc.path
    text = doc.source
    lines = text.split("\n")
    root = yaml.compose(text, Loader=yaml.SafeLoader)
    added = []
    inserts: list[tuple[int, list[str]]] = []
    for key in language_keys(Brand):
        per_language = doc.data.get(key)
        if not isinstance(per_language, dict) or not per_language:
            raise OutputError(f"{path}: add '{key}:' with one line per language before adding "
                              f"a language")
        if code in per_language:
            continue  # already written: never overwrite
        node = next(value for name, value in root.value if name.value == key)
        if not isinstance(node, yaml.MappingNode) or node.flow_style:
            line, column = doc.where((key,))
            raise OutputError(f"{path}:{line}:{column}: {key} is not written one language per "
                              f"line; add '{code}: ...' to it by hand")
        indent = node.value[0][0].start_mark.column
        end = node.value[-1][0].start_mark.line  # 0-based line of the last language's key
        while end + 1 < len(lines) and (not lines[end + 1].strip() or
                                        len(lines[end + 1]) - len(lines[end + 1].lstrip())
                                        > indent):
            end += 1
        while not lines[end].strip():
            end -= 1
        english = per_language.get(SOURCE_LANGUAGE) or next(iter(per_language.values()))
        value = f"{TRANSLATE} {english}"
        head = " " * indent + f"{code}:"
        first, *rest = _scalar(value, "text", indent + 2, WIDTH - len(head) - 1)
        inserts.append((end + 1, [f"{head} {first}", *rest]))
        added.append(key)
    for at, new_lines in sorted(inserts, reverse=True):
        lines[at:at] = new_lines
    result = "\n".join(lines)
    _check_brand(path, doc.data, result, code, added)
    return result, added


def _check_brand(path: Path, before: dict[str, Any], text: str, code: str,
                 added: list[str]) -> None:
    """The edited brand.yaml must read as before plus exactly the new language's texts."""
    after = _read_back(text)
    expected = dict(before)
    for key in added:
        english = before[key].get(SOURCE_LANGUAGE) or next(iter(before[key].values()))
        expected[key] = {**before[key], code: f"{TRANSLATE} {english}"}
    if after != expected:
        raise OutputError(f"{path}: could not add '{code}' to {', '.join(added)} without "
                          "changing other lines; add it by hand")
