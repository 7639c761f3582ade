"""Hostile cases for pictures and print boxes (issue 19: items 14 and 15, and the SVG
`URL(` and deep-nesting cases): each through the real `handouts` command, read back with
PDFium (what the page looks like) or pypdf (the boxes a print shop reads)."""

from __future__ import annotations

import subprocess
from collections.abc import Callable
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
import pytest
from PIL import Image
from pypdf import PdfReader
from reportlab.lib.units import mm

from tests.editing import edit, line_of

Run = Callable[..., subprocess.CompletedProcess[str]]
HERO = "hero: art/illustrations/hero-foot-massage.svg"
WHITE = (255, 255, 255)
RED = (255, 0, 0)


@dataclass(frozen=True)
class Photo:
    """A picture file in one PIL mode, and the colours it must print in: `corner` where the
    marker must land (top-left unless the EXIF orientation turns it), `ground` elsewhere."""

    mode: str
    image: Callable[[tuple[int, int]], bytes]
    ground: tuple[int, int, int]
    corner: tuple[int, int, int]
    marker_at: str = "top-left"
    portrait: bool = False


def _saved(image: Image.Image, kind: str, **options: object) -> bytes:
    out = BytesIO()
    image.save(out, kind, **options)
    return out.getvalue()


def _marked(mode: str, size: tuple[int, int], ground: object, marker: object) -> Image.Image:
    """A picture of `ground` with `marker` over its stored top-left quarter."""
    image = Image.new(mode, size, ground)  # type: ignore[arg-type]
    image.paste(marker, (0, 0, size[0] // 4, size[1] // 4))  # type: ignore[arg-type]
    return image


def _palette(size: tuple[int, int]) -> bytes:
    image = _marked("P", size, 0, 1)
    image.putpalette([128, 128, 128, 255, 0, 0])
    return _saved(image, "PNG", transparency=1)


def _turned_jpeg(size: tuple[int, int]) -> bytes:
    """Stored landscape as a phone stores it; EXIF orientation 6 says: turn 90 degrees
    clockwise to show it, so the stored top-left marker shows at the top right."""
    exif = Image.Exif()
    exif[0x0112] = 6
    return _saved(_marked("RGB", size, (200, 200, 200), RED), "JPEG", quality=95,
                  exif=exif.tobytes())


PHOTOS = [
    Photo("I;16", lambda s: _saved(_marked("I;16", s, 32768, 0), "PNG"), (128,) * 3, (0,) * 3),
    Photo("I;16B", lambda s: _saved(_marked("I;16B", s, 16384, 65535), "PNG"), (64,) * 3, WHITE),
    Photo("EXIF 6", _turned_jpeg, (200,) * 3, RED, "top-right", portrait=True),
    Photo("CMYK", lambda s: _saved(_marked("CMYK", s, (0, 200, 200, 0), (0, 0, 0, 255)),
                                   "JPEG", quality=95), (255, 55, 55), (0, 0, 0)),
    Photo("P", _palette, (128,) * 3, WHITE),
    Photo("LA", lambda s: _saved(_marked("LA", s, (100, 255), (0, 0)), "PNG"), (100,) * 3,
          WHITE),
    Photo("RGBA", lambda s: _saved(_marked("RGBA", s, (0, 0, 255, 255), (255, 0, 0, 0)), "PNG"),
          (0, 0, 255), WHITE),
]


def _hero_as_printed(pdf: Path, dpi: int = 100) -> Image.Image:
    """The largest picture on the flyer's page, cut from PDFium's rendering of the page."""
    document = pdfium.PdfDocument(str(pdf))
    try:
        page = document[0]
        bounds = max((obj.get_bounds() for obj in page.get_objects(
            filter=[pdfium_c.FPDF_PAGEOBJ_IMAGE], max_depth=4)),
            key=lambda b: (b[2] - b[0]) * (b[3] - b[1]))
        scale = dpi / 72
        height = page.get_height()
        image = page.render(scale=scale).to_pil().convert("RGB")
    finally:
        document.close()
    left, bottom, right, top = bounds
    return image.crop((round(left * scale), round((height - top) * scale),
                       round(right * scale), round((height - bottom) * scale)))


def _near(seen: tuple[int, ...], wanted: tuple[int, ...], tolerance: int = 48) -> bool:
    return all(abs(a - b) <= tolerance for a, b in zip(seen, wanted, strict=True))


@pytest.mark.parametrize("width", [480, 1600], ids=["placed-as-is", "downsampled"])
@pytest.mark.parametrize("photo", PHOTOS, ids=[p.mode for p in PHOTOS])
def test_item14_every_photo_mode_prints_as_it_looks(project: Path, facts_yaml: Path, run: Run,
                                                    photo: Photo, width: int) -> None:
    """Issue 19 item 14: a 16-bit grey PNG printed solid white and an EXIF-turned JPEG
    sideways; every mode a spa's photo may come in must print as a viewer shows it."""
    name = "photo.jpg" if photo.mode in ("EXIF 6", "CMYK") else "photo.png"
    (project / "data" / name).write_bytes(photo.image((width, width * 3 // 4)))
    edit(facts_yaml, HERO, f"hero: {name}")
    result = run("flyer", "plantar-fasciitis", "-o", "flyer.pdf")
    assert result.returncode == 0, result.stderr
    printed = _hero_as_printed(project / "flyer.pdf")
    w, h = printed.size
    assert (h > w) == photo.portrait, printed.size
    at = {"top-left": (w // 8, h // 8), "top-right": (w - w // 8, h // 8)}
    marker = printed.getpixel(at[photo.marker_at])
    ground = printed.getpixel((w * 5 // 8, h * 5 // 8))
    assert _near(ground, photo.ground), ground  # type: ignore[arg-type]
    assert _near(marker, photo.corner), marker  # type: ignore[arg-type]
    for other in set(at) - {photo.marker_at}:
        assert _near(printed.getpixel(at[other]), photo.ground)  # type: ignore[arg-type]


def test_item14_placed_ppi_is_worked_out_on_the_turned_photo(project: Path, facts_yaml: Path,
                                                             run: Run) -> None:
    """Issue 19 item 14: a phone photo stored 900 x 300 but shown 300 x 900 has 300 pixels
    across the printed width, too few for the flyer's hero; the stored width must not pass."""
    exif = Image.Exif()
    exif[0x0112] = 6
    (project / "data" / "tall.jpg").write_bytes(
        _saved(Image.new("RGB", (900, 300), (200, 200, 200)), "JPEG", exif=exif.tobytes()))
    edit(facts_yaml, HERO, "hero: tall.jpg")
    result = run("flyer", "plantar-fasciitis", "-o", "flyer.pdf")
    assert result.returncode == 1, result.stderr
    line = line_of(facts_yaml, "hero: tall.jpg")
    assert f"facts.yaml:{line}:3: picture 'tall.jpg' prints at " in result.stderr
    assert "Traceback" not in result.stderr
    assert not (project / "flyer.pdf").exists()


def _boxes(pdf: Path) -> dict[str, tuple[float, ...]]:
    """The page's MediaBox, TrimBox and BleedBox in millimetres, as pypdf reads them."""
    page = PdfReader(pdf).pages[0]
    return {name: tuple(round(float(v) / mm, 1) for v in getattr(page, name))
            for name in ("mediabox", "trimbox", "bleedbox")}


def _sheet_pixel(pdf: Path, x_mm: float, y_mm: float, dpi: int = 100) -> tuple[int, int, int]:
    """The colour PDFium paints at (x, y) mm from the sheet's lower-left corner."""
    document = pdfium.PdfDocument(str(pdf))
    try:
        page = document[0]
        image = page.render(scale=dpi / 72).to_pil().convert("RGB")
        height_mm = page.get_height() / mm
    finally:
        document.close()
    pixel: tuple[int, int, int] = image.getpixel(
        (round(x_mm / 25.4 * dpi), round((height_mm - y_mm) / 25.4 * dpi)))
    return pixel


@pytest.mark.parametrize(("size", "trim_mm"), [("a5", (148, 210)), ("a6", (105, 148))])
def test_item15_one_copy_with_crop_marks_keeps_its_trim_and_bleed_boxes(
        project: Path, run: Run, size: str, trim_mm: tuple[int, int]) -> None:
    """Issue 19 item 15: `--bleed 3 --crop-marks` wrote TrimBox and BleedBox as the whole
    A4 sheet; the TrimBox must be the flyer inside the sheet, the BleedBox 3 mm outside it,
    and the colour must run to the BleedBox and stop there."""
    result = run("flyer", "plantar-fasciitis", "--size", size, "--bleed", "3",
                 "--crop-marks", "-o", "shop.pdf")
    assert result.returncode == 0, result.stderr
    boxes = _boxes(project / "shop.pdf")
    assert boxes["mediabox"] == (0, 0, 210, 297)
    x0, y0, x1, y1 = boxes["trimbox"]
    assert (round(x1 - x0), round(y1 - y0)) == trim_mm
    assert (x0, 297 - y1) == pytest.approx(((210 - x1), y0), abs=0.2)  # centred on the sheet
    assert boxes["bleedbox"] == pytest.approx((x0 - 3, y0 - 3, x1 + 3, y1 + 3), abs=0.2)
    band = _sheet_pixel(project / "shop.pdf", (x0 + x1) / 2, y1 + 2)  # the band, in the bleed
    assert band != WHITE and sum(band) < 400, band
    assert _sheet_pixel(project / "shop.pdf", (x0 + x1) / 2, y1 + 4) == WHITE
    crop_mark = [_sheet_pixel(project / "shop.pdf", x0 + dx, y1 + 7, dpi=300)
                 for dx in (-0.1, 0, 0.1)]  # above the top-left corner, clear of the bleed
    assert min(map(sum, crop_mark)) < 300, crop_mark


def test_item15_crop_marks_without_bleed_trim_at_the_copy(project: Path, run: Run) -> None:
    """Issue 19 item 15: with crop marks and no bleed, the TrimBox is still the flyer's
    A5 inside the A4 sheet, and nothing prints past it (BleedBox = TrimBox)."""
    result = run("flyer", "plantar-fasciitis", "--crop-marks", "-o", "marks.pdf")
    assert result.returncode == 0, result.stderr
    boxes = _boxes(project / "marks.pdf")
    x0, y0, x1, y1 = boxes["trimbox"]
    assert (round(x1 - x0), round(y1 - y0)) == (148, 210)
    assert boxes["bleedbox"] == boxes["trimbox"]


def test_item15_n_up_trims_at_the_block_of_copies(project: Path, run: Run) -> None:
    """Issue 19 item 15: a PDF page has one TrimBox, so an N-up sheet carries the block of
    copies (the outer cut lines; the inner ones are the crop marks): 2 x A6 side by side is
    210 x 148 mm inside the A4 sheet, not the whole sheet."""
    result = run("flyer", "plantar-fasciitis", "--size", "a6", "--n-up", "2", "--crop-marks",
                 "-o", "two.pdf")
    assert result.returncode == 0, result.stderr
    boxes = _boxes(project / "two.pdf")
    x0, y0, x1, y1 = boxes["trimbox"]
    assert sorted((round(x1 - x0), round(y1 - y0))) == [148, 210]
    assert boxes["bleedbox"] == boxes["trimbox"]
    assert sorted(boxes["mediabox"][2:]) == [210, 297]


@pytest.mark.parametrize(("size", "copies"), [("a6", "2"), ("a6", "4"), ("a5", "2")])
def test_item15_bleed_with_n_up_is_refused_saying_what_a_print_shop_needs(
        project: Path, run: Run, size: str, copies: str) -> None:
    """Issue 19 item 15: a print shop places copies on its own sheets from one flyer with
    bleed and its boxes; copies cut apart at reception carry no bleed. Asked for both, the
    command says so and how to get each, and writes nothing."""
    assert run("flyer", "plantar-fasciitis", "--size", size, "-o", "shop.pdf").returncode == 0
    previous = (project / "shop.pdf").read_bytes()  # the last good sheet, made by the tool
    result = run("flyer", "plantar-fasciitis", "--size", size, "--n-up", copies,
                 "--bleed", "3", "--crop-marks", "-o", "shop.pdf")
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    assert "--bleed" in result.stderr and "--n-up" in result.stderr
    assert f"handouts flyer plantar-fasciitis --size {size} --bleed 3" in result.stderr
    assert (project / "shop.pdf").read_bytes() == previous


def _svg(paint: str, body: str = "") -> str:
    """A hero drawing: a gradient square painted by `paint` (attributes of its <rect>)."""
    return ('<svg xmlns="http://www.w3.org/2000/svg" width="100" height="80" '
            'viewBox="0 0 100 80"><defs><linearGradient id="a"><stop offset="0" '
            'stop-color="#1F5C57"/><stop offset="1" stop-color="#B9894A"/></linearGradient>'
            '<clipPath id="c"><rect width="60" height="60"/></clipPath></defs>'
            f'<rect width="100" height="80" {paint}/>{body}</svg>')


@pytest.mark.parametrize(("paint", "target"), [
    ('fill="URL(http://x)"', "http://x"),
    ('style="fill:URL(http://x/y#a)"', "http://x/y#a"),
    ('fill="#1F5C57" clip-path="Url( \'https://example.com/c.svg#c\' )"',
     "https://example.com/c.svg#c"),
])
def test_svg_upper_case_url_to_outside_is_refused_at_its_yaml_line(
        project: Path, facts_yaml: Path, run: Run, paint: str, target: str) -> None:
    """Issue 19 (SVG): CSS's url() is case-insensitive, so `URL(http://x)` points outside
    the file as `url(http://x)` does; it gave a traceback or slipped through."""
    (project / "data" / "u.svg").write_text(_svg(paint), encoding="utf-8")
    edit(facts_yaml, HERO, "hero: u.svg")
    result = run("validate")
    assert result.returncode == 1, result.stderr
    line = line_of(facts_yaml, "hero: u.svg")
    assert (f"facts.yaml:{line}:3: picture 'u.svg': SVG loads {target!r} from outside itself"
            in result.stderr), result.stderr
    assert "unpack" not in result.stderr and "Traceback" not in result.stderr


def test_svg_upper_case_url_inside_the_file_draws_as_lower_case_does(
        project: Path, facts_yaml: Path, run: Run) -> None:
    """Issue 19 (SVG): `URL(#a)` and `url( '#a' )` name the file's own gradient as `url(#a)`
    does, and must print the same flyer, not be refused."""
    edit(facts_yaml, HERO, "hero: u.svg")
    pages = []
    for paint in ('fill="url(#a)" clip-path="url(#c)"', 'fill="URL(#a)" clip-path="URL(#c)"',
                  "fill=\"Url( '#a' )\" clip-path='url(\"#c\")'"):
        (project / "data" / "u.svg").write_text(_svg(paint), encoding="utf-8")
        result = run("flyer", "plantar-fasciitis", "-o", "flyer.pdf")
        assert result.returncode == 0, result.stderr
        document = pdfium.PdfDocument(str(project / "flyer.pdf"))
        pages.append(document[0].render(scale=100 / 72).to_pil().convert("RGB").tobytes())
        document.close()
    assert pages[1] == pages[0] and pages[2] == pages[0]


@pytest.mark.parametrize("levels", [40, 300])
def test_svg_nested_too_deeply_is_said_in_the_editors_words(
        project: Path, facts_yaml: Path, run: Run, levels: int) -> None:
    """Issue 19 (SVG): 300 nested groups gave lxml's "Excessive depth in document: 256, use
    XML_PARSE_HUGE option"; any nesting past line art's is said one way, at the YAML line."""
    (project / "data" / "deep.svg").write_text(
        _svg('fill="#1F5C57"', "<g>" * levels + '<rect width="5" height="5"/>' + "</g>" * levels),
        encoding="utf-8")
    edit(facts_yaml, HERO, "hero: deep.svg")
    result = run("validate")
    assert result.returncode == 1, result.stderr
    line = line_of(facts_yaml, "hero: deep.svg")
    assert (f"facts.yaml:{line}:3: picture 'deep.svg': nested too deeply (more than 32 levels); "
            "simplify the drawing") in result.stderr, result.stderr
    assert "XML_PARSE_HUGE" not in result.stderr


@pytest.mark.parametrize("photo", [PHOTOS[0], PHOTOS[2]], ids=["I;16", "EXIF 6"])
def test_item14_the_logo_prints_as_it_looks_too(project: Path, run: Run, photo: Photo) -> None:
    """The logo is drawn by the brand band, not as a content picture: a 16-bit grey or
    EXIF-turned logo must print as a viewer shows it there as well."""
    name = "logo.jpg" if photo.mode == "EXIF 6" else "logo.png"
    (project / "data" / "logo.png").unlink()
    (project / "data" / name).write_bytes(photo.image((800, 600)))
    edit(project / "data" / "brand.yaml", "logo: logo.png", f"logo: {name}")
    result = run("flyer", "plantar-fasciitis", "-o", "flyer.pdf")
    assert result.returncode == 0, result.stderr
    printed = _hero_as_printed(project / "flyer.pdf", dpi=300)  # the flyer's only raster
    w, h = printed.size
    at = {"top-left": (w // 8, h // 8), "top-right": (w - w // 8, h // 8)}
    assert _near(printed.getpixel(at[photo.marker_at]), photo.corner), printed.size
    assert _near(printed.getpixel((w // 2, h * 3 // 4)), photo.ground)
