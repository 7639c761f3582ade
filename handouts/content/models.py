"""Typed content: what a brand, a treatment and a language's labels may contain.

Models forbid unknown keys so a misspelt key is an error, not silently ignored text.
"""

from __future__ import annotations

import re
import string
import unicodedata
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, field_validator


def _clean_text(value: str) -> str:
    """NFC so Vietnamese diacritics compare and render as one character; folded whitespace.

    Text made only of invisible format characters (soft hyphens, zero-width joiners) would
    print as nothing, so it counts as empty.
    """
    value = unicodedata.normalize("NFC", value)
    value = " ".join(value.split())
    if not any(unicodedata.category(char) != "Cf" for char in value):
        raise ValueError("text must not be empty")
    return value


Text = Annotated[str, AfterValidator(_clean_text)]

_HEX = re.compile(r"^#[0-9A-Fa-f]{6}$")
_E164 = re.compile(r"^\+[1-9][0-9]{7,14}$")


def _colour(value: str) -> str:
    if not _HEX.match(value):
        raise ValueError(f"colour must look like #1F5C57, got {value!r}")
    return value.upper()


Colour = Annotated[str, AfterValidator(_colour)]


def e164(number: str) -> str:
    """`+84 905 123-456` -> `+84905123456`: the form links and QR codes use."""
    return re.sub(r"[\s\-().]", "", number)


def _phone(value: str) -> str:
    """Keep the number as the editor spaced it (it prints that way), once it is valid E.164."""
    if not _E164.match(e164(value)):
        raise ValueError(
            f"phone number must be in international E.164 form such as +84 905 123 456, "
            f"got {value!r}"
        )
    return " ".join(value.split())


Phone = Annotated[str, AfterValidator(_phone)]


def _https(value: str) -> str:
    if not re.match(r"^https://[A-Za-z0-9.-]+\.[A-Za-z]{2,}(/[^\s<>\"]*)?$", value):
        raise ValueError(f"must be a web address starting with https://, got {value!r}")
    return value


HttpsUrl = Annotated[str, AfterValidator(_https)]


class Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


def _picture_path(value: str) -> str:
    """A picture file under data/: SVG (kept vector) or PNG/JPEG (placed at print size)."""
    value = value.strip()
    if not re.fullmatch(r"[^\0]+\.(svg|png|jpe?g)", value, flags=re.IGNORECASE):
        raise ValueError(f"picture must be an .svg, .png or .jpg file, got {value!r}")
    return value


#: A picture's path, relative to the data folder; the loader checks it stays inside.
PicturePath = Annotated[str, AfterValidator(_picture_path)]


class ChannelBase(Model):
    """What every contact channel may add to its address: a mark and its place on a flyer."""

    mark: PicturePath | None = Field(None, description="the channel's logo mark, e.g. "
                                                       "art/channels/whatsapp.svg")
    primary: bool = Field(False, description="the one channel a flyer's large 'scan to "
                                             "book' code opens")
    small_card: Literal["code", "handle"] = Field(
        "code", description="on an A6 card, which has no room for five codes: keep the QR "
                            "code, or show only the mark and handle")


class WhatsApp(ChannelBase):
    kind: Literal["whatsapp"]
    number: Phone


class Zalo(ChannelBase):
    kind: Literal["zalo"]
    number: Phone


class Phonecall(ChannelBase):
    kind: Literal["phone"]
    number: Phone


class Line(ChannelBase):
    kind: Literal["line"]
    id: str = Field(description="LINE official account id, with or without the leading @")

    @field_validator("id")
    @classmethod
    def _line_id(cls, value: str) -> str:
        bare = value.removeprefix("@")
        if not re.fullmatch(r"[a-z0-9._-]{3,40}", bare):
            raise ValueError(f"LINE id must be like @lspadanang (a-z, 0-9, . _ -), got {value!r}")
        return bare


class KakaoTalk(ChannelBase):
    kind: Literal["kakaotalk"]
    url: HttpsUrl
    name: Text | None = Field(None, description="channel name printed under the code")

    @field_validator("url")
    @classmethod
    def _kakao_url(cls, value: str) -> str:
        if not re.match(r"^https://(pf\.kakao\.com/_[A-Za-z0-9]+|open\.kakao\.com/o/[A-Za-z0-9]+)",
                        value):
            raise ValueError(
                "KakaoTalk url must be a channel (https://pf.kakao.com/_xxxx/chat) "
                f"or open chat (https://open.kakao.com/o/xxxx), got {value!r}"
            )
        return value


