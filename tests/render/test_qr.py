"""render/qr.py: a URL encoded once at level M and drawn as vector modules a camera reads."""

from __future__ import annotations

from pathlib import Path

import pypdfium2 as pdfium
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


def test_symbols_drawn_at_two_places_each_read_where_they_were_drawn(tmp_path: Path) -> None:
    """Each symbol's path is written once and moved into place: two codes (one drawn
    twice) each decode at the place asked, and nothing drawn after them moves."""
    path = tmp_path / "three.pdf"
    canvas = Canvas(str(path), pagesize=(150 * mm, 100 * mm))
    other = "https://zalo.me/0905123456"
    places = [(URL, 10 * mm), (other, 55 * mm), (URL, 100 * mm)]
    for payload, x in places:
        draw_symbol(canvas, encode(payload), x, 20 * mm, 30 * mm, black)
    canvas.rect(10 * mm, 70 * mm, 5 * mm, 5 * mm, fill=1)  # after them, where asked
    canvas.save()
    found = sorted(qr_codes(path, dpi=200), key=lambda code: code.box[0])
    assert [code.text for code in found] == [payload for payload, _ in places]
    for code, (_, x) in zip(found, places, strict=True):
        assert abs(code.box[0] - x) < 1 and abs(code.box[1] - 20 * mm) < 1
    document = pdfium.PdfDocument(str(path))
    page = document[0].render(scale=1).to_pil().convert("L")  # 1 px a point
    document.close()
    assert page.getpixel((int(12.5 * mm), int(100 * mm - 72.5 * mm))) < 64  # the square
