"""desk/today.py: Today follows the booking system's export named in data/staff.yaml."""

from __future__ import annotations

import html
import os
import re
from pathlib import Path

from starlette.testclient import TestClient

HEADER = "client,treatment,lang,therapist,date,email,notes,next_visit\n"


def follow(project: Path, rows: str) -> Path:
    export = project / "bookings.csv"
    export.write_text(HEADER + rows, encoding="utf-8")
    staff = project / "data" / "staff.yaml"
    staff.write_text(staff.read_text(encoding="utf-8") + f"bookings_csv: {export}\n",
                     encoding="utf-8")
    return export


def clients(page: str) -> list[str]:
    return [html.unescape(name) for name in re.findall(r'<a href="/sheet/\d+">([^<]+)</a>', page)]


def test_today_shows_the_exports_clients_without_an_upload(client: TestClient,
                                                           project: Path) -> None:
    follow(project, "Emma Wilson,plantar-fasciitis,en,Linh,,,,\n")
    assert clients(client.get("/today").text) == ["Emma Wilson"]


def test_a_change_of_content_is_seen_even_when_the_files_time_is_kept(
        client: TestClient, project: Path) -> None:
    export = follow(project, "Emma Wilson,plantar-fasciitis,en,Linh,,,,\n")
    client.get("/today")
    kept = export.stat()
    export.write_text(HEADER + "Anna Lee,plantar-fasciitis,en,Linh,,,,\n", encoding="utf-8")
    os.utime(export, ns=(kept.st_atime_ns, kept.st_mtime_ns))
    assert clients(client.get("/today").text) == ["Anna Lee"]


def test_a_damaged_export_keeps_the_last_good_rows_and_says_where(
        client: TestClient, project: Path) -> None:
    export = follow(project, "Emma Wilson,plantar-fasciitis,en,Linh,,,,\n")
    client.get("/today")
    export.write_text(HEADER + "Anna Lee,plantar-fasciitis,en,Linh,31/31/2030,,,\n",
                      encoding="utf-8")
    page = client.get("/today").text
    assert clients(page) == ["Emma Wilson"]
    assert f"{export}:2:" in html.unescape(page)
