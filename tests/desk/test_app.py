"""desk/app.py: the content the desk shares with the command line through the content cache."""

from __future__ import annotations

from pathlib import Path

from starlette.testclient import TestClient

from handouts.content.cache import cached_library, learnt
from tests.desk.test_live import form


def test_what_a_desk_works_out_for_a_preview_is_there_for_the_next_run(
        client: TestClient, project: Path) -> None:
    """The first preview's layout answers, QR codes and pictures are stored with the content
    cache: the next desk (or `handouts aftercare`) starts from them."""
    assert client.post("/sheet/preview", data=form(client)).status_code == 200
    answers = learnt(cached_library(project / "data", project / "fonts"))
    kept = {key[0] for key in answers if isinstance(key, tuple)}
    assert {"sheet fits", "qr symbol", "picture operators"} <= kept
