"""Email goes out once: duplicate rows, a send log that cannot record, two senders at once."""

from __future__ import annotations

import fcntl
import json
from collections.abc import Callable
from pathlib import Path
from subprocess import CompletedProcess

from tests.conftest import Inbox

Run = Callable[..., CompletedProcess[str]]
HEADER = "client,treatment,lang,therapist,date,email,notes,next_visit\n"
EMMA = "Emma Wilson,plantar-fasciitis,en,Linh,2026-11-24,{},Ice the heel.,\n"
HOA = "Nguyễn Thị Hoa,plantar-fasciitis,vi,Linh,2026-11-24,hoa@example.com,,\n"


def day(project: Path, *rows: str) -> str:
    (project / "day.csv").write_text(HEADER + "".join(rows), encoding="utf-8")
    return "day.csv"


def test_a_client_listed_three_times_gets_one_message(project: Path, run: Run,
                                                      smtp_server: Inbox) -> None:
    csv = day(project, EMMA.format("emma@example.com"), HOA,
              EMMA.format("EMMA@Example.COM"), EMMA.format("emma@example.com"))
    result = run("email", "--from", csv)
    assert sorted(rcpt[0] for _, rcpt, _ in smtp_server.received) == [
        "emma@example.com", "hoa@example.com"]
    assert result.returncode == 1
    for line in (4, 5):
        assert (f"day.csv:{line}:1: same client, treatment, language and address as line 2: "
                "emailed once") in result.stderr
    assert "2 sent, 0 already sent, 2 failed" in result.stderr
    assert len((project / "handouts-sent.jsonl").read_text("utf-8").splitlines()) == 2


def test_a_send_log_that_cannot_be_written_stops_before_the_first_message(
        project: Path, run: Run, smtp_server: Inbox) -> None:
    (project / "logs").write_text("a file where the log's folder should be", encoding="utf-8")
    csv = day(project, EMMA.format("emma@example.com"), HOA)
    for _ in range(2):  # a retry sends nothing either
        result = run("email", "--from", csv, "--log", "logs/sent.jsonl")
        assert result.returncode == 1
        assert "logs/sent.jsonl: cannot write the send log" in result.stderr
        assert "nothing was sent" in result.stderr and "Traceback" not in result.stderr
    assert smtp_server.received == []


def test_a_second_sender_on_the_same_log_sends_nothing(project: Path, run: Run,
                                                       smtp_server: Inbox) -> None:
    csv = day(project, EMMA.format("emma@example.com"))
    log = project / "handouts-sent.jsonl"
    with log.open("a") as held:
        fcntl.flock(held.fileno(), fcntl.LOCK_EX)  # another `handouts email` is running
        result = run("email", "--from", csv)
    assert result.returncode == 1
    assert "another `handouts email` is sending with this send log" in result.stderr
    assert smtp_server.received == []
    assert run("email", "--from", csv).returncode == 0  # the lock went with its holder
    assert len(smtp_server.received) == 1


def test_a_log_line_cut_short_by_a_crash_does_not_swallow_the_next(
        project: Path, run: Run, smtp_server: Inbox) -> None:
    log = project / "handouts-sent.jsonl"
    log.write_text('{"key": "someone@example.com|x.pdf", "to": "some', encoding="utf-8")
    csv = day(project, EMMA.format("emma@example.com"))
    assert run("email", "--from", csv).returncode == 0
    again = run("email", "--from", csv)
    assert again.returncode == 0 and "0 sent, 1 already sent, 0 failed" in again.stdout
    assert len(smtp_server.received) == 1
    lines = log.read_text("utf-8").splitlines()
    assert json.loads(lines[-1])["to"] == "emma@example.com"
