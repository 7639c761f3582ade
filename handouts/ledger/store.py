"""The ledger's file: one SQLite database beside the data folder, shared by every face.

It lives at `<project>/.handouts/ledger.sqlite3`, where `<project>` is the folder holding the
data folder: never inside data/ (content the tool only reads, often kept in git or a shared
folder) and never in the current folder (running a command from another folder must find
the same record, or a client is emailed twice). The folder is created 0700 and the database
0600, whatever the umask: it holds clients' names, addresses and notes (health data).

Write transactions are `BEGIN IMMEDIATE`: the write lock is taken before the first read, so
two processes deciding the same thing (who sends this sheet) are put one after the other,
and a uniqueness constraint settles what is left. WAL lets the desk read while another
process writes; a busy database is waited for (BUSY_TIMEOUT), not reported at once.
"""

from __future__ import annotations

import datetime as dt
import os
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TypeVar

from handouts.errors import LedgerError
from handouts.output.write import open_private, project_folder

T = TypeVar("T")

#: The ledger's file in the project's own folder (`output.write.project_folder`).
FILENAME = "ledger.sqlite3"
#: Seconds a command waits for another one's write to finish before giving up.
BUSY_TIMEOUT = 30.0
#: Bumped when the tables change; a newer ledger is refused rather than misread.
SCHEMA_VERSION = 3

#: What each older ledger needs to become the current one (run in one transaction, before
#: SCHEMA). 1 -> 2: deliveries record which version of the sheet went; rows from before
#: have version '' ("not recorded": see deliveries.py for how they count). 2 -> 3: an
#: appointment keeps the client's own home programme (NULL: the treatment's exercises).
MIGRATIONS = {
    1: ("ALTER TABLE deliveries ADD COLUMN version TEXT NOT NULL DEFAULT ''",
        "ALTER TABLE deliveries ADD COLUMN resent INTEGER NOT NULL DEFAULT 0"),
    2: ("ALTER TABLE appointments ADD COLUMN exercises TEXT",),
}

SCHEMA = """
CREATE TABLE IF NOT EXISTS deliveries (
    id INTEGER PRIMARY KEY,
    key TEXT NOT NULL,              -- address|sheet key: what "deliver once" is about
    round INTEGER NOT NULL,         -- 0 the first delivery, 1, 2 ... each "send again"
    client TEXT NOT NULL,
    client_key TEXT NOT NULL,       -- the name as reception means it (forget matches it)
    address TEXT NOT NULL,
    treatment TEXT,                 -- NULL on rows imported from an old send log
    lang TEXT,
    visit_date TEXT,                -- the treatment date (ISO)
    filename TEXT NOT NULL,         -- the attached sheet's name
    state TEXT NOT NULL CHECK (state IN ('sending', 'sent', 'failed')),
    detail TEXT NOT NULL DEFAULT '', -- why it failed
    claimed_by TEXT NOT NULL DEFAULT '', -- host:pid:token of the process sending it
    recorded_at TEXT NOT NULL,      -- UTC, ISO 8601: last change of state
    version TEXT NOT NULL DEFAULT '', -- digest of the client's own content, '' not recorded
    resent INTEGER NOT NULL DEFAULT 0, -- 1: staff asked for this version again ("send again")
    UNIQUE (key, round)
);
CREATE INDEX IF NOT EXISTS deliveries_client ON deliveries (client_key);
-- a version of a client's sheet is offered and sent once, only "send again" repeats it
CREATE UNIQUE INDEX IF NOT EXISTS deliveries_version ON deliveries (key, version)
    WHERE version != '' AND resent = 0;
CREATE TABLE IF NOT EXISTS imported_logs (
    path TEXT PRIMARY KEY,          -- an old JSON-lines send log, read once
    deliveries INTEGER NOT NULL,
    recorded_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS appointments (
    id INTEGER PRIMARY KEY,
    day TEXT NOT NULL,              -- the treatment date (ISO)
    time TEXT,                      -- HH:MM when known
    position INTEGER NOT NULL,      -- order within the day
    client TEXT NOT NULL,
    client_key TEXT NOT NULL,
    email TEXT,
    lang TEXT NOT NULL,
    treatment TEXT NOT NULL,
    therapist TEXT,
    next_visit TEXT,
    notes TEXT,
    source TEXT,                    -- the CSV it was imported from, NULL when typed in
    recorded_at TEXT NOT NULL,
    exercises TEXT                  -- the client's own programme (JSON), NULL: the treatment's
);
CREATE INDEX IF NOT EXISTS appointments_day ON appointments (day, position);
CREATE TABLE IF NOT EXISTS made_files (
    id INTEGER PRIMARY KEY,
    path TEXT NOT NULL UNIQUE,      -- absolute
    kind TEXT NOT NULL CHECK (kind IN ('sheet', 'email')),
    client TEXT NOT NULL,
    client_key TEXT NOT NULL,
    visit_date TEXT NOT NULL,
    sha256 TEXT NOT NULL,           -- what was written: a file since replaced is not ours
    recorded_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS made_files_client ON made_files (client_key);
"""


