"""The client's aftercare email: a plain-text part, an HTML part and the sheet as a PDF.

Both parts say the same thing, in the client's language: the greeting, the therapist's notes
and next visit, the most important home-care points, when to see a doctor, and a tappable
button per contact channel. Every word comes from the labels file, the treatment file and
brand.yaml; every link from `contact_url`. The templates are Jinja2 with autoescape on for
HTML, so content (a client's name, a note) is always text, never markup.

The HTML is written for mail clients, not browsers: inline styles, tables for layout, no
external images, fonts or CSS, a 600 px column that narrows to a phone's width, and dark-mode
colours for the clients that honour `prefers-color-scheme`. There is no tracking of any kind.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import format_datetime, formataddr, make_msgid
from functools import cache

from jinja2 import Environment
from markupsafe import Markup, escape

from handouts.content.appointments import Visit
from handouts.content.channels import contact_handle, contact_url
from handouts.content.models import Brand, Email, Labels, Treatment
from handouts.content.pictures import Picture
from handouts.content.programme import Dosed
from handouts.output.invitation import FILENAME, INVITATION, next_visit_ics
from handouts.output.jinja import environment
from handouts.render.aftercare import doses, home_care_title
from handouts.render.inline import _spans, plain
from handouts.render.localise import format_when

#: How many home-care points the email lists; the attached sheet has them all.
MAX_POINTS = 5
#: Stretches come first (a client does them daily), at most this many; then the tips.
MAX_STRETCHES = 3
#: A channel's mark on its button, in CSS pixels; drawn at 3x for sharp phone screens.
MARK_PX = 24
MARK_SCALE = 3


@dataclass(frozen=True)
class Point:
    """One home-care point: a stretch (name, hold and repeats, how) or a tip (text only)."""

    text: str  # Markdown-lite, as in the treatment file
    detail: str | None = None  # "Hold 30 s · 3 times"
    how: str | None = None
    note: str | None = None  # the therapist's, for this client (plain text)


@dataclass(frozen=True)
class Button:
    """A contact channel as the email shows it: its name, its handle, its link and, when
    brand.yaml gives the channel a mark, the Content-ID of that mark's inline image."""

    name: str
    handle: str
    url: str
    mark_cid: str | None = None


@dataclass(frozen=True)
class Palette:
    """brand.yaml's colours, and darker and lighter ones for dark mode, as #RRGGBB."""

    primary: str
    accent: str
    ink: str
    paper: str
    tint: str
    warning: str
    warning_ink: str
    on_primary: str
    dark_page: str
    dark_card: str
    dark_box: str
    dark_warning: str
    dark_text: str
    dark_heading: str
    dark_muted: str
    muted: str


def _mix(one: str, other: str, share: float) -> str:
    """`share` of `other` mixed into `one`: `_mix(teal, '#000000', 0.7)` is a dark teal."""
    a = [int(one[i:i + 2], 16) for i in (1, 3, 5)]
    b = [int(other[i:i + 2], 16) for i in (1, 3, 5)]
    return "#" + "".join(f"{round(x + (y - x) * share):02X}" for x, y in zip(a, b, strict=True))


def palette(brand: Brand) -> Palette:
    c = brand.colours
    return Palette(
        primary=c.primary, accent=c.accent, ink=c.ink, paper=c.paper, tint=c.tint,
        warning=c.warning, warning_ink=c.warning_ink, on_primary="#FFFFFF",
        muted=_mix(c.ink, c.paper, 0.3),
        dark_page=_mix(c.primary, "#000000", 0.82), dark_card=_mix(c.primary, "#000000", 0.7),
        dark_box=_mix(c.primary, "#000000", 0.45),
        dark_warning=_mix(c.warning_ink, "#000000", 0.55),
        dark_text=_mix(c.tint, "#FFFFFF", 0.3), dark_heading=_mix(c.primary, "#FFFFFF", 0.6),
        dark_muted=_mix(c.tint, "#000000", 0.25),
    )


def home_care_points(treatment: Treatment, labels: Labels, exercises: Sequence[Dosed],
                     own: bool = False) -> list[Point]:
    """The exercises (up to three, with their doses), then tips: five points at most; a
    client's own programme is listed whole, with the therapist's notes."""
    points = [Point(e.exercise.name, labels.separator.join(doses(e, labels)), e.exercise.how,
                    e.note)
              for e in (exercises if own else exercises[:MAX_STRETCHES])]
    points += [Point(tip) for tip in treatment.home_care.tips]
    return points[:max(MAX_POINTS, len(exercises) if own else 0)]


def buttons(brand: Brand, labels: Labels, marks: Mapping[str, bytes] = {}) -> list[Button]:
    """One per channel in brand.yaml, in its order, named in the client's language."""
    return [Button(getattr(labels.channels, c.kind), contact_handle(c), contact_url(c),
                   _cid(c.mark) if c.mark and c.mark in marks else None)
            for c in brand.channels]


