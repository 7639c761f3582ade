"""output/index.py: the catalogue page, grouped by treatment then kind, every name as text."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from html.parser import HTMLParser
from pathlib import Path
from subprocess import CompletedProcess

from handouts.output.index import Entry, grouped, index_html, write_index
from tests.editing import edit

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


class _States(HTMLParser):
    """Each language item of the page: its class (the state), its language and state text."""

    def __init__(self) -> None:
        super().__init__()
        self.items: list[tuple[str, str, str]] = []  # (class, language, state shown)
        self._item: list[str] | None = None
        self._class = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "li":
            self._item, self._class = [], dict(attrs).get("class") or ""

    def handle_endtag(self, tag: str) -> None:
        if tag == "li" and self._item is not None:
            self.items.append((self._class, self._item[0], self._item[-1]))
            self._item = None

    def handle_data(self, data: str) -> None:
        if self._item is not None and data.strip():
            self._item.append(data.strip())


def test_the_index_marks_a_stale_and_a_missing_language(
        project: Path, run: Callable[..., CompletedProcess[str]]) -> None:
    """Issue 20, item 3: per document, which languages are complete, missing or stale."""
    folder = project / "data" / "treatments" / "plantar-fasciitis"
    for other in ("hot-stone-massage", "neck-shoulder-massage"):  # this one's states alone
        shutil.rmtree(project / "data" / "treatments" / other)
    edit(folder / "en.yaml", "title: What is plantar fasciitis?",
         "title: Why does the heel hurt?")
    (folder / "ko.yaml").unlink()
    assert run("build").returncode == 0
    page = _States()
    page.feed((project / "out" / "index.html").read_text(encoding="utf-8"))
    assert len(page.items) == 16  # two kinds, and the menu at two sizes, in four languages
    states = {(language, state) for _, language, state in page.items}
    assert states == {("English", "complete"), ("Tiếng Việt", "may be out of date"),
                      ("日本語", "may be out of date"), ("한국어", "missing")}
    assert {cls for cls, _, state in page.items if state == "missing"} == {"missing"}
    assert {cls for cls, _, state in page.items if state == "may be out of date"} == {"stale"}
