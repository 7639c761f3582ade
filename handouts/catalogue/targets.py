"""Where a command may write: never among the content it reads, never over a file it did not
make.

Every command checks the places its options name before it makes anything, so a mistyped
`--out data` or `-o data/brand.yaml` writes nothing at all. Paths are compared once resolved,
so no other spelling (relative, absolute, `data/../data`, a symlink) gets past.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from pathlib import Path
from typing import BinaryIO

from handouts.content.load import fonts_folder
from handouts.errors import OutputError

#: What the Producer of every PDF this tool writes starts with (imposed sheets keep it).
PRODUCER = "handouts"


def check_targets(data_dir: Path, fonts_dir: Path | None, into: Mapping[str, Path | None],
                  over: Mapping[str, Path | None] | None = None) -> None:
    """Raise OutputError naming every option that would write into the data or fonts folder.

    `into` maps an option to the folder or file it writes in; `over` maps an option to a
    file it replaces, which must also be absent or a PDF this tool made.
    """
    content = {"data folder": data_dir, "fonts folder": fonts_folder(data_dir, fonts_dir)}
    over = over or {}
    refused = []
    for option, path in [*into.items(), *over.items()]:
        if path is None:
            continue
        for what, folder in content.items():
            if path.resolve().is_relative_to(folder.resolve()):
                refused.append(f"{option} {path}: in the {what} {folder}/; handouts never "
                               "writes among the content it reads: choose a place outside it")
                break
        else:
            if option in over and path.is_dir():
                refused.append(f"{option} {path}: is a folder: give the name of the file to "
                               "write")
            elif option in over and path.exists() and not _made_here(path):
                refused.append(f"{option} {path}: a file handouts did not make is already "
                               "there and is never replaced: choose another name, or move "
                               "that file away")
    if refused:
        raise OutputError("\n".join(refused))


def _made_here(path: Path) -> bool:
    """A PDF this tool wrote: its Producer says so (a damaged or foreign file is not).

    Its own PDFs are recognised by reading the trailer's way to the Producer directly;
    whatever does not lead there plainly is left to pypdf (a tenth of a second to import,
    once on every sheet written over its previous copy otherwise)."""
    try:
        with path.open("rb") as handle:
            if handle.read(5) != b"%PDF-":
                return False
            if _producer_is_ours(handle):
                return True
        from pypdf import PdfReader

        metadata = PdfReader(path, strict=True).metadata  # strict: raises, never logs
    except Exception:  # unreadable, or damaged past what pypdf opens: not ours to replace
        return False
    return metadata is not None and (metadata.producer or "").startswith(PRODUCER)


#: Beyond these sizes a file is not one this tool wrote plainly: pypdf decides.
_TAIL_BYTES = 1024
_READ_BYTES = 16 * 1024 * 1024
_STARTXREF = re.compile(rb"startxref\s+(\d+)\s+%%EOF\s*\Z")
_INFO = re.compile(rb"/Info\s+(\d+)\s+(\d+)\s+R\b")
_PRODUCER = re.compile(rb"/Producer\s*\(")


def _producer_is_ours(handle: BinaryIO) -> bool:
    """Whether the file's last trailer names an information dictionary, through a plain
    cross-reference table, whose Producer is a literal string starting with PRODUCER.
    False means "not shown this way", never "foreign"."""
    size = handle.seek(0, os.SEEK_END)
    if size > _READ_BYTES:
        return False
    handle.seek(0)
    data = handle.read()
    end = _STARTXREF.search(data, max(0, size - _TAIL_BYTES))
    if end is None:
        return False
    table = int(end.group(1))
    trailer = data.find(b"trailer", table, end.start())
    if not data.startswith(b"xref", table) or trailer < 0:
        return False
    info = _INFO.search(data, trailer, end.start())
    if info is None or b"/Encrypt" in data[trailer:end.start()]:
        return False
    offsets = _offsets(data[table + 4:trailer].split())
    offset = offsets.get((int(info.group(1)), int(info.group(2))))
    if offset is None:
        return False
    head = re.compile(rb"%s\s+%s\s+obj\s*<<" % (info.group(1), info.group(2)))
    body = head.match(data, offset)
    stop = data.find(b"endobj", offset)
    if body is None or stop < 0:
        return False
    producer = _PRODUCER.search(data, body.end(), stop)
    return producer is not None and data.startswith(PRODUCER.encode(), producer.end())


def _offsets(tokens: list[bytes]) -> dict[tuple[int, int], int]:
    """(object, generation) -> byte offset of each object a cross-reference table says is
    in use; empty when the table is not one (a truncated or foreign layout)."""
    offsets: dict[tuple[int, int], int] = {}
    at = 0
    try:
        while at < len(tokens):
            first, count = int(tokens[at]), int(tokens[at + 1])
            entries = tokens[at + 2:at + 2 + 3 * count]
            if len(entries) != 3 * count:
                return {}
            for number in range(count):
                offset, generation, kind = entries[3 * number:3 * number + 3]
                if kind == b"n":
                    offsets[(first + number, int(generation))] = int(offset)
                elif kind != b"f":
                    return {}
            at += 2 + 3 * count
    except (ValueError, IndexError):
        return {}
    return offsets