def _email_address(value: str) -> str:
    """One address, nothing a mail header could be tricked with (no spaces, commas, <>)."""
    value = value.strip()
    if not re.fullmatch(r"[^@\s<>,;]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}", value):
        raise ValueError(f"not an email address: {value!r}")
    return value


EmailAddress = Annotated[str, AfterValidator(_email_address)]


class Email(ChannelBase):
    kind: Literal["email"]
    address: EmailAddress


class Website(ChannelBase):
    kind: Literal["website", "maps"]
    url: HttpsUrl


Channel = Annotated[
    WhatsApp | Zalo | Phonecall | Line | KakaoTalk | Email | Website,
    Field(discriminator="kind"),
]


class Colours(Model):
    primary: Colour
    accent: Colour
    ink: Colour
    paper: Colour
    tint: Colour
    warning: Colour
    warning_ink: Colour


class Hours(Model):
    opens: str
    closes: str

    @field_validator("opens", "closes")
    @classmethod
    def _time(cls, value: str) -> str:
        if not re.fullmatch(r"([01][0-9]|2[0-3]):[0-5][0-9]", value):
            raise ValueError(f"time must be 24-hour HH:MM such as 09:30, got {value!r}")
        return value


class Pictograms(Model):
    """Small line icons that mark each section of a handout (paths under data/)."""

    condition: PicturePath | None = None
    how_it_helps: PicturePath | None = None
    steps: PicturePath | None = None
    benefits: PicturePath | None = None
    muscles: PicturePath | None = None
    home_care: PicturePath | None = None
    stretches: PicturePath | None = None
    precautions: PicturePath | None = None
    see_doctor: PicturePath | None = None
    faq: PicturePath | None = None
    contact: PicturePath | None = None
    hold: PicturePath | None = None
    repeats: PicturePath | None = None


class Brand(Model):
    name: Text
    tagline: dict[str, Text]
    address: Text
    hours: Hours
    website: HttpsUrl
    currency: str = Field(pattern=r"^[A-Z]{3}$", description="ISO 4217 code, e.g. VND")
    logo: str
    colours: Colours
    disclaimer: dict[str, Text]
    channels: list[Channel] = Field(min_length=1)
    pictograms: Pictograms = Field(default_factory=lambda: Pictograms())

    @field_validator("channels")
    @classmethod
    def _one_primary(cls, value: list[Channel]) -> list[Channel]:
        if sum(channel.primary for channel in value) > 1:
            raise ValueError("mark only one channel as primary: it gets the flyer's large code")
        return value


class TitledText(Model):
    title: Text
    text: Text
    image: PicturePath | None = Field(None, description="a picture for this item or section")


class Muscles(Model):
    text: Text
    areas: list[Text] = Field(min_length=1)


class Stretch(Model):
    name: Text
    how: Text
    hold_seconds: int = Field(ge=1, le=600)
    repeats: int = Field(ge=1, le=50)
    image: PicturePath | None = Field(None, description="a drawing of the stretch")


class HomeCare(Model):
    intro: Text
    tips: list[Text] = Field(min_length=1)
    stretches: list[Stretch] = Field(min_length=1)


class Question(Model):
    question: Text
    answer: Text


class Flyer(Model):
    """Reception-flyer wording; what it leaves out falls back to the general content."""

    headline: Text
    pitch: Text
    hero: PicturePath | None = Field(None, description="the flyer's focal picture")
    steps: list[Text] | None = Field(None, min_length=1, max_length=12)
    benefits: list[Text] | None = Field(None, min_length=1)
    a6_sections: list[Literal["pitch", "benefits", "steps"]] = Field(
        default_factory=list,
        description="the sections an A6 card keeps: it has room for little beyond the "
                    "headline, pitch, duration, price and the contact codes",
    )


