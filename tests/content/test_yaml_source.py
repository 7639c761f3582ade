"""Reading YAML: values stay as typed, dangerous YAML features are refused with a position."""

from __future__ import annotations

from pathlib import Path

import pytest

from handouts.content.yaml_source import MAX_BYTES, read_yaml
from handouts.errors import ContentError


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "doc.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def problem(path: Path) -> str:
    with pytest.raises(ContentError) as caught:
        read_yaml(path)
    return str(caught.value)


def test_scalars_stay_the_strings_the_editor_typed(tmp_path: Path) -> None:
    doc = read_yaml(write(tmp_path, "a: no\nb: 9:30\nc: +84905123456\nd: 0123456\ne: 1e3\n"))
    assert doc.data == {"a": "no", "b": "9:30", "c": "+84905123456", "d": "0123456",
                        "e": "1e3"}


def test_positions_point_at_each_key(tmp_path: Path) -> None:
    doc = read_yaml(write(tmp_path, "top:\n  items:\n    - x\n    - name: y\n"))
    assert doc.where(("top", "items", 1, "name")) == (4, 7)
    assert doc.where(("top", "missing")) == (1, 1)


def test_duplicate_key_is_refused_at_its_line(tmp_path: Path) -> None:
    path = write(tmp_path, "name: a\nother: b\nname: c\n")
    assert problem(path) == f"{path}:3:1: duplicate key 'name'"


def test_alias_bomb_is_refused_before_expanding(tmp_path: Path) -> None:
    bomb = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{n}: &{n} [*{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}]\n"
        for p, n in zip("abcdefgh", "bcdefghi", strict=True)
    )
    message = problem(write(tmp_path, bomb))
    assert ":2:" in message and "aliases" in message


def test_explicit_tags_are_refused(tmp_path: Path) -> None:
    message = problem(write(tmp_path, "a: !!python/object:os.system ls\n"))
    assert ":1:4:" in message and "tags" in message


def test_syntax_error_names_line_and_column(tmp_path: Path) -> None:
    message = problem(write(tmp_path, "a: b\nc: [unclosed\nd: e\n"))
    assert message.startswith(f"{tmp_path / 'doc.yaml'}:") and "YAML syntax" in message


def test_oversized_file_is_refused(tmp_path: Path) -> None:
    message = problem(write(tmp_path, "a: " + "x" * MAX_BYTES + "\n"))
    assert "capped" in message


def test_invalid_utf8_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "doc.yaml"
    path.write_bytes(b"a: b\nc: \xff\n")
    assert problem(path) == f"{path}:2:1: file is not valid UTF-8"


def test_deep_nesting_is_refused_at_its_position(tmp_path: Path) -> None:
    message = problem(write(tmp_path, "a: " + "[" * 40 + "]" * 40 + "\n"))
    assert ":1:" in message and "nested more than 32 levels" in message


def test_absurd_nesting_is_an_error_not_a_crash(tmp_path: Path) -> None:
    message = problem(write(tmp_path, "a: " + "[" * 5000 + "]" * 5000 + "\n"))
    assert ":1:" in message and "YAML syntax" in message
