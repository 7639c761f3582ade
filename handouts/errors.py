"""One error tree: the package raises these; only the CLI turns them into messages and exits."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with the content, pointing at the place a staff member must edit."""

    path: Path
    line: int
    column: int
    message: str
    lang: str = ""  # set when only that language's documents are affected

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.column}: {self.message}"


class HandoutsError(Exception):
    """Base of every error the tool reports to its user."""


class ContentError(HandoutsError):
    """The content in data/ is wrong; carries every problem found, not just the first."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = sorted(set(problems))
        super().__init__("\n".join(str(p) for p in self.problems))


class LayoutError(HandoutsError):
    """The content is valid but does not fit the page within the print-quality floors."""


class OutputError(HandoutsError):
    """A file could not be written where the user asked."""
