"""The loaded, checked content library, kept between runs so a command does not parse every
YAML and SVG file again: a cache keyed by what it was made from, so it cannot go stale.

Where: `<project>/.handouts/cache/`, `<project>` being the folder that holds the data folder
(the ledger's folder too). Never inside data/ (content the tool only reads, often in git or a
shared folder) and never beside one command's output: every command that loads the content
(`build`, `aftercare`, a batch) shares it, wherever its PDFs go. Deleting the folder is always
safe: the next run loads the content as if the cache had never been; `handouts build
--no-cache` does not read or write it.

The key: the SHA-256 of every file under the data folder and the fonts folder (each file's
path and bytes, whatever kind it is: a folder the content grows next counts without anyone
listing it), of this package's own code, the Python version and the packages installed beside
ReportLab, pydantic and svglib (their versions), and the folders as given with the working
folder (problems name files relative to it). Sizes and modification times are never trusted.
Any difference is a miss, and the content is loaded afresh and stored again. A file saved
while it was being loaded is caught: the key is taken again after loading, and a result is
stored only when both agree.

Answers worked out from a library (whether a personalised sheet fits at a body size, which
costs a trial layout each) are kept with it: `learnt(library)` is where they go, and a
command calls `store_learnt` once its work is done. They are as good as the library they
were learnt from: a new key starts with none. Answers that depend on their own key alone
(a URL's QR symbol, a picture's drawing operators in a set of colours, named by the
picture file's digest) are kept with them through `remembered`.

Beside the library: each font file's parsed face (`face-…`, one per font file, keyed by its
bytes and ReportLab's version; render/fonts.py), the catalogue's thumbnails (`library-….
thumbnails`, kept under the library's own key: `companion`; output/preview.py) and the
digests of large input files (`digests`, content/digests.py), which make the key cheap,
and `remembered`: the answers that hold for any library (QR codes, pictures' drawing
operators, dates), keyed by this code and its packages only, so the library loaded afresh
after a content edit starts with them.

A cache file is a pickle of the library and what was learnt from it, with a header naming its
key and the payload's digest, written and read with the care content/kept.py describes (a
damaged, foreign or shared file is a miss; unpickled only when private to this user).
"""

from __future__ import annotations

import hashlib
import os
import sys
import threading
from collections.abc import Callable, Hashable, Mapping
from importlib.util import find_spec
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from handouts.content.digests import digest, remember_in, store_digests
from handouts.content.kept import MAGIC, read_kept, write_kept
from handouts.output.write import project_folder

if TYPE_CHECKING:
    from handouts.content.load import Found

#: The cache's folder in the project's own folder (beside data/).
CACHE_FOLDER = "cache"
#: The packages whose objects a stored library holds (models, drawings, parsed YAML): their
#: installed versions are part of the key.
STORED_WITH = ("reportlab", "pydantic", "pydantic_core", "svglib", "yaml")
#: Learnt answers kept per library; beyond this many, they start again.
MAX_LEARNT = 4096
#: Marks an answer kept by `remembered`: it holds for any library, so it outlives one.
REMEMBERED = "remembered"
#: The remembered answers, apart from any library, keyed by this code and its packages.
REMEMBERED_FILE = "remembered"
T = TypeVar("T")


class _Kept:
    """The library this process works from, what it learnt, and where both are stored."""

    library: Found | None = None
    learnt: dict[Hashable, Any] = {}
    stored: int = 0  # how many answers the cache file holds
    place: tuple[Path, bytes] | None = None  # its slot and key, when it may be stored
    pid: int = 0
    folder: Path | None = None  # where this process keeps things (none with --no-cache)
    tool: bytes | None = None  # the digest of this code and its packages
    remembered: int = 0  # how many remembered answers the remembered file holds
    loading: dict[Hashable, Any] | None = None  # the remembered answers a load works with


def learnt(library: Found) -> dict[Hashable, Any]:
    """Answers worked out from `library`, kept between runs with it when it came from the
    cache (only for the last library asked about: a new one starts afresh). A key must
    name everything besides the library that decides its answer."""
    if _Kept.library is not library or len(_Kept.learnt) >= MAX_LEARNT:
        _keep(library, {}, None)
    return _Kept.learnt


def remembered(key: Hashable, work: Callable[[], T]) -> T:
    """`work()`, or its answer from an earlier run: for an answer that depends on nothing
    but `key` and this code and its packages (the cache's key names both), such as the QR
    symbol of a URL. Kept with the answers learnt from the library this process works from,
    and stored with them, and also apart (`REMEMBERED_FILE`): a library loaded afresh after
    an edit starts with them, and so does its load (a picture's drawing, by the picture's
    bytes); while it works from none, simply `work()`."""
    answers = _Kept.loading if _Kept.loading is not None else (
        _Kept.learnt if _Kept.library is not None else None)
    if answers is None:
        return work()
    kept = (REMEMBERED, key)
    if kept not in answers:
        answers[kept] = work()
    answer: T = answers[kept]
    return answer


