"""The shortcuts taken for speed change nothing printed: every PDF is byte-identical to one
made the long way (each size laid out in full, nothing remembered between documents)."""

from __future__ import annotations

import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
from reportlab.lib.colors import HexColor

import handouts.catalogue.document as documents
from handouts.catalogue.document import render_job
from handouts.catalogue.plan import Job
from handouts.content.appointments import Visit
from handouts.content.load import Library, load_library
from handouts.render.picture import themed
from handouts.render.theme import Palette

Run = Callable[..., subprocess.CompletedProcess[str]]


def test_recoloured_drawings_are_shared_per_colours_only(shipped_library: Library) -> None:
    picture = next(p for p in shipped_library.pictures.values() if p.drawing is not None)
    assert picture.drawing is not None
    brand = Palette.from_brand(shipped_library.brand.colours)  # type: ignore[union-attr]
    other = Palette(*(HexColor("#123456") for _ in range(8)))
    assert themed(picture.drawing, brand, None) is themed(picture.drawing, brand, None)
    assert themed(picture.drawing, brand, None) is not themed(picture.drawing, other, None)
    assert themed(picture.drawing, brand, brand.accent) is not themed(picture.drawing, brand,
                                                                      brand.primary)


def test_pdfs_written_to_disk_unchanged_by_a_second_build(tmp_path: Path,
                                                          shipped_library: Library) -> None:
    """Caches filled by one document never leak into the next: a second pass is identical."""
    jobs = [Job("plantar-fasciitis", kind, lang) for kind in ("aftercare", "flyer")
            for lang in ("en", "vi")]
    first = [render_job(shipped_library, job) for job in jobs]
    assert [render_job(shipped_library, job) for job in reversed(jobs)] == first[::-1]


def test_a_logo_replaced_under_the_same_name_is_never_served_stale(project: Path) -> None:
    """The logo is read once per file version: a new image under the old name is drawn."""
    from PIL import Image

    job = Job("plantar-fasciitis", "aftercare", "en")
    library = load_library(project / "data", project / "fonts")
    before = render_job(library, job)
    assert library.logo is not None
    Image.new("RGBA", (64, 64), (200, 30, 30, 128)).save(library.logo)  # same name, new image
    assert render_job(load_library(project / "data", project / "fonts"), job) != before


