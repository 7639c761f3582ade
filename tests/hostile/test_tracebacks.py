"""No traceback, ever; messages in a spa editor's words (issue 19: "No traceback, ever",
item 12's "did you mean" and library jargon, item 13's `schema --data dta`)."""

from __future__ import annotations

import ctypes
import os
import re
import subprocess
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from tests.conftest import REPO, SHIPPED_FONTS
from tests.editing import edit, line_of

Run = Callable[..., subprocess.CompletedProcess[str]]

#: Linux capabilities that let root read and enter anything whatever its mode.
CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH = 1, 2
PR_CAPBSET_DROP = 24


def _obey_permissions() -> None:
    """In the child, before exec: as root, give up the two capabilities that ignore file
    modes, so chmod binds it as it binds any user. (Switching to `nobody` would also lock
    it out of the interpreter, which lives under /root here.)"""
    libc = ctypes.CDLL(None, use_errno=True)
    for capability in (CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH):
        if libc.prctl(PR_CAPBSET_DROP, capability, 0, 0, 0) != 0:
            raise OSError(ctypes.get_errno(), "cannot drop a capability")


def run_unprivileged(project: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """`handouts ARGS` in `project` as a process that file modes apply to."""
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    return subprocess.run([sys.executable, "-m", "handouts", *args], cwd=project,
                          capture_output=True, text=True, env=env, timeout=120,
                          preexec_fn=_obey_permissions if os.geteuid() == 0 else None)


@contextmanager
def mode(path: Path, bits: int) -> Iterator[None]:
    """`path` with permission `bits` for the block, its own mode again after it."""
    before = path.stat().st_mode & 0o7777
    path.chmod(bits)
    try:
        yield
    finally:
        path.chmod(before)


def snapshot(folder: Path) -> dict[str, bytes | None]:
    """Every file (its bytes) and folder (None) under `folder`."""
    return {str(p.relative_to(folder)): p.read_bytes() if p.is_file() else None
            for p in sorted(folder.rglob("*"))}


def no_traceback(result: subprocess.CompletedProcess[str]) -> None:
    """Neither a traceback nor the last line of one (`PermissionError: ...`)."""
    assert "Traceback" not in result.stderr, result.stderr
    assert not re.search(r"^\w+(Error|Exception): ", result.stderr, re.MULTILINE), result.stderr


# -- no traceback, ever ------------------------------------------------------------------------


def test_a_300_character_slug_is_refused_in_words(project: Path, run: Run) -> None:
    """No traceback: a 300-character slug for `handouts new treatment`."""
    before = snapshot(project / "data")
    result = run("new", "treatment", "a" * 300)
    no_traceback(result)
    assert result.returncode == 2
    assert ("treatment names are at most 64 characters; this one has 300"
            in " ".join(result.stderr.replace("│", " ").split()))
    assert snapshot(project / "data") == before


def test_new_language_after_a_list_where_text_belongs_names_the_line(project: Path, run: Run,
                                                                     en_yaml: Path) -> None:
    """No traceback: `new language` after a list where a string belongs in a treatment file
    (was an AssertionError and 180 lines of YAML)."""
    edit(en_yaml, "name: Plantar fasciitis foot massage", "name: [Plantar, fasciitis]")
    before = snapshot(project / "data")
    result = run("new", "language", "th", "--font", "noto-sans")
    no_traceback(result)
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        f"data/treatments/plantar-fasciitis/en.yaml:{line_of(en_yaml, 'name:')}:1: name: "
        "should be one text, not a list",
        "new language starts from these files: correct them first",
    ]
    assert snapshot(project / "data") == before


def test_new_language_copies_any_text_yaml_can_hold(project: Path, run: Run,
                                                    en_yaml: Path) -> None:
    """No traceback from `new language` on a text it copies: a control character, a carriage
    return, a line separator, written escaped by the editor."""
    from handouts.content.yaml_source import read_yaml

    edit(en_yaml, "name: Plantar fasciitis foot massage",
         'name: "Foot\\e massage\\rtoday\\u2028 \\x7f"')
    result = run("new", "language", "th", "--font", "noto-sans")
    no_traceback(result)
    assert result.returncode == 0, result.stderr
    stub = read_yaml(en_yaml.with_name("th.yaml")).data
    assert stub["name"] == "TRANSLATE: Foot\x1b massage\rtoday\u2028 \x7f"


