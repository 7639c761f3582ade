"""output/index.py: the catalogue page, grouped by treatment then kind, every name as text."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path

from handouts.output.index import Entry, grouped, index_html, write_index

EN = Entry("Foot massage", "Aftercare guide", "English", "foot-aftercare-en.pdf",
           "thumbs/foot-aftercare-en.png")
VI = Entry("Foot massage", "Aftercare guide", "Tiếng Việt", "foot-aftercare-vi.pdf",
           "thumbs/foot-aftercare-vi.png")
FLYER = Entry("Foot massage", "Flyer", "English", "foot-flyer-en.pdf", "thumbs/foot-flyer-en.png")


class _Reader(HTMLParser):
    """The page as a browser reads it: its elements and its text."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.text: list[str] = []
        self.links: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.links += [value or "" for name, value in attrs if name == "href"]

    def handle_data(self, data: str) -> None:
        if data.strip():
            self.text.append(data.strip())


def _read(html: str) -> _Reader:
    reader = _Reader()
    reader.feed(html)
    return reader


def test_entries_are_grouped_by_treatment_then_kind_in_order_met() -> None:
    assert grouped([EN, FLYER, VI]) == [
        ("Foot massage", [("Aftercare guide", [EN, VI]), ("Flyer", [FLYER])])]


def test_every_document_is_linked_once() -> None:
    assert _read(index_html("Spa", [EN, VI, FLYER])).links == [
        "foot-aftercare-en.pdf", "foot-aftercare-vi.pdf", "foot-flyer-en.pdf"]


def test_a_hostile_treatment_title_is_text_not_markup() -> None:
    hostile = '<script>alert("x")</script> & <img src=x onerror=y>'
    page = _read(index_html("Spa", [Entry(hostile, "Flyer", "English", "a.pdf", "a.png")]))
    assert "script" not in page.tags and page.tags.count("img") == 1
    assert hostile in page.text


def test_a_hostile_file_name_cannot_leave_its_attribute() -> None:
    page = _read(index_html("Spa", [Entry("T", "Flyer", "English", 'a.pdf" onclick="x',
                                          "a.png")]))
    assert page.links == ['a.pdf" onclick="x']


def test_the_page_is_rewritten_only_when_it_changes(tmp_path: Path) -> None:
    target = write_index(tmp_path, "Spa", [EN])
    first = target.stat().st_mtime_ns
    write_index(tmp_path, "Spa", [EN])
    assert target.stat().st_mtime_ns == first
    assert "Tiếng Việt" in write_index(tmp_path, "Spa", [EN, VI]).read_text("utf-8")
