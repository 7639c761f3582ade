"""Issue 19, delivering each email once and servers that misbehave: one test per item.

Every case runs the real `handouts` command against a real server on loopback (aiosmtpd, or
a tarpit of our own) and reads what arrived with Python's email package.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading
import time
import unicodedata
from collections.abc import Callable, Iterator
from email.message import EmailMessage
from pathlib import Path
from subprocess import CompletedProcess

import pytest

from handouts.ledger import Ledger
from tests.conftest import REPO, Inbox
from tests.email_reading import parse_eml
from tests.pdf_reading import squashed, text

Run = Callable[..., CompletedProcess[str]]
HEADER = "client,treatment,lang,therapist,date,email,notes,next_visit\n"


def day(project: Path, *rows: str) -> str:
    (project / "day.csv").write_text(HEADER + "".join(rows), encoding="utf-8")
    return "day.csv"


def row(client: str, address: str, lang: str = "en") -> str:
    return f"{client},plantar-fasciitis,{lang},Linh,2026-11-24,{address},Ice the heel.,\n"


def received(inbox: Inbox) -> list[EmailMessage]:
    return [parse_eml(raw) for _, _, raw in inbox.received]


def test_item1_a_client_listed_again_in_another_case_gets_one_email_and_one_sheet(
        project: Path, run: Run, smtp_server: Inbox) -> None:
    """Item 1: `Emma Wilson` / `emma wilson` (and other spacing, another Unicode form) at the
    same address is one client: one email, one sheet, each repeated row named by its line."""
    nfd = unicodedata.normalize("NFD", "Nguyễn Thị Hoa")
    csv = day(project, row("Emma Wilson", "emma@example.com"),
              row("emma wilson", "Emma@Example.com"),
              row("  EMMA   Wilson ", "emma@example.com"),
              row("Nguyễn Thị Hoa", "hoa@example.com", "vi"),
              row(nfd.upper(), "hoa@example.com", "vi"))
    result = run("email", "--from", csv)
    assert result.returncode == 1
    assert sorted(m["To"] for m in received(smtp_server)) == [
        "emma@example.com", "hoa@example.com"]
    for line, first in ((3, 2), (4, 2), (6, 5)):
        assert (f"day.csv:{line}:1: same client, treatment, language and address as line "
                f"{first}: emailed once") in result.stderr
    assert "2 sent, 0 already sent, 3 failed" in result.stderr

    sheets = run("aftercare", "--from", csv, "--out", "today")
    assert sheets.returncode == 1
    made = sorted(p.name for p in (project / "today").glob("*.pdf"))
    assert len(made) == 2 and "-en-Emma-Wilson-" in made[0]  # the first row's spelling
    for line, first in ((3, 2), (4, 2), (6, 5)):
        assert (f"day.csv:{line}:1: same client, treatment, language and date as line "
                f"{first}: one sheet is made") in sheets.stderr
    assert "2 built, 3 failed" in sheets.stderr


@pytest.fixture
def ascii_server(smtp_server: Inbox, monkeypatch: pytest.MonkeyPatch) -> Iterator[Inbox]:
    """A second loopback server like `smtp_server`'s, but without SMTPUTF8, as many are."""
    from aiosmtpd.controller import Controller

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=port, enable_SMTPUTF8=False)
    controller.start()
    monkeypatch.setenv("HANDOUTS_SMTP_PORT", str(port))
    try:
        yield inbox
    finally:
        controller.stop()


def test_item2_an_address_the_server_cannot_take_fails_alone(project: Path, run: Run,
                                                             ascii_server: Inbox) -> None:
    """Item 2: `josé@example.com` to a server without SMTPUTF8 fails on its own line; the
    others are sent, and the command exits 1 at the end."""
    csv = day(project, row("Emma Wilson", "emma@example.com"),
              row("José Silva", "josé@example.com"), row("Anna Berg", "anna@example.com"))
    result = run("email", "--from", csv)
    assert result.returncode == 1, result.stderr
    assert sorted(m["To"] for m in received(ascii_server)) == [
        "anna@example.com", "emma@example.com"]
    assert "day.csv:3: failed to josé@example.com" in result.stderr
    assert "SMTPUTF8" in result.stderr and "Traceback" not in result.stderr
    assert "2 sent, 0 already sent, 1 failed" in result.stderr


