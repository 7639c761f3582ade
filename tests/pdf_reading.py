"""Read a PDF the way a client or a printer would: text, fonts, links, metadata, QR codes."""

from __future__ import annotations

import re
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path

import pypdfium2 as pdfium
import zxingcpp
from pypdf import PdfReader
from pypdf.generic import DictionaryObject


@dataclass(frozen=True)
class Link:
    page: int
    uri: str
    rect: tuple[float, float, float, float]


def text(pdf: Path | bytes) -> str:
    """All pages' text in reading order, pages joined by newlines."""
    reader = PdfReader(BytesIO(pdf) if isinstance(pdf, bytes) else pdf)
    return "\n".join(page.extract_text() for page in reader.pages)


def cards(pdf: Path | bytes, page: int, names: list[str],
          below: str | None = None) -> dict[str, str]:
    """The text a reader sees on each exercise card of one row of a home programme, by
    where it is drawn: a card runs from its name rightwards to the next card's name, and
    down to the heading `below` (the page's foot without one)."""
    reader = PdfReader(BytesIO(pdf) if isinstance(pdf, bytes) else pdf)
    runs: list[tuple[float, float, str]] = []

    def seen(said: str, cm: list[float], tm: list[float], *_: object) -> None:
        if said.strip():  # where it is drawn on the page
            runs.append((cm[0] * tm[4] + cm[2] * tm[5] + cm[4],
                         cm[1] * tm[4] + cm[3] * tm[5] + cm[5], said))
    reader.pages[page].extract_text(visitor_text=seen)
    at = {said.strip(): (x, y) for x, y, said in runs}
    bottom = at[below][1] if below else float("-inf")
    lefts = [at[name][0] for name in names] + [float("inf")]
    return {name: " ".join("".join(said for x, y, said in runs
                                   if left - 1 <= x < right - 1
                                   and bottom < y <= at[name][1] + 1).split())
            for name, left, right in zip(names, lefts[:-1], lefts[1:], strict=True)}


def squashed(value: str) -> str:
    """Text with every whitespace run removed: line breaks fall anywhere in a paragraph."""
    return re.sub(r"\s+", "", value)


def fonts(path: Path) -> list[DictionaryObject]:
    """Every font dictionary any page (or form XObject on it) refers to."""
    found: dict[int, DictionaryObject] = {}

    def walk(resources: DictionaryObject | None) -> None:
        if not resources:
            return
        resources = resources.get_object()
        for ref in (resources.get("/Font") or {}).values():
            found[id(ref.get_object())] = ref.get_object()
        for xobject in (resources.get("/XObject") or {}).values():
            xobject = xobject.get_object()
            if xobject.get("/Subtype") == "/Form":
                walk(xobject.get("/Resources"))

    for page in PdfReader(path).pages:
        walk(page.get("/Resources"))
    return list(found.values())


def links(path: Path) -> list[Link]:
    out = []
    for number, page in enumerate(PdfReader(path).pages, start=1):
        for annot in page.get("/Annots") or []:
            annot = annot.get_object()
            action = annot.get("/A")
            if annot.get("/Subtype") == "/Link" and action and "/URI" in action:
                rect = tuple(float(v) for v in annot["/Rect"])
                out.append(Link(number, str(action["/URI"]), rect))  # type: ignore[arg-type]
    return out


@dataclass(frozen=True)
class QrCode:
    text: str
    page: int
    width_mm: float  # the symbol itself, finder pattern edge to edge, quiet zone excluded
    box: tuple[float, float, float, float] = (0, 0, 0, 0)  # x0, y0, x1, y1 in PDF points


def qr_codes(path: Path, page: int | None = None, dpi: int = 150) -> list[QrCode]:
    """Decode every QR code on the rendered page(s), as a phone camera would see them."""
    document = pdfium.PdfDocument(str(path))
    try:
        pages = range(len(document)) if page is None else [page - 1]
        found: list[QrCode] = []
        for index in pages:
            image = document[index].render(scale=dpi / 72).to_pil()
            height = document[index].get_height()
            for code in zxingcpp.read_barcodes(image, formats=zxingcpp.BarcodeFormat.QRCode):
                p = code.position
                xs = [p.top_left.x, p.top_right.x, p.bottom_left.x, p.bottom_right.x]
                ys = [p.top_left.y, p.top_right.y, p.bottom_left.y, p.bottom_right.y]
                width_px = max(p.top_right.x, p.bottom_right.x) - min(p.top_left.x,
                                                                      p.bottom_left.x)
                pt = 72 / dpi
                box = (min(xs) * pt, height - max(ys) * pt, max(xs) * pt, height - min(ys) * pt)
                found.append(QrCode(code.text, index + 1, width_px * 25.4 / dpi, box))
        return found
    finally:
        document.close()


@dataclass(frozen=True)
class Glyph:
    """One drawn character and its box on the page, in PDF points, as PDFium sees it."""

    char: str
    page: int
    box: tuple[float, float, float, float]  # left, bottom, right, top


