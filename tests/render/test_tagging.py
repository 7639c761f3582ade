"""Tagged PDF (PDF/UA-1): what a screen reader gets from a handout, read from the structure
tree with pypdf and, where poppler is installed, with `pdfinfo -struct-text`."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader
from pypdf.generic import BooleanObject

from handouts.catalogue.document import render_job
from handouts.catalogue.plan import Job
from handouts.content.appointments import Visit
from handouts.content.channels import contact_handle
from handouts.content.load import Library, load_library
from handouts.render.aftercare import home_care_title
from handouts.render.inline import plain
from handouts.render.kinds import Kind
from tests.pdf_reading import squashed
from tests.structure_reading import (
    catalog,
    parent_tree,
    read,
    struct_text,
    untagged_text,
    xmp,
)

LANGS = ["en", "vi", "ko", "ja"]
TREATMENT = "plantar-fasciitis"
VISIT = Visit(client="Emma Wilson", therapist="Linh", date=dt.date(2026, 11, 24),
              next_visit=dt.date(2026, 12, 1), notes="Roll the arch over a cold bottle.")
DC = "{http://purl.org/dc/elements/1.1/}"
RDF = "{http://www.w3.org/1999/02/22-rdf-syntax-ns#}"
PDFUAID = "{http://www.aiim.org/pdfua/ns/id/}"


@pytest.fixture(scope="module")
def sheets(shipped_library: Library, tmp_path_factory: pytest.TempPathFactory
           ) -> dict[str, Path]:
    """A personalised aftercare sheet in every language."""
    folder = tmp_path_factory.mktemp("sheets")
    found = {}
    for lang in LANGS:
        path = folder / f"sheet-{lang}.pdf"
        path.write_bytes(render_job(shipped_library, Job(TREATMENT, Kind.AFTERCARE, lang),
                                    visit=VISIT))
        found[lang] = path
    return found


def documents(shipped_out: Path, sheets: dict[str, Path]) -> dict[str, Path]:
    """Every handout, flyer, menu and personalised sheet, by a name for the failure message
    (ending in its language)."""
    found = {f"{kind}-{lang}": shipped_out / f"{TREATMENT}-{kind}-{lang}.pdf"
             for kind in ("aftercare", "flyer") for lang in LANGS}
    found |= {f"menu-{size}-{lang}": shipped_out / f"menu-{lang}-{size}.pdf"
              for size in ("a4", "a5") for lang in LANGS}
    return found | {f"sheet-{lang}": path for lang, path in sheets.items()}


def headings_in_order(library: Library, lang: str) -> list[str]:
    """The headings a client sees on a handout, top to bottom."""
    treatment = library.treatments[TREATMENT][lang]
    s = library.labels[lang].sections
    return [treatment.headline, treatment.condition.title, s.how_it_helps, s.steps,
            s.benefits, s.muscles, home_care_title(treatment, library.labels[lang]),
            s.stretches, s.precautions, s.see_doctor,
            s.faq, s.contact]


def test_every_text_operator_is_tagged_or_an_artifact(shipped_out: Path,
                                                      sheets: dict[str, Path]) -> None:
    for name, path in documents(shipped_out, sheets).items():
        assert untagged_text(path) == [], name


@pytest.mark.parametrize("lang", LANGS)
def test_headings_are_h1_then_h2s_in_visual_order(shipped_out: Path, sheets: dict[str, Path],
                                                  shipped_library: Library, lang: str) -> None:
    expected = [squashed(plain(h)) for h in headings_in_order(shipped_library, lang)]
    for path in (shipped_out / f"{TREATMENT}-aftercare-{lang}.pdf", sheets[lang]):
        headings = [e for e in read(path).root.walk() if re.fullmatch(r"H\d", e.role)]
        assert [e.role for e in headings] == ["H1"] + ["H2"] * (len(expected) - 1), path.name
        for heading, text in zip(headings, expected, strict=True):
            # the contact heading runs on into its note, in one paragraph
            assert squashed(heading.text).startswith(text), (path.name, heading.text, text)


def test_every_figure_has_alternative_text_and_every_code_says_its_channel(
        shipped_out: Path, sheets: dict[str, Path], shipped_library: Library) -> None:
    brand = shipped_library.brand
    assert brand is not None
    for name, path in documents(shipped_out, sheets).items():
        lang = name.rsplit("-", 1)[1]
        labels = shipped_library.labels[lang]
        figures = [e for e in read(path).root.walk() if e.role == "Figure"]
        assert figures and all(f.alt and str(f.alt).strip() for f in figures), name
        alts = {str(f.alt) for f in figures}
        for channel in brand.channels:
            caption = getattr(labels.channels, channel.kind)
            assert labels.qr_alt.format(channel=caption, handle=contact_handle(channel)) \
                in alts, (name, channel.kind)


def described(library: Library, slug: str, kind: str, lang: str) -> list[str]:
    """The descriptions content gives the pictures a document shows, in reading order."""
    treatment = library.treatments[slug][lang]
    if kind == "flyer":
        return [treatment.flyer.hero_alt] if treatment.flyer.hero_alt else []
    stretches = [library.exercises[ident][lang] for ident in treatment.home_care.exercises or []]
    return [alt for alt in [treatment.condition.alt if treatment.condition else None,
                            *(stretch.alt for stretch in stretches)] if alt]


@pytest.mark.parametrize("lang", LANGS)
def test_every_picture_is_read_as_its_content_description_never_a_heading(
        shipped_out: Path, sheets: dict[str, Path], shipped_library: Library,
        lang: str) -> None:
    brand = shipped_library.brand
    assert brand is not None
    labels = shipped_library.labels[lang]
    codes = {labels.qr_alt.format(channel=getattr(labels.channels, channel.kind),
                                  handle=contact_handle(channel)) for channel in brand.channels}
    shown = {(slug, kind): shipped_out / f"{slug}-{kind}-{lang}.pdf"
             for slug in shipped_library.treatments for kind in ("aftercare", "flyer")}
    shown[(TREATMENT, "sheet")] = sheets[lang]
    pictured = 0
    for (slug, kind), path in shown.items():
        elements = list(read(path).root.walk())
        alts = [str(e.alt) for e in elements if e.role == "Figure" and str(e.alt) not in codes]
        assert alts == described(shipped_library, slug, kind, lang), path.name
        headings = {squashed(e.all_text()) for e in elements if re.fullmatch(r"H\d", e.role)}
        assert not headings & {squashed(alt) for alt in alts}, path.name
        pictured += len(alts)
    assert pictured >= 9  # the foot, its hero and the six stretches are all described


def test_every_link_annotation_belongs_to_a_link_element(shipped_out: Path,
                                                         sheets: dict[str, Path]) -> None:
    for name, path in documents(shipped_out, sheets).items():
        tagged = read(path)
        reader = tagged.reader
        parents = parent_tree(reader)
        claimed = {a.idnum for e in tagged.root.walk() if e.role == "Link"
                   for a in e.annotations}
        links = 0
        for page in reader.pages:
            annots = page.get("/Annots") or []
            if annots:
                assert page["/Tabs"] == "/S", name
            for ref in annots:
                annotation = ref.get_object()
                if annotation["/Subtype"] != "/Link":
                    continue
                links += 1
                parent = parents[int(annotation["/StructParent"])].get_object()
                assert parent["/S"] == "/Link", name
                assert ref.idnum in claimed, name
                assert str(annotation.get("/Contents", "")).strip(), name
        assert links >= 5, name


def test_pages_point_into_the_parent_tree(shipped_out: Path, sheets: dict[str, Path]) -> None:
    for name, path in documents(shipped_out, sheets).items():
        tagged = read(path)
        parents = parent_tree(tagged.reader)
        pages: list[Any] = list(tagged.reader.pages)  # pypdf types its values as PdfObject
        for index, page in enumerate(pages):
            owners = parents[page["/StructParents"]]
            for mcid in tagged.texts[index]:
                assert owners[mcid].get_object()["/Type"] == "/StructElem", (name, mcid)


def test_marked_title_shown_language_and_pdf_ua_identified(shipped_out: Path,
                                                           sheets: dict[str, Path]) -> None:
    for name, path in documents(shipped_out, sheets).items():
        reader = PdfReader(path)
        root = catalog(reader)
        assert root["/MarkInfo"]["/Marked"] == BooleanObject(True), name
        assert root["/ViewerPreferences"]["/DisplayDocTitle"] == BooleanObject(True), name
        assert root["/Lang"] == name.rsplit("-", 1)[1], name
        metadata = xmp(reader)
        assert metadata.findtext(f".//{PDFUAID}part") == "1", name
        title = metadata.find(f".//{DC}title/{RDF}Alt/{RDF}li")
        assert title is not None and reader.metadata is not None
        assert title.text == reader.metadata.title, name


def test_a_bullet_is_a_list_item_with_its_label_and_body(shipped_out: Path) -> None:
    root = read(shipped_out / f"{TREATMENT}-aftercare-en.pdf").root
    items = [e for e in root.walk() if e.role == "LI"]
    assert len(items) >= 10  # five steps and the bullets of three lists
    for item in items:
        assert [k.role for k in item.kids] == ["Lbl", "LBody"], item.all_text()
        assert item.kids[0].text.strip() and item.kids[1].all_text().strip()


@pytest.mark.parametrize("lang", LANGS)
def test_the_address_is_read_in_its_own_language(shipped_out: Path, shipped_library: Library,
                                                 lang: str) -> None:
    brand = shipped_library.brand
    assert brand is not None and brand.address_lang == "vi"
    for kind in ("aftercare", "flyer"):
        root = read(shipped_out / f"{TREATMENT}-{kind}-{lang}.pdf").root
        address = [e for e in root.walk() if squashed(e.text) == squashed(brand.address)]
        assert len(address) == 1, kind
        assert address[0].lang == (None if lang == "vi" else "vi"), kind
        others = {e.lang for e in root.walk() if e not in address}
        assert others == {None}, kind  # everything else is in the document's /Lang


def test_a_document_is_byte_identical_render_to_render_and_folder_to_folder(
        shipped_library: Library, sheets: dict[str, Path], project: Path) -> None:
    job = Job(TREATMENT, Kind.AFTERCARE, "ko")
    assert render_job(shipped_library, job, visit=VISIT) == sheets["ko"].read_bytes()
    copied = load_library(project / "data", project / "fonts")
    assert render_job(copied, job, visit=VISIT) == sheets["ko"].read_bytes()


def test_a_personalised_sheet_stays_small_enough_to_email(sheets: dict[str, Path]) -> None:
    for lang, path in sheets.items():
        assert path.stat().st_size < 300_000, lang


def in_order(found: list[str], wanted: list[str]) -> list[str]:
    """The `wanted` texts missing from `found` in that order (each a prefix of one there)."""
    missing = []
    position = 0
    for text in wanted:
        key = squashed(plain(text))
        at = next((i for i in range(position, len(found)) if found[i].startswith(key)), None)
        if at is None:
            missing.append(text)
        else:
            position = at + 1
    return missing


@pytest.mark.poppler
@pytest.mark.parametrize("lang", LANGS)
def test_pdfinfo_reads_the_handout_in_reading_order(shipped_out: Path, sheets: dict[str, Path],
                                                    shipped_library: Library,
                                                    lang: str) -> None:
    treatment = shipped_library.treatments[TREATMENT][lang]
    labels = shipped_library.labels[lang]
    brand = shipped_library.brand
    assert brand is not None
    headings = headings_in_order(shipped_library, lang)
    after_steps = headings.index(labels.sections.steps) + 1
    wanted = [brand.name, *headings[:after_steps],
              *[text for step in treatment.steps for text in (step.title, step.text)],
              *headings[after_steps:-1], treatment.faq[0].question, treatment.faq[0].answer,
              labels.sections.contact, labels.channels.whatsapp, brand.address]
    for path in (shipped_out / f"{TREATMENT}-aftercare-{lang}.pdf", sheets[lang]):
        found = [squashed(text) for _, text in struct_text(path)]
        assert in_order(found, wanted) == [], path.name
    personal = [squashed(text) for _, text in struct_text(sheets[lang])]
    assert any(VISIT.client.replace(" ", "") in text for text in personal)


@pytest.mark.poppler
def test_pdfinfo_reads_words_apart_across_line_breaks(shipped_out: Path,
                                                      shipped_library: Library) -> None:
    intro = shipped_library.treatments[TREATMENT]["en"].intro
    texts = [text for _, text in struct_text(shipped_out / f"{TREATMENT}-aftercare-en.pdf")]
    assert " ".join(plain(intro).split()) in [" ".join(t.split()) for t in texts]


@pytest.mark.poppler
@pytest.mark.parametrize("lang", LANGS)
def test_pdfinfo_reads_the_flyer_contact_panel_after_its_story(shipped_out: Path,
                                                               shipped_library: Library,
                                                               lang: str) -> None:
    treatment = shipped_library.treatments[TREATMENT][lang]
    labels = shipped_library.labels[lang]
    found = [squashed(text)
             for _, text in struct_text(shipped_out / f"{TREATMENT}-flyer-{lang}.pdf")]
    steps = treatment.flyer.steps or [step.title for step in treatment.steps]
    assert in_order(found, [treatment.flyer.headline, labels.flyer.steps, *steps,
                            labels.flyer.book]) == []


@pytest.mark.parametrize("lang", LANGS)
def test_numbered_items_read_in_number_order(shipped_out: Path, lang: str) -> None:
    """The flyer's session list reads down each column before the next, as it is numbered,
    though its table draws row by row; the handout's step cards read card by card."""
    for kind in ("flyer", "aftercare"):
        root = read(shipped_out / f"{TREATMENT}-{kind}-{lang}.pdf").root
        labels = [e.text.strip() for e in root.walk() if e.role == "Lbl"
                  and e.text.strip().isdigit()]
        assert labels == [str(n) for n in range(1, len(labels) + 1)], (kind, labels)
        assert len(labels) >= 3, kind


@pytest.mark.poppler
@pytest.mark.parametrize("lang", LANGS)
def test_the_disclaimer_is_read_once_at_the_end(shipped_out: Path, sheets: dict[str, Path],
                                                shipped_library: Library, lang: str) -> None:
    """Printed at the foot of every page, the disclaimer is real content once (on the last
    page, read after the story) and page furniture everywhere else."""
    assert shipped_library.brand is not None
    disclaimer = squashed(plain(shipped_library.brand.disclaimer[lang]))
    for path in (shipped_out / f"{TREATMENT}-aftercare-{lang}.pdf", sheets[lang]):
        read = [squashed(text) for _, text in struct_text(path)]
        assert [text for text in read if disclaimer in text] == [disclaimer], path.name
        assert read[-1] == disclaimer, path.name
