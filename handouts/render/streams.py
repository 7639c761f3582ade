"""Streams: the same bytes compressed once per process, however many documents carry them.

A batch of client sheets repeats most of what it writes: the pages without personal content
(the same bytes for every client of a treatment, language and paper, their font subsets
reserved in one order: see `reserve_glyphs`), the font subsets a client's name adds nothing
to, their ToUnicode maps, the colour profile. Deflating each again is a seventh of a sheet's
time. ReportLab sends every stream through one Flate filter object; wrapped, it hands back
what it made of the same bytes before: the same output, by construction, as compressing
them again. Pictures are the same: the logo's pixels, drawn on every document, are
deflated by ReportLab's image object itself (4 ms a document), so they go through `deflate`
too.
"""

from __future__ import annotations

import zlib
from types import SimpleNamespace

from reportlab.pdfbase import pdfdoc

#: Streams remembered, most recently used last: a sheet writes a dozen, a batch's sheets
#: share most of theirs, and a large one (a Japanese font's subset) is a few hundred KB.
KEPT = 48
#: Shorter streams are compressed again: looking them up saves nothing.
SHORTEST = 512

_deflated: dict[bytes, bytes] = {}


def deflate(data: bytes | str) -> bytes:
    """`zlib.compress(data)`, as ReportLab's filter does, from memory when seen lately."""
    raw = data.encode("utf8") if isinstance(data, str) else data
    if len(raw) < SHORTEST:
        return zlib.compress(raw)
    made = _deflated.pop(raw, None)
    if made is None:
        made = zlib.compress(raw)
        if len(_deflated) >= KEPT:
            del _deflated[next(iter(_deflated))]
    _deflated[raw] = made
    return made


def deflate_repeats_once() -> None:
    """Have every stream ReportLab writes compressed by `deflate` (once per process): its
    Flate filter, and the image object, which calls `zlib.compress` itself."""
    pdfdoc.PDFZCompress.encode = deflate
    pdfdoc.zlib = SimpleNamespace(compress=deflate, decompress=zlib.decompress)
