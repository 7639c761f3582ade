"""ReportLab's writer with names worked out once and printable ASCII past its codec writes
the same bytes (render/pdf_writing.py)."""

from __future__ import annotations

import datetime as dt

import pytest
from reportlab.pdfbase import pdfdoc

from handouts.catalogue.document import render_job
from handouts.catalogue.plan import Job
from handouts.content.appointments import Visit
from handouts.content.load import Library
from handouts.render import document, pdf_writing
from handouts.render.kinds import Kind

TEXTS = ["Type", "/Type", "", " ", "Hello, world (1)", "100 0 R", "a\nb", "tab\there",
         "Nguyễn Thị Hoa", "Zoë", "café", "\x7f", "€", "–", "\u2019", "ÿ", "名前", "\x00",
         *map(chr, range(0x180))]


def outcome(encode: object, text: str) -> bytes | str:
    try:
        return encode(text)  # type: ignore[operator, no-any-return]
    except UnicodeEncodeError as error:
        return f"refused {error.start}"


def test_text_is_encoded_as_reportlab_encodes_it() -> None:
    """Every character up to U+017F and a few strings; one ReportLab refuses is refused."""
    for text in TEXTS:
        assert outcome(pdf_writing.pdfdoc_encoded, text) == outcome(pdf_writing._encode, text)


def test_a_name_is_written_as_reportlab_writes_it() -> None:
    for text in TEXTS:
        assert pdf_writing.pdf_name(text) == pdf_writing._name(text)


def test_bytes_pass_unchanged() -> None:
    assert pdf_writing.pdfdoc_encoded(b"\x00\xff") == b"\x00\xff"


def test_a_sheet_is_the_same_bytes_with_reportlab_s_own_steps(
        shipped_library: Library, monkeypatch: pytest.MonkeyPatch) -> None:
    """A client's sheet (tagged structure, Vietnamese names and all) written with these
    and with ReportLab's own: the same file."""
    visit = Visit(client="Nguyễn Thị Hoa", therapist="Trần Văn Nam", notes="Chườm đá (10 phút).",
                  date=dt.date(2026, 11, 24))
    job = Job("plantar-fasciitis", Kind.AFTERCARE, "vi")
    faster = render_job(shipped_library, job, visit=visit)
    assert pdfdoc.pdfdocEnc is pdf_writing.pdfdoc_encoded  # what making a document sets
    monkeypatch.setattr(document, "format_faster", lambda: None)
    monkeypatch.setattr(pdfdoc, "pdfdocEnc", pdf_writing._encode)
    monkeypatch.setattr(pdfdoc, "PDFName", pdf_writing._name)
    assert render_job(shipped_library, job, visit=visit) == faster
