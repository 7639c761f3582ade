"""content/digests.py: a large file is hashed again whenever it may have changed, and only then."""

from __future__ import annotations

import hashlib
import os
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from handouts.content.digests import LARGE_BYTES, MEMO_NAME, digest, remember_in, store_digests
from tests.editing import edit_keeping_stat

LATER = 10 * 10**9  # ns: well past the racy window


@pytest.fixture
def font(tmp_path: Path) -> Path:
    """A large input file (the size of a font), and a memo folder for it."""
    path = tmp_path / "data" / "face.ttf"
    path.parent.mkdir()
    path.write_bytes(b"glyph " * (LARGE_BYTES // 6 + 1))
    return path


@pytest.fixture
def memo(tmp_path: Path) -> Iterator[Path]:
    """The project's cache folder, remembered in; nowhere once the test is done."""
    folder = tmp_path / ".handouts" / "cache"
    folder.mkdir(parents=True, mode=0o700)
    folder.parent.chmod(0o700)
    remember_in(None)
    yield folder
    remember_in(None)


def kept_as_if_long_still(memo: Path, *paths: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Hash `paths` and keep its digest as a run long after its last change would (the
    process's clock and the memo file's time moved on), then start a new run."""
    now = time.time_ns()
    monkeypatch.setattr(time, "time_ns", lambda: now + LATER)
    remember_in(memo)
    for path in paths:
        digest(path)
    store_digests()
    os.utime(memo / MEMO_NAME, ns=(now + LATER, now + LATER))
    monkeypatch.undo()
    remember_in(None)
    remember_in(memo)


def count_hashing(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The sizes of what is hashed from now on (by anyone in this process)."""
    hashed: list[int] = []
    real = hashlib.sha256

    def counting(data: bytes = b"") -> object:
        hashed.append(len(data))
        return real(data)

    monkeypatch.setattr(hashlib, "sha256", counting)
    return hashed


def test_a_large_file_still_since_it_was_kept_is_not_read_again(
        font: Path, memo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    kept_as_if_long_still(memo, font, monkeypatch=monkeypatch)
    expected = hashlib.sha256(font.read_bytes()).digest()
    hashed = count_hashing(monkeypatch)
    assert digest(font) == expected
    assert hashed == []


def test_an_edit_keeping_size_and_modification_time_is_hashed_again(
        font: Path, memo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    kept_as_if_long_still(memo, font, monkeypatch=monkeypatch)
    edit_keeping_stat(font, b"glyph", b"GLYPH")
    assert digest(font) == hashlib.sha256(font.read_bytes()).digest()


def test_a_file_replaced_by_another_of_its_size_and_time_is_hashed_again(
        font: Path, memo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    kept_as_if_long_still(memo, font, monkeypatch=monkeypatch)
    before = font.stat()
    other = font.with_name("other.ttf")
    other.write_bytes(font.read_bytes().replace(b"glyph", b"serif", 1))
    os.utime(other, ns=(before.st_atime_ns, before.st_mtime_ns))
    other.replace(font)
    assert digest(font) == hashlib.sha256(font.read_bytes()).digest()


def test_a_file_changed_just_before_it_was_hashed_is_hashed_again_next_run(
        font: Path, memo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    remember_in(memo)
    digest(font)
    store_digests()  # now: within RACY_SECONDS of the file's last change
    remember_in(None)
    remember_in(memo)
    hashed = count_hashing(monkeypatch)
    digest(font)
    assert hashed == [font.stat().st_size]


def test_a_small_file_is_always_hashed(tmp_path: Path, font: Path, memo: Path,
                                       monkeypatch: pytest.MonkeyPatch) -> None:
    small = tmp_path / "data" / "en.yaml"
    small.write_text("headline: Rest\n", encoding="utf-8")
    kept_as_if_long_still(memo, font, small, monkeypatch=monkeypatch)
    hashed = count_hashing(monkeypatch)
    digest(small)
    assert hashed == [small.stat().st_size]


def test_a_damaged_memo_is_ignored(font: Path, memo: Path,
                                   monkeypatch: pytest.MonkeyPatch) -> None:
    kept_as_if_long_still(memo, font, monkeypatch=monkeypatch)
    kept = memo / MEMO_NAME
    kept.write_bytes(kept.read_bytes()[:-7] + b"damaged")
    remember_in(None)
    remember_in(memo)
    expected = hashlib.sha256(font.read_bytes()).digest()
    hashed = count_hashing(monkeypatch)
    assert digest(font) == expected
    assert hashed == [font.stat().st_size]