def learnt_keys() -> frozenset[Hashable]:
    """The answers this process holds now: a forked worker notes them before it works, to
    send back only what it learnt (`learnt_since`)."""
    return frozenset(_Kept.learnt)


def learnt_since(known: frozenset[Hashable]) -> dict[Hashable, Any]:
    """What this process learnt beyond `known`: a worker's answers for its parent."""
    return {key: answer for key, answer in _Kept.learnt.items() if key not in known}


def adopt(library: Found, answers: Mapping[Hashable, Any]) -> None:
    """Keep `answers` a worker forked from this process learnt from `library`, as if learnt
    here (so stored with it); nothing when this process works from another library now."""
    if answers and _Kept.library is library:
        _Kept.learnt.update(answers)


#: The desk keeps and stores libraries from its threads: a library is never stored with
#: another's answers or in another's slot.
_KEEPING = threading.Lock()


def _keep(library: Found, answers: dict[Hashable, Any], place: tuple[Path, bytes] | None
          ) -> None:
    with _KEEPING:
        _Kept.library, _Kept.learnt, _Kept.place = library, answers, place
        _Kept.stored, _Kept.pid = len(answers), os.getpid()


def store_learnt() -> None:
    """Store the library again with what was learnt from it, if anything new (a command
    calls this once its work is done: the command line ends without running atexit
    handlers). Only in the process that loaded it, never in a worker that inherited it.
    Large files' digests worked out meanwhile (content/digests.py) are kept too."""
    store_digests()
    with _KEEPING:
        library, answers, place = _Kept.library, _Kept.learnt, _Kept.place
        if library is None or place is None or _Kept.pid != os.getpid() \
                or len(answers) <= _Kept.stored:
            return
        _Kept.stored = len(answers)
        answers = dict(answers)  # as they are now: others may be added while it is written
    _write(*place, library, answers)
    _store_apart(answers)


def _store_apart(answers: dict[Hashable, Any]) -> None:
    """Write the remembered answers among `answers` to their own file, when there are more
    of them than it holds."""
    apart = {k: v for k, v in answers.items() if isinstance(k, tuple) and k[:1] == (REMEMBERED,)}
    with _KEEPING:
        tool, folder = _Kept.tool, _Kept.folder
        if len(apart) <= _Kept.remembered or tool is None or folder is None:
            return
        _Kept.remembered = len(apart)
    write_kept(folder / REMEMBERED_FILE, tool, apart)


def cache_file(name: str) -> Path | None:
    """The file `name` in the cache folder of the content this process works from (read and
    written with content/kept.py), or None when it works without the cache."""
    return _Kept.folder / name if _Kept.folder is not None else None


def companion(name: str) -> tuple[Path, bytes] | None:
    """A file kept beside the library this process works from, and that library's key to
    keep it under: what it holds is as good as the library it was made with (a new key
    starts with none). None without the cache."""
    place = _Kept.place
    if place is None or _Kept.folder is None:
        return None
    return place[0].with_name(f"{place[0].name}.{name}"), place[1]


def cache_folder(data_dir: Path) -> Path:
    """`<project>/.handouts/cache`, the project being the folder holding `data_dir`."""
    return project_folder(data_dir) / CACHE_FOLDER


def cached_library(data_dir: Path, fonts_dir: Path | None = None, use: bool = True) -> Found:
    """What `load_library(data_dir, fonts_dir)` returns, from the cache when it was stored
    from exactly these bytes; `use=False` neither reads nor writes the cache."""
    from handouts.content.load import fonts_folder, load_library

    _Kept.folder = cache_folder(data_dir) if use else None
    remember_in(_Kept.folder)
    if not use:
        return load_library(data_dir, fonts_dir)
    fonts = fonts_folder(data_dir, fonts_dir)
    tool = _Kept.tool = _tool_key()
    key = _key(data_dir, fonts, tool)
    store_digests()
    slot = _slot(data_dir, fonts)
    if key is not None:
        stored = _read(slot, key)
        if stored is not None:
            _keep(*stored, (slot, key))
            _Kept.remembered = sum(1 for k in stored[1]
                                   if isinstance(k, tuple) and k[:1] == (REMEMBERED,))
            return stored[0]
    answers = _remembered_before(tool)  # drawings, QR codes, dates: the edit changed none
    read = len(answers)
    _Kept.loading = answers
    try:
        library = load_library(data_dir, fonts_dir)
    finally:
        _Kept.loading = None
    if key is not None and _key(data_dir, fonts, tool) == key:  # nothing saved meanwhile
        _write(slot, key, library, dict(answers))  # as they are now: a desk thread may add
        _keep(library, answers, (slot, key))
        _Kept.remembered = read
        _store_apart(dict(answers))  # the drawings of pictures new to this load
    return library


