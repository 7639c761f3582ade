"""QR codes: encode a URL once (error correction M), draw it as one vector path.

The payload comes from `contact_url`; this module only turns a string into modules and
modules into a path, so both halves are tested apart.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from reportlab.lib.colors import Color
from reportlab.lib.rl_accel import fp_str
from reportlab.pdfgen.canvas import Canvas

from handouts.content.cache import remembered

#: Light modules around the symbol that scanners need (ISO/IEC 18004).
QUIET_ZONE_MODULES = 4


@dataclass(frozen=True)
class QrSymbol:
    """The dark modules of one QR symbol as row runs: (row, first column, length)."""

    size: int
    runs: tuple[tuple[int, int, int], ...]


def encode(payload: str) -> QrSymbol:
    """Encode `payload` at error correction level M; cached, as every document repeats them,
    and kept with the content cache (a few milliseconds each, five on every document)."""
    return remembered(("qr symbol", payload), lambda: _encoded(payload))


@lru_cache(maxsize=256)
def _encoded(payload: str) -> QrSymbol:
    # ReportLab's barcode package is imported only here: a warm run has every symbol kept
    from reportlab.graphics.barcode.qrencoder import QRCode, QRErrorCorrectLevel

    code = QRCode(None, QRErrorCorrectLevel.M)
    code.addData(payload)
    code.make()
    runs = []
    for r, row in enumerate(code.modules):
        c = 0
        while c < len(row):
            if row[c]:
                start = c
                while c < len(row) and row[c]:
                    c += 1
                runs.append((r, start, c - start))
            else:
                c += 1
    return QrSymbol(code.getModuleCount(), tuple(runs))


def draw_symbol(canvas: Canvas, symbol: QrSymbol, x: float, y: float, width: float,
                colour: Color) -> None:
    """Draw `symbol` with its lower-left corner at (x, y), `width` wide (quiet zone excluded):
    its path, written once per symbol and width, moved into place."""
    if getattr(canvas, "dry", False):
        return  # a trial layout: only page counts matter
    canvas.saveState()
    canvas.setFillColor(colour)
    canvas.translate(x, y)
    canvas._code.append(_filled_path(symbol, width))
    canvas.restoreState()


@lru_cache(maxsize=64)
def _filled_path(symbol: QrSymbol, width: float) -> str:
    """The symbol's dark modules as one filled path from (0, 0), in PDF operators: a few
    hundred rectangles, each number written as ReportLab writes it (about a tenth of a
    document's drawing when written again for each code)."""
    module = width / symbol.size
    return " ".join(
        f"{fp_str(col * module, width - (row + 1) * module, length * module, module)} re"
        for row, col, length in symbol.runs) + " f"
