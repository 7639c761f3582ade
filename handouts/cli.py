"""The `handouts` command: parse arguments, call the pipeline, report. Nothing else."""

from __future__ import annotations

import os
import sys
from enum import Enum
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, NoReturn, TypeVar

import typer

from handouts.errors import HandoutsError
from handouts.render.sizes import Size  # the CLI's --size choices are the sizes themselves

if TYPE_CHECKING:
    from collections.abc import Callable

    from handouts.catalogue.build import BuildReport
    from handouts.catalogue.mailing import Mailing
    from handouts.content.appointments import Visit
    from handouts.content.scaffold import Created

T = TypeVar("T")

#: Plain help ("[default: ...]" in a help text is text, not markup) and no tracebacks.
_PLAIN: dict[str, Any] = {"add_completion": False, "pretty_exceptions_enable": False,
                          "rich_markup_mode": None}
app = typer.Typer(
    help="Turn a spa's YAML content into branded, print-ready PDF handouts and flyers.",
    no_args_is_help=True, **_PLAIN)


class Paper(str, Enum):
    a4 = "a4"
    letter = "letter"


class NUp(str, Enum):
    """Copies per A4 sheet. 8-up would need A7 cells, too small for five 20 mm QR codes."""

    one = "1"
    two = "2"
    four = "4"


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


def _fail(lines: list[str]) -> NoReturn:
    for line in lines:
        typer.echo(line, err=True)
    raise typer.Exit(1)


def _finish(wrote: list[Path], failures: list[str], summary: str) -> None:
    """The one way a command reports: what it wrote, then what failed and the count (exit 1
    when anything did)."""
    for path in wrote:
        typer.echo(f"wrote {path}")
    if failures:
        _fail([*failures, summary])
    typer.echo(summary)


def _check_targets(data: Path, fonts: Path | None, into: dict[str, Path | None],
                   over: dict[str, Path | None] | None = None) -> None:
    """Stop (exit 1, nothing written) when an option would write among the content or over
    a file the tool did not make."""
    from handouts.catalogue.targets import check_targets

    _attempt(lambda: check_targets(data, fonts, into, over))


def _build_lines(report: BuildReport) -> list[str]:
    """A build's problems and the documents it left as they were, one line each."""
    return [*(str(p) for p in report.problems),
            *(f"not built: {n.job.filename}" + (f": {n.failure}" if n.failure else "")
              for n in report.failed)]


@app.command()
def build(
    data: DataOption = Path("data"),
    out: Annotated[Path, typer.Option("--out", help="Where the PDFs go.")] = Path("out"),
    lang: LangOption = None,
    paper: Annotated[Paper, typer.Option("--paper", help="Paper size of handouts.")] = Paper.a4,
    force: Annotated[bool, typer.Option("--force", help="Rebuild everything, changed or "
                                        "not.")] = False,
    strict: Annotated[bool, typer.Option("--strict", help="Fail (exit 1) while anything is "
                                         "unfinished: a placeholder, a translation not yet "
                                         "made or out of date (for CI).")] = False,
    fonts: FontsOption = None,
    no_cache: Annotated[bool, typer.Option("--no-cache", help="Load every content file "
                                           "afresh; neither read nor write the content "
                                           "cache (.handouts/cache beside --data).")] = False,
) -> None:
    """Build every treatment x document x language into OUT as <treatment>-<kind>-<lang>.pdf.

    Only documents whose content, labels, brand, fonts or logo changed are rebuilt; PDFs
    whose content file was removed are deleted; OUT/index.html lists them all. Content
    problems are listed as file:line:col; documents they affect keep their previous PDF.
    What is unfinished (placeholders, translations) is named in one line per treatment;
    `handouts validate` lists the details.
    """
    from handouts.catalogue.build import build as run_build

    _check_targets(data, fonts, {"--out": out})
    report = _attempt(lambda: run_build(data, out, lang, paper.value, fonts, force=force,
                                        origin=_cli_origin, cache=not no_cache))
    _report_build(report, strict)


