"""content/translations.py: a translation's keys compared with English, at its own lines."""

from __future__ import annotations

import subprocess
from collections.abc import Callable
from pathlib import Path

from handouts.content.translations import LOCK, key_differences
from handouts.content.yaml_source import read_yaml
from tests.editing import edit, line_of

Run = Callable[..., subprocess.CompletedProcess[str]]


def _doc(tmp_path: Path, name: str, text: str):  # type: ignore[no-untyped-def]
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return read_yaml(path)


def test_the_same_keys_are_no_difference(tmp_path: Path) -> None:
    en = _doc(tmp_path, "en.yaml", "name: Foot\nheadline: Rest\n")
    vi = _doc(tmp_path, "vi.yaml", "name: Chân\nheadline: Rest\n")
    assert key_differences(vi, en) == []


def test_a_key_english_has_is_missing_at_the_translation_s_parent(tmp_path: Path) -> None:
    en = _doc(tmp_path, "en.yaml", "name: Foot\nheadline: Rest\n")
    vi = _doc(tmp_path, "vi.yaml", "name: Chân\n")
    assert [str(p) for p in key_differences(vi, en)] == [
        f"{vi.path}:1:1: missing key 'headline' (present in {en.path}:2)"]


def test_a_key_english_lacks_is_extra_at_its_own_line(tmp_path: Path) -> None:
    en = _doc(tmp_path, "en.yaml", "name: Foot\n")
    vi = _doc(tmp_path, "vi.yaml", "name: Chân\nheadline: Rest\n")
    assert [str(p) for p in key_differences(vi, en)] == [
        f"{vi.path}:2:1: extra key 'headline' not in {en.path}"]


def test_a_nested_key_is_named_by_its_whole_path_at_its_parent(tmp_path: Path) -> None:
    en = _doc(tmp_path, "en.yaml", "flyer:\n  headline: A\n  pitch: Rest\n")
    vi = _doc(tmp_path, "vi.yaml", "flyer:\n  headline: A\n")
    assert [str(p) for p in key_differences(vi, en)] == [
        f"{vi.path}:1:1: missing key 'flyer.pitch' (present in {en.path}:3)"]


def test_a_key_missing_inside_a_list_item_is_named_at_that_item(tmp_path: Path) -> None:
    en = _doc(tmp_path, "en.yaml",
              "steps:\n  - title: Warm-up\n    image: a.svg\n  - title: Press\n")
    vi = _doc(tmp_path, "vi.yaml", "steps:\n  - title: Làm ấm\n  - title: Ấn\n")
    assert [str(p) for p in key_differences(vi, en)] == [
        f"{vi.path}:2:5: missing key 'steps[0].image' (present in {en.path}:3)"]


def test_an_item_english_has_is_missing_at_the_list(tmp_path: Path) -> None:
    en = _doc(tmp_path, "en.yaml", "steps:\n  - title: Warm-up\n  - title: Press\n")
    vi = _doc(tmp_path, "vi.yaml", "steps:\n  - title: Làm ấm\n")
    assert [str(p) for p in key_differences(vi, en)] == [
        f"{vi.path}:1:1: missing key 'steps[1]' (present in {en.path}:3)"]


def test_a_plain_list_item_english_has_is_missing(tmp_path: Path) -> None:
    en = _doc(tmp_path, "en.yaml", "see_doctor:\n  - severe pain\n  - numbness\n")
    vi = _doc(tmp_path, "vi.yaml", "see_doctor:\n  - đau dữ dội\n")
    assert [str(p) for p in key_differences(vi, en)] == [
        f"{vi.path}:1:1: missing key 'see_doctor[1]' (present in {en.path}:3)"]


# -- provenance: translations that know which English they were made from (issue 20, item 3)

TREATMENT = Path("data/treatments/plantar-fasciitis")


def _step_lines(project: Path) -> dict[str, int]:
    """The line of the first step's title in each translation."""
    files = {lang: project / TREATMENT / f"{lang}.yaml" for lang in ("vi", "ko", "ja")}
    return {lang: line_of(path, f"title: {_first_step_title(path)}")
            for lang, path in files.items()}


def _first_step_title(path: Path) -> str:
    return str(read_yaml(path).data["steps"][0]["title"])


#: The shipped exercise library, whose translations `handouts translated` confirms too.
EXERCISES = ("arch-roll", "doorway-chest-stretch", "shoulder-blade-squeeze", "side-neck-stretch",
             "towel-stretch", "wall-calf-stretch")


def test_an_edited_english_step_is_reported_in_every_translation_until_confirmed(
        project: Path, run: Run) -> None:
    assert run("validate").returncode == 0  # the shipped lock says all is up to date
    lines = _step_lines(project)
    english = project / TREATMENT / "en.yaml"
    edit(english, f"title: {_first_step_title(english)}", "title: Warm stones on the arch")
    checked = run("validate")
    assert checked.returncode == 1
    title_line = line_of(english, "title: Warm stones on the arch")
    expected = [f"{TREATMENT}/{lang}.yaml:{lines[lang]}:5: may be out of date: "
                f'en.yaml:{title_line} now says "Warm stones on the arch"'
                for lang in ("ja", "ko", "vi")]
    assert checked.stderr.splitlines() == [*expected, "3 problem(s) found"]

    confirmed = run("translated", "plantar-fasciitis", "--lang", "vi")
    assert confirmed.returncode == 0, confirmed.stderr
    assert confirmed.stdout == "plantar-fasciitis: confirmed vi\n"
    assert run("validate").stderr.splitlines() == [*expected[:2], "2 problem(s) found"]

    korean = project / TREATMENT / "ko.yaml"
    edit(korean, f"title: {_first_step_title(korean)}", "title: 따뜻한 돌로 발바닥 풀기")
    assert run("validate").stderr.splitlines() == [expected[0], "1 problem(s) found"]

    assert run("translated").stdout == ("labels: confirmed ja, ko, vi\n"
                                        "hot-stone-massage: confirmed ja, ko, vi\n"
                                        "neck-shoulder-massage: confirmed ja, ko, vi\n"
                                        "plantar-fasciitis: confirmed ja, ko, vi\n"
                                        + "".join(f"{exercise}: confirmed ja, ko, vi\n"
                                                  for exercise in EXERCISES))
    assert run("validate").returncode == 0


def test_a_damaged_lock_is_named_not_a_traceback(project: Path, run: Run) -> None:
    (project / TREATMENT / LOCK).write_text("<<<<<<< HEAD\n", encoding="utf-8")
    checked = run("validate")
    assert checked.returncode == 1 and "Traceback" not in checked.stderr
    assert checked.stderr.splitlines()[0].startswith(f"{TREATMENT / LOCK}:1:1: this record")


def test_a_changed_english_label_is_reported_in_each_language(project: Path, run: Run) -> None:
    labels = Path("data/labels")
    edit(project / labels / "en.yaml", "aftercare: Aftercare guide", "aftercare: Aftercare sheet")
    checked = run("validate")
    assert checked.returncode == 1
    assert [line.split(": may be out of date")[0] for line in checked.stderr.splitlines()[:-1]] \
        == [f"{labels}/{lang}.yaml:{line_of(project / labels / f'{lang}.yaml', 'aftercare:')}:1"
            for lang in ("ja", "ko", "vi")]
    assert run("build").stdout.splitlines()[-2] == "labels: 3 translated texts may be out of date"
