"""The build manifest: which PDFs this tool made in an output folder, and from what.

A document is rebuilt only when the fingerprint of its inputs (content file, labels, brand,
pictures, fonts, logo, paper, the package version) differs from the one recorded when it was
made, or when a file it wrote (the PDF, its thumbnail) is no longer the size and sha256
recorded (emptied, edited, deleted). Inputs are known by the SHA-256 of their bytes: a file's
size and modification time say nothing (`cp -p`, `rsync -a` and two saves within one clock
tick keep both while the bytes change); a large one (a font) is hashed again only when its
identity, change time included, is not what it was (content/digests.py). Each document keeps
its identity (treatment, kind, language), so nothing parses file names back. Only files
listed here are ever deleted, so a file a person put in out/ is never touched. A manifest
that is not exactly this shape counts as none: a full rebuild, never a crash.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from handouts.content.digests import digest
from handouts.output.write import write_if_changed
from handouts.render.kinds import Kind

MANIFEST_NAME = ".handouts-manifest.json"
FORMAT = 3  # 2 kept each input's size and mtime: trusted, wrongly
#: About 1 KB per document is written; anything this big was not written by us.
MAX_MANIFEST_BYTES = 64 * 1024 * 1024


@dataclass
class Made:
    """One document as built: what it was made from, who it is, what it wrote."""

    fingerprint: str
    source: str  # the content file, absolute
    treatment: str
    kind: Kind
    lang: str
    #: every file written for it, relative to the output folder -> (size, sha256)
    outputs: dict[str, tuple[int, str]]

    def to_json(self) -> dict[str, object]:
        return {"fingerprint": self.fingerprint, "source": self.source,
                "treatment": self.treatment, "kind": self.kind.value, "lang": self.lang,
                "outputs": {k: list(v) for k, v in sorted(self.outputs.items())}}

    @classmethod
    def from_json(cls, raw: Any) -> Made:
        """Raises ValueError unless `raw` is exactly what `to_json` writes."""
        if not isinstance(raw, dict) or set(raw) != {"fingerprint", "source", "treatment",
                                                     "kind", "lang", "outputs"}:
            raise ValueError("not a document entry")
        fingerprint, source, treatment, kind, lang = (
            raw[k] for k in ("fingerprint", "source", "treatment", "kind", "lang"))
        outputs = raw["outputs"]
        if not all(isinstance(s, str) for s in (fingerprint, source, treatment, kind, lang)) \
                or not isinstance(outputs, dict):
            raise ValueError("not a document entry")
        where = Path(source)  # the content file its identity names, nothing else
        named = ("treatments", treatment) if treatment else ("labels",)  # a menu: labels
        if not where.is_absolute() or where.parts[-len(named) - 1:] != (*named, f"{lang}.yaml"):
            raise ValueError("not this document's source")
        checked: dict[str, tuple[int, str]] = {}
        for name, value in outputs.items():
            if not (isinstance(value, list) and len(value) == 2 and type(value[0]) is int
                    and isinstance(value[1], str)):
                raise ValueError("not an output entry")
            checked[name] = (value[0], value[1])
        return cls(fingerprint, source, treatment, Kind(kind), lang, checked)  # or ValueError


@dataclass
class Manifest:
    """What was built in `folder`; loaded afresh by each build (inputs are read once each)."""

    folder: Path
    documents: dict[str, Made] = field(default_factory=dict)
    #: input file -> sha256, read once per build (never saved: see the module's docstring)
    file_hashes: dict[Path, str] = field(default_factory=dict)

    @classmethod
    def load(cls, folder: Path) -> Manifest:
        path = folder / MANIFEST_NAME
        try:
            if path.stat().st_size > MAX_MANIFEST_BYTES:
                raise ValueError("far larger than any manifest this tool writes")
            raw = json.loads(path.read_text(encoding="utf-8"))
            if not isinstance(raw, dict) or raw.get("format") != FORMAT:
                raise ValueError("not a manifest of this version")
            documents = {str(name): Made.from_json(entry)
                         for name, entry in _mapping(raw.get("documents")).items()}
            return cls(folder, documents)
        except (OSError, ValueError, RecursionError):
            return cls(folder)  # no manifest yet, or a damaged one: everything is rebuilt

    def save(self) -> None:
        data = {"format": FORMAT,
                "documents": {k: v.to_json() for k, v in sorted(self.documents.items())}}
        write_if_changed(self.folder / MANIFEST_NAME,
                         json.dumps(data, indent=1, ensure_ascii=False).encode())

    def file_hash(self, path: Path) -> str:
        """sha256 of a file's bytes, read once per build however many documents use it."""
        if path not in self.file_hashes:
            self.file_hashes[path] = digest(path).hex()
        return self.file_hashes[path]

    def fingerprint(self, inputs: list[Path], settings: str) -> str:
        """One hash over every input file's content and the settings that shape the output."""
        h = hashlib.sha256(settings.encode())
        for path in sorted(inputs):
            h.update(str(path).encode())
            h.update(self.file_hash(path).encode())
        return h.hexdigest()

    def is_current(self, name: str, fingerprint: str) -> bool:
        """Made from these inputs, and every file it wrote is still exactly what was written."""
        entry = self.documents.get(name)
        return bool(entry and entry.fingerprint == fingerprint and name in entry.outputs
                    and all(_matches(self.folder / relative, size, digest)
                            for relative, (size, digest) in entry.outputs.items()))

    def record(self, name: str, fingerprint: str, source: Path, identity: tuple[str, Kind, str],
               outputs: list[str]) -> None:
        """Remember a document just written: `outputs` are its files, relative to the folder."""
        written = {}
        for relative in outputs:
            data = (self.folder / relative).read_bytes()
            written[relative] = (len(data), hashlib.sha256(data).hexdigest())
        treatment, kind, lang = identity
        self.documents[name] = Made(fingerprint, str(source), treatment, Kind(kind), lang,
                                    written)


def _mapping(value: object) -> dict[object, object]:
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise ValueError("not a mapping")
    return value


def _matches(path: Path, size: int, digest: str) -> bool:
    try:
        if not path.is_file() or path.stat().st_size != size:
            return False
        return hashlib.sha256(path.read_bytes()).hexdigest() == digest
    except OSError:
        return False
