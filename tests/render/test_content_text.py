"""Content text prints literally: markup characters never reach ReportLab, no input crashes."""

from __future__ import annotations

import json
import re
import shutil
import tempfile
import unicodedata
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from handouts.catalogue.checks import glyph_check
from handouts.catalogue.document import render_job
from handouts.catalogue.plan import Job
from handouts.content.load import load_library
from handouts.errors import ContentError, LayoutError
from handouts.render.inline import plain, to_markup
from tests.conftest import SHIPPED_DATA, SHIPPED_FONTS
from tests.editing import edit
from tests.pdf_reading import squashed, text

JOB = Job("plantar-fasciitis", "aftercare", "en")
LIBRARY = load_library(SHIPPED_DATA, SHIPPED_FONTS)
STEP = "    text: Soothing strokes gently warm the whole foot.\n"


def render_with_step_text(data_dir: Path, value: str) -> Path:
    """Put `value` into the first step's text, build, and return the PDF path."""
    en = data_dir / "treatments" / "plantar-fasciitis" / "en.yaml"
    edit(en, STEP, f"    text: {json.dumps(value)}\n")
    library = load_library(data_dir, SHIPPED_FONTS)
    if library.problems:
        raise ContentError(library.problems)
    problems = glyph_check(library, JOB)
    if problems:
        raise ContentError(problems)
    out = data_dir.parent / "doc.pdf"
    out.write_bytes(render_job(library, JOB))
    return out


def test_markup_characters_print_as_typed(project: Path) -> None:
    hostile = 'R&D <b>not bold</b> <img src="x"/> a<b <link href="javascript:x">&amp;'
    pdf = render_with_step_text(project / "data", hostile)
    assert squashed(hostile) in squashed(text(pdf))


def test_emphasis_is_bold_and_italic_not_asterisks() -> None:
    assert to_markup("press **gently** and *slowly*, 5 * 3") == (
        "press <b>gently</b> and <i>slowly</i>, 5 * 3")
    assert plain("press **gently**") == "press gently"


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(value=st.text(st.characters(exclude_categories=("Cs", "Cc", "Co", "Cn")),
                     min_size=1, max_size=120))
@example(value="@0000\xad¼ÅØÛåëþēěĦ")  # the line breaks at the soft hyphen: "@0000-"
def test_any_text_gives_a_correct_pdf_or_a_clear_error(value: str) -> None:
    with tempfile.TemporaryDirectory() as scratch:
        data_dir = Path(scratch) / "data"
        shutil.copytree(SHIPPED_DATA, data_dir)
        try:
            pdf = render_with_step_text(data_dir, value)
        except ContentError as exc:
            assert exc.problems and all(p.line >= 1 for p in exc.problems)
            assert all(str(p).startswith(str(p.path)) for p in exc.problems)
            return
        except LayoutError as exc:  # text too long for the handout's two pages
            assert "does not fit 2 pages of A4" in str(exc) and "overflows by" in str(exc)
            return
        expected = plain(" ".join(unicodedata.normalize("NFC", value).split()))
        assert reads(expected, text(pdf))


def visible(value: str) -> str:
    """What a reader sees: no whitespace, no invisible format characters (soft hyphens)."""
    return "".join(c for c in squashed(value) if unicodedata.category(c) != "Cf")


def reads(typed: str, printed: str) -> bool:
    """Whether `printed` (a PDF's text) shows `typed` as a reader sees it: a soft hyphen is
    invisible, or a hyphen where the line breaks at it."""
    return re.search("-?".join(re.escape(visible(part)) for part in typed.split("\xad")),
                     visible(printed)) is not None


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(name=st.text(st.characters(exclude_categories=("Cs", "Cc", "Co", "Cn")),
                    min_size=1, max_size=80))
@example(name="𧜣")  # beyond U+FFFF: copied and searched as itself, not lost in the CMap
def test_any_client_name_gives_a_correct_sheet_or_a_clear_error(name: str) -> None:
    import datetime as dt

    from pydantic import ValidationError

    from handouts.catalogue.sheets import make_sheet
    from handouts.content.appointments import Visit

    try:
        visit = Visit(client=name, date=dt.date(2026, 11, 24))
    except ValidationError:
        return  # an empty or over-long name is refused as a usage error by the command
    try:
        _, pdf = make_sheet(LIBRARY, "plantar-fasciitis", "en", visit,
                            lambda field: (Path("--" + field), 1, 1))
    except ContentError as exc:
        assert all("U+" in p.message and p.path == Path("--client") for p in exc.problems)
        return
    with tempfile.TemporaryDirectory() as scratch:
        out = Path(scratch) / "sheet.pdf"
        out.write_bytes(pdf)
        assert reads(visit.client, text(out))


def test_bold_shows_in_the_brand_colour_when_a_font_has_no_bold_face() -> None:
    from handouts.render.fonts import register_family

    assert LIBRARY.fonts is not None
    one_weight = register_family("ipaex-gothic", LIBRARY.fonts, LIBRARY.fonts_dir)
    two_weights = register_family("noto-sans", LIBRARY.fonts, LIBRARY.fonts_dir)
    assert one_weight.bold == one_weight.regular  # one file, read once
    assert '<font color="#1f5c57"><b>x</b></font>' in to_markup("**x**", one_weight, "#1f5c57")
    assert to_markup("**x**", two_weights, "#1f5c57") == "<b>x</b>"


@pytest.mark.parametrize("char", ["\uffff", "\ufffe", "\ufdd0", "\U0001ffff"])
def test_a_noncharacter_in_a_client_name_is_refused_at_its_option(char: str) -> None:
    import datetime as dt

    from handouts.catalogue.sheets import make_sheet
    from handouts.content.appointments import Visit

    visit = Visit(client=f"Ann {char} B", date=dt.date(2026, 11, 24))
    with pytest.raises(ContentError) as refused:
        make_sheet(LIBRARY, "plantar-fasciitis", "en", visit,
                   lambda field: (Path("--" + field), 1, 1))
    assert [p.path for p in refused.value.problems] == [Path("--client")]
    assert f"U+{ord(char):04X}" in refused.value.problems[0].message
