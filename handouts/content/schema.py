"""JSON Schemas of the content files, generated from the models that validate them.

Editors built on yaml-language-server (VS Code's YAML extension and others) read them from a
file's first line, `# yaml-language-server: $schema=...`, and then complete keys, show each
key's description on hover and underline what the models would refuse.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from pydantic import BaseModel
from pydantic.json_schema import GenerateJsonSchema

from handouts.content.facts import (
    FACTS_FILE,
    ExerciseFacts,
    ExerciseWords,
    TreatmentFacts,
    TreatmentWords,
)
from handouts.content.load import EXERCISES, content_folder
from handouts.content.models import Brand, FontCatalogue, Labels
from handouts.output.write import write_atomic

#: The folder under data/ that holds the schemas.
FOLDER = "schemas"

#: schema file name -> the model it describes.
SCHEMAS: dict[str, type[BaseModel]] = {
    "brand.schema.json": Brand,
    "fonts.schema.json": FontCatalogue,
    "labels.schema.json": Labels,
    "treatment.schema.json": TreatmentWords,
    "facts.schema.json": TreatmentFacts,
    "exercise.schema.json": ExerciseWords,
    "exercise-facts.schema.json": ExerciseFacts,
}

DIALECT = "https://json-schema.org/draft/2020-12/schema"


class _Generator(GenerateJsonSchema):
    """Pydantic's generator without the per-key titles ("Hold Seconds"): the key says it."""

    def field_title_should_be_set(self, schema: Any) -> bool:
        return False


def schema_of(model: type[BaseModel]) -> dict[str, Any]:
    _build_defaults(model)
    schema = model.model_json_schema(schema_generator=_Generator)
    return {"$schema": DIALECT, **schema}


def _build_defaults(model: type[BaseModel], seen: set[type[BaseModel]] | None = None) -> None:
    """Build the models `model` holds and whose instances are defaults (`model` builds only
    itself: building is deferred until first use), so the schema can write those defaults."""
    seen = seen if seen is not None else {model}
    for field in model.model_fields.values():
        for part in [field.default, *getattr(field.annotation, "__args__", ()),
                     field.annotation]:
            nested = part if isinstance(part, type) else type(part)
            if issubclass(nested, BaseModel) and nested not in seen:
                seen.add(nested)
                nested.model_rebuild()
                _build_defaults(nested, seen)


def schema_texts() -> dict[str, str]:
    """Every schema file's exact text: sorted keys, two-space indent, a final newline."""
    return {name: json.dumps(schema_of(model), indent=2, sort_keys=True, ensure_ascii=False)
            + "\n" for name, model in SCHEMAS.items()}


def schema_for(data_dir: Path, path: Path) -> str | None:
    """The schema file name that describes content file `path` in `data_dir`, if any."""
    relative = path.relative_to(data_dir)
    if relative == Path("brand.yaml"):
        return "brand.schema.json"
    if relative == Path("fonts.yaml"):
        return "fonts.schema.json"
    if relative.parent == Path("labels"):
        return "labels.schema.json"
    if relative.parent.parent == Path("treatments"):
        return "facts.schema.json" if relative.name == FACTS_FILE else "treatment.schema.json"
    if relative.parent.parent == Path(EXERCISES):
        return ("exercise-facts.schema.json" if relative.name == FACTS_FILE
                else "exercise.schema.json")
    return None


def modeline(data_dir: Path, path: Path) -> str:
    """The first line naming `path`'s schema, relative to the file, e.g. for a treatment
    `# yaml-language-server: $schema=../../schemas/treatment.schema.json`."""
    name = schema_for(data_dir, path)
    assert name is not None, path
    depth = len(path.relative_to(data_dir).parts) - 1
    return f"# yaml-language-server: $schema={'../' * depth}{FOLDER}/{name}"


def write_schemas(data_dir: Path) -> list[tuple[Path, bool]]:
    """Write every schema into data_dir/schemas; (path, changed) for each, in order. A
    folder that is not a data folder (a mistyped --data) is refused, and nothing made."""
    content_folder(data_dir)
    written = []
    for name, text in schema_texts().items():
        target = data_dir / FOLDER / name
        changed = not target.is_file() or target.read_bytes() != text.encode("utf-8")
        if changed:
            write_atomic(target, text.encode("utf-8"))
        written.append((target, changed))
    return written