def test_a_logo_replaced_keeping_its_size_and_date_is_drawn_from_its_new_pixels(
        project: Path) -> None:
    """As a running desk meets it: another picture copied over the logo with `cp -p`."""
    import os

    from PIL import Image

    job = Job("plantar-fasciitis", "aftercare", "en")
    library = load_library(project / "data", project / "fonts")
    assert library.logo is not None
    Image.new("RGB", (64, 64), (30, 90, 80)).save(library.logo, compress_level=0)
    stat = library.logo.stat()
    before = render_job(library, job)
    Image.new("RGB", (64, 64), (200, 30, 30)).save(library.logo, compress_level=0)
    os.utime(library.logo, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert (library.logo.stat().st_size, library.logo.stat().st_mtime_ns) == (
        stat.st_size, stat.st_mtime_ns)
    assert render_job(load_library(project / "data", project / "fonts"), job) != before


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_paragraphs_broken_once_per_width_print_what_rebreaking_prints(
        shipped_library: Library, monkeypatch: pytest.MonkeyPatch, lang: str) -> None:
    from reportlab.platypus import Paragraph

    from handouts.render import blocks

    visit = Visit(client="Emma Wilson", therapist="Linh", date="2026-11-24",
                  notes="Roll the arch over a cold bottle twice a day.", next_visit="2026-12-01")
    jobs = [Job("plantar-fasciitis", "aftercare", lang), Job("plantar-fasciitis", "flyer", lang)]
    plain = Visit(client="Bo", date="2026-11-24")  # Letter leaves no room for notes
    once = [render_job(shipped_library, job) for job in jobs]
    once.append(render_job(shipped_library, jobs[0], visit=visit))
    once.append(render_job(shipped_library, jobs[0], "letter", visit=plain))
    monkeypatch.setattr(blocks.Text, "wrap", Paragraph.wrap)

    if lang == "ja":
        original = blocks.PhraseParagraph.wrap

        def every_time(self, width, height):  # type: ignore[no-untyped-def]
            self.laid_width = None  # every wrap breaks the phrases and the lines again
            return original(self, width, height)

        monkeypatch.setattr(blocks.PhraseParagraph, "wrap", every_time)
    monkeypatch.setattr(documents, "learnt", lambda library: {})
    again = [render_job(shipped_library, job) for job in jobs]
    again.append(render_job(shipped_library, jobs[0], visit=visit))
    again.append(render_job(shipped_library, jobs[0], "letter", visit=plain))
    assert once == again



@pytest.mark.parametrize("lang", ["en", "ja"])
def test_markup_parsed_once_prints_what_parsing_every_paragraph_prints(
        shipped_library: Library, monkeypatch: pytest.MonkeyPatch, lang: str) -> None:
    from reportlab.platypus import Paragraph

    from handouts.render import blocks

    jobs = [Job("plantar-fasciitis", kind, lang) for kind in ("aftercare", "flyer", "menu")]
    visits = [Visit(client=name, therapist="Linh", date="2026-11-24",
                    notes="Roll the arch over a cold bottle twice a day.") for name in
              ("Emma Wilson", "Nguyễn Thị Hoa")]
    made = [render_job(shipped_library, job) for job in jobs]
    made += [render_job(shipped_library, jobs[0], visit=visit) for visit in visits]
    monkeypatch.setattr(blocks.ParsedOnce, "_setup", Paragraph._setup)  # parse every time
    monkeypatch.setattr(documents, "learnt", lambda library: {})
    again = [render_job(shipped_library, job) for job in jobs]
    again += [render_job(shipped_library, jobs[0], visit=visit) for visit in visits]
    assert made == again


def test_paragraphs_of_one_markup_share_no_fragment(shipped_library: Library) -> None:
    """What one paragraph's layout does to its fragments never reaches another's."""
    from handouts.catalogue.checks import family_for
    from handouts.render.blocks import para
    from handouts.render.theme import theme_at

    brand = shipped_library.brand  # type: ignore[attr-defined]
    theme = theme_at(Palette.from_brand(brand.colours), family_for(shipped_library, "en"),
                     10.0, "words", 14.0, 1.0)
    made = [para("Rest the foot, *then* stretch it.", theme, "body") for _ in range(3)]
    assert all([f.text for f in p.frags] == [f.text for f in made[0].frags] for p in made)
    assert len({id(f) for p in made for f in p.frags}) == 3 * len(made[0].frags)


def sheets_of_two_runs(project: Path, run: Run, lang: str,
                       between: Callable[[], None] = lambda: None) -> list[bytes]:
    """The same client's sheet made by two runs of the command, `between` done between."""
    made = []
    for name in ("first.pdf", "second.pdf"):
        result = run("aftercare", "plantar-fasciitis", "--lang", lang, "--client", "Emma Wilson",
                     "--date", "2026-11-24", "-o", name)
        assert result.returncode == 0, result.stderr
        made.append((project / name).read_bytes())
        between()
    return made


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_fonts_kept_parsed_draw_what_fonts_read_afresh_draw(project: Path, run: Run,
                                                             lang: str) -> None:
    """The second run draws with the font faces the first parsed and kept in the content
    cache (Japanese: a face of 2048 units per em, scaled); its sheet is the same bytes."""
    first, second = sheets_of_two_runs(project, run, lang)
    assert list((project / ".handouts" / "cache").glob("face-*"))
    assert second == first


def test_a_damaged_kept_font_face_is_parsed_afresh(project: Path, run: Run) -> None:
    def damage() -> None:
        for face in (project / ".handouts" / "cache").glob("face-*"):
            face.write_bytes(face.read_bytes()[:-100])

    first, second = sheets_of_two_runs(project, run, "en", damage)
    assert second == first
