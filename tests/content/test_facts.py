"""content/facts.py: a treatment's facts written once in facts.yaml, its words in each
language file, joined by id; a fact in a language file is refused at its line."""

from __future__ import annotations

import re
import subprocess
from collections.abc import Callable
from pathlib import Path

from tests.editing import edit, line_of
from tests.pdf_reading import text

Run = Callable[..., subprocess.CompletedProcess[str]]

TREATMENT = Path("data/treatments/plantar-fasciitis")
LANGUAGES = ("en", "ja", "ko", "vi")


def _amounts(pdf: Path) -> set[int]:
    """Every grouped amount (450,000 / 450.000 / 450 000) printed in a PDF, as a number."""
    grouped = re.findall(r"\d{1,3}(?:[.,\s\u00a0\u202f]\d{3})+", text(pdf))
    return {int(re.sub(r"\D", "", amount)) for amount in grouped}


def test_a_price_changed_once_in_the_facts_shows_in_every_language(project: Path,
                                                                   facts_yaml: Path,
                                                                   run: Run) -> None:
    first = run("build")
    assert first.returncode == 0, first.stderr
    edit(facts_yaml, "price: 450000", "price: 490000")
    again = run("build")
    assert again.returncode == 0, again.stderr
    for lang in LANGUAGES:
        printed = _amounts(project / "out" / f"plantar-fasciitis-flyer-{lang}.pdf")
        assert 490000 in printed and 450000 not in printed, (lang, printed)


def test_a_language_file_setting_a_price_is_refused_at_its_line(project: Path,
                                                                run: Run) -> None:
    vi = project / TREATMENT / "vi.yaml"
    edit(vi, "\nintro:", "\nprice: 500000\nintro:")
    result = run("validate")
    assert result.returncode == 1
    assert f"{TREATMENT / 'vi.yaml'}:{line_of(vi, 'price: 500000')}:1: price is a fact kept " \
           "once in facts.yaml; a language file holds only words" in result.stderr.splitlines()


def test_an_unknown_step_id_in_a_translation_is_named_at_its_line(project: Path,
                                                                  run: Run) -> None:
    vi = project / TREATMENT / "vi.yaml"
    edit(vi, "id: warm-up", "id: warm-upp")
    result = run("validate")
    assert result.returncode == 1
    lines = result.stderr.splitlines()
    facts = project / TREATMENT / "facts.yaml"
    assert f"{TREATMENT / 'vi.yaml'}:{line_of(vi, 'id: warm-upp')}:5: steps: " \
           f"no 'warm-upp' in facts.yaml:{line_of(facts, 'steps:')} (it lists " \
           "warm-up, pressure, kneading, stretching, cool-down)" in lines
    # and the step the translation now lacks, by name, where its facts are
    assert f"{TREATMENT / 'facts.yaml'}:{line_of(facts, 'id: warm-up')}:5: " \
           "steps: 'warm-up' has no words in vi.yaml: add an item with " \
           "id: warm-up there" in lines


def test_a_fact_item_without_english_words_and_words_in_the_facts_are_each_named(
        project: Path, run: Run) -> None:
    facts = project / TREATMENT / "facts.yaml"
    edit(facts, "  - id: cool-down\n", "  - id: rest\n    image: art/icons/step-cool-down.svg\n"
                                       "  - id: cool-down\n")
    edit(facts, "price: 450000\n", "price: 450000\nheadline: Sore feet?\n")
    result = run("validate")
    assert result.returncode == 1
    lines = result.stderr.splitlines()
    assert f"{TREATMENT / 'facts.yaml'}:{line_of(facts, 'headline:')}:1: headline is words, " \
           "written in each language's file (en.yaml, vi.yaml, ...); facts.yaml holds only " \
           "what is the same in every language" in lines
    edit(facts, "headline: Sore feet?\n", "")
    lines = run("validate").stderr.splitlines()
    assert f"{TREATMENT / 'facts.yaml'}:{line_of(facts, 'id: rest')}:5: steps: 'rest' has no " \
           "words in en.yaml: add an item with id: rest there" in lines


def test_a_drawing_without_its_description_is_refused_at_the_words_line(project: Path,
                                                                        run: Run) -> None:
    vi = project / "data" / "exercises" / "towel-stretch" / "vi.yaml"
    words = vi.read_text(encoding="utf-8")  # the towel stretch's description taken out
    vi.write_text(words[:words.index("alt: >-")], encoding="utf-8")
    ko = project / TREATMENT / "ko.yaml"  # and the flyer's (hero_alt ends the file)
    ko.write_text(ko.read_text(encoding="utf-8").split("\n  hero_alt:")[0] + "\n",
                  encoding="utf-8")
    result = run("validate")
    assert result.returncode == 1
    lines = result.stderr.splitlines()
    assert f"{vi.relative_to(project)}:{line_of(vi, 'name:')}:1: " \
           "the picture art/illustrations/towel-stretch.svg " \
           "needs a description: add alt: saying in a sentence what it shows, in this file's " \
           "language (screen readers read it aloud in the picture's place)" in lines, lines
    assert f"{TREATMENT / 'ko.yaml'}:{line_of(ko, 'flyer:')}:1: flyer: the picture " \
           "art/illustrations/hero-foot-massage.svg needs a description: add hero_alt: " \
           "saying in a sentence what it shows, in this file's language (screen readers read " \
           "it aloud in the picture's place)" in lines, lines
