"""Gather every content file in a data folder into typed models, collecting every problem."""

from __future__ import annotations

import os
import re
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Literal, TypeVar

from pydantic import BaseModel, ValidationError

from handouts.content import patterns
from handouts.content.facts import (
    FACTS_FILE,
    ExerciseFacts,
    ExerciseWords,
    TreatmentFacts,
    TreatmentWords,
    facts_problems,
    joined,
    misplaced,
)
from handouts.content.messages import worded
from handouts.content.models import Brand, Exercise, FontCatalogue, Labels, Treatment
from handouts.content.pictures import Picture, PictureRefused, read_picture
from handouts.content.placeholders import covered, placeholders
from handouts.content.translations import key_differences, out_of_date, read_lock
from handouts.content.yaml_source import Loc, YamlDocument, read_yaml, why_not
from handouts.errors import ContentError, Problem, Scope

M = TypeVar("M", bound=BaseModel)

#: The language translations are compared against.
SOURCE_LANGUAGE = "en"

_SLUG = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
_LANG = re.compile(r"^[a-z]{2,3}(-[A-Z]{2})?$")

#: Where something is written: file, line, column.
Place = tuple[Path, int, int]


@dataclass
class Found:
    """Everything found in data/: what loaded cleanly, and every problem met on the way.

    A treatment file that fails to load is absent from `treatments` and its problems are in
    `problems`; the other documents can still be built. Without the shared content (brand,
    logo, fonts) no document can be: then it is a Found, never a Library.
    """

    data_dir: Path
    fonts_dir: Path
    labels: dict[str, Labels] = field(default_factory=dict)
    label_docs: dict[str, YamlDocument] = field(default_factory=dict)
    treatments: dict[str, dict[str, Treatment]] = field(default_factory=dict)
    #: Each treatment's words in each language, as written (the documents' words' lines).
    treatment_docs: dict[tuple[str, str], YamlDocument] = field(default_factory=dict)
    #: Each treatment's facts.yaml, as written.
    facts_docs: dict[str, YamlDocument] = field(default_factory=dict)
    #: The exercise library: each exercise's words and facts joined, by id and language.
    exercises: dict[str, dict[str, Exercise]] = field(default_factory=dict)
    #: Each exercise's words in each language, as written.
    exercise_docs: dict[tuple[str, str], YamlDocument] = field(default_factory=dict)
    pictures: dict[str, Picture] = field(default_factory=dict)
    #: Where each treatment file places each picture it names: a picture is judged (its
    #: resolution) where it is placed, not where it was first named.
    picture_places: dict[tuple[str, str], dict[str, Place]] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    translation_gaps: list[Problem] = field(default_factory=list)
    #: Translated texts whose English changed since (see translations.py).
    out_of_date: list[Problem] = field(default_factory=list)


@dataclass(kw_only=True)
class Library(Found):
    """Found content whose shared part loaded: the brand (its file and logo) and the fonts."""

    brand: Brand
    brand_doc: YamlDocument
    logo: Path
    fonts: FontCatalogue


def _shown(path: Path) -> Path:
    """The path as the user typed it, relative to the working folder where possible."""
    try:
        return path.resolve().relative_to(Path.cwd().resolve())
    except ValueError:
        return path


def _clean_loc(loc: tuple[Any, ...], data: Any) -> Loc:
    """Drop the segments pydantic adds for union members (e.g. 'whatsapp') that are not keys."""
    cleaned: list[str | int] = []
    current = data
    for i, seg in enumerate(loc):
        last = i == len(loc) - 1
        if isinstance(current, dict) and isinstance(seg, str):
            if seg in current:
                cleaned.append(seg)
                current = current[seg]
            elif last:
                cleaned.append(seg)
        elif isinstance(current, list) and isinstance(seg, int) and seg < len(current):
            cleaned.append(seg)
            current = current[seg]
        elif last and isinstance(seg, str | int):
            cleaned.append(seg)
    return tuple(cleaned)


