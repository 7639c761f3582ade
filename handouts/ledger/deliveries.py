"""Deliveries: which sheet went to whom, at which address, when, or why it failed.

"Deliver once" is the table's UNIQUE (key, round): a sender first *claims* a delivery by
inserting its row (state `sending`) in one transaction, and only the process whose insert
succeeded sends. Two `handouts email` runs, the desk and a second browser tab asking for the
same client's sheet at once: exactly one claim wins, the others are told it is taken.
"Send again" claims the next round, naming the round it saw, so two staff pressing it at
once still send one message.

Versions. Each row records the *version* of what the client received: a digest of their own
content (catalogue.sheets.sheet_version). When the current version was never sent but an
older one was, the sheet has *changed since sent*; "send the new version" (`Parcel.renew`)
claims the next round for it, under the same lock, and a partial unique index on (key,
version) keeps any version from being offered twice; only "send again", which staff ask for
by hand, repeats one (its row is marked `resent`). Rows sent before versions were recorded
(a ledger of schema 1, an old send log) have version '' and count as the current version:
what they held cannot be known, and counting them as changed would offer every client ever
emailed a second message on the day of the upgrade.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import secrets
import socket
from dataclasses import dataclass
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING

from handouts.content.appointments import client_key
from handouts.errors import LedgerError
from handouts.ledger.store import now, stamp, unstamp
from handouts.output.write import is_running

if TYPE_CHECKING:
    import sqlite3
    from collections.abc import Callable

    from handouts.ledger.store import Ledger


class Standing(Enum):
    """Where a client's sheet stands against the ledger."""

    NOT_SENT = "not sent"
    SENT = "sent"  # this version, or one of unknown version, went
    CHANGED = "changed since sent"  # an earlier version went, this one never did


class DeliveryState(str, Enum):
    """Where one delivery stands (its value is how the ledger and reports say it)."""

    SENDING = "sending"  # claimed: a process is sending it now
    SENT = "sent"
    FAILED = "failed"

    def __str__(self) -> str:
        return self.value


@dataclass(frozen=True)
class Parcel:
    """One sheet for one address, as a sender asks to deliver it.

    `key` is what deliver-once is about (the address and the sheet's key: treatment,
    language, client, treatment date); a delivery recorded under one of `earlier_keys` (how
    an older version named the same delivery) counts as this one. `version` is the digest of
    the client's own content; `renew` asks for it to be sent as "the new version" when an
    earlier version went (see the module's docstring).
    """

    key: str
    client: str
    address: str
    treatment: str
    lang: str
    visit_date: dt.date
    filename: str
    earlier_keys: tuple[str, ...] = ()
    version: str = ""
    renew: bool = False


@dataclass(frozen=True)
class Claim:
    """The right to send one parcel: this process's row, to mark sent or failed."""

    id: int
    key: str
    round: int
    token: str  # which process claimed it: marking checks it is still ours


@dataclass(frozen=True)
class DeliveryRecord:
    """One row of the ledger's deliveries (a `Parcel`'s fields are None when the row came
    from an old send log that did not keep them)."""

    id: int
    key: str
    round: int
    client: str
    address: str
    treatment: str | None
    lang: str | None
    visit_date: dt.date | None
    filename: str
    state: DeliveryState
    detail: str
    recorded_at: dt.datetime
    version: str  # '' when the row predates versions
    resent: bool  # staff asked for it again ("send again")


