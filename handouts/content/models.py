"""Typed content: what a brand, a treatment and a language's labels may contain.

Models forbid unknown keys so a misspelt key is an error, not silently ignored text.
"""

from __future__ import annotations

import re
import string
import unicodedata
from dataclasses import dataclass
from typing import TYPE_CHECKING, Annotated, Any, ClassVar, Literal, TypeVar

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    GetCoreSchemaHandler,
    GetJsonSchemaHandler,
    PrivateAttr,
    WithJsonSchema,
    field_validator,
    model_validator,
)
from pydantic_core import core_schema

from handouts.content import patterns
from handouts.content.dates import format_pattern

if TYPE_CHECKING:
    import phonenumbers
    from babel import Locale


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


Text = Annotated[str, AfterValidator(_clean_text),
                 WithJsonSchema(patterns.text(patterns.VISIBLE, "text must not be empty"))]

_HEX = re.compile(r"^#[0-9A-Fa-f]{6}$")
_E164 = re.compile(r"^\+[1-9][0-9]{7,14}$")


def _colour(value: str) -> str:
    if not _HEX.match(value):
        raise ValueError(f"colour must look like #1F5C57, got {value!r}")
    return value.upper()


Colour = Annotated[str, AfterValidator(_colour),
                   WithJsonSchema(patterns.text(patterns.COLOUR, "a colour like #1F5C57"))]


def e164(number: str) -> str:
    """`+84 905 123-456` -> `+84905123456`: the form links and QR codes use."""
    return re.sub(r"[\s\-().]", "", number)


def _country(number: phonenumbers.PhoneNumber) -> str:
    """'Vietnam (+84)': where a number's country code says it rings, for a message."""
    import phonenumbers
    from babel import Locale

    region = phonenumbers.region_code_for_country_code(number.country_code or 0)
    name = Locale("en").territories.get(region, "its country")
    return f"{name} (+{number.country_code})"


def _too_short(number: phonenumbers.PhoneNumber) -> bool:
    """Whether a few more digits would make `number` one in use: it is too short, not wrong."""
    import phonenumbers

    national = str(number.national_number)
    return any(phonenumbers.is_valid_number(phonenumbers.PhoneNumber(
        country_code=number.country_code, national_number=int(national + digit * extra)))
        for extra in (1, 2, 3) for digit in "0123456789")


def _phone(value: str) -> str:
    """Keep the number as the editor spaced it (it prints that way), once libphonenumber
    finds it a number in use in its country (a digit short prints a code that rings no one).
    libphonenumber's tables are imported here, when a brand is checked, not with the models
    (a library from the content cache is checked already)."""
    import phonenumbers

    value = " ".join(value.split())
    try:
        number = phonenumbers.parse(value)
    except phonenumbers.NumberParseException:
        number = None
    if number is None or not _E164.match(e164(value)):
        raise ValueError(
            f"write the phone number in international form, with + and the country code, "
            f"e.g. +84 905 123 456; not {value!r}"
        )
    if not phonenumbers.is_valid_number(number):
        national = str(number.national_number)
        if _too_short(number):
            wrong = "is too short"
        elif any(phonenumbers.is_valid_number(phonenumbers.PhoneNumber(
                country_code=number.country_code, national_number=int(national[:-extra])))
                for extra in (1, 2, 3) if len(national) > extra):
            wrong = "is too long"
        else:
            wrong = "is not a number in use"
        raise ValueError(f"{value} {wrong} for a phone number in {_country(number)}")
    return value


Phone = Annotated[str, AfterValidator(_phone),
                  WithJsonSchema(patterns.text(
                      patterns.PHONE, "an international number with + and the country code, "
                                      "such as +84 905 123 456"))]


def _https(value: str) -> str:
    if not re.match(r"^https://[A-Za-z0-9.-]+\.[A-Za-z]{2,}(/[^\s<>\"]*)?$", value):
        raise ValueError(f"must be a web address starting with https://, got {value!r}")
    return value


HttpsUrl = Annotated[str, AfterValidator(_https),
                     WithJsonSchema(patterns.text(patterns.HTTPS, "a web address starting with https://"))]


class Model(BaseModel):
    # schemas are built when content is first validated, not at import: a run answered by
    # the content cache never builds them
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


def _picture_path(value: str) -> str:
    """A picture file under data/: SVG (kept vector) or PNG/JPEG (placed at print size)."""
    value = value.strip()
    if not re.fullmatch(r"[^\0]+\.(svg|png|jpe?g)", value, flags=re.IGNORECASE):
        raise ValueError(f"picture must be an .svg, .png or .jpg file, got {value!r}")
    return value


class _Fact:
    """Marks a field as a language-neutral fact (a number, a picture, a setting): a
    treatment writes it once, in its facts.yaml, never in a language file (see facts.py)."""

    def __repr__(self) -> str:
        return "FACT"


FACT = _Fact()
_T = TypeVar("_T")
#: A fact of type `_T`: `price: Fact[int] | None`. Every other field of a treatment is words.
Fact = Annotated[_T, FACT]

#: A picture's path, relative to the data folder; the loader checks it stays inside. The
#: same picture in every language: a fact.
PicturePath = Annotated[str, AfterValidator(_picture_path), FACT]


