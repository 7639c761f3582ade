"""Personalised sheets and email: what the client receives, and what reception is told."""

from __future__ import annotations

import csv
import email
import io
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from email import policy
from email.message import EmailMessage
from pathlib import Path
from subprocess import CompletedProcess

import pytest
from pypdf import PdfReader

from handouts.content.load import Library
from handouts.output.mail import SmtpSettings
from tests.conftest import REPO, SHIPPED_DATA, Inbox
from tests.pdf_reading import notdef_characters, squashed, text

Run = Callable[..., CompletedProcess[str]]
ROWS = list(csv.DictReader(io.StringIO((SHIPPED_DATA / "appointments.csv").read_text("utf-8"))))


def parse(raw: bytes) -> EmailMessage:
    return email.message_from_bytes(raw, policy=policy.default)  # type: ignore[return-value]


def attachment(message: EmailMessage, folder: Path) -> Path:
    part = next(message.iter_attachments())
    assert part.get_content_type() == "application/pdf"
    path = folder / part.get_filename()
    path.write_bytes(part.get_content())
    return path


def test_batch_email_reaches_each_client_in_their_language(project: Path, run: Run,
                                                           smtp_server: Inbox,
                                                           shipped_library: Library) -> None:
    result = run("email", "--from", "data/appointments.csv")
    assert result.returncode == 0, result.stderr
    assert len(smtp_server.received) == len(ROWS)
    by_recipient = {rcpt[0]: parse(raw) for _, rcpt, raw in smtp_server.received}
    assert shipped_library.brand is not None
    for row in ROWS:
        message = by_recipient[row["email"]]
        labels = shipped_library.labels[row["lang"]]
        treatment = shipped_library.treatments[row["treatment"]][row["lang"]]
        assert message["Subject"] == labels.email.subject.format(
            client=row["client"], spa=shipped_library.brand.name, treatment=treatment.name)
        body = message.get_body(("html", "plain"))  # the HTML sits inside multipart/related
        assert body is not None and row["client"] in body.get_content()
        pdf = attachment(message, project)
        page = squashed(text(pdf))
        assert squashed(row["client"]) in page and squashed(row["notes"]) in page
        assert PdfReader(pdf).trailer["/Root"]["/Lang"] == row["lang"]


def test_refused_recipient_is_reported_and_a_rerun_sends_only_it(project: Path, run: Run,
                                                                 smtp_server: Inbox) -> None:
    refused = ROWS[1]["email"]
    smtp_server.refuse.add(refused)
    first = run("email", "--from", "data/appointments.csv")
    assert first.returncode == 1
    assert "data/appointments.csv:3: failed to " + refused in first.stderr
    assert "550" in first.stderr
    assert sorted(r[1][0] for r in smtp_server.received) == sorted(
        row["email"] for row in ROWS if row["email"] != refused)

    smtp_server.refuse.clear()
    smtp_server.received.clear()
    second = run("email", "--from", "data/appointments.csv")
    assert second.returncode == 0, second.stderr
    assert [r[1] for r in smtp_server.received] == [[refused]]
    assert f"1 sent, {len(ROWS) - 1} already sent, 0 failed" in second.stdout


def test_eml_files_are_written_instead_of_sending(project: Path, run: Run) -> None:
    result = run("email", "plantar-fasciitis", "--client", "Emma Wilson", "--to",
                 "emma@example.com", "--notes", "Ice the heel.", "--eml", "outbox")
    assert result.returncode == 0, result.stderr
    files = list((project / "outbox").glob("*.eml"))
    assert len(files) == 1
    message = parse(files[0].read_bytes())
    assert message["To"] == "emma@example.com"
    assert message["From"] == "L Spa Da Nang <reception@lspadanang.example.com>"
    assert "Icetheheel." in squashed(text(attachment(message, project)))


def test_missing_smtp_settings_are_a_clear_error(run: Run) -> None:
    result = run("email", "plantar-fasciitis", "--client", "A", "--to", "a@example.com")
    assert result.returncode == 1
    assert "HANDOUTS_SMTP_HOST" in result.stderr and "Traceback" not in result.stderr


