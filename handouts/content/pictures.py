"""Pictures named in content: checked and read once, at load time, like the YAML itself.

SVG is drawn as vector through svglib; PNG and JPEG are placed at print size. Pictures come
from files a staff member (or anyone who can write to data/) chose, so both kinds are read
defensively: a refused picture is a Problem at the YAML line that named it, never a crash.
"""

from __future__ import annotations

import hashlib
import logging
import math
import re
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path
from typing import TYPE_CHECKING

from handouts.content.cache import remembered

if TYPE_CHECKING:
    from lxml.etree import _Element
    from PIL.Image import Image
    from reportlab.graphics.shapes import Drawing

#: Larger SVG files are not line art; they would bloat every PDF that carries them.
MAX_SVG_BYTES = 512 * 1024
#: Line art is a few groups deep; far deeper nesting only exhausts whoever walks it.
MAX_SVG_DEPTH = 32
#: A picture more elongated than this prints as a sliver.
MAX_ASPECT = 20.0
#: A raster picture is placed a few centimetres wide: more pixels than this is a mistake
#: (or a decompression bomb), and PIL refuses it before decoding.
MAX_RASTER_PIXELS = 6000 * 6000
#: Elements that fetch, run or embed something outside the drawing itself.
_FORBIDDEN = {"script", "foreignObject", "image", "iframe", "object", "embed", "audio",
              "video", "feImage"}
#: A CSS url() reference: in any case (CSS keywords are), its target quoted or bare.
_URL = re.compile(r"""url\(\s*(?:"([^"]*)"|'([^']*)'|([^\s"'()]*))\s*\)""", re.IGNORECASE)
_URL_START = re.compile(r"url\(", re.IGNORECASE)
#: Modes whose pixels ReportLab places as a viewer shows them (others: see `upright`).
#: Not CMYK: it would be placed as DeviceCMYK, which a PDF/A file with an sRGB output
#: intent may not use, so a CMYK photo is placed in RGB.
_PLACEABLE_MODES = {"1", "L", "LA", "P", "RGB", "RGBA"}
#: The EXIF tag a camera sets instead of turning the pixels of a photo taken upright.
_ORIENTATION = 0x0112


class PictureRefused(ValueError):
    """The file is not a picture this tool will place; the message says why."""


@dataclass(frozen=True)
class Picture:
    """One picture file: an SVG drawing, or a raster's bytes and pixel size."""

    name: str  # the path as written in YAML, relative to data/
    origin: tuple[Path, int, int]  # file, line, column that first named it
    drawing: Drawing | None = None
    raster: bytes = b""
    pixels: tuple[int, int] = (0, 0)
    digest: str = ""  # SHA-256 of the file's bytes: what a drawing's kept operators are of

    @property
    def aspect(self) -> float:
        """Height over width."""
        if self.drawing is not None:
            return float(self.drawing.height) / float(self.drawing.width)
        return self.pixels[1] / self.pixels[0]


def read_picture(path: Path, name: str, origin: tuple[Path, int, int]) -> Picture:
    """Read and check the picture at `path`; raise PictureRefused with a reason."""
    suffix = path.suffix.lower()
    if suffix == ".svg":
        drawing, digest = _svg(path)
        return Picture(name, origin, drawing=drawing, digest=digest)
    raster, pixels = _raster(path)
    return Picture(name, origin, raster=raster, pixels=pixels)


def _svg(path: Path) -> tuple[Drawing, str]:
    """An SVG with nothing outside itself (no DTD or entities, scripts, images or links),
    and the SHA-256 of the bytes it was drawn from. A drawing depends on those bytes alone:
    it is remembered by them (content/cache.py), so a content edit elsewhere draws no SVG
    again, and a run that finds every drawing remembered never imports lxml or svglib."""
    data = path.read_bytes()
    if len(data) > MAX_SVG_BYTES:
        raise PictureRefused(f"SVG is {len(data) // 1024} KB; line art should stay under "
                             f"{MAX_SVG_BYTES // 1024} KB")
    digest = hashlib.sha256(data).hexdigest()
    return remembered(("svg drawing", digest), lambda: _drawn(data, path)), digest


