"""The `handouts` command: parse arguments, call the pipeline, report. Nothing else."""

from __future__ import annotations

import sys
from enum import Enum
from pathlib import Path
from typing import Annotated

import typer

from handouts.errors import HandoutsError

app = typer.Typer(
    help="Turn a spa's YAML content into branded, print-ready PDF handouts and flyers.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


class Paper(str, Enum):
    a4 = "a4"
    letter = "letter"


class NUp(str, Enum):
    """Copies per A4 sheet. 8-up would need A7 cells, too small for five 20 mm QR codes."""

    one = "1"
    two = "2"
    four = "4"


class Size(str, Enum):
    a4 = "a4"
    a5 = "a5"
    a6 = "a6"
    letter = "letter"


DataOption = Annotated[
    Path, typer.Option("--data", help="Folder with brand.yaml, labels/ and treatments/.")
]
FontsOption = Annotated[
    Path | None,
    typer.Option("--fonts", help="Folder with the font files [default: fonts/ beside --data]."),
]
LangOption = Annotated[
    list[str] | None,
    typer.Option("--lang", help="Only these languages (repeat for more), e.g. --lang en."),
]


def _fail(lines: list[str]) -> None:
    for line in lines:
        typer.echo(line, err=True)
    raise typer.Exit(1)


@app.command()
def build(
    data: DataOption = Path("data"),
    out: Annotated[Path, typer.Option("--out", help="Where the PDFs go.")] = Path("out"),
    lang: LangOption = None,
    paper: Annotated[Paper, typer.Option("--paper", help="Paper size of handouts.")] = Paper.a4,
    fonts: FontsOption = None,
) -> None:
    """Build every treatment x document x language into OUT as <treatment>-<kind>-<lang>.pdf.

    Content problems are listed as file:line:col; documents they affect are not written, and
    their previous PDFs are kept.
    """
    from handouts.build import build as run_build

    try:
        report = run_build(data, out, lang, paper.value, fonts)
    except HandoutsError as exc:
        _fail([str(exc)])
        return
    for path in report.built:
        typer.echo(f"wrote {path}")
    lines = [str(p) for p in report.problems]
    lines += [f"not built: {name}" for name in report.failed]
    if lines or not report.built:
        summary = f"{len(report.built)} built, {len(report.failed)} failed"
        _fail([*lines, summary if report.built or report.failed else "nothing to build"])
    typer.echo(f"{len(report.built)} built, 0 failed")


@app.command()
def validate(data: DataOption = Path("data"), lang: LangOption = None,
             fonts: FontsOption = None) -> None:
    """Check all content and list every problem as file:line:col: message."""
    from handouts.build import plan
    from handouts.build import validate as run_validate
    from handouts.content.load import load_library

    library = load_library(data, fonts)
    jobs = plan(library, lang)
    problems = run_validate(library, jobs)
    if problems:
        _fail([*(str(p) for p in problems), f"{len(problems)} problem(s) found"])
    typer.echo(f"content OK: {len(jobs)} document(s) ready to build")


@app.command()
def flyer(
    treatment: Annotated[str, typer.Argument(help="Treatment folder, e.g. plantar-fasciitis.")],
    lang: Annotated[str, typer.Option("--lang", help="Language of the flyer.")] = "en",
    size: Annotated[Size, typer.Option("--size", help="Flyer size.")] = Size.a5,
    n_up: Annotated[NUp, typer.Option("--n-up", help="Copies per A4 sheet to cut apart: "
                                      "2 for A5, 4 for A6.")] = NUp.one,
    crop_marks: Annotated[bool, typer.Option("--crop-marks",
                                             help="Crop marks at the trim lines.")] = False,
    bleed: Annotated[float, typer.Option("--bleed", help="Bleed in mm for a print shop "
                                         "(backgrounds run past the trim).", min=0,
                                         max=10)] = 0,
    output: Annotated[Path | None, typer.Option("-o", "--output", help="Where to write the "
                      "PDF [default: <treatment>-flyer-<lang>-<size>.pdf here].")] = None,
    data: DataOption = Path("data"),
    fonts: FontsOption = None,
) -> None:
    """Make a one-page reception flyer; with --n-up, copies imposed on A4 sheets to cut."""
    from handouts.build import Job, render_job, single_document
    from handouts.output.write import write_atomic

    job = Job(treatment, "flyer", lang)
    try:
        library = single_document(data, fonts, job)
        pdf = render_job(library, job, size.value, bleed)
        name = f"{treatment}-flyer-{lang}-{size.value}"
        copies = int(n_up.value)
        if copies > 1 or crop_marks:
            from handouts.output.impose import impose

            pdf = impose(pdf, copies, crop_marks, size.value.upper())
            name += f"-{copies}up"
        target = output or Path(f"{name}.pdf")
        write_atomic(target, pdf)
    except HandoutsError as exc:
        _fail([str(exc)])
        return
    typer.echo(f"wrote {target}")


def main() -> None:
    """Console entry point; a content error becomes a message and exit code 1, never a trace."""
    try:
        app()
    except HandoutsError as exc:
        typer.echo(str(exc), err=True)
        sys.exit(1)
