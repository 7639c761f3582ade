"""The desk's own words and the spa's staff.

The words staff read on the desk are the tool's, not the spa's content: the English ones
ship in the package (words.yaml beside this module), so a data folder made before the desk
existed opens it too. A spa may reword them in data/labels/desk/en.yaml or add a language
there (data/labels/desk/<lang>.yaml: a folder of its own, as the documents' labels files
are translated and locked per key and the desk's are not yet); each word such a file lacks
is the English one. The therapists offered on a client's sheet are data/staff.yaml's
`therapists:` list; its `bookings_csv:` names the booking system's export that Today
follows (a path set by whoever sets up the spa's PC, never typed into a page).
"""

from __future__ import annotations

from pathlib import Path

from pydantic import ConfigDict, Field, RootModel

from handouts.content.load import SOURCE_LANGUAGE, load_file
from handouts.content.models import Model


class DeskWords(RootModel[dict[str, str]]):
    """Every word the desk shows, by key (`today: Today`)."""

    model_config = ConfigDict(frozen=True)


class Staff(Model):
    """Who works at the spa, for the desk's lists."""

    therapists: list[str] = Field(default_factory=list, max_length=200)
    bookings_csv: str | None = Field(None, min_length=1, max_length=1000)
    language: str = Field(SOURCE_LANGUAGE, min_length=2, max_length=20)


#: The English words, shipped with the tool.
SHIPPED_WORDS = Path(__file__).with_name("words.yaml")


def words_file(data_dir: Path, lang: str) -> Path:
    return data_dir / "labels" / "desk" / f"{lang}.yaml"


def desk_words(data_dir: Path, lang: str = SOURCE_LANGUAGE) -> dict[str, str]:
    """The desk's words in `lang`: the spa's own where data/ has them, word by word, else
    the shipped English; raises ContentError when a spa's file is wrong, at its line."""
    words = dict(load_file(SHIPPED_WORDS, DeskWords)[0].root)
    for own in dict.fromkeys((words_file(data_dir, SOURCE_LANGUAGE), words_file(data_dir, lang))):
        if own.is_file():
            words.update(load_file(own, DeskWords)[0].root)
    return words


def _staff(data_dir: Path) -> Staff:
    path = data_dir / "staff.yaml"
    if not path.is_file():
        return Staff(bookings_csv=None, language=SOURCE_LANGUAGE)
    return load_file(path, Staff)[0]


def therapists(data_dir: Path) -> list[str]:
    """The therapists in data/staff.yaml, in its order; none when the file is absent."""
    return list(_staff(data_dir).therapists)


def staff_language(data_dir: Path) -> str:
    """The language the desk speaks to staff (data/staff.yaml's `language:`, else
    English): its words, and how its dates and times are written."""
    return _staff(data_dir).language


def bookings_csv(data_dir: Path) -> Path | None:
    """The booking system's export Today follows (data/staff.yaml's `bookings_csv:`,
    relative to data/ unless absolute), or None."""
    named = _staff(data_dir).bookings_csv
    return data_dir / Path(named).expanduser() if named else None
