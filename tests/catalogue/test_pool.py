"""catalogue/pool.py: the same results, in order, on one core or several."""

from __future__ import annotations

from handouts.catalogue.pool import map_with_library
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

