"""Never touching a file the tool did not make; files holding client data kept private
(issue 19, items 6 to 9)."""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest
from pypdf import PdfReader

from tests.conftest import REPO, Inbox

HEADER = "client,treatment,lang,therapist,date,email,notes,next_visit\n"
DAY = HEADER + ("Emma Wilson,plantar-fasciitis,en,Linh,2026-11-24,emma@example.com,"
                "Ice the heel.,\n")
SHEET = ("aftercare", "plantar-fasciitis", "--client", "Emma Wilson", "--date", "2026-11-24",
         "--notes", "Ice the heel.")


def handouts(project: Path, *args: str, umask: int = 0o022) -> subprocess.CompletedProcess[str]:
    """The real command in the scratch project, under the given umask."""
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    return subprocess.run([sys.executable, "-m", "handouts", *args], cwd=project,
                          capture_output=True, text=True, env=env, timeout=120, umask=umask)


def day_csv(project: Path) -> Path:
    (project / "day.csv").write_text(DAY, encoding="utf-8")
    return project / "day.csv"


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under `folder` (symlinks not followed) and its bytes."""
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file() and not p.is_symlink()}


# -- item 6: the temp-file sweep removes only the tool's own temp files --------------------


def test_item6_sweep_leaves_the_users_own_hidden_tmp_files(project: Path) -> None:
    """A user's `.name.XXXXXXXX.tmp` files, however old, survive a build and a batch."""
    hour_ago = time.time() - 3600
    gone = subprocess.Popen(["true"])
    gone.wait()
    names = [".notes.abcdefgh.tmp", f".draft.pdf.{gone.pid}.k2j4h5g6.tmp",
             ".index.html.zz9xx8yy.tmp", f".handouts-{gone.pid}-abcdef12-00000000.tmp"]
    folders = [project / "out", project / "out" / "thumbs", project / "today"]
    for folder in folders:
        folder.mkdir(parents=True)
        for name in names:
            (folder / name).write_bytes(b"the user's own words")
            os.utime(folder / name, (hour_ago, hour_ago))

    assert handouts(project, "build", "--lang", "en").returncode == 0
    batch = handouts(project, "aftercare", "--from", str(day_csv(project)), "--out", "today")
    assert batch.returncode == 0, batch.stderr

    for folder in folders:
        assert sorted(p.name for p in folder.glob("*.tmp")) == sorted(names)
        for name in names:
            assert (folder / name).read_bytes() == b"the user's own words"


# -- item 7: files holding client data are private -----------------------------------------


@pytest.mark.parametrize("umask", [0o077, 0o022], ids=["umask-077", "umask-022"])
def test_item7_client_sheets_eml_files_and_send_log_are_private(
        project: Path, umask: int, smtp_server: Inbox) -> None:
    """Personal sheets (one, a batch), .eml files and the ledger (was: the send log): 0600,
    its folder 0700, whatever the umask lets others read; the public flyer follows it."""
    csv = str(day_csv(project))
    for args in [[*SHEET, "-o", "emma.pdf"], ["aftercare", "--from", csv, "--out", "today"],
                 ["email", "--from", csv, "--eml", "outbox"], ["email", "--from", csv],
                 ["flyer", "plantar-fasciitis", "-o", "flyer.pdf"]]:
        result = handouts(project, *args, umask=umask)
        assert result.returncode == 0, (args, result.stderr)
    personal = [project / "emma.pdf", *(project / "today").glob("*.pdf"),
                *(project / "outbox").glob("*.eml"),
                *(p for p in (project / ".handouts").rglob("*") if p.is_file())]
    assert len(personal) >= 4 and (project / ".handouts" / "ledger.sqlite3") in personal
    folders = [project / ".handouts", *(p for p in (project / ".handouts").rglob("*")
                                        if p.is_dir())]
    assert {f.name: oct(mode(f)) for f in folders} == {f.name: "0o700" for f in folders}
    assert {p.name: oct(mode(p)) for p in personal} == {p.name: "0o600" for p in personal}
    assert oct(mode(project / "flyer.pdf")) == oct(0o666 & ~umask)
    assert len(smtp_server.received) == 1


# -- item 8: never writing over content, or into the data folder ---------------------------


def spellings(project: Path) -> dict[str, str]:
    """The data folder as a user might name it: relative, absolute, roundabout, a symlink."""
    (project / "shortcut").symlink_to(project / "data", target_is_directory=True)
    return {"relative": "data", "absolute": str(project / "data"),
            "roundabout": "data/../data", "symlink": "shortcut"}