def _fonts_with_an_unreadable_file(project: Path) -> None:
    """The project's fonts/ as its own folder (links to the shipped files) with a real,
    unreadable copy of NotoSans-Regular.ttf."""
    fonts = project / "fonts"
    fonts.unlink()
    fonts.mkdir()
    for font in SHIPPED_FONTS.iterdir():
        (fonts / font.name).symlink_to(font)
    unreadable = fonts / "NotoSans-Regular.ttf"
    unreadable.unlink()
    unreadable.write_bytes((SHIPPED_FONTS / "NotoSans-Regular.ttf").read_bytes())
    unreadable.chmod(0)


@pytest.mark.parametrize("command", [("validate",), ("build",),
                                     ("flyer", "plantar-fasciitis", "-o", "flyer.pdf")])
def test_an_unreadable_font_file_is_named(project: Path, command: tuple[str, ...]) -> None:
    """No traceback: an unreadable font file (PermissionError)."""
    _fonts_with_an_unreadable_file(project)
    fonts_yaml = project / "data" / "fonts.yaml"
    result = run_unprivileged(project, *command)
    no_traceback(result)
    assert result.returncode == 1
    assert (f"data/fonts.yaml:{line_of(fonts_yaml, 'regular: NotoSans-Regular.ttf')}:5: "
            "cannot read the font file NotoSans-Regular.ttf: permission denied"
            in result.stderr.splitlines())
    assert not (project / "flyer.pdf").exists()


@pytest.mark.parametrize("folder, bits", [
    ("treatments/plantar-fasciitis", 0o000),  # was silently "no treatments found"
    ("treatments/plantar-fasciitis", 0o300),
    ("treatments", 0o644),  # listed but not enterable: was a PermissionError traceback
    ("labels", 0o000),
])
def test_an_unenterable_content_folder_is_named(project: Path, folder: str, bits: int) -> None:
    """No traceback: an unenterable treatment folder (PermissionError); the folder is named,
    never taken for an empty one."""
    with mode(project / "data" / folder, bits):
        for command in (("validate",), ("build",)):
            result = run_unprivileged(project, *command)
            no_traceback(result)
            assert result.returncode == 1
            assert f"data/{folder}:1:1: cannot open this folder: permission denied" \
                in result.stderr.splitlines(), result.stderr


@pytest.mark.parametrize("folder, command, message", [
    ("treatments", ("new", "treatment", "hot-stone"),
     "data/treatments: cannot open this folder: permission denied"),
    ("treatments", ("new", "language", "th", "--font", "noto-sans"),
     "data/treatments:1:1: cannot open this folder: permission denied"),
    ("labels", ("new", "language", "th", "--font", "noto-sans"),
     "data/labels: cannot open this folder: permission denied"),
    ("schemas", ("new", "treatment", "hot-stone"),
     "data/schemas: cannot open this folder: permission denied"),
])
def test_new_names_a_folder_it_cannot_open(project: Path, folder: str,
                                           command: tuple[str, ...], message: str) -> None:
    """No traceback: `new` meets an unenterable folder (PermissionError, or a language made
    without its treatment stubs); it names the folder and creates nothing."""
    before = snapshot(project / "data")
    with mode(project / "data" / folder, 0o000):
        result = run_unprivileged(project, *command)
    no_traceback(result)
    assert result.returncode == 1
    assert result.stderr.splitlines()[0] == message
    assert snapshot(project / "data") == before


