"""Tagged PDF (PDF/UA-1): marked content on the canvas, the structure tree written at save.

ReportLab has no tagging API. The flowables that know their role (paragraphs by their style
role, pictures, QR tiles, number badges) bracket what they draw in marked content with an
MCID; everything else on a page (panels, rules, pictograms, running heads, footers) lies in
one `/Artifact` sequence that is closed around each tagged piece. A `StructureTree`, owned by
the canvas of the one document being written, records where each piece belongs; at save it
becomes the StructTreeRoot, its ParentTree, the XMP identification and the catalog's
/MarkInfo. A canvas without a tree (a trial layout) draws exactly as before.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field

from reportlab.pdfbase.pdfdoc import (
    PDFArray,
    PDFDictionary,
    PDFDocument,
    PDFName,
    PDFObject,
    PDFObjectReference,
    PDFPage,
    PDFStream,
    PDFString,
)
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, Paragraph, Table

from handouts.render.archive import PDFA_CONFORMANCE, PDFA_PART
from handouts.render.inline import escape

#: The structure type of each style role that is not a plain paragraph (P); None: page
#: furniture (running heads, footers, page numbers), drawn as a /Pagination artifact.
STRUCTURE_OF_ROLE: dict[str, str | None] = {
    "title": "H1",
    "flyer.headline": "H1",
    "section.title": "H2",
    "warning.title": "H2",
    "contact.title": "H2",
    "bullet": "LI",
    "running": None,
    "running.name": None,
    "footer": None,
    "footer.page": None,
}

#: Opens and closes the artifact every page's untagged drawing lies in.
OPEN_ARTIFACT = "/Artifact BMC"
CLOSE = "EMC"
#: The list a run of bullet paragraphs makes (consecutive bullets share it).
_BULLETS = "bullets"


#: One change to a structure tree: the method's name and its arguments after the canvas.
TreeCall = tuple[str, tuple[object, ...]]
#: The methods that take the canvas first.
_ON_CANVAS = frozenset({"begin", "end", "link"})


def structure_of_role(role: str) -> str | None:
    return STRUCTURE_OF_ROLE.get(role, "P")


@dataclass(frozen=True)
class MarkedContent:
    """One marked-content sequence: the page (from 1) and its MCID there."""

    page: int
    mcid: int


@dataclass(eq=False)
class LinkAnnotation:
    """A link annotation on a page, the object an OBJR points at."""

    annotation: PDFDictionary
    reference: PDFObjectReference
    page: int


@dataclass(eq=False)
class Element:
    """A structure element: its type, where it hangs, and what it holds in reading order."""

    role: str
    parent: Element | None
    key: Hashable = None
    alt: str | None = None
    #: The language of its text, when not the document's.
    lang: str | None = None
    #: Read after the rest of its parent: drawn first on the page, read last (a flyer's
    #: contact panel is painted with the page, before the story).
    trailing: bool = False
    kids: list[Element | MarkedContent | LinkAnnotation] = field(default_factory=list)
    keyed: dict[tuple[str, Hashable], Element] = field(default_factory=dict, repr=False)

    def child(self, role: str, key: Hashable = None, alt: str | None = None,
              trailing: bool = False) -> Element:
        """The child with this role and key (a new one when `key` is None or not found)."""
        if key is not None:
            found = self.keyed.get((role, key))
            if found is not None:
                return found
        element = Element(role, self, key, alt, trailing=trailing)
        self.kids.append(element)
        if key is not None:
            self.keyed[role, key] = element
        return element

    def ordered(self) -> list[Element | MarkedContent | LinkAnnotation]:
        return ([k for k in self.kids if not getattr(k, "trailing", False)]
                + [k for k in self.kids if getattr(k, "trailing", False)])


class StructureTree:
    """What one document's pages hold, in reading order, as they are drawn."""

    def __init__(self, lang: str) -> None:
        self.lang = lang
        self.root = Element("Document", None)
        self.current = self.root
        self._stack: list[Element] = []
        self._next_mcid: dict[int, int] = {}
        self._marking = False
        #: While set, every change to the tree, to be made again by `replay`.
        self.log: list[TreeCall] | None = None

    def replay(self, canvas: Canvas, calls: Sequence[TreeCall]) -> None:
        """Make the changes `log` recorded while another document drew a page, on this
        document's page being drawn alike (what they write on the page is not written)."""
        code = canvas._code
        canvas._code = []
        try:
            for name, args in calls:
                if name == "link":  # an annotation of this document's own
                    args = (PDFDictionary(dict(args[0])),)  # type: ignore[call-overload]
                getattr(self, name)(*([canvas] if name in _ON_CANVAS else []), *args)
        finally:
            canvas._code = code

    @property
    def marking(self) -> bool:
        """Whether a marked-content sequence is open."""
        return self._marking

    def marks(self, canvas: Canvas) -> int:
        """How many marked-content sequences the canvas's current page has begun."""
        return self._next_mcid.get(canvas._pageNumber, 0)

    def enter(self, path: Sequence[tuple[str, Hashable]], trailing: bool = False) -> None:
        """Go into the element `path` names below the current one (made if missing)."""
        if self.log is not None:
            self.log.append(("enter", (tuple(path), trailing)))
        self._stack.append(self.current)
        for role, key in path:
            self.current = self.current.child(role, key, trailing=trailing)

    def leave(self) -> None:
        if self.log is not None:
            self.log.append(("leave", ()))
        self.current = self._stack.pop()

    def list_item(self) -> None:
        """Enter a new LI of the bullet list just before, or of a new one."""
        if self.log is not None:
            self.log.append(("list_item", ()))
        last = self.current.kids[-1] if self.current.kids else None
        self._stack.append(self.current)
        bullets = (last if isinstance(last, Element) and last.role == "L"
                   and last.key == _BULLETS else self.current.child("L"))
        bullets.key = _BULLETS  # not looked up by key: the next run of bullets is a new list
        self.current = bullets.child("LI")

    @contextmanager
    def marked(self, canvas: Canvas, role: str, alt: str | None = None) -> Iterator[None]:
        """Bracket what is drawn inside as one structure element of type `role`."""
        opened = self.begin(canvas, role, alt)
        try:
            yield
        finally:
            if opened:
                self.end(canvas)

    def begin(self, canvas: Canvas, role: str, alt: str | None = None,
              lang: str | None = None) -> bool:
        """Open marked content for a new element of type `role` (its text in `lang` when
        that is not the document's); False (and nothing opened) inside another, to which
        what is drawn then belongs."""
        if self.log is not None:
            self.log.append(("begin", (role, alt, lang)))
        if self._marking:
            return False
        parent = self.current
        if parent.role == "LI" and role != "Lbl":
            parent = parent.child("LBody", "body")
        page = canvas._pageNumber
        mcid = self._next_mcid.get(page, 0)
        self._next_mcid[page] = mcid + 1
        element = parent.child(role, alt=alt)
        element.lang = lang if lang != self.lang else None
        element.kids.append(MarkedContent(page, mcid))
        canvas._code.append(f"{CLOSE} /{role} <</MCID {mcid}>> BDC")
        self._marking = True
        return True

    def end(self, canvas: Canvas) -> None:
        if self.log is not None:
            self.log.append(("end", ()))
        self._marking = False
        canvas._code.append(f"{CLOSE} {OPEN_ARTIFACT}")

    @contextmanager
    def pagination(self, canvas: Canvas) -> Iterator[None]:
        """Bracket what is drawn inside as page furniture: an artifact of type Pagination,
        the only artifacts that show text (the others are panels, rules and pictograms)."""
        canvas._code.append(f"{CLOSE} /Artifact <</Type /Pagination>> BDC")
        try:
            yield
        finally:
            canvas._code.append(f"{CLOSE} {OPEN_ARTIFACT}")

    def link(self, canvas: Canvas, annotation: PDFDictionary) -> None:
        """Add a link annotation to the page, held by the current (Link) element."""
        if self.log is not None:
            self.log.append(("link", ({key: value for key, value in annotation.dict.items()
                                       if key != "StructParent"},)))
        canvas._addAnnotation(annotation)
        reference = canvas._doc.refAnnotation(f"NUMBER{canvas._annotationCount}")
        self.current.kids.append(LinkAnnotation(annotation, reference,
                                                canvas.getPageNumber()))

    def write(self, document: PDFDocument, pages: Sequence[PDFPage], xmp: bytes) -> None:
        """The StructTreeRoot with its ParentTree, each page's /StructParents and /Tabs,
        the catalog's /MarkInfo and the XMP metadata stream."""
        page_refs = [_ref(document, page) for page in pages]
        by_page: list[dict[int, str]] = [{} for _ in pages]
        links: list[str] = []
        root = Formatted()
        root_ref = _ref(document, root)

        def write_element(element: Element, parent: str) -> str:
            node = Formatted()
            ref = _ref(document, node)
            kids: list[str] = []
            for kid in element.ordered():
                if isinstance(kid, Element):
                    kids.append(write_element(kid, ref))
                elif isinstance(kid, MarkedContent):
                    by_page[kid.page - 1][kid.mcid] = ref
                    kids.append(f"<< /Type /MCR /MCID {kid.mcid} "
                                f"/Pg {page_refs[kid.page - 1]} >>")
                else:
                    kid.annotation["StructParent"] = len(pages) + len(links)
                    links.append(ref)
                    kids.append(f"<< /Type /OBJR /Obj {_number(document, kid.reference)} "
                                f"/Pg {page_refs[kid.page - 1]} >>")
            body = f"<< /Type /StructElem /S /{element.role} /P {parent}"
            marked = [k for k in element.kids if isinstance(k, MarkedContent)]
            if len(marked) == 1 and len(element.kids) == 1:  # a leaf: its page and MCID
                body += f" /Pg {page_refs[marked[0].page - 1]} /K {marked[0].mcid}"
            else:
                body += f" /K [ {' '.join(kids)} ]"
            if element.role == "L":  # what its labels are: bullets, or step numbers
                numbering = "Disc" if element.key == _BULLETS else "Decimal"
                body += f" /A << /O /List /ListNumbering /{numbering} >>"
            node.body = body.encode("ascii")
            if element.alt:
                node.body += b" /Alt " + PDFString(element.alt).format(document)
            if element.lang:
                node.body += b" /Lang " + PDFString(element.lang).format(document)
            node.body += b" >>"
            return ref

        document_ref = write_element(self.root, root_ref)
        nums: list[str] = []
        for index, marked in enumerate(by_page):
            nums.append(f"{index} [ {' '.join(marked[m] for m in sorted(marked))} ]")
        nums += [f"{len(pages) + offset} {ref}" for offset, ref in enumerate(links)]
        parent_tree = Formatted(f"<< /Nums [ {' '.join(nums)} ] >>".encode("ascii"))
        root.body = (f"<< /Type /StructTreeRoot /K [ {document_ref} ] /ParentTree "
                     f"{_ref(document, parent_tree)} /ParentTreeNextKey "
                     f"{len(pages) + len(links)} >>").encode("ascii")
        for index, page in enumerate(pages):
            page.__NoDefault__ = [*page.__NoDefault__, "StructParents", "Tabs"]
            page.StructParents = index
            page.Tabs = PDFName("S")
        catalog = document.Catalog
        catalog.StructTreeRoot = root
        catalog.MarkInfo = PDFDictionary({"Marked": "true"})
        catalog.Metadata = PDFStream(PDFDictionary({"Type": PDFName("Metadata"),
                                                    "Subtype": PDFName("XML")}), xmp)


