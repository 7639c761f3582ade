"""Streams deflated once per process: the same bytes as deflating them again."""

from __future__ import annotations

import zlib

from handouts.render.streams import KEPT, deflate


def page(number: int) -> bytes:
    return b"".join(b"BT /F1+0 10 Tf (%d) Tj ET\n" % (number * 1000 + i) for i in range(200))


def test_a_stream_seen_before_comes_from_memory_as_zlib_makes_it() -> None:
    first = deflate(page(1))
    again = deflate(page(1))
    assert again is first  # not compressed a second time
    assert zlib.decompress(again) == page(1) and again == zlib.compress(page(1))


def test_text_is_deflated_as_utf8_like_reportlab_s_filter() -> None:
    text = page(2).decode() + "Chườm lạnh"
    assert deflate(text) == zlib.compress(text.encode("utf8"))


def test_memory_keeps_the_latest_streams_only() -> None:
    oldest = deflate(page(3))
    for number in range(4, 4 + KEPT):
        deflate(page(number))
    assert deflate(page(3)) is not oldest and deflate(page(3)) == oldest