class ChannelBase(Model):
    """What every contact channel may add to its address: a mark and its place on a flyer."""

    mark: PicturePath | None = Field(None, description="the channel's logo mark (SVG, PNG or "
                                                       "JPEG under the data folder)",
                                     examples=["art/channels/whatsapp.svg"])
    primary: bool = Field(False, description="the one channel a flyer's large 'scan to "
                                             "book' code opens", examples=[True])
    small_card: Literal["code", "handle"] = Field(
        "code", description="on an A6 card, which has no room for five codes: keep the QR "
                            "code, or show only the mark and handle", examples=["handle"])


class WhatsApp(ChannelBase):
    """A WhatsApp chat: the QR code opens https://wa.me/<number>."""

    kind: Literal["whatsapp"] = Field(description="the channel", examples=["whatsapp"])
    number: Phone = Field(description="the WhatsApp number, international form with + and "
                                      "the country code; spaces allowed",
                          examples=["+84 905 123 456"])


class Zalo(ChannelBase):
    """A Zalo chat: the QR code opens https://zalo.me/<number>."""

    kind: Literal["zalo"] = Field(description="the channel", examples=["zalo"])
    number: Phone = Field(description="the Zalo number, international form with + and the "
                                      "country code; spaces allowed",
                          examples=["+84 905 123 456"])


class Phonecall(ChannelBase):
    """A phone call: the QR code dials tel:<number>."""

    kind: Literal["phone"] = Field(description="the channel", examples=["phone"])
    number: Phone = Field(description="the phone number, international form with + and the "
                                      "country code; spaces allowed",
                          examples=["+84 236 3123 456"])


class Line(ChannelBase):
    """A LINE official account: the QR code opens https://line.me/R/ti/p/@<id>."""

    kind: Literal["line"] = Field(description="the channel", examples=["line"])
    id: str = Field(description="LINE official account id, with or without the leading @",
                    examples=["@lspadanang"], json_schema_extra=patterns.checked(
                        patterns.LINE_ID, "a LINE id like @lspadanang (a-z, 0-9, . _ -)"))

    @field_validator("id")
    @classmethod
    def _line_id(cls, value: str) -> str:
        bare = value.removeprefix("@")
        if not re.fullmatch(r"[a-z0-9._-]{3,40}", bare):
            raise ValueError(f"LINE id must be like @lspadanang (a-z, 0-9, . _ -), got {value!r}")
        return bare


class KakaoTalk(ChannelBase):
    """A KakaoTalk channel or open chat: the QR code opens its URL."""

    kind: Literal["kakaotalk"] = Field(description="the channel", examples=["kakaotalk"])
    url: HttpsUrl = Field(description="the channel's chat URL (https://pf.kakao.com/_xxxx/chat) "
                                      "or an open chat (https://open.kakao.com/o/xxxx)",
                          examples=["https://pf.kakao.com/_lspadanang/chat"],
                          json_schema_extra=patterns.checked(
                              patterns.KAKAO, "https://pf.kakao.com/_xxxx/chat or "
                                              "https://open.kakao.com/o/xxxx"))
    name: Text | None = Field(None, description="channel name printed under the code",
                              examples=["L Spa Da Nang"])

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


EmailAddress = Annotated[str, AfterValidator(_email_address),
                         WithJsonSchema(patterns.text(patterns.EMAIL, "one email address"))]


class Email(ChannelBase):
    """An email address: the QR code opens mailto:<address>."""

    kind: Literal["email"] = Field(description="the channel", examples=["email"])
    address: EmailAddress = Field(description="one email address",
                                  examples=["hello@lspadanang.example.com"])


class Website(ChannelBase):
    """A web page: the spa's website, or its place on a map (kind: maps)."""

    kind: Literal["website", "maps"] = Field(description="website, or maps for a map link",
                                             examples=["website", "maps"])
    url: HttpsUrl = Field(description="the address, starting with https://",
                          examples=["https://maps.app.goo.gl/abc123"])


Channel = Annotated[
    WhatsApp | Zalo | Phonecall | Line | KakaoTalk | Email | Website,
    Field(discriminator="kind"),
]


class Colours(Model):
    """The brand colours, each #RRGGBB; text on paper, tint and warning must stay readable."""

    primary: Colour = Field(description="headings and the header band (#RRGGBB)",
                            examples=["#1F5C57"])
    accent: Colour = Field(description="rules and step numbers (#RRGGBB)", examples=["#B9894A"])
    ink: Colour = Field(description="body text (#RRGGBB)", examples=["#1E2A2A"])
    paper: Colour = Field(description="the page background (#RRGGBB)", examples=["#FFFFFF"])
    tint: Colour = Field(description="soft background behind the contact strip (#RRGGBB)",
                         examples=["#EAF2F0"])
    warning: Colour = Field(description="soft background behind the precautions (#RRGGBB)",
                            examples=["#FBEFE4"])
    warning_ink: Colour = Field(description="precaution headings (#RRGGBB)", examples=["#8A3B12"])


_TIME = patterns.checked(patterns.TIME, "24-hour time such as 09:30")


class Hours(Model):
    """Opening hours, 24-hour clock."""

    opens: str = Field(description="opening time, 24-hour HH:MM",
                       examples=["09:00"], json_schema_extra=_TIME)
    closes: str = Field(description="closing time, 24-hour HH:MM",
                        examples=["22:00"], json_schema_extra=_TIME)

    @field_validator("opens", "closes")
    @classmethod
    def _time(cls, value: str) -> str:
        if not re.fullmatch(r"([01][0-9]|2[0-3]):[0-5][0-9]", value):
            raise ValueError(f"time must be 24-hour HH:MM such as 09:30, got {value!r}")
        return value