class Formatted(PDFObject):
    """A PDF object written as it was composed. A tagged sheet has a few hundred structure
    elements: composing each once, with its references' object numbers, costs far less
    than ReportLab's generic dictionaries (sorted, formatted value by value)."""

    def __init__(self, body: bytes = b"") -> None:
        self.body = body

    def format(self, document: PDFDocument) -> bytes:
        return self.body


def _ref(document: PDFDocument, obj: PDFObject) -> str:
    """`obj` registered as an indirect object of `document`, as a reference ("12 0 R")."""
    return _number(document, document.Reference(obj))


def _number(document: PDFDocument, reference: PDFObjectReference) -> str:
    number, generation = document.idToObjectNumberAndVersion[reference.name]
    return f"{number} {generation} R"


def structure_of(canvas: Canvas) -> StructureTree | None:
    """The tree the canvas's document is recording, or None (a trial layout)."""
    tree = getattr(canvas, "structure", None)
    return tree if isinstance(tree, StructureTree) else None


@contextmanager
def tagged(canvas: Canvas, role: str, alt: str | None = None) -> Iterator[None]:
    """Draw inside as one element of type `role` (nothing extra on an untagged canvas)."""
    tree = structure_of(canvas)
    if tree is None:
        yield
        return
    with tree.marked(canvas, role, alt):
        yield