def ledger_path(data_dir: Path) -> Path:
    """Where the ledger of the project holding `data_dir` is, however the folder is spelled
    and wherever the command runs from (`data`, `./data/`, `/spa/data` are one project)."""
    return project_folder(data_dir) / FILENAME


def now() -> dt.datetime:
    """The time rows are stamped with: UTC, so a change of time zone reorders nothing."""
    return dt.datetime.now(dt.timezone.utc)


def stamp(at: dt.datetime) -> str:
    """A time as the ledger stores it: fixed width, so stored times sort as text."""
    return at.astimezone(dt.timezone.utc).isoformat(timespec="microseconds")


def unstamp(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text)


class Ledger:
    """An open ledger. Use one per thread (sqlite3 connections are not shared across threads);
    opening is cheap, so the desk opens one per request.

    `deliveries`, `appointments` and `files` are its three parts; `erasure.forget` and
    `erasure.apply_retention` remove from all three.
    """

    def __init__(self, path: Path) -> None:
        from handouts.ledger.appointments import Appointments
        from handouts.ledger.deliveries import Deliveries
        from handouts.ledger.files import MadeFiles

        self.path = path
        self._connection = _connect(path)
        try:
            self._prepare()
        except BaseException:
            self._connection.close()
            raise
        self.deliveries = Deliveries(self)
        self.appointments = Appointments(self)
        self.files = MadeFiles(self)

    @classmethod
    def beside(cls, data_dir: Path) -> Ledger:
        """The ledger of the project holding `data_dir` (see `ledger_path`), made if new."""
        return cls(ledger_path(data_dir))

    def _prepare(self) -> None:
        """Tables made (once, whoever comes first), an older ledger brought up to date, WAL on,
        a newer ledger refused."""
        with self.transaction() as db:
            version = db.execute("PRAGMA user_version").fetchone()[0]
            if version > SCHEMA_VERSION:
                raise LedgerError(f"{self.path}: this ledger was written by a newer version "
                                  "of handouts; update handouts to use it")
            for older in range(version, SCHEMA_VERSION) if version else ():
                for statement in MIGRATIONS[older]:
                    db.execute(statement)
            for statement in SCHEMA.split(";"):  # executescript would commit mid-way
                db.execute(statement)
            db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
        self._run(lambda: self._connection.execute("PRAGMA journal_mode = WAL"))

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """One write transaction: the write lock taken at once, everything committed or none."""
        db = self._connection
        self._run(lambda: db.execute("BEGIN IMMEDIATE"))
        try:
            yield db
        except sqlite3.Error as exc:
            db.rollback()
            raise self._error(exc) from None
        except BaseException:
            db.rollback()
            raise
        try:
            self._run(db.commit)
        except LedgerError:
            db.rollback()  # the connection stays usable
            raise

    def read(self, sql: str, parameters: tuple[object, ...] = ()) -> list[sqlite3.Row]:
        """Rows of one query, outside any write transaction (WAL: never blocked by one)."""
        return self._run(lambda: self._connection.execute(sql, parameters).fetchall())

    def _run(self, call: Callable[[], T]) -> T:
        try:
            return call()
        except sqlite3.Error as exc:
            raise self._error(exc) from None

    def _error(self, exc: sqlite3.Error) -> LedgerError:
        said = str(exc)
        if "locked" in said or "busy" in said:
            return LedgerError(f"{self.path}: the ledger stayed busy for {BUSY_TIMEOUT:g} s "
                               "(another handouts is writing to it); try again")
        if "not a database" in said or "malformed" in said:
            return LedgerError(f"{self.path}: the ledger is damaged ({said}); move it away "
                               "to start a new one (what it recorded will be sent again)")
        return LedgerError(f"{self.path}: cannot use the ledger ({said})")

    def close(self) -> None:
        self._connection.close()

    def __enter__(self) -> Ledger:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()


def _connect(path: Path) -> sqlite3.Connection:
    """The database, its folder and file created private first (sqlite3 would follow the
    umask), then opened in autocommit mode: transactions are begun explicitly."""
    try:
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        os.close(open_private(str(path), os.O_RDWR | os.O_CREAT | os.O_CLOEXEC))
        connection = sqlite3.connect(path, timeout=BUSY_TIMEOUT, isolation_level=None)
    except (OSError, sqlite3.Error) as exc:
        said = exc.strerror if isinstance(exc, OSError) else str(exc)
        raise LedgerError(f"{path}: cannot open the ledger ({said})") from None
    connection.row_factory = sqlite3.Row
    connection.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT * 1000)}")
    connection.execute("PRAGMA foreign_keys = ON")
    return connection
