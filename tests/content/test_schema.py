"""The JSON Schemas editors read: generated from the models, current, and as strict as they are."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path
from subprocess import CompletedProcess
from typing import Any

import jsonschema
import pytest
from pydantic import BaseModel

from handouts.content.facts import ExerciseFacts, ExerciseWords, TreatmentFacts, TreatmentWords
from handouts.content.load import validate_doc
from handouts.content.models import Brand, FontCatalogue, Labels
from handouts.content.schema import SCHEMAS, modeline, schema_for, schema_texts
from handouts.content.yaml_source import read_yaml
from handouts.errors import ContentError
from tests import yaml12
from tests.conftest import SHIPPED_DATA
from tests.editing import edit

Run = Callable[..., CompletedProcess[str]]

SHIPPED_FILES = sorted(
    [SHIPPED_DATA / "brand.yaml", SHIPPED_DATA / "fonts.yaml",
     *(SHIPPED_DATA / "labels").glob("*.yaml"), *(SHIPPED_DATA / "treatments").glob("*/*.yaml"),
     *(SHIPPED_DATA / "exercises").glob("*/*.yaml")]
)
MODELS: dict[str, type[BaseModel]] = {"brand.schema.json": Brand,
                                      "fonts.schema.json": FontCatalogue,
                                      "labels.schema.json": Labels,
                                      "treatment.schema.json": TreatmentWords,
                                      "facts.schema.json": TreatmentFacts,
                                      "exercise.schema.json": ExerciseWords,
                                      "exercise-facts.schema.json": ExerciseFacts}


def validator(name: str) -> jsonschema.Draft202012Validator:
    schema = json.loads(schema_texts()[name])
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def schema_errors(path: Path) -> list[str]:
    """What an editor would underline in `path`, reading it as YAML 1.2 like the editor."""
    errors = validator(_schema_name(path)).iter_errors(
        yaml12.load(path.read_text(encoding="utf-8")))
    return sorted(f"{'.'.join(map(str, e.absolute_path))}: {e.message}" for e in errors)


def _schema_name(path: Path) -> str:
    data = next(parent for parent in path.parents if (parent / "brand.yaml").exists())
    name = schema_for(data, path)
    assert name is not None
    return name


def model_refuses(path: Path) -> bool:
    model = MODELS[_schema_name(path)]
    try:
        validate_doc(read_yaml(path), model)
    except ContentError:
        return True
    return False


def test_generation_is_deterministic_with_sorted_keys_and_a_final_newline() -> None:
    first, second = schema_texts(), schema_texts()
    assert first == second
    assert sorted(first) == ["brand.schema.json", "exercise-facts.schema.json",
                             "exercise.schema.json", "facts.schema.json", "fonts.schema.json",
                             "labels.schema.json", "treatment.schema.json"]
    for text in first.values():
        assert text.endswith("}\n") and not text.endswith("\n\n")
        assert json.dumps(json.loads(text), indent=2, sort_keys=True,
                          ensure_ascii=False) + "\n" == text


def test_committed_schemas_equal_freshly_generated_ones() -> None:
    """If this fails, run `handouts schema` and commit data/schemas/."""
    folder = SHIPPED_DATA / "schemas"
    assert sorted(p.name for p in folder.iterdir()) == sorted(SCHEMAS)
    for name, text in schema_texts().items():
        assert (folder / name).read_text(encoding="utf-8") == text, name


def test_schema_command_writes_the_same_bytes_twice(project: Path, run: Run) -> None:
    folder = project / "data" / "schemas"
    for path in folder.iterdir():
        path.unlink()
    first = run("schema")
    assert first.returncode == 0, first.stderr
    assert first.stdout.splitlines() == [f"wrote data/schemas/{name}" for name in SCHEMAS]
    written = {p.name: p.read_bytes() for p in folder.iterdir()}
    second = run("schema")
    assert second.returncode == 0
    assert second.stdout.splitlines() == [f"unchanged data/schemas/{name}" for name in SCHEMAS]
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == written
    assert written == {p.name: p.read_bytes() for p in (SHIPPED_DATA / "schemas").iterdir()}


def _properties(schema: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    for model_name, definition in [("", schema), *schema.get("$defs", {}).items()]:
        if definition.get("type") == "object" and "properties" in definition:
            assert definition["additionalProperties"] is False, model_name
            for key, prop in definition["properties"].items():
                yield f"{model_name or schema['title']}.{key}", prop


@pytest.mark.parametrize("name", sorted(SCHEMAS))
def test_every_field_has_a_description_and_an_example(name: str) -> None:
    schema = json.loads(schema_texts()[name])
    found = list(_properties(schema))
    assert found
    for where, prop in found:
        assert prop.get("description"), where
        assert prop.get("examples"), where


def test_patterns_enums_and_limits_are_in_the_schemas() -> None:
    brand = json.loads(schema_texts()["brand.schema.json"])
    labels = json.loads(schema_texts()["labels.schema.json"])
    treatment = json.loads(schema_texts()["treatment.schema.json"])
    facts = json.loads(schema_texts()["facts.schema.json"])
    defs = brand["$defs"]
    kinds = set()
    for option in brand["properties"]["channels"]["items"]["oneOf"]:
        kind = defs[option["$ref"].split("/")[-1]]["properties"]["kind"]
        kinds |= {kind["const"]} if "const" in kind else set(kind["enum"])
    assert kinds == {"whatsapp", "zalo", "phone", "line", "kakaotalk", "email", "website",
                     "maps"}
    assert defs["WhatsApp"]["properties"]["number"]["pattern"].startswith("^")
    assert defs["Colours"]["properties"]["primary"]["pattern"] == "^#[0-9A-Fa-f]{6}$"
    assert defs["Hours"]["properties"]["opens"]["pattern"] == "^([01][0-9]|2[0-3]):[0-5][0-9]$"
    assert brand["properties"]["currency"]["pattern"] == "^[A-Z]{3}$"
    assert brand["properties"]["tagline"]["propertyNames"] == {
        "pattern": "^[a-z]{2,3}(-[A-Z]{2})?$"}
    assert labels["properties"]["line_breaking"]["enum"] == ["words", "characters"]
    assert "months" not in labels["properties"]  # CLDR names the months
    assert labels["properties"]["separator"]["maxLength"] == 5
    assert treatment["properties"]["steps"]["maxItems"] == 12
    # issue 20: holds and the A6 card's sections are facts, in facts.yaml's schema
    exercise = json.loads(schema_texts()["exercise-facts.schema.json"])
    stretch = exercise["properties"]["hold_seconds"]
    assert (stretch["type"], stretch["minimum"], stretch["maximum"]) == ("integer", 1, 600)
    assert facts["$defs"]["FlyerFacts"]["properties"]["a6_sections"]["items"]["enum"] == [
        "pitch", "benefits", "steps"]
    assert "price" in facts["properties"] and "price" not in treatment["properties"]


@pytest.mark.parametrize("path", SHIPPED_FILES, ids=lambda p: str(p.relative_to(SHIPPED_DATA)))
def test_every_shipped_file_names_its_schema_first_and_validates(path: Path) -> None:
    first = path.read_text(encoding="utf-8").split("\n", 1)[0]
    assert first == modeline(SHIPPED_DATA, path)
    target = (path.parent / first.split("$schema=", 1)[1]).resolve()
    assert target == SHIPPED_DATA / "schemas" / _schema_name(path)
    assert schema_errors(path) == []
    assert not model_refuses(path)


EN = "treatments/plantar-fasciitis/en.yaml"
FACTS = "treatments/plantar-fasciitis/facts.yaml"
EXERCISE = "exercises/arch-roll/facts.yaml"
LABELS = "labels/en.yaml"
BRAND = "brand.yaml"
FONTS = "fonts.yaml"

# file, snippet, replacement: each makes a file the models refuse.
HOSTILE = {
    "mistyped key": (EN, "headline:", "headlin:"),
    "missing key": (EN, "name: Plantar fasciitis foot massage\n", ""),
    "empty text": (EN, "name: Plantar fasciitis foot massage", 'name: ""'),
    "blank text": (EN, "name: Plantar fasciitis foot massage", 'name: "   "'),
    "invisible text": (EN, "name: Plantar fasciitis foot massage", 'name: "\\u200b\\u00ad"'),
    "hold too long": (EXERCISE, "hold_seconds: 60", "hold_seconds: 601"),
    "hold zero": (EXERCISE, "hold_seconds: 60", "hold_seconds: 0"),
    "hold in words": (EXERCISE, "hold_seconds: 60", "hold_seconds: a minute"),
    "unknown body area": (EXERCISE, "area: feet", "area: toes"),
    "exercise id not a slug": (FACTS, "    - arch-roll", "    - Arch Roll"),
    "empty list": (EN, "precautions:\n", "precautions: []\nunused:\n"),
    "unknown A6 section": (FACTS, "a6_sections: []", "a6_sections: [faq]"),
    "thirteen steps": (EN, "steps:\n", "steps:\n" + "  - {title: a, text: b}\n" * 12),
    "a fact in a language file": (EN, "\nintro:", "\nprice: 450000\nintro:"),
    "words in the facts file": (FACTS, "\nprice:", "\nname: Foot\nprice:"),
    "nested unknown key": (EN, "  title: What is plantar fasciitis?",
                           "  title: What is plantar fasciitis?\n  titel: x"),
    "bad phone": (BRAND, '"+84 905 123 456"', '"0905 123 456"'),
    "phone too short": (BRAND, '"+84 905 123 456"', '"+84 905"'),
    "bad colour": (BRAND, '"#1F5C57"', '"#1F5C5"'),
    "colour name": (BRAND, '"#1F5C57"', "teal"),
    "bad time": (BRAND, '"09:00"', '"9am"'),
    "hour 24": (BRAND, '"22:00"', '"24:00"'),
    "http website": (BRAND, "https://lspadanang.example.com", "http://lspadanang.example.com"),
    "unknown channel": (BRAND, "kind: zalo", "kind: telegram"),
    "bad LINE id": (BRAND, '"@lspadanang"', '"@L Spa!"'),
    "bad KakaoTalk url": (BRAND, "https://pf.kakao.com/_lspadanang/chat",
                          "https://example.com/chat"),
    "lower-case currency": (BRAND, "currency: VND", "currency: vnd"),
    "no channels": (BRAND, "channels:\n", "channels: []\nold:\n"),
    "channel field of another kind": (BRAND, '  - kind: line\n    id: "@lspadanang"',
                                      '  - kind: line\n    number: "+84 905 123 456"'),
    "unknown placeholder": (LABELS, '"Hold {seconds} s"', '"Hold {secs} s"'),
    "format in placeholder": (LABELS, '"Hold {seconds} s"', '"Hold {seconds:>3} s"'),
    "lone brace": (LABELS, '"Hold {seconds} s"', '"Hold {seconds} s}"'),
    "line breaking": (LABELS, "line_breaking: words", "line_breaking: letters"),
    "unknown date placeholder": (LABELS, "\npersonal:", '\ndate: "{day} {monthname}"\npersonal:'),
    "long separator": (LABELS, 'separator: " · "', 'separator: " ·  ·  · "'),
    "unknown price placeholder": (LABELS, "\npersonal:", '\nprice: "{amount} {money}"\npersonal:'),
    "email body placeholder": (LABELS, "Dear {client},", "Dear {name},"),
    "no font families": (FONTS, "families:\n", "families: {}\nold:\n"),
    "unknown font style": (FONTS, "    regular: NanumGothic.ttf",
                           "    regular: NanumGothic.ttf\n    light: NanumGothic.ttf"),
}


@pytest.mark.parametrize("case", HOSTILE)
def test_a_file_the_models_refuse_is_refused_by_its_schema(case: str, tmp_path: Path) -> None:
    file, old, new = HOSTILE[case]
    data = tmp_path / "data"
    target = data / file
    target.parent.mkdir(parents=True)
    (data / "brand.yaml").touch()
    target.write_text((SHIPPED_DATA / file).read_text(encoding="utf-8"), encoding="utf-8")
    edit(target, old, new)
    assert model_refuses(target), case
    assert schema_errors(target) != [], case


def test_a_mistyped_key_is_named_by_the_schema(tmp_path: Path) -> None:
    target = tmp_path / "data" / EN
    target.parent.mkdir(parents=True)
    (tmp_path / "data" / "brand.yaml").touch()
    target.write_text((SHIPPED_DATA / EN).read_text(encoding="utf-8"), encoding="utf-8")
    edit(target, "headline:", "headlin:")
    assert schema_errors(target) == [
        ": 'headline' is a required property",
        ": Additional properties are not allowed ('headlin' was unexpected)",
    ]


def test_errors_keep_their_line_numbers_below_the_schema_line(project: Path, run: Run) -> None:
    en = project / "data" / EN
    edit(en, "\n", "\nbogus: x\n")
    result = run("validate")
    assert result.returncode == 1
    assert f"data/{EN}:2:1: unknown key 'bogus'" in result.stderr.splitlines()
