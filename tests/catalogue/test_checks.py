"""catalogue/checks.py: a problem holds back the documents its scope names, and no others."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from handouts.catalogue.checks import check_job, validate_folder
from handouts.catalogue.plan import Job
from handouts.content.load import load_library
from handouts.errors import ContentError
from tests.conftest import SHIPPED_DOCUMENTS, SHIPPED_TREATMENTS
from tests.editing import edit


def _blocked(project: Path, job: Job) -> list[str]:
    """The problems check_job names for `job`, or [] when it may be made."""
    try:
        check_job(load_library(project / "data"), job)
    except ContentError as exc:
        return [str(p) for p in exc.problems]
    return []


def test_a_broken_treatment_file_holds_back_only_its_own_documents(en_yaml: Path,
                                                                    project: Path) -> None:
    other = project / "data" / "treatments" / "hot-stone"
    shutil.copytree(en_yaml.parent, other)
    edit(other / "en.yaml", "name:", "nmae:")
    assert _blocked(project, Job("hot-stone", "flyer", "en")) == [  # its own lines (issue 19)
        f"{other}/en.yaml:4:1: unknown key 'nmae' (did you mean 'name'?)"]
    assert _blocked(project, Job("hot-stone", "flyer", "vi")) == []
    assert _blocked(project, Job("plantar-fasciitis", "flyer", "en")) == []


def test_a_broken_labels_file_holds_back_only_its_language(project: Path) -> None:
    labels = project / "data" / "labels" / "ko.yaml"
    labels.write_text(labels.read_text("utf-8") + "surprise: key\n", encoding="utf-8")
    assert any("labels/ko.yaml" in line
               for line in _blocked(project, Job("plantar-fasciitis", "aftercare", "ko")))
    assert _blocked(project, Job("plantar-fasciitis", "aftercare", "ja")) == []


def test_a_brand_text_missing_for_a_language_holds_back_only_that_language(
        project: Path) -> None:
    brand = project / "data" / "brand.yaml"
    lines = brand.read_text("utf-8").splitlines(keepends=True)
    start = next(i for i, line in enumerate(lines) if line.startswith("tagline:"))
    ja = next(i for i in range(start, len(lines)) if lines[i].lstrip().startswith("ja:"))
    brand.write_text("".join(lines[:ja] + lines[ja + 1:]), encoding="utf-8")
    treatments = project / "data" / "treatments"
    assert _blocked(project, Job("plantar-fasciitis", "flyer", "ja")) == [  # each sample's
        f"{brand}:{start + 1}:1: tagline has no 'ja' text, needed by {treatments / slug}/ja.yaml"
        for slug in SHIPPED_TREATMENTS]
    assert _blocked(project, Job("plantar-fasciitis", "flyer", "en")) == []


def test_a_misnamed_treatment_folder_holds_back_no_document(project: Path) -> None:
    (project / "data" / "treatments" / "Hot Stone").mkdir()
    library = load_library(project / "data")
    assert [p.message for p in library.problems] == [
        "treatment folder names use a-z, 0-9 and dashes"]
    assert _blocked(project, Job("plantar-fasciitis", "aftercare", "en")) == []


def test_an_unknown_treatment_is_reported_where_it_was_asked(project: Path) -> None:
    with pytest.raises(ContentError) as caught:
        check_job(load_library(project / "data"), Job("hot-stone", "flyer", "en"),
                  lambda field: (Path("--" + field), 1, 1))
    assert [str(p) for p in caught.value.problems] == [
        "--treatment:1:1: unknown treatment 'hot-stone' (there are: "
        "hot-stone-massage (Hot stone massage), neck-shoulder-massage (Neck and shoulder "
        "massage), plantar-fasciitis (Plantar fasciitis foot massage))"]


def test_validate_finds_no_problem_in_the_shipped_content(project: Path) -> None:
    jobs, problems = validate_folder(project / "data", None)
    assert problems == [] and len(jobs) == SHIPPED_DOCUMENTS  # kinds, languages, menus