@contextmanager
def grouped(canvas: Canvas, role: str, trailing: bool = False) -> Iterator[None]:
    """Draw inside as the content of one new element of type `role` (a Link, a Sect)."""
    tree = structure_of(canvas)
    if tree is None:
        yield
        return
    tree.enter([(role, None)], trailing)
    try:
        yield
    finally:
        tree.leave()


def link(canvas: Canvas, url: str, rect: tuple[float, float, float, float],
         description: str) -> None:
    """A URL link over `rect` (in the current coordinates), described for assistive
    technology; held by the current element (a Link) on a tagged canvas."""
    tree = structure_of(canvas)
    if tree is None:
        canvas.linkURL(url, rect, relative=1, thickness=0)
        return
    annotation = PDFDictionary({
        "Type": PDFName("Annot"), "Subtype": PDFName("Link"),
        "Rect": PDFArray(canvas._absRect(rect, 1)), "Border": PDFArray([0, 0, 0]),
        "F": 4,  # printed with the page (PDF/A): the link's area, never a hidden widget
        "Contents": PDFString(description),
        "A": PDFDictionary({"Type": PDFName("Action"), "S": PDFName("URI"),
                            "URI": PDFString(url)}),
    })
    tree.link(canvas, annotation)


#: Where an element hangs below the current one: (role, key) pairs, outermost first.
ElementPath = tuple[tuple[str, Hashable], ...]


