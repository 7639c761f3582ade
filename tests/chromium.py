"""Debian's Chromium for the browser tests, drawing with the repository's fonts."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from tests.conftest import SHIPPED_FONTS


def chromium() -> str:
    """The Chromium binary, or a failure that says how to install it."""
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if not found:
        pytest.fail("chromium is not installed: apt-get install -y chromium (Debian), "
                    "or run pytest without -m browser")
    return found


def environment_with_fonts(home: Path) -> dict[str, str]:
    """An environment whose fontconfig also reads fonts/, so Korean and Japanese draw here as
    they do on a client's phone, with `home` as Chromium's home."""
    conf = home / "fonts.conf"
    conf.write_text(f"""<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "fonts.dtd">
<fontconfig>
  <include ignore_missing="yes">/etc/fonts/fonts.conf</include>
  <dir>{SHIPPED_FONTS}</dir>
  <cachedir>{home / "fontconfig"}</cachedir>
</fontconfig>
""", encoding="utf-8")
    return {**os.environ, "FONTCONFIG_FILE": str(conf), "HOME": str(home)}
