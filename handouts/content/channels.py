"""Contact channels become URLs by rule, never by hand; pure so each rule is tested as a string."""

from __future__ import annotations

from handouts.content.models import (
    Channel,
    Email,
    KakaoTalk,
    Line,
    Phonecall,
    WhatsApp,
    Zalo,
    e164,
)


def contact_url(channel: Channel) -> str:
    """The address a QR code and a link for `channel` open."""
    match channel:
        case WhatsApp(number=number):
            return f"https://wa.me/{e164(number).removeprefix('+')}"
        case Zalo(number=number):
            return f"https://zalo.me/{e164(number).removeprefix('+')}"
        case Line(id=line_id):
            return f"https://line.me/R/ti/p/@{line_id}"
        case Phonecall(number=number):
            return f"tel:{e164(number)}"
        case KakaoTalk(url=url):
            return url
        case Email(address=address):
            return f"mailto:{address}"
        case _:
            return channel.url


def printed_number(number: str) -> str:
    """A number as the editor spaced it; typed without spaces, in its country's grouping
    (`+84905123456` -> `+84 905 123 456`, `+821012345678` -> `+82 10-1234-5678`)."""
    if number != e164(number):
        return number
    import phonenumbers

    return phonenumbers.format_number(phonenumbers.parse(number),
                                      phonenumbers.PhoneNumberFormat.INTERNATIONAL)


def contact_handle(channel: Channel) -> str:
    """The short, human-readable handle printed under a channel's QR code."""
    match channel:
        case WhatsApp(number=number) | Zalo(number=number) | Phonecall(number=number):
            return printed_number(number)
        case Line(id=line_id):
            return f"@{line_id}"
        case Email(address=address):
            return address
        case KakaoTalk(name=str(name)):
            return name
        case _:
            return channel.url.removeprefix("https://").removesuffix("/chat")

