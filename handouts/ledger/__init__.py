"""The ledger: one SQLite database beside the data folder holding what was sent to whom,
the day's appointments and the personal files the tool made, shared by every face (the
command line and the desk). No SQL lives outside this package.

    with Ledger.beside(data_dir) as ledger:
        claim = ledger.deliveries.claim(parcel)      # None: sent already, or being sent
        ...send...; ledger.deliveries.mark_sent(claim)
        ledger.appointments.on_day(day)
"""

from handouts.ledger.appointments import Appointments, Booking, CsvImport
from handouts.ledger.deliveries import (
    Claim,
    Deliveries,
    DeliveryRecord,
    DeliveryState,
    Parcel,
    Standing,
)
from handouts.ledger.erasure import (
    RETENTION_DAYS,
    Forgotten,
    apply_retention,
    forget,
    open_for_work,
)
from handouts.ledger.files import FileKind, Made, MadeFile, MadeFiles
from handouts.ledger.store import Ledger, ledger_path

__all__ = [
    "RETENTION_DAYS", "Appointments", "Booking", "Claim", "CsvImport", "Deliveries",
    "DeliveryRecord", "DeliveryState", "FileKind", "Forgotten", "Ledger", "Made", "MadeFile",
    "MadeFiles", "Parcel", "Standing", "apply_retention", "forget", "ledger_path", "open_for_work",
]
