"""The client's aftercare email, read as a mail client reads it: every .eml `handouts email
--eml` writes is parsed with the `email` package, its HTML with a real HTML parser, its PDF
with pypdf."""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
import re
import shutil
import subprocess
import sys
from email.message import EmailMessage
from email.utils import parseaddr, parsedate_to_datetime
from pathlib import Path

import pytest
from pypdf import PdfReader

from handouts.catalogue.document import sheet_exercises
from handouts.content.appointments import Visit
from handouts.content.channels import contact_url
from handouts.content.load import Library
from handouts.content.models import Brand, Email
from handouts.content.programme import read_programme
from handouts.output.message import (
    MARK_PX,
    MARK_SCALE,
    compose_message,
    emphasis,
    home_care_points,
    mark_png,
    paragraphs,
    render_email,
    reply_address,
)
from handouts.render.aftercare import home_care_title
from handouts.render.inline import plain
from handouts.render.localise import format_date
from tests.conftest import REPO, SHIPPED_DATA, SHIPPED_FONTS
from tests.email_reading import parse_eml, parts, read_html

LANGS = ("en", "vi", "ko", "ja")
SHIPPED_ROWS = list(csv.DictReader(io.StringIO(
    (SHIPPED_DATA / "appointments.csv").read_text("utf-8"))))
HOSTILE_NAME = "<script>alert(1)</script>"
HOSTILE_NOTES = '<img src=x onerror="alert(2)"> & **not bold** </td></table><a href="https://evil.example">x</a>'
HOSTILE_ROWS = [
    {"client": f"{HOSTILE_NAME} {lang}", "treatment": "plantar-fasciitis", "lang": lang,
     "therapist": "<b>Linh</b>", "date": "2099-11-24", "email": f"hostile.{lang}@example.com",
     "notes": HOSTILE_NOTES, "next_visit": "2099-12-01"} for lang in LANGS]
ROWS = SHIPPED_ROWS + HOSTILE_ROWS
URL_ATTRIBUTES = {"href", "src", "srcset", "background", "action", "formaction", "poster",
                  "data", "cite", "longdesc", "lowsrc", "dynsrc", "xlink:href"}