def validate_doc(doc: YamlDocument, model: type[M]) -> M:
    """Turn a parsed document into `model`, or raise ContentError pointing at each bad line.

    Placeholder text (`TODO: ...`, `TRANSLATE: ...`) is a problem too, reported instead of
    the type error it may cause; only a brand's per-language placeholders let it load (they
    hold back that language's documents alone: see load_library)."""
    if not isinstance(doc.data, dict):
        raise ContentError([doc.problem((), "expected a mapping of keys to values at the top")])
    marks = placeholders(doc, model)
    try:
        result = model.model_validate(doc.data)
    except ValidationError as exc:
        problems = [problem for _, problem in marks]
        located = [(error, _clean_loc(error["loc"], doc.data)) for error in exc.errors()]
        for loc, message in worded(located, model, doc.data):
            if not covered(loc, marks):
                problems.append(doc.problem(loc, message))
        raise ContentError(problems) from None
    if any(not problem.lang for _, problem in marks):
        raise ContentError([problem for _, problem in marks])
    return result


def load_file(path: Path, model: type[M]) -> tuple[M, YamlDocument]:
    doc = read_yaml(path, _shown(path))
    return validate_doc(doc, model), doc


def load_facts(path: Path, exercise: bool = False) -> tuple[BaseModel, YamlDocument]:
    """A treatment's (or an exercise's) facts file: its facts, or every problem in it (words
    written there too, an id used twice in a list), each at its line."""
    doc = read_yaml(path, _shown(path))
    problems, rest = misplaced(doc, in_facts=True, whole=Exercise if exercise else Treatment)
    try:
        facts = validate_doc(rest, ExerciseFacts if exercise else TreatmentFacts)
    except ContentError as exc:
        raise ContentError(problems + exc.problems) from None
    problems += facts_problems(facts, doc)
    if problems:
        raise ContentError(problems)
    return facts, doc


#: The facts a language file's words join: a facts file's (None without one), or False when
#: the facts file has problems (then the words are checked, but not joined).
Facts = tuple[BaseModel, YamlDocument] | None | Literal[False]


def load_words(path: Path, facts: Facts) -> tuple[Treatment, YamlDocument]:
    """A treatment in one language: the language file's words joined with the treatment's
    facts; every problem at its line (a fact set here, an id the facts file lacks, ...)."""
    doc = read_yaml(path, _shown(path))
    problems, rest = misplaced(doc, in_facts=False)
    try:
        words = validate_doc(rest, TreatmentWords)
        treatment = joined(words, doc, *facts or (None, None)) if facts is not False else None
    except ContentError as exc:
        raise ContentError(problems + exc.problems) from None
    if problems or treatment is None:
        raise ContentError(problems)
    return treatment, doc


def load_exercise(path: Path, facts: Facts) -> tuple[Exercise, YamlDocument]:
    """An exercise in one language: its words joined with its facts, every problem at its
    line (as a treatment's: see load_words)."""
    doc = read_yaml(path, _shown(path))
    problems, rest = misplaced(doc, in_facts=False, whole=Exercise)
    try:
        words = validate_doc(rest, ExerciseWords)
        exercise = (joined(words, doc, *facts, whole=Exercise)
                    if facts else None)
    except ContentError as exc:
        raise ContentError(problems + exc.problems) from None
    if problems or exercise is None:
        raise ContentError(problems)
    return exercise, doc


def _inside(base: Path, relative: str, doc: YamlDocument, loc: Loc, what: str) -> Path:
    """Resolve a path from YAML; it must stay inside `base` and exist."""
    candidate = (base / relative).resolve()
    if not candidate.is_relative_to(base.resolve()):
        raise ContentError([doc.problem(loc, f"{what} path {relative!r} leaves {_shown(base)}/")])
    try:
        found = candidate.is_file()
    except OSError as exc:
        raise ContentError([doc.problem(loc, f"cannot open the {what} file {relative}: "
                                             f"{why_not(exc)}")]) from None
    if not found:
        raise ContentError([doc.problem(loc, f"{what} file {relative!r} not found in "
                                             f"{_shown(base)}/")])
    return candidate