def test_password_never_appears_in_settings_repr() -> None:
    settings = SmtpSettings.from_env({"HANDOUTS_SMTP_HOST": "mail", "HANDOUTS_SMTP_SENDER":
                                      "a@b.example", "HANDOUTS_SMTP_PASSWORD": "hunter2"})
    assert "hunter2" not in repr(settings)
    assert settings.port == 587 and settings.starttls


@pytest.mark.parametrize(("lang", "written"), [
    ("en", "November 24, 2099"), ("vi", "ngày 24 tháng 11 năm 2099"),
    ("ko", "2099년 11월 24일"), ("ja", "2099年11月24日"),
])
def test_sheet_is_personal_and_dated_the_language_s_way(lang: str, written: str,
                                                        project: Path, run: Run) -> None:
    result = run("aftercare", "plantar-fasciitis", "--client", "Emma Wilson", "--lang", lang,
                 "--therapist", "Linh", "--date", "2099-11-24", "--next-visit", "2099-12-01",
                 "--notes", "Roll the arch twice a day.", "-o", "sheet.pdf")
    assert result.returncode == 0, result.stderr
    page = squashed(text(project / "sheet.pdf"))
    assert "EmmaWilson" in page and "Rollthearchtwiceaday." in page
    assert squashed(written) in page
    assert len(PdfReader(project / "sheet.pdf").pages) <= 2
    assert (project / "sheet.pdf").stat().st_size < 300_000
    assert notdef_characters(project / "sheet.pdf") == []


@pytest.mark.parametrize("name", ["../../etc/x", "<b>x</b> & Co", "A" * 200, "김민지",
                                  "Nguyễn Thị Hoa", "CON", ".hidden"])
def test_hostile_names_give_safe_files_and_print_literally(name: str, project: Path,
                                                           run: Run) -> None:
    result = run("aftercare", "plantar-fasciitis", "--client", name, "--out", "sheets")
    assert result.returncode == 0, result.stderr
    made = [p for p in project.iterdir() if p.suffix == ".pdf"]
    assert len(made) == 1
    pdf = made[0]
    assert pdf.parent == project and pdf.name.startswith("plantar-fasciitis-aftercare-en-")
    assert len(pdf.name) <= 120 and "/" not in pdf.name and not pdf.name.startswith(".")
    assert squashed(name) in squashed(text(pdf))


def test_a_name_the_font_cannot_draw_fails_with_the_glyph(project: Path, run: Run) -> None:
    result = run("aftercare", "plantar-fasciitis", "--client", "Emma 😀")
    assert result.returncode == 1
    assert "--client" in result.stderr and "U+1F600" in result.stderr
    assert not list(project.glob("*.pdf"))


def test_same_looking_names_do_not_overwrite_each_other(project: Path, run: Run) -> None:
    for name in ("Lê Văn An", "Le Van An"):
        assert run("aftercare", "plantar-fasciitis", "--client", name).returncode == 0
    assert len(list(project.glob("*.pdf"))) == 2


def test_batch_with_bad_rows_builds_the_rest_and_names_them(project: Path, run: Run) -> None:
    sheet = project / "day.csv"
    sheet.write_text(
        "client,treatment,lang,therapist,date,email,notes,next_visit\n"
        "Emma,plantar-fasciitis,en,Linh,2026-11-24,,,\n"
        "Bad Date,plantar-fasciitis,en,Linh,24.11.2026,,,\n"
        "No Such,hot-stones,en,Linh,2026-11-24,,,\n"
        "Wrong Lang,plantar-fasciitis,fr,Linh,2026-11-24,,,\n"
        "김민지,plantar-fasciitis,ko,Trang,2026-11-24,,,\n", encoding="utf-8")
    result = run("aftercare", "--from", "day.csv", "--out", "today")
    assert result.returncode == 1
    assert "day.csv:3:5: date: dates are written YYYY-MM-DD" in result.stderr
    assert "day.csv:4:2: unknown treatment 'hot-stones'" in result.stderr
    assert "day.csv:5:3: no 'fr' version" in result.stderr
    assert "2 built, 3 failed" in result.stderr
    assert len(list((project / "today").glob("*.pdf"))) == 2