def glyphs(path: Path) -> list[Glyph]:
    """Every visible character of every page, with its box (spaces left out)."""
    document = pdfium.PdfDocument(str(path))
    try:
        found: list[Glyph] = []
        for index in range(len(document)):
            page = document[index]
            textpage = page.get_textpage()
            for i in range(textpage.count_chars()):
                char = textpage.get_text_range(i, 1)
                if not char.strip():
                    continue
                found.append(Glyph(char, index + 1, textpage.get_charbox(i)))
        return found
    finally:
        document.close()


def lines(path: Path) -> list[str]:
    """The text of every page as PDFium's reader breaks it into lines."""
    document = pdfium.PdfDocument(str(path))
    try:
        out: list[str] = []
        for page in document:
            out += page.get_textpage().get_text_range().replace("\r\n", "\n").split("\n")
        return out
    finally:
        document.close()


def qr_texts(path: Path, page: int | None = None, dpi: int = 150) -> list[str]:
    return sorted(code.text for code in qr_codes(path, page, dpi))


@dataclass(frozen=True)
class Run:
    """One run of text as drawn: where it starts on the page and at what size, in points."""

    text: str
    x: float
    y: float
    size: float


def runs(path: Path, page: int = 1) -> list[Run]:
    """Every text run on a page with its position and effective size."""
    found: list[Run] = []

    def visit(text: str, cm: list[float], tm: list[float], font: object, size: float) -> None:
        if not text.strip():
            return
        x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
        y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
        scale = (tm[3] * cm[3]) or 1
        found.append(Run(text, x, y, abs(size * scale)))

    PdfReader(path).pages[page - 1].extract_text(visitor_text=visit)
    return found


def body_size(path: Path) -> float:
    """The size most of the characters are set in: the body text size a reader meets."""
    weight: dict[float, int] = {}
    reader = PdfReader(path)
    for number in range(1, len(reader.pages) + 1):
        for run in runs(path, number):
            weight[round(run.size, 2)] = weight.get(round(run.size, 2), 0) + len(run.text)
    return max(weight, key=lambda size: weight[size])


def notdef_characters(path: Path) -> list[str]:
    """Every drawn character whose glyph is the embedded font's .notdef box, as 'font:code'.

    Reads each page's content stream, follows the current font (Tf), and looks each code of
    every Tj/TJ string up in the embedded TrueType font with fontTools. ReportLab draws a
    character its font lacks with a copy of glyph 0 (.notdef), so a drawn glyph whose outline
    equals .notdef's is a missing character.
    """
    import io

    from fontTools.ttLib import TTFont
    from pypdf.generic import ContentStream

    bad: list[str] = []
    lookups: dict[int, set[int]] = {}

    def load(font_dict: DictionaryObject) -> set[int]:
        """The codes of this font that draw nothing a reader could see."""
        data = font_dict["/FontDescriptor"].get_object()["/FontFile2"].get_object()
        font = TTFont(io.BytesIO(data.get_data()))
        glyf = font["glyf"]
        cmap = font["cmap"].tables[0].cmap
        notdef = glyf[font.getGlyphOrder()[0]]
        box = notdef.compile(glyf) if notdef.numberOfContours else None
        chars = to_unicode(font_dict)
        return {
            code for code in range(256)
            if code not in cmap
            or (box is not None and glyf[cmap[code]].compile(glyf) == box)
            or (glyf[cmap[code]].numberOfContours == 0 and not chars.get(code, "\0").isspace())
        }

    for page in PdfReader(path).pages:
        resources = page.get("/Resources").get_object()
        fonts_here = {name: ref.get_object()
                      for name, ref in (resources.get("/Font") or {}).items()}
        content = ContentStream(page.get_contents(), page.pdf)
        current = None
        for operands, operator in content.operations:
            if operator == b"Tf":
                current = fonts_here[operands[0]]
                if id(current) not in lookups:
                    lookups[id(current)] = load(current)
            elif operator in (b"Tj", b"TJ", b"'", b'"') and current is not None:
                blank = lookups[id(current)]
                strings = operands[0] if operator == b"TJ" else operands[-1:]
                for item in strings:
                    if hasattr(item, "original_bytes"):
                        raw = item.original_bytes
                    elif isinstance(item, bytes):
                        raw = bytes(item)
                    else:
                        continue  # a TJ kerning number
                    bad += [f"{current['/BaseFont']}:{code}" for code in raw if code in blank]
    return bad


def to_unicode(font_dict: DictionaryObject) -> dict[int, str]:
    """A simple font's /ToUnicode CMap: character code -> the text it stands for."""
    if "/ToUnicode" not in font_dict:
        return {}
    cmap = font_dict["/ToUnicode"].get_object().get_data().decode("latin-1")
    found: dict[int, str] = {}
    for block in re.findall(r"beginbfchar(.*?)endbfchar", cmap, re.S):
        for code, dest in re.findall(r"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", block):
            found[int(code, 16)] = bytes.fromhex(dest).decode("utf-16-be")
    for block in re.findall(r"beginbfrange(.*?)endbfrange", cmap, re.S):
        for lo, hi, dest in re.findall(
                r"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", block):
            for offset, code in enumerate(range(int(lo, 16), int(hi, 16) + 1)):
                found[code] = chr(int(dest, 16) + offset)
    return found