def folder_entries(folder: Path) -> list[tuple[Path, bool]]:
    """(entry, whether it is a folder) for each entry of `folder`, sorted; none when it does
    not exist. One that exists but cannot be opened is a problem, never an empty folder."""
    try:
        with os.scandir(folder) as entries:
            found = sorted((folder / entry.name, entry.is_dir()) for entry in entries)
        os.stat(os.path.join(folder, os.curdir))  # names listed, but can it be entered?
    except (FileNotFoundError, NotADirectoryError):
        return []
    except OSError as exc:
        raise ContentError([Problem(_shown(folder), 1, 1, "cannot open this folder: "
                                                          f"{why_not(exc)}")]) from None
    return found


MAX_LOGO_PIXELS = 4000


def _truetype(path: Path, doc: YamlDocument, loc: Loc) -> Path:
    """ReportLab embeds TrueType outlines only: refuse CFF (.otf) and collections early."""
    try:
        with path.open("rb") as handle:
            magic = handle.read(4)
        damage = _font_damage(path)
    except OSError as exc:
        raise ContentError([doc.problem(loc, f"cannot read the font file {path.name}: "
                                             f"{why_not(exc)}")]) from None
    if magic == b"OTTO":
        raise ContentError([doc.problem(loc, f"{path.name} has CFF (PostScript) outlines, "
                                             "which PDFs made here cannot embed; use a "
                                             "TrueType-outline .ttf")])
    if magic not in (b"\x00\x01\x00\x00", b"true"):
        raise ContentError([doc.problem(loc, f"{path.name} is not a TrueType font file")])
    if damage:
        raise ContentError([doc.problem(loc, f"{path.name} is damaged: {damage}; copy the "
                                             f"font file again")])
    return path


#: The tables ReportLab reads to embed a TrueType font.
REQUIRED_TABLES = ("cmap", "glyf", "head", "hhea", "hmtx", "loca", "maxp", "name", "post")


def _font_damage(path: Path) -> str | None:
    """What is wrong with a TrueType file's table directory (a truncated copy, a stub), if
    anything: every table ReportLab needs is listed and lies inside the file. Reads only
    the directory, not the font."""
    import struct

    size = path.stat().st_size
    with path.open("rb") as handle:
        head = handle.read(12)
        if len(head) < 12:
            return "the file ends inside its header"
        (count,) = struct.unpack(">H", head[4:6])
        directory = handle.read(16 * count)
    if len(directory) < 16 * count:
        return "the file ends inside its table directory"
    tables = {}
    for i in range(count):
        tag, _, offset, length = struct.unpack(">4sIII", directory[16 * i:16 * i + 16])
        tables[tag.decode("latin-1")] = (offset, length)
    missing = [t for t in REQUIRED_TABLES if t not in tables]
    if missing:
        return f"it has no {', '.join(repr(t) for t in missing)} table" + "s" * (len(missing) > 1)
    for tag, (offset, length) in sorted(tables.items(), key=lambda t: t[1]):
        if offset + length > size:
            return f"table {tag!r} runs past the end of the file (a truncated copy?)"
    return None


def _image(path: Path, doc: YamlDocument, loc: Loc) -> Path:
    """The logo must be a PNG or JPEG a PDF can embed, of a sensible size."""
    import warnings

    from PIL import Image, UnidentifiedImageError

    try:
        with warnings.catch_warnings():
            # PIL only warns up to twice its pixel limit; a logo that big is refused too
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(path) as image:
                image.verify()
                kind, size = image.format, image.size
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise ContentError([doc.problem(loc, f"logo {path.name!r} has far too many pixels to "
                                             f"be a logo (keep it under {MAX_LOGO_PIXELS} "
                                             f"pixels a side)")]) from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        raise ContentError([doc.problem(loc, f"logo {path.name!r} is not a readable PNG or "
                                             "JPEG image")]) from None
    if kind not in ("PNG", "JPEG"):
        raise ContentError([doc.problem(loc, f"logo must be PNG or JPEG, not {kind}")])
    if max(size) > MAX_LOGO_PIXELS:
        raise ContentError([doc.problem(loc, f"logo is {size[0]}x{size[1]} pixels; keep it "
                                             f"under {MAX_LOGO_PIXELS} so PDFs stay small")])
    return path


#: Keys whose value is a picture path, wherever they sit in a content file.
_PICTURE_KEYS = ("image", "hero", "mark", "icon")


