"""render/fonts.py: a face is known by its file's bytes, never by the file's dates, and a
font file changed while a process runs is drawn from its new bytes."""

from __future__ import annotations

import os
import shutil
from io import BytesIO
from pathlib import Path

from fontTools.ttLib import TTFont

from handouts.catalogue.document import render_job
from handouts.catalogue.plan import Job
from handouts.content.load import load_library
from handouts.render.kinds import Kind
from tests.conftest import SHIPPED_DATA, SHIPPED_FONTS
from tests.pdf_reading import fonts

SHEET = Job("plantar-fasciitis", Kind.AFTERCARE, "ja")


def revisions(pdf: Path) -> set[float]:
    """The revision of each embedded subset of the Japanese text's face, from its bytes."""
    return {TTFont(BytesIO(font["/FontDescriptor"]["/FontFile2"].get_data()))["head"]
            .fontRevision for font in fonts(pdf) if "MPLUS1-Regular" in font["/BaseFont"]}


def test_the_same_fonts_with_other_dates_make_the_same_pdf(tmp_path: Path) -> None:
    """A clone made elsewhere, or fonts copied without their dates, print the same bytes."""
    shutil.copytree(SHIPPED_DATA, tmp_path / "data")
    shutil.copytree(SHIPPED_FONTS, tmp_path / "fonts")
    first = render_job(load_library(tmp_path / "data", tmp_path / "fonts"), SHEET)
    for font in (tmp_path / "fonts").iterdir():
        os.utime(font, (1_000_000_000, 1_000_000_000))
    assert render_job(load_library(tmp_path / "data", tmp_path / "fonts"), SHEET) == first


def test_a_font_replaced_keeping_its_size_and_dates_is_drawn_from_its_new_bytes(
        tmp_path: Path) -> None:
    """One running process (the desk) sees a font file swapped for another of the same size
    and dates: the new face is registered under its own name and drawn."""
    shutil.copytree(SHIPPED_DATA, tmp_path / "data")
    shutil.copytree(SHIPPED_FONTS, tmp_path / "fonts")
    regular = tmp_path / "fonts" / "Mplus1-Regular.ttf"  # the Japanese text's face
    before = tmp_path / "before.pdf"
    before.write_bytes(render_job(load_library(tmp_path / "data", tmp_path / "fonts"), SHEET))
    stat = regular.stat()
    data = bytearray(regular.read_bytes())
    head = TTFont(regular).reader.tables["head"].offset
    data[head + 4:head + 8] = b"\x00\x63\x00\x00"  # its revision, copied into every subset
    swapped = regular.with_name("swapped.ttf")
    swapped.write_bytes(bytes(data))
    os.utime(swapped, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    swapped.replace(regular)
    after = tmp_path / "after.pdf"
    after.write_bytes(render_job(load_library(tmp_path / "data", tmp_path / "fonts"), SHEET))

    assert revisions(before) and 99.0 not in revisions(before)
    assert revisions(after) == {99.0}  # drawn with the new bytes' face, not the old


def test_fonts_of_one_name_from_two_folders_each_draw_their_own(tmp_path: Path) -> None:
    """Two projects in one process (the tests, a desk serving another folder after a
    restart of its content), one with a changed copy of a font: each draws from its own."""
    shutil.copytree(SHIPPED_DATA, tmp_path / "data")
    shutil.copytree(SHIPPED_FONTS, tmp_path / "fonts")
    regular = tmp_path / "fonts" / "Mplus1-Regular.ttf"
    data = bytearray(regular.read_bytes())
    head = TTFont(regular).reader.tables["head"].offset
    data[head + 4:head + 8] = b"\x00\x63\x00\x00"
    regular.write_bytes(bytes(data))
    shipped = load_library(SHIPPED_DATA, SHIPPED_FONTS)
    changed = load_library(tmp_path / "data", tmp_path / "fonts")
    for library, revision in ((shipped, 1.0), (changed, 99.0), (shipped, 1.0)):
        pdf = tmp_path / "sheet.pdf"
        pdf.write_bytes(render_job(library, SHEET))
        assert {int(r) for r in revisions(pdf)} == {int(revision)}
