"""The build manifest: which PDFs this tool made in an output folder, and from what.

A document is rebuilt only when the fingerprint of its inputs (content file, labels, brand,
fonts, logo, paper, the package version) differs from the one recorded when it was made.
Only files listed here are ever deleted, so a file a person put in out/ is never touched.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path

from handouts.output.write import write_if_changed

MANIFEST_NAME = ".handouts-manifest.json"


@dataclass
class Manifest:
    folder: Path
    documents: dict[str, dict[str, object]] = field(default_factory=dict)
    file_hashes: dict[str, list[object]] = field(default_factory=dict)

    @classmethod
    def load(cls, folder: Path) -> Manifest:
        path = folder / MANIFEST_NAME
        try:
            raw = json.loads(path.read_text(encoding="utf-8"))
            return cls(folder, dict(raw.get("documents", {})), dict(raw.get("files", {})))
        except (OSError, ValueError, AttributeError):
            return cls(folder)  # no manifest yet, or a damaged one: everything is rebuilt

    def save(self) -> None:
        data = {"documents": dict(sorted(self.documents.items())),
                "files": dict(sorted(self.file_hashes.items()))}
        write_if_changed(self.folder / MANIFEST_NAME,
                         json.dumps(data, indent=1, ensure_ascii=False).encode())

    def file_hash(self, path: Path) -> str:
        """sha256 of a file, reusing the recorded one while its size and mtime are unchanged."""
        stat = path.stat()
        key = str(path.resolve())
        known = self.file_hashes.get(key)
        if known and known[0] == stat.st_size and known[1] == stat.st_mtime_ns:
            return str(known[2])
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
        self.file_hashes[key] = [stat.st_size, stat.st_mtime_ns, digest]
        return digest

    def fingerprint(self, inputs: list[Path], settings: str) -> str:
        """One hash over every input file's content and the settings that shape the output."""
        h = hashlib.sha256(settings.encode())
        for path in sorted(inputs):
            h.update(str(path).encode())
            h.update(self.file_hash(path).encode())
        return h.hexdigest()

    def is_current(self, name: str, fingerprint: str) -> bool:
        entry = self.documents.get(name)
        return bool(entry and entry.get("fingerprint") == fingerprint
                    and (self.folder / name).exists())

    def record(self, name: str, fingerprint: str, source: Path, extra: list[str]) -> None:
        self.documents[name] = {"fingerprint": fingerprint, "source": str(source),
                                "files": extra}