class ItemTable(Table):
    """A layout table whose cells belong to items (a benefit's title and its text, a step's
    number and words): each item's cells read as one element, found by key, though a table
    draws row by row. `items` maps (row, column) to the item's element path, in reading
    order."""

    items: dict[tuple[int, int], ElementPath] = {}
    #: Never split across pages: moves to the next page whole.
    whole = False

    def split(self, available_width: float, available_height: float) -> list[Flowable]:
        return [] if self.whole else super().split(available_width, available_height)

    def draw(self) -> None:
        tree = structure_of(self.canv)
        if tree is not None:  # the items in reading order (`items`' order), then their cells
            for path in dict.fromkeys(self.items.values()):
                tree.enter(path)
                tree.leave()
        super().draw()

    def _drawCell(self, cellval: object, cellstyle: object,  # noqa: N802 - ReportLab's name
                  pos: tuple[float, float], size: tuple[float, float]) -> None:
        tree = structure_of(self.canv)
        path = self.items.get((self._rowpositions.index(pos[1]) - 1,
                               self._colpositions.index(pos[0]))) if tree else None
        if tree is None or path is None:
            super()._drawCell(cellval, cellstyle, pos, size)
            return
        tree.enter(path)
        try:
            super()._drawCell(cellval, cellstyle, pos, size)
        finally:
            tree.leave()


