"""Writing over a file: only over a PDF this tool made, however that PDF was written."""

from __future__ import annotations

from io import BytesIO
from pathlib import Path

import pytest
from pypdf import PdfReader, PdfWriter
from reportlab.pdfgen.canvas import Canvas

from handouts.catalogue.targets import check_targets
from handouts.errors import OutputError


def reportlab_pdf(producer: str) -> bytes:
    """A one-page PDF as ReportLab writes the tool's documents."""
    out = BytesIO()
    canvas = Canvas(out)
    canvas.setProducer(producer)
    canvas.drawString(72, 720, "A page")
    canvas.save()
    return out.getvalue()


def pypdf_pdf(producer: str) -> bytes:
    """The same page rewritten by pypdf, as imposing flyers does."""
    writer = PdfWriter()
    writer.append(PdfReader(BytesIO(reportlab_pdf("handouts 0.1.0"))))
    writer.add_metadata({"/Producer": producer})
    out = BytesIO()
    writer.write(out)
    return out.getvalue()


def replaceable(tmp_path: Path, pdf: bytes) -> bool:
    """Whether `-o` may write over a file holding `pdf`."""
    (tmp_path / "data").mkdir(exist_ok=True)
    target = tmp_path / "earlier.pdf"
    target.write_bytes(pdf)
    try:
        check_targets(tmp_path / "data", None, {}, {"--output": target})
    except OutputError:
        return False
    return True


@pytest.mark.parametrize("pdf", [reportlab_pdf("handouts 0.1.0"), pypdf_pdf("handouts 0.1.0"),
                                 pypdf_pdf("handouts 0.1.0 ✓")],
                         ids=["reportlab", "imposed-by-pypdf", "producer-in-utf-16"])
def test_a_pdf_the_tool_made_is_replaced_however_it_was_written(tmp_path: Path,
                                                                pdf: bytes) -> None:
    assert replaceable(tmp_path, pdf)


@pytest.mark.parametrize("pdf", [reportlab_pdf("ReportLab PDF Library"),
                                 pypdf_pdf("Acrobat Distiller"),
                                 reportlab_pdf("handouts 0.1.0")[:-200],
                                 reportlab_pdf("handouts 0.1.0").replace(b"xref", b"xxxx")],
                         ids=["reportlab", "pypdf", "truncated", "damaged-table"])
def test_a_pdf_another_program_made_or_a_damaged_one_is_kept(tmp_path: Path,
                                                             pdf: bytes) -> None:
    assert not replaceable(tmp_path, pdf)
