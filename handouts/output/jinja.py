"""The Jinja2 set-up every page and message template shares: templates from the package,
HTML autoescaped (content is always text), a missing value an error, never a blank."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape


def environment(filters: Mapping[str, Callable[..., Any]] | None = None,
                package: str = "handouts.output") -> Environment:
    """Templates from `package`/templates: *.html.j2 autoescaped, *.txt.j2 not."""
    env = Environment(
        loader=PackageLoader(package, "templates"),
        autoescape=select_autoescape(enabled_extensions=("html.j2",),
                                     disabled_extensions=("txt.j2",), default=True),
        undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters.update(filters or {})
    return env
