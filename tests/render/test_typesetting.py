"""Typesetting a reader notices: short lines, nothing that must stay whole broken across two,
readable captions, and pictures that stay sharp (vector) or are refused when they would not."""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path
from subprocess import CompletedProcess

import pytest
from PIL import Image
from pypdf import PdfReader

from handouts.content.channels import contact_handle
from handouts.content.load import Library
from handouts.render.aftercare import home_care_title
from handouts.render.blocks import tie_last_words, unbroken
from handouts.render.picture import MAX_PPI, MIN_PPI
from tests.editing import edit, line_of
from tests.pdf_reading import lines, runs, squashed

Run = Callable[..., CompletedProcess[str]]
TOWEL = "image: art/illustrations/towel-stretch.svg\n"


def _one_line(text: str) -> str:
    return text.replace("\u00a0", " ")


def _english(shipped_out: Path, aftercare_letter: Path,
             flyers: dict[str, Path]) -> dict[str, Path]:
    found = {"aftercare-a4": shipped_out / "plantar-fasciitis-aftercare-en.pdf",
             "aftercare-letter": aftercare_letter}
    found |= {f"flyer-{size}": path for size, path in flyers.items() if "up" not in size}
    return found


def test_no_latin_body_line_is_longer_than_80_characters(
        shipped_out: Path, aftercare_letter: Path, flyers: dict[str, Path]) -> None:
    long_lines = []
    for name, path in _english(shipped_out, aftercare_letter, flyers).items():
        for line in lines(path):
            # the disclaimer is small print beside the page number, not body text
            if len(line) > 80 and "Page " not in line:
                long_lines.append(f"{name}: {line!r}")
    assert long_lines == []


def test_every_phone_number_and_handle_is_on_one_line(
        shipped_out: Path, aftercare_letter: Path, flyers: dict[str, Path],
        shipped_library: Library) -> None:
    assert shipped_library.brand is not None
    handles = [contact_handle(ch) for ch in shipped_library.brand.channels]
    documents = _english(shipped_out, aftercare_letter, flyers)
    documents |= {pdf.stem: pdf for pdf in shipped_out.glob("*.pdf")}
    for name, path in documents.items():
        text_lines = [_one_line(line) for line in lines(path)]
        for handle in handles:
            assert any(handle in line for line in text_lines), (name, handle)


@pytest.mark.parametrize(("lang", "next_visit"), [("vi", "ngày 1 tháng 12 năm 2099"),
                                                  ("en", "December 1, 2099")])
def test_a_long_name_the_therapist_and_the_dates_stay_whole(lang: str, next_visit: str,
                                                           project: Path, run: Run) -> None:
    client = "Nguyễn Thị Phương Thảo Hoàng"
    result = run("aftercare", "plantar-fasciitis", "--client", client, "--lang", lang,
                 "--therapist", "Trần Minh Anh", "--date", "2099-11-24",
                 "--next-visit", "2099-12-01", "--notes",
                 "Roll the arch over a cold bottle twice a day, gently, for a week.")
    assert result.returncode == 0, result.stderr
    (sheet,) = project.glob("*.pdf")
    text_lines = [_one_line(line) for line in lines(sheet)]
    for whole in (client, "Trần Minh Anh", next_visit):
        assert any(whole in line for line in text_lines), (whole, text_lines[:12])


def test_the_notes_title_stands_on_its_own_line_above_the_notes(project: Path, run: Run,
                                                                 shipped_library: Library
                                                                 ) -> None:
    result = run("aftercare", "plantar-fasciitis", "--client", "Mai", "--lang", "en",
                 "--date", "2026-11-24", "--notes", "Ice after running.")
    assert result.returncode == 0, result.stderr
    (sheet,) = project.glob("*.pdf")
    text_lines = [_one_line(line).strip() for line in lines(sheet)]
    title = shipped_library.labels["en"].personal.notes
    assert text_lines[text_lines.index(title) + 1] == "Ice after running."


def test_qr_captions_and_handles_are_at_least_8_pt(flyers: dict[str, Path],
                                                   shipped_out: Path,
                                                   shipped_library: Library) -> None:
    assert shipped_library.brand is not None
    handles = {contact_handle(ch).split(" ")[0] for ch in shipped_library.brand.channels}
    for path in [*(p for n, p in flyers.items() if "up" not in n),
                 shipped_out / "plantar-fasciitis-aftercare-en.pdf"]:
        pages = len(PdfReader(path).pages)
        sizes = [r.size for page in range(1, pages + 1) for r in runs(path, page)
                 if any(_one_line(r.text).startswith(h) for h in handles)]
        assert sizes and min(sizes) >= 7.99, path


def test_unbroken_text_has_no_breakable_space() -> None:
    assert unbroken("+84 905 123 456") == "+84\u00a0905\u00a0123\u00a0456"
    assert " " not in unbroken("Nguyễn Thị Phương Thảo")


def test_the_last_two_short_words_are_tied() -> None:
    assert tie_last_words("and the pain worse, so press gently.") == \
        "and the pain worse, so press\u00a0gently."
    assert tie_last_words("Too short to tie.") == "Too short to tie."
    assert tie_last_words("one two three extraordinarily longwindedness.") == \
        "one two three extraordinarily longwindedness."


