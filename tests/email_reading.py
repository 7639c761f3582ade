"""Read an email the way a mail client would: MIME parts with `email`, HTML with a parser."""

from __future__ import annotations

import email
from dataclasses import dataclass, field
from email import policy
from email.message import EmailMessage
from html.parser import HTMLParser
from pathlib import Path

#: Elements that are never text: their content is not what a reader sees.
_HIDDEN = {"style", "title", "head", "script"}


def parse_eml(raw: bytes) -> EmailMessage:
    return email.message_from_bytes(raw, policy=policy.default)  # type: ignore[return-value]


def parts(message: EmailMessage) -> tuple[str, str, bytes]:
    """The text/plain body, the text/html body and the attached PDF's bytes."""
    plain = message.get_body(("plain",))
    html = message.get_body(("html",))
    assert plain is not None and html is not None
    pdf = next(message.iter_attachments())
    return plain.get_content(), html.get_content(), pdf.get_content()


@dataclass
class Html:
    """What a browser would build from the HTML: elements, attributes, links and text."""

    tags: list[str] = field(default_factory=list)
    attributes: list[tuple[str, str, str]] = field(default_factory=list)  # tag, name, value
    hrefs: list[str] = field(default_factory=list)
    links: list[tuple[str, str]] = field(default_factory=list)  # href, the link's text
    text: str = ""

    def attribute(self, tag: str, name: str) -> list[str]:
        return [v for t, n, v in self.attributes if t == tag and n == name]


class _Reader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.html = Html()
        self.open: list[str] = []
        self.texts: list[str] = []
        self.link_text: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.html.tags.append(tag)
        for name, value in attrs:
            self.html.attributes.append((tag, name, value or ""))
        if tag == "a":
            href = dict(attrs).get("href") or ""
            self.html.hrefs.append(href)
            self.link_text = []
        if tag not in {"meta", "br", "img", "link", "input", "hr"}:
            self.open.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag == "a" and self.link_text is not None:
            self.html.links.append((self.html.hrefs[-1], " ".join("".join(self.link_text)
                                                                  .split())))
            self.link_text = None
        if tag in self.open:
            while self.open.pop() != tag:
                pass

    def handle_data(self, data: str) -> None:
        if not _HIDDEN & set(self.open):
            self.texts.append(data)
            if self.link_text is not None:
                self.link_text.append(data)


def read_html(source: str) -> Html:
    reader = _Reader()
    reader.feed(source)
    reader.close()
    reader.html.text = " ".join("".join(reader.texts).split())
    return reader.html


def eml_files(folder: Path) -> list[Path]:
    return sorted(folder.glob("*.eml"))
