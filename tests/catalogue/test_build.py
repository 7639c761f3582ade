"""Building the catalogue: deterministic, incremental, parallel, tidy, with an index page."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from html.parser import HTMLParser
from pathlib import Path
from subprocess import CompletedProcess

import pytest

from handouts.catalogue.build import build
from handouts.errors import ContentError
from tests.conftest import SHIPPED_DATA, SHIPPED_FONTS, SHIPPED_MENUS, SHIPPED_TREATMENTS, menus
from tests.editing import edit, edit_keeping_stat

LANGS = ("en", "vi", "ko", "ja")
EXPECTED = {f"{treatment}-{kind}-{lang}.pdf" for treatment in SHIPPED_TREATMENTS
            for kind in ("aftercare", "flyer") for lang in LANGS} | SHIPPED_MENUS


def pdf_names(folder: Path) -> set[str]:
    return {p.name for p in folder.glob("*.pdf")}


def stamps(folder: Path) -> dict[str, tuple[int, bytes]]:
    return {p.name: (p.stat().st_mtime_ns, p.read_bytes()) for p in folder.glob("*.pdf")}


def test_two_builds_are_byte_identical(tmp_path: Path, shipped_out: Path) -> None:
    again = build(SHIPPED_DATA, tmp_path, fonts_dir=SHIPPED_FONTS)
    assert again.built
    for path in again.built:
        assert path.read_bytes() == (shipped_out / path.name).read_bytes(), path.name


def test_every_treatment_kind_and_language_is_built(shipped_out: Path) -> None:
    assert pdf_names(shipped_out) == EXPECTED


def test_lang_option_builds_only_that_language(tmp_path: Path) -> None:
    report = build(SHIPPED_DATA, tmp_path, langs=["en"], fonts_dir=SHIPPED_FONTS)
    assert {p.name for p in report.built} == {f"{treatment}-{kind}-en.pdf"
                                              for treatment in SHIPPED_TREATMENTS
                                              for kind in ("aftercare", "flyer")} | menus("en")
    with pytest.raises(ContentError, match="unknown language 'xx'"):  # issue 19: refused
        build(SHIPPED_DATA, tmp_path / "none", langs=["xx"], fonts_dir=SHIPPED_FONTS)


def two_treatments(project: Path) -> Path:
    """The scratch project with a second treatment (English only) beside the first."""
    second = project / "data" / "treatments" / "hot-stone"
    second.mkdir()
    for name in ("en.yaml", "facts.yaml"):  # its words, and its facts (issue 20)
        shutil.copy(project / "data" / "treatments" / "plantar-fasciitis" / name, second / name)
    edit(second / "en.yaml", "name: Plantar fasciitis foot massage", "name: Hot stone massage")
    return project / "out"


def test_editing_one_file_rebuilds_only_its_documents(project: Path) -> None:
    out = two_treatments(project)
    first = build(project / "data", out)
    assert len(first.built) == len(EXPECTED) + 2 and not first.failed
    before = stamps(out)
    edit(project / "data" / "treatments" / "hot-stone" / "en.yaml",
         "headline: Caring for your feet", "headline: Looking after your feet")
    second = build(project / "data", out)
    # the English menus list every treatment written in English: theirs changed too
    assert {p.name for p in second.built} == {"hot-stone-aftercare-en.pdf",
                                              "hot-stone-flyer-en.pdf",
                                              "menu-en-a4.pdf", "menu-en-a5.pdf"}
    assert len(second.unchanged) == len(EXPECTED) - 2
    after = stamps(out)
    for name in before:
        if not name.startswith(("hot-stone", "menu-en-")):
            assert after[name] == before[name], name


def test_a_build_with_no_change_rebuilds_nothing(project: Path) -> None:
    out = project / "out"
    build(project / "data", out)
    before = stamps(out)
    (project / "data" / "brand.yaml").touch()  # a save without a change
    report = build(project / "data", out)
    assert report.built == [] and len(report.unchanged) == len(EXPECTED)
    assert stamps(out) == before
    assert report.summary == f"0 built, {len(EXPECTED)} unchanged, 0 failed"


@pytest.mark.parametrize(("edited", "old", "new"), [
    ("treatments/plantar-fasciitis/en.yaml", b"Caring for your feet", b"Tending to your feet"),
    ("art/illustrations/arch-roll.svg", b'cx="104" cy="113.5"', b'cx="114" cy="113.5"'),
], ids=["words", "picture"])
def test_an_edit_keeping_size_and_mtime_is_rebuilt(project: Path, edited: str, old: bytes,
                                                   new: bytes) -> None:
    out = project / "out"
    build(project / "data", out)
    aftercare = out / "plantar-fasciitis-aftercare-en.pdf"
    before = aftercare.read_bytes()
    edit_keeping_stat(project / "data" / edited, old, new)
    report = build(project / "data", out)
    assert aftercare in report.built
    assert aftercare.read_bytes() != before


def test_an_exercise_translated_rebuilds_its_language_only(project: Path) -> None:
    out = project / "out"
    build(project / "data", out)
    vi_yaml = project / "data" / "exercises" / "arch-roll" / "vi.yaml"
    vi_yaml.write_text(vi_yaml.read_text("utf-8") + "# checked by Lan\n", "utf-8")
    report = build(project / "data", out)
    assert report.built and all(path.name.endswith(("-vi.pdf", "-vi-a4.pdf", "-vi-a5.pdf"))
                                for path in report.built), report.built


def test_editing_the_brand_rebuilds_everything(project: Path) -> None:
    out = project / "out"
    build(project / "data", out)
    edit(project / "data" / "brand.yaml", "name: L Spa Da Nang", "name: L Spa Đà Nẵng")
    assert pdf_names(out) == {p.name for p in build(project / "data", out).built}


def test_force_rebuilds_everything(project: Path) -> None:
    out = project / "out"
    build(project / "data", out)
    assert len(build(project / "data", out, force=True).built) == len(EXPECTED)


def test_removing_a_treatment_removes_only_its_pdfs(project: Path) -> None:
    out = two_treatments(project)
    build(project / "data", out)
    (out / "notes-for-reception.pdf").write_bytes(b"%PDF-1.4 mine")
    shutil.rmtree(project / "data" / "treatments" / "hot-stone")
    report = build(project / "data", out)
    assert {p.name for p in report.removed} == {"hot-stone-aftercare-en.pdf",
                                                "hot-stone-flyer-en.pdf"}
    assert pdf_names(out) == EXPECTED | {"notes-for-reception.pdf"}
    assert not [*(out / "thumbs").glob("hot-stone-aftercare-*"),
                *(out / "thumbs").glob("hot-stone-flyer-*")]


def test_parallel_and_serial_builds_give_identical_bytes(tmp_path: Path) -> None:
    serial = build(SHIPPED_DATA, tmp_path / "serial", fonts_dir=SHIPPED_FONTS, workers=1)
    parallel = build(SHIPPED_DATA, tmp_path / "parallel", fonts_dir=SHIPPED_FONTS, workers=2)
    assert len(serial.built) == len(parallel.built) == len(EXPECTED)
    for path in serial.built:
        assert path.read_bytes() == (tmp_path / "parallel" / path.name).read_bytes()


class Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []
        self.images: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "a" and values.get("href"):
            self.hrefs.append(str(values["href"]))
        if tag == "img" and values.get("src"):
            self.images.append(str(values["src"]))


def test_index_links_every_document_once_to_existing_files(shipped_out: Path) -> None:
    page = Links()
    page.feed((shipped_out / "index.html").read_text(encoding="utf-8"))
    assert sorted(page.hrefs) == sorted(EXPECTED)
    assert len(page.images) == len(EXPECTED)
    for relative in page.hrefs + page.images:
        assert (shipped_out / relative).is_file(), relative
    assert all(img.startswith("thumbs/") and img.endswith(".png") for img in page.images)


def test_a_damaged_manifest_means_a_full_rebuild_not_a_crash(project: Path) -> None:
    out = project / "out"
    build(project / "data", out)
    (out / ".handouts-manifest.json").write_text("{not json", encoding="utf-8")
    report = build(project / "data", out)
    assert len(report.built) == len(EXPECTED) and not report.failed


def test_an_english_only_treatment_builds_in_english_and_says_what_is_unfinished(
        project: Path, run: Callable[..., CompletedProcess[str]]) -> None:
    """Issue 20, item 4: unfinished is not failed; `--strict` (for CI) fails on it."""
    two_treatments(project)
    shutil.copy(project / "data" / "treatments" / "plantar-fasciitis" / "en.yaml",
                project / "data" / "treatments" / "plantar-fasciitis" / "vi.yaml")
    edit(project / "data" / "treatments" / "plantar-fasciitis" / "vi.yaml",
         "name: Plantar fasciitis foot massage", 'name: "TRANSLATE: Foot massage"')
    complete = {*(name for name in EXPECTED
                  if not (name.startswith("plantar-fasciitis-") and name.endswith("-vi.pdf"))),
                "hot-stone-aftercare-en.pdf", "hot-stone-flyer-en.pdf"}
    result = run("build")
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    # the Vietnamese menu lists the samples finished in Vietnamese, not plantar fasciitis
    assert result.stdout.splitlines()[-3:] == [
        "hot-stone: not yet translated into ja, ko, vi; left off the ja, ko, vi menus",
        "plantar-fasciitis: 1 placeholder left; left off the vi menu",
        f"{len(complete)} built, 0 unchanged, 0 failed"]
    assert pdf_names(project / "out") == complete

    strict = run("build", "--strict")
    assert strict.returncode == 1
    assert strict.stderr.splitlines() == [
        "hot-stone: not yet translated into ja, ko, vi; left off the ja, ko, vi menus",
        "plantar-fasciitis: 1 placeholder left; left off the vi menu",
        f"0 built, {len(complete)} unchanged, 0 failed"]
    checked = run("validate")
    assert checked.returncode == 1
    assert "data/treatments/hot-stone/en.yaml:1:1: not yet translated into vi " \
           "(`handouts new translation hot-stone --lang vi` starts it)" in checked.stderr


def test_a_real_mistake_still_fails_the_build(project: Path,
                                              run: Callable[..., CompletedProcess[str]]) -> None:
    edit(project / "data" / "treatments" / "plantar-fasciitis" / "vi.yaml", "name:", "nmae:")
    result = run("build")
    assert result.returncode == 1
    assert "not built: plantar-fasciitis-flyer-vi.pdf" in result.stderr.splitlines()


def test_each_languages_menu_is_made_from_every_treatment_in_it_and_only_remade_then(
        project: Path) -> None:
    """Issue 20, item 5: the menu's inputs are every treatment file of its language (and
    labels, brand, fonts); a new translation adds the treatment to that language's menu."""
    out = two_treatments(project)
    assert SHIPPED_MENUS <= {p.name for p in build(project / "data", out).built}
    treatments = project / "data" / "treatments"
    edit(treatments / "plantar-fasciitis" / "ko.yaml", "pitch: ", "pitch: (새) ")
    assert {p.name for p in build(project / "data", out).built} == {
        "plantar-fasciitis-aftercare-ko.pdf", "plantar-fasciitis-flyer-ko.pdf",
        "menu-ko-a4.pdf", "menu-ko-a5.pdf"}
    shutil.copy(treatments / "hot-stone" / "en.yaml", treatments / "hot-stone" / "ja.yaml")
    assert {p.name for p in build(project / "data", out).built} == {
        "hot-stone-aftercare-ja.pdf", "hot-stone-flyer-ja.pdf",
        "menu-ja-a4.pdf", "menu-ja-a5.pdf"}
    assert build(project / "data", out).built == []
    # on Letter paper: Letter and half-letter menus, and ours on A4 and A5 are cleared away
    letter = build(project / "data", out, paper="letter")
    assert {p.name for p in letter.removed} == SHIPPED_MENUS
    assert {name for name in pdf_names(out) if name.startswith("menu-")} == {
        f"menu-{lang}-{size}.pdf" for lang in LANGS for size in ("letter", "half-letter")}