def _drawn(data: bytes, path: Path) -> Drawing:
    """The drawing of SVG `data` (read from `path`), checked; PictureRefused says why not."""
    from lxml import etree
    from svglib.svglib import SvgRenderer

    root = _parsed(data)
    doctype = root.getroottree().docinfo
    if doctype.internalDTD is not None or doctype.doctype:
        raise PictureRefused("SVG must not declare a DOCTYPE or entities")
    if not isinstance(root.tag, str) or etree.QName(root).localname != "svg":
        raise PictureRefused("not an SVG file: its root element is not <svg>")
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        local = etree.QName(element).localname
        if local in ("text", "tspan", "textPath"):
            raise PictureRefused("SVG contains text, which would print in a font the PDF "
                                 "cannot embed: put the words in the content, or convert "
                                 "the text to paths")
        if local in _FORBIDDEN:
            raise PictureRefused(f"SVG contains <{local}>, which could fetch or run something "
                                 "outside the drawing; remove it")
        for attribute, value in element.attrib.items():
            attr = etree.QName(attribute).localname
            if attr == "href" and not value.startswith("#"):
                raise PictureRefused(f"SVG refers to {value!r} outside itself; only "
                                     "references inside the file (#id) are allowed")
            if attr.startswith("on"):
                raise PictureRefused(f"SVG has a script attribute {attr!r}; remove it")
            if _URL_START.search(value):
                element.set(attribute, _own_references(value))
        if local == "style" and element.text and ("@import" in element.text.lower()
                                                  or _URL_START.search(element.text)):
            raise PictureRefused("SVG style sheet imports or loads something; remove it")
    complaints = _Complaints()
    svglib_log = logging.getLogger("svglib")
    svglib_log.addHandler(complaints)
    propagate, svglib_log.propagate = svglib_log.propagate, False
    try:
        drawing: Drawing = SvgRenderer(str(path), external_reference_root=str(path.parent)
                                       ).render(root)
    except Exception as exc:  # svglib raises anything from a malformed drawing
        raise PictureRefused(f"SVG could not be drawn: {exc}") from None
    finally:
        svglib_log.removeHandler(complaints)
        svglib_log.propagate = propagate
    if complaints.messages:
        raise PictureRefused(f"SVG could not be drawn cleanly: {complaints.messages[0]}")
    _reportlab_paths(drawing)
    width, height = float(drawing.width or 0), float(drawing.height or 0)
    if not (math.isfinite(width) and math.isfinite(height)) or width < 1 or height < 1:
        raise PictureRefused("SVG has no size: give it a viewBox or width and height")
    if not 1 / MAX_ASPECT <= height / width <= MAX_ASPECT:
        raise PictureRefused(f"SVG is {width:g} x {height:g}: a picture more than "
                             f"{MAX_ASPECT:g} times wider than tall (or taller than wide) "
                             "cannot be placed readably")
    return drawing


def _reportlab_paths(group: object) -> None:
    """Replace svglib's own kinds of path under `group` by ReportLab's, each holding the
    properties it draws with (no stroke; a clipping path no paint either): drawn alike, and a
    library from the content cache unpickles without importing svglib and lxml."""
    from reportlab.graphics.shapes import Group, Path

    if not isinstance(group, Group):
        return
    for index, child in enumerate(group.contents):
        if isinstance(child, Path) and type(child).__module__.startswith("svglib."):
            plain = Path()
            plain.__dict__.update(child.__dict__)
            plain.__dict__.update(child.getProperties())
            group.contents[index] = plain
        else:
            _reportlab_paths(child)


