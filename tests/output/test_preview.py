"""output/preview.py: page images of finished PDFs, found by file or by document name."""

from __future__ import annotations

from io import BytesIO
from pathlib import Path

import pytest
from PIL import Image

from handouts.errors import OutputError
from handouts.output.preview import named_pdf, page_images, thumbnail


def test_a_document_name_is_its_pdf_in_the_output_folder(shipped_out: Path) -> None:
    assert named_pdf("plantar-fasciitis-flyer-en", shipped_out) == (
        shipped_out / "plantar-fasciitis-flyer-en.pdf")


def test_a_missing_document_is_an_error_naming_the_file(tmp_path: Path) -> None:
    with pytest.raises(OutputError) as caught:
        named_pdf("nothing-flyer-en", tmp_path)
    assert str(caught.value) == (f"{tmp_path / 'nothing-flyer-en.pdf'}: no such PDF (run "
                                 "handouts build first?)")


def test_every_page_becomes_one_image_at_the_resolution_asked(shipped_out: Path,
                                                              tmp_path: Path) -> None:
    images = page_images(shipped_out / "plantar-fasciitis-aftercare-en.pdf", tmp_path, dpi=36)
    assert [p.name for p in images] == ["plantar-fasciitis-aftercare-en-p1.png",
                                        "plantar-fasciitis-aftercare-en-p2.png"]
    with Image.open(images[0]) as image:
        assert image.size == (round(595.2756 / 2), round(841.8898 / 2))


def test_a_file_that_is_not_a_pdf_is_an_error(tmp_path: Path) -> None:
    fake = tmp_path / "fake.pdf"
    fake.write_text("hello", encoding="utf-8")
    with pytest.raises(OutputError, match="fake.pdf: cannot open as PDF"):
        page_images(fake, tmp_path)


def test_a_thumbnail_is_the_first_page_at_the_width_asked(shipped_out: Path,
                                                          tmp_path: Path) -> None:
    png = thumbnail((shipped_out / "plantar-fasciitis-flyer-en.pdf").read_bytes(), 120)
    with Image.open(BytesIO(png)) as image:
        assert image.width == 120