@pytest.fixture
def tarpit() -> Iterator[int]:
    """An SMTP 'server' on loopback that greets with `220-` continuation lines for ever
    (until the client hangs up, or 20 s at most); yields its port."""
    listener = socket.create_server(("127.0.0.1", 0))
    listener.settimeout(0.2)
    stop = threading.Event()

    def talk() -> None:
        ends = time.monotonic() + 20
        while not stop.is_set() and time.monotonic() < ends:
            try:
                client, _ = listener.accept()
            except TimeoutError:
                continue
            with client:
                try:
                    while not stop.is_set() and time.monotonic() < ends:
                        client.sendall(b"220-still warming up\r\n")
                        time.sleep(0.05)
                except OSError:
                    continue  # the client gave up

    thread = threading.Thread(target=talk, daemon=True)
    thread.start()
    try:
        yield listener.getsockname()[1]
    finally:
        stop.set()
        thread.join(5)
        listener.close()


def test_item4_a_server_that_never_finishes_its_greeting_is_given_up_on(
        project: Path, tarpit: int) -> None:
    """Item 4: a server sending `220-` lines for ever: the whole exchange is bounded by
    HANDOUTS_SMTP_TIMEOUT (here 1 s), not each read; exit 1, the server named, nothing sent."""
    csv = day(project, row("Emma Wilson", "emma@example.com"))
    env = {**os.environ, "PYTHONPATH": str(REPO), "HANDOUTS_SMTP_HOST": "127.0.0.1",
           "HANDOUTS_SMTP_PORT": str(tarpit), "HANDOUTS_SMTP_STARTTLS": "off",
           "HANDOUTS_SMTP_SENDER": "reception@example.com", "HANDOUTS_SMTP_TIMEOUT": "1"}
    started = time.monotonic()
    result = subprocess.run([sys.executable, "-m", "handouts", "email", "--from", csv],
                            cwd=project, capture_output=True, text=True, env=env, timeout=40)
    assert time.monotonic() - started < 15
    assert result.returncode == 1
    assert f"127.0.0.1:{tarpit}" in result.stderr and "1 s" in result.stderr
    assert "HANDOUTS_SMTP_TIMEOUT" in result.stderr and "Traceback" not in result.stderr
    with Ledger.beside(project / "data") as ledger:  # was: an empty send log
        assert [d.state for d in ledger.deliveries.listed()] == []


@pytest.mark.parametrize(("port", "says"), [
    ("99999", "HANDOUTS_SMTP_PORT must be a port from 1 to 65535, got '99999'"),
    ("0", "HANDOUTS_SMTP_PORT must be a port from 1 to 65535, got '0'"),
    ("²", "HANDOUTS_SMTP_PORT must be a number, got '²'"),
])
def test_item5_a_port_out_of_range_is_refused_not_wrapped(port: str, says: str, run: Run,
                                                          smtp_server: Inbox,
                                                          monkeypatch: pytest.MonkeyPatch,
                                                          project: Path) -> None:
    """Item 5: HANDOUTS_SMTP_PORT=99999 used to send to port 34463, and `²` gave a traceback."""
    monkeypatch.setenv("HANDOUTS_SMTP_PORT", port)
    result = run("email", "--from", day(project, row("Emma Wilson", "emma@example.com")))
    assert result.returncode == 1
    assert says in result.stderr and "Traceback" not in result.stderr
    assert smtp_server.received == []


