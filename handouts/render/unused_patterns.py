"""Patterns ReportLab compiles as it is imported and a handout never uses, compiled on first use.

Importing `reportlab.platypus` compiles a case-insensitive web-address pattern spanning
most of Unicode (about 30 ms, a tenth of a cold sheet's start) that ReportLab matches only
to hyphenate a long address, which no style of ours asks for, and a CJK pattern used only
by `textsplit.cjkwrap`, which nothing calls. `re.compile` looks in Python's cache of
compiled patterns first, so a `Deferred` stand-in put there under each pattern's key before
ReportLab is imported is what ReportLab keeps; the real pattern is compiled the first time
it is used, if ever. A ReportLab whose pattern text differs misses the stand-in and
compiles its own, as before: slower, never different.
"""

from __future__ import annotations

import re
from typing import Any

#: (pattern, flags) as ReportLab 4.x and 5.x write them: paragraph.uri_pat, textsplit.rx.
UNUSED: tuple[tuple[str, int], ...] = (
    ("(^(?:[a-z0-9\\.\\-\\+]*)://)(?:\\S+(?::\\S*)?@)?(?:(?:25[0-5]|2[0-4]\\d|[0-1]?\\d?\\d)"
     "(?:\\.(?:25[0-5]|2[0-4]\\d|[0-1]?\\d?\\d)){3}|\\[[0-9a-f:\\.]+\\]|([a-z\xa1-\uffff0-9]"
     "(?:[a-z\xa1-\uffff0-9-]{0,61}[a-z\xa1-\uffff0-9])?(?:\\.(?!-)[a-z\xa1-\uffff0-9-]{1,63}"
     "(?<!-))*\\.(?!-)(?:[a-z\xa1-\uffff-]{2,63}|xn--[a-z0-9]{1,59})(?<!-)\\.?|localhost))"
     "(?::\\d{2,5})?(?:[/?#][^\\s]*)?\\Z", re.IGNORECASE),
    ("([\u2e80-\uffff])", re.UNICODE),
)


class Deferred:
    """A compiled pattern made when first used; until then it costs nothing."""

    def __init__(self, pattern: str, flags: int) -> None:
        self.pattern = pattern
        self._flags = flags
        self._compiled: re.Pattern[str] | None = None

    def __getattr__(self, name: str) -> Any:
        """Whatever a pattern offers (match, sub, flags...), from the real one."""
        if self._compiled is None:
            # Toggling the UNICODE flag, implied for a text pattern, compiles the same
            # pattern under another cache key than the one this stand-in answers.
            self._compiled = re.compile(self.pattern, self._flags ^ re.UNICODE)
        return getattr(self._compiled, name)


def defer() -> None:
    """Put the stand-ins in Python's pattern cache; call before ReportLab is imported."""
    cache = getattr(re, "_cache", None)
    if not isinstance(cache, dict):
        return  # a Python keeping its cache elsewhere compiles them at import, as before
    for pattern, flags in UNUSED:
        cache.setdefault((str, pattern, int(flags)), Deferred(pattern, int(flags)))
