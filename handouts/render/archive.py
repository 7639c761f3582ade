"""PDF/A-2u: what an archived document needs beyond a tagged one, and ReportLab does not
write by itself.

A spa keeps what it gave a client; PDF/A is the format made for keeping. Beside the tags
(`tagging.py`) it asks for colour that means the same in fifty years (an sRGB output intent,
and a blending colour space for the logo's transparency), link annotations that print, an
end-of-line before every `endstream`, and XMP that names the PDF/A part and declares the
schema of every property it uses (`xmp_packet` in `tagging.py` writes it). Imposed print
sheets (`output/impose.py`) carry the same output intent, built from the same profile.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

from reportlab.pdfbase import pdfdoc
from reportlab.pdfbase.pdfdoc import PDFArray, PDFDictionary, PDFDocument, PDFName, PDFPage

from handouts.content.cache import remembered

#: The colour space every page is drawn in, as an output intent names it.
SRGB = "sRGB IEC61966-2.1"
#: The PDF/A part and conformance claimed: 2u (Unicode text, exact appearance).
PDFA_PART = 2
PDFA_CONFORMANCE = "U"
#: An ICC header's creation date (bytes 24-35: year, month, day, hour, minute, second),
#: pinned to the fixed date the Info dictionary carries: the profile's bytes, and so each
#: document's, never depend on the day it was made.
_PINNED_DATE = bytes.fromhex("07d0 0001 0001 0000 0000 0000")


def srgb_profile() -> bytes:
    """The sRGB ICC profile LittleCMS (through Pillow) builds, dated once and for all; kept
    with the content cache (building it imports Pillow's colour management)."""
    return remembered(("sRGB profile",), _built_profile)


@lru_cache(maxsize=1)
def _built_profile() -> bytes:
    from PIL import ImageCms

    profile = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    return profile[:24] + _PINNED_DATE + profile[36:]


_stream_format = pdfdoc.PDFStream.format


def _stream_with_eol(self: pdfdoc.PDFStream, document: PDFDocument) -> bytes:
    """ReportLab's stream, with the end-of-line PDF/A asks for before `endstream` (ReportLab
    writes it straight after the data: `...~>endstream`). /Length still counts the data
    alone, as the standard says."""
    formatted: bytes = _stream_format(self, document)
    assert formatted.endswith(b"endstream\n")
    return formatted[: -len(b"endstream\n")] + b"\nendstream\n"


def write_streams_with_eol() -> None:
    """Make every stream ReportLab writes end its data with an end-of-line (once per
    process; ReportLab has no hook for it, so its stream writer is wrapped)."""
    pdfdoc.PDFStream.format = _stream_with_eol


def archival(document: PDFDocument, pages: Sequence[PDFPage]) -> None:
    """The sRGB output intent in the catalog (its profile embedded once) and, on every
    page, a transparency group blending in RGB (the logo is drawn with a soft mask)."""
    profile = pdfdoc.PDFStream(PDFDictionary({"N": 3}), srgb_profile())
    intent = PDFDictionary({
        "Type": PDFName("OutputIntent"), "S": PDFName("GTS_PDFA1"),
        "OutputConditionIdentifier": pdfdoc.PDFString(SRGB), "Info": pdfdoc.PDFString(SRGB),
        "DestOutputProfile": document.Reference(profile),
    })
    document.Catalog.OutputIntents = PDFArray([intent])
    document.Catalog.__NoDefault__ = [*document.Catalog.__NoDefault__, "OutputIntents"]
    for page in pages:
        page.__NoDefault__ = [*page.__NoDefault__, "Group"]
        page.Group = PDFDictionary({"Type": PDFName("Group"), "S": PDFName("Transparency"),
                                    "CS": PDFName("DeviceRGB")})
