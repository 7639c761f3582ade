"""Numbers and dates written the way each language writes them, from its labels file."""

from __future__ import annotations

import datetime as dt

from handouts.content.models import Labels


def format_amount(amount: int, separator: str) -> str:
    """450000 -> '450,000' (or '450.000'): thousands grouped the language's way."""
    return f"{amount:,}".replace(",", separator)


def format_date(day: dt.date, labels: Labels) -> str:
    """2026-11-24 -> '24 November 2026', 'ngày 24 tháng 11 năm 2026', '2026年11月24日'."""
    return labels.date.format(day=day.day, month=labels.months[day.month - 1],
                              month_number=day.month, year=day.year)
