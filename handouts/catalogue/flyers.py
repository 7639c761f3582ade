"""Reception flyers at any size: one checked flyer rendered, imposed N-up for cutting if
asked, and written."""

from __future__ import annotations

from pathlib import Path

from handouts.catalogue.checks import Origin, check_job, job_for
from handouts.catalogue.document import render_job
from handouts.catalogue.plan import Job
from handouts.content.cache import cached_library, store_learnt
from handouts.content.load import Found
from handouts.errors import LayoutError
from handouts.output.write import write_atomic
from handouts.render.kinds import Kind
from handouts.render.sizes import Size


def flyer_filename(treatment: str, lang: str, size: Size, copies: int, crop_marks: bool) -> str:
    """<treatment>-flyer-<lang>-<size>[-<copies>up].pdf, named as the sheet will print."""
    name = f"{treatment}-flyer-{lang}-{size.value}"
    if copies > 1 or crop_marks:
        name += f"-{copies}up"
    return f"{name}.pdf"


def write_flyer(data_dir: Path, fonts_dir: Path | None, treatment: str, lang: str,
                size: Size, copies: int = 1, crop_marks: bool = False, bleed_mm: float = 0,
                output: Path | None = None, origin: Origin | None = None) -> Path:
    """Make the flyer (see make_flyer) and write it to `output`, by default under its own
    name here; raise HandoutsError naming what stops it."""
    job, pdf = make_flyer(cached_library(data_dir, fonts_dir), treatment, lang, size, copies,
                          crop_marks, bleed_mm, origin)
    target = output or Path(flyer_filename(job.treatment, job.lang, size, copies, crop_marks))
    write_atomic(target, pdf)
    store_learnt()  # its QR codes and pictures: the next run need not work them out again
    return target


def make_flyer(found: Found, treatment: str, lang: str, size: Size, copies: int = 1,
               crop_marks: bool = False, bleed_mm: float = 0,
               origin: Origin | None = None) -> tuple[Job, bytes]:
    """The flyer, imposed `copies` to a sheet or with crop marks; raise HandoutsError naming
    what stops it. The treatment may be named by its folder or its name, the language in
    any case.

    Bleed is for a print shop, which imposes the single flyer by its TrimBox and BleedBox;
    a PDF page has one TrimBox, so an N-up sheet (cut apart at reception) takes no bleed.
    """
    if copies > 1 and bleed_mm:
        command = f"handouts flyer {treatment} --size {size.value}"
        raise LayoutError(
            f"--bleed and --n-up do not go together: a print shop places the copies on its "
            f"own sheets from one flyer with bleed ({command} --bleed {bleed_mm:g} --lang "
            f"{lang}); sheets to cut apart yourself need no bleed ({command} --n-up {copies} "
            f"--crop-marks --lang {lang})")
    job = job_for(found, treatment, Kind.FLYER, lang, origin)
    library = check_job(found, job, origin)
    pdf = render_job(library, job, size, bleed_mm)
    if copies > 1 or crop_marks:
        from handouts.output.impose import impose

        pdf = impose(pdf, copies, crop_marks, size.value.upper(), size.sheet)
    return job, pdf