def _picture_locs(data: Any, loc: Loc = ()) -> list[tuple[Loc, str]]:
    """Every (location, path) of a picture named in a validated model's data."""
    found: list[tuple[Loc, str]] = []
    if isinstance(data, dict):
        for key, value in data.items():
            here = (*loc, key)
            if isinstance(value, str) and (key in _PICTURE_KEYS or loc[-1:] == ("pictograms",)):
                found.append((here, value))
            else:
                found += _picture_locs(value, here)
    elif isinstance(data, list):
        for i, value in enumerate(data):
            found += _picture_locs(value, (*loc, i))
    return found


def _pictures(lib: Found, said: dict[str, Any], doc: YamlDocument) -> dict[str, Place]:
    """Read each picture a file's content (`said`) names (once per file); refusals block the
    document. Returns where `doc` names each one."""
    problems = []
    places: dict[str, Place] = {}
    for loc, name in _picture_locs(said):
        origin = doc.problem(loc, "")
        places.setdefault(name, (origin.path, origin.line, origin.column))
        if name in lib.pictures:
            continue
        try:
            path = _inside(lib.data_dir, name, doc, loc, "picture")
            lib.pictures[name] = read_picture(path, name, places[name])
        except ContentError as exc:
            problems += exc.problems
        except PictureRefused as exc:
            problems.append(doc.problem(loc, f"picture {name!r}: {exc}"))
        except OSError as exc:
            problems.append(doc.problem(loc, f"picture {name!r} cannot be read: "
                                             f"{exc.strerror or exc}"))
    if problems:
        raise ContentError(problems)
    return places


def content_folder(data_dir: Path) -> Path:
    """`data_dir`, once it is a data folder (it holds brand.yaml): a command that writes into
    it refuses a mistyped --data instead of making a new folder there."""
    if not data_dir.is_dir():
        raise ContentError([Problem(_shown(data_dir), 1, 1, "data folder not found")])
    if not (data_dir / "brand.yaml").is_file():
        raise ContentError([Problem(_shown(data_dir), 1, 1, "not a data folder: it has no "
                                    "brand.yaml (give --data the folder that holds "
                                    "brand.yaml, labels/ and treatments/)")])
    return data_dir


def fonts_folder(data_dir: Path, fonts_dir: Path | None) -> Path:
    """The fonts folder: `fonts_dir` when given, else fonts/ beside the data folder."""
    return fonts_dir or data_dir.parent / "fonts"


