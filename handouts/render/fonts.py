"""Fonts: registered with ReportLab once per process, and checked for coverage before drawing.

ReportLab draws a character its font lacks as nothing, silently; so every string is checked
against the family that will draw it, and a gap is a content error at the string's line.
"""

from __future__ import annotations

import hashlib
import os
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from weakref import WeakKeyDictionary

import reportlab
from reportlab.pdfbase import pdfmetrics, ttfonts
from reportlab.pdfbase.pdfdoc import PDFDocument
from reportlab.pdfbase.ttfonts import TTFError, TTFont, TTFontFace

from handouts.content.cache import cache_file
from handouts.content.digests import digest
from handouts.content.kept import read_kept, write_kept
from handouts.content.models import FontCatalogue
from handouts.content.yaml_source import Loc, YamlDocument, why_not
from handouts.errors import ContentError, Problem


@dataclass(frozen=True, eq=False)
class RegisteredFamily:
    """ReportLab names of one family's faces, and the characters every face can draw.

    Fallback families are loaded the first time a character needs one: an English sheet
    never pays for parsing the Korean and Japanese fonts.
    """

    name: str
    regular: str
    bold: str
    italic: str
    bold_italic: str
    covered: frozenset[int]
    load_fallbacks: Callable[[], tuple[RegisteredFamily, ...]] = field(
        default=lambda: (), repr=False)

    @cached_property
    def fallbacks(self) -> tuple[RegisteredFamily, ...]:
        return self.load_fallbacks()

    def draws(self, char: str) -> bool:
        """True when this family itself has `char` (or needs no glyph for it)."""
        return ord(char) in self.covered or _invisible(char)

    def draws_all(self, text: str) -> bool:
        """True when this family itself has every character of `text` (one set test for
        the usual text, which it covers)."""
        return self.covered.issuperset(map(ord, text)) or all(map(self.draws, text))

    def drawer(self, char: str) -> RegisteredFamily | None:
        """The family that draws `char`: this one, else the first fallback that has it."""
        if self.draws(char):
            return self
        return next((f for f in self.fallbacks if f.draws(char)), None)

    def missing(self, text: str) -> list[str]:
        """Characters of `text` that neither this family nor any fallback can draw."""
        if self.covered.issuperset(map(ord, text)):
            return []
        seen: dict[str, None] = {}
        for char in text:
            if self.drawer(char) is None:
                seen.setdefault(char)
        return list(seen)


#: U+FFFE, U+FFFF, U+FDD0-U+FDEF and kin in every plane: not text, and forbidden in XML
#: (the PDF's XMP), so never counted as drawable even when a font maps one.
NONCHARACTERS = frozenset([*range(0xFDD0, 0xFDF0),
                           *(plane + last for plane in range(0, 0x110000, 0x10000)
                             for last in (0xFFFE, 0xFFFF))])


def _invisible(char: str) -> bool:
    """Whitespace and line breaks are laid out, not drawn from the font."""
    return char in "\n\r\t " or unicodedata.category(char) in ("Zl", "Zp")


#: The characters a document draws in each font face beyond the ASCII every subset holds
#: from the start: (face, characters) per face, faces in the order the document first used
#: them, each face's characters in the order it first drew them (what keeps a script's
#: common characters in one subset, and the page's font switches few).
GlyphOrder = tuple[tuple[str, str], ...]


#: What ReportLab's subsets of a face hold before anything is drawn: .notdef and ASCII.
ASCII_PRESET = frozenset({0, *range(0x20, 0x80)})


def reserve_glyphs(doc: PDFDocument, order: GlyphOrder) -> None:
    """Give `order`'s faces their resource names and its characters their subset codes in
    `doc`, before anything is drawn: what a document draws afterwards (a client's name)
    takes the codes after them, so everything else is encoded alike in every document that
    reserves the same order (ReportLab otherwise numbers characters as they are first drawn).
    """
    for face, characters in order:
        font = pdfmetrics.getFont(face)
        font.getSubsetInternalName(0, doc)
        font.splitString(characters, doc)


def glyphs_used(doc: PDFDocument) -> GlyphOrder:
    """The faces and characters `doc` has drawn so far, as `reserve_glyphs` takes them (read
    before the document is saved: saving forgets them)."""
    order = []
    for font in doc.delayedFonts:
        state = getattr(font, "state", {}).get(doc)
        if state is not None:
            drawn = sorted((n, code) for code, n in state.assignments.items()
                           if code not in ASCII_PRESET)
            order.append((font.fontName, "".join(chr(code) for _, code in drawn)))
    return tuple(order)


def reservable(order: GlyphOrder) -> bool:
    """Whether every face `order` names is registered in this process (a face's name holds
    its file's digest: a font file changed since the order was learnt is not)."""
    names = set(pdfmetrics.getRegisteredFontNames())
    return all(face in names for face, _ in order)


