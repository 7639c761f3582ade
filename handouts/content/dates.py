"""Dates as staff type them: YYYY-MM-DD everywhere, the ways a language's labels declare
(`02/12/2026` from a Vietnamese Excel), and a next visit relative to the treatment (`+1w`),
with the time it is booked for when given (`2026-12-09 15:00`).

One reading on every supported Python: `date.fromisoformat` accepts `20261201` and
`2026-W49-1` on 3.11 but not on 3.10, so nothing here leans on it for the format.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

ISO = "YYYY-MM-DD"
_ISO = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
_RELATIVE = re.compile(r"\+\s*(\d{1,3})\s*([dw])", re.IGNORECASE)
_TOKEN = re.compile(r"YYYY|DD|D|MM|M")
_PARTS = {"YYYY": "year", "DD": "day", "D": "day", "MM": "month", "M": "month"}
#: 24-hour H:MM or HH:MM; a spreadsheet's `15:00:00` too (seconds only when zero).
_TIME = re.compile(r"(\d{1,2}):(\d{2})(?::00)?")
TIME_WRITTEN = "24-hour HH:MM, as 2026-12-09 15:00"


def format_pattern(written: str) -> re.Pattern[str] | None:
    """'DD/MM/YYYY' -> a pattern with year, month and day groups; None unless the format has
    exactly one of each (so it names a whole date)."""
    tokens = _TOKEN.findall(written)
    if sorted(_PARTS[t] for t in tokens) != ["day", "month", "year"]:
        return None
    out, last = [], 0
    for match in _TOKEN.finditer(written):
        out.append(_literal(written[last:match.start()]))
        digits = r"\d{4}" if match.group() == "YYYY" else r"\d{1,2}"
        out.append(f"(?P<{_PARTS[match.group()]}>{digits})")
        last = match.end()
    out.append(_literal(written[last:]))
    return re.compile("".join(out))


def _literal(text: str) -> str:
    """Separators as typed, any run of spaces matching any other ('2026. 12. 2.')."""
    return r"\s*".join(re.escape(part) for part in text.split(" ")) if text else ""


@dataclass(frozen=True)
class Dating:
    """What reading a date needs beyond its text: the day it is now (an empty treatment
    date means today; a next visit may not be before it) and the formats each language's
    labels declare."""

    today: dt.date | None = None
    formats: Mapping[str, Sequence[str]] = field(default_factory=dict)

    def for_lang(self, lang: str) -> Sequence[str]:
        """The formats of `lang` as a CSV may spell it: in any case, or with a region the
        labels do not have (`ko-KR` reads as `ko`)."""
        for code in (lang, lang.split("-")[0]):
            found = next((f for known, f in self.formats.items()
                          if known.lower() == code.lower()), None)
            if found is not None:
                return found
        return ()


def read_date(text: str, formats: Sequence[str] = ()) -> dt.date:
    """The date `text` names: YYYY-MM-DD or one of `formats`; ValueError in plain words when
    it is none of them, is no real day, or reads as two different days."""
    text = text.strip()
    accepted = [ISO, *formats]
    match = _ISO.fullmatch(text)
    readings = {_day(text, int(match[1]), int(match[2]), int(match[3]))} if match else set()
    for written in formats:
        pattern = format_pattern(written)
        found = pattern.fullmatch(text) if pattern else None
        if found:
            readings.add(_day(text, int(found["year"]), int(found["month"]), int(found["day"])))
    days = sorted(d for d in readings if d is not None)
    if len(days) > 1:
        raise ValueError(f"'{text}' could be {' or '.join(d.isoformat() for d in days)}: "
                         f"write the one you mean as {ISO}")
    if not days:
        if None in readings:
            raise ValueError(f"'{text}' is not a day of the calendar")
        raise ValueError(f"dates are written {' or '.join(accepted)}, got '{text}'")
    return days[0]


def _day(text: str, year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def read_time(text: str) -> dt.time:
    """A time of day as staff type it, 24-hour: `15:00`, `9:30`; ValueError otherwise."""
    match = _TIME.fullmatch(text.strip())
    if match is None:
        raise ValueError(f"write the time {TIME_WRITTEN}, got '{text.strip()}'")
    hour, minute = int(match[1]), int(match[2])
    if hour > 23 or minute > 59:
        raise ValueError(f"'{text.strip()}' is not a time of day: write it {TIME_WRITTEN}")
    return dt.time(hour, minute)


def split_time(text: str) -> tuple[str, str | None]:
    """A next visit's day and its time as typed: `2026-12-09 15:00` -> ('2026-12-09',
    '15:00'); `+1w 9:30` and ISO's `2026-12-09T15:00` too. The time is the last word when
    it holds a colon (no date format has one); (text, None) when there is no time."""
    text = text.strip()
    iso = re.fullmatch(r"(\d{4}-\d{2}-\d{2})T(\S+)", text)
    if iso:
        return iso[1], iso[2]
    day, space, last = text.rpartition(" ")
    if ":" in last:
        return day.strip(), last
    return text, None


def read_next_visit(text: str, treated: dt.date | None,
                    formats: Sequence[str] = ()) -> dt.date:
    """A next visit's day: a date, or relative to the treatment date (`treated`, None when
    that is not valid): '+10d', '+1w'; either may end in a time (`2026-12-09 15:00`),
    checked here (`split_time` hands it on)."""
    text, written = split_time(text)
    if written is not None:
        if not text:
            raise ValueError(f"'{written}' needs the day of the next visit before it, as "
                             "2026-12-09 15:00")
        read_time(written)
    relative = _RELATIVE.fullmatch(text.strip())
    if relative is None:
        if text.strip().startswith("+"):
            raise ValueError(f"write a next visit after the treatment as +10d (days) or +2w "
                             f"(weeks), got '{text.strip()}'")
        return read_date(text, formats)
    if treated is None:
        raise ValueError("cannot count from the treatment date, which is not valid")
    count, unit = int(relative[1]), relative[2].lower()
    return treated + dt.timedelta(days=count * (7 if unit == "w" else 1))