def _time_zone(value: str) -> str:
    """An IANA time zone Python's zoneinfo knows (the tzdata package brings the database
    where the system has none, as on Windows)."""
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(f"{value!r} is not a time zone: write its IANA name, such as "
                         "Asia/Ho_Chi_Minh or Asia/Seoul") from None
    return value


TimeZone = Annotated[str, AfterValidator(_time_zone), WithJsonSchema(patterns.text(
    patterns.TIME_ZONE, "an IANA time zone name such as Asia/Ho_Chi_Minh"))]

_PER_LANGUAGE: dict[str, Any] = {"propertyNames": {"pattern": patterns.LANGUAGE_CODE}}
_CURRENCY = patterns.checked(patterns.CURRENCY, "a three-letter ISO 4217 code such as VND")


class SectionPictograms(Model):
    """Small line icons that mark each section of a handout (paths under data/)."""

    condition: PicturePath | None = Field(None, description="icon beside the 'condition' heading",
        examples=["art/icons/section-condition.svg"])
    how_it_helps: PicturePath | None = Field(
        None, description="icon beside the 'how_it_helps' heading",
        examples=["art/icons/section-how-it-helps.svg"])
    steps: PicturePath | None = Field(None, description="icon beside the 'steps' heading",
        examples=["art/icons/section-steps.svg"])
    benefits: PicturePath | None = Field(None, description="icon beside the 'benefits' heading",
        examples=["art/icons/section-benefits.svg"])
    muscles: PicturePath | None = Field(None, description="icon beside the 'muscles' heading",
        examples=["art/icons/section-muscles.svg"])
    home_care: PicturePath | None = Field(None, description="icon beside the 'home_care' heading",
        examples=["art/icons/section-home-care.svg"])
    stretches: PicturePath | None = Field(None, description="icon beside the 'stretches' heading",
        examples=["art/icons/section-muscles.svg"])
    precautions: PicturePath | None = Field(
        None, description="icon beside the 'precautions' heading",
        examples=["art/icons/section-precautions.svg"])
    see_doctor: PicturePath | None = Field(None, description="icon beside the 'see_doctor' heading",
        examples=["art/icons/section-see-doctor.svg"])
    faq: PicturePath | None = Field(None, description="icon beside the 'faq' heading",
        examples=["art/icons/section-questions.svg"])


class Pictograms(SectionPictograms):
    """The brand's icons: each section's, and those of the contact codes and a stretch's
    hold and repeats."""

    contact: PicturePath | None = Field(None, description="icon beside the 'contact' heading",
        examples=["art/icons/section-contact.svg"])
    hold: PicturePath | None = Field(None, description="icon beside how long to hold a stretch",
        examples=["art/icons/clock.svg"])
    repeats: PicturePath | None = Field(None, description="icon beside how often to repeat it",
        examples=["art/icons/repeat.svg"])
    treatment: PicturePath | None = Field(
        None, description="a treatment's pictogram on the menu, where the treatment sets no "
                          "icon of its own", examples=["art/icons/section-steps.svg"])


class Brand(Model):
    """data/brand.yaml: the spa's name, contacts and look, printed on every document."""

    name: Text = Field(description="the spa's name", examples=["L Spa Da Nang"])
    tagline: dict[str, Text] = Field(
        description="one line under the name, per language code (en, vi, ...)",
        examples=[{"en": "Massage and wellness in the heart of Da Nang"}],
        json_schema_extra=_PER_LANGUAGE)
    address: Text = Field(description="street address, printed as typed",
                          examples=["01 Bạch Đằng, Hải Châu, Đà Nẵng, Việt Nam"])
    address_lang: str | None = Field(
        None, pattern=patterns.LANGUAGE_CODE,
        description="the language the address is written in, so a screen reader reads it "
                    "in that language on the other languages' documents",
        examples=["vi"])
    hours: Hours = Field(description="daily opening hours",
                         examples=[{"opens": "09:00", "closes": "22:00"}])
    time_zone: TimeZone | None = Field(
        None, description="the spa's IANA time zone: a next visit's calendar invitation is "
                          "at that hour there, whatever zone the client's phone is in "
                          "(without it, at that hour wherever the phone is)",
        examples=["Asia/Ho_Chi_Minh"])
    website: HttpsUrl = Field(description="the spa's website, starting with https://",
                              examples=["https://lspadanang.example.com"])
    currency: str = Field(pattern=r"^[A-Z]{3}$", description="ISO 4217 code, e.g. VND",
                          examples=["VND"], json_schema_extra=_CURRENCY)
    logo: str = Field(description="PNG or JPEG file, relative to the data folder",
                      examples=["logo.png"], min_length=1)
    colours: Colours = Field(description="brand colours as #RRGGBB",
                             examples=[{"primary": "#1F5C57", "accent": "#B9894A",
                                        "ink": "#1E2A2A", "paper": "#FFFFFF",
                                        "tint": "#EAF2F0", "warning": "#FBEFE4",
                                        "warning_ink": "#8A3B12"}])
    disclaimer: dict[str, Text] = Field(
        description="small print at the foot of every document, per language code",
        examples=[{"en": "General wellness advice, not a medical diagnosis."}],
        json_schema_extra=_PER_LANGUAGE)
    channels: list[Channel] = Field(
        min_length=1, description="contact channels, each printed as a QR code and a link "
                                  "(kind: whatsapp, kakaotalk, line, zalo, phone, email, "
                                  "website, maps)",
        examples=[[{"kind": "whatsapp", "number": "+84 905 123 456"},
                   {"kind": "line", "id": "@lspadanang"}]])
    # all None, made without validating: validation here would build the schemas at import
    pictograms: Pictograms = Field(Pictograms.model_construct(),
                                   description="line icons for the sections of a handout",
                                   examples=[{"steps": "art/icons/section-steps.svg"}])
    email: EmailAddress | None = Field(
        None, description="the spa's own email address: clients' replies to an aftercare "
                          "email go here (else to an email channel, else to the sender)",
        examples=["reception@lspadanang.example.com"])
    retention_days: int = Field(
        90, ge=1, le=3650,
        description="days clients' personal sheets, .eml files and records of what was sent "
                    "are kept; older ones are removed when handouts starts",
        examples=[90])

    @field_validator("channels")
    @classmethod
    def _one_primary(cls, value: list[Channel]) -> list[Channel]:
        if sum(channel.primary for channel in value) > 1:
            raise ValueError("mark only one channel as primary: it gets the flyer's large code")
        return value


