"""Emailing personalised sheets: each client's message composed and sent (or written as
.eml), what was sent recorded once in the ledger, and every row or client that got nothing
reported."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from email.message import EmailMessage
from pathlib import Path

from handouts.catalogue.checks import Origin, job_for, require_data_folder
from handouts.catalogue.document import render_job, sheet_exercises
from handouts.catalogue.sheets import (
    check_sheet,
    sheet_filename,
    sheet_key,
    sheet_version,
    todays_dating,
)
from handouts.content.appointments import Visit, client_key, read_appointments
from handouts.content.cache import cached_library
from handouts.content.load import Found, Library
from handouts.errors import ContentError, Failure, HandoutsError, MailError, Problem
from handouts.ledger import FileKind, Ledger, Parcel, Standing, open_for_work
from handouts.output.mail import (
    Delivery,
    Outgoing,
    SmtpSettings,
    Status,
    send_all,
    sender_from_env,
    write_eml,
)
from handouts.render.kinds import Kind


@dataclass(frozen=True)
class Recipient:
    """One client to email: `label` names them in reports (a CSV line, or the --to option)."""

    label: str
    treatment: str
    lang: str
    visit: Visit
    origin: Origin


def emails_for(found: Found, recipients: list[Recipient],
               sender: str) -> tuple[list[Outgoing], list[Failure]]:
    """Each client's sheet and message, ready to send; and why the others cannot be.

    A row repeating an earlier one (same client, treatment, language and address, the
    name and the address in any case) is refused, so that client gets one message, not
    one per row.
    """
    outgoing: list[Outgoing] = []
    failures: list[Failure] = []
    first: dict[tuple[str, str, str, str], int] = {}
    for asked in recipients:
        try:  # the treatment by folder or name, the language in any case
            job = job_for(found, asked.treatment, Kind.AFTERCARE, asked.lang, asked.origin)
        except ContentError as exc:
            failures.append(Failure.of(exc))
            continue
        r = replace(asked, treatment=job.treatment, lang=job.lang)
        if not r.visit.email:
            path, line, _ = r.origin("email")
            failures.append(Failure((Problem(path, line, 1,
                                             "email: no address for this client"),)))
            continue
        address = r.visit.email.lower()
        same = (r.treatment, r.lang, client_key(r.visit.client), address)
        path, line, column = r.origin("client")
        if same in first:
            failures.append(Failure((Problem(path, line, column, "same client, treatment, "
                                             f"language and address as line {first[same]}: "
                                             "emailed once"),)))
            continue
        first[same] = line
        try:
            library = check_sheet(found, job, r.visit, r.origin)
            pdf = render_job(library, job, visit=r.visit)
        except ContentError as exc:
            failures.append(Failure.of(exc))
            continue
        except HandoutsError as exc:  # a sheet that cannot fit: named by its row
            path, line, _ = r.origin("client")
            failures.append(Failure((Problem(path, line, 1, str(exc)),)))
            continue
        filename = sheet_filename(r.treatment, r.lang, r.visit)
        message = _message(library, r, r.visit.email, pdf, filename, sender)
        parcel = Parcel(f"{address}|{sheet_key(r.treatment, r.lang, r.visit)}",
                        r.visit.client, address, r.treatment, r.lang, r.visit.date, filename,
                        (f"{address}|{_filename_before_2026_12(r)}",), sheet_version(r.visit))
        outgoing.append(Outgoing(parcel, r.label, message))
    return outgoing, failures


def default_sender(found: Found, configured: str | None) -> str:
    """HANDOUTS_SMTP_SENDER when set; else reception@ the spa's web domain (for .eml files)."""
    if configured:
        return configured
    domain = found.brand.website.split("/")[2] if isinstance(found, Library) else "localhost"
    return f"reception@{domain}"


def _message(library: Library, r: Recipient, to: str, pdf: bytes, filename: str,
             sender: str) -> EmailMessage:
    """The client's email in their language (text and HTML), with the sheet attached."""
    from handouts.output.message import compose_message

    return compose_message(brand=library.brand, labels=library.labels[r.lang],
                           treatment=library.treatments[r.treatment][r.lang], visit=r.visit,
                           lang=r.lang, sender=sender, to=to, pdf=pdf,
                           filename=filename, pictures=library.pictures,
                           exercises=sheet_exercises(library, r.treatment, r.lang, r.visit))


