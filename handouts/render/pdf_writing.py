"""ReportLab's PDF writer, two of its pure steps answered faster: the same bytes, sooner.

Writing a client's sheet formats about 190 objects, most of them the tagged structure;
each dictionary key becomes a PDF name and every token passes ReportLab's PDFDocEncoding
codec, which is pure Python, one call per token (several thousand per sheet). A name is
worked out once per process instead, and printable ASCII, which that encoding leaves as it
is, skips the codec. Anything else goes the way ReportLab goes.
"""

from __future__ import annotations

from functools import lru_cache

from reportlab.pdfbase import pdfdoc

_encode = pdfdoc.pdfdocEnc
_name = pdfdoc.PDFName


def pdfdoc_encoded(text: str | bytes) -> bytes:
    """`text` in PDFDocEncoding, as ReportLab's `pdfdocEnc` gives it."""
    if isinstance(text, str) and text.isascii() and text.isprintable():
        return text.encode("ascii")  # printable ASCII is itself in PDFDocEncoding
    encoded: bytes = _encode(text)
    return encoded


@lru_cache(maxsize=4096)
def pdf_name(data: str) -> str:
    """A PDF name (`/Type`), as ReportLab's `PDFName` writes it."""
    written: str = _name(data)
    return written


def format_faster() -> None:
    """Have ReportLab's writer use these (done for every canvas made; the same each time)."""
    pdfdoc.pdfdocEnc = pdfdoc_encoded
    pdfdoc.PDFName = pdf_name