class TitledText(Model):
    """A short title and a sentence or two."""

    title: Text = Field(description="a few words, printed in bold", examples=["Warm-up"])
    text: Text = Field(description="one or two short sentences",
                       examples=["Soothing strokes gently warm the whole foot."])
    image: PicturePath | None = Field(None, description="a picture for this item or section "
                                                        "(SVG, PNG or JPEG under data/)",
                                      examples=["art/icons/step-warm-up.svg"])


def _described(picture: str | None, alt: str | None, field: str) -> None:
    """A drawing that carries meaning is read aloud by its description: a screen reader
    has nothing else to say for it (an icon beside its words needs none)."""
    if picture is not None and alt is None:
        raise ValueError(f"the picture {picture} needs a description: add {field}: saying in "
                         "a sentence what it shows, in this file's language (screen readers "
                         "read it aloud in the picture's place)")


_ALT = ("what the picture shows, in a sentence of this language, read aloud by screen "
        "readers in its place; needed where facts.yaml gives a picture")


class Condition(TitledText):
    """What the condition is, with a drawing of it where there is one."""

    image: PicturePath | None = Field(None, description="a drawing of the condition",
                                      examples=["art/illustrations/plantar-fascia.svg"])
    alt: Text | None = Field(None, description=_ALT, examples=[
        "A foot from the side with the band under it, from heel to toes, marked; a ring "
        "at the front of the heel shows where it usually hurts."])

    @model_validator(mode="after")
    def _alt_for_image(self) -> Condition:
        _described(self.image, self.alt, "alt")
        return self


class Muscles(Model):
    """The muscles the therapist works on."""

    text: Text = Field(description="why these muscles matter",
                       examples=["Tight calves pull on the heel, so we also work on:"])
    areas: list[Text] = Field(min_length=1, description="the areas, one per line",
                              examples=[["The calves", "The Achilles tendon"]])


#: An exercise of the library, by its folder's name under data/exercises/.
ExerciseId = Annotated[str, Field(pattern=patterns.SLUG, max_length=40), FACT]

#: The doses a programme may set, each with its allowed range and unit: the models, the
#: parser's messages and the desk's number inputs all read them here.
DOSES: dict[str, tuple[int, int, str]] = {
    "hold_seconds": (1, 600, "seconds"),
    "repeats": (1, 50, "times"),
    "sets": (1, 10, "sets"),
    "times_a_day": (1, 10, "times a day"),
}


def _dose(name: str, description: str, example: int, required: bool = False) -> Any:
    low, high, _ = DOSES[name]
    return Field(... if required else None, ge=low, le=high, description=description,
                 examples=[example])


class Exercise(Model):
    """One stretch or home exercise of the spa's library (data/exercises/<id>/): written and
    translated once, used by any treatment's programme and any client's."""

    name: Text = Field(description="the exercise's name", examples=["Towel stretch"])
    how: Text = Field(description="how to do it, in one or two sentences",
                      examples=["Sit with your leg straight and pull your toes towards you "
                                "with a towel."])
    area: Fact[Literal["feet", "legs", "back", "neck", "shoulders", "arms", "hands",
                       "hips", "chest", "whole-body"]] = Field(
        description="the body area it works, so the desk can group the library",
        examples=["feet"])
    hold_seconds: Fact[int] = _dose("hold_seconds", "how long to hold it, in seconds "
                                    "(a client's programme may set its own)", 30, True)
    repeats: Fact[int] = _dose("repeats", "how many times (a client's programme may set "
                               "its own)", 3, True)
    sets: Fact[int] | None = _dose("sets", "how many sets of those repeats; left out, "
                                   "one set and not printed", 2)
    times_a_day: Fact[int] | None = _dose("times_a_day", "how many times a day; left out, "
                                          "not printed", 2)
    image: PicturePath | None = Field(None, description="a drawing of the exercise",
                                      examples=["art/illustrations/towel-stretch.svg"])
    alt: Text | None = Field(None, description=_ALT, examples=[
        "Seated, leg straight, a towel pulling the toes back."])

    @model_validator(mode="after")
    def _alt_for_image(self) -> Exercise:
        _described(self.image, self.alt, "alt")
        return self