def test_a_big_batch_uses_every_core_and_gives_the_same_bytes(tmp_path: Path,
                                                               shipped_library: Library) -> None:
    from handouts.catalogue.sheets import make_batch
    from handouts.content.appointments import read_appointments

    sheet = tmp_path / "day.csv"
    rows = ["client,treatment,lang,therapist,date,email,notes,next_visit"] + [
        f"Client {i},plantar-fasciitis,{('en', 'vi', 'ko', 'ja')[i % 4]},Linh,2026-11-24,,Ice.,"
        for i in range(20)]
    sheet.write_text("\n".join(rows) + "\n", encoding="utf-8")
    appointments, problems = read_appointments(sheet)
    assert problems == [] and len(appointments) == 20
    serial = make_batch(shipped_library, sheet, appointments, tmp_path / "serial",
                        lambda _: None, workers=1)
    parallel = make_batch(shipped_library, sheet, appointments, tmp_path / "parallel",
                          lambda _: None, workers=2)
    assert [r.problems for r in serial + parallel] == [()] * 40
    for one, other in zip(serial, parallel, strict=True):
        assert one.path is not None and other.path is not None
        assert one.path.read_bytes() == other.path.read_bytes()


def test_two_rows_for_the_same_sheet_are_refused_not_overwritten(project: Path,
                                                                 run: Run) -> None:
    (project / "day.csv").write_text(
        "client,treatment,lang,therapist,date,email,notes,next_visit\n"
        "Emma,plantar-fasciitis,en,Linh,2026-11-24,,First note.,\n"
        "Emma,plantar-fasciitis,en,Trang,2026-11-24,,Second note.,\n", encoding="utf-8")
    result = run("aftercare", "--from", "day.csv", "--out", "today")
    assert result.returncode == 1
    assert "day.csv:3:1: same client, treatment, language and date as line 2" in result.stderr
    sheets = list((project / "today").glob("*.pdf"))
    assert len(sheets) == 1 and "Firstnote." in squashed(text(sheets[0]))


def test_a_sheets_version_follows_the_clients_own_details_not_the_address() -> None:
    """Notes or the next visit make a new version; the address (any case) does not, and a
    field left at its default adds nothing, so a field added later changes no version."""
    import datetime as dt

    from handouts.catalogue.sheets import sheet_version
    from handouts.content.appointments import Visit

    day = dt.date(2026, 11, 24)
    first = Visit(client="Emma Wilson", date=day, notes="Ice the heel.",
                  email="emma@example.com")
    assert sheet_version(first) == sheet_version(first.model_copy(
        update={"email": "EMMA@example.com"}))
    assert sheet_version(first) == sheet_version(first.model_copy(update={"therapist": None}))
    assert sheet_version(first) != sheet_version(first.model_copy(
        update={"notes": "Ice the heel twice a day."}))
    assert sheet_version(first) != sheet_version(first.model_copy(
        update={"next_visit": day + dt.timedelta(weeks=2)}))


#: A day of clients whose names hold characters the treatment's own words never use, two of
#: each language, with the same notes: sheets of one language take the same room.
DAY = [("Nguyễn Thị Hoa", "vi"), ("Đặng Quốc Bảo", "vi"), ("김민지", "ko"), ("박서준", "ko"),
       ("佐藤 由美", "ja"), ("鈴木 一郎", "ja"), ("Zoë Ødegård", "en"), ("Emma Wilson", "en")]
NOTES = {"vi": "Chườm lạnh gót chân mỗi tối.", "ko": "하루 두 번 스트레칭하세요.",
         "ja": "朝のタオルストレッチを続けてください。", "en": "Roll the arch twice a day."}


@pytest.fixture(scope="module")
def day(tmp_path_factory: pytest.TempPathFactory, shipped_library: Library) -> dict[str, Path]:
    """The day's sheets made as one batch in one process, by client."""
    from handouts.catalogue.sheets import make_batch
    from handouts.content.appointments import read_appointments

    folder = tmp_path_factory.mktemp("day")
    sheet = folder / "day.csv"
    rows = ["client,treatment,lang,therapist,date,email,notes,next_visit"] + [
        f"{name},plantar-fasciitis,{lang},Linh,2026-11-24,,{NOTES[lang]}," for name, lang in DAY]
    sheet.write_text("\n".join(rows) + "\n", encoding="utf-8")
    appointments, problems = read_appointments(sheet)
    assert problems == []
    results = make_batch(shipped_library, sheet, appointments, folder / "out", lambda _: None,
                         workers=1)
    assert [r.problems for r in results] == [()] * len(DAY)
    return {r.appointment.visit.client: r.path for r in results if r.path}