def test_svg_artwork_stays_vector(shipped_out: Path) -> None:
    """The only raster on a handout is the logo (once per page): every pictogram and
    illustration is drawn as paths."""
    reader = PdfReader(shipped_out / "plantar-fasciitis-aftercare-en.pdf")
    for page in reader.pages:
        assert [image.name.rsplit(".", 1)[0] for image in page.images] == \
            [page.images[0].name.rsplit(".", 1)[0]]


def _photo(width: int, height: int) -> bytes:
    image = Image.new("RGB", (width, height))
    for x in range(0, width, 7):  # detail, so the photo is not trivially compressible
        for y in range(0, height, 7):
            image.putpixel((x, y), ((x * 3) % 256, (y * 5) % 256, (x + y) % 256))
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def test_a_photo_is_placed_at_print_resolution_and_downsampled(project: Path, towel_facts: Path,
                                                               run: Run) -> None:
    (project / "data" / "towel.png").write_bytes(_photo(2400, 1680))
    edit(towel_facts, TOWEL, "image: towel.png\n")
    result = run("build", "--lang", "en")
    assert result.returncode == 0, result.stderr
    pdf = project / "out" / "plantar-fasciitis-aftercare-en.pdf"
    assert pdf.stat().st_size < 300_000
    reader = PdfReader(pdf)
    placed = []

    def visit(operator: bytes, operands: list[object], cm: list[float],
              tm: list[float]) -> None:
        if operator == b"Do":
            placed.append(abs(cm[0]))

    for page in reader.pages:
        page.extract_text(visitor_operand_before=visit)
    photo = max((image for page in reader.pages for image in page.images),
                key=lambda image: image.image.size[0])
    width_in = max(placed) / 72
    ppi = photo.image.size[0] / width_in
    assert MIN_PPI <= ppi <= MAX_PPI + 1
    assert photo.image.size[0] < 2400


def test_a_photo_too_small_for_print_is_refused_naming_its_line(project: Path, towel_facts: Path,
                                                                run: Run) -> None:
    (project / "data" / "towel.png").write_bytes(_photo(150, 105))
    edit(towel_facts, TOWEL, "image: towel.png\n")
    line = line_of(towel_facts, "image: towel.png")
    result = run("build", "--lang", "en")
    assert result.returncode == 1
    assert f"facts.yaml:{line}:1: picture 'towel.png' prints at " in result.stderr
    assert "pixels wide for 200 ppi" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (project / "out" / "plantar-fasciitis-aftercare-en.pdf").exists()


def _strings(value: object) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for v in value.values() for s in _strings(v)]
    if isinstance(value, list):
        return [s for v in value for s in _strings(v)]
    return []


def test_japanese_lines_break_between_phrases(shipped_out: Path,
                                              shipped_library: Library) -> None:
    """Every line end in the Japanese handout falls between two of budoux's phrases, except
    inside a phrase longer than its narrow column (which must break somewhere)."""
    import budoux

    from handouts.render.inline import plain

    parser = budoux.load_default_japanese_parser()
    treatment = shipped_library.treatments["plantar-fasciitis"]["ja"]
    sources = [plain(s) for s in _strings(treatment.model_dump())]
    pdf_lines = [line.strip() for line in lines(shipped_out
                                                / "plantar-fasciitis-aftercare-ja.pdf")]
    inside = []
    checked = 0
    for before, after in zip(pdf_lines, pdf_lines[1:], strict=False):
        if len(before) < 2 or len(after) < 2:
            continue
        joint = before[-2:] + after[:2]
        for source in sources:
            at = source.find(joint)
            if at < 0:
                continue
            cut = at + 2
            starts, position = set(), 0
            for phrase in parser.parse(source):
                starts.add(position)
                position += len(phrase)
            checked += 1
            phrase_start = max(s for s in starts if s <= cut)
            phrase_end = min([s for s in starts if s > cut] + [len(source)])
            if cut not in starts and phrase_end - phrase_start <= 8:
                inside.append(f"{before} / {after}")
            break
    assert checked > 20
    assert inside == []


@pytest.mark.parametrize("lang", ["en", "vi", "ko", "ja"])
def test_a_section_heading_shares_its_page_with_its_first_block(shipped_out: Path,
                                                                  shipped_library: Library,
                                                                  lang: str) -> None:
    treatment = shipped_library.treatments["plantar-fasciitis"][lang]
    sections = shipped_library.labels[lang].sections
    pages = [squashed(page.extract_text()) for page in
             PdfReader(shipped_out / f"plantar-fasciitis-aftercare-{lang}.pdf").pages]
    firsts = {
        home_care_title(treatment, shipped_library.labels[lang]): treatment.home_care.tips[0],
        sections.stretches: shipped_library.exercises[
            (treatment.home_care.exercises or [])[0]][lang].name,
        sections.faq: treatment.faq[0].question,
    }
    for heading, first in firsts.items():
        start, head = squashed(first.replace("*", ""))[:12], squashed(heading)
        assert any(head in page and start in page[page.index(head):] for page in pages), (
            heading, start)


def test_no_japanese_line_starts_inside_a_verb(shipped_out: Path) -> None:
    """budoux cuts ゆる|めます between its phrases; the words say 緩めます, so a step card
    never leaves the verb's ending (めます) alone at the head of a line."""
    heads = [line.strip() for pdf in shipped_out.glob("*-ja.pdf") for line in lines(pdf)]
    assert heads and [h for h in heads if h.startswith("めます")] == []
