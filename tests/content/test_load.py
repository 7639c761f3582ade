"""content/load.py: every content file gathered into a Found; a Library once the shared
part loaded; each problem marked with the documents it holds back."""

from __future__ import annotations

from pathlib import Path

from handouts.content.load import Found, Library, load_library, treatment_files
from handouts.errors import Scope
from tests.conftest import SHIPPED_DATA, SHIPPED_FONTS, SHIPPED_TREATMENTS
from tests.editing import edit, line_of


def test_the_shipped_content_is_a_library_with_no_problem() -> None:
    library = load_library(SHIPPED_DATA, SHIPPED_FONTS)
    assert isinstance(library, Library) and library.problems == []
    assert sorted(library.treatments["plantar-fasciitis"]) == ["en", "ja", "ko", "vi"]


def test_a_broken_brand_leaves_what_was_found_but_no_library(project: Path) -> None:
    edit(project / "data" / "brand.yaml", "name:", "nmae:")
    found = load_library(project / "data")
    assert type(found) is Found
    assert sorted(found.treatments["plantar-fasciitis"]) == ["en", "ja", "ko", "vi"]
    assert {p.holds_back for p in found.problems} == {Scope()}


def test_a_missing_data_folder_is_one_problem(tmp_path: Path) -> None:
    found = load_library(tmp_path / "nowhere")
    assert [(p.message, p.holds_back) for p in found.problems] == [("data folder not found",
                                                                     None)]


def test_a_broken_treatment_file_holds_back_its_own_documents(project: Path,
                                                              en_yaml: Path) -> None:
    edit(en_yaml, "headline:", "headlin:")
    found = load_library(project / "data")
    assert "en" not in found.treatments["plantar-fasciitis"]
    assert {p.holds_back for p in found.problems} == {Scope("plantar-fasciitis", "en")}


def test_a_broken_labels_file_holds_back_its_language(project: Path) -> None:
    edit(project / "data" / "labels" / "ko.yaml", "font:", "fnt:")
    found = load_library(project / "data")
    assert "ko" not in found.labels
    assert {p.holds_back for p in found.problems} == {Scope(lang="ko")}


def test_every_well_named_treatment_file_is_listed_whether_it_loads_or_not(
        project: Path, en_yaml: Path) -> None:
    edit(en_yaml, "steps:\n", "steps: [\n")
    assert treatment_files(project / "data") == [  # the shipped samples, broken one too
        (treatment, lang) for treatment in SHIPPED_TREATMENTS for lang in ("en", "ja", "ko", "vi")]


def test_a_time_zone_not_in_the_tz_database_is_refused_at_its_line(project: Path) -> None:
    brand = project / "data" / "brand.yaml"
    edit(brand, "time_zone: Asia/Ho_Chi_Minh", "time_zone: Asia/Da_Nang")
    found = load_library(project / "data")
    assert [(p.path.name, p.line, p.column) for p in found.problems] == [
        ("brand.yaml", line_of(brand, "time_zone:"), 1)]
    assert "'Asia/Da_Nang' is not a time zone" in found.problems[0].message
