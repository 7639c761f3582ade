"""desk/today.py: the day's appointments from the ledger, imported or added, and Print the
day."""

from __future__ import annotations

import io
import re
import shutil
import time
from pathlib import Path

from pypdf import PdfReader
from starlette.testclient import TestClient

from handouts.content.cache import cache_folder
from handouts.ledger import Ledger, ledger_path
from tests.conftest import SHIPPED_DATA
from tests.desk.conftest import TODAY, csrf

HEADER = "client,treatment,lang,therapist,date,email,notes,next_visit\n"


def upload(client: TestClient, text: str | bytes, name: str = "bookings.csv") -> str:
    raw = text.encode() if isinstance(text, str) else text
    response = client.post("/today/import", data={"csrf": csrf(client, "/today")},
                           files={"csv": (name, raw, "text/csv")})
    return response.text


def clients_shown(html: str) -> list[str]:
    import html as entities

    return [entities.unescape(name) for name in
            re.findall(r'<td><a href="/sheet/\d+">([^<]*)</a></td>', html)]


def test_an_imported_csv_lists_the_days_clients_in_order_not_yet_sent(
        client: TestClient) -> None:
    page = upload(client, (SHIPPED_DATA / "appointments.csv").read_bytes())
    assert clients_shown(page) == ["Emma Wilson", "Nguyễn Thị Hoa", "김민지", "佐藤 由美"]
    assert page.count(">not sent</span>") == 4
    assert "Plantar fasciitis foot massage" in page and "Tiếng Việt" in page
    assert re.search(r"<title>Today · ", page)


def test_importing_the_same_export_again_doubles_nothing(client: TestClient) -> None:
    csv = (SHIPPED_DATA / "appointments.csv").read_bytes()
    upload(client, csv)
    assert len(clients_shown(upload(client, csv))) == 4


def test_the_upload_is_not_kept_on_disk(client: TestClient, project: Path) -> None:
    upload(client, (SHIPPED_DATA / "appointments.csv").read_bytes())
    assert [p.name for p in ledger_path(project / "data").parent.iterdir()
            if p.suffix == ".csv"] == []


def test_an_upload_before_the_ledger_exists_is_imported(client: TestClient,
                                                        project: Path) -> None:
    token = csrf(client, "/sheet")  # the sheet opens no ledger
    shutil.rmtree(cache_folder(project / "data"))  # the content cache's: always safe to delete
    ledger_path(project / "data").parent.rmdir()
    assert not ledger_path(project / "data").parent.exists()
    answer = client.post("/today/import", data={"csrf": token}, files={
        "csv": ("day.csv", (SHIPPED_DATA / "appointments.csv").read_bytes(), "text/csv")})
    assert answer.status_code == 200 and "Emma Wilson" in answer.text


def test_bad_rows_are_named_at_their_line_and_column_the_good_ones_kept(
        client: TestClient) -> None:
    page = upload(client, HEADER + "Emma Wilson,plantar-fasciitis,en,Linh,,,,\n"
                                   ",plantar-fasciitis,en,Linh,,,,\n"
                                   "Ann,plantar-fasciitis,en,Linh,,,,2001-01-01\n")
    assert "bookings.csv:3:1: client: the client&#39;s name is blank" in page
    assert "bookings.csv:4:8: next_visit: the next visit (2001-01-01)" in page
    assert clients_shown(client.get("/today").text) == ["Emma Wilson"]


def test_html_in_a_csv_stays_text(client: TestClient) -> None:
    page = upload(client, HEADER + '"<script>alert(1)</script>",plantar-fasciitis,en,'
                                   '"<b>Linh</b>",,,"<img src=x>",\n')
    page = client.get("/today").text
    assert "<script>alert" not in page and "<b>Linh" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_a_csv_of_ten_thousand_rows_is_cut_at_the_readers_cap(client: TestClient) -> None:
    rows = "".join(f"Client {n},plantar-fasciitis,en,Linh,,,,\n" for n in range(10_000))
    started = time.monotonic()
    page = upload(client, HEADER + rows)
    assert "more than 5000 rows; split the file" in page
    assert time.monotonic() - started < 120