@pytest.mark.parametrize("spelling", ["relative", "absolute", "roundabout", "symlink"])
def test_item8_no_command_writes_into_the_data_folder(project: Path, spelling: str) -> None:
    """Every option that names where output goes refuses the data folder, a folder inside it
    and a file in it, however it is spelled: exit 1, the option named, nothing written."""
    data = spellings(project)[spelling]
    csv = str(day_csv(project))
    before = snapshot(project / "data")
    attempts = {
        "--out": [["build", "--out", data], ["build", "--out", f"{data}/treatments"],
                  ["aftercare", "--from", csv, "--out", data]],
        "--output": [["flyer", "plantar-fasciitis", "-o", f"{data}/brand.yaml"],
                     ["flyer", "plantar-fasciitis", "--output", f"{data}/new.pdf"],
                     [*SHEET, "-o", f"{data}/labels/en.yaml"]],
        "--eml": [["email", "--from", csv, "--eml", f"{data}/art"]],
        "--to": [["preview", "plantar-fasciitis-flyer-en", "--to", data]],
    }
    for option, commands in attempts.items():
        for args in commands:
            result = handouts(project, *args)
            assert result.returncode == 1, (args, result.stdout, result.stderr)
            assert "Traceback" not in result.stderr
            assert f"{option} " in result.stderr and "data folder" in result.stderr, \
                (args, result.stderr)
    assert snapshot(project / "data") == before


def test_item8_output_never_replaces_a_file_the_tool_did_not_make(project: Path) -> None:
    """-o over one's own earlier flyer is fine; over a YAML, a CSV or any other file that is
    not a PDF this tool made, it is refused and the file kept."""
    first = handouts(project, "flyer", "plantar-fasciitis", "-o", "flyer.pdf")
    assert first.returncode == 0, first.stderr
    again = handouts(project, "flyer", "plantar-fasciitis", "--size", "a6", "-o", "flyer.pdf")
    assert again.returncode == 0, again.stderr
    assert PdfReader(project / "flyer.pdf").pages[0].trimbox.width < 300  # now the A6 one

    shutil.copy(project / "data" / "brand.yaml", project / "brand-backup.yaml")
    (project / "contract.pdf").write_bytes(b"%PDF-1.4 someone else's\n%%EOF\n")
    theirs = {"brand-backup.yaml": ["flyer", "plantar-fasciitis", "-o"],
              "day.csv": [*SHEET, "-o"], "contract.pdf": ["flyer", "plantar-fasciitis", "-o"]}
    day_csv(project)
    for name, args in theirs.items():
        kept = (project / name).read_bytes()
        result = handouts(project, *args, name)
        assert result.returncode == 1, (name, result.stderr)
        assert f"--output {name}: " in result.stderr and "did not make" in result.stderr, \
            result.stderr
        assert len(result.stderr.splitlines()) == 1, result.stderr  # no PDF library's log
        assert (project / name).read_bytes() == kept
    (project / "damaged.pdf").write_bytes(b"%PDF-1.4 cut short by a full disk")
    result = handouts(project, "flyer", "plantar-fasciitis", "-o", "damaged.pdf")
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        "--output damaged.pdf: a file handouts did not make is already there and is never "
        "replaced: choose another name, or move that file away"]


# -- item 9: client data stays out of git ------------------------------------------------------


def test_item9_gitignore_keeps_client_data_out_and_the_sample_in(tmp_path: Path) -> None:
    """The ledger, old send logs, appointment lists, personal sheets and .eml files are
    ignored; the shipped sample data/appointments.csv is not."""
    shutil.copy(REPO / ".gitignore", tmp_path / ".gitignore")
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    private = [".handouts/ledger.sqlite3", ".handouts/ledger.sqlite3-wal",
               "handouts-sent.jsonl", "logs/december-sent.jsonl", "appointments.csv",
               "data/2026-12-02.csv", "today/tuesday.csv",
               "plantar-fasciitis-aftercare-en-emma-wilson-2026-11-24-d57f9c99.pdf",
               "today/plantar-fasciitis-aftercare-vi-nguyen-thi-hoa-2026-11-24-72b9e60f.pdf",
               "outbox/plantar-fasciitis-aftercare-en-emma-wilson-2026-11-24-d57f9c99.eml"]
    shipped = ["data/appointments.csv", "data/brand.yaml",
               "data/treatments/plantar-fasciitis/en.yaml", "README.md"]

    def ignored(path: str) -> bool:
        check = subprocess.run(["git", "-C", str(tmp_path), "check-ignore", "--no-index", "-q",
                                path], capture_output=True, text=True)
        assert check.returncode in (0, 1), check.stderr
        return check.returncode == 0

    assert [p for p in private if not ignored(p)] == []
    assert [p for p in shipped if ignored(p)] == []
