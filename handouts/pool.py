"""Work on every core: worker processes that share the content already loaded and checked.

Workers are forked after loading, so they render exactly what was fingerprinted and
validated, even if a file is saved again mid-build. Where fork is unavailable they load
the content themselves.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Iterator, Sequence
from typing import TypeVar

from handouts.content.load import Library, load_library

T = TypeVar("T")
R = TypeVar("R")

_library: Library | None = None


def _load(data_dir: str, fonts_dir: str) -> None:
    global _library
    from pathlib import Path

    _library = load_library(Path(data_dir), Path(fonts_dir))


def _call(fn: Callable[[Library, T], R], item: T) -> R:
    assert _library is not None
    return fn(_library, item)


def map_with_library(library: Library, fn: Callable[[Library, T], R], items: Sequence[T],
                     workers: int | None = None, per_worker: int = 1) -> Iterator[R]:
    """`fn(library, item)` for each item, in order; in parallel when it is worth it.

    `fn` must be a module-level function (it is sent to the workers by name).
    """
    global _library
    workers = min(workers or os.cpu_count() or 1, max(1, len(items) // per_worker))
    if workers <= 1:
        yield from (fn(library, item) for item in items)
        return
    from concurrent.futures import ProcessPoolExecutor  # only big jobs pay for the import

    if "fork" in multiprocessing.get_all_start_methods():
        _library = library
        pool = ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork"))
    else:
        pool = ProcessPoolExecutor(workers, initializer=_load,
                                   initargs=(str(library.data_dir), str(library.fonts_dir)))
    with pool:
        yield from pool.map(_call, [fn] * len(items), items,
                            chunksize=max(1, len(items) // (workers * 4)))