class TaggedParagraph(Paragraph):
    """A paragraph tagged by its style role: a heading, a paragraph, a bullet (LI with its
    Lbl and LBody), or page furniture left as an artifact. Each part of a paragraph split
    across pages is tagged where it is drawn."""

    #: Set to tag the paragraph as something other than its style role says.
    structure: str | None = None
    #: Set when the paragraph is in another language than its document (an address).
    lang: str | None = None

    def drawOn(self, canvas: Canvas, x: float, y: float, _sW: float = 0) -> None:  # noqa: N802
        tree = structure_of(canvas)
        role = self.structure or structure_of_role(self.style.name)
        if tree is None:
            super().drawOn(canvas, x, y, _sW)
            return
        if role is None:
            with tree.pagination(canvas):
                super().drawOn(canvas, x, y, _sW)
            return
        with self._spaced_lines():
            if role != "LI":
                opened = tree.begin(canvas, role, lang=self.lang)
                super().drawOn(canvas, x, y, _sW)
                if opened:
                    tree.end(canvas)
                return
            tree.list_item()
            try:
                if self.bulletText:
                    _label_first_text(canvas, tree, lambda: super(TaggedParagraph, self).drawOn(
                        canvas, x, y, _sW))
                else:
                    with tree.marked(canvas, "P"):
                        super().drawOn(canvas, x, y, _sW)
            finally:
                tree.leave()

    @contextmanager
    def _spaced_lines(self) -> Iterator[None]:
        """While drawing, every line but the last ends in the space the line break took, so
        a reader of the text (a screen reader, `pdfinfo -struct-text`) gets "care for your",
        not "care foryour". The space is drawn after the line's last glyph: nothing visible
        moves. Scripts broken between characters have no space to restore."""
        lines = getattr(getattr(self, "blPara", None), "lines", None)
        if not lines or len(lines) < 2 or self.style.wordWrap == "CJK":
            yield
            return
        original = list(lines)
        kind = self.blPara.kind
        saved_words = [getattr(line, "words", None) for line in lines]
        for index, line in enumerate(lines[:-1]):
            if kind == 0:
                extra, words = line
                if words:
                    lines[index] = (extra, [*words[:-1], words[-1] + " "])
            elif line.words and hasattr(line.words[-1], "text") \
                    and not hasattr(line.words[-1], "cbDefn"):
                last = line.words[-1].clone()
                last.text += " "
                line.words = [*line.words[:-1], last]
        try:
            yield
        finally:
            lines[:] = original
            if kind != 0:
                for line, words in zip(lines, saved_words, strict=True):
                    line.words = words


def _label_first_text(canvas: Canvas, tree: StructureTree, draw: Callable[[], None]) -> None:
    """Draw a bulleted paragraph: its first text object (the bullet) as the Lbl, the rest
    (its lines) as a P in the LBody."""
    draw_text = canvas.drawText
    calls = [0]

    def text_in_part(text: object) -> None:
        calls[0] += 1
        with tree.marked(canvas, "Lbl" if calls[0] == 1 else "P"):
            draw_text(text)

    canvas.drawText = text_in_part
    try:
        draw()
    finally:
        del canvas.drawText


