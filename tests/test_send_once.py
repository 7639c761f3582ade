"""Email goes out once: duplicate rows, a ledger that cannot record, two senders at once."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from subprocess import CompletedProcess

from handouts.ledger import DeliveryState, Ledger, Parcel
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
    with Ledger.beside(project / "data") as ledger:  # was: two lines in the JSON send log
        assert sorted(d.address for d in ledger.deliveries.listed()
                      if d.state is DeliveryState.SENT) == ["emma@example.com",
                                                            "hoa@example.com"]


def test_a_ledger_that_cannot_be_written_stops_before_the_first_message(
        project: Path, run: Run, smtp_server: Inbox) -> None:
    """Was: a send log that could not be written; now the ledger it replaced."""
    (project / ".handouts").write_text("a file where the ledger's folder should be",
                                       encoding="utf-8")
    csv = day(project, EMMA.format("emma@example.com"), HOA)
    for _ in range(2):  # a retry sends nothing either
        result = run("email", "--from", csv)
        assert result.returncode == 1
        assert ".handouts/ledger.sqlite3: cannot open the ledger" in result.stderr
        assert "Traceback" not in result.stderr
    assert smtp_server.received == []


def test_a_client_another_sender_is_sending_to_is_left_to_it(project: Path, run: Run,
                                                             smtp_server: Inbox) -> None:
    """Was: a second sender on a locked log sent nothing at all; now it sends what no one
    else holds, and a client another process is sending to is not sent twice."""
    csv = day(project, EMMA.format("emma@example.com"), HOA)
    with Ledger.beside(project / "data") as ledger:  # this process: a sender still running
        claim = ledger.deliveries.claim(Parcel(
            "emma@example.com|plantar-fasciitis|en|emma wilson|2026-11-24", "Emma Wilson",
            "emma@example.com", "plantar-fasciitis", "en", dt.date(2026, 11, 24), "x.pdf"))
        assert claim is not None
        result = run("email", "--from", csv)
        assert result.returncode == 0, result.stderr
        assert "1 sent, 1 already sent, 0 failed" in result.stdout
        assert [rcpt for _, rcpt, _ in smtp_server.received] == [["hoa@example.com"]]
        ledger.deliveries.mark_failed(claim, "the other sender lost its connection")
    assert "1 sent, 1 already sent, 0 failed" in run("email", "--from", csv).stdout
    assert len(smtp_server.received) == 2


def test_a_log_line_cut_short_by_a_crash_does_not_swallow_the_next(
        project: Path, run: Run, smtp_server: Inbox) -> None:
    """An old send log, its last line cut short, is taken in and never written to."""
    log = project / "handouts-sent.jsonl"
    log.write_text('{"key": "someone@example.com|x.pdf", "to": "some', encoding="utf-8")
    before = log.read_bytes()
    csv = day(project, EMMA.format("emma@example.com"))
    assert run("email", "--from", csv).returncode == 0
    again = run("email", "--from", csv)
    assert again.returncode == 0 and "0 sent, 1 already sent, 0 failed" in again.stdout
    assert len(smtp_server.received) == 1
    assert log.read_bytes() == before