_registry: dict[tuple[object, ...], RegisteredFamily] = {}
#: Code points a ToUnicode map may not name: NUL and the byte-order marks.
_NOT_TEXT = frozenset({0x0000, 0xFEFF, 0xFFFE})


def to_unicode_cmap(fontname: str, subset: list[int]) -> str:
    """ReportLab's ToUnicode CMap, with each character written as UTF-16BE as the PDF
    standard asks.

    ReportLab 5 writes a character beyond U+FFFF as its bare code point (`<27723>`), so a
    reader cannot copy or search a rare CJK name on a personalised sheet; surrogate pairs
    fix that. The codes a subset reserves and never draws (0-31 of the first, 0 of the
    others: ReportLab's .notdef) map to nothing rather than to U+0000, which PDF/UA and
    PDF/A refuse as text.
    """
    entries = [f"<{i:02X}> <{chr(code).encode('utf-16-be', 'surrogatepass').hex().upper()}>"
               for i, code in enumerate(subset) if code not in _NOT_TEXT]
    return "\n".join([
        "/CIDInit /ProcSet findresource begin", "12 dict begin", "begincmap",
        "/CIDSystemInfo", f"<< /Registry ({fontname})", f"/Ordering ({fontname})",
        "/Supplement 0", ">> def", f"/CMapName /{fontname} def", "/CMapType 2 def",
        "1 begincodespacerange", f"<00> <{len(subset) - 1:02X}>", "endcodespacerange",
        f"{len(entries)} beginbfchar", *entries, "endbfchar", "endcmap",
        "CMapName currentdict /CMap defineresource pop", "end", "end",
    ])


#: A font file's identity as the file system tells it (device, inode, size, modification
#: and change time: no copy or edit keeps all five) -> the SHA-256 of its bytes then.
_identified: dict[tuple[int, ...], bytes] = {}


def _identity(path: Path) -> tuple[int, ...]:
    try:
        stat = path.stat()
    except OSError as exc:  # gone or locked since the content was loaded
        raise ContentError([Problem(path, 1, 1, "cannot read this font: "
                                    f"{why_not(exc)}")]) from None
    return stat.st_dev, stat.st_ino, stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns


def _bytes_digest(path: Path, identity: tuple[int, ...]) -> bytes:
    """The font file's SHA-256, hashed once per identity in this process."""
    if identity not in _identified:
        try:
            _identified[identity] = digest(path)
        except OSError as exc:
            raise ContentError([Problem(path, 1, 1, "cannot read this font: "
                                        f"{why_not(exc)}")]) from None
    return _identified[identity]


def register_family(name: str, catalogue: FontCatalogue, fonts_dir: Path,
                    with_fallbacks: bool = True) -> RegisteredFamily:
    """Register family `name` (and its fallbacks) with ReportLab, once per process.

    Fallbacks are one level deep: a fallback's own fallbacks are not followed, so two
    families may name each other without a loop.
    """
    ttfonts.makeToUnicodeCMap = to_unicode_cmap
    family = catalogue.families[name]
    files = {style: getattr(family, style)
             for style in ("regular", "bold", "italic", "bold_italic")}
    stamps = {file: _identity(fonts_dir / file) for file in files.values() if file}
    # repr, not model_dump_json: the family read from the cache has no serializer built
    # yet, and building it took 5-10 ms of every sheet
    key = (name, fonts_dir.resolve(), with_fallbacks, repr(family),
           tuple(sorted(stamps.items())))
    if key in _registry:
        return _registry[key]

    def fallbacks() -> tuple[RegisteredFamily, ...]:
        if not with_fallbacks:
            return ()
        return tuple(register_family(other, catalogue, fonts_dir, with_fallbacks=False)
                     for other in family.fallbacks if other != name)

    faces: dict[str, str] = {}
    covered: frozenset[int] | None = None
    for style, file in files.items():
        if file is None:
            faces[style] = faces["bold" if style == "bold_italic" else "regular"]
            continue
        # a face is known by its file's bytes: one file used for two styles is read once
        # (and counts as having no bold), a changed file is read again, and the name (in
        # every PDF) is the same on every machine, whatever the file's dates
        file_digest = _bytes_digest(fonts_dir / file, stamps[file])
        face_name = f"{name}-{Path(file).stem}-{file_digest.hex()[:12]}"
        if face_name in pdfmetrics.getRegisteredFontNames():
            font = pdfmetrics.getFont(face_name)
        else:
            try:
                font = _font(face_name, fonts_dir / file, file_digest)
            except OSError as exc:  # made unreadable since the content was loaded
                raise ContentError([Problem(fonts_dir / file, 1, 1, "cannot read this font: "
                                            f"{why_not(exc)}")]) from None
            except TTFError as exc:
                raise ContentError([Problem(fonts_dir / file, 1, 1,
                                            f"cannot use this font: {exc}")]) from None
            except Exception as exc:  # a damaged file trips the parser anywhere
                raise ContentError([Problem(fonts_dir / file, 1, 1,
                                            f"cannot use this font, the file is damaged "
                                            f"({exc})")]) from None
            _register(font)
        faces[style] = face_name
        cmap = frozenset(font.face.charToGlyph).difference(NONCHARACTERS)
        covered = cmap if covered is None else covered & cmap
    pdfmetrics.registerFontFamily(
        faces["regular"], normal=faces["regular"], bold=faces["bold"],
        italic=faces["italic"], boldItalic=faces["bold_italic"],
    )
    registered = RegisteredFamily(name, faces["regular"], faces["bold"], faces["italic"],
                                  faces["bold_italic"], covered or frozenset(), fallbacks)
    _registry[key] = registered
    return registered