def test_new_language_failing_half_way_leaves_nothing_and_can_be_retried(project: Path) -> None:
    """All or nothing: `new language` meets a read-only treatment folder after writing the
    labels file; nothing is left behind, and once the folder is writable it succeeds."""
    (project / "data" / "schemas" / "labels.schema.json").unlink()  # one more to write first
    before = snapshot(project / "data")
    with mode(project / "data" / "treatments" / "plantar-fasciitis", 0o555):
        result = run_unprivileged(project, "new", "language", "th", "--font", "noto-sans")
    no_traceback(result)
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        "data/treatments/plantar-fasciitis/th.yaml: cannot write: Permission denied",
        "nothing was created: the files written before this were removed",
    ]
    assert snapshot(project / "data") == before

    retried = run_unprivileged(project, "new", "language", "th", "--font", "noto-sans")
    assert retried.returncode == 0, retried.stderr
    assert "created data/treatments/plantar-fasciitis/th.yaml" in retried.stdout.splitlines()


def test_new_treatment_failing_half_way_leaves_nothing_and_can_be_retried(project: Path) -> None:
    """All or nothing: `new treatment` writes its file, then cannot write the missing schema
    into a read-only schemas/ folder; neither the file nor its folder is left behind."""
    schemas = project / "data" / "schemas"
    (schemas / "treatment.schema.json").unlink()
    before = snapshot(project / "data")
    with mode(schemas, 0o555):
        result = run_unprivileged(project, "new", "treatment", "hot-stone")
    no_traceback(result)
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        "data/schemas/treatment.schema.json: cannot write: Permission denied",
        "nothing was created: the files written before this were removed",
    ]
    assert snapshot(project / "data") == before

    retried = run_unprivileged(project, "new", "treatment", "hot-stone")
    assert retried.returncode == 0, retried.stderr
    assert retried.stdout.splitlines()[:2] == ["created data/treatments/hot-stone/en.yaml",
                                               "created data/schemas/treatment.schema.json"]


# -- messages in the editor's words ------------------------------------------------------------


def test_a_mistyped_key_says_did_you_mean(project: Path, run: Run, en_yaml: Path,
                                          facts_yaml: Path) -> None:
    """Item 12: `unknown key 'precuations'` says "did you mean 'precautions'?", and no
    separate `missing key 'precautions'` line repeats it; an optional key (price, in the
    facts file since issue 20) too."""
    edit(en_yaml, "precautions:", "precuations:")
    edit(facts_yaml, "price: ", "pirce: ")
    result = run("validate")
    no_traceback(result)
    folder = "data/treatments/plantar-fasciitis"
    problems = [line for line in result.stderr.splitlines() if line.startswith(folder)]
    assert problems == [
        f"{folder}/en.yaml:{line_of(en_yaml, 'precuations:')}:1: unknown key 'precuations' "
        "(did you mean 'precautions'?)",
        f"{folder}/facts.yaml:{line_of(facts_yaml, 'pirce:')}:1: unknown key 'pirce' "
        "(did you mean 'price'?)",
    ]


