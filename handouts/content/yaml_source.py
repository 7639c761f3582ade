"""Read one YAML file safely into plain data plus the line and column of every value.

Every scalar stays the string the editor typed (no `no` -> False, no `9:30` -> 570, no
`+84...` -> int); aliases, explicit tags and duplicate keys are refused; files are capped
in size. Positions let every later error point at `file:line:col`.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from handouts.errors import ContentError, Problem

MAX_BYTES = 256 * 1024

if TYPE_CHECKING:
    import yaml

Loc = tuple[str | int, ...]


def dotted(loc: Loc) -> str:
    """('steps', 2, 'title') -> 'steps[2].title': a key path as an editor reads it."""
    out = ""
    for seg in loc:
        out += f"[{seg}]" if isinstance(seg, int) else (f".{seg}" if out else str(seg))
    return out


def why_not(error: OSError) -> str:
    """Why a file or folder could not be opened, as a sentence continues: 'permission
    denied'."""
    reason = error.strerror or str(error)
    return reason[:1].lower() + reason[1:]


@dataclass
class YamlDocument:
    """A parsed file: `data` is dicts, lists, strings and None; `positions` maps a key path to
    the 1-based (line, column) where that value starts."""

    path: Path
    data: Any
    positions: dict[Loc, tuple[int, int]] = field(default_factory=dict)
    source: str = ""

    def where(self, loc: Loc) -> tuple[int, int]:
        """Position of `loc`, or of its nearest recorded parent (for a missing key)."""
        loc = tuple(loc)
        while loc not in self.positions and loc:
            loc = loc[:-1]
        return self.positions.get(loc, (1, 1))

    def locate_char(self, loc: Loc, char: str) -> tuple[int, int]:
        """Line and column of the first `char` at or after the value at `loc`."""
        line, column = self.where(loc)
        lines = self.source.splitlines()
        for number in range(line, len(lines) + 1):
            text = unicodedata.normalize("NFC", lines[number - 1])
            start = column - 1 if number == line else 0
            found = text.find(char, start)
            if found >= 0:
                return number, found + 1
        return line, column

    def problem(self, loc: Loc, message: str) -> Problem:
        line, column = self.where(loc)
        return Problem(self.path, line, column, message)


#: Content is a few levels deep; anything deeper is a mistake or an attack.
MAX_DEPTH = 32


def _refuse_aliases_and_tags(text: str, loader: type) -> None:
    """Scan the parser's events before composing: an alias, an explicit tag or absurd
    nesting is an error at its own position, and nothing is ever expanded."""
    import yaml

    depth = 0
    for event in yaml.parse(text, Loader=loader):
        if isinstance(event, yaml.MappingStartEvent | yaml.SequenceStartEvent):
            depth += 1
            if depth > MAX_DEPTH:
                raise yaml.MarkedYAMLError(None, None, f"nested more than {MAX_DEPTH} levels "
                                           "deep", event.start_mark)
        elif isinstance(event, yaml.MappingEndEvent | yaml.SequenceEndEvent):
            depth -= 1
        if isinstance(event, yaml.AliasEvent):
            raise yaml.MarkedYAMLError(None, None, "aliases (*name) are not allowed in content",
                                       event.start_mark)
        tag = getattr(event, "tag", None)
        if tag not in (None, "!"):
            raise yaml.MarkedYAMLError(None, None, f"tags such as {tag} are not allowed in "
                                       "content", event.start_mark)


def read_yaml(path: Path, display: Path | None = None) -> YamlDocument:
    """Parse `path`; raise ContentError naming `display` (the path as the user knows it).

    PyYAML is imported here, not with the module: a library from the content cache holds
    YamlDocuments but reads no YAML."""
    import yaml

    #: libyaml's C parser when PyYAML has it (about 15x faster), else the pure-Python one.
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    shown = display or path
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise ContentError([Problem(shown, 1, 1, f"cannot read file: {why_not(exc)}")]) from None
    if len(raw) > MAX_BYTES:
        raise ContentError(
            [Problem(shown, 1, 1, f"file is {len(raw)} bytes; content files are capped at "
                                  f"{MAX_BYTES} bytes")]
        )
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise ContentError([Problem(shown, line, 1, "file is not valid UTF-8")]) from None
    try:
        _refuse_aliases_and_tags(text, loader)
        node = yaml.compose(text, Loader=loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        message = exc.problem or exc.context or "invalid YAML"
        raise ContentError([Problem(shown, line, col, f"YAML syntax: {message}")]) from None
    except yaml.YAMLError as exc:
        raise ContentError([Problem(shown, 1, 1, f"YAML syntax: {exc}")]) from None
    doc = YamlDocument(shown, None, source=text)
    problems: list[Problem] = []
    doc.data = _build(node, (), doc, problems) if node is not None else None
    if problems:
        raise ContentError(problems)
    return doc


def _build(node: yaml.Node, loc: Loc, doc: YamlDocument, problems: list[Problem]) -> Any:
    """Plain data from a composed node, its position and each of its values' in `doc`."""
    doc.positions.setdefault(loc, (node.start_mark.line + 1, node.start_mark.column + 1))
    if node.id == "scalar":
        if node.style is None and node.value in ("", "~", "null", "Null", "NULL"):
            return None
        return node.value
    if node.id == "sequence":
        return [_build(item, (*loc, i), doc, problems) for i, item in enumerate(node.value)]
    result: dict[str, Any] = {}
    for key_node, value_node in node.value:
        mark = key_node.start_mark
        if key_node.id != "scalar":
            problems.append(Problem(doc.path, mark.line + 1, mark.column + 1,
                                    "keys must be plain words"))
            continue
        key = key_node.value
        if key in result:
            problems.append(Problem(doc.path, mark.line + 1, mark.column + 1,
                                    f"duplicate key '{key}'"))
            continue
        doc.positions[(*loc, key)] = (mark.line + 1, mark.column + 1)
        result[key] = _build(value_node, (*loc, key), doc, problems)
    return result
