"""Page images of finished PDFs (pypdfium2, Chrome's PDF engine): previews and thumbnails."""

from __future__ import annotations

import hashlib
from io import BytesIO
from pathlib import Path
from typing import TYPE_CHECKING

from handouts.content.cache import companion
from handouts.content.kept import read_kept, write_kept
from handouts.errors import OutputError
from handouts.output.write import write_atomic

if TYPE_CHECKING:
    from handouts.content.pictures import Picture


def named_pdf(name: str, out_dir: Path) -> Path:
    """A PDF file, or a built document's name in `out_dir` (plantar-fasciitis-flyer-en)."""
    pdf = Path(name) if name.endswith(".pdf") else out_dir / f"{name}.pdf"
    if not pdf.is_file():
        raise OutputError(f"{pdf}: no such PDF (run handouts build first?)")
    return pdf


def page_images(pdf: Path, folder: Path, dpi: int = 110) -> list[Path]:
    """Every page of `pdf` as `<folder>/<name>-p<N>.png` at `dpi`."""
    import pypdfium2 as pdfium

    try:
        document = pdfium.PdfDocument(str(pdf))
    except (pdfium.PdfiumError, OSError) as exc:
        raise OutputError(f"{pdf}: cannot open as PDF: {exc}") from None
    written = []
    try:
        for index in range(len(document)):
            target = folder / f"{pdf.stem}-p{index + 1}.png"
            _save(document[index].render(scale=dpi / 72).to_pil(), target)
            written.append(target)
    finally:
        document.close()
    return written


def page_pngs(pdf: bytes, dpi: float = 72) -> list[bytes]:
    """Every page of a PDF held in memory as PNG bytes at `dpi`: the desk's preview, which
    writes no file a client's details would linger in."""
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(pdf)
    try:
        return [_png(document[index].render(scale=dpi / 72).to_pil())
                for index in range(len(document))]
    finally:
        document.close()


def thumbnail(pdf: bytes, width_px: int = 220) -> bytes:
    """The first page of a PDF, `width_px` wide, as PNG bytes."""
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(pdf)
    try:
        page = document[0]
        return _png(page.render(scale=width_px / page.get_width()).to_pil())
    finally:
        document.close()


class Thumbnails:
    """The catalogue's thumbnails kept with the content cache, by their PDF's digest: a
    document built again byte for byte (a build from scratch, another output folder) is not
    drawn again (about 8 ms each). Kept beside the library they were made with, so a new
    library or package version starts with none; only those of the last build are kept."""

    def __init__(self, width_px: int = 220) -> None:
        self.width_px = width_px
        self.place = companion("thumbnails")
        kept = read_kept(*self.place) if self.place is not None else None
        self.kept: dict[bytes, bytes] = kept if isinstance(kept, dict) else {}
        self.used: dict[bytes, bytes] = {}

    def of(self, pdf: bytes) -> bytes:
        """The thumbnail of `pdf` (PNG bytes)."""
        digest = hashlib.sha256(pdf).digest()
        if digest not in self.used:
            known = self.kept.get(digest)
            self.used[digest] = known if isinstance(known, bytes) \
                else thumbnail(pdf, self.width_px)
        return self.used[digest]

    def store(self) -> None:
        """Keep this build's thumbnails for the next, when they are not those kept."""
        if self.place is not None and self.used.keys() != self.kept.keys():
            write_kept(*self.place, self.used)


def picture_png(picture: Picture, width_px: int) -> bytes:
    """A content picture `width_px` wide as a PNG, drawn as the documents draw it (an SVG
    through its checked drawing, never the file itself): a list's small picture."""
    if picture.drawing is None:
        from PIL import Image

        image = Image.open(BytesIO(picture.raster))
        image.thumbnail((width_px, width_px * 20))
        return _png(image)
    from reportlab.graphics import renderPDF

    pdf = renderPDF.drawToString(picture.drawing)
    return page_pngs(pdf, 72 * width_px / float(picture.drawing.width))[0]

#: zlib's level for page images: the same pixels at any level; level 3 made the shipped
#: sheet's two pages at 60 dpi in 17 ms and 205 KB, where `optimize` (level 9 and a search)
#: took 150 ms for 219 KB, half of every desk preview's time.
PNG_LEVEL = 3


def _png(image: object) -> bytes:
    buffer = BytesIO()
    image.save(buffer, format="PNG", compress_level=PNG_LEVEL)  # type: ignore[attr-defined]
    return buffer.getvalue()


def _save(image: object, target: Path) -> None:
    write_atomic(target, _png(image))