class Deliveries:
    """The ledger's deliveries (reach it as `ledger.deliveries`)."""

    def __init__(self, ledger: Ledger) -> None:
        self._ledger = ledger

    def claim(self, parcel: Parcel, again_after: int | None = None) -> Claim | None:
        """Claim `parcel` for this process, or None when it is sent already or another
        process holds it (the caller then sends nothing).

        A failed delivery, or one whose sender died mid-way (its process is gone), is claimed
        anew. `again_after` is "send again": the round the staff member saw; the next round
        is claimed, once, however many ask at the same moment. A parcel that `renew`s is
        claimed only while its sheet stands changed since sent, in the round after the last.
        """
        token = f"{socket.gethostname()}:{os.getpid()}:{secrets.token_hex(4)}"
        round_ = 0 if again_after is None else again_after + 1
        with self._ledger.transaction() as db:
            if parcel.renew and again_after is None:
                if _standing(lambda sql, args: db.execute(sql, args).fetchall(),
                             parcel) is not Standing.CHANGED:
                    return None
                own = db.execute("SELECT round FROM deliveries WHERE key = ? AND version = ? "
                                 "AND resent = 0", (parcel.key, parcel.version)).fetchone()
                last = db.execute("SELECT max(round) FROM deliveries WHERE key = ?",
                                  (parcel.key,)).fetchone()[0]
                # this version's own try (failed, or cut short) is its row again
                round_ = own[0] if own else (-1 if last is None else last) + 1
            if again_after is None and not parcel.renew and parcel.earlier_keys and db.execute(
                    f"SELECT 1 FROM deliveries WHERE state = 'sent' AND key IN "
                    f"({','.join('?' * len(parcel.earlier_keys))})",
                    parcel.earlier_keys).fetchone():
                return None
            row = db.execute("SELECT id, state, claimed_by FROM deliveries "
                             "WHERE key = ? AND round = ?", (parcel.key, round_)).fetchone()
            if row is None:
                cursor = db.execute(
                    "INSERT INTO deliveries (key, round, client, client_key, address, "
                    "treatment, lang, visit_date, filename, state, claimed_by, recorded_at, "
                    "version, resent) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'sending', ?, ?, ?, ?) "
                    "ON CONFLICT DO NOTHING",
                    (parcel.key, round_, parcel.client, client_key(parcel.client),
                     parcel.address, parcel.treatment, parcel.lang,
                     parcel.visit_date.isoformat(), parcel.filename, token, stamp(now()),
                     parcel.version, int(again_after is not None)))
                if cursor.rowcount != 1 or cursor.lastrowid is None:
                    return None
                return Claim(cursor.lastrowid, parcel.key, round_, token)
            if row["state"] == DeliveryState.SENT or (
                    row["state"] == DeliveryState.SENDING and _alive(row["claimed_by"])):
                return None
            db.execute("UPDATE deliveries SET state = 'sending', detail = '', claimed_by = ?, "
                       "filename = ?, recorded_at = ?, version = ? WHERE id = ?",
                       (token, parcel.filename, stamp(now()), parcel.version, row["id"]))
            return Claim(row["id"], parcel.key, round_, token)

    def mark_sent(self, claim: Claim) -> None:
        """Record that the claimed message went: durable before the next one is sent."""
        self._mark(claim, DeliveryState.SENT, "")

    def mark_failed(self, claim: Claim, why: str) -> None:
        """Record why the claimed message did not go; a later claim may try it again."""
        self._mark(claim, DeliveryState.FAILED, why)

    def _mark(self, claim: Claim, state: DeliveryState, detail: str) -> None:
        with self._ledger.transaction() as db:
            cursor = db.execute("UPDATE deliveries SET state = ?, detail = ?, recorded_at = ? "
                                "WHERE id = ? AND claimed_by = ?",
                                (state.value, detail, stamp(now()), claim.id, claim.token))
            if cursor.rowcount != 1:
                raise LedgerError(f"{self._ledger.path}: the delivery to {claim.key.split('|')[0]} "
                                  f"was {state} but is no longer in the ledger (forgotten "
                                  f"meanwhile?); stopped so nothing is sent twice")

    def delivered(self, parcel: Parcel) -> bool:
        """Whether the parcel has gone (in any round, or under an earlier key; for one that
        `renew`s, whether this version has): a quick look before connecting to a server;
        only `claim` decides who sends."""
        standing = self.standing(parcel)
        return standing is Standing.SENT or (standing is Standing.CHANGED and not parcel.renew)

    def standing(self, parcel: Parcel) -> Standing:
        """Whether the parcel's sheet was sent, in this version or an earlier one."""
        return _standing(self._ledger.read, parcel)

    def latest(self, key: str) -> DeliveryRecord | None:
        """The last round of the delivery `key` (the desk's state for a client's sheet)."""
        rows = self._ledger.read("SELECT * FROM deliveries WHERE key = ? "
                                 "ORDER BY round DESC LIMIT 1", (key,))
        return _record(rows[0]) if rows else None

    def listed(self, day: dt.date | None = None) -> list[DeliveryRecord]:
        """Every delivery, newest first; with `day`, those whose state changed that day
        (the local day of the machine)."""
        records = [_record(r) for r in self._ledger.read(
            "SELECT * FROM deliveries ORDER BY recorded_at DESC, id DESC")]
        if day is None:
            return records
        return [r for r in records if r.recorded_at.astimezone().date() == day]

    def import_send_log(self, path: Path) -> int | None:
        """Take in an old JSON-lines send log (`handouts-sent.jsonl`) once, reading it only:
        the number of deliveries it added, or None when this log was imported before or
        is not there. A damaged line is skipped, as the old log did."""
        try:
            text = path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return None
        except (OSError, UnicodeDecodeError) as exc:
            said = exc.strerror if isinstance(exc, OSError) else str(exc)
            raise LedgerError(f"{path}: cannot read the old send log ({said}); nothing "
                              f"was sent") from None
        where = str(path.resolve())
        with self._ledger.transaction() as db:
            if db.execute("SELECT 1 FROM imported_logs WHERE path = ?", (where,)).fetchone():
                return None
            added = sum(_import_line(db, line) for line in text.splitlines())
            db.execute("INSERT INTO imported_logs (path, deliveries, recorded_at) "
                       "VALUES (?, ?, ?)", (where, added, stamp(now())))
        return added


