"""Damaged and hostile binary files (logo, fonts) are content errors, never a traceback."""

from __future__ import annotations

import io
import shutil
import struct
import uuid
import zlib
from collections.abc import Callable
from pathlib import Path
from subprocess import CompletedProcess

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image
from pypdf import PdfReader

from handouts.catalogue.build import build
from handouts.errors import HandoutsError
from tests.catalogue.test_watch import wait_for, watching
from tests.conftest import SHIPPED_DATA, SHIPPED_DOCUMENTS, SHIPPED_FONTS, SHIPPED_TREATMENTS, menus
from tests.editing import edit, line_of
from tests.pdf_reading import squashed, text

Run = Callable[..., CompletedProcess[str]]
ITALIC = "NotoSans-Italic.ttf"


def png_header(width: int, height: int) -> bytes:
    """A PNG claiming `width` x `height` 1-bit pixels: what a decompression bomb shows first."""
    def chunk(tag: bytes, data: bytes) -> bytes:
        return (struct.pack(">I", len(data)) + tag + data
                + struct.pack(">I", zlib.crc32(tag + data)))

    ihdr = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(b""))
            + chunk(b"IEND", b""))


@pytest.mark.parametrize("side", [30000, 10000])  # past PIL's error limit; past its warning
def test_a_decompression_bomb_logo_is_a_content_error(side: int, project: Path,
                                                      run: Run) -> None:
    (project / "data" / "logo.png").write_bytes(png_header(side, side))
    result = run("build")
    assert result.returncode == 1 and "Traceback" not in result.stderr
    line = line_of(project / "data" / "brand.yaml", "logo:")
    assert (f"data/brand.yaml:{line}:1: logo 'logo.png' has far too many pixels to be a logo"
            in result.stderr), result.stderr
    assert result.stderr.strip().endswith(
        f"0 built, 0 unchanged, {SHIPPED_DOCUMENTS} failed")


def fonts_with(project: Path, name: str, content: bytes) -> str:
    """A copy of the fonts folder with `name` replaced by `content`; its name for --fonts."""
    folder = project / "myfonts"
    if not folder.exists():
        shutil.copytree(SHIPPED_FONTS, folder)
    (folder / name).write_bytes(content)
    return "myfonts"


TRUNCATED = {
    "a 200-byte stub": struct.pack(">IHHHH", 0x00010000, 0, 0, 0, 0) + bytes(188),
    "200 bytes of the font": (SHIPPED_FONTS / ITALIC).read_bytes()[:200],
    "a truncated copy": (SHIPPED_FONTS / ITALIC).read_bytes()[:300_000],
    "its last kilobyte lost": (SHIPPED_FONTS / ITALIC).read_bytes()[:-1024],
}


@pytest.mark.parametrize("case", TRUNCATED)
@pytest.mark.parametrize("command", ["build", "validate"])
def test_a_damaged_font_is_named_with_its_line(case: str, command: str, project: Path,
                                               run: Run) -> None:
    fonts = fonts_with(project, ITALIC, TRUNCATED[case])
    result = run(command, "--fonts", fonts)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    line = line_of(project / "data" / "fonts.yaml", f"italic: {ITALIC}")
    assert f"data/fonts.yaml:{line}:5: {ITALIC} is damaged: " in result.stderr, result.stderr


def test_a_font_damaged_past_its_directory_fails_its_documents_alone(project: Path) -> None:
    """Even a font whose tables look whole but whose contents are garbage: the documents it
    draws fail with its file named, the others are built."""
    data = bytearray((SHIPPED_FONTS / "NanumGothic.ttf").read_bytes())
    count = struct.unpack(">H", data[4:6])[0]
    for i in range(count):  # wipe the cmap's contents, keep the directory
        tag, _, offset, length = struct.unpack(">4sIII", data[12 + 16 * i:28 + 16 * i])
        if tag == b"cmap":
            data[offset:offset + length] = b"\xff" * length
    fonts_with(project, "NanumGothic.ttf", bytes(data))
    report = build(project / "data", project / "out", fonts_dir=project / "myfonts", workers=1)
    assert {p.name for p in report.built} == {f"{treatment}-{kind}-{lang}.pdf"
                                              for treatment in SHIPPED_TREATMENTS
                                              for kind in ("aftercare", "flyer")
                                              for lang in ("en", "vi", "ja")
                                              } | menus("en", "vi", "ja")
    assert sorted(n.job.filename for n in report.failed) == sorted([
        *(f"{treatment}-{kind}-ko.pdf" for treatment in SHIPPED_TREATMENTS
          for kind in ("aftercare", "flyer")), *menus("ko")])
    assert [str(p) for p in report.problems] == [
        f"{project / 'myfonts' / 'NanumGothic.ttf'}:1:1: cannot use this font, the file is "
        "damaged (unpack requires a buffer of 2 bytes)"]