def _remembered_before(tool: bytes | None) -> dict[Hashable, Any]:
    """The remembered answers an earlier library of this code and packages stored."""
    if tool is None or _Kept.folder is None:
        return {}
    kept = read_kept(_Kept.folder / REMEMBERED_FILE, tool)
    return dict(kept) if isinstance(kept, dict) and len(kept) < MAX_LEARNT else {}


def _slot(data_dir: Path, fonts: Path) -> Path:
    """The one file kept per data folder, fonts folder and working folder."""
    where = "\0".join((os.path.abspath(data_dir), os.path.abspath(fonts), os.getcwd()))
    return cache_folder(data_dir) / f"library-{hashlib.sha256(where.encode()).hexdigest()[:32]}"


def _key(data_dir: Path, fonts: Path, tool: bytes | None) -> bytes | None:
    """The digest of everything a loaded library is made from (`tool`: this code and its
    packages); None when a file under the folders cannot be read (the load reports it;
    nothing is cached)."""
    if tool is None:
        return None
    key = hashlib.sha256(tool)
    for part in (str(data_dir), str(fonts), os.getcwd()):
        key.update(part.encode("utf-8", "surrogateescape") + b"\0")
    return _folders_into(key, (data_dir, fonts))


def _tool_key() -> bytes | None:
    """The digest of this package's code, the Python version and the packages installed
    beside those a library holds objects of."""
    key = hashlib.sha256(MAGIC)
    for part in (sys.version, *_installed()):
        key.update(part.encode("utf-8", "surrogateescape") + b"\0")
    return _folders_into(key, (Path(__file__).parents[1],))


def _folders_into(key: Any, roots: tuple[Path, ...]) -> bytes | None:
    """`key`'s digest once every file under `roots` (path and bytes) is added to it."""
    try:
        for root in roots:
            key.update(b"folder\0")
            for relative, digest in _files(root):
                key.update(relative.encode("utf-8", "surrogateescape") + b"\0" + digest)
    except OSError:
        return None
    digest_: bytes = key.digest()
    return digest_


def _files(root: Path) -> list[tuple[str, bytes]]:
    """(path relative to `root`, SHA-256 of its bytes) of every file under `root`, following
    links (each folder once), in a fixed order. Python's bytecode caches are left out."""
    found: list[tuple[str, bytes]] = []
    seen: set[str] = set()
    for folder, folders, files in os.walk(root, followlinks=True, onerror=_raise):
        real = os.path.realpath(folder)
        if real in seen:
            folders.clear()
            continue
        seen.add(real)
        folders[:] = sorted(f for f in folders if f != "__pycache__")
        for name in sorted(files):
            path = os.path.join(folder, name)
            found.append((os.path.relpath(path, root), digest(path)))
    return found


def _raise(error: OSError) -> None:
    raise error


def _installed() -> list[str]:
    """The distributions installed where the packages a library holds objects of live: their
    names carry their versions (`reportlab-4.2.5.dist-info`). Read from the folder's listing,
    without importing them."""
    places = set()
    for name in STORED_WITH:
        spec = find_spec(name)
        if spec is not None and spec.origin:
            places.add(os.path.dirname(os.path.dirname(spec.origin)))
    names = []
    for place in sorted(places):
        try:
            names += sorted(f"{place}/{entry}" for entry in os.listdir(place)
                            if entry.endswith((".dist-info", ".egg-info")))
        except OSError:
            names.append(place)
    return names


def _read(slot: Path, key: bytes) -> tuple[Found, dict[Hashable, Any]] | None:
    """The library stored in `slot` under `key` and what was learnt from it, or None:
    missing, damaged, another key's, or in a place someone else could have written."""
    from handouts.content.load import Found

    stored = read_kept(slot, key)
    if not (isinstance(stored, tuple) and len(stored) == 2 and isinstance(stored[0], Found)
            and isinstance(stored[1], dict)):
        return None
    return stored[0], stored[1]


def _write(slot: Path, key: bytes, library: Found, answers: dict[Hashable, Any]) -> None:
    """Store `library` and what was learnt from it under `key`; skipped where the cache
    cannot be kept."""
    write_kept(slot, key, (library, answers))