def load_library(data_dir: Path, fonts_dir: Path | None = None) -> Found:
    """Read every content file under `data_dir`; never raises for content, records problems.

    A Library when the brand, its logo and the fonts loaded, else what was Found."""
    fonts_dir = fonts_folder(data_dir, fonts_dir)
    lib = Found(data_dir, fonts_dir)
    if not data_dir.is_dir():
        lib.problems.append(Problem(_shown(data_dir), 1, 1, "data folder not found"))
        return lib

    def attempt(scope: Scope, fn: Any, *args: Any) -> Any:
        try:
            return fn(*args)
        except ContentError as exc:
            lib.problems.extend(_holding_back(exc.problems, scope))
            return None

    def checked(model: type[M], name: str) -> tuple[M | None, YamlDocument, list[Problem]]:
        """The file's model (None if it is wrong) and problems: its files are still checked
        from what it says, so every problem is listed in one run (a missing logo too)."""
        doc = read_yaml(data_dir / name, _shown(data_dir / name))
        try:
            return validate_doc(doc, model), doc, []
        except ContentError as exc:
            return None, doc, list(exc.problems)

    def collect(problems: list[Problem], check: Any, *args: Any) -> Any:
        try:
            return check(*args)
        except ContentError as exc:
            problems += exc.problems
            return None

    def brand() -> tuple[Brand, YamlDocument, Path]:
        model, doc, problems = checked(Brand, "brand.yaml")
        said = (model.model_dump(exclude_none=True) if model
                else doc.data if isinstance(doc.data, dict) else {})
        logo = None
        if isinstance(said.get("logo"), str):
            logo = collect(problems, lambda: _image(_inside(data_dir, said["logo"], doc,
                                                            ("logo",), "logo"), doc, ("logo",)))
        collect(problems, _pictures, lib, said, doc)
        if model is not None:  # texts still to translate hold back their language alone
            lib.problems.extend(_holding_back(
                (problem for _, problem in placeholders(doc, Brand)), Scope()))
        if model is None or logo is None or problems:
            raise ContentError(problems)
        return model, doc, logo

    def fonts() -> FontCatalogue:
        catalogue, doc, problems = checked(FontCatalogue, "fonts.yaml")
        said = doc.data.get("families") if isinstance(doc.data, dict) else None
        families: dict[Any, Any] = said if isinstance(said, dict) else {}
        for name, family in families.items():
            if not isinstance(family, dict):
                continue
            for style in ("regular", "bold", "italic", "bold_italic"):
                file = family.get(style)
                if isinstance(file, str):
                    loc = ("families", name, style)
                    collect(problems, lambda file=file, loc=loc: _truetype(
                        _inside(fonts_dir, file, doc, loc, "font"), doc, loc))
            fallbacks = family.get("fallbacks")
            for i, fallback in enumerate(fallbacks if isinstance(fallbacks, list) else []):
                if fallback not in families:
                    problems.append(doc.problem(("families", name, "fallbacks", i),
                                                f"fallback family {fallback!r} is not "
                                                f"defined in this file"))
        if catalogue is None or problems:
            raise ContentError(problems)
        return catalogue

    branding: tuple[Brand, YamlDocument, Path] | None = attempt(Scope(), brand)
    catalogue: FontCatalogue | None = attempt(Scope(), fonts)

    label_files = attempt(Scope(), folder_entries, data_dir / "labels")
    for path, is_folder in label_files or []:
        if is_folder or path.suffix != ".yaml":
            continue
        lang = path.stem
        loaded = attempt(Scope(lang=lang), load_file, path, Labels)
        if loaded:
            try:  # dates and prices written in the file's language, prices in the brand's money
                loaded = (loaded[0].written_in(lang, branding[0].currency if branding else None),
                          loaded[1])
            except ValueError as exc:
                lib.problems.append(Problem(_shown(path), 1, 1, str(exc),
                                            holds_back=Scope(lang=lang)))
                continue
            lib.labels[lang], lib.label_docs[lang] = loaded
            if catalogue and loaded[0].font not in catalogue.families:
                lib.problems.append(replace(loaded[1].problem(
                    ("font",), f"font family {loaded[0].font!r} is not in data/fonts.yaml; "
                               f"known: {', '.join(sorted(catalogue.families))}"),
                    holds_back=Scope(lang=lang)))
                del lib.labels[lang]

    for folder, is_folder in attempt(Scope(), folder_entries, data_dir / "treatments") or []:
        slug = folder.name
        if not is_folder:
            continue
        if not _SLUG.match(slug):
            lib.problems.append(Problem(_shown(folder), 1, 1,
                                        "treatment folder names use a-z, 0-9 and dashes"))
            continue
        if len(slug) > patterns.SLUG_LENGTH:
            lib.problems.append(Problem(
                _shown(folder), 1, 1, f"treatment folder name is {len(slug)} characters: "
                f"its PDFs' file names would be too long; keep it to "
                f"{patterns.SLUG_LENGTH} or fewer",
                holds_back=Scope(slug)))
            continue
        entries = attempt(Scope(slug), folder_entries, folder) or []
        facts: Facts = None
        places: dict[str, Place] | None = {}
        if (folder / FACTS_FILE, False) in entries:  # its problems hold back every language
            facts = attempt(Scope(slug), load_facts, folder / FACTS_FILE) or False
            if facts:
                lib.facts_docs[slug] = facts[1]
                places = attempt(Scope(slug), _pictures, lib,
                                 facts[0].model_dump(exclude_none=True), facts[1])
        for path, in_folder in entries:
            if in_folder or path.suffix != ".yaml" or path.name == FACTS_FILE:
                continue
            lang = path.stem
            if not _LANG.match(lang):
                lib.problems.append(Problem(_shown(path), 1, 1,
                                            "file name must be a language code such as en.yaml"))
                continue
            document = Scope(slug, lang)
            loaded = attempt(document, load_words, path, facts)
            if not loaded or places is None:
                continue
            lib.picture_places[(slug, lang)] = places
            lib.treatments.setdefault(slug, {})[lang] = loaded[0]
            lib.treatment_docs[(slug, lang)] = loaded[1]
            if label_files is not None and (data_dir / "labels" / f"{lang}.yaml",
                                            False) not in label_files:
                lib.problems.append(Problem(_shown(path), 1, 1,
                                            f"no labels for language '{lang}': add "
                                            f"{_shown(data_dir / 'labels')}/{lang}.yaml",
                                            holds_back=document))
            elif branding:
                for key in ("tagline", "disclaimer"):
                    if lang not in getattr(branding[0], key):
                        gap = branding[1].problem(
                            (key,), f"{key} has no '{lang}' text, needed by {_shown(path)}")
                        lib.problems.append(replace(gap, lang=lang, holds_back=Scope(lang=lang)))
    attempt(Scope(), _load_exercises, lib)
    lib.problems += _exercises_missing(lib)
    lib.translation_gaps = _translation_gaps(lib)
    lib.out_of_date = _out_of_date(lib)
    if not lib.treatments and not lib.problems:
        lib.problems.append(Problem(_shown(data_dir / "treatments"), 1, 1,
                                    "no treatments found: add treatments/<name>/<lang>.yaml"))
    if branding is None or catalogue is None:
        return lib
    brand_model, brand_doc, logo = branding
    return Library(**vars(lib), brand=brand_model, brand_doc=brand_doc, logo=logo,
                   fonts=catalogue)