def _cid(mark: str) -> str:
    """A Content-ID for a mark file, the same in every message: `whatsapp.svg@mark`."""
    return re.sub(r"[^A-Za-z0-9._-]", "-", mark.rsplit("/", 1)[-1]) + "@mark"


_MARK_CACHE: dict[tuple[str, str], bytes] = {}


def mark_png(picture: Picture, colour: str = "#FFFFFF") -> bytes:
    """A channel mark as a small PNG in one colour on a transparent ground, for a button.

    Mail clients show SVG rarely, PNG always; the shape is kept from the drawing (or
    picture) and every visible pixel takes `colour`, so any mark reads on the button.
    """
    key = (picture.name, colour)
    if key not in _MARK_CACHE:
        _MARK_CACHE[key] = _rasterise(picture, colour)
    return _MARK_CACHE[key]


def _rasterise(picture: Picture, colour: str) -> bytes:
    import io

    from PIL import Image

    size = MARK_PX * MARK_SCALE
    if picture.drawing is not None:
        import pypdfium2 as pdfium
        from reportlab.graphics import renderPDF

        drawing = picture.drawing
        document = pdfium.PdfDocument(renderPDF.drawToString(drawing))
        try:
            scale = size / max(float(drawing.width), float(drawing.height))
            image = document[0].render(scale=scale, fill_color=(255, 255, 255, 0)).to_pil()
        finally:
            document.close()
    else:
        image = Image.open(io.BytesIO(picture.raster))
        image.thumbnail((size, size))
    alpha = image.convert("RGBA").getchannel("A")
    if picture.drawing is None and alpha.getextrema() == (255, 255):  # an opaque raster:
        alpha = image.convert("L").point(lambda v: 255 - v)  # its dark parts are the shape
    rgb = tuple(int(colour[i:i + 2], 16) for i in (1, 3, 5))
    canvas = Image.new("RGBA", (size, size), (*rgb, 0))
    shape = Image.new("RGBA", alpha.size, (*rgb, 255))
    shape.putalpha(alpha)
    canvas.alpha_composite(shape, ((size - alpha.width) // 2, (size - alpha.height) // 2))
    out = io.BytesIO()
    canvas.save(out, "PNG", optimize=True)
    return out.getvalue()


def reply_address(brand: Brand) -> str | None:
    """Where a client's reply goes: brand.yaml's `email`, else its first email channel."""
    if brand.email:
        return brand.email
    return next((c.address for c in brand.channels if isinstance(c, Email)), None)


def paragraphs(text: str, labels: Labels) -> list[str]:
    """A label's paragraphs (split at blank lines), each paragraph's lines joined again:
    with a space, or with nothing where the language breaks lines between characters."""
    joiner = "" if labels.line_breaking == "characters" else " "
    return [joiner.join(line.strip() for line in block.splitlines() if line.strip())
            for block in re.split(r"\n\s*\n", text.strip()) if block.strip()]


def emphasis(text: str) -> Markup:
    """Markdown-lite `**bold**` / `*italic*` as <strong>/<em>, every character escaped."""
    out = []
    for kind, run in _spans(text):
        piece = str(escape(run))
        if "i" in kind:
            piece = f"<em>{piece}</em>"
        if "b" in kind:
            piece = f"<strong>{piece}</strong>"
        out.append(piece)
    return Markup("".join(out))


@dataclass(frozen=True)
class Dated:
    """A label with a date in it: as text, and as HTML that keeps the date on one line."""

    text: str
    html: Markup


def dated(label: str, day: dt.date, labels: Labels, time: dt.time | None = None,
          **fields: str) -> Dated:
    """`label` with {date} (and `time`, when given) written the language's way, and its
    other {fields} filled in."""
    when = format_when(day, time, labels)
    unbroken = Markup('<span style="white-space:nowrap">{}</span>').format(when)
    return Dated(label.format(date=when, **fields),
                 escape(label).format(date=unbroken, **fields))  # fields are escaped


@cache
def _environment() -> Environment:
    return environment({"emphasis": emphasis, "plain": plain})


def email_context(brand: Brand, labels: Labels, treatment: Treatment, visit: Visit,
                  lang: str, exercises: Sequence[Dosed],
                  marks: Mapping[str, bytes] = {}) -> dict[str, object]:
    """Everything the two templates print, already in the client's language; `exercises`
    are those the sheet prints (the client's programme, else the treatment's)."""
    own = visit.exercises is not None
    e, p = labels.email, labels.personal
    names = {"client": visit.client, "spa": brand.name, "treatment": treatment.name}
    session = (dated(p.session, visit.date, labels, therapist=visit.therapist)
               if visit.therapist else dated(p.session_no_therapist, visit.date, labels))
    next_visit = (dated(p.next_visit, visit.next_visit, labels, visit.next_visit_time)
                  if visit.next_visit else None)
    return {
        "lang": lang, "separator": labels.separator, "line_breaking": labels.line_breaking,
        "subject": e.subject.format(**names),
        "spa": brand.name, "tagline": brand.tagline.get(lang),
        "greeting": e.greeting.format(client=visit.client),
        "intro": paragraphs(e.body.format(**names), labels),
        "session": session, "notes_label": p.notes, "notes": visit.notes,
        "next_visit": next_visit,
        # the next visit travels as an invitation too (compose_message): say how to add it
        "add_to_calendar": e.add_to_calendar if next_visit else None,
        "home_care_title": p.programme if own else home_care_title(treatment, labels),
        "home_care_intro": treatment.home_care.intro,
        "points": home_care_points(treatment, labels, exercises, own),
        # when to see a doctor; a treatment that names no such signs gives its precautions
        "warning_title": (labels.sections.see_doctor if treatment.see_doctor
                          else labels.sections.precautions),
        "warnings": treatment.see_doctor or treatment.precautions,
        "contact_title": labels.sections.contact, "tap_to_chat": e.tap_to_chat,
        "buttons": buttons(brand, labels, marks), "mark_px": MARK_PX,
        "closing": e.closing, "sign_off": e.sign_off,
        "signature": e.signature.format(spa=brand.name),
        "address": brand.address,
        "hours": labels.hours.format(opens=brand.hours.opens, closes=brand.hours.closes),
        "website": brand.website, "disclaimer": brand.disclaimer.get(lang),
        "colours": palette(brand),
    }


def render_email(brand: Brand, labels: Labels, treatment: Treatment, visit: Visit,
                 lang: str, exercises: Sequence[Dosed],
                 marks: Mapping[str, bytes] = {}) -> tuple[str, str]:
    """The plain-text and the HTML body of the client's email; `marks` (mark file -> PNG)
    are the channel marks the HTML shows as inline images."""
    context = email_context(brand, labels, treatment, visit, lang, exercises, marks)
    env = _environment()
    text = env.get_template("aftercare_email.txt.j2").render(context)
    html = env.get_template("aftercare_email.html.j2").render(context)
    return text, html


def compose_message(*, brand: Brand, labels: Labels, treatment: Treatment, visit: Visit,
                    lang: str, sender: str, to: str, pdf: bytes, filename: str,
                    exercises: Sequence[Dosed],
                    pictures: Mapping[str, Picture] | None = None,
                    now: dt.datetime | None = None) -> EmailMessage:
    """The client's email: text and HTML alternatives, the sheet attached, in `lang`.

    multipart/mixed [multipart/alternative [text/plain, text/html], application/pdf]; with
    channel marks (brand.yaml's `mark`, found in `pictures`) the HTML becomes
    multipart/related [text/html, image/png...], each mark an inline image on its button;
    with a next visit, the invitation to it (invitation.py) closes the alternatives and
    follows the PDF as next-visit.ics.
    """
    pictures = pictures or {}
    marks = {c.mark: mark_png(pictures[c.mark]) for c in brand.channels
             if c.mark and c.mark in pictures}
    text, html = render_email(brand, labels, treatment, visit, lang, exercises, marks)
    now = now or dt.datetime.now(dt.timezone.utc)
    reply = reply_address(brand)
    invitation = next_visit_ics(brand, labels, treatment, visit, now, (reply or sender, to))
    message = EmailMessage()
    message["From"] = formataddr((brand.name, sender))
    message["To"] = to
    if reply:
        message["Reply-To"] = formataddr((brand.name, reply))
    message["Subject"] = labels.email.subject.format(client=visit.client, spa=brand.name,
                                                     treatment=treatment.name)
    message["Date"] = format_datetime(now)
    message["Message-ID"] = make_msgid(domain=sender.rpartition("@")[2] or "localhost")
    message.set_content(text)
    message.add_alternative(html, subtype="html")
    html_part = list(message.iter_parts())[1]
    for name, png in marks.items():
        html_part.add_related(png, "image", "png", cid=f"<{_cid(name)}>",
                              filename=_cid(name).removesuffix("@mark").rsplit(".", 1)[0]
                              + ".png", disposition="inline")
    calendar = {"method": INVITATION, "charset": "utf-8"}
    if invitation:  # inline, where Gmail and iOS Mail look for an invitation (invitation.py)
        message.add_alternative(invitation, "text", "calendar", params=calendar)
    message.add_attachment(pdf, maintype="application", subtype="pdf", filename=filename)
    if invitation:  # and as a file, for the mail apps that only offer attachments
        message.add_attachment(invitation, maintype="text", subtype="calendar",
                               filename=FILENAME, params=calendar)
    # Last: set_content and add_attachment move Content-* headers onto the sub-parts.
    message["Content-Language"] = lang
    return message
