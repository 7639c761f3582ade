"""desk/forget.py: "Forget this client" on a client's sheet, a confirm step, then the ledger's
`forget` (as `handouts forget --client` runs it)."""

from __future__ import annotations

import re
from pathlib import Path

from starlette.testclient import TestClient

from handouts.ledger import Ledger, Parcel
from tests.conftest import SHIPPED_DATA
from tests.desk.conftest import TODAY, csrf
from tests.desk.test_today import clients_shown, upload


def _emma(client: TestClient) -> str:
    """Emma Wilson's appointment id, once the shipped sample day is imported."""
    page = upload(client, (SHIPPED_DATA / "appointments.csv").read_bytes())
    found = re.search(r'<a href="/sheet/(\d+)">Emma Wilson</a>', page)
    assert found
    return found.group(1)


def _sent_to_emma(project: Path) -> None:
    with Ledger.beside(project / "data") as ledger:
        claim = ledger.deliveries.claim(Parcel(
            "emma.wilson@example.com|sheet", "Emma Wilson", "emma.wilson@example.com",
            "plantar-fasciitis", "en", TODAY, "sheet.pdf"))
        assert claim
        ledger.deliveries.mark_sent(claim)


def test_forget_this_client_asks_first_then_erases_their_records(
        client: TestClient, project: Path) -> None:
    emma = _emma(client)
    _sent_to_emma(project)
    assert f'href="/sheet/{emma}/forget"' in client.get(f"/sheet/{emma}").text
    confirm = client.get(f"/sheet/{emma}/forget")  # asking changes nothing
    assert confirm.status_code == 200 and "Emma Wilson" in confirm.text
    assert "Emma Wilson" not in re.search(r"<title>([^<]*)</title>", confirm.text).group(1)
    assert clients_shown(client.get("/today").text)[0] == "Emma Wilson"

    done = client.post(f"/sheet/{emma}/forget", data={"csrf": csrf(client)})
    assert done.status_code == 200
    assert ("removed for that client: 1 record(s) of emails, 1 appointment(s), "
            "0 personal file(s)") in done.text
    assert clients_shown(client.get("/today").text) == ["Nguyễn Thị Hoa", "김민지", "佐藤 由美"]
    with Ledger.beside(project / "data") as ledger:
        assert ledger.deliveries.listed() == []


def test_forget_without_the_forms_token_is_refused_and_erases_nothing(
        client: TestClient) -> None:
    emma = _emma(client)
    refused = client.post(f"/sheet/{emma}/forget", data={"csrf": "guess"})
    assert refused.status_code == 403
    assert clients_shown(client.get("/today").text)[0] == "Emma Wilson"
    assert client.get("/sheet/999999/forget").status_code == 404
