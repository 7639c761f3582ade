"""Atomic writes: the previous file survives any failure, and no temp file is left behind."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from handouts.errors import OutputError
from handouts.output.write import write_atomic


def test_write_replaces_the_file_whole(tmp_path: Path) -> None:
    target = tmp_path / "sub" / "a.pdf"
    write_atomic(target, b"first")
    write_atomic(target, b"second")
    assert target.read_bytes() == b"second"
    assert [p.name for p in target.parent.iterdir()] == ["a.pdf"]


def test_failed_write_keeps_the_old_file_and_no_temp(tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "a.pdf"
    write_atomic(target, b"good")

    def crash(src: str, dst: str) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", crash)
    with pytest.raises(OutputError, match="No space left"):
        write_atomic(target, b"new")
    assert target.read_bytes() == b"good"
    assert [p.name for p in tmp_path.iterdir()] == ["a.pdf"]


def test_unwritable_folder_is_a_clear_error(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(OutputError, match="cannot write"):
        write_atomic(blocker / "a.pdf", b"x")