def test_a_mistake_in_one_treatment_keeps_that_languages_previous_menu(project: Path) -> None:
    out = two_treatments(project)
    build(project / "data", out)
    before = stamps(out)
    edit(project / "data" / "treatments" / "hot-stone" / "en.yaml", "name:", "nmae:")
    report = build(project / "data", out)
    assert {job.job.filename for job in report.failed} >= {"menu-en-a4.pdf", "menu-en-a5.pdf"}
    assert stamps(out)["menu-en-a4.pdf"] == before["menu-en-a4.pdf"]


def test_the_index_shows_each_menu_by_size_and_language(shipped_out: Path) -> None:
    page = (shipped_out / "index.html").read_text(encoding="utf-8")
    assert page.index("<h2>Spa menu</h2>") < page.index("<h2>Plantar fasciitis foot massage")
    for name in SHIPPED_MENUS:
        assert f'href="{name}"' in page, name


def test_a_build_keeps_which_size_fits_each_document_for_the_next(
        project: Path, run: Callable[..., CompletedProcess[str]],
        monkeypatch: pytest.MonkeyPatch) -> None:
    """Worked out on every core, stored with the content cache: a build from scratch after
    it lays each document out once, without trying sizes again."""
    from handouts.content.cache import cached_library, learnt

    assert run("build", "--lang", "en").returncode == 0
    monkeypatch.chdir(project)  # the cache the command used: of its folders, as it named them
    answers = learnt(cached_library(Path("data")))
    known = {key[1].filename for key in answers
             if isinstance(key, tuple) and key[0] == "document fits"}
    assert known == pdf_names(project / "out")


def test_a_build_from_scratch_draws_no_thumbnail_the_last_build_drew(
        project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Thumbnails are kept with the content cache by their PDF's digest: the same PDFs built
    into an empty folder get the same thumbnails, none drawn again."""
    from handouts.output import preview

    build(project / "data", project / "out", langs=["en"])
    first = {p.name: p.read_bytes() for p in (project / "out" / "thumbs").iterdir()}
    shutil.rmtree(project / "out")
    drawn: list[bytes] = []
    draw = preview.thumbnail
    monkeypatch.setattr(preview, "thumbnail",
                        lambda pdf, width_px=220: drawn.append(pdf) or draw(pdf, width_px))
    build(project / "data", project / "out", langs=["en"])
    assert {p.name: p.read_bytes() for p in (project / "out" / "thumbs").iterdir()} == first
    assert drawn == []
