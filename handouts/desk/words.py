"""The desk's own words and the spa's staff, both kept in data/ like everything else.

The words staff read on the desk live in data/labels/desk/<lang>.yaml (a folder of their
own: the documents' labels files are translated and locked per key, the desk's are not
yet); a language without its file, or missing a word, reads the English one. The
therapists offered on a client's sheet are data/staff.yaml's `therapists:` list.
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


def words_file(data_dir: Path, lang: str) -> Path:
    return data_dir / "labels" / "desk" / f"{lang}.yaml"


def desk_words(data_dir: Path, lang: str = SOURCE_LANGUAGE) -> dict[str, str]:
    """The desk's words in `lang`, English where `lang` has none; raises ContentError when
    a file is wrong, at its line."""
    words = dict(load_file(words_file(data_dir, SOURCE_LANGUAGE), DeskWords)[0].root)
    own = words_file(data_dir, lang)
    if lang != SOURCE_LANGUAGE and own.is_file():
        words.update(load_file(own, DeskWords)[0].root)
    return words


def therapists(data_dir: Path) -> list[str]:
    """The therapists in data/staff.yaml, in its order; none when the file is absent."""
    path = data_dir / "staff.yaml"
    if not path.is_file():
        return []
    return list(load_file(path, Staff)[0].therapists)
