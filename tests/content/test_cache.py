"""content/cache.py: the loaded library kept between runs, never trusted beyond its bytes.

The hostile-cache tests change an input after the cache was made, in every way that keeps
its size and modification time (or changes only which file holds which bytes), and demand
what a run without the cache makes: the same PDF bytes, or the same problems."""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import pickle
import shutil
from collections.abc import Callable, Hashable
from pathlib import Path

import pytest

import handouts.content.load
from handouts.catalogue.build import build
from handouts.catalogue.document import render_job
from handouts.catalogue.plan import Job
from handouts.catalogue.sheets import make_sheet
from handouts.content import pictures
from handouts.content.appointments import Visit
from handouts.content.cache import (
    MAGIC,
    REMEMBERED,
    cache_folder,
    cached_library,
    learnt,
    store_learnt,
)
from handouts.content.load import Found, Library, load_library
from handouts.render import picture, qr
from handouts.render.kinds import Kind
from tests.conftest import SHIPPED_FONTS
from tests.editing import edit_keeping_stat

SHEET = Job("plantar-fasciitis", Kind.AFTERCARE, "en")


def outcome(found: Found) -> tuple[list[str], bytes]:
    """What a person gets from this content: its problems, and the English sheet's PDF
    (none when its content did not load)."""
    problems = sorted(str(p) for p in found.problems)
    makes_it = isinstance(found, Library) and SHEET.lang in found.labels \
        and SHEET.lang in found.treatments.get(SHEET.treatment, {})
    return problems, render_job(found, SHEET) if makes_it else b""


@pytest.fixture
def fonts(tmp_path: Path) -> Path:
    """A copy of the fonts beside the scratch data, so a test may change them too."""
    folder = tmp_path / "own-fonts"
    shutil.copytree(SHIPPED_FONTS, folder)
    return folder


def kinds_of(answers: dict[Hashable, object]) -> set[object]:
    """What kinds of answer are kept ("sheet fits", "qr symbol"...), remembered ones too."""
    return {key[1][0] if key[0] == REMEMBERED else key[0] for key in answers
            if isinstance(key, tuple)}


def the_cache_file(data: Path) -> Path:
    (slot,) = cache_folder(data).glob("library-*")
    return slot


def keep_stat_and_replace(path: Path, content: bytes) -> None:
    """Put `content` at `path` as a new file (a new inode) with the old one's mtime."""
    before = path.stat()
    fresh = path.with_name(path.name + ".new")
    fresh.write_bytes(content)
    os.utime(fresh, ns=(before.st_atime_ns, before.st_mtime_ns))
    os.replace(fresh, path)


def swap(first: Path, second: Path) -> None:
    """Each file takes the other's bytes (as a rename does): every stat seen before stays."""
    parking = first.with_name(first.name + ".swap")
    os.replace(first, parking)
    os.replace(second, first)
    os.replace(parking, second)


def edit_words(data: Path, fonts: Path) -> None:
    edit_keeping_stat(data / "treatments" / "plantar-fasciitis" / "en.yaml",
                      b"Caring for your feet", b"Tending to your feet")


def replace_words(data: Path, fonts: Path) -> None:
    path = data / "treatments" / "plantar-fasciitis" / "en.yaml"
    keep_stat_and_replace(path, path.read_bytes().replace(b"Caring for your feet",
                                                          b"Minding all ten toes"))


def edit_picture(data: Path, fonts: Path) -> None:
    edit_keeping_stat(data / "art" / "illustrations" / "arch-roll.svg",
                      b'cx="104" cy="113.5"', b'cx="114" cy="113.5"')


def swap_pictures(data: Path, fonts: Path) -> None:
    icons = data / "art" / "icons"
    swap(icons / "step-warm-up.svg", icons / "step-cool-down.svg")