@pytest.fixture(scope="module")
def scratch(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("hostile")
    shutil.copytree(SHIPPED_DATA, root / "data")
    shutil.copytree(SHIPPED_FONTS, root / "fonts")
    return root


FONT_BYTES = (SHIPPED_FONTS / ITALIC).read_bytes()
LOGO_BYTES = (SHIPPED_DATA / "logo.png").read_bytes()


@settings(max_examples=25, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(keep=st.integers(min_value=0, max_value=len(FONT_BYTES) - 1),
       logo_keep=st.integers(min_value=0, max_value=len(LOGO_BYTES)), font=st.booleans())
def test_any_truncated_font_or_logo_fails_cleanly_or_builds(keep: int, logo_keep: int,
                                                            font: bool, scratch: Path,
                                                            tmp_path: Path) -> None:
    root = tmp_path / uuid.uuid4().hex
    shutil.copytree(scratch / "data", root / "data")
    shutil.copytree(scratch / "fonts", root / "fonts")
    if font:
        (root / "fonts" / ITALIC).write_bytes(FONT_BYTES[:keep])
    else:
        (root / "data" / "logo.png").write_bytes(LOGO_BYTES[:logo_keep])
    damaged = ITALIC if font else "logo.png"
    try:
        report = build(root / "data", root / "out", langs=["en"], workers=1, index=False)
    except HandoutsError as exc:  # the CLI prints it and exits 1
        assert damaged in str(exc)
        return
    if report.failed:
        assert sorted(n.job.filename for n in report.failed) == sorted([
            *(f"{treatment}-{kind}-en.pdf" for treatment in SHIPPED_TREATMENTS
              for kind in ("aftercare", "flyer")), *menus("en")])
        assert report.problems and all(damaged in str(p) for p in report.problems)
        assert not list((root / "out").glob("*.pdf")) if (root / "out").exists() else True
    else:  # only the padding after the last table (or nothing) was lost
        assert len(report.built) == len(SHIPPED_TREATMENTS) * 2 + 2  # and the two menus
        for path in report.built:
            assert "LSpaDaNang" in squashed(  # the brand band of a whole first page
                PdfReader(path).pages[0].extract_text())


def test_watch_survives_a_decompression_bomb_and_picks_up_the_fix(project: Path) -> None:
    logo = project / "data" / "logo.png"
    good = logo.read_bytes()
    pdf = project / "out" / "plantar-fasciitis-aftercare-en.pdf"
    with watching(project) as run:
        output, errors = run.output, run.errors
        assert wait_for(lambda: any(f"{SHIPPED_DOCUMENTS} built" in line for line in output),
                        60), errors
        first = pdf.stat().st_mtime_ns
        logo.write_bytes(png_header(30000, 30000))
        assert wait_for(lambda: any("too many pixels" in line for line in errors)), errors
        assert run.process.poll() is None  # still watching
        assert pdf.stat().st_mtime_ns == first
        with Image.open(io.BytesIO(good)) as image:
            image.convert("RGB").save(logo)  # a fixed logo, with other pixels
        assert wait_for(lambda: pdf.stat().st_mtime_ns != first), output + errors
    assert run.process.returncode == 0
    assert not any("Traceback" in line for line in errors), errors


def test_watch_follows_a_data_folder_deleted_and_put_back(project: Path) -> None:
    data = project / "data"
    shutil.copytree(data, project / "backup")
    pdf = project / "out" / "plantar-fasciitis-aftercare-en.pdf"
    with watching(project) as run:
        output, errors = run.output, run.errors
        assert wait_for(lambda: any(f"{SHIPPED_DOCUMENTS} built" in line for line in output),
                        60), errors
        shutil.rmtree(data)  # e.g. a checkout that deletes and recreates the folder
        assert wait_for(lambda: "data:1:1: data folder not found\n" in errors), errors
        shutil.copytree(project / "backup", data)
        first = pdf.stat().st_mtime_ns
        edit(data / "treatments" / "plantar-fasciitis" / "en.yaml",
             "headline: Caring for your feet", "headline: Looking after your feet")
        # the put-back folder is rebuilt whole: three sample treatments take a while
        assert wait_for(lambda: pdf.stat().st_mtime_ns != first, 60), output + errors
        assert "Lookingafteryourfeet" in squashed(text(pdf))
    assert run.process.returncode == 0
    assert output[-1] == "stopped watching\n"
    assert not any("Traceback" in line for line in errors), errors
