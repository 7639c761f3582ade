"""The desk's own words and the spa's staff.

The words staff read on the desk are the tool's, not the spa's content: the English ones
ship in the package (words.yaml beside this module), so a data folder made before the desk
existed opens it too. A spa may reword them in data/labels/desk/en.yaml or add a language
there (data/labels/desk/<lang>.yaml: a folder of its own, as the documents' labels files
are translated and locked per key and the desk's are not yet); each word such a file lacks
is the English one. The therapists offered on a client's sheet are data/staff.yaml's
`therapists:` list.
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


def therapists(data_dir: Path) -> list[str]:
    """The therapists in data/staff.yaml, in its order; none when the file is absent."""
    path = data_dir / "staff.yaml"
    if not path.is_file():
        return []
    return list(load_file(path, Staff)[0].therapists)
