"""render/theme.py: the look, built from brand.yaml; every size follows the body size."""

from __future__ import annotations

import pytest
from reportlab.lib.colors import HexColor

from handouts.content.load import Library
from handouts.render.fonts import register_family
from handouts.render.theme import Palette, Space, Theme


@pytest.fixture(scope="module")
def palette(shipped_library: Library) -> Palette:
    assert shipped_library.brand is not None
    return Palette.from_brand(shipped_library.brand.colours)


def _theme(shipped_library: Library, palette: Palette, body: float, **options: object) -> Theme:
    assert shipped_library.fonts is not None
    family = register_family("noto-sans", shipped_library.fonts, shipped_library.fonts_dir)
    return Theme(palette, family, body, **options)  # type: ignore[arg-type]


def test_the_palette_is_the_brand_s_colours(shipped_library: Library, palette: Palette) -> None:
    assert shipped_library.brand is not None
    colours = shipped_library.brand.colours
    assert (palette.primary, palette.accent, palette.warning_ink) == (
        HexColor(colours.primary), HexColor(colours.accent), HexColor(colours.warning_ink))


def test_body_text_is_set_at_the_body_size(shipped_library: Library, palette: Palette) -> None:
    theme = _theme(shipped_library, palette, 10.5)
    assert theme.style("body").fontSize == 10.5
    assert theme.style("section.title").fontSize == pytest.approx(10.5 * 1.25)


def test_qr_captions_never_go_below_8_pt(shipped_library: Library, palette: Palette) -> None:
    assert _theme(shipped_library, palette, 9).style("qr.caption").fontSize == 8.0


def test_tighter_spacing_shrinks_every_gap(shipped_library: Library, palette: Palette) -> None:
    normal = _theme(shipped_library, palette, 11)
    tight = _theme(shipped_library, palette, 11, spacing=0.8)
    assert tight.gap == pytest.approx(normal.gap * 0.8)
    assert tight.space(Space.SECTION) == pytest.approx(normal.space(Space.SECTION) * 0.8)


def test_character_line_breaking_sets_every_style_to_cjk(shipped_library: Library,
                                                        palette: Palette) -> None:
    theme = _theme(shipped_library, palette, 11, line_breaking="characters")
    assert {style.wordWrap for style in theme.styles.values()} == {"CJK"}


def test_the_measure_is_about_75_body_characters(shipped_library: Library,
                                                 palette: Palette) -> None:
    small, large = _theme(shipped_library, palette, 10), _theme(shipped_library, palette, 12)
    assert large.measure == pytest.approx(small.measure * 1.2)