def truncate_picture(data: Path, fonts: Path) -> None:
    path = data / "art" / "illustrations" / "arch-roll.svg"
    keep_stat_and_replace(path, path.read_bytes()[:len(path.read_bytes()) // 2])


def truncate_labels(data: Path, fonts: Path) -> None:
    path = data / "labels" / "en.yaml"
    keep_stat_and_replace(path, path.read_bytes()[:len(path.read_bytes()) // 3])


def swap_fonts(data: Path, fonts: Path) -> None:
    swap(fonts / "NotoSans-Regular.ttf", fonts / "NotoSans-Bold.ttf")


def add_a_file_nobody_listed(data: Path, fonts: Path) -> None:
    """A new kind of content (a folder nobody told the cache of) replacing a picture."""
    (data / "handbook").mkdir()
    shutil.copy(data / "art" / "icons" / "step-cool-down.svg", data / "handbook" / "a.svg")
    picture = data / "art" / "icons" / "step-warm-up.svg"
    swap(picture, data / "handbook" / "a.svg")


@pytest.mark.parametrize("change", [edit_words, replace_words, edit_picture, swap_pictures,
                                    truncate_picture, truncate_labels, swap_fonts,
                                    add_a_file_nobody_listed])
def test_a_changed_input_gives_what_a_run_without_the_cache_gives(
        project: Path, fonts: Path, change: Callable[[Path, Path], None]) -> None:
    data = project / "data"
    before = outcome(cached_library(data, fonts))  # the cache is made
    change(data, fonts)
    cached = outcome(cached_library(data, fonts))
    assert cached == outcome(load_library(data, fonts))
    assert cached != before  # the change shows: a stale cache would fail this test


def test_a_stored_library_is_used_when_nothing_changed(
        project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    data = project / "data"
    made = outcome(cached_library(data))

    def not_again(*_: object) -> Found:
        raise AssertionError("loaded again")

    monkeypatch.setattr(handouts.content.load, "load_library", not_again)
    assert outcome(cached_library(data)) == made


@pytest.mark.parametrize("damage", [
    lambda data: data[:len(data) // 2],
    lambda data: b"",
    lambda data: os.urandom(len(data)),
    lambda data: data[:-1] + bytes([data[-1] ^ 1]),
    lambda data: MAGIC + b"\0" * 64 + pickle.dumps("a foreign payload"),
], ids=["truncated", "empty", "garbage", "one bit", "foreign"])
def test_a_damaged_cache_file_is_a_miss(project: Path, damage: Callable[[bytes], bytes],
                                        monkeypatch: pytest.MonkeyPatch) -> None:
    data = project / "data"
    made = outcome(cached_library(data))
    slot = the_cache_file(data)
    slot.write_bytes(damage(slot.read_bytes()))
    loads = []
    real_load = handouts.content.load.load_library
    monkeypatch.setattr(handouts.content.load, "load_library",
                        lambda *args: loads.append(args) or real_load(*args))
    assert outcome(cached_library(data)) == made
    assert len(loads) == 1


def test_a_cache_others_may_write_is_never_unpickled(project: Path) -> None:
    """A cache file of the right shape, digest and key, in a folder anyone may write: what
    it holds might be anyone's, and unpickling runs code. It is not read."""
    data = project / "data"
    cached_library(data)
    slot = the_cache_file(data)
    marker = project / "ran"
    header = slot.read_bytes()[:len(MAGIC) + 32]
    payload = pickle.dumps(Planted(str(marker)))
    slot.write_bytes(header + hashlib.sha256(payload).digest() + payload)
    slot.parent.chmod(0o777)
    found = cached_library(data)
    assert isinstance(found, Library) and not marker.exists()


class Planted:
    """Unpickled, it writes a file: proof that a cache file was unpickled."""

    def __init__(self, path: str) -> None:
        self.path = path

    def __reduce__(self) -> tuple[object, tuple[str, str]]:
        return open, (self.path, "w")


def test_a_place_the_cache_cannot_be_kept_is_skipped(project: Path) -> None:
    data = project / "data"
    (project / ".handouts").write_text("not a folder", encoding="utf-8")
    assert outcome(cached_library(data)) == outcome(load_library(data))


def test_the_cache_lives_beside_the_data_folder_never_in_it(project: Path) -> None:
    data = project / "data"
    cached_library(data)
    assert the_cache_file(data).parent == project / ".handouts" / "cache"
    assert oct(the_cache_file(data).stat().st_mode & 0o777) == oct(0o600)
    assert not [p for p in data.rglob("*") if "cache" in p.name]


def test_without_the_cache_nothing_is_read_or_written(project: Path) -> None:
    data = project / "data"
    build(data, project / "out", langs=["en"], cache=False)
    assert not cache_folder(data).exists()


def test_deleting_the_cache_is_safe(project: Path) -> None:
    data = project / "data"
    made = outcome(cached_library(data))
    shutil.rmtree(cache_folder(data))
    assert outcome(cached_library(data)) == made


def test_a_build_after_an_edit_keeping_size_and_mtime_matches_one_without_the_cache(
        project: Path) -> None:
    data = project / "data"
    build(data, project / "warm", langs=["en"])  # the cache is made
    edit_words(data, SHIPPED_FONTS)
    cached = build(data, project / "cached", langs=["en"])
    fresh = build(data, project / "fresh", langs=["en"], cache=False)
    assert [p.name for p in cached.built] == [p.name for p in fresh.built]
    for path in cached.built:
        assert path.read_bytes() == (project / "fresh" / path.name).read_bytes(), path.name


def test_which_size_fits_a_sheet_is_kept_with_the_library_and_gives_the_same_sheet(
        project: Path) -> None:
    data = project / "data"
    visit = Visit(client="Emma Wilson", date=dt.date(2026, 11, 24))
    make_sheet(cached_library(data), SHEET.treatment, SHEET.lang, visit, None)
    store_learnt()
    again = cached_library(data)  # as the next run finds it
    assert learnt(again)  # the trial layouts' answers came with it
    _, from_cache = make_sheet(again, SHEET.treatment, SHEET.lang, visit, None)
    _, fresh = make_sheet(load_library(data), SHEET.treatment, SHEET.lang, visit, None)
    assert from_cache == fresh


def test_qr_symbols_and_picture_operators_kept_with_the_library_draw_the_same_sheet(
        project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    data = project / "data"
    visit = Visit(client="Emma Wilson", therapist=None, notes=None, date=dt.date(2026, 11, 24))
    make_sheet(cached_library(data), SHEET.treatment, SHEET.lang, visit, typed)
    store_learnt()
    again = cached_library(data)  # as the next run finds it
    assert {"qr symbol", "picture operators"} <= kinds_of(learnt(again))

    def not_again(*_: object) -> None:
        raise AssertionError("worked out again")

    qr._encoded.cache_clear()
    monkeypatch.setattr(qr, "_encoded", not_again)
    monkeypatch.setattr(picture, "drawing_operators", not_again)
    _, from_cache = make_sheet(again, SHEET.treatment, SHEET.lang, visit, typed)
    monkeypatch.undo()
    qr._encoded.cache_clear()
    for module in (qr, picture):  # nothing kept: each worked out afresh
        monkeypatch.setattr(module, "remembered", lambda key, work: work())
    _, fresh = make_sheet(load_library(data), SHEET.treatment, SHEET.lang, visit, typed)
    assert from_cache == fresh


def typed(field: str) -> tuple[Path, int, int]:
    """Where a visit's value came from, for a problem's message."""
    return Path(field), 1, 1


def test_after_an_edit_qr_codes_and_pictures_are_not_worked_out_again(
        project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """They depend on a URL or a picture file's bytes only: a library loaded afresh after a
    content edit starts with them, and draws the same sheet as one working them out."""
    data = project / "data"
    visit = Visit(client="Emma Wilson", therapist=None, notes=None, date=dt.date(2026, 11, 24))
    make_sheet(cached_library(data), SHEET.treatment, SHEET.lang, visit, typed)
    store_learnt()
    edit = data / "treatments" / SHEET.treatment / "en.yaml"
    edit.write_text(edit.read_text(encoding="utf-8").replace("headline: ", "headline: New ", 1),
                    encoding="utf-8")
    edited = cached_library(data)
    assert {"qr symbol", "picture operators"} <= kinds_of(learnt(edited))

    def not_again(*_: object) -> None:
        raise AssertionError("worked out again")

    qr._encoded.cache_clear()
    monkeypatch.setattr(qr, "_encoded", not_again)
    monkeypatch.setattr(picture, "drawing_operators", not_again)
    _, from_cache = make_sheet(edited, SHEET.treatment, SHEET.lang, visit, typed)
    monkeypatch.undo()
    qr._encoded.cache_clear()
    for module in (qr, picture):  # nothing kept: each worked out afresh
        monkeypatch.setattr(module, "remembered", lambda key, work: work())
    _, fresh = make_sheet(load_library(data), SHEET.treatment, SHEET.lang, visit, typed)
    assert from_cache == fresh


def test_after_an_edit_no_svg_is_drawn_again(project: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    """A picture's drawing depends on its file's bytes only: the load after a content edit
    takes each from the cache instead of reading the SVG again, and draws the same sheet."""
    data = project / "data"
    visit = Visit(client="Emma Wilson", therapist=None, notes=None, date=dt.date(2026, 11, 24))
    cached_library(data)
    store_learnt()
    edit = data / "treatments" / SHEET.treatment / "en.yaml"
    edit.write_text(edit.read_text(encoding="utf-8").replace("headline: ", "headline: New ", 1),
                    encoding="utf-8")

    def not_again(*_: object) -> None:
        raise AssertionError("drawn again")

    monkeypatch.setattr(pictures, "_drawn", not_again)
    edited = cached_library(data)
    assert any(p.drawing is not None for p in edited.pictures.values())
    _, from_cache = make_sheet(edited, SHEET.treatment, SHEET.lang, visit, typed)
    monkeypatch.undo()
    monkeypatch.setattr(pictures, "remembered", lambda key, work: work())
    _, fresh = make_sheet(load_library(data), SHEET.treatment, SHEET.lang, visit, typed)
    assert from_cache == fresh


def test_an_svg_changed_is_drawn_again_and_only_it(project: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    data = project / "data"
    cached_library(data)
    store_learnt()
    changed = sorted(data.rglob("*.svg"))[0]
    changed.write_bytes(changed.read_bytes() + b"\n<!-- saved again -->\n")
    drawn: list[Path] = []
    real = pictures._drawn

    def counted(data_: bytes, path: Path) -> object:
        drawn.append(path)
        return real(data_, path)

    monkeypatch.setattr(pictures, "_drawn", counted)
    cached_library(data)
    assert drawn == [changed]