class _Complaints(logging.Handler):
    """Collects what svglib logs while drawing (a skipped element, a circular reference)."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


_FEED = 512  # bytes fed at a time: at most 170 levels, so 32 + 170 stays under 256


def _parsed(data: bytes) -> _Element:
    """The SVG's root element, parsed with nothing fetched or expanded. Nesting deeper than
    line art needs is refused as it is read, before lxml's own limit (256) would say it in
    a parser's words: the file is fed a little at a time, so the depth is looked at before
    the parser could go more than `_FEED` / 3 levels further (an element is 3 bytes at
    least), whatever lxml does with the events it held when its own limit stopped it."""
    from lxml import etree

    parser = etree.XMLPullParser(events=("start", "end"), resolve_entities=False,
                                 no_network=True, load_dtd=False, huge_tree=False,
                                 remove_comments=True)
    depth = 0
    try:
        for start in range(0, len(data), _FEED):
            parser.feed(data[start:start + _FEED])
            for event, _ in parser.read_events():
                depth += 1 if event == "start" else -1
                if depth > MAX_SVG_DEPTH:
                    raise PictureRefused(f"nested too deeply (more than {MAX_SVG_DEPTH} "
                                         "levels); simplify the drawing")
        root: _Element = parser.close()
    except etree.XMLSyntaxError as exc:
        raise PictureRefused(f"not a well-formed SVG file: {exc}") from None
    return root


def _own_references(value: str) -> str:
    """`value` with each url() written `url(#id)`, the one spelling svglib reads; refuse a
    reference outside the file (CSS's `URL(` fetches as `url(` does) or one unreadable."""
    if len(_URL_START.findall(value)) != len(_URL.findall(value)):
        raise PictureRefused(f"SVG has a url(...) that cannot be read: {value!r}; write "
                             "url(#id)")

    def own(reference: re.Match[str]) -> str:
        target = next(part for part in reference.groups() if part is not None)
        if not target.startswith("#"):
            raise PictureRefused(f"SVG loads {target!r} from outside itself; only references "
                                 "inside the file (url(#id)) are allowed")
        return f"url({target})"

    return _URL.sub(own, value)


def _raster(path: Path) -> tuple[bytes, tuple[int, int]]:
    """A PNG or JPEG that decodes fully and is not a decompression bomb."""
    import warnings

    from PIL import Image, UnidentifiedImageError

    data = path.read_bytes()
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(BytesIO(data)) as image:
                kind, size = image.format, image.size
                if kind not in ("PNG", "JPEG"):
                    raise PictureRefused(f"pictures must be SVG, PNG or JPEG, not {kind}")
                if size[0] * size[1] > MAX_RASTER_PIXELS:
                    raise PictureRefused(f"picture is {size[0]}x{size[1]} pixels; keep it "
                                         "under 36 megapixels")
                image.load()
                if image.getexif().get(_ORIENTATION, 1) in (5, 6, 7, 8):  # turned 90 degrees
                    size = size[1], size[0]
    except PictureRefused:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise PictureRefused("picture is too large to decode safely (a decompression "
                             "bomb?)") from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        raise PictureRefused("not a readable PNG or JPEG image (damaged or truncated?)"
                             ) from None
    return data, size


def placeable(image: Image) -> bool:
    """Whether ReportLab, given `image`'s own bytes, prints it as a viewer shows it."""
    return image.mode in _PLACEABLE_MODES and image.getexif().get(_ORIENTATION, 1) == 1


def upright(image: Image) -> Image:
    """`image` as a viewer shows it, in a mode ReportLab places faithfully.

    ReportLab ignores the EXIF orientation (a phone's portrait photo printed sideways) and
    clips 16-bit grey to 8 bits (mid-grey printed solid white): turn the pixels, and scale
    16-bit values down to 8.
    """
    from PIL import ImageOps

    turned = ImageOps.exif_transpose(image)
    if turned.mode in _PLACEABLE_MODES:
        return turned
    if turned.mode.startswith("I"):  # I;16, I;16B, I: 16 bits a channel
        return turned.convert("I").point(lambda value: value / 256).convert("L")
    return turned.convert("RGBA" if "A" in turned.mode else "RGB")