#: The library's folder under data/: one folder per exercise, named by its id.
EXERCISES = "exercises"


def _load_exercises(lib: Found) -> None:
    """Every exercise of data/exercises/ into `lib.exercises`; each problem recorded at its
    line (it holds back the documents that use the exercise: see _exercises_missing)."""
    for folder, is_folder in folder_entries(lib.data_dir / EXERCISES):
        ident = folder.name
        if not is_folder:
            continue
        if not _SLUG.match(ident) or len(ident) > 40:
            lib.problems.append(Problem(_shown(folder), 1, 1, "exercise folder names use "
                                        "a-z, 0-9 and dashes, at most 40 characters"))
            continue
        try:
            entries = folder_entries(folder)
            if (folder / FACTS_FILE, False) not in entries:
                raise ContentError([Problem(_shown(folder / FACTS_FILE), 1, 1, "the "
                                            "exercise's facts file is missing: its picture, "
                                            "body area, hold_seconds and repeats")])
            facts = load_facts(folder / FACTS_FILE, exercise=True)
            _pictures(lib, facts[0].model_dump(exclude_none=True), facts[1])
        except ContentError as exc:
            lib.problems += exc.problems
            continue
        for path, in_folder in entries:
            if in_folder or path.suffix != ".yaml" or path.name == FACTS_FILE:
                continue
            if not _LANG.match(path.stem):
                lib.problems.append(Problem(_shown(path), 1, 1, "file name must be a "
                                                                "language code such as en.yaml"))
                continue
            try:
                exercise, doc = load_exercise(path, facts)
            except ContentError as exc:
                lib.problems += exc.problems
                continue
            lib.exercises.setdefault(ident, {})[path.stem] = exercise
            lib.exercise_docs[(ident, path.stem)] = doc


def _exercises_missing(lib: Found) -> list[Problem]:
    """Each exercise a treatment gives that the library lacks (at its line in the facts
    file), or lacks in one of the treatment's languages: that treatment (in that language)
    is then not loaded, as when its own files have problems."""
    problems = []
    for problem in _exercise_refs(lib):
        scope = problem.holds_back or Scope()
        for lang in [scope.lang] if scope.lang else list(lib.treatments.get(
                scope.treatment or "", {})):
            lib.treatments.get(scope.treatment or "", {}).pop(lang, None)
            lib.treatment_docs.pop((scope.treatment or "", lang), None)
        problems.append(problem)
    for slug in [slug for slug, langs in lib.treatments.items() if not langs]:
        del lib.treatments[slug]
    return problems


