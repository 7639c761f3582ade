"""Shared fixtures: the shipped content built once per session, and editable copies of it."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from handouts.catalogue.build import build
from handouts.content.load import Library, load_library

REPO = Path(__file__).resolve().parents[1]
SHIPPED_DATA = REPO / "data"
SHIPPED_FONTS = REPO / "fonts"
#: The sample treatments data/treatments/ ships, each in every shipped language.
SHIPPED_TREATMENTS = ("hot-stone-massage", "neck-shoulder-massage", "plantar-fasciitis")


def menus(*langs: str) -> set[str]:
    """The menus' file names in these languages, at A4 and A5 (beside A4 handouts)."""
    return {f"menu-{lang}-{size}.pdf" for lang in langs for size in ("a4", "a5")}


#: The menu of every treatment, one per shipped language.
SHIPPED_MENUS = frozenset(menus("en", "vi", "ko", "ja"))
#: What `build` makes of them: a handout and a flyer in each of four languages, and the menus.
SHIPPED_DOCUMENTS = len(SHIPPED_TREATMENTS) * 2 * 4 + len(SHIPPED_MENUS)


@pytest.fixture(scope="session")
def shipped_library() -> Library:
    return load_library(SHIPPED_DATA, SHIPPED_FONTS)


@pytest.fixture(scope="session")
def shipped_out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Every document of the shipped content, built once on A4."""
    out = tmp_path_factory.mktemp("out")
    report = build(SHIPPED_DATA, out, fonts_dir=SHIPPED_FONTS)
    assert report.problems == [] and report.failed == [], (report.problems, report.failed)
    return out


@pytest.fixture(scope="session")
def aftercare_en(shipped_out: Path) -> Path:
    return shipped_out / "plantar-fasciitis-aftercare-en.pdf"


@pytest.fixture(scope="session")
def aftercare_letter(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("letter")
    report = build(SHIPPED_DATA, out, langs=["en"], paper="letter", fonts_dir=SHIPPED_FONTS)
    assert not report.failed, report.failed
    return out / "plantar-fasciitis-aftercare-en.pdf"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A scratch folder holding an editable copy of data/ and the fonts, as a user has it."""
    shutil.copytree(SHIPPED_DATA, tmp_path / "data")
    (tmp_path / "fonts").symlink_to(SHIPPED_FONTS, target_is_directory=True)
    return tmp_path


@pytest.fixture
def en_yaml(project: Path) -> Path:
    return project / "data" / "treatments" / "plantar-fasciitis" / "en.yaml"


@pytest.fixture
def facts_yaml(project: Path) -> Path:
    """The shipped treatment's facts (price, pictures, its exercises), kept once for every
    language."""
    return project / "data" / "treatments" / "plantar-fasciitis" / "facts.yaml"


@pytest.fixture
def towel_facts(project: Path) -> Path:
    """The towel stretch's facts in the exercise library (picture, area, doses)."""
    return project / "data" / "exercises" / "towel-stretch" / "facts.yaml"


@pytest.fixture
def run(project: Path) -> Callable[..., subprocess.CompletedProcess[str]]:
    """Run the real `handouts` command in the scratch project, as a user would."""

    def invoke(*args: str) -> subprocess.CompletedProcess[str]:
        env = {**os.environ, "PYTHONPATH": str(REPO)}
        return subprocess.run([sys.executable, "-m", "handouts", *args], cwd=project,
                              capture_output=True, text=True, env=env, timeout=120)

    return invoke



@pytest.fixture(scope="session")
def flyers(tmp_path_factory: pytest.TempPathFactory, shipped_library: Library) -> dict[str, Path]:
    """The English flyer at every size, with 3 mm bleed on A5, and imposed sheets."""
    from handouts.catalogue.document import render_job
    from handouts.catalogue.plan import Job
    from handouts.output.impose import impose

    out = tmp_path_factory.mktemp("flyers")
    job = Job("plantar-fasciitis", "flyer", "en")
    made: dict[str, Path] = {}

    def keep(name: str, pdf: bytes) -> None:
        made[name] = out / f"{name}.pdf"
        made[name].write_bytes(pdf)

    for size in ("a4", "a5", "a6", "letter"):
        keep(size, render_job(shipped_library, job, size))
    keep("a5-bleed", render_job(shipped_library, job, "a5", bleed_mm=3))
    keep("a6-4up", impose(render_job(shipped_library, job, "a6"), 4, True, "A6"))
    keep("a5-2up", impose(render_job(shipped_library, job, "a5"), 2, True, "A5"))
    keep("a5-1up-marks", impose(render_job(shipped_library, job, "a5"), 1, True, "A5"))
    return made


class Inbox:
    """An aiosmtpd handler that keeps what it receives and refuses chosen recipients."""

    def __init__(self) -> None:
        self.received: list[tuple[str, list[str], bytes]] = []
        self.refuse: set[str] = set()

    async def handle_RCPT(self, server: object, session: object, envelope: object,  # noqa: N802
                          address: str, rcpt_options: list[str]) -> str:
        if address in self.refuse:
            return "550 5.1.1 mailbox unavailable"
        envelope.rcpt_tos.append(address)  # type: ignore[attr-defined]
        return "250 OK"

    async def handle_DATA(self, server: object, session: object,  # noqa: N802
                          envelope: object) -> str:
        self.received.append((envelope.mail_from, list(envelope.rcpt_tos),  # type: ignore[attr-defined]
                              envelope.original_content))  # type: ignore[attr-defined]
        return "250 Message accepted"


@pytest.fixture
def smtp_server(monkeypatch: pytest.MonkeyPatch) -> Iterator[Inbox]:
    """A real SMTP server on loopback; the HANDOUTS_SMTP_* environment points at it."""
    import socket

    from aiosmtpd.controller import Controller

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    for name, value in {"HOST": "127.0.0.1", "PORT": str(port), "STARTTLS": "off",
                        "SENDER": "reception@lspa.example.com"}.items():
        monkeypatch.setenv(f"HANDOUTS_SMTP_{name}", value)
    try:
        yield inbox
    finally:
        controller.stop()
