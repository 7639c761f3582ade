"""Contact channels become URLs by rule: each rule checked as an exact string."""

from __future__ import annotations

import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
from pydantic import TypeAdapter, ValidationError

from handouts.content.channels import contact_handle, contact_url
from handouts.content.models import Channel
from tests.editing import edit, line_of

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


def test_a_number_of_the_wrong_length_for_its_country_is_refused_at_its_line(
        project: Path, run: Callable[..., subprocess.CompletedProcess[str]]) -> None:
    brand = project / "data" / "brand.yaml"
    edit(brand, 'kind: zalo\n    number: "+84 905 123 456"',
         'kind: zalo\n    number: "+84 905 123 45"')
    edit(brand, 'number: "+84 236 3123 456"', 'number: "+84 236 3123 456 789"')
    line = line_of(brand, "+84 905 123 45\"")
    result = run("validate")
    assert result.returncode == 1, result.stdout + result.stderr
    assert (f"data/brand.yaml:{line}:5: channels[3].number: +84 905 123 45 is too short for a "
            "phone number in Vietnam (+84)") in result.stderr, result.stderr
    assert (f"data/brand.yaml:{line_of(brand, '789')}:5: channels[4].number: +84 236 3123 456 "
            "789 is too long for a phone number in Vietnam (+84)") in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize(("typed", "printed"), [
    ("+84905123456", "+84 905 123 456"),
    ("+842363123456", "+84 236 3123 456"),
    ("+821012345678", "+82 10-1234-5678"),
    ("+84 9051 23456", "+84 9051 23456"),  # the editor spaced it: printed as typed
])
def test_an_unspaced_number_prints_in_its_countrys_grouping(typed: str, printed: str) -> None:
    whatsapp = channel.validate_python({"kind": "whatsapp", "number": typed})
    assert contact_handle(whatsapp) == printed
    assert contact_url(whatsapp) == f"https://wa.me/{typed.replace(' ', '').removeprefix('+')}"
