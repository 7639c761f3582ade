"""One error tree and the values problems travel as: the package raises and returns these;
only the CLI turns them into messages and exit codes."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True)
class Scope:
    """The documents a problem holds back: `treatment`'s (every treatment's when None) in
    `lang` (every language when None)."""

    treatment: str | None = None
    lang: str | None = None

    def covers(self, treatment: str, lang: str) -> bool:
        return self.treatment in (None, treatment) and self.lang in (None, lang)


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with the content, pointing at the place a staff member must edit."""

    path: Path
    line: int
    column: int
    message: str
    lang: str = ""  # set when only that language's documents are affected
    #: What it stops being made; None when it is reported but holds back no document itself
    #: (a misnamed folder, a translation gap).
    holds_back: Scope | None = field(default=None, compare=False)
    #: Work still to do rather than a mistake (a placeholder, a translation to check): `build`
    #: makes what is complete and names it; `validate` and `build --strict` fail on it.
    unfinished: bool = field(default=False, compare=False)

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.column}: {self.message}"


@dataclass(frozen=True)
class Failure:
    """Why one thing (a document, a sheet, an email) was not made: the content problems at
    their place, or a message where no line of a file is to blame (a page that cannot fit,
    a refused recipient)."""

    problems: tuple[Problem, ...] = ()
    message: str = ""

    @classmethod
    def of(cls, error: HandoutsError) -> Failure:
        if isinstance(error, ContentError):
            return cls(tuple(error.problems))
        return cls(message=str(error))

    def lines(self) -> list[str]:
        return [str(p) for p in self.problems] + ([self.message] if self.message else [])

    def __str__(self) -> str:
        return "\n".join(self.lines())


class HandoutsError(Exception):
    """Base of every error the tool reports to its user."""


class ContentError(HandoutsError):
    """The content in data/ is wrong; carries every problem found, not just the first."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = sorted(set(problems))
        super().__init__("\n".join(str(p) for p in self.problems))


class LayoutError(HandoutsError):
    """The content is valid but does not fit the page within the print-quality floors.

    `overflow_mm` is how much would have to go, when it was measured; `section` is the
    content key of the section that overflows (e.g. `intro`, `home_care.stretches`), when
    known, so the problem can be shown at its line.
    """

    def __init__(self, message: str, overflow_mm: int | None = None,
                 section: str = "") -> None:
        super().__init__(message)
        self.overflow_mm = overflow_mm
        self.section = section


class OutputError(HandoutsError):
    """A file could not be written where the user asked."""


class MailError(HandoutsError):
    """SMTP is not configured, or the server cannot be reached."""


class LedgerError(HandoutsError):
    """The ledger (what was sent, the day's appointments) cannot be opened, read or written."""
