"""content/translations.py: a translation's keys compared with English, at its own lines."""

from __future__ import annotations

from pathlib import Path

from handouts.content.translations import key_differences
from handouts.content.yaml_source import read_yaml


def _doc(tmp_path: Path, name: str, text: str):  # type: ignore[no-untyped-def]
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return read_yaml(path)


def test_the_same_keys_are_no_difference(tmp_path: Path) -> None:
    en = _doc(tmp_path, "en.yaml", "name: Foot\nprice: '10'\n")
    vi = _doc(tmp_path, "vi.yaml", "name: Chân\nprice: '10'\n")
    assert key_differences(vi, en) == []


def test_a_key_english_has_is_missing_at_the_translation_s_parent(tmp_path: Path) -> None:
    en = _doc(tmp_path, "en.yaml", "name: Foot\nprice: '10'\n")
    vi = _doc(tmp_path, "vi.yaml", "name: Chân\n")
    assert [str(p) for p in key_differences(vi, en)] == [
        f"{vi.path}:1:1: missing key 'price' (present in {en.path}:2)"]


def test_a_key_english_lacks_is_extra_at_its_own_line(tmp_path: Path) -> None:
    en = _doc(tmp_path, "en.yaml", "name: Foot\n")
    vi = _doc(tmp_path, "vi.yaml", "name: Chân\nprice: '10'\n")
    assert [str(p) for p in key_differences(vi, en)] == [
        f"{vi.path}:2:1: extra key 'price' not in {en.path}"]


def test_a_nested_key_is_named_by_its_whole_path_at_its_parent(tmp_path: Path) -> None:
    en = _doc(tmp_path, "en.yaml", "flyer:\n  headline: A\n  price: '1'\n")
    vi = _doc(tmp_path, "vi.yaml", "flyer:\n  headline: A\n")
    assert [str(p) for p in key_differences(vi, en)] == [
        f"{vi.path}:1:1: missing key 'flyer.price' (present in {en.path}:3)"]


def test_a_key_missing_inside_a_list_item_is_named_at_that_item(tmp_path: Path) -> None:
    en = _doc(tmp_path, "en.yaml",
              "steps:\n  - title: Warm-up\n    image: a.svg\n  - title: Press\n")
    vi = _doc(tmp_path, "vi.yaml", "steps:\n  - title: Làm ấm\n  - title: Ấn\n")
    assert [str(p) for p in key_differences(vi, en)] == [
        f"{vi.path}:2:5: missing key 'steps[0].image' (present in {en.path}:3)"]


def test_an_item_english_has_is_missing_at_the_list(tmp_path: Path) -> None:
    en = _doc(tmp_path, "en.yaml", "steps:\n  - title: Warm-up\n  - title: Press\n")
    vi = _doc(tmp_path, "vi.yaml", "steps:\n  - title: Làm ấm\n")
    assert [str(p) for p in key_differences(vi, en)] == [
        f"{vi.path}:1:1: missing key 'steps[1]' (present in {en.path}:3)"]


def test_a_plain_list_item_english_has_is_missing(tmp_path: Path) -> None:
    en = _doc(tmp_path, "en.yaml", "see_doctor:\n  - severe pain\n  - numbness\n")
    vi = _doc(tmp_path, "vi.yaml", "see_doctor:\n  - đau dữ dội\n")
    assert [str(p) for p in key_differences(vi, en)] == [
        f"{vi.path}:1:1: missing key 'see_doctor[1]' (present in {en.path}:3)"]
