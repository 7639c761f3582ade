"""desk/app.py: the content the desk shares with the command line through the content cache."""

from __future__ import annotations

import os
from pathlib import Path

from starlette.testclient import TestClient

from handouts.content.cache import cached_library, learnt
from tests.content.test_cache import kinds_of
from tests.desk.test_live import form


def test_what_a_desk_works_out_for_a_preview_is_there_for_the_next_run(
        client: TestClient, project: Path) -> None:
    """The first preview's layout answers, QR codes and pictures are stored with the content
    cache: the next desk (or `handouts aftercare`) starts from them."""
    assert client.post("/sheet/preview", data=form(client)).status_code == 200
    answers = learnt(cached_library(project / "data", project / "fonts"))
    assert {"sheet fits", "qr symbol", "picture operators"} <= kinds_of(answers)


def test_an_edit_keeping_the_file_s_size_and_time_is_seen(
        client: TestClient, project: Path) -> None:
    """A copy with `cp -p` or `rsync -a`, or two saves in one clock tick, keeps a file's
    modification time and size: the desk still shows the words as they are now."""
    words = project / "data" / "treatments" / "hot-stone-massage" / "en.yaml"
    assert "Hot stone massage" in client.get("/sheet").text
    kept = words.stat()
    words.write_text(words.read_text(encoding="utf-8").replace(
        "name: Hot stone massage", "name: Hot rock massage "), encoding="utf-8")
    os.utime(words, ns=(kept.st_atime_ns, kept.st_mtime_ns))
    assert words.stat().st_size == kept.st_size
    page = client.get("/sheet").text
    assert "Hot rock massage" in page and "Hot stone massage" not in page
