"""ReportLab's patterns that no handout uses are compiled only when used
(render/unused_patterns.py)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import paragraph
from reportlab.platypus.paragraph import Paragraph

from handouts.render.unused_patterns import UNUSED, Deferred
from tests.conftest import REPO

SHEET_THEN_PATTERNS = """
import datetime
from pathlib import Path
from handouts.catalogue.sheets import write_sheet
from handouts.content.appointments import Visit
visit = Visit(client="Emma Wilson", therapist=None, notes="Ice the heel.",
              date=datetime.date(2026, 11, 24))
write_sheet(Path("data"), None, "plantar-fasciitis", "en", visit,
            lambda field: (Path(field), 1, 1), Path("emma.pdf"))
from reportlab.lib import textsplit
from reportlab.platypus import paragraph
for pattern in (paragraph.uri_pat, textsplit.rx):
    print(type(pattern).__name__, getattr(pattern, "_compiled", "real"))
"""


def real(pattern: str, flags: int) -> re.Pattern[str]:
    """The pattern itself: Python's pattern cache holds the stand-in under its key."""
    re.purge()
    compiled = re.compile(pattern, flags)
    assert isinstance(compiled, re.Pattern)
    return compiled


def test_a_sheet_is_made_without_compiling_them(project: Path) -> None:
    """ReportLab holds the stand-ins (its pattern texts are still the ones listed), and
    making a whole sheet never needs the real patterns."""
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    done = subprocess.run([sys.executable, "-c", SHEET_THEN_PATTERNS], cwd=project, env=env,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split("\n")[:2] == ["Deferred None", "Deferred None"]


@pytest.mark.parametrize("text", [
    "https://example.com/aftercare/plantar-fasciitis?lang=vi", "HTTP://EXAMPLE.COM/",
    "www.spa.vn/đặt-lịch", "mailto:front@spa.vn", "192.168.1.1:8080/x", "no address",
    "ftp://[::1]/file", "https://xn--bcher-kva.example/",
])
def test_a_stand_in_matches_what_the_real_pattern_matches(text: str) -> None:
    for pattern, flags in UNUSED:
        compiled = real(pattern, flags)
        stand_in = Deferred(pattern, flags)
        for method in ("match", "search"):
            found, expected = getattr(stand_in, method)(text), getattr(compiled, method)(text)
            assert (found and found.groups()) == (expected and expected.groups())
        assert stand_in.flags == compiled.flags


def test_reportlab_splits_a_long_address_alike_with_the_stand_in(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """A style that asks ReportLab to split web addresses (none of ours does) still gets
    the lines the real pattern gives."""
    style = ParagraphStyle("narrow", fontName="Helvetica", fontSize=10, leading=12,
                           uriWasteReduce=0.3, splitLongWords=0)
    text = "Book again at https://example.com/aftercare/plantar-fasciitis/vi/booking/today"

    def lines() -> list[str]:
        para = Paragraph(text, style)
        para.wrap(200, 1000)
        return [" ".join(str(word) for word in line[1]) for line in para.blPara.lines]

    assert isinstance(paragraph.uri_pat, Deferred)  # what the package's import put there
    with_stand_in = lines()
    monkeypatch.setattr(paragraph, "uri_pat", real(*UNUSED[0]))
    assert lines() == with_stand_in
    assert with_stand_in[0].endswith("/aftercare/")  # split where a slash is, by the pattern
