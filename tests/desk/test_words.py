"""desk/words.py: the desk's words and the spa's therapists, kept in data/."""

from __future__ import annotations

import subprocess
from collections.abc import Callable
from pathlib import Path

from handouts.desk.words import desk_words, therapists


def test_a_language_without_a_word_shows_it_in_english(project: Path) -> None:
    (project / "data" / "labels" / "desk" / "vi.yaml").write_text("today: Hôm nay\n",
                                                                  encoding="utf-8")
    words = desk_words(project / "data", "vi")
    assert words["today"] == "Hôm nay"
    assert words["print_day"] == "Print the day"
    assert desk_words(project / "data", "ko")["today"] == "Today"  # no file at all


def test_therapists_come_from_staff_yaml_in_its_order(project: Path) -> None:
    assert therapists(project / "data") == ["Linh", "Trang", "Mai"]
    (project / "data" / "staff.yaml").unlink()
    assert therapists(project / "data") == []


def test_a_mistake_in_the_desks_words_stops_the_desk_at_its_line(
        project: Path, run: Callable[..., subprocess.CompletedProcess[str]]) -> None:
    words = project / "data" / "labels" / "desk" / "en.yaml"
    words.write_text(words.read_text(encoding="utf-8") + "today:\n  - a list\n",
                     encoding="utf-8")
    result = run("desk", "--no-browser", "--port", "1")
    assert result.returncode == 1
    assert result.stderr.startswith("data/labels/desk/en.yaml:")
    assert "Traceback" not in result.stderr