class HomeCare(Model):
    """Caring for yourself at home: tips, and the library's exercises the treatment gives
    every client unless their therapist sets a programme of their own."""

    title: Text | None = Field(None, description="this treatment's heading for home care, "
                                                 "where the words depend on it; left out, "
                                                 "the labels' neutral heading is printed",
                               examples=["Caring for your feet at home"])
    intro: Text = Field(description="one or two sentences before the tips",
                        examples=["Massage works best with daily stretches."])
    tips: list[Text] = Field(min_length=1, description="short tips, one per item",
                             examples=[["On the day of your treatment, drink plenty of "
                                        "water and rest your feet."]])
    exercises: Fact[list[ExerciseId]] | None = Field(
        None, min_length=1, max_length=6,
        description="the exercises of data/exercises/ every client of this treatment is "
                    "given, in this order, at their own doses (a therapist may set a "
                    "client's own programme instead)",
        examples=[["towel-stretch", "wall-calf-stretch"]])


class Question(Model):
    """A question clients ask, and its answer."""

    question: Text = Field(description="the question, as a client would ask it",
                           examples=["How firm should the pressure be?"])
    answer: Text = Field(description="a short answer",
                         examples=["Firm but never painful, focused on the sore area."])


class Flyer(Model):
    """Reception-flyer wording; what it leaves out falls back to the general content."""

    headline: Text = Field(description="the flyer's big line: a question or a promise",
                           examples=["Heel pain with your first steps?"])
    pitch: Text = Field(description="two or three sentences that sell the treatment",
                        examples=["Our massage eases tension under the foot, so walking "
                                  "feels lighter again."])
    hero: PicturePath | None = Field(None, description="the flyer's focal picture",
                                     examples=["art/illustrations/hero-foot-massage.svg"])
    hero_alt: Text | None = Field(None, description="what the hero picture shows, in a "
                                  "sentence of this language, read aloud by screen readers "
                                  "in its place; needed where facts.yaml gives a hero",
                                  examples=["Two hands hold a bare foot, thumbs pressing "
                                            "gently on the arch."])
    steps: list[Text] | None = Field(None, min_length=1, max_length=12,
                                     description="short steps for the flyer; leave out to "
                                                 "use the titles of the treatment's steps",
                                     examples=[["Warm-up with soothing strokes"]])
    benefits: list[Text] | None = Field(None, min_length=1,
                                        description="short benefits for the flyer; leave out "
                                                    "to use the titles of the benefits",
                                        examples=[["Pain relief"]])
    a6_sections: Fact[list[Literal["pitch", "benefits", "steps"]]] = Field(
        default_factory=list, examples=[[], ["pitch"]],
        description="the sections an A6 card always keeps (it has room for little beyond "
                    "the headline, name, duration, price and the contact codes); the others "
                    "are added, in order, where they fit",
    )

    @model_validator(mode="after")
    def _alt_for_hero(self) -> Flyer:
        _described(self.hero, self.hero_alt, "hero_alt")
        return self


_TITLED = [[{"id": "pain-relief", "title": "Pain relief",
             "text": "Many clients feel less pain after one session."}]]


class Treatment(Model):
    """One treatment in one language, as the documents print it: the words of its <lang>.yaml
    joined with its facts.yaml (see facts.py, which splits this model into the two files)."""

    name: Text = Field(description="the treatment's name, printed at the top of every page",
                       examples=["Plantar fasciitis foot massage"])
    headline: Text = Field(description="the aftercare sheet's headline",
                           examples=["Caring for your feet after your massage"])
    intro: Text = Field(description="a short welcome paragraph",
                        examples=["Thank you for visiting us."])
    duration_minutes: Fact[int] | None = Field(None, ge=5, le=600,
                                         description="length of a session, in minutes",
                                         examples=[60])
    price: Fact[int] | None = Field(None, ge=0, description="in the brand's currency, whole units",
                              examples=[450000])
    condition: Condition | None = Field(None, description="what the condition is",
                                        examples=[{
                                            "title": "What is plantar fasciitis?",
                                            "text": "A painful, inflamed band of tissue "
                                                    "under the foot.",
                                            "image": "art/illustrations/plantar-fascia.svg",
                                            "alt": "A foot from the side, the band under it "
                                                   "marked from heel to toes."}])
    how_it_helps: list[TitledText] | None = Field(None, min_length=1,
                                                  description="how the treatment helps",
                                                  examples=_TITLED)
    steps: list[TitledText] = Field(min_length=1, max_length=12,
                                    description="the session, step by step (at most 12)",
                                    examples=[[{"id": "warm-up", "title": "Warm-up",
                                                "text": "Soothing strokes warm the foot.",
                                                "image": "art/icons/step-warm-up.svg"}]])
    benefits: list[TitledText] | None = Field(None, min_length=1,
                                              description="what clients gain",
                                              examples=_TITLED)
    muscles: Muscles | None = Field(None, description="the muscles worked on",
                                    examples=[{"text": "We also work on:",
                                               "areas": ["The calves"]}])
    home_care: HomeCare = Field(description="care at home: tips and stretches",
                                examples=[{"intro": "Stretch daily.", "tips": ["Rest today."],
                                           "exercises": ["towel-stretch"]}])
    precautions: list[Text] = Field(min_length=1, description="risks and precautions",
                                    examples=[["Stop at once if the pain becomes severe."]])
    see_doctor: list[Text] | None = Field(None, min_length=1,
                                          description="when to see a doctor (after 'Please "
                                                      "see a doctor if')",
                                          examples=[["the pain is severe;"]])
    faq: list[Question] | None = Field(None, min_length=1,
                                       description="questions and answers",
                                       examples=[[{"question": "Does it hurt?",
                                                   "answer": "It should feel firm, never "
                                                             "painful."}]])
    flyer: Flyer = Field(description="the reception flyer's wording",
                         examples=[{"headline": "Heel pain?", "pitch": "Walk lighter again."}])
    pictograms: SectionPictograms | None = Field(
        None, description="this treatment's own section icons, where brand.yaml's neutral "
                          "ones do not fit it (paths under data/)",
        examples=[{"condition": "art/icons/section-footsteps.svg"}])
    # the menu of every treatment: one line each, beside a pictogram
    pitch: Text | None = Field(None, description="one line that sells the treatment on the "
                                                 "menu; left out, the flyer's headline",
                               examples=["Firm, focused work that eases heel pain."])
    icon: PicturePath | None = Field(None, description="the treatment's pictogram on the "
                                                       "menu; left out, brand.yaml's "
                                                       "pictograms.treatment",
                                     examples=["art/icons/section-footsteps.svg"])


