"""Paper and document sizes, by name: the CLI's strings become these at the edge."""

from __future__ import annotations

from enum import Enum

from reportlab.lib.pagesizes import A4, A5, A6, letter


class Size(str, Enum):
    """A trim size a document is made at (its value is the CLI's spelling)."""

    A4 = "a4"
    A5 = "a5"
    A6 = "a6"
    LETTER = "letter"
    HALF_LETTER = "half-letter"

    def __str__(self) -> str:
        return self.value

    def __format__(self, spec: str) -> str:
        return format(self.value, spec)

    @property
    def page_name(self) -> str:
        """The name printed in messages and set in the PDF: "A4", "Half Letter"."""
        return _TITLES[self]

    @property
    def dimensions(self) -> tuple[float, float]:
        """Width and height in points, portrait."""
        return _DIMENSIONS[self]

    @property
    def sheet(self) -> tuple[float, float]:
        """The sheet copies are imposed on: A sizes on A4, US sizes on US Letter."""
        return _SHEETS[self]


_TITLES = {Size.A4: "A4", Size.A5: "A5", Size.A6: "A6", Size.LETTER: "Letter",
           Size.HALF_LETTER: "Half Letter"}
_DIMENSIONS: dict[Size, tuple[float, float]] = {
    Size.A4: A4, Size.A5: A5, Size.A6: A6, Size.LETTER: letter,
    Size.HALF_LETTER: (letter[1] / 2, letter[0])}
_SHEETS: dict[Size, tuple[float, float]] = {
    Size.A4: A4, Size.A5: A4, Size.A6: A4, Size.LETTER: letter, Size.HALF_LETTER: letter}