#: (file under data/, text to replace, its replacement, the message after file:line:col: ).
JARGON = [
    ("treatments/plantar-fasciitis/en.yaml", "name: Plantar fasciitis foot massage",
     "name: [Plantar, fasciitis]", "name: should be one text, not a list"),
    ("treatments/plantar-fasciitis/en.yaml", "name: Plantar fasciitis foot massage",
     "name:", "name: text must not be empty"),
    ("exercises/towel-stretch/facts.yaml", "hold_seconds: 30\n", "hold_seconds:\n",
     "hold_seconds: is empty: write a whole number"),
    ("exercises/towel-stretch/facts.yaml", "hold_seconds: 30\n", "hold_seconds: thirty\n",
     "hold_seconds: should be a whole number (digits only), not 'thirty'"),
    ("exercises/towel-stretch/facts.yaml", "hold_seconds: 30\n", "hold_seconds: 900\n",
     "hold_seconds: is too large: 900, at most 600"),
    ("exercises/towel-stretch/facts.yaml", "hold_seconds: 30\n", "hold_seconds: 0\n",
     "hold_seconds: is too small: 0, at least 1"),
    ("treatments/plantar-fasciitis/facts.yaml", "a6_sections: []", "a6_sections: [pitchh]",
     "flyer.a6_sections[0]: 'pitchh' is not one of: pitch, benefits, steps "
     "(did you mean 'pitch'?)"),
    ("treatments/plantar-fasciitis/en.yaml", "precautions:\n", "precautions: []\nx:\n",
     "precautions: is empty: write at least one item"),
    ("treatments/plantar-fasciitis/en.yaml", "condition:\n", "condition: Heel pain\nx:\n",
     "condition: should be keys and values, each on its own line, not one text"),
    ("treatments/plantar-fasciitis/en.yaml", "steps:\n", "steps: Warm-up\nx:\n",
     "steps: should be a list: one item per line, each starting with '- '"),
    ("labels/en.yaml", "line_breaking: words", "line_breaking: word",
     "line_breaking: 'word' is not one of: words, characters (did you mean 'words'?)"),
    ("labels/en.yaml", 'separator: " · "', 'separator: " ····· "',
     "separator: is too long: 7 characters, at most 5"),
    ("labels/en.yaml", 'separator: " · "', 'separator: ""', "separator: is empty"),
    ("labels/en.yaml", "\npersonal:", "\nmonths: [January]\npersonal:",
     "months: no longer needed: month names come from CLDR, the Unicode locale data; delete "
     "this line"),
    ("labels/en.yaml", '"Hold {seconds} s"', '"Hold {seconds} s}"',
     "hold: a brace without its pair in 'Hold {seconds} s}': write a placeholder as {name}, "
     "and a brace itself as {{ or }}"),
    ("brand.yaml", "currency: VND", "currency: vnd",
     "currency: write a three-letter currency code in capitals, such as VND; not 'vnd'"),
    ("brand.yaml", "address_lang: vi", "address_lang: Vietnamese",
     "address_lang: write a language code such as vi or pt-BR; not 'Vietnamese'"),
    ("brand.yaml", "    primary: true", "    primary: maybe",
     "channels[0].primary: should be true or false, not 'maybe'"),
    ("brand.yaml", 'number: "+84 905 123 456"', 'number: "0905 123 456"',
     "channels[0].number: write the phone number in international form, with + and the "
     "country code, e.g. +84 905 123 456; not '0905 123 456'"),
]


@pytest.mark.parametrize("file, old, new, message", JARGON,
                         ids=[case[3].split(":")[0] + "-" + str(i) for i, case in
                              enumerate(JARGON)])
def test_validation_messages_are_in_the_editors_words(project: Path, run: Run, file: str,
                                                      old: str, new: str,
                                                      message: str) -> None:
    """Item 12: pydantic's words ("Input should be a valid string", "String should have at
    most 5 characters", "E.164 form") said in a spa editor's words."""
    path = project / "data" / file
    edit(path, old, new)
    result = run("validate")
    no_traceback(result)
    assert result.returncode == 1
    messages = [line.split(": ", 1)[1] for line in result.stderr.splitlines()
                if line.startswith(f"data/{file}:")]
    assert message in messages, result.stderr
    for jargon in ("Input should", "String should", "List should", "E.164", "pattern",
                   "valid dictionary", "after validation", "Value error", "format string"):
        assert jargon not in result.stderr


def test_a_long_client_name_on_the_command_line_is_said_plainly(run: Run) -> None:
    """Item 12: "String should have at most 200 characters" for --client."""
    result = run("aftercare", "plantar-fasciitis", "--client", "A" * 230,
                 "--date", "2026-11-24", "-o", "sheet.pdf")
    assert result.returncode == 2
    assert ("Invalid value for --client: is too long: 230 characters, at most 200"
            in " ".join(result.stderr.replace("│", " ").split()))


# -- schema ------------------------------------------------------------------------------------


def test_schema_refuses_a_folder_that_is_not_a_content_folder(project: Path, run: Run) -> None:
    """Item 13: `handouts schema --data dta` (a typo) created dta/schemas and exited 0."""
    result = run("schema", "--data", "dta")
    assert result.returncode == 1
    assert result.stderr.splitlines() == ["dta:1:1: data folder not found"]
    assert not (project / "dta").exists()

    (project / "notes").mkdir()
    result = run("schema", "--data", "notes")
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        "notes:1:1: not a data folder: it has no brand.yaml (give --data the folder that "
        "holds brand.yaml, labels/ and treatments/)"]
    assert list((project / "notes").iterdir()) == []