def streams(pdf: Path) -> list[bytes]:
    """Each page's content stream, decoded: what the page draws, operator by operator."""
    contents = [page.get_contents() for page in PdfReader(pdf).pages]
    return [content.get_data() if content else b"" for content in contents]


@pytest.mark.parametrize("lang", ["vi", "ko", "ja", "en"])
def test_the_page_without_personal_content_is_the_same_for_every_client(
        lang: str, day: dict[str, Path]) -> None:
    one, other = (streams(day[name]) for name, client_lang in DAY if client_lang == lang)
    assert len(one) == len(other) == 2  # the first holds the client's own details
    assert one[1] == other[1]


@pytest.mark.parametrize(("name", "lang"), DAY)
def test_a_name_drawn_after_the_treatment_s_characters_reads_back(
        name: str, lang: str, day: dict[str, Path]) -> None:
    first_page = PdfReader(day[name]).pages[0].extract_text()
    assert squashed(name) in squashed(first_page)
    assert notdef_characters(day[name]) == []


@pytest.mark.validators  # qpdf is installed by .ci/run, not by the README's test command
@pytest.mark.parametrize(("name", "lang"), DAY)
def test_qpdf_finds_every_sheet_of_a_day_sound(name: str, lang: str,
                                               day: dict[str, Path]) -> None:
    checked = subprocess.run(["qpdf", "--check", str(day[name])], capture_output=True,
                             text=True)
    assert (checked.returncode, checked.stderr) == (0, "")


def test_a_batch_s_sheet_is_the_sheet_made_alone_without_the_cache(
        project: Path, run: Run, day: dict[str, Path]) -> None:
    from handouts.content.cache import cache_folder

    def alone(name: str, lang: str, output: str) -> bytes:
        result = run("aftercare", "plantar-fasciitis", "--client", name, "--lang", lang,
                     "--therapist", "Linh", "--date", "2026-11-24", "--notes", NOTES[lang],
                     "-o", output)
        assert result.returncode == 0, result.stderr
        return (project / output).read_bytes()

    for number, (name, lang) in enumerate(DAY):
        shutil.rmtree(cache_folder(project / "data"), ignore_errors=True)
        assert alone(name, lang, f"{number}.pdf") == day[name].read_bytes(), name
    # and with what that last run learnt, read back from the cache
    name, lang = DAY[-2]
    assert alone(name, lang, "cached.pdf") == day[name].read_bytes()


#: Packages the path of one personalised sheet never needs once the content cache holds its
#: library: the command line's (the library is used by the desk too), the PDF readers and
#: web and mail packages, and what only loading content from its files takes.
NOT_ON_THE_SHEET_PATH = ("typer", "click", "rich", "pypdf", "pypdfium2", "jinja2",
                         "starlette", "icalendar", "smtplib", "yaml", "lxml", "svglib",
                         "phonenumbers")
ONE_SHEET = """
import datetime, sys
from pathlib import Path
from handouts.catalogue.sheets import write_sheet
from handouts.content.appointments import Visit
visit = Visit(client="Emma Wilson", therapist=None, notes="Ice the heel.",
              date=datetime.date(2026, 11, 24))
write_sheet(Path("data"), None, "plantar-fasciitis", "en", visit,
            lambda field: (Path(field), 1, 1), Path("emma.pdf"))
print(" ".join(sorted({name.split(".")[0] for name in sys.modules})))
"""


def test_a_sheet_from_the_cached_library_imports_only_what_it_uses(project: Path) -> None:
    """The second sheet (the library from the cache, written over the first) loads no
    command-line, PDF-reading, web, mail or content-parsing package."""
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    for _ in range(2):
        done = subprocess.run([sys.executable, "-c", ONE_SHEET], cwd=project, env=env,
                              capture_output=True, text=True, timeout=120)
        assert done.returncode == 0, done.stderr
    imported = set(done.stdout.split())
    assert "reportlab" in imported  # what drawing a sheet takes is there
    assert sorted(imported & set(NOT_ON_THE_SHEET_PATH)) == []
