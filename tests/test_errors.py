"""errors.py: which documents a problem holds back, and how a failure reads."""

from __future__ import annotations

from pathlib import Path

from handouts.errors import ContentError, Failure, LayoutError, Problem, Scope

PROBLEM = Problem(Path("data/brand.yaml"), 3, 5, "name: too long")


def test_a_problem_reads_as_file_line_column_message() -> None:
    assert str(PROBLEM) == "data/brand.yaml:3:5: name: too long"


def test_an_empty_scope_covers_every_document() -> None:
    assert Scope().covers("plantar-fasciitis", "en") and Scope().covers("hot-stone", "ja")


def test_a_language_scope_covers_only_that_language() -> None:
    scope = Scope(lang="vi")
    assert scope.covers("plantar-fasciitis", "vi") and not scope.covers("plantar-fasciitis", "en")


def test_a_document_scope_covers_only_that_treatment_in_that_language() -> None:
    scope = Scope("plantar-fasciitis", "en")
    assert [scope.covers(t, lang) for t, lang in [("plantar-fasciitis", "en"),
                                                  ("plantar-fasciitis", "vi"),
                                                  ("hot-stone", "en")]] == [True, False, False]


def test_problems_at_one_place_are_one_problem_whatever_they_hold_back() -> None:
    held = Problem(PROBLEM.path, 3, 5, PROBLEM.message, holds_back=Scope())
    assert ContentError([PROBLEM, held]).problems == [PROBLEM]


def test_a_content_error_fails_with_its_problems_sorted() -> None:
    later = Problem(Path("data/brand.yaml"), 9, 1, "tagline: empty")
    failure = Failure.of(ContentError([later, PROBLEM]))
    assert failure == Failure((PROBLEM, later))
    assert failure.lines() == [str(PROBLEM), str(later)]


def test_an_error_with_no_place_fails_with_its_message() -> None:
    failure = Failure.of(LayoutError("does not fit 2 pages of A4"))
    assert failure.problems == () and str(failure) == "does not fit 2 pages of A4"