class Treatment(Model):
    name: Text
    headline: Text
    intro: Text
    duration_minutes: int | None = Field(None, ge=5, le=600)
    price: int | None = Field(None, ge=0, description="in the brand's currency, whole units")
    condition: TitledText
    how_it_helps: list[TitledText] = Field(min_length=1)
    steps: list[TitledText] = Field(min_length=1, max_length=12)
    benefits: list[TitledText] = Field(min_length=1)
    muscles: Muscles
    home_care: HomeCare
    precautions: list[Text] = Field(min_length=1)
    see_doctor: list[Text] = Field(min_length=1)
    faq: list[Question] = Field(min_length=1)
    flyer: Flyer


def _placeholders(value: str, fields: tuple[str, ...]) -> str:
    """A label's {placeholders} must be among `fields`, with balanced braces."""
    try:
        fields_used = [(name, spec, conversion)
                       for _, name, spec, conversion in string.Formatter().parse(value)
                       if name is not None]
    except ValueError as exc:
        raise ValueError(f"bad placeholder in {value!r}: {exc}") from None
    for name, spec, conversion in fields_used:
        if spec or conversion:
            raise ValueError(f"write placeholders plainly, as {{{name}}}, not with a format "
                             f"such as ':' or '!' in {value!r}")
    names = [name for name, _, _ in fields_used]
    unknown = sorted(set(names) - set(fields))
    if unknown:
        allowed = ", ".join("{" + f + "}" for f in fields)
        raise ValueError(f"unknown placeholder {{{unknown[0]}}}; this label may use {allowed}")
    return value


def _template(*fields: str) -> AfterValidator:
    """A one-line label with {placeholders} the tool fills in."""
    return AfterValidator(lambda value: _placeholders(_clean_text(value), fields))


class SectionLabels(Model):
    how_it_helps: Text
    steps: Text
    benefits: Text
    muscles: Text
    home_care: Text
    stretches: Text
    precautions: Text
    see_doctor: Text
    faq: Text
    contact: Text


class ChannelLabels(Model):
    whatsapp: Text
    kakaotalk: Text
    line: Text
    zalo: Text
    phone: Text
    email: Text
    website: Text
    maps: Text


class FlyerLabels(Model):
    kind: Text
    steps: Text
    benefits: Text
    book: Text


class PersonalLabels(Model):
    """The personalised block of an aftercare sheet."""

    prepared_for: Annotated[str, _template("client")]
    session: Annotated[str, _template("date", "therapist")]
    session_no_therapist: Annotated[str, _template("date")]
    notes: Text
    next_visit: Annotated[str, _template("date")]


class EmailLabels(Model):
    subject: Annotated[str, _template("client", "spa", "treatment")]
    body: str = Field(description="plain text, line breaks kept; may use {client}, {spa}, "
                                  "{treatment}")

    @field_validator("body")
    @classmethod
    def _body(cls, value: str) -> str:
        value = unicodedata.normalize("NFC", value).strip()
        if not value:
            raise ValueError("text must not be empty")
        return _placeholders(value, ("client", "spa", "treatment"))


class Labels(Model):
    """Every fixed word a page prints in one language, and the font family that draws it."""

    language: Text
    font: str
    line_breaking: Literal["words", "characters"] = "words"
    separator: str = Field(" · ", min_length=1, max_length=5,
                           description="between short items on one line, e.g. ' · ' or '・'")
    aftercare: Text
    sections: SectionLabels
    channels: ChannelLabels
    hold: Annotated[str, _template("seconds")]
    repeats: Annotated[str, _template("count")]
    scan_to_chat: Text
    hours: Annotated[str, _template("opens", "closes")]
    page: Annotated[str, _template("page", "pages")]
    flyer: FlyerLabels
    duration: Annotated[str, _template("minutes")]
    price: Annotated[str, _template("amount")]
    thousands_separator: str = Field(max_length=1)
    date: Annotated[str, _template("day", "month", "month_number", "year")]
    months: list[Text] = Field(min_length=12, max_length=12)
    personal: PersonalLabels
    email: EmailLabels


class FontFamily(Model):
    regular: str
    bold: str
    italic: str | None = None
    bold_italic: str | None = None
    fallbacks: list[str] = Field(default_factory=list,
                                 description="families, in order, for characters this one lacks")


class FontCatalogue(Model):
    """data/fonts.yaml: named families; each language's labels pick one by name."""

    families: dict[str, FontFamily] = Field(min_length=1)
