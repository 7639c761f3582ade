"""Prices and dates written each language's way by CLDR (Babel), read back from real PDFs."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.editing import edit, line_of
from tests.pdf_reading import squashed, text

Run = Callable[..., subprocess.CompletedProcess[str]]


def _printed(pdf: Path) -> str:
    """The PDF's text with no-break spaces read as spaces."""
    return text(pdf).replace("\xa0", " ")


@pytest.mark.parametrize(("lang", "price"), [
    ("en", "₫450,000"), ("vi", "450.000 ₫"), ("ko", "₫450,000"), ("ja", "₫450,000"),
])
def test_a_flyer_s_price_is_written_by_cldr_in_the_brand_s_currency(
        lang: str, price: str, shipped_out: Path) -> None:
    assert price in _printed(shipped_out / f"plantar-fasciitis-flyer-{lang}.pdf")


@pytest.mark.parametrize(("lang", "written"), [
    ("en", "November 24, 2099"),  # CLDR's long date
    ("vi", "ngày 24 tháng 11 năm 2099"),  # vi.yaml's own date pattern, CLDR's month name
    ("ko", "2099년 11월 24일"), ("ja", "2099年11月24日"),
])
def test_a_sheet_s_date_is_written_by_cldr_or_the_language_s_own_pattern(
        lang: str, written: str, project: Path, run: Run) -> None:
    result = run("aftercare", "plantar-fasciitis", "--client", "Emma", "--lang", lang,
                 "--date", "2099-11-24", "-o", "sheet.pdf")
    assert result.returncode == 0, result.stderr
    assert squashed(written) in squashed(_printed(project / "sheet.pdf"))


def test_a_new_language_needs_no_month_names_or_currency_words(project: Path,
                                                               run: Run) -> None:
    """French labels written with no date, month or price lines print CLDR's French."""
    data = project / "data"
    shutil.copy(data / "labels" / "en.yaml", data / "labels" / "fr.yaml")
    edit(data / "labels" / "fr.yaml", "language: English", "language: Français")
    treatment = data / "treatments" / "plantar-fasciitis"
    shutil.copy(treatment / "en.yaml", treatment / "fr.yaml")
    for exercise in (data / "exercises").iterdir():  # and the exercises it gives
        shutil.copy(exercise / "en.yaml", exercise / "fr.yaml")
    for key in ("tagline", "disclaimer"):
        edit(data / "brand.yaml", f"{key}:\n", f"{key}:\n  fr: Texte en français\n")
    assert "months" not in (data / "labels" / "fr.yaml").read_text(encoding="utf-8")

    result = run("aftercare", "plantar-fasciitis", "--client", "Emma", "--lang", "fr",
                 "--date", "2099-11-24", "-o", "sheet.pdf")
    assert result.returncode == 0, result.stderr
    assert "24 novembre 2099" in _printed(project / "sheet.pdf")
    result = run("flyer", "plantar-fasciitis", "--lang", "fr", "-o", "flyer.pdf")
    assert result.returncode == 0, result.stderr
    assert "450 000 ₫" in _printed(project / "flyer.pdf").replace("\u202f", " ")


def test_a_labels_file_may_still_write_dates_and_prices_its_own_way(project: Path,
                                                                     run: Run) -> None:
    labels = project / "data" / "labels" / "en.yaml"
    edit(labels, "\npersonal:", '\ndate: "{day} {month} {year}"\n'
                                 'price: "{amount} {currency}"\npersonal:')
    for lang in ("vi", "ko", "ja"):  # each language writes its own; English's is not missed
        edit(project / "data" / "labels" / f"{lang}.yaml", "\npersonal:",
             '\nprice: "{amount} {currency}"\npersonal:')
    result = run("validate")
    assert result.returncode == 0, result.stderr
    result = run("aftercare", "plantar-fasciitis", "--client", "Emma", "--date", "2099-11-24",
                 "-o", "sheet.pdf")
    assert result.returncode == 0, result.stderr
    assert "24 November 2099" in _printed(project / "sheet.pdf")
    result = run("flyer", "plantar-fasciitis", "-o", "flyer.pdf")
    assert result.returncode == 0, result.stderr
    assert "450,000 VND" in _printed(project / "flyer.pdf")


def test_an_old_labels_file_with_month_names_is_told_what_to_delete(project: Path,
                                                                    run: Run) -> None:
    labels = project / "data" / "labels" / "ko.yaml"
    edit(labels, "\npersonal:", "\nmonths: [1월, 2월, 3월, 4월, 5월, 6월, 7월, 8월, 9월, 10월, "
                                "11월, 12월]\nthousands_separator: \",\"\npersonal:")
    result = run("validate")
    assert result.returncode == 1
    assert (f"data/labels/ko.yaml:{line_of(labels, 'months:')}:1: months: no longer needed: "
            "month names come from CLDR, the Unicode locale data; delete this line"
            ) in result.stderr, result.stderr
    assert (f"data/labels/ko.yaml:{line_of(labels, 'thousands_separator:')}:1: "
            "thousands_separator: no longer needed: numbers are grouped as CLDR, the Unicode "
            "locale data, groups them in this language; delete this line") in result.stderr
    assert "Traceback" not in result.stderr


def test_a_labels_file_for_a_language_cldr_does_not_know_is_refused(project: Path,
                                                                     run: Run) -> None:
    shutil.copy(project / "data" / "labels" / "en.yaml", project / "data" / "labels" / "xq.yaml")
    result = run("validate")
    assert result.returncode == 1
    assert ("data/labels/xq.yaml:1:1: CLDR, the Unicode locale data, has no language 'xq' to "
            "write dates and prices in: name the file by a language code such as vi or pt-BR"
            ) in result.stderr.splitlines(), result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize(("lang", "when"), [
    ("en", "December 9, 2099, 3:00 PM"), ("vi", "15:00 ngày 9 tháng 12 năm 2099"),
    ("ko", "2099년 12월 9일 오후 3:00"), ("ja", "2099年12月9日 15:00"),
])
def test_a_next_visit_s_time_is_printed_the_language_s_way(lang: str, when: str,
                                                           project: Path, run: Run) -> None:
    """The day and the hour as CLDR joins them (a Vietnamese reader sees the hour first);
    each stays whole, a line may break between them."""
    result = run("aftercare", "plantar-fasciitis", "--client", "Mai", "--lang", lang,
                 "--date", "2099-11-24", "--next-visit", "2099-12-09 15:00", "-o", "sheet.pdf")
    assert result.returncode == 0, result.stderr
    assert when in " ".join(_printed(project / "sheet.pdf").split())