def _import_line(db: sqlite3.Connection, line: str) -> int:
    """One old log line as a sent delivery (round 0); 0 when it is damaged or known."""
    try:
        entry = json.loads(line)
        key, to = str(entry["key"]), str(entry.get("to") or entry["key"].split("|")[0])
    except (ValueError, KeyError, TypeError, AttributeError):
        return 0
    parts = key.split("|")  # address|treatment|lang|client|date, or address|file.pdf
    treatment, lang, client, date = parts[1:5] if len(parts) == 5 else (None, None, "", None)
    filename = parts[1] if len(parts) == 2 else ""
    cursor = db.execute(
        "INSERT INTO deliveries (key, round, client, client_key, address, treatment, lang, "
        "visit_date, filename, state, recorded_at) VALUES (?, 0, ?, ?, ?, ?, ?, ?, ?, "
        "'sent', ?) ON CONFLICT (key, round) DO NOTHING",
        (key, client, client, to, treatment, lang, date, filename, stamp(now())))
    return cursor.rowcount


def _standing(read: Callable[[str, tuple[object, ...]], list[sqlite3.Row]],
              parcel: Parcel) -> Standing:
    """Where the parcel stands (`read` runs a query: inside a claim's transaction, or not)."""
    keys = (parcel.key, *parcel.earlier_keys)
    versions = {row[0] for row in read(
        f"SELECT DISTINCT version FROM deliveries WHERE state = 'sent' AND key IN "
        f"({','.join('?' * len(keys))})", keys)}
    if not versions:
        return Standing.NOT_SENT
    if versions & {"", parcel.version}:  # '': sent before versions were kept
        return Standing.SENT
    return Standing.CHANGED


def _alive(claimed_by: str) -> bool:
    """Whether the process that claimed a delivery may still be sending it (one on another
    machine is assumed to be)."""
    host, _, rest = claimed_by.partition(":")
    pid = rest.partition(":")[0]
    return host != socket.gethostname() or not pid.isdigit() or is_running(int(pid))


def _record(row: sqlite3.Row) -> DeliveryRecord:
    return DeliveryRecord(
        id=row["id"], key=row["key"], round=row["round"], client=row["client"],
        address=row["address"], treatment=row["treatment"], lang=row["lang"],
        visit_date=dt.date.fromisoformat(row["visit_date"]) if row["visit_date"] else None,
        filename=row["filename"], state=DeliveryState(row["state"]), detail=row["detail"],
        recorded_at=unstamp(row["recorded_at"]), version=row["version"],
        resent=bool(row["resent"]))
