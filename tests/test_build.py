"""Building the catalogue: deterministic bytes, every document named by contract."""

from __future__ import annotations

from pathlib import Path

from handouts.build import build
from tests.conftest import SHIPPED_DATA, SHIPPED_FONTS


def test_two_builds_are_byte_identical(tmp_path: Path, shipped_out: Path) -> None:
    again = build(SHIPPED_DATA, tmp_path, fonts_dir=SHIPPED_FONTS)
    assert again.built
    for path in again.built:
        assert path.read_bytes() == (shipped_out / path.name).read_bytes(), path.name


def test_every_treatment_kind_and_language_is_built(shipped_out: Path) -> None:
    names = {p.name for p in shipped_out.iterdir()}
    expected = {f"plantar-fasciitis-{kind}-{lang}.pdf"
                for kind in ("aftercare", "flyer") for lang in ("en", "vi", "ko", "ja")}
    assert names == expected


def test_lang_option_builds_only_that_language(tmp_path: Path) -> None:
    report = build(SHIPPED_DATA, tmp_path, langs=["en"], fonts_dir=SHIPPED_FONTS)
    assert {p.name for p in report.built} == {"plantar-fasciitis-aftercare-en.pdf",
                                              "plantar-fasciitis-flyer-en.pdf"}
    assert build(SHIPPED_DATA, tmp_path / "none", langs=["xx"], fonts_dir=SHIPPED_FONTS).built == []
