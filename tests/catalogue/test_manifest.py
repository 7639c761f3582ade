"""catalogue/manifest.py: what each PDF was made from, so only what changed is rebuilt."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from handouts.catalogue.manifest import MANIFEST_NAME, Manifest
from handouts.render.kinds import Kind

NAME = "foot-flyer-en.pdf"


@pytest.fixture
def made(tmp_path: Path) -> tuple[Manifest, Path, str]:
    """A manifest that has recorded one flyer, its source and fingerprint."""
    source = tmp_path / "data" / "treatments" / "foot" / "en.yaml"
    source.parent.mkdir(parents=True)
    source.write_text("name: Foot\n", encoding="utf-8")
    out = tmp_path / "out"
    out.mkdir()
    (out / NAME).write_bytes(b"%PDF-1.4 flyer")
    manifest = Manifest.load(out)
    fingerprint = manifest.fingerprint([source], "paper a4")
    manifest.record(NAME, fingerprint, source, ("foot", Kind.FLYER, "en"), [NAME])
    return manifest, source, fingerprint


def test_a_recorded_document_is_current(made: tuple[Manifest, Path, str]) -> None:
    manifest, _, fingerprint = made
    assert manifest.is_current(NAME, fingerprint)


def test_an_edited_input_changes_the_fingerprint(made: tuple[Manifest, Path, str]) -> None:
    manifest, source, fingerprint = made
    source.write_text("name: Feet\n", encoding="utf-8")
    next_build = Manifest.load(manifest.folder)  # one build reads each input once
    assert next_build.fingerprint([source], "paper a4") != fingerprint


def test_other_settings_change_the_fingerprint(made: tuple[Manifest, Path, str]) -> None:
    manifest, source, fingerprint = made
    assert manifest.fingerprint([source], "paper letter") != fingerprint


def test_a_pdf_edited_since_it_was_written_is_not_current(
        made: tuple[Manifest, Path, str]) -> None:
    manifest, _, fingerprint = made
    (manifest.folder / NAME).write_bytes(b"%PDF-1.4 flyeR")
    assert not manifest.is_current(NAME, fingerprint)


def test_a_saved_manifest_loads_as_it_was(made: tuple[Manifest, Path, str]) -> None:
    manifest, _, fingerprint = made
    manifest.save()
    again = Manifest.load(manifest.folder)
    assert again.documents == manifest.documents and again.is_current(NAME, fingerprint)


def test_a_damaged_manifest_is_an_empty_one(tmp_path: Path) -> None:
    (tmp_path / MANIFEST_NAME).write_text("{not json", encoding="utf-8")
    assert Manifest.load(tmp_path).documents == {}


def test_an_entry_whose_source_is_not_its_own_content_file_is_dropped(
        made: tuple[Manifest, Path, str]) -> None:
    manifest, _, _ = made
    manifest.save()
    path = manifest.folder / MANIFEST_NAME
    raw = json.loads(path.read_text("utf-8"))
    raw["documents"][NAME]["source"] = "/etc/passwd"
    path.write_text(json.dumps(raw), encoding="utf-8")
    assert Manifest.load(manifest.folder).documents == {}
