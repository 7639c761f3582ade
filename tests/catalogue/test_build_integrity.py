"""What a build may trust and what it must check: its outputs, its manifest, its counts."""

from __future__ import annotations

import json
import shutil
import uuid
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pypdf import PdfReader

from handouts.catalogue.build import build
from handouts.catalogue.manifest import MANIFEST_NAME
from tests.conftest import (
    SHIPPED_DATA,
    SHIPPED_DOCUMENTS,
    SHIPPED_FONTS,
    SHIPPED_MENUS,
    SHIPPED_TREATMENTS,
    menus,
)
from tests.editing import edit
from tests.pdf_reading import squashed, text

EN = "data/treatments/plantar-fasciitis/en.yaml"
FLYER = "plantar-fasciitis-flyer-en.pdf"
AFTERCARE = "plantar-fasciitis-aftercare-en.pdf"
#: The English documents of every shipped sample treatment, and the English menus.
ENGLISH = {f"{treatment}-{kind}-en.pdf" for treatment in SHIPPED_TREATMENTS
           for kind in ("aftercare", "flyer")} | menus("en")


def names(paths: list[Path]) -> set[str]:
    return {p.name for p in paths}


def test_a_yaml_that_does_not_parse_counts_its_documents_as_failed(project: Path) -> None:
    out = project / "out"
    assert len(build(project / "data", out).built) == SHIPPED_DOCUMENTS
    vi = project / "data" / "treatments" / "plantar-fasciitis" / "vi.yaml"
    vi.write_text(vi.read_text("utf-8") + "steps: [\n", encoding="utf-8")
    report = build(project / "data", out)
    assert report.summary == f"0 built, {SHIPPED_DOCUMENTS - 4} unchanged, 4 failed"
    assert sorted(n.job.filename for n in report.failed) == [  # the menus it is on too
        "menu-vi-a4.pdf", "menu-vi-a5.pdf",
        "plantar-fasciitis-aftercare-vi.pdf", "plantar-fasciitis-flyer-vi.pdf"]
    assert str(report.problems[0]).startswith(f"{vi}:") or "vi.yaml" in str(report.problems[0])
    only_en = build(project / "data", out, langs=["en"])  # not wanted, so not counted
    assert only_en.summary == f"0 built, {SHIPPED_DOCUMENTS // 4} unchanged, 0 failed"


def spoil_empty(path: Path) -> None:
    path.write_bytes(b"")


def spoil_one_byte(path: Path) -> None:
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0x01  # same size, different content
    path.write_bytes(bytes(data))


def spoil_delete(path: Path) -> None:
    path.unlink()


@pytest.mark.parametrize("spoil", [spoil_empty, spoil_one_byte, spoil_delete])
@pytest.mark.parametrize("which", [FLYER, "thumbs/plantar-fasciitis-flyer-en.png"])
def test_an_output_that_no_longer_matches_is_rebuilt(spoil: Any, which: str,
                                                     project: Path) -> None:
    out = project / "out"
    build(project / "data", out, langs=["en"])
    good = {p: (out / p).read_bytes() for p in (FLYER, "thumbs/plantar-fasciitis-flyer-en.png")}
    spoil(out / which)
    report = build(project / "data", out, langs=["en"])
    assert names(report.built) == {FLYER} and names(report.unchanged) == ENGLISH - {FLYER}
    for relative, data in good.items():
        assert (out / relative).read_bytes() == data
    assert build(project / "data", out, langs=["en"]).built == []


def test_documents_know_who_they_are_so_pt_br_reaches_the_catalogue(project: Path) -> None:
    data = project / "data"
    shutil.copy(data / "labels" / "en.yaml", data / "labels" / "pt-BR.yaml")
    edit(data / "labels" / "pt-BR.yaml", "language: English", "language: Português (Brasil)")
    shutil.copy(data / EN.removeprefix("data/"), data / "treatments" / "plantar-fasciitis" /
                "pt-BR.yaml")
    for exercise in (data / "exercises").iterdir():  # the stretches are translated once each
        shutil.copy(exercise / "en.yaml", exercise / "pt-BR.yaml")
    edit(data / "brand.yaml", "  en: Massage and wellness in the heart of Da Nang\n",
         "  en: Massage and wellness in the heart of Da Nang\n  pt-BR: Massagem em Da Nang\n")
    edit(data / "brand.yaml", "disclaimer:\n", "disclaimer:\n  pt-BR: Conselho geral.\n")
    report = build(data, project / "out", langs=["pt-BR"])
    assert names(report.built) == {"plantar-fasciitis-aftercare-pt-BR.pdf",
                                   "plantar-fasciitis-flyer-pt-BR.pdf",
                                   "menu-pt-BR-a4.pdf", "menu-pt-BR-a5.pdf"}, report.problems

    class Links(HTMLParser):
        def __init__(self) -> None:
            super().__init__()
            self.hrefs: list[str] = []

        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            if tag == "a":
                self.hrefs.append(str(dict(attrs)["href"]))

    page = Links()
    html = (project / "out" / "index.html").read_text("utf-8")
    page.feed(html)
    assert sorted(page.hrefs) == ["menu-pt-BR-a4.pdf", "menu-pt-BR-a5.pdf",
                                  "plantar-fasciitis-aftercare-pt-BR.pdf",
                                  "plantar-fasciitis-flyer-pt-BR.pdf"]
    assert "Português (Brasil)" in html
    assert "MassagememDaNang" in squashed(text(project / "out" / page.hrefs[2]))