def _exercise_refs(lib: Found) -> list[Problem]:
    """Each exercise a treatment gives that the library lacks or lacks in a language."""
    problems = []
    for slug, doc in sorted(lib.facts_docs.items()):
        care = doc.data.get("home_care") if isinstance(doc.data, dict) else None
        named = care.get("exercises") if isinstance(care, dict) else None
        for i, ident in enumerate(named if isinstance(named, list) else []):
            if not isinstance(ident, str):
                continue
            have = lib.exercises.get(ident)
            if have is None:
                there = lib.data_dir / EXERCISES / ident
                said = (f"'{ident}' cannot be used until {_shown(there)}/ loads"
                        if there.is_dir() else f"no exercise '{ident}' in "
                        f"{_shown(lib.data_dir / EXERCISES)}/ (it has "
                        f"{', '.join(sorted(lib.exercises)) or 'none'})")
                problems.append(replace(doc.problem(
                    ("home_care", "exercises", i), f"home_care.exercises: {said}"),
                    holds_back=Scope(slug)))
                continue
            for lang in sorted(lib.treatments.get(slug, {})):
                words = lib.data_dir / EXERCISES / ident / f"{lang}.yaml"
                if lang not in have:  # a file still being translated is work to do
                    problems.append(replace(doc.problem(
                        ("home_care", "exercises", i), f"home_care.exercises: '{ident}' has "
                        f"no words in {lang} yet: {'finish' if words.is_file() else 'add'} "
                        f"{_shown(words)}"), lang=lang, holds_back=Scope(slug, lang),
                        unfinished=words.is_file()))
    return problems


def _holding_back(problems: Iterable[Problem], scope: Scope) -> list[Problem]:
    """The problems met loading a file, each marked with the documents it stops: a brand
    text still to translate holds back only its language."""
    return [replace(p, holds_back=Scope(scope.treatment, scope.lang or p.lang or None))
            for p in problems]


def treatment_files(data_dir: Path, under: str = "treatments") -> list[tuple[str, str]]:
    """(treatment, language) of every well-named treatment file (or, `under` EXERCISES,
    exercise file), whether it loads or not (a folder that cannot be opened is
    load_library's problem to report)."""
    def listing(folder: Path) -> list[tuple[Path, bool]]:
        try:
            return folder_entries(folder)
        except ContentError:
            return []

    return [(folder.name, path.stem)
            for folder, is_folder in listing(data_dir / under)
            if is_folder and _SLUG.match(folder.name)
            for path, in_folder in listing(folder)
            if not in_folder and path.suffix == ".yaml" and _LANG.match(path.stem)]


def _translation_gaps(lib: Found) -> list[Problem]:
    """Keys each language's files lack or add compared with the English ones."""
    gaps: list[Problem] = []
    if SOURCE_LANGUAGE in lib.label_docs:
        source = lib.label_docs[SOURCE_LANGUAGE]
        for lang, doc in lib.label_docs.items():
            if lang != SOURCE_LANGUAGE:
                gaps += key_differences(doc, source, Labels.OWN_PATTERNS)
    for docs in (lib.treatment_docs, lib.exercise_docs):
        for (name, lang), doc in docs.items():
            source_doc = docs.get((name, SOURCE_LANGUAGE))
            if lang != SOURCE_LANGUAGE and source_doc is not None:
                gaps += key_differences(doc, source_doc)
    return gaps


def _out_of_date(lib: Found) -> list[Problem]:
    """Translated texts (of treatments and labels) whose English changed since they were
    translated or confirmed; a lock that cannot be read is a problem of its own."""
    folders = {lib.data_dir / "labels": lib.label_docs}
    for (slug, lang), doc in sorted(lib.treatment_docs.items()):
        folders.setdefault(lib.data_dir / "treatments" / slug, {})[lang] = doc
    for (ident, lang), doc in sorted(lib.exercise_docs.items()):
        folders.setdefault(lib.data_dir / EXERCISES / ident, {})[lang] = doc
    found: list[Problem] = []
    for folder, docs in folders.items():
        source = docs.get(SOURCE_LANGUAGE)
        if source is None:
            continue
        records, damaged = read_lock(folder)
        if damaged:
            lib.problems.append(replace(damaged, path=_shown(damaged.path)))
        for lang, doc in docs.items():
            if lang != SOURCE_LANGUAGE:
                found += out_of_date(doc, source, lang, records.get(lang, {}))
    return found
