"""Work on every core: worker processes that share the content already loaded and checked.

Workers are forked after loading, so they render exactly what was fingerprinted and
validated, even if a file is saved again mid-build. Where fork is unavailable they load
the content themselves.

Workers never outlive the command: on Linux the kernel kills them when their parent dies
(PR_SET_PDEATHSIG), and each also watches a pipe whose writing end only the parent holds,
so a parent killed with SIGKILL leaves no worker behind. Ctrl+C and SIGTERM are the
parent's to handle: it stops its workers at once instead of letting them finish the queue.

The parent's objects are frozen out of the garbage collector's reach while it forks
(`gc.freeze`, as Python's documentation advises): a worker's first collection otherwise
walks the whole loaded library, fonts included, and writes to every object it visits,
copying each page of the parent's memory it shares (20 ms a worker, and more memory).
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import signal
import sys
import threading
from collections.abc import Callable, Hashable, Iterator, Sequence
from typing import Any, TypeVar, cast

from handouts.content.cache import adopt, learnt_keys, learnt_since
from handouts.content.load import Found, load_library
from handouts.errors import OutputError

T = TypeVar("T")
R = TypeVar("R")
L = TypeVar("L", bound=Found)

_library: Found | None = None
_forked = False  # this process is a worker forked from the parent, sharing its library


def _load(data_dir: str, fonts_dir: str, parent: int, lifeline: tuple[int, int] | None) -> None:
    _start_worker(parent, lifeline, forked=False)
    global _library
    from pathlib import Path

    _library = load_library(Path(data_dir), Path(fonts_dir))


PR_SET_PDEATHSIG = 1


def _start_worker(parent: int, lifeline: tuple[int, int] | None, forked: bool = True) -> None:
    """Tie this worker's life to its parent's; leave Ctrl+C and SIGTERM to the parent."""
    global _forked
    _forked = forked
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent stops us on Ctrl+C
    signal.signal(signal.SIGTERM, signal.SIG_DFL)  # not the parent's handler, inherited
    if sys.platform.startswith("linux"):
        try:
            import ctypes

            ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
        except (OSError, AttributeError):
            pass  # the lifeline below still ends us
    if lifeline is not None:
        read_end, write_end = lifeline
        os.close(write_end)  # only the parent's copy keeps the pipe open
        threading.Thread(target=_await_parent_death, args=(read_end,), daemon=True).start()
    if os.getppid() != parent:  # the parent died before any of this was in place
        os._exit(1)


def _await_parent_death(read_end: int) -> None:
    """Block until the parent's end of the pipe closes (it exited or was killed), then go."""
    try:
        while os.read(read_end, 1):
            pass
    except OSError:
        pass
    os._exit(1)


def _call_chunk(fn: Callable[[L, T], R], items: Sequence[T]
                ) -> tuple[list[R], dict[Hashable, Any]]:
    """The results, and what was learnt making them (which size fits, QR codes, pictures),
    for the parent to keep and store: a forked worker's answers are the parent library's.
    A worker that loaded the content itself sends none (the files may have changed)."""
    known = learnt_keys()
    # the parent's library, forked or loaded again from the same files: the same type
    results = [fn(cast(L, _library), item) for item in items]
    return results, learnt_since(known) if _forked else {}


def map_with_library(library: L, fn: Callable[[L, T], R], items: Sequence[T],
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
    from concurrent.futures.process import BrokenProcessPool

    lifeline: tuple[int, int] | None = None
    frozen = "fork" in multiprocessing.get_all_start_methods()
    if frozen:
        _library = library
        lifeline = os.pipe()
        gc.freeze()  # before the workers fork; undone below for a long-lived parent
        pool = ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork"),
                                   initializer=_start_worker, initargs=(os.getpid(), lifeline))
    else:
        pool = ProcessPoolExecutor(workers, initializer=_load,
                                   initargs=(str(library.data_dir), str(library.fonts_dir),
                                             os.getpid(), None))
    size = max(1, len(items) // (workers * 4))
    # submitted by hand, not with pool.map: map cancels its futures when interrupted, which
    # races the pool's own thread failing them once we kill the workers (a traceback)
    try:
        futures = [pool.submit(_call_chunk, fn, items[i:i + size])
                   for i in range(0, len(items), size)]
        for future in futures:
            results, answers = future.result()
            adopt(library, answers)
            yield from results
    except BrokenProcessPool:
        _stop_now(pool)
        raise OutputError("a worker process died before finishing (out of memory?); "
                          "nothing it was making was written") from None
    except BaseException:  # Ctrl+C, SIGTERM, an error, or the caller stopped early
        _stop_now(pool)
        raise
    else:
        pool.shutdown(wait=True)
    finally:
        if frozen:
            gc.unfreeze()
        if lifeline is not None:
            for fd in lifeline:
                os.close(fd)


def _stop_now(pool: Any) -> None:
    """Kill the workers instead of letting them work through the queue."""
    terminate = getattr(pool, "terminate_workers", None)  # Python 3.14
    if terminate is not None:
        terminate()
    else:
        processes = list((getattr(pool, "_processes", None) or {}).values())
        for process in processes:
            process.kill()
        for process in processes:
            process.join(timeout=5)  # reaped, not left as zombies
    pool.shutdown(wait=True)  # its thread fails the pending futures as broken, and ends