def _report_build(report: BuildReport, strict: bool) -> None:
    """What a build wrote and removed, what is unfinished; exit 1 on failures, on nothing
    to build, or (strict) on anything unfinished."""
    for path in report.built:
        typer.echo(f"wrote {path}")
    for path in report.removed:
        typer.echo(f"removed {path}")
    if not (report.built or report.unchanged or report.failed or report.unfinished):
        _fail([*_build_lines(report), "nothing to build"])
    unfinished = [str(u) for u in report.unfinished]
    if strict and unfinished:
        _fail([*_build_lines(report), *unfinished, report.summary])
    for line in unfinished:
        typer.echo(line)
    _finish([], _build_lines(report), report.summary)


@app.command()
def validate(data: DataOption = Path("data"), lang: LangOption = None,
             fonts: FontsOption = None) -> None:
    """Check all content and list every problem as file:line:col: message."""
    from handouts.catalogue.checks import validate_folder

    jobs, problems = _attempt(lambda: validate_folder(data, fonts, lang, _cli_origin))
    if problems:
        _fail([*(str(p) for p in problems), f"{len(problems)} problem(s) found"])
    typer.echo(f"content OK: {len(jobs)} document(s) ready to build")


@app.command()
def flyer(
    treatment: Annotated[str, typer.Argument(help="Treatment folder or name, e.g. "
                                             "plantar-fasciitis.")],
    lang: Annotated[str, typer.Option("--lang", help="Language of the flyer.")] = "en",
    size: Annotated[Size, typer.Option("--size", help="Flyer size.")] = Size.A5,
    n_up: Annotated[NUp, typer.Option("--n-up", help="Copies per sheet to cut apart (A4, or "
                                      "Letter for the US sizes): 2 for A5 or half-letter, "
                                      "4 for A6.")] = NUp.one,
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
    from handouts.catalogue.flyers import write_flyer

    _check_targets(data, fonts, {}, {"--output": output})
    target = _attempt(lambda: write_flyer(data, fonts, treatment, lang, size,
                                          int(n_up.value), crop_marks, bleed, output,
                                          _cli_origin))
    typer.echo(f"wrote {target}")


@app.command()
def watch(
    data: DataOption = Path("data"),
    out: Annotated[Path, typer.Option("--out", help="Where the PDFs go.")] = Path("out"),
    paper: Annotated[Paper, typer.Option("--paper", help="Paper size of handouts.")] = Paper.a4,
    fonts: FontsOption = None,
) -> None:
    """Rebuild what changes under DATA and the fonts as you save; Ctrl+C stops."""
    from handouts.catalogue.watch import watch as run_watch

    _check_targets(data, fonts, {"--out": out})
    typer.echo(f"watching {data} and the fonts; Ctrl+C to stop")
    try:
        run_watch(data, out, fonts, paper.value, _report_rebuild)
    except KeyboardInterrupt:
        pass  # Ctrl+C is how watching ends
    typer.echo("stopped watching")


def _report_rebuild(result: BuildReport | HandoutsError) -> None:
    """One rebuild while watching: reported, never fatal (watching goes on)."""
    if isinstance(result, HandoutsError):
        typer.echo(str(result), err=True)
        return
    for path in result.built:
        typer.echo(f"wrote {path}")
    for line in _build_lines(result):
        typer.echo(line, err=True)
    for unfinished in result.unfinished:
        typer.echo(str(unfinished))
    typer.echo(result.summary)


@app.command()
def preview(
    documents: Annotated[list[str], typer.Argument(help="PDF files, or document names in "
                                                   "--out such as plantar-fasciitis-flyer-en.")],
    out: Annotated[Path, typer.Option("--out", help="Where built PDFs are.")] = Path("out"),
    to: Annotated[Path, typer.Option("--to", help="Folder for the page images.")]
    = Path("out/preview"),
    dpi: Annotated[int, typer.Option("--dpi", help="Resolution of the images.", min=20,
                                     max=600)] = 110,
    data: DataOption = Path("data"),
) -> None:
    """Render page images (PNG) of chosen documents, to check them without a PDF viewer."""
    from handouts.output.preview import named_pdf, page_images

    _check_targets(data, None, {"--to": to})
    for name in documents:
        pdf = _attempt(partial(named_pdf, name, out))
        for image in _attempt(partial(page_images, pdf, to, dpi)):
            typer.echo(f"wrote {image}")


ClientOption = Annotated[str | None, typer.Option("--client", help="The client's name, as "
                                                 "it should appear on the sheet.")]
TherapistOption = Annotated[str | None, typer.Option("--therapist", help="Therapist's name.")]
DateOption = Annotated[str | None, typer.Option("--date", help="Treatment date, YYYY-MM-DD "
                                                "[default: today].")]
NextVisitOption = Annotated[str | None, typer.Option(
    "--next-visit", help="Next appointment: YYYY-MM-DD, or from the treatment date, +10d "
                         "(days) or +2w (weeks); a 24-hour time may follow: "
                         "'2026-12-09 15:00'.")]
NotesOption = Annotated[str | None, typer.Option("--notes", help="The therapist's notes.")]
ExerciseOption = Annotated[list[str] | None, typer.Option(
    "--exercise", help="One exercise of the client's own home programme, in order (repeat "
                       "it): an id from data/exercises, then optionally :hold=45,repeats=3,"
                       "sets=2,daily=2,note=left foot only [default: the treatment's].")]
FromOption = Annotated[Path | None, typer.Option("--from", help="Appointments CSV: client, "
                       "treatment, lang, therapist, date, email, notes, next_visit, "
                       "exercises.")]
TreatmentArgument = Annotated[str | None, typer.Argument(
    help="Treatment folder or name, e.g. plantar-fasciitis (not with --from).")]


def _visit(client: str | None, therapist: str | None, date: str | None,
           next_visit: str | None, notes: str | None, email: str | None = None,
           exercises: list[str] | None = None) -> Visit:
    """The therapist's options as a checked Visit; a bad value is a usage error (exit 2)."""
    import datetime as dt

    from pydantic import ValidationError

    from handouts.content.appointments import read_visit
    from handouts.content.dates import Dating
    from handouts.content.messages import in_words

    try:
        return read_visit({
            "client": client or "", "therapist": therapist, "notes": notes, "email": email,
            "date": date or "", "next_visit": next_visit or None,
            "exercises": exercises or None}, Dating(dt.date.today()))
    except ValidationError as exc:
        error = exc.errors()[0]
        raise typer.BadParameter(in_words(error), param_hint=_option(
            str(error["loc"][0]) if error["loc"] else "client")) from None


#: The command line's name for a field whose option is not called after it.
OPTION_NAMES = {"treatment": "TREATMENT", "email": "--to", "exercises": "--exercise"}


def _option(field: str) -> str:
    """How the user typed the value of `field`: `--next-visit`, `--to`, TREATMENT."""
    return OPTION_NAMES.get(field, "--" + field.replace("_", "-"))


def _cli_origin(field: str) -> tuple[Path, int, int]:
    """Where a value typed on the command line came from, for error messages."""
    return Path(_option(field)), 1, 1


def _attempt(call: Callable[[], T]) -> T:
    """`call`'s result; a HandoutsError becomes its message and exit code 1."""
    try:
        return call()
    except HandoutsError as exc:
        _fail([str(exc)])


@app.command()
def aftercare(
    treatment: TreatmentArgument = None,
    client: ClientOption = None,
    lang: Annotated[str, typer.Option("--lang", help="The client's language.")] = "en",
    therapist: TherapistOption = None,
    date: DateOption = None,
    next_visit: NextVisitOption = None,
    notes: NotesOption = None,
    exercise: ExerciseOption = None,
    output: Annotated[Path | None, typer.Option("-o", "--output", help="Where to write the "
                      "PDF [default: a file here named from treatment, language, client].")]
    = None,
    from_csv: FromOption = None,
    out: Annotated[Path, typer.Option("--out", help="Folder for a batch's sheets.")] = Path("."),
    data: DataOption = Path("data"),
    fonts: FontsOption = None,
) -> None:
    """A personalised aftercare sheet for one client, or (--from) one per appointment."""
    from handouts.catalogue.sheets import write_sheet

    if from_csv is not None:
        if treatment or client:
            raise typer.BadParameter("give either TREATMENT with --client, or --from CSV")
        _aftercare_batch(data, fonts, from_csv, out)
        return
    if not treatment or not client:
        raise typer.BadParameter("give TREATMENT and --client, or --from CSV")
    visit = _visit(client, therapist, date, next_visit, notes, exercises=exercise)
    _check_targets(data, fonts, {}, {"--output": output})
    target = _attempt(lambda: write_sheet(data, fonts, treatment, lang, visit, _cli_origin,
                                          output))
    typer.echo(f"wrote {target}")


def _aftercare_batch(data: Path, fonts: Path | None, from_csv: Path, out: Path) -> None:
    """One sheet per appointment of `from_csv` into `out`, with a progress bar."""
    from handouts.catalogue.sheets import Batch

    _check_targets(data, fonts, {"--out": out})
    batch = _attempt(lambda: Batch.read(data, fonts, from_csv))
    with typer.progressbar(length=len(batch.appointments), label="Aftercare sheets",
                           file=sys.stderr) as bar:
        report = batch.make(out, lambda _: bar.update(1))
    _finish([r.path for r in report.results if r.path],
            [str(f) for f in report.failures], report.summary)


@app.command()
def email(
    treatment: TreatmentArgument = None,
    to: Annotated[str | None, typer.Option("--to", help="The client's email address.")] = None,
    client: ClientOption = None,
    lang: Annotated[str, typer.Option("--lang", help="The client's language.")] = "en",
    therapist: TherapistOption = None,
    date: DateOption = None,
    next_visit: NextVisitOption = None,
    notes: NotesOption = None,
    exercise: ExerciseOption = None,
    from_csv: FromOption = None,
    eml: Annotated[Path | None, typer.Option("--eml", help="Write .eml files to this folder "
                   "instead of sending.")] = None,
    log: Annotated[Path | None, typer.Option("--log", help="A send log an earlier version "
                   "wrote elsewhere, taken into the ledger once (handouts-sent.jsonl beside "
                   "the data folder and here are taken in anyway).")] = None,
    changed: Annotated[bool, typer.Option("--changed", help="Also send the new version to "
                       "clients whose notes, next visit or other details changed since "
                       "their sheet was sent (each version goes once).")] = False,
    data: DataOption = Path("data"),
    fonts: FontsOption = None,
) -> None:
    """Email personalised aftercare sheets, in each client's language, as PDF attachments.

    SMTP comes from the environment: HANDOUTS_SMTP_HOST, HANDOUTS_SMTP_PORT (587),
    HANDOUTS_SMTP_USER, HANDOUTS_SMTP_PASSWORD (unset both for a server without login),
    HANDOUTS_SMTP_SENDER, HANDOUTS_SMTP_STARTTLS=off for a local relay without TLS, and
    HANDOUTS_SMTP_TIMEOUT (60 seconds for each exchange with the server).
    """
    from handouts.catalogue.mailing import Recipient, mail_sheets

    if from_csv is not None:
        if treatment or client or to:
            raise typer.BadParameter("give either TREATMENT with --client and --to, or "
                                     "--from CSV")
        recipients: Path | Recipient = from_csv
    elif treatment and client and to:
        recipients = Recipient("--to " + to, treatment, lang, _visit(
            client, therapist, date, next_visit, notes, to, exercise), _cli_origin)
    else:
        raise typer.BadParameter("give TREATMENT, --client and --to, or --from CSV")
    _check_targets(data, fonts, {"--eml": eml})
    _report_mailing(_attempt(lambda: mail_sheets(data, fonts, recipients, eml, log, os.environ,
                                                 changed=changed)))


def _report_mailing(mailing: Mailing) -> None:
    """Each message sent or written, each sheet changed since sent; exit 1 on failures."""
    from handouts.output.mail import Status

    for d in mailing.deliveries or []:
        if d.status is not Status.FAILED:
            typer.echo(f"{d.outgoing.label}: {d.status} to {d.outgoing.message['To']}")
    for o in mailing.changed:
        typer.echo(f"{o.label}: changed since sent to {o.message['To']} (--changed sends "
                   "the new version)")
    failed = [f"{d.outgoing.label}: {d.status} to {d.outgoing.message['To']}: {d.detail}"
              for d in mailing.failed]
    _finish(mailing.written, [*(str(f) for f in mailing.failures), *failed], mailing.summary)


@app.command()
def desk(
    data: DataOption = Path("data"),
    host: Annotated[str, typer.Option("--host", help="Address to listen on; beyond this "
                                      "computer (0.0.0.0) needs a staff passcode.")]
    = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", help="Port to listen on.", min=1,
                                      max=65535)] = 8765,
    no_browser: Annotated[bool, typer.Option("--no-browser", help="Do not open the "
                                             "browser.")] = False,
    set_passcode: Annotated[bool, typer.Option("--set-passcode", help="Set the staff "
                                               "passcode (asked twice), then stop.")] = False,
    fonts: FontsOption = None,
) -> None:
    """Serve the desk: a local web page for today's clients, their sheets, flyers and the
    content, for staff who never open a terminal. Ctrl+C stops it."""
    from handouts.desk import security, server

    if set_passcode:
        code = typer.prompt("New staff passcode", hide_input=True, confirmation_prompt=True)
        stored = _attempt(lambda: security.set_passcode(data, code))
        typer.echo(f"passcode set (its hash is in {stored})")
        return
    try:
        _attempt(lambda: server.serve(data, fonts, host, port, not no_browser, typer.echo))
    except KeyboardInterrupt:
        typer.echo("stopped the desk")