def _placeholders(value: str, fields: tuple[str, ...]) -> str:
    """A label's {placeholders} must be among `fields`, with balanced braces."""
    try:
        fields_used = [(name, spec, conversion)
                       for _, name, spec, conversion in string.Formatter().parse(value)
                       if name is not None]
    except ValueError:  # Python's "Single '}' encountered in format string" and kin
        raise ValueError(f"a brace without its pair in {value!r}: write a placeholder as "
                         "{name}, and a brace itself as {{ or }}") from None
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


@dataclass(frozen=True)
class _Template:
    """A one-line label with {placeholders} the tool fills in; its JSON Schema says which."""

    fields: tuple[str, ...]

    def __get_pydantic_core_schema__(self, source: Any,
                                     handler: GetCoreSchemaHandler) -> core_schema.CoreSchema:
        return core_schema.no_info_after_validator_function(
            lambda value: _placeholders(_clean_text(value), self.fields), handler(source))

    def __get_pydantic_json_schema__(self, schema: core_schema.CoreSchema,
                                     handler: GetJsonSchemaHandler) -> dict[str, Any]:
        return patterns.template_text(*self.fields)


def _template(*fields: str) -> _Template:
    """A one-line label with {placeholders} the tool fills in."""
    return _Template(fields)


class SectionLabels(Model):
    """Section headings of a handout."""

    how_it_helps: Text = Field(description="heading of how the treatment helps",
                               examples=["How massage helps"])
    steps: Text = Field(description="heading of the session's steps",
                        examples=["Your treatment, step by step"])
    benefits: Text = Field(description="heading of benefits", examples=["Benefits"])
    muscles: Text = Field(description="heading of the muscles", examples=["Muscles we work on"])
    home_care: Text = Field(description="heading of home care",
                            examples=["Caring for your feet at home"])
    stretches: Text = Field(description="heading of the stretches", examples=["Simple stretches"])
    precautions: Text = Field(description="heading of precautions",
                              examples=["Risks and precautions"])
    see_doctor: Text = Field(description="heading of when to see a doctor (a list follows)",
                             examples=["Please see a doctor if"])
    faq: Text = Field(description="heading of questions and answers",
                      examples=["Questions and answers"])
    contact: Text = Field(description="heading of the contact codes",
                          examples=["Questions? Chat with us"])


class ChannelLabels(Model):
    """Caption under each kind of contact code."""

    whatsapp: Text = Field(description="caption under the whatsapp code", examples=["WhatsApp"])
    kakaotalk: Text = Field(description="caption under the kakaotalk code", examples=["KakaoTalk"])
    line: Text = Field(description="caption under the line code", examples=["LINE"])
    zalo: Text = Field(description="caption under the zalo code", examples=["Zalo"])
    phone: Text = Field(description="caption under the phone code", examples=["Call us"])
    email: Text = Field(description="caption under the email code", examples=["Email"])
    website: Text = Field(description="caption under the website code", examples=["Website"])
    maps: Text = Field(description="caption under the maps code", examples=["Find us"])


class FlyerLabels(Model):
    """Fixed words of the reception flyer."""

    kind: Text = Field(description="what the flyer is, in its header",
                       examples=["Treatment menu"])
    steps: Text = Field(description="heading of the steps", examples=["Your session"])
    benefits: Text = Field(description="heading of the benefits",
                           examples=["Why clients love it"])
    book: Text = Field(description="call to action above the contact codes",
                       examples=["Chat with us to book"])


class MenuLabels(Model):
    """Fixed words of the menu: every treatment, its length and price, on one sheet."""

    kind: Text = Field(description="what the menu is, in its header", examples=["Spa menu"])
    title: Text = Field(description="the menu's heading, above the treatments",
                        examples=["Our treatments"])