#: The PDF/A extension schema that declares pdfuaid:part, a property PDF/A does not predefine.
_PDFUA_SCHEMA = (
    '<rdf:Description rdf:about=""'
    ' xmlns:pdfaExtension="http://www.aiim.org/pdfa/ns/extension/"'
    ' xmlns:pdfaSchema="http://www.aiim.org/pdfa/ns/schema#"'
    ' xmlns:pdfaProperty="http://www.aiim.org/pdfa/ns/property#">\n'
    "<pdfaExtension:schemas><rdf:Bag><rdf:li rdf:parseType=\"Resource\">\n"
    "<pdfaSchema:schema>PDF/UA Universal Accessibility Schema</pdfaSchema:schema>\n"
    "<pdfaSchema:namespaceURI>http://www.aiim.org/pdfua/ns/id/</pdfaSchema:namespaceURI>\n"
    "<pdfaSchema:prefix>pdfuaid</pdfaSchema:prefix>\n"
    "<pdfaSchema:property><rdf:Seq><rdf:li rdf:parseType=\"Resource\">\n"
    "<pdfaProperty:name>part</pdfaProperty:name>\n"
    "<pdfaProperty:valueType>Integer</pdfaProperty:valueType>\n"
    "<pdfaProperty:category>internal</pdfaProperty:category>\n"
    "<pdfaProperty:description>The part of ISO 14289 (PDF/UA) the document conforms to"
    "</pdfaProperty:description>\n"
    "</rdf:li></rdf:Seq></pdfaSchema:property>\n"
    "</rdf:li></rdf:Bag></pdfaExtension:schemas>\n"
    "</rdf:Description>\n"
)


def xmp_packet(title: str, author: str, subject: str, keywords: Sequence[str], lang: str,
               producer: str, date: str = "2000-01-01T00:00:00+00:00",
               accessible: bool = True) -> bytes:
    """XMP metadata matching the document information dictionary, declaring PDF/A-2u and,
    for a tagged document (`accessible`), PDF/UA-1 with the schema PDF/A asks for it.

    `date` is the fixed date the invariant Info dictionary carries, so the bytes never
    depend on when a document was made.
    """
    def alt(value: str) -> str:
        return (f'<rdf:Alt><rdf:li xml:lang="x-default">{escape(value)}</rdf:li>'
                f"</rdf:Alt>")

    return (
        '<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>\n'
        '<x:xmpmeta xmlns:x="adobe:ns:meta/">\n'
        '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">\n'
        '<rdf:Description rdf:about=""'
        ' xmlns:dc="http://purl.org/dc/elements/1.1/"'
        ' xmlns:pdf="http://ns.adobe.com/pdf/1.3/"'
        ' xmlns:xmp="http://ns.adobe.com/xap/1.0/"'
        ' xmlns:pdfaid="http://www.aiim.org/pdfa/ns/id/"'
        + (' xmlns:pdfuaid="http://www.aiim.org/pdfua/ns/id/"' if accessible else "")
        + ">\n"
        f"<dc:title>{alt(title)}</dc:title>\n"
        f"<dc:creator><rdf:Seq><rdf:li>{escape(author)}</rdf:li></rdf:Seq></dc:creator>\n"
        f"<dc:description>{alt(subject)}</dc:description>\n"
        f"<dc:language><rdf:Bag><rdf:li>{escape(lang)}</rdf:li></rdf:Bag></dc:language>\n"
        f"<pdf:Keywords>{escape(', '.join(keywords))}</pdf:Keywords>\n"
        f"<pdf:Producer>{escape(producer)}</pdf:Producer>\n"
        f"<xmp:CreatorTool>{escape(producer)}</xmp:CreatorTool>\n"
        f"<xmp:CreateDate>{date}</xmp:CreateDate>\n"
        f"<xmp:ModifyDate>{date}</xmp:ModifyDate>\n"
        f"<pdfaid:part>{PDFA_PART}</pdfaid:part>\n"
        f"<pdfaid:conformance>{PDFA_CONFORMANCE}</pdfaid:conformance>\n"
        + ("<pdfuaid:part>1</pdfuaid:part>\n" if accessible else "")
        + "</rdf:Description>\n"
        + (_PDFUA_SCHEMA if accessible else "")
        + "</rdf:RDF>\n</x:xmpmeta>\n"
        '<?xpacket end="w"?>'
    ).encode()
