"""ledger/store.py: one private ledger per project, beside the data folder."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from handouts.errors import LedgerError
from handouts.ledger import Ledger, ledger_path


def test_one_ledger_per_project_however_the_data_folder_is_spelled(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Beside data/, never in it, never in the current folder: `data`, `./data/` from the
    project and `project/data` from elsewhere all name one ledger."""
    project = tmp_path / "spa"
    (project / "data").mkdir(parents=True)
    (tmp_path / "elsewhere").mkdir()
    monkeypatch.chdir(project)
    here = {ledger_path(Path("data")), ledger_path(Path("./data/"))}
    monkeypatch.chdir(tmp_path / "elsewhere")
    here.add(ledger_path(project / "data"))
    here.add(ledger_path(Path("../spa/data")))
    assert here == {project / ".handouts" / "ledger.sqlite3"}


def test_the_ledger_and_its_folder_are_private_whatever_the_umask(tmp_path: Path) -> None:
    (tmp_path / "data").mkdir()
    old = os.umask(0o000)
    try:
        with Ledger.beside(tmp_path / "data") as ledger:
            ledger.read("SELECT 1")
    finally:
        os.umask(old)
    folder = tmp_path / ".handouts"
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    for made in folder.iterdir():  # the database, and SQLite's -wal and -shm beside it
        assert stat.S_IMODE(made.stat().st_mode) == 0o600, made.name
    assert not list((tmp_path / "data").iterdir())


def test_a_damaged_ledger_is_named_not_a_traceback(tmp_path: Path) -> None:
    path = tmp_path / ".handouts" / "ledger.sqlite3"
    path.parent.mkdir()
    path.write_bytes(b"this is not a database, but long enough to look like a file" * 40)
    with pytest.raises(LedgerError, match="ledger.sqlite3: the ledger is damaged"):
        Ledger(path)
