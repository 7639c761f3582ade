"""desk/sent.py: the ledger's deliveries by day, and each client's state on Today."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from starlette.testclient import TestClient

from handouts.catalogue.sheets import sheet_key
from handouts.content.appointments import read_visit
from handouts.content.dates import Dating
from handouts.ledger import Ledger, Parcel
from tests.desk.conftest import TODAY, csrf


def record(project: Path, client: str, address: str, failed: str = "") -> None:
    """A delivery as `handouts email` records it: claimed, then sent or failed."""
    visit = read_visit({"client": client, "date": TODAY.isoformat(), "email": address},
                       Dating(TODAY))
    key = f"{address.lower()}|{sheet_key('plantar-fasciitis', 'en', visit)}"
    with Ledger.beside(project / "data") as ledger:
        claim = ledger.deliveries.claim(Parcel(key, client, address, "plantar-fasciitis", "en",
                                               TODAY, "sheet.pdf"))
        assert claim is not None
        if failed:
            ledger.deliveries.mark_failed(claim, failed)
        else:
            ledger.deliveries.mark_sent(claim)


def test_sent_lists_who_got_what_where_and_why_one_failed(client: TestClient,
                                                          project: Path) -> None:
    record(project, "Emma Wilson", "emma@example.com")
    record(project, "<b>Hoa</b>", "hoa@example.com", failed="550 mailbox unavailable")
    day = dt.datetime.now().date().isoformat()  # the ledger stamps deliveries by the clock
    page = client.get(f"/sent?day={day}").text
    assert "Emma Wilson" in page and "emma@example.com" in page
    assert "Plantar fasciitis foot massage" in page
    assert "failed: 550 mailbox unavailable" in page
    assert "&lt;b&gt;Hoa&lt;/b&gt;" in page and "<b>Hoa" not in page
    assert "Nothing was sent on this day." in client.get("/sent?day=2001-01-01").text
    assert "That day could not be read" in client.get("/sent?day=../../etc").text


def test_today_shows_sent_and_failed_beside_each_client(client: TestClient,
                                                         project: Path) -> None:
    for name, address in (("Emma Wilson", "emma@example.com"), ("Hoa", "hoa@example.com")):
        client.post("/sheet", data={"csrf": csrf(client), "client": name, "email": address,
                                    "treatment": "plantar-fasciitis", "lang": "en",
                                    "date": TODAY.isoformat(), "action": "save"})
    record(project, "Emma Wilson", "EMMA@example.com")
    record(project, "Hoa", "hoa@example.com", failed="550 mailbox unavailable")
    page = client.get("/today").text
    assert ">sent at " in page and 'value="send_again"' in page
    assert ">failed: 550 mailbox unavailable<" in page