@dataclass
class Mailing:
    """What one `handouts email` did: .eml files written or messages delivered, and why
    the others got nothing."""

    failures: list[Failure]
    written: list[Path] = field(default_factory=list)
    deliveries: list[Delivery] | None = None  # None when writing .eml files
    changed: list[Outgoing] = field(default_factory=list)  # changed since sent, not sent

    @property
    def failed(self) -> list[Delivery]:
        return [d for d in self.deliveries or [] if d.status is Status.FAILED]

    @property
    def summary(self) -> str:
        failed = len(self.failures) + len(self.failed)
        if self.deliveries is None:
            return f"{len(self.written)} written, {failed} failed"
        sent = sum(d.status is Status.SENT for d in self.deliveries)
        skipped = sum(d.status is Status.ALREADY_SENT for d in self.deliveries)
        changed = f", {len(self.changed)} changed since sent" if self.changed else ""
        return f"{sent} sent, {skipped} already sent{changed}, {failed} failed"


def _filename_before_2026_12(r: Recipient) -> str:
    """The sheet's file name as the send log recorded it before names kept the client's own
    script: still looked up, so that upgrading between two runs of a day's batch sends no
    client a second email."""
    ascii_name = unicodedata.normalize("NFKD", r.visit.client).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")[:40].strip("-")
    key = hashlib.sha256(f"{r.visit.client}\n{r.treatment}\n{r.lang}\n{r.visit.date}".encode())
    return (f"{r.treatment}-aftercare-{r.lang}-{slug or 'client'}-{r.visit.date}-"
            f"{key.hexdigest()[:8]}.pdf")


#: The send log earlier versions wrote, in the folder they were run from.
OLD_SEND_LOG = "handouts-sent.jsonl"


def mail_sheets(data_dir: Path, fonts_dir: Path | None, to: Path | Recipient,
                eml: Path | None, old_log: Path | None, env: Mapping[str, str],
                again_after: int | None = None, changed: bool = False) -> Mailing:
    """Email each client (`to`: an appointments CSV, or one recipient) their sheet, or with
    `eml` write the messages there; raise HandoutsError when nothing can go at all.

    SMTP settings come from `env`. What was sent is in the ledger beside the data folder,
    wherever this runs from; an old send log (`old_log`, and `handouts-sent.jsonl` beside
    the data folder and here) is taken into it once, and only read. The ledger's retention
    runs first. `again_after`: send again (see `send_all`). A client whose sheet changed
    since it was sent (their notes, next visit ...) is reported in `Mailing.changed`, and
    with `changed` sent the new version instead, once.
    """
    library = cached_library(data_dir, fonts_dir)
    require_data_folder(library)
    failures: list[Failure] = []
    if isinstance(to, Path):
        appointments, problems = read_appointments(to, todays_dating(library))
        recipients = [Recipient(f"{to}:{a.line}", a.treatment, a.lang, a.visit, a.origin(to))
                      for a in appointments]
        failures += [Failure((p,)) for p in problems]
    else:
        recipients = [to]
    settings = None if eml else SmtpSettings.from_env(env)
    with open_for_work(library) as ledger:  # usable before anything is written or sent
        if eml:
            outgoing, refused = emails_for(library, recipients,
                                           default_sender(library, sender_from_env(env)))
            return Mailing(failures + refused, written=[_write_eml(ledger, eml, item)
                                                        for item in outgoing])
        assert settings is not None
        _import_old_logs(ledger, data_dir, old_log)
        outgoing, refused = emails_for(library, recipients,
                                       default_sender(library, settings.sender))
        offered = {item.parcel.key for item in outgoing if again_after is None
                   and ledger.deliveries.standing(item.parcel) is Standing.CHANGED}
        held = [] if changed else [item for item in outgoing if item.parcel.key in offered]
        going = [replace(item, parcel=replace(item.parcel, renew=True))
                 if item.parcel.key in offered else item
                 for item in outgoing if changed or item.parcel.key not in offered]
        return Mailing(failures + refused,
                       deliveries=send_all(going, settings, ledger.deliveries, again_after),
                       changed=held)


def _write_eml(ledger: Ledger, folder: Path, item: Outgoing) -> Path:
    """The message as a .eml file, recorded as made for its client (so `forget` finds it)."""
    target = write_eml(folder, item.filename.removesuffix(".pdf") + ".eml", item.message)
    ledger.files.record(target, FileKind.EMAIL, item.parcel.client, item.parcel.visit_date,
                        target.read_bytes())
    return target


def _import_old_logs(ledger: Ledger, data_dir: Path, given: Path | None) -> None:
    """Take in the send logs earlier versions left beside the data folder or here, and the
    one named by --log (which must exist: a mistyped name would send everything again)."""
    if given is not None and not given.is_file():
        raise MailError(f"--log {given}: no such send log; nothing was sent")
    for path in (data_dir.absolute().parent / OLD_SEND_LOG, Path(OLD_SEND_LOG), given):
        if path is not None:
            ledger.deliveries.import_send_log(path)
