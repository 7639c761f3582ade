"""render/qr.py: a URL encoded once at level M and drawn as vector modules a camera reads."""

from __future__ import annotations

from pathlib import Path

from reportlab.lib.colors import black
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from handouts.render.qr import QUIET_ZONE_MODULES, draw_symbol, encode
from tests.pdf_reading import qr_codes

URL = "https://wa.me/84905123456"


def _page_with(tmp_path: Path, payload: str, width: float = 30 * mm) -> Path:
    path = tmp_path / "qr.pdf"
    canvas = Canvas(str(path), pagesize=(100 * mm, 100 * mm))
    margin = QUIET_ZONE_MODULES * width / encode(payload).size
    draw_symbol(canvas, encode(payload), margin + 10 * mm, margin + 10 * mm, width, black)
    canvas.save()
    return path


def test_a_drawn_symbol_decodes_to_its_payload(tmp_path: Path) -> None:
    assert [code.text for code in qr_codes(_page_with(tmp_path, URL), dpi=200)] == [URL]


def test_a_drawn_symbol_is_as_wide_as_asked(tmp_path: Path) -> None:
    [code] = qr_codes(_page_with(tmp_path, URL, 25 * mm), dpi=300)
    assert abs(code.width_mm - 25) < 0.5


def test_a_short_url_at_level_m_is_a_version_2_symbol() -> None:
    assert encode(URL).size == 25  # version 2: 21 + 4 modules


def test_the_same_payload_is_encoded_once() -> None:
    assert encode(URL) is encode(URL)


def test_runs_lie_inside_the_symbol() -> None:
    symbol = encode(URL)
    assert all(0 <= row < symbol.size and 0 <= col and col + length <= symbol.size
               for row, col, length in symbol.runs)