@pytest.fixture(scope="module")
def outbox(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path | str]:
    """`handouts email --from day.csv --eml outbox`, run once: each client's .eml file, or
    for a row that could not be made, what the command said (so that row's tests fail with
    the reason and the others still run)."""
    project = tmp_path_factory.mktemp("email")
    shutil.copytree(SHIPPED_DATA, project / "data")
    (project / "fonts").symlink_to(SHIPPED_FONTS, target_is_directory=True)
    with (project / "day.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(SHIPPED_ROWS[0]))
        writer.writeheader()
        writer.writerows(ROWS)
    result = subprocess.run([sys.executable, "-m", "handouts", "email", "--from", "day.csv",
                             "--eml", "outbox"], cwd=project, capture_output=True, text=True,
                            env={**os.environ, "PYTHONPATH": str(REPO)}, timeout=300)
    assert "Traceback" not in result.stderr, result.stderr
    made: dict[str, Path | str] = {row["email"]: result.stderr for row in ROWS}
    for line in result.stdout.splitlines():
        if line.startswith("wrote "):
            path = project / line.removeprefix("wrote ")
            made[parse_eml(path.read_bytes())["To"]] = path
    return made


def _row_dates(row: dict[str, str]) -> tuple[dt.date, dt.date | None]:
    """A row's treatment date (empty: today) and next visit (a date, or '+1w'/'+10d' after
    the treatment), read as the README says."""
    treated = dt.date.fromisoformat(row["date"]) if row["date"] else dt.date.today()
    later = row["next_visit"]
    if not later.startswith("+"):
        return treated, dt.date.fromisoformat(later) if later else None
    count, unit = int(later[1:-1]), later[-1]
    return treated, treated + dt.timedelta(days=count * {"d": 1, "w": 7}[unit])


def _eml(outbox: dict[str, Path | str], address: str) -> EmailMessage:
    found = outbox[address]
    assert isinstance(found, Path), f"no message for {address}: {found}"
    return parse_eml(found.read_bytes())


def _row_id(row: dict[str, str]) -> str:
    return ("hostile-" if row in HOSTILE_ROWS else "") + row["lang"]


@pytest.mark.parametrize("row", ROWS, ids=_row_id)
def test_message_is_text_and_html_alternatives_with_the_sheet_attached(
        row: dict[str, str], outbox: dict[str, Path | str], shipped_library: Library) -> None:
    message = _eml(outbox, row["email"])
    assert message.get_content_type() == "multipart/mixed"
    top = list(message.iter_parts())
    invitation = ["text/calendar"] if row["next_visit"] else []  # the next visit's, twice
    assert [p.get_content_type() for p in top] == ["multipart/alternative", "application/pdf",
                                                   *invitation]
    alternatives = list(top[0].iter_parts())
    assert [p.get_content_type() for p in alternatives] == ["text/plain", "multipart/related",
                                                            *invitation]
    related = list(alternatives[1].iter_parts())
    assert [p.get_content_type() for p in related] == ["text/html"] + ["image/png"] * len(
        shipped_library.brand.channels)  # type: ignore[union-attr]
    assert all(p.get_content_charset() == "utf-8" for p in (alternatives[0], related[0]))
    text, html, pdf = parts(message)
    assert top[1].get_filename().endswith(".pdf")
    reader = PdfReader(io.BytesIO(pdf))
    assert reader.trailer["/Root"]["/Lang"] == row["lang"] and len(reader.pages) <= 2
    assert row["client"] in " ".join(reader.pages[0].extract_text().split())
    # the part a client reads, marks included, is small; the sheet is what weighs
    assert len(top[0].as_bytes()) < 100_000
    assert len(text) > 500 and row["client"] in text


@pytest.mark.parametrize("row", ROWS, ids=_row_id)
def test_headers_a_mail_client_needs_and_no_tracking(
        row: dict[str, str], outbox: dict[str, Path | str], shipped_library: Library) -> None:
    message = _eml(outbox, row["email"])
    brand = shipped_library.brand
    assert brand is not None and brand.email
    sent = parsedate_to_datetime(message["Date"])
    assert sent.tzinfo is not None
    assert abs(dt.datetime.now(dt.timezone.utc) - sent) < dt.timedelta(minutes=10)
    assert re.fullmatch(r"<[^<>@\s]+@lspadanang\.example\.com>", message["Message-ID"])
    assert message["Content-Language"] == row["lang"]
    assert parseaddr(message["Reply-To"]) == (brand.name, brand.email)
    assert message["To"] == row["email"]
    labels = shipped_library.labels[row["lang"]]
    treatment = shipped_library.treatments[row["treatment"]][row["lang"]]
    assert message["Subject"] == labels.email.subject.format(
        client=row["client"], spa=brand.name, treatment=treatment.name)
    _, html, _ = parts(message)
    page = read_html(html)
    for tag in ("script", "link", "iframe", "object", "embed", "form", "base"):
        assert tag not in page.tags, tag
    # nothing is fetched from anywhere: the only URLs are the contact buttons' hrefs and
    # the channel marks, which travel in the message itself (cid:)
    addresses = [v for _, name, v in page.attributes if name in URL_ATTRIBUTES or "://" in v]
    images = page.attribute("img", "src")
    assert sorted(addresses) == sorted(page.hrefs + images)
    carried = {str(p["Content-ID"]).strip("<>"): p for p in message.walk() if p["Content-ID"]}
    for src in images:
        assert src.startswith("cid:") and src.removeprefix("cid:") in carried
        assert carried[src.removeprefix("cid:")].get_content_type() == "image/png"
    assert page.attribute("img", "alt") == [""] * len(images)  # the button's text names it
    assert "url(" not in html and "@import" not in html


@pytest.mark.parametrize("row", ROWS, ids=_row_id)
def test_buttons_link_exactly_to_brand_contacts_named_in_the_client_s_language(
        row: dict[str, str], outbox: dict[str, Path | str], shipped_library: Library) -> None:
    brand = shipped_library.brand
    assert brand is not None
    labels = shipped_library.labels[row["lang"]]
    _, html, _ = parts(_eml(outbox, row["email"]))
    page = read_html(html)
    assert page.hrefs == [contact_url(c) for c in brand.channels]
    for (href, shown), channel in zip(page.links, brand.channels, strict=True):
        assert shown.startswith(getattr(labels.channels, channel.kind)), (href, shown)
    assert page.attribute("html", "lang") == [row["lang"]]
    assert page.attribute("meta", "name").count("color-scheme") == 1
    assert 'content="light dark"' in html


@pytest.mark.parametrize("row", ROWS, ids=_row_id)
def test_both_parts_say_the_same_things_in_the_client_s_language(
        row: dict[str, str], outbox: dict[str, Path | str], shipped_library: Library) -> None:
    brand = shipped_library.brand
    assert brand is not None
    labels = shipped_library.labels[row["lang"]]
    treatment = shipped_library.treatments[row["treatment"]][row["lang"]]
    text, html, _ = parts(_eml(outbox, row["email"]))
    page = read_html(html)
    points = home_care_points(treatment, labels,
                              sheet_exercises(shipped_library, row["treatment"], row["lang"], None))
    assert 3 <= len(points) <= 5
    treated, next_visit = _row_dates(row)
    session = labels.personal.session.format(date=format_date(treated, labels),
                                             therapist=row["therapist"])
    expected = [
        labels.email.greeting.format(client=row["client"]),
        session,
        home_care_title(treatment, labels), labels.sections.see_doctor, labels.sections.contact,
        labels.email.closing, labels.email.sign_off,
        labels.email.signature.format(spa=brand.name),
        *[plain(p.text) for p in points], *[p.detail for p in points if p.detail],
        *[plain(sign) for sign in treatment.see_doctor or []],
        *paragraphs(labels.email.body.format(client=row["client"], spa=brand.name,
                                             treatment=treatment.name), labels),
    ]
    if row["notes"]:
        expected += [labels.personal.notes, row["notes"]]
    if next_visit:
        expected.append(labels.personal.next_visit.format(date=format_date(next_visit, labels)))
    for words in expected:
        assert words in page.text, words
        assert words in text, words
    assert labels.email.tap_to_chat in page.text  # there are no buttons in plain text
    when = format_date(treated, labels)  # a date is never broken across lines
    assert f'<span style="white-space:nowrap">{when}</span>' in html
    for channel in brand.channels:
        assert contact_url(channel) in text


@pytest.mark.parametrize("lang", LANGS)
def test_a_hostile_name_and_notes_are_text_not_markup(lang: str,
                                                      outbox: dict[str, Path | str]) -> None:
    _, html, _ = parts(_eml(outbox, f"hostile.{lang}@example.com"))
    page = read_html(html)
    assert "script" not in page.tags
    assert all(src.startswith("cid:") for src in page.attribute("img", "src"))
    assert "https://evil.example" not in page.hrefs
    assert "b" not in page.tags  # the therapist's "<b>Linh</b>" is text
    assert f"{HOSTILE_NAME} {lang}" in page.text
    assert " ".join(HOSTILE_NOTES.split()) in page.text  # asterisks and all, as typed
    assert "<b>Linh</b>" in page.text
    assert "&lt;script&gt;" in html


def test_emphasis_is_escaped_before_it_is_marked_up() -> None:
    assert str(emphasis("**a<b>** & *c*")) == "<strong>a&lt;b&gt;</strong> &amp; <em>c</em>"


def test_an_email_of_the_shipped_content_is_small_and_the_pdf_is_intact(
        shipped_library: Library) -> None:
    from handouts.catalogue.document import render_job
    from handouts.catalogue.plan import Job

    brand = shipped_library.brand
    assert brand is not None
    visit = Visit(client="Emma Wilson", date=dt.date(2026, 11, 24), email="e@example.com",
                  notes="Ice the heel.", therapist="Linh", next_visit=dt.date(2026, 12, 1))
    pdf = render_job(shipped_library, Job("plantar-fasciitis", "aftercare", "en"), visit=visit)
    message = compose_message(
        brand=brand, labels=shipped_library.labels["en"],
        treatment=shipped_library.treatments["plantar-fasciitis"]["en"], visit=visit,
        lang="en", sender="reception@lspadanang.example.com", to="e@example.com", pdf=pdf,
        filename="sheet.pdf", now=dt.datetime(2026, 11, 24, 18, 0, tzinfo=dt.timezone.utc),
        exercises=sheet_exercises(shipped_library, "plantar-fasciitis", "en", visit))
    again = parse_eml(message.as_bytes())
    assert parts(again)[2] == pdf
    assert again["Date"] == "Tue, 24 Nov 2026 18:00:00 +0000"
    text, html = render_email(brand, shipped_library.labels["en"],
                              shipped_library.treatments["plantar-fasciitis"]["en"], visit, "en",
                              sheet_exercises(shipped_library, "plantar-fasciitis", "en", visit))
    assert len(html.encode()) < 100_000 and len(text.encode()) < 10_000


def test_reply_to_falls_back_to_an_email_channel_then_to_none(shipped_library: Library) -> None:
    brand = shipped_library.brand
    assert brand is not None
    no_email = brand.model_copy(update={"email": None})
    assert reply_address(no_email) is None
    with_channel = no_email.model_copy(update={"channels": [
        *brand.channels, Email(kind="email", address="hello@lspa.example.com")]})
    assert reply_address(with_channel) == "hello@lspa.example.com"
    assert reply_address(brand) == brand.email


def test_label_paragraphs_join_lines_the_language_s_way(shipped_library: Library) -> None:
    en, ja = shipped_library.labels["en"], shipped_library.labels["ja"]
    assert paragraphs("one\ntwo\n\n three \n", en) == ["one two", "three"]
    assert paragraphs("一行目\n二行目", ja) == ["一行目二行目"]


def _compose(library: Library, brand: Brand, pdf: bytes = b"%PDF-1.7",
             visit: Visit | None = None) -> EmailMessage:
    visit = visit or Visit(client="Emma Wilson", date=dt.date(2026, 11, 24),
                           email="e@example.com")
    return compose_message(
        brand=brand, labels=library.labels["en"],
        treatment=library.treatments["plantar-fasciitis"]["en"], visit=visit, lang="en",
        sender="reception@lspadanang.example.com", to="e@example.com", pdf=pdf,
        filename="sheet.pdf", pictures=library.pictures,
        exercises=sheet_exercises(library, "plantar-fasciitis", "en", visit))


def test_a_client_s_programme_is_the_email_s_home_care_in_the_therapist_s_order(
        shipped_library: Library) -> None:
    """Both parts, as a mail client shows them: titled as the client's, the exercises in
    the order given (the treatment lists the arch roll last), each at its doses with its
    note, and the treatment's own stretches left out."""
    brand = shipped_library.brand
    assert brand is not None
    visit = Visit(client="Emma Wilson", date=dt.date(2026, 11, 24), email="e@example.com",
                  exercises=read_programme(["arch-roll:hold=90,daily=3",
                                            "towel-stretch:hold=45,repeats=4,note=left foot"]))
    text, html, _ = parts(parse_eml(_compose(shipped_library, brand, visit=visit).as_bytes()))
    for shown in (text, read_html(html).text):
        said = " ".join(shown.split())
        title = said.index("Your home programme")
        arch, towel = said.index("Rolling the arch"), said.index("Towel stretch")
        assert title < arch < towel
        assert "Hold 90 s · 2 times · 3 times a day" in said[arch:towel]
        assert "left foot" not in said[arch:towel]
        assert "Hold 45 s · 4 times" in said[towel:] and "left foot" in said[towel:]
        assert "Wall calf stretch" not in said


def test_without_marks_the_html_is_a_plain_part_and_has_no_images(
        shipped_library: Library) -> None:
    brand = shipped_library.brand
    assert brand is not None
    bare = brand.model_copy(update={"channels": [c.model_copy(update={"mark": None})
                                                 for c in brand.channels]})
    message = parse_eml(_compose(shipped_library, bare).as_bytes())
    alternative = next(message.iter_parts())
    assert [p.get_content_type() for p in alternative.iter_parts()] == ["text/plain",
                                                                        "text/html"]
    page = read_html(parts(message)[1])
    assert "img" not in page.tags
    assert page.hrefs == [contact_url(c) for c in brand.channels]


def test_a_mark_is_a_small_white_png_with_the_shape_kept(shipped_library: Library) -> None:
    from PIL import Image

    brand = shipped_library.brand
    assert brand is not None
    for channel in brand.channels:
        assert channel.mark is not None
        png = mark_png(shipped_library.pictures[channel.mark])
        image = Image.open(io.BytesIO(png))
        assert image.size == (MARK_PX * MARK_SCALE,) * 2 and image.mode == "RGBA"
        assert len(png) < 4000
        visible = [rgba for _, rgba in image.getcolors(maxcolors=1 << 16) or [] if rgba[3]]
        assert {rgba[:3] for rgba in visible} == {(255, 255, 255)}
        opaque = sum(n for n, rgba in image.getcolors(maxcolors=1 << 16) or [] if rgba[3] > 200)
        assert 0.08 < opaque / (image.width * image.height) < 0.9, channel.kind


def _contrast(one: str, other: str) -> float:
    def luminance(colour: str) -> float:
        channels = [int(colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
        r, g, b = (c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4
                   for c in channels)
        return 0.2126 * r + 0.7152 * g + 0.0722 * b

    light, dark = sorted((luminance(one), luminance(other)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def test_text_contrast_is_wcag_aa_in_light_and_dark_mode(shipped_library: Library) -> None:
    from handouts.output.message import palette

    assert shipped_library.brand is not None
    c = palette(shipped_library.brand)
    pairs = {  # text colour, the background it sits on, as the template pairs them
        "body": (c.ink, c.paper), "heading": (c.primary, c.paper), "detail": (c.muted, c.paper),
        "notes": (c.ink, c.tint), "notes heading": (c.primary, c.tint),
        "doctor": (c.ink, c.warning), "doctor heading": (c.warning_ink, c.warning),
        "button": (c.on_primary, c.primary),
        "dark body": (c.dark_text, c.dark_card), "dark heading": (c.dark_heading, c.dark_card),
        "dark detail": (c.dark_muted, c.dark_card), "dark notes": (c.dark_text, c.dark_box),
        "dark notes heading": (c.dark_heading, c.dark_box),
        "dark doctor": (c.dark_text, c.dark_warning),
        "dark doctor heading": (c.warning, c.dark_warning),
    }
    for role, (text, ground) in pairs.items():
        assert _contrast(text, ground) >= 4.5, (role, text, ground)
