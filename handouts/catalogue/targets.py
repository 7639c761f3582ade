"""Where a command may write: never among the content it reads, never over a file it did not
make.

Every command checks the places its options name before it makes anything, so a mistyped
`--out data` or `-o data/brand.yaml` writes nothing at all. Paths are compared once resolved,
so no other spelling (relative, absolute, `data/../data`, a symlink) gets past.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

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
    """A PDF this tool wrote: its Producer says so (a damaged or foreign file is not)."""
    try:
        with path.open("rb") as handle:
            if handle.read(5) != b"%PDF-":
                return False
        from pypdf import PdfReader

        metadata = PdfReader(path, strict=True).metadata  # strict: raises, never logs
    except Exception:  # unreadable, or damaged past what pypdf opens: not ours to replace
        return False
    return metadata is not None and (metadata.producer or "").startswith(PRODUCER)
