"""Read a tagged PDF the way assistive technology does: its structure tree, the marked
content each element owns, and what every text-showing operator on a page belongs to."""

from __future__ import annotations

import re
import subprocess
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pypdf import PdfReader
from pypdf.generic import ContentStream, DictionaryObject, IndirectObject

#: The operators that show text.
TEXT_SHOWING = {b"Tj", b"TJ", b"'", b'"'}


@dataclass(eq=False)
class Element:
    """A structure element: its type, /Alt, the (page, MCID) pairs and annotations it
    holds directly, its children in order and the text of its marked content."""

    role: str
    alt: str | None
    reference: IndirectObject | None
    lang: str | None = None
    kids: list[Element] = field(default_factory=list)
    marked: list[tuple[int, int]] = field(default_factory=list)
    annotations: list[IndirectObject] = field(default_factory=list)
    text: str = ""

    def walk(self) -> Iterator[Element]:
        yield self
        for kid in self.kids:
            yield from kid.walk()

    def all_text(self) -> str:
        return self.text + "".join(kid.all_text() for kid in self.kids)


@dataclass
class Tagged:
    reader: PdfReader
    root: Element
    #: Per page: the text each MCID's marked content shows.
    texts: list[dict[int, str]]


def _name(value: object) -> str:
    return str(value).lstrip("/")


def read(path: Path) -> Tagged:
    """The document's structure tree, each element with the text of its marked content."""
    reader = PdfReader(path)
    page_index = {page.indirect_reference.idnum: i  # type: ignore[union-attr]
                  for i, page in enumerate(reader.pages)}
    texts = [marked_texts(reader, i) for i in range(len(reader.pages))]
    tree_root = catalog(reader)["/StructTreeRoot"]

    def element(reference: IndirectObject | None, node: DictionaryObject,
                page: int | None) -> Element:
        if "/Pg" in node:
            page = page_index[node.raw_get("/Pg").idnum]
        made = Element(_name(node.get("/S", "")), node.get("/Alt"), reference,
                       node.get("/Lang"))
        kids = node.get("/K")
        kids = kids if isinstance(kids, list) else [] if kids is None else [kids]
        for kid in kids:
            if isinstance(kid, int):
                assert page is not None, "an MCID without a page"
                made.marked.append((page, int(kid)))
                made.text += texts[page].get(int(kid), "")
                continue
            target = kid.get_object()
            kind = target.get("/Type")
            if kind == "/MCR":
                mcr_page = (page_index[target.raw_get("/Pg").idnum] if "/Pg" in target
                            else page)
                assert mcr_page is not None
                made.marked.append((mcr_page, int(target["/MCID"])))
                made.text += texts[mcr_page].get(int(target["/MCID"]), "")
            elif kind == "/OBJR":
                made.annotations.append(target.raw_get("/Obj"))
            else:
                made.kids.append(element(kid if isinstance(kid, IndirectObject) else None,
                                         target, page))
        return made

    root = Element("StructTreeRoot", None, None)
    top = tree_root["/K"]
    for kid in top if isinstance(top, list) else [top]:
        root.kids.append(element(kid, kid.get_object(), None))
    return Tagged(reader, root, texts)


def _operations(reader: PdfReader, index: int) -> list[tuple[list[object], bytes]]:
    page = reader.pages[index]
    return ContentStream(page.get_contents(), reader).operations  # type: ignore[arg-type]


def marked_texts(reader: PdfReader, index: int) -> dict[int, str]:
    """The text each MCID on page `index` shows, decoded by pypdf as it extracts text."""
    stack: list[int | None] = []
    found: dict[int, str] = {}

    def before(operator: bytes, operands: list[object], *_: object) -> None:
        if operator == b"BMC":
            stack.append(None)
        elif operator == b"BDC":
            props = operands[1]
            stack.append(int(props["/MCID"]) if isinstance(props, dict)
                         and "/MCID" in props else None)
        elif operator == b"EMC":
            stack.pop()

    def shown(text: str, *_: object) -> None:
        mcid = next((m for m in reversed(stack) if m is not None), None)
        if mcid is not None and text:
            found[mcid] = found.get(mcid, "") + text

    reader.pages[index].extract_text(visitor_operand_before=before, visitor_text=shown)
    return found


@dataclass(frozen=True)
class Untagged:
    page: int
    operator: str
    why: str


def untagged_text(path: Path) -> list[Untagged]:
    """Every text-showing operator that is neither in a Pagination artifact (running head,
    footer, page number) nor in marked content whose MCID a structure element claims; and
    any unbalanced marked content. Text in another artifact (one that only says
    "decoration") is a paragraph the tagging missed."""
    tagged = read(path)
    claimed = {pair for element in tagged.root.walk() for pair in element.marked}
    problems: list[Untagged] = []
    for index in range(len(tagged.reader.pages)):
        stack: list[tuple[str, int | None]] = []
        for operands, operator in _operations(tagged.reader, index):
            if operator == b"BMC":
                stack.append((_name(operands[0]), None))
            elif operator == b"BDC":
                props = operands[1]
                mcid = int(props["/MCID"]) if isinstance(props, dict) and "/MCID" in props \
                    else None
                tag = _name(operands[0])
                if tag == "Artifact" and isinstance(props, dict):
                    tag = f"Artifact {_name(props.get('/Type', ''))}"
                stack.append((tag, mcid))
            elif operator == b"EMC":
                if not stack:
                    problems.append(Untagged(index + 1, "EMC", "closes nothing"))
                else:
                    stack.pop()
            elif operator in TEXT_SHOWING:
                if any(tag == "Artifact Pagination" for tag, _ in stack):
                    continue
                mcid = next((m for _, m in reversed(stack) if m is not None), None)
                if mcid is None:
                    problems.append(Untagged(index + 1, operator.decode(), "not marked"))
                elif (index, mcid) not in claimed:
                    problems.append(Untagged(index + 1, operator.decode(),
                                             f"MCID {mcid} belongs to no element"))
        if stack:
            problems.append(Untagged(index + 1, "end", f"{len(stack)} sequences left open"))
    return problems


def catalog(reader: PdfReader) -> Any:
    """The document catalog (typed Any: pypdf types every dictionary value as a PdfObject)."""
    return reader.trailer["/Root"]


def parent_tree(reader: PdfReader) -> dict[int, Any]:
    """The ParentTree's entries: a page's array of elements by MCID, or an annotation's
    element, by the /StructParents or /StructParent key."""
    nums = catalog(reader)["/StructTreeRoot"]["/ParentTree"]["/Nums"]
    return {int(nums[i]): nums[i + 1] for i in range(0, len(nums), 2)}


def xmp(reader: PdfReader) -> ET.Element:
    data = catalog(reader)["/Metadata"].get_object().get_data()
    return ET.fromstring(data)


def struct_text(path: Path) -> list[tuple[str, str]]:
    """`pdfinfo -struct-text`: (element type, text) for every element that shows text,
    in the structure tree's (reading) order, as poppler prints it."""
    out = subprocess.run(["pdfinfo", "-struct-text", str(path)], check=True,
                         capture_output=True, text=True).stdout
    found: list[tuple[str, str]] = []
    role = ""
    for line in out.splitlines():
        stripped = line.strip()
        if stripped.startswith('"') and stripped.endswith('"'):
            found.append((role, stripped[1:-1]))
        elif stripped:
            role = re.split(r"\s", stripped, maxsplit=1)[0]
    return found
