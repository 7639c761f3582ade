"""catalogue/pool.py: the same results, in order, on one core or several."""

from __future__ import annotations

import gc

from handouts.catalogue.pool import map_with_library
from handouts.content.cache import learnt
from handouts.content.load import Found, Library


def _treatment_name(library: Found, lang: str) -> str:
    return library.treatments["plantar-fasciitis"][lang].name


LANGS = ["en", "vi", "ko", "ja"] * 3


def test_serial_results_come_in_the_order_given(shipped_library: Library) -> None:
    names = list(map_with_library(shipped_library, _treatment_name, LANGS, workers=1))
    assert names == [shipped_library.treatments["plantar-fasciitis"][lang].name
                     for lang in LANGS]


def test_workers_give_what_one_core_gives(shipped_library: Library) -> None:
    serial = list(map_with_library(shipped_library, _treatment_name, LANGS, workers=1))
    assert list(map_with_library(shipped_library, _treatment_name, LANGS, workers=2)) == serial


def _learn_length(library: Found, lang: str) -> int:
    """A worker's work that learns something from the library, as a layout trial does."""
    answer = len(library.treatments["plantar-fasciitis"][lang].name)
    learnt(library)[("name length", lang)] = answer
    return answer


def test_what_workers_learn_is_kept_by_the_parent(shipped_library: Library) -> None:
    """Which size fits, QR codes, pictures: worked out in a worker, kept (and stored with
    the content cache) by the process that forked it."""
    answers = learnt(shipped_library)
    for lang in set(LANGS):
        answers.pop(("name length", lang), None)
    lengths = list(map_with_library(shipped_library, _learn_length, LANGS, workers=2))
    assert learnt(shipped_library) is answers
    assert {lang: answers[("name length", lang)] for lang in set(LANGS)} == dict(
        zip(LANGS, lengths, strict=True))


def _frozen_objects(library: Found, lang: str) -> int:
    return gc.get_freeze_count()


def test_workers_find_the_parent_s_objects_out_of_the_collector_s_reach(
        shipped_library: Library) -> None:
    """The library forked into a worker is never walked by its garbage collector (a walk
    writes to every object, copying the pages it shared with the parent); the parent's own
    collector has them back once the work is done."""
    before = gc.get_freeze_count()
    counts = list(map_with_library(shipped_library, _frozen_objects, LANGS, workers=2))
    assert min(counts) > before + 10_000  # the library's objects, at the least
    assert gc.get_freeze_count() == before
