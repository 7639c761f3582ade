"""Drawing pictures: vector artwork painted from operators worked out once per drawing."""

from __future__ import annotations

import pytest
from reportlab.graphics.shapes import Circle, Drawing
from reportlab.lib import colors

from handouts.catalogue.document import render_job
from handouts.catalogue.plan import Job
from handouts.content.load import Library
from handouts.render import picture
from handouts.render.kinds import Kind
from handouts.render.picture import drawing_operators


@pytest.mark.parametrize(("kind", "lang"), [("aftercare", "en"), ("flyer", "ja")])
def test_painting_from_kept_operators_gives_the_bytes_renderpdf_gives(
        shipped_library: Library, monkeypatch: pytest.MonkeyPatch, kind: str, lang: str) -> None:
    job = Job("plantar-fasciitis", Kind(kind), lang)
    kept = render_job(shipped_library, job)
    monkeypatch.setattr(picture, "drawing_operators", lambda drawing: None)
    monkeypatch.setattr(picture, "remembered", lambda key, work: work())  # none kept either
    assert render_job(shipped_library, job) == kept


def test_operators_are_worked_out_once_and_name_no_font() -> None:
    drawing = Drawing(10, 10, Circle(5, 5, 4, fillColor=colors.red))
    first = drawing_operators(drawing)
    assert first is not None and drawing_operators(drawing) is first
    assert not any(" Tf" in op for op in first)


def test_a_transparent_drawing_is_painted_afresh() -> None:
    drawing = Drawing(10, 10, Circle(5, 5, 4, fillColor=colors.red, fillOpacity=0.5))
    assert drawing_operators(drawing) is None