def test_the_same_content_in_another_folder_gives_the_same_bytes(tmp_path: Path) -> None:
    here = tmp_path / "here"
    there = tmp_path / "somewhere" / "else" / "entirely"
    for root in (here, there):
        shutil.copytree(SHIPPED_DATA, root / "data")
        shutil.copytree(SHIPPED_FONTS, root / "fonts")
    first = build(here / "data", here / "out", workers=1)
    second = build(there / "data", there / "out", workers=1)
    assert len(first.built) == len(second.built) == SHIPPED_DOCUMENTS
    for path in first.built:
        assert path.read_bytes() == (there / "out" / path.name).read_bytes(), path.name


# -- damaged manifests -------------------------------------------------------------------

JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner,
                                                                max_size=4),
    max_leaves=12)


@pytest.fixture(scope="module")
def built_en(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("manifest")
    shutil.copytree(SHIPPED_DATA, root / "data")
    (root / "fonts").symlink_to(SHIPPED_FONTS, target_is_directory=True)
    report = build(root / "data", root / "out", langs=["en"], workers=1)
    assert names(report.built) == ENGLISH
    return root


def replace_somewhere(value: Any, path: list[int], new: Any) -> Any:
    """`value` with the node reached by following `path` (indices mod size) set to `new`."""
    if not path or not isinstance(value, dict | list) or not value:
        return new
    keys = list(value) if isinstance(value, dict) else list(range(len(value)))
    key = keys[path[0] % len(keys)]
    copy = dict(value) if isinstance(value, dict) else list(value)
    copy[key] = replace_somewhere(value[key], path[1:], new)  # type: ignore[index]
    return copy


@settings(max_examples=30, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(path=st.lists(st.integers(min_value=0, max_value=50), max_size=6), new=JSON,
       whole=st.booleans())
def test_any_damaged_manifest_means_a_rebuild_never_a_crash(path: list[int], new: Any,
                                                            whole: bool, built_en: Path,
                                                            tmp_path: Path) -> None:
    root = tmp_path / uuid.uuid4().hex
    shutil.copytree(built_en / "out", root / "out")
    manifest = root / "out" / MANIFEST_NAME
    good = json.loads(manifest.read_text("utf-8"))
    damaged = new if whole else replace_somewhere(good, path, new)
    manifest.write_text(json.dumps(damaged), encoding="utf-8")
    report = build(built_en / "data", root / "out", langs=["en"], workers=1)
    assert report.failed == [] and report.removed == []
    assert names(report.built) | names(report.unchanged) == ENGLISH
    for name in (AFTERCARE, FLYER):
        assert (root / "out" / name).read_bytes() == (built_en / "out" / name).read_bytes()
        assert len(PdfReader(root / "out" / name).pages) >= 1
    assert build(built_en / "data", root / "out", langs=["en"], workers=1).built == []


def test_a_vanished_treatments_folder_deletes_no_pdf(project: Path) -> None:
    """Moved away mid-edit (or mid-build): nothing is an orphan until the folder is back."""
    out = project / "out"
    build(project / "data", out)
    treatments = project / "data" / "treatments"
    treatments.rename(project / "data" / "treatments-moved")
    report = build(project / "data", out)
    assert report.removed == [] and report.built == []
    assert {p.name for p in out.glob("*.pdf")} == {f"{treatment}-{kind}-{lang}.pdf"
                                                   for treatment in SHIPPED_TREATMENTS
                                                   for kind in ("aftercare", "flyer")
                                                   for lang in ("en", "vi", "ko", "ja")
                                                   } | SHIPPED_MENUS
    (project / "data" / "treatments-moved").rename(treatments)
    assert build(project / "data", out).summary == \
        f"0 built, {SHIPPED_DOCUMENTS} unchanged, 0 failed"