class PersonalLabels(Model):
    """The personalised block of an aftercare sheet."""

    prepared_for: Annotated[str, _template("client")] = Field(
        description="who the sheet is for; {client} is the client's name",
        examples=["Prepared for {client}"])
    session: Annotated[str, _template("date", "therapist")] = Field(
        description="the session, with {date} and {therapist}",
        examples=["Your treatment on {date} with {therapist}"])
    session_no_therapist: Annotated[str, _template("date")] = Field(
        description="the session when no therapist is named; {date}",
        examples=["Your treatment on {date}"])
    notes: Text = Field(description="heading of the therapist's notes",
                        examples=["Notes from your therapist"])
    next_visit: Annotated[str, _template("date")] = Field(
        description="the next appointment; {date}", examples=["Your next visit: {date}"])
    programme: Text = Field(description="heading of the exercises a therapist chose for "
                                        "this client, in place of the stretches' heading",
                            examples=["Your home programme"])


class EmailLabels(Model):
    """The email that carries an aftercare sheet."""

    subject: Annotated[str, _template("client", "spa", "treatment")] = Field(
        description="subject line; may use {client}, {spa}, {treatment}",
        examples=["{client}, your aftercare guide from {spa}"])
    body: str = Field(description="the opening, after the greeting: paragraphs separated by "
                                  "a blank line (a paragraph's lines are joined); may use "
                                  "{client}, {spa}, {treatment}",
                      examples=["Thank you for visiting {spa}. Your aftercare guide for "
                                "your {treatment} is attached.\n"],
                      json_schema_extra=patterns.template_text("client", "spa", "treatment"))

    @field_validator("body")
    @classmethod
    def _body(cls, value: str) -> str:
        value = unicodedata.normalize("NFC", value).strip()
        if not value:
            raise ValueError("text must not be empty")
        return _placeholders(value, ("client", "spa", "treatment"))

    greeting: Annotated[str, _template("client")] = Field(
        description="the email's first line; may use {client}", examples=["Dear {client},"])
    tap_to_chat: Text = Field(description="above the HTML email's contact buttons",
                              examples=["Tap a button to message or call us."])
    closing: Text = Field(description="the paragraph after the aftercare points",
                          examples=["If you have any questions, just reply to this email."])
    sign_off: Text = Field(description="the line before the signature",
                           examples=["Warm regards,"])
    signature: Annotated[str, _template("spa")] = Field(
        description="the last line, under the sign-off; may use {spa}", examples=["{spa}"])
    calendar_title: Annotated[str, _template("spa", "treatment")] = Field(
        description="the next visit's title in the client's calendar (the invitation the "
                    "email carries); may use {spa}, {treatment}",
        examples=["{treatment} at {spa}"])
    add_to_calendar: Text = Field(
        description="under the next visit: how to put it in the phone's calendar from the "
                    "invitation the email carries",
        examples=["To add it to your calendar, open the attached invitation."])