def test_a_file_larger_than_the_cap_is_refused(client: TestClient) -> None:
    response = client.post("/today/import", data={"csrf": csrf(client, "/today")},
                           files={"csv": ("big.csv", b"x" * (3 * 1024 * 1024), "text/csv")})
    assert response.status_code == 413


def test_not_a_csv_is_said_in_plain_words(client: TestClient) -> None:
    page = upload(client, b"\xff\xfe\x00garbage", name="photo.jpg")
    assert "photo.jpg:1:1: file is not valid UTF-8 (save the CSV as UTF-8)" in page


def test_an_appointment_added_on_a_sheet_joins_the_day_and_can_be_edited(
        client: TestClient) -> None:
    form = {"csrf": csrf(client), "client": "Ann Lee", "treatment": "plantar-fasciitis",
            "lang": "en", "therapist": "Mai", "date": TODAY.isoformat(), "action": "save"}
    assert client.post("/sheet", data=form, follow_redirects=False).status_code == 303
    page = client.get("/today").text
    assert clients_shown(page) == ["Ann Lee"]
    number = re.search(r'href="/sheet/(\d+)"', page)
    assert number
    client.post(f"/sheet/{number.group(1)}", data={**form, "client": "Ann Lee-Park"})
    assert clients_shown(client.get("/today").text) == ["Ann Lee-Park"]
    client.post(f"/today/{number.group(1)}/remove", data={"csrf": csrf(client)})
    assert clients_shown(client.get("/today").text) == []


def test_print_the_day_is_one_pdf_of_every_sheet_in_appointment_order(
        client: TestClient) -> None:
    upload(client, (SHIPPED_DATA / "appointments.csv").read_bytes())
    response = client.post("/today/print", data={"csrf": csrf(client, "/today")})
    assert response.status_code == 200 and response.headers["content-type"] == "application/pdf"
    pages = [p.extract_text() for p in PdfReader(io.BytesIO(response.content)).pages]
    firsts = [text for text in pages if any(name in text for name in (
        "Emma Wilson", "Nguyễn Thị Hoa", "김민지", "佐藤"))]
    order = [next(n for n in ("Emma Wilson", "Nguyễn Thị Hoa", "김민지", "佐藤") if n in t)
             for t in firsts]
    assert list(dict.fromkeys(order)) == ["Emma Wilson", "Nguyễn Thị Hoa", "김민지", "佐藤"]
    assert "Emma" not in response.headers["content-disposition"]


def test_ids_are_numbers_and_an_unknown_one_is_not_found(client: TestClient,
                                                         project: Path) -> None:
    with Ledger.beside(project / "data"):
        pass
    for address in ("/sheet/999", "/sheet/..%2F..%2Fbrand.yaml", "/sheet/../data/brand.yaml",
                    "/sheet/1%2F..", "/sheet/-1"):
        assert client.get(address).status_code == 404, address
    assert client.post("/sheet/999", data={"csrf": csrf(client)}).status_code == 404


def test_print_the_day_names_the_sheet_that_cannot_be_made(client: TestClient) -> None:
    upload(client, HEADER + "Emma Wilson,plantar-fasciitis,en,Linh,,,,\n"
                            "Ann Lee,plantar-fasciitis,fr,Linh,,,,\n")
    assert ">cannot be made: no &#39;fr&#39; version of plantar-fasciitis" in \
        client.get("/today").text
    response = client.post("/today/print", data={"csrf": csrf(client, "/today")})
    assert response.status_code == 422
    assert "2. Ann Lee: no &#39;fr&#39; version of plantar-fasciitis" in response.text


def test_a_damaged_ledger_is_said_in_words_not_a_traceback(client: TestClient,
                                                          project: Path) -> None:
    ledger = ledger_path(project / "data")
    ledger.parent.mkdir(exist_ok=True)
    ledger.write_bytes(b"this is not a database" * 100)
    response = client.get("/today")
    assert response.status_code == 503
    assert "the ledger is damaged" in response.text and "Traceback" not in response.text
