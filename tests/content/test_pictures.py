"""Pictures named in content are read once, defensively: a hostile or broken file is a problem
at the YAML line that named it, never a crash, a fetch or a half-written PDF."""

from __future__ import annotations

import io
import zlib
from collections.abc import Callable
from pathlib import Path
from subprocess import CompletedProcess

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image

from handouts.content.pictures import PictureRefused, read_picture
from tests.conftest import SHIPPED_DATA
from tests.editing import edit, line_of

Run = Callable[..., CompletedProcess[str]]
ORIGIN = (Path("data/treatments/x/en.yaml"), 3, 5)
TOWEL = "image: art/illustrations/towel-stretch.svg\n"

HOSTILE_SVG = {
    "entity expansion": (
        '<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY a "aaaaaaaaaa">'
        '<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>'
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><title>&b;</title></svg>',
        "DOCTYPE"),
    "external entity": (
        '<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><title>&x;</title></svg>',
        "DOCTYPE"),
    "external image": (
        '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" '
        'viewBox="0 0 10 10"><image xlink:href="file:///etc/passwd" width="10" height="10"/>'
        "</svg>", "<image>"),
    "external use": (
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10">'
        '<use href="/etc/other.svg#x"/></svg>', "outside itself"),
    "script": (
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><script>alert(1)</script>'
        "</svg>", "<script>"),
    "event handler": (
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10">'
        '<rect width="5" height="5" onload="alert(1)"/></svg>', "script attribute"),
    "remote style": (
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10">'
        '<style>@import url(https://example.com/x.css);</style></svg>', "style sheet"),
    "remote fill": (
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10">'
        '<rect width="5" height="5" fill="url(https://example.com/x.svg#p)"/></svg>', "url("),
    "deep nesting": (
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10">' + "<g>" * 200
        + '<rect width="5" height="5"/>' + "</g>" * 200 + "</svg>", "nested too deeply"),
    "text in a font": (
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 100 20"><text>Hi</text></svg>',
        "contains text"),
    "circular use": (
        '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" '
        'viewBox="0 0 10 10"><g id="a"><use xlink:href="#a"/></g></svg>', "Circular"),
    "infinite size": (
        '<svg xmlns="http://www.w3.org/2000/svg" width="1e400" height="10"/>', "no size"),
    "no size": ('<svg xmlns="http://www.w3.org/2000/svg" width="nan" height="0"/>', "no size"),
    "microscopic": (
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 1e-30 1e-30"/>', "no size"),
    "a sliver": (
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 100000 100"/>', "wider than tall"),
    "not svg": ('<html xmlns="http://www.w3.org/1999/xhtml"></html>', "not an SVG"),
    "malformed": ('<svg xmlns="http://www.w3.org/2000/svg"><path d="M0 0"', "well-formed"),
}


@pytest.mark.parametrize("case", HOSTILE_SVG)
def test_a_hostile_svg_is_refused_with_the_reason(case: str, tmp_path: Path) -> None:
    source, reason = HOSTILE_SVG[case]
    path = tmp_path / "bad.svg"
    path.write_text(source, encoding="utf-8")
    with pytest.raises(PictureRefused, match=reason.replace("(", r"\(")):
        read_picture(path, "bad.svg", ORIGIN)


def _png(size: tuple[int, int], mode: str = "RGB") -> bytes:
    out = io.BytesIO()
    Image.new(mode, size, "white" if mode == "RGB" else 1).save(out, "PNG")
    return out.getvalue()


def test_a_decompression_bomb_png_is_refused_before_decoding(tmp_path: Path) -> None:
    path = tmp_path / "bomb.png"
    path.write_bytes(_png((30000, 30000), mode="1"))
    assert path.stat().st_size < 200_000  # tiny on disk, 900 megapixels when decoded
    with pytest.raises(PictureRefused, match="pixels|decompression bomb"):
        read_picture(path, "bomb.png", ORIGIN)


def test_a_truncated_png_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "cut.png"
    path.write_bytes(_png((400, 300))[:200])
    with pytest.raises(PictureRefused, match="damaged or truncated"):
        read_picture(path, "cut.png", ORIGIN)


def test_a_gif_is_refused_by_its_format(tmp_path: Path) -> None:
    path = tmp_path / "anim.png"
    Image.new("RGB", (10, 10)).save(path, "GIF")
    with pytest.raises(PictureRefused, match="not GIF"):
        read_picture(path, "anim.png", ORIGIN)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(cut=st.integers(min_value=0, max_value=4000), noise=st.binary(max_size=64))
def test_any_damaged_picture_is_refused_never_a_crash(cut: int, noise: bytes) -> None:
    import tempfile

    shipped = (SHIPPED_DATA / "art" / "illustrations" / "towel-stretch.svg").read_bytes()
    with tempfile.TemporaryDirectory() as folder:
        for name, data in (("x.svg", shipped[:cut] + noise),
                           ("x.png", _png((300, 200))[:cut % 400] + noise),
                           ("x.png", zlib.compress(noise))):
            path = Path(folder) / name
            path.write_bytes(data)
            try:
                read_picture(path, name, ORIGIN)
            except PictureRefused:
                pass


def test_shipped_artwork_loads_as_vector_drawings() -> None:
    art = SHIPPED_DATA / "art"
    for path in sorted(art.rglob("*.svg")):
        picture = read_picture(path, str(path.relative_to(SHIPPED_DATA)), ORIGIN)
        assert picture.drawing is not None and picture.raster == b""
        assert picture.aspect > 0


def test_a_hostile_picture_stops_the_build_at_its_yaml_line(project: Path, towel_facts: Path,
                                                            run: Run) -> None:
    bad = project / "data" / "art" / "illustrations" / "towel-stretch.svg"
    bad.write_text(HOSTILE_SVG["external image"][0], encoding="utf-8")
    line = line_of(towel_facts, "image: art/illustrations/towel-stretch.svg")
    result = run("build", "--lang", "en")
    assert result.returncode == 1
    assert (f"data/exercises/towel-stretch/facts.yaml:{line}:1: picture "
            f"'art/illustrations/towel-stretch.svg': SVG contains <image>") in result.stderr
    assert "Traceback" not in result.stderr
    assert not (project / "out" / "plantar-fasciitis-aftercare-en.pdf").exists()


def test_a_bomb_png_stops_the_build_at_its_yaml_line(project: Path, towel_facts: Path,
                                                     run: Run) -> None:
    (project / "data" / "bomb.png").write_bytes(_png((30000, 30000), mode="1"))
    edit(towel_facts, TOWEL, "image: bomb.png\n")
    line = line_of(towel_facts, "image: bomb.png")
    result = run("validate")
    assert result.returncode == 1
    assert f"facts.yaml:{line}:1: picture 'bomb.png':" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_picture_path_may_not_leave_the_data_folder(project: Path, towel_facts: Path,
                                                      run: Run) -> None:
    edit(towel_facts, TOWEL, "image: ../secret.svg\n")
    (project / "secret.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 1 1"/>', encoding="utf-8")
    result = run("validate")
    assert result.returncode == 1
    assert "picture path '../secret.svg' leaves data/" in result.stderr


def test_a_missing_picture_names_its_line(project: Path, towel_facts: Path, run: Run) -> None:
    edit(towel_facts, TOWEL, "image: art/nothing-here.svg\n")
    line = line_of(towel_facts, "art/nothing-here.svg")
    result = run("validate")
    assert result.returncode == 1
    assert (f"facts.yaml:{line}:1: picture file 'art/nothing-here.svg' not found"
            in result.stderr)


def test_a_picture_must_be_svg_png_or_jpeg_by_name(project: Path, towel_facts: Path,
                                                   run: Run) -> None:
    edit(towel_facts, TOWEL, "image: art/towel.gif\n")
    result = run("validate")
    assert result.returncode == 1
    assert "picture must be an .svg, .png or .jpg file" in result.stderr