class Labels(Model):
    """Every fixed word a page prints in one language, and the font family that draws it.

    Dates and prices are written as CLDR, the Unicode locale data, writes them in the file's
    language, prices in brand.yaml's currency, unless `date` or `price` say otherwise.
    """

    #: Keys older labels files had: why each is no longer needed (said at its line).
    RETIRED: ClassVar[dict[str, str]] = {
        "months": "month names come from CLDR, the Unicode locale data",
        "thousands_separator": "numbers are grouped as CLDR, the Unicode locale data, groups "
                               "them in this language",
    }
    #: How a language writes dates and prices, when not as CLDR does: each language's own
    #: choice, never copied from English nor missed where English has it.
    OWN_PATTERNS: ClassVar[tuple[str, ...]] = ("date", "price")
    _locale: str | None = PrivateAttr(None)
    _currency: str | None = PrivateAttr(None)

    def written_in(self, code: str, currency: str | None) -> Labels:
        """These labels for documents in language `code` whose prices are in `currency`;
        ValueError when CLDR has no data to write dates and prices in `code`."""
        from babel import Locale, UnknownLocaleError

        try:
            Locale.parse(code, sep="-")
        except (ValueError, UnknownLocaleError):
            raise ValueError(f"CLDR, the Unicode locale data, has no language '{code}' to "
                             "write dates and prices in: name the file by a language code "
                             "such as vi or pt-BR") from None
        labels = self.model_copy()
        labels._locale, labels._currency = code, currency
        return labels

    @property
    def locale_tag(self) -> str:
        """The language's code as its file is named (vi, pt-BR): which CLDR locale."""
        if self._locale is None:
            raise RuntimeError("labels used before the loader said which language they are")
        return self._locale

    @property
    def locale(self) -> Locale:
        """The CLDR locale dates and prices are written in."""
        from babel import Locale

        return Locale.parse(self.locale_tag, sep="-")

    @property
    def currency(self) -> str:
        """The brand's ISO 4217 currency code, as prices are written in it."""
        if self._currency is None:
            raise RuntimeError("labels used before the loader said the brand's currency")
        return self._currency

    language: Text = Field(description="the language's name, in that language",
                           examples=["English", "Tiếng Việt"])
    font: str = Field(description="font family from data/fonts.yaml that draws this language",
                      examples=["noto-sans"], min_length=1)
    line_breaking: Literal["words", "characters"] = Field(
        "words", description="where lines may break: words (at spaces) or characters "
                             "(Japanese, Chinese)", examples=["words"])
    separator: str = Field(" · ", min_length=1, max_length=5,
                           description="between short items on one line, e.g. ' · ' or '・'",
                           examples=[" · "])
    aftercare: Text = Field(description="what an aftercare sheet is called, in its header",
                            examples=["Aftercare guide"])
    sections: SectionLabels = Field(description="section headings of a handout",
                                    examples=[{"benefits": "Benefits", "faq": "Questions"}])
    channels: ChannelLabels = Field(description="caption under each kind of contact code",
                                    examples=[{"phone": "Call us", "maps": "Find us"}])
    hold: Annotated[str, _template("seconds")] = Field(
        description="how long to hold a stretch; {seconds}", examples=["Hold {seconds} s"])
    repeats: Annotated[str, _template("count")] = Field(
        description="how many times to do a stretch; {count}", examples=["{count} times"])
    sets: Annotated[str, _template("count")] = Field(
        description="how many sets of an exercise; {count}", examples=["{count} sets"])
    times_a_day: Annotated[str, _template("count")] = Field(
        description="how often a day to do an exercise; {count}",
        examples=["{count} times a day"])
    scan_to_chat: Text = Field(description="how to use the contact codes",
                               examples=["Scan a code with your phone camera."])
    qr_alt: Annotated[str, _template("channel", "handle")] = Field(
        description="what a screen reader says for a contact code; {channel} (its caption) "
                    "and {handle}", examples=["QR code: {channel}, {handle}"])
    hours: Annotated[str, _template("opens", "closes")] = Field(
        description="opening hours; {opens} and {closes}",
        examples=["Open daily {opens}–{closes}"])
    page: Annotated[str, _template("page", "pages")] = Field(
        description="page numbers; {page} and {pages}", examples=["Page {page} of {pages}"])
    flyer: FlyerLabels = Field(description="fixed words of the reception flyer",
                               examples=[{"kind": "Treatment menu", "steps": "Your session",
                                          "benefits": "Why clients love it",
                                          "book": "Chat with us to book"}])
    menu: MenuLabels = Field(description="fixed words of the menu of every treatment",
                             examples=[{"kind": "Spa menu", "title": "Our treatments"}])
    duration: Annotated[str, _template("minutes")] = Field(
        description="a session's length; {minutes}", examples=["{minutes} minutes"])
    price: Annotated[str, _template("amount", "currency")] | None = Field(
        None, description="how a price is written, if not as CLDR writes it in this language "
                          "(450.000 ₫); {amount} is grouped this language's way, {currency} is "
                          "brand.yaml's currency code", examples=["{amount} {currency}"])
    date: Annotated[str, _template("day", "month", "month_number", "year")] | None = Field(
        None, description="how a date is written, if not as CLDR's long date in this language "
                          "(November 24, 2026); {day}, {month} (CLDR's name for it), "
                          "{month_number}, {year}", examples=["{day} {month} {year}"])
    date_input: list[Annotated[str, Field(min_length=5, max_length=20)]] = Field(
        default_factory=list, max_length=4,
        description="how staff may type a date in an appointments CSV for this language, "
                    "besides YYYY-MM-DD: DD (or D) for the day, MM (or M) the month, YYYY the "
                    "year; a date two of these read differently is refused as ambiguous",
        examples=[["DD/MM/YYYY"]])

    @field_validator("date_input")
    @classmethod
    def _date_input(cls, value: list[str]) -> list[str]:
        for written in value:
            if format_pattern(written) is None:
                raise ValueError(f"'{written}' must name the day (DD), the month (MM) and the "
                                 "year (YYYY) once each, e.g. DD/MM/YYYY")
        return value

    personal: PersonalLabels = Field(description="the personalised block of an aftercare "
                                                 "sheet",
                                     examples=[{"prepared_for": "Prepared for {client}",
                                                "notes": "Notes from your therapist"}])
    email: EmailLabels = Field(description="the email that carries an aftercare sheet",
                               examples=[{"subject": "Your aftercare guide from {spa}",
                                          "body": "Dear {client},\n\nSee attached.\n"}])


_FONT_FILE = patterns.checked(patterns.FONT_FILE, "a TrueType .ttf file in fonts/")


class FontFamily(Model):
    """One font family: TrueType (.ttf) files in the fonts/ folder."""

    regular: str = Field(description="regular face, a .ttf file in fonts/",
                         examples=["NotoSans-Regular.ttf"], json_schema_extra=_FONT_FILE)
    bold: str = Field(description="bold face (the regular file again if there is none)",
                      examples=["NotoSans-Bold.ttf"], json_schema_extra=_FONT_FILE)
    italic: str | None = Field(None, description="italic face, if any",
                               examples=["NotoSans-Italic.ttf"], json_schema_extra=_FONT_FILE)
    bold_italic: str | None = Field(None, description="bold italic face, if any",
                                    examples=["NotoSans-BoldItalic.ttf"],
                                    json_schema_extra=_FONT_FILE)
    fallbacks: list[str] = Field(default_factory=list,
                                 description="families, in order, for characters this one lacks",
                                 examples=[["nanum-gothic", "ipaex-gothic"]])


class FontCatalogue(Model):
    """data/fonts.yaml: named families; each language's labels pick one by name."""

    families: dict[str, FontFamily] = Field(
        min_length=1, description="font families by name; labels pick one with font:",
        examples=[{"noto-sans": {"regular": "NotoSans-Regular.ttf",
                                 "bold": "NotoSans-Bold.ttf"}}])
