"""A client's next visit as a calendar file, for the desk's download: the event the email
carries (handouts/output/invitation.py), made from the same content."""

from __future__ import annotations

import datetime as dt

from handouts.catalogue.checks import Origin, check_job, job_for
from handouts.content.appointments import Visit
from handouts.content.load import Found
from handouts.output.invitation import next_visit_ics
from handouts.render.kinds import Kind


def next_visit_file(found: Found, treatment: str, lang: str, visit: Visit, origin: Origin,
                    now: dt.datetime | None = None) -> bytes | None:
    """The .ics of the visit's next visit (None when it names none), in the client's
    language; raises ContentError when the treatment or its language cannot be used."""
    job = job_for(found, treatment, Kind.AFTERCARE, lang, origin)
    library = check_job(found, job, origin)
    return next_visit_ics(library.brand, library.labels[job.lang],
                          library.treatments[job.treatment][job.lang], visit,
                          now or dt.datetime.now(dt.timezone.utc))