@app.command()
def forget(
    client: Annotated[str | None, typer.Option("--client", help="The client's name (any case "
                      "or spacing).")] = None,
    before: Annotated[str | None, typer.Option("--before", help="Everything about visits "
                      "before this date, YYYY-MM-DD.")] = None,
    data: DataOption = Path("data"),
) -> None:
    """Erase a client's records (emails sent, appointments) and the personal sheets and
    .eml files handouts made for them; or everything about visits before a date."""
    from handouts.content.dates import read_date
    from handouts.ledger import forget as erase

    if (client is None) == (before is None) or (client is not None and not client.strip()):
        raise typer.BadParameter("give --client NAME or --before DATE")
    try:
        day = read_date(before) if before is not None else None
    except ValueError as exc:
        raise typer.BadParameter(str(exc), param_hint="--before") from None
    gone = _attempt(lambda: erase(data, client, day))
    typer.echo(gone.summary("for that client" if client is not None else f"before {day}"))


@app.command()
def schema(data: DataOption = Path("data")) -> None:
    """Write JSON Schemas of the content files into DATA/schemas, for editors.

    VS Code's YAML extension (and any editor running yaml-language-server) reads them from
    each data file's first line: key completion, descriptions on hover, mistakes underlined.
    Run it after changing the models; unchanged schemas are left as they are.
    """
    from handouts.content.schema import write_schemas

    try:
        for path, changed in write_schemas(data):
            typer.echo(f"{'wrote' if changed else 'unchanged'} {path}")
    except HandoutsError as exc:
        _fail([str(exc)])