@pytest.mark.parametrize(("variables", "says"), [
    ({"HANDOUTS_SMTP_USER": "reception@example.com", "HANDOUTS_SMTP_PASSWORD": "hunter2"},
     "unset HANDOUTS_SMTP_USER and HANDOUTS_SMTP_PASSWORD"),
    ({"HANDOUTS_SMTP_STARTTLS": "", "HANDOUTS_SMTP_PASSWORD": "hunter2"},
     "set HANDOUTS_SMTP_STARTTLS=off only if it is a local relay"),
], ids=["no AUTH", "no STARTTLS"])
def test_item5_a_server_without_auth_says_what_to_unset(variables: dict[str, str], says: str,
                                                        project: Path, run: Run,
                                                        smtp_server: Inbox,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    """Item 5: the README's variables against a server that takes no login (no AUTH) or
    offers no STARTTLS: the message says what to unset or set; nothing is sent."""
    for name, value in variables.items():
        monkeypatch.setenv(name, value)
    result = run("email", "--from", day(project, row("Emma Wilson", "emma@example.com")))
    assert result.returncode == 1
    assert says in result.stderr
    assert "hunter2" not in result.stderr + result.stdout
    assert smtp_server.received == []


@pytest.mark.parametrize("eml", [False, True])
def test_a_line_break_in_the_sender_is_refused(eml: bool, project: Path, run: Run,
                                               smtp_server: Inbox,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    """No traceback, ever: a CR/LF in HANDOUTS_SMTP_SENDER is refused clearly, exit 1, nothing
    sent or written."""
    monkeypatch.setenv("HANDOUTS_SMTP_SENDER", "reception@example.com\r\nBcc: all@example.com")
    args = ["--eml", "outbox"] if eml else []
    result = run("email", "--from", day(project, row("Emma Wilson", "emma@example.com")), *args)
    assert result.returncode == 1
    assert "HANDOUTS_SMTP_SENDER" in result.stderr and "Traceback" not in result.stderr
    assert smtp_server.received == [] and not (project / "outbox").exists()


def test_errors_about_the_to_option_name_to(run: Run, project: Path) -> None:
    """Item 12 (the `--to` part): a bad address given with --to is named `--to`, not `--email`."""
    result = run("email", "plantar-fasciitis", "--client", "Emma", "--to", "emma-at-example",
                 "--eml", "outbox")
    assert result.returncode == 2
    assert "--to" in result.stderr and "--email" not in result.stderr


NAMES = {"vi": "Nguyễn Thị Hoa", "ko": "김민지", "ja": "佐藤 由美"}
SHOWN = {"vi": "Nguyễn-Thị-Hoa", "ko": "김민지", "ja": "佐藤-由美"}


def test_habits_file_and_attachment_names_keep_the_client_s_name(project: Path, run: Run,
                                                                  smtp_server: Inbox) -> None:
    """Habits: the sheet's file name and the attachment's (RFC 2231) carry the client's name
    in its own script, NFC, unsafe characters removed; names that clean alike keep apart."""
    rows = [row(unicodedata.normalize("NFD", name), f"{lang}@example.com", lang)
            for lang, name in NAMES.items()]
    rows += [row("Anna Maria", "anna@example.com"), row("Anna/Maria", "anna@example.com"),
             row("../.Anna:Maria?", "anna@example.com")]
    csv = day(project, *rows)
    sheets = run("aftercare", "--from", csv, "--out", "today")
    assert sheets.returncode == 0, sheets.stderr
    made = sorted(p.name for p in (project / "today").iterdir())
    assert len(made) == 6
    for name in made:
        assert unicodedata.is_normalized("NFC", name) and not name.startswith(".")
        assert not set(name) & set('/\\:*?"<>|') and name.endswith(".pdf")
    for lang, shown in SHOWN.items():
        assert [n for n in made if f"-{lang}-{shown}-2026-11-24-" in n], made
    assert len([n for n in made if "-en-Anna-Maria-2026-11-24-" in n]) == 3

    sent = run("email", "--from", csv)
    assert sent.returncode == 0, sent.stderr
    raws = {rcpt[0]: raw for _, rcpt, raw in smtp_server.received}
    attached = {to: next(parse_eml(raw).iter_attachments()).get_filename()
                for to, raw in raws.items()}
    for lang, shown in SHOWN.items():
        raw = raws[f"{lang}@example.com"]
        assert b"filename*=utf-8''" in raw or b"filename*0*=utf-8''" in raw  # RFC 2231
        assert attached[f"{lang}@example.com"] in made
        assert f"-{shown}-" in attached[f"{lang}@example.com"]
    assert squashed(NAMES["ko"]) in squashed(text(project / "today" / attached["ko@example.com"]))


def test_a_send_log_from_before_the_upgrade_still_stops_a_second_email(
        project: Path, run: Run, smtp_server: Inbox) -> None:
    """Log keys used to carry the sheet's ASCII file name; a day's batch run once before and
    once after upgrading must not email anyone twice."""
    (project / "handouts-sent.jsonl").write_text(
        '{"key": "emma@example.com|plantar-fasciitis-aftercare-en-emma-wilson-2026-11-24-'
        'd57f9c99.pdf", "to": "emma@example.com"}\n', encoding="utf-8")
    csv = day(project, row("Emma Wilson", "emma@example.com"),
              row("Nguyễn Thị Hoa", "hoa@example.com", "vi"))
    result = run("email", "--from", csv)
    assert result.returncode == 0, result.stderr
    assert [m["To"] for m in received(smtp_server)] == ["hoa@example.com"]
    assert "1 sent, 1 already sent, 0 failed" in result.stdout + result.stderr


# -- issue 21, one ledger ------------------------------------------------------------------


def test_two_email_runs_started_at_once_deliver_each_client_once(
        project: Path, smtp_server: Inbox) -> None:
    """Two `handouts email` on the same day's CSV at the same moment (two staff, or the
    desk and a terminal): each client is claimed by one of them, so each gets one email."""
    csv = day(project, row("Emma Wilson", "emma@example.com"),
              row("Nguyễn Thị Hoa", "hoa@example.com", "vi"), row("Anna Berg", "anna@example.com"),
              row("佐藤 由美", "yumi@example.com", "ja"))
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    runs = [subprocess.Popen([sys.executable, "-m", "handouts", "email", "--from", csv],
                             cwd=project, env=env, stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True) for _ in range(2)]
    said = [run.communicate(timeout=180) for run in runs]
    assert [run.returncode for run in runs] == [0, 0], said
    assert sorted(m["To"] for m in received(smtp_server)) == [
        "anna@example.com", "emma@example.com", "hoa@example.com", "yumi@example.com"]
    sent = sum(int(out.splitlines()[-1].split(" sent,")[0]) for out, _ in said)
    assert sent == 4, said


def test_email_run_from_another_folder_finds_what_was_sent(project: Path, run: Run,
                                                           smtp_server: Inbox) -> None:
    """The bug that started the ledger: the send log landed in the current folder, so the
    same day's CSV run from another folder emailed every client again."""
    csv = day(project, row("Emma Wilson", "emma@example.com"))
    assert run("email", "--from", csv).returncode == 0
    elsewhere = project / "Desktop"
    elsewhere.mkdir()
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    again = subprocess.run([sys.executable, "-m", "handouts", "email", "--from", f"../{csv}",
                            "--data", "../data"], cwd=elsewhere, capture_output=True,
                           text=True, env=env, timeout=120)
    assert again.returncode == 0, again.stderr
    assert "0 sent, 1 already sent, 0 failed" in again.stdout
    assert len(smtp_server.received) == 1
    assert list(elsewhere.iterdir()) == []  # nothing personal left in the current folder


def test_an_old_log_named_with_log_is_taken_in_and_a_mistyped_one_sends_nothing(
        project: Path, run: Run, smtp_server: Inbox) -> None:
    """`--log` now names a send log an earlier version wrote elsewhere: read once, left as it
    was; a name that is not there stops before the first message (else all would go again)."""
    csv = day(project, row("Emma Wilson", "emma@example.com"), row("Anna Berg", "anna@example.com"))
    (project / "logs").mkdir()
    old = project / "logs" / "december-sent.jsonl"
    old.write_text('{"key": "emma@example.com|plantar-fasciitis|en|emma wilson|2026-11-24", '
                   '"to": "emma@example.com"}\n', encoding="utf-8")
    kept = old.read_bytes()
    mistyped = run("email", "--from", csv, "--log", "logs/decmber-sent.jsonl")
    assert mistyped.returncode == 1
    assert "--log logs/decmber-sent.jsonl: no such send log; nothing was sent" in mistyped.stderr
    assert smtp_server.received == []
    result = run("email", "--from", csv, "--log", "logs/december-sent.jsonl")
    assert result.returncode == 0, result.stderr
    assert "1 sent, 1 already sent, 0 failed" in result.stdout
    assert [m["To"] for m in received(smtp_server)] == ["anna@example.com"]
    assert old.read_bytes() == kept
