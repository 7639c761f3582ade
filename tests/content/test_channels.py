"""Contact channels become URLs by rule: each rule checked as an exact string."""

from __future__ import annotations

import pytest
from pydantic import TypeAdapter, ValidationError

from handouts.content.channels import contact_handle, contact_url
from handouts.content.models import Channel

channel = TypeAdapter(Channel)


@pytest.mark.parametrize(
    ("data", "url"),
    [
        ({"kind": "whatsapp", "number": "+84 905 123 456"}, "https://wa.me/84905123456"),
        ({"kind": "zalo", "number": "+84-905-123-456"}, "https://zalo.me/84905123456"),
        ({"kind": "line", "id": "@lspadanang"}, "https://line.me/R/ti/p/@lspadanang"),
        ({"kind": "line", "id": "lspadanang"}, "https://line.me/R/ti/p/@lspadanang"),
        ({"kind": "phone", "number": "+84 236 3123 456"}, "tel:+842363123456"),
        ({"kind": "kakaotalk", "url": "https://pf.kakao.com/_abc/chat"},
         "https://pf.kakao.com/_abc/chat"),
        ({"kind": "kakaotalk", "url": "https://open.kakao.com/o/sAbC12"},
         "https://open.kakao.com/o/sAbC12"),
        ({"kind": "email", "address": "hello@lspa.vn"}, "mailto:hello@lspa.vn"),
        ({"kind": "website", "url": "https://lspa.vn/booking"}, "https://lspa.vn/booking"),
        ({"kind": "maps", "url": "https://maps.example.com/?q=L+Spa"},
         "https://maps.example.com/?q=L+Spa"),
    ],
)
def test_contact_url_follows_the_rule_for_each_channel(data: dict[str, str], url: str) -> None:
    assert contact_url(channel.validate_python(data)) == url


def test_handle_prints_the_number_as_the_editor_spaced_it() -> None:
    assert contact_handle(channel.validate_python(
        {"kind": "whatsapp", "number": "+84  905 123 456"})) == "+84 905 123 456"


@pytest.mark.parametrize(
    "data",
    [
        {"kind": "whatsapp", "number": "0905123456"},
        {"kind": "phone", "number": "+84 905 ABC"},
        {"kind": "zalo", "number": "+0 905 123 456"},
        {"kind": "line", "id": "has space"},
        {"kind": "kakaotalk", "url": "https://evil.example.com/chat"},
        {"kind": "website", "url": "javascript:alert(1)"},
        {"kind": "website", "url": "http://insecure.example.com"},
        {"kind": "email", "address": "not-an-address"},
        {"kind": "fax", "number": "+84905123456"},
    ],
)
def test_bad_contact_details_are_refused(data: dict[str, str]) -> None:
    with pytest.raises(ValidationError):
        channel.validate_python(data)


def test_a_label_placeholder_with_a_format_spec_is_refused() -> None:
    from handouts.content.models import PersonalLabels

    with pytest.raises(ValidationError, match="plainly"):
        PersonalLabels(prepared_for="For {client!r}", session="{date} {therapist}",
                       session_no_therapist="{date}", notes="Notes", next_visit="{date}")