@app.command()
def translated(
    treatment: Annotated[str | None, typer.Argument(help="Treatment folder or name, e.g. "
                                                    "plantar-fasciitis [default: every "
                                                    "treatment].")] = None,
    lang: Annotated[list[str] | None, typer.Option("--lang", help="Only these languages "
                                                   "(repeat for more) [default: all].")]
    = None,
    data: DataOption = Path("data"),
) -> None:
    """Confirm that translations match today's English: validate stops listing them as
    "may be out of date" until the English changes again."""
    from handouts.catalogue.checks import confirm_translations

    for slug, langs in _attempt(lambda: confirm_translations(data, treatment, lang)):
        typer.echo(f"{slug}: confirmed {', '.join(langs) or 'nothing (English only)'}")


new_app = typer.Typer(help="Start a new treatment or language: files with every key, a "
                       "comment on each and placeholders that validate lists until replaced.",
                       no_args_is_help=True)
app.add_typer(new_app, name="new")


def _report_new(make: Callable[[], Created]) -> None:
    from handouts.content.scaffold import BadArgument

    try:
        done = make()
    except BadArgument as exc:
        raise typer.BadParameter(str(exc), param_hint=exc.param) from None
    except HandoutsError as exc:
        _fail([str(exc)])
    for path in done.created:
        typer.echo(f"created {path}")
    for path, what in done.changed:
        typer.echo(f"added to {what} in {path}")
    typer.echo("next: replace every TODO: and TRANSLATE: text; handouts validate lists those "
               "left")


