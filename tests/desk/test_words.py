"""desk/words.py: the desk's words and the spa's therapists, kept in data/."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

from starlette.testclient import TestClient

from handouts.desk.app import create_app
from handouts.desk.words import desk_words, therapists
from tests.desk.conftest import TODAY


def test_a_language_without_a_word_shows_it_in_english(project: Path) -> None:
    (project / "data" / "labels" / "desk").mkdir(parents=True, exist_ok=True)
    (project / "data" / "labels" / "desk" / "vi.yaml").write_text("today: Hôm nay\n",
                                                                  encoding="utf-8")
    (project / "data" / "labels" / "desk" / "en.yaml").write_text("sent: Emailed\n",
                                                                  encoding="utf-8")
    words = desk_words(project / "data", "vi")
    assert words["today"] == "Hôm nay"
    assert words["print_day"] == "Print the day"
    assert words["sent"] == "Emailed"  # the spa's English over the shipped one
    assert desk_words(project / "data")["sent"] == "Emailed"
    assert desk_words(project / "data", "ko")["today"] == "Today"  # no file at all


def test_therapists_come_from_staff_yaml_in_its_order(project: Path) -> None:
    assert therapists(project / "data") == ["Linh", "Trang", "Mai"]
    (project / "data" / "staff.yaml").unlink()
    assert therapists(project / "data") == []


def test_a_mistake_in_the_desks_words_stops_the_desk_at_its_line(
        project: Path, run: Callable[..., subprocess.CompletedProcess[str]]) -> None:
    words = project / "data" / "labels" / "desk" / "en.yaml"
    words.parent.mkdir(parents=True, exist_ok=True)
    words.write_text("sent: Emailed\ntoday:\n  - a list\n", encoding="utf-8")
    result = run("desk", "--no-browser", "--port", "1")
    assert result.returncode == 1
    assert result.stderr.startswith("data/labels/desk/en.yaml:")
    assert "Traceback" not in result.stderr


def test_a_data_folder_without_the_desks_words_still_opens_today(project: Path) -> None:
    """The desk's words are the tool's: a spa's data/ made before the desk has none."""
    shutil.rmtree(project / "data" / "labels" / "desk", ignore_errors=True)
    app = create_app(project / "data", project / "fonts", today=lambda: TODAY)
    with TestClient(app, base_url="http://127.0.0.1") as client:
        page = client.get("/today")
    assert page.status_code == 200
    assert "<h1>Appointments for March 4, 2030</h1>" in page.text


def test_dates_are_written_as_the_staffs_language_writes_them(client: TestClient,
                                                              project: Path) -> None:
    staff = project / "data" / "staff.yaml"
    staff.write_text(staff.read_text(encoding="utf-8") + "language: ko\n", encoding="utf-8")
    assert "2030년 3월 4일" in client.get("/today").text
