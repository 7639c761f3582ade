"""Archiving and accessibility, proven by independent validators: every handout, flyer, menu and
personalised sheet is PDF/A-2u and PDF/UA-1 at once, every print sheet PDF/A-2u, at every
size and in every language. The validators run with `pytest -m validators` (in CI)."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from collections.abc import Callable
from io import BytesIO
from pathlib import Path

import pytest
from PIL import Image
from pypdf import PdfReader

from handouts.catalogue.document import render_job
from handouts.catalogue.plan import Job
from handouts.content.appointments import Visit
from handouts.content.load import Library
from handouts.output.impose import impose
from handouts.render.kinds import Kind
from handouts.render.sizes import Size
from tests.conftest import REPO, SHIPPED_DATA
from tests.editing import edit
from tests.hostile.test_print import HERO

LANGS = ["en", "vi", "ko", "ja"]
TREATMENT = "plantar-fasciitis"
VISIT = Visit(client="Emma Wilson", therapist="Linh", date=dt.date(2026, 11, 24),
              next_visit=dt.date(2026, 12, 1), notes="Roll the arch over a cold bottle.")
#: Sizes each kind is made at, and the imposed sheets (size, copies).
HANDOUT_SIZES = [Size.A4, Size.LETTER]
FLYER_SIZES = list(Size)
SHEETS = [(Size.A6, 4), (Size.A5, 2), (Size.HALF_LETTER, 2)]
MENU_SIZES = [Size.A4, Size.A5, Size.LETTER, Size.HALF_LETTER]

SINGLE = ([f"aftercare-{lang}-{size}" for lang in LANGS for size in HANDOUT_SIZES]
          + [f"sheet-{lang}-{size}" for lang in LANGS for size in HANDOUT_SIZES]
          + [f"flyer-{lang}-{size}" for lang in LANGS for size in FLYER_SIZES]
          + [f"menu-{lang}-{size}" for lang in LANGS for size in MENU_SIZES])
IMPOSED = [f"flyer-{lang}-{size}-{copies}up" for lang in LANGS for size, copies in SHEETS]


@pytest.fixture(scope="session")
def archive(shipped_library: Library, tmp_path_factory: pytest.TempPathFactory
            ) -> dict[str, Path]:
    """Every kind at every size in every language, and every print sheet, made once."""
    folder = tmp_path_factory.mktemp("archive")
    made: dict[str, Path] = {}

    def keep(name: str, pdf: bytes) -> None:
        made[name] = folder / f"{name}.pdf"
        made[name].write_bytes(pdf)

    for lang in LANGS:
        for size in HANDOUT_SIZES:
            keep(f"aftercare-{lang}-{size}",
                 render_job(shipped_library, Job(TREATMENT, Kind.AFTERCARE, lang), size))
            keep(f"sheet-{lang}-{size}",
                 render_job(shipped_library, Job(TREATMENT, Kind.AFTERCARE, lang), size,
                            visit=VISIT))
        flyers = {size: render_job(shipped_library, Job(TREATMENT, Kind.FLYER, lang), size)
                  for size in FLYER_SIZES}
        for size, pdf in flyers.items():
            keep(f"flyer-{lang}-{size}", pdf)
        for size, copies in SHEETS:
            keep(f"flyer-{lang}-{size}-{copies}up",
                 impose(flyers[size], copies, True, size.page_name, size.sheet))
        for size in MENU_SIZES:  # the whole catalogue's menu, of every shipped treatment
            keep(f"menu-{lang}-{size}",
                 render_job(shipped_library, Job("", Kind.MENU, lang, size), size))
    return made


def page_findings(path: Path, profile: str) -> list[str]:
    """What `page` (the page-validation package) finds against a profile ("2u", "ua1")."""
    import page

    report = page.validate_pdf(path, profile=profile)
    return [f"{f.rule_id}: {f.message}" for f in report.failures] + (
        [] if report.is_compliant else ["not compliant"])


@pytest.mark.validators
@pytest.mark.parametrize("name", SINGLE)
def test_page_finds_every_document_pdfa_2u_and_pdfua_1(name: str,
                                                        archive: dict[str, Path]) -> None:
    assert page_findings(archive[name], "2u") == []
    assert page_findings(archive[name], "ua1") == []


@pytest.mark.validators
@pytest.mark.parametrize("name", IMPOSED)
def test_page_finds_every_print_sheet_pdfa_2u(name: str, archive: dict[str, Path]) -> None:
    assert page_findings(archive[name], "2u") == []


@pytest.mark.validators
@pytest.mark.parametrize("name", SINGLE)
def test_pdfua_finds_nothing_in_any_document(name: str, archive: dict[str, Path]) -> None:
    import pdfua

    report = pdfua.validate(str(archive[name]))
    assert [f"{f.rule_id}: {f.message}" for f in report.findings] == []
    assert report.exit_code == 0


@pytest.mark.validators
@pytest.mark.parametrize("name", SINGLE + IMPOSED)
def test_qpdf_finds_every_file_sound(name: str, archive: dict[str, Path]) -> None:
    checked = subprocess.run(["qpdf", "--check", str(archive[name])], capture_output=True,
                             text=True)
    assert (checked.returncode, checked.stderr) == (0, "")
    assert "No syntax or stream encoding errors found" in checked.stdout


@pytest.mark.validators
def test_a_print_sheet_is_byte_identical_on_another_day(tmp_path: Path) -> None:
    """The embedded colour profile and the file's /ID come from the content, never the clock:
    a sheet made 400 days later (libfaketime) is the same file."""
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    made = []
    for shift in ("+0d", "+400d"):
        target = tmp_path / f"sheet{shift}.pdf"
        subprocess.run(["faketime", "-f", shift, sys.executable, "-m", "handouts", "flyer",
                        TREATMENT, "--data", str(SHIPPED_DATA), "--size", "a6", "--n-up", "4",
                        "--crop-marks", "-o", str(target)], check=True, env=env, cwd=tmp_path,
                       capture_output=True, timeout=120)
        made.append(target.read_bytes())
    assert made[0] == made[1]


@pytest.mark.validators
def test_a_cmyk_photo_keeps_the_flyer_pdfa(project: Path, facts_yaml: Path,
                                           run: Callable[..., subprocess.CompletedProcess[str]]
                                           ) -> None:
    """A print shop's CMYK JPEG, small enough to be placed as it is, is placed in RGB: the
    sRGB output intent admits no DeviceCMYK."""
    Image.new("CMYK", (480, 360), (0, 200, 200, 0)).save(project / "data" / "photo.jpg",
                                                         quality=95)
    edit(facts_yaml, HERO, "hero: photo.jpg")
    result = run("flyer", TREATMENT, "-o", "flyer.pdf")
    assert result.returncode == 0, result.stderr
    assert page_findings(project / "flyer.pdf", "2u") == []


def test_the_file_id_comes_from_the_content(shipped_library: Library) -> None:
    """Two sheets that differ only in the therapist's notes are two files, each with its
    own /ID, and the same sheet made again keeps its /ID."""
    job = Job(TREATMENT, Kind.AFTERCARE, "en")
    other = Visit(client=VISIT.client, therapist=VISIT.therapist, date=VISIT.date,
                  next_visit=VISIT.next_visit, notes="Rest the foot for two days.")
    ids = [PdfReader(BytesIO(render_job(shipped_library, job, visit=visit))).trailer["/ID"]
           for visit in (VISIT, other, VISIT)]
    assert ids[0] != ids[1]
    assert ids[0] == ids[2]

