"""Regular expressions for the JSON Schemas, written to match what the models' validators accept.

They are written in the subset that Python's `re` and JavaScript (ECMA-262, what
yaml-language-server runs) read the same way: character classes with \\uXXXX escapes, no
`\\s`/`\\d` (their Unicode meaning differs between the two), no named groups.
"""

from __future__ import annotations

from typing import Any

#: Whitespace as Python's str.split() sees it.
_SPACE = ("\\u0009-\\u000d\\u001c-\\u0020\\u0085\\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029"
          "\\u202f\\u205f\\u3000")
#: Invisible format characters (Unicode category Cf, Basic Multilingual Plane, Unicode 15).
_FORMAT = ("\\u00ad\\u0600-\\u0605\\u061c\\u06dd\\u070f\\u0890\\u0891\\u08e2\\u180e"
           "\\u200b-\\u200f\\u202a-\\u202e\\u2060-\\u2064\\u2066-\\u206f\\ufeff\\ufff9-\\ufffb")

#: Text: at least one character that prints (not only spaces or invisible characters).
VISIBLE = f"[^{_SPACE}{_FORMAT}]"

_SEPARATORS = f"[{_SPACE}().-]*"

#: An international phone number, spaced as the editor likes: +84 905 123 456.
PHONE = f"^{_SEPARATORS}\\+{_SEPARATORS}[1-9]({_SEPARATORS}[0-9]){{7,14}}{_SEPARATORS}$"

COLOUR = "^#[0-9A-Fa-f]{6}$"

HTTPS = '^https://[A-Za-z0-9.-]+\\.[A-Za-z]{2,}(/[^' + _SPACE + '<>"]*)?$'

KAKAO = ('^https://(pf\\.kakao\\.com/_|open\\.kakao\\.com/o/)[A-Za-z0-9]+[^'
         + _SPACE + '<>"]*$')

LINE_ID = "^@?[a-z0-9._-]{3,40}$"

EMAIL = f"^[{_SPACE}]*[^@{_SPACE}<>,;]+@[A-Za-z0-9.-]+\\.[A-Za-z]{{2,}}[{_SPACE}]*$"

TIME = "^([01][0-9]|2[0-3]):[0-5][0-9]$"

CURRENCY = "^[A-Z]{3}$"

#: An IANA time zone name: Asia/Ho_Chi_Minh, America/Argentina/Buenos_Aires, UTC.
TIME_ZONE = "^[A-Za-z][A-Za-z0-9_+-]*(/[A-Za-z0-9_+-]+)*$"

#: A language code as file names use it: en, vi, pt-BR.
LANGUAGE_CODE = "^[a-z]{2,3}(-[A-Z]{2})?$"

#: A treatment folder name: lowercase words joined by dashes.
SLUG = "^[a-z0-9]+(-[a-z0-9]+)*$"
#: The longest treatment folder name: with "-aftercare-pt-BR.pdf" and a temp file's prefix
#: and suffix it stays well inside the 255 bytes a file name may have.
SLUG_LENGTH = 64

#: A font file in fonts/.
FONT_FILE = "\\.(ttf|TTF)$"


def template(*fields: str) -> str:
    """A one-line label whose only {placeholders} are `fields` ({{ and }} are literal braces),
    with something visible in it."""
    names = "|".join(fields)
    return f"^(?=[\\s\\S]*{VISIBLE})([^{{}}]|\\{{\\{{|\\}}\\}}|\\{{({names})\\}})*$"


def checked(pattern: str, message: str) -> dict[str, Any]:
    """Schema keywords for a pattern and the message editors show when it fails
    (`patternErrorMessage`, read by yaml-language-server and VS Code instead of the regex)."""
    return {"pattern": pattern, "patternErrorMessage": message}


def text(pattern: str, message: str) -> dict[str, Any]:
    """A string schema with a checked pattern."""
    return {"type": "string", **checked(pattern, message)}


def template_text(*fields: str) -> dict[str, Any]:
    allowed = ", ".join("{" + name + "}" for name in fields)
    return text(template(*fields), f"text with no placeholders other than {allowed} "
                                   "(write {{ or }} for a brace)")