def _register(font: TTFont) -> None:
    """Register `font` under its own name. ReportLab gives a new name whose face has the
    (PostScript) name of a font registered before that older font instead, so a font file
    changed while a process runs (the desk, watch) would go on being drawn from its old
    bytes, while its coverage was checked against the new. The older font keeps its own
    name: a page being drawn with it meanwhile is not disturbed."""
    pdfmetrics.registerFont(font)
    if pdfmetrics.getFont(font.fontName) is not font:
        pdfmetrics._fonts[font.fontName] = font  # ReportLab has no other way to say it


#: What a kept face is made with: bumped when that changes.
_FACE = b"handouts font face 1\0" + reportlab.Version.encode()
#: What pickle cannot hold of ReportLab's font: the documents it was used in (none yet) and
#: its face's scale, a function of the face's units per em.
_UNKEPT = ("state", "face")


def _font(face_name: str, path: Path, file_digest: bytes) -> TTFont:
    """ReportLab's font for the file at `path`, parsed once per content of that file and
    kept in the content cache: parsing took 10-70 ms a face on every run (a pickle of the
    parsed font, file bytes included, loads in a few)."""
    slot = cache_file(f"face-{hashlib.sha256(os.fsencode(os.path.abspath(path))).hexdigest()[:32]}")
    if slot is not None:
        kept = read_kept(slot, hashlib.sha256(_FACE + file_digest).digest())
        if isinstance(kept, tuple) and len(kept) == 2:
            font: TTFont = TTFont.__new__(TTFont)
            font.__dict__.update(kept[0], fontName=face_name, state=WeakKeyDictionary())
            font.face = TTFontFace.__new__(TTFontFace)
            font.face.__dict__.update(kept[1], _pdfScale=_scale(kept[1]["unitsPerEm"]))
            return font
    font = TTFont(face_name, str(path))
    if slot is not None:
        face = {k: v for k, v in vars(font.face).items() if k != "_pdfScale"}
        write_kept(slot, hashlib.sha256(_FACE + hashlib.sha256(face["_ttf_data"]).digest()
                                        ).digest(),
                   ({k: v for k, v in vars(font).items() if k not in _UNKEPT}, face))
    return font


def _scale(units_per_em: int) -> Callable[[float], float]:
    """Font units to PDF's thousandths of an em, as ReportLab's parser makes it."""
    if units_per_em == 1000:
        return lambda x: x
    per_unit = 1000 / units_per_em
    return lambda x: x * per_unit


def missing_glyph(char: str, family: RegisteredFamily) -> str:
    """The message for a character no font of `family` can draw."""
    return (f"character U+{ord(char):04X} {char!r} ({unicodedata.name(char, 'unnamed')}) is "
            f"not in font '{family.name}' or its fallbacks")


def glyph_problems(doc: YamlDocument, family: RegisteredFamily,
                   only: tuple[Loc, ...] | None = None) -> list[Problem]:
    """A problem for each character in `doc` (or in its `only` subtrees) the family lacks."""
    problems: list[Problem] = []

    def walk(value: object, loc: Loc) -> None:
        if isinstance(value, dict):
            for key, item in value.items():
                walk(item, (*loc, key))
        elif isinstance(value, list):
            for i, item in enumerate(value):
                walk(item, (*loc, i))
        elif isinstance(value, str):
            if only is not None and not any(loc[: len(o)] == o for o in only):
                return
            for char in family.missing(unicodedata.normalize("NFC", value)):
                line, column = doc.locate_char(loc, char)
                problems.append(Problem(doc.path, line, column, missing_glyph(char, family)))

    walk(doc.data, ())
    return problems