@new_app.command("treatment")
def new_treatment(
    slug: Annotated[str, typer.Argument(metavar="SLUG",
                                        help="Folder name, e.g. hot-stone-massage.")],
    data: DataOption = Path("data"),
) -> None:
    """Create DATA/treatments/SLUG/en.yaml and facts.yaml: every key, a comment on each,
    TODO text."""
    from handouts.content.scaffold import new_treatment as make

    _report_new(lambda: make(data, slug))


@new_app.command("language")
def new_language(
    code: Annotated[str, typer.Argument(metavar="CODE", help="Language code, e.g. th or pt-BR.")],
    font: Annotated[str, typer.Option("--font", help="Font family from fonts.yaml that draws "
                                      "it, e.g. noto-sans.")],
    data: DataOption = Path("data"),
) -> None:
    """Start language CODE: labels, a stub of each treatment, the brand's texts.

    Every text is the English one marked TRANSLATE: until translated; CODE is added to the
    brand's per-language texts without touching its other lines. Never overwrites a file.
    """
    from handouts.content.scaffold import new_language as make

    _report_new(lambda: make(data, code, font))


@new_app.command("translation")
def new_translation(
    slug: Annotated[str, typer.Argument(metavar="SLUG",
                                        help="Treatment folder, e.g. hot-stone-massage.")],
    lang: Annotated[str, typer.Option("--lang", help="Language code with a labels file, "
                                      "e.g. vi.")],
    data: DataOption = Path("data"),
) -> None:
    """Start one treatment's translation: DATA/treatments/SLUG/LANG.yaml from its English
    file, every text marked TRANSLATE: until translated. Never overwrites a file."""
    from handouts.content.scaffold import new_translation as make

    _report_new(lambda: make(data, slug, lang))


#: Exit status after Ctrl+C (click's) and SIGTERM: 128 + the signal, as a shell reports it.
STOPPED_BY = {130: "Ctrl+C", 143: "SIGTERM"}


def _stop_on_sigterm(signum: int, frame: object) -> None:
    """SIGTERM unwinds like Ctrl+C: temp files are removed, workers are stopped."""
    raise SystemExit(143)


def _app_for(args: list[str]) -> typer.Typer:
    """The app with only the command `args` name: Typer builds every command's options on
    each run (20 ms of a cold sheet), and one command needs only its own. The whole app for
    anything else (`--help`, a group such as `new`, a misspelt command)."""
    asked = args[0] if args else None
    for info in app.registered_commands:
        if info.callback is not None and asked == (
                info.name or typer.main.get_command_name(info.callback.__name__)):
            one = typer.Typer(**_PLAIN)
            one.callback()(_one_command)  # a group still: `handouts aftercare ...`
            one.registered_commands = [info]
            return one
    return app


def _one_command() -> None:
    """(The group holding the one command run.)"""


def main() -> None:
    """Console entry point; a content error becomes a message and exit code 1, never a trace.

    Ends with os._exit once output is flushed: every file the command wrote is already
    closed (atomic writes fsync and rename), and skipping the interpreter's teardown of
    ReportLab's and pydantic's objects saves about 45 ms on every run. So atexit handlers do
    not run: nothing in this package may rely on them.
    """
    import signal

    signal.signal(signal.SIGTERM, _stop_on_sigterm)
    try:
        _app_for(sys.argv[1:])()
        code = 0
    except SystemExit as exc:
        if isinstance(exc.code, str):
            typer.echo(exc.code, err=True)
        code = exc.code if isinstance(exc.code, int) else (1 if exc.code else 0)
        if code in STOPPED_BY:
            typer.echo(f"stopped ({STOPPED_BY[code]})", err=True)
    except HandoutsError as exc:
        typer.echo(str(exc), err=True)
        code = 1
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)
