"""Benchmark: handouts against Typst on the same aftercare content. Prints a table of medians.

    pip install '.[bench]' && python benchmarks/run.py [--runs 5] [--batch 200]

Measures, each several times: a cold `handouts aftercare` process and its import time, a
process that only imports the libraries it stands on (the floor under the cold sheet), the
cold sheet with the cache folder deleted and on the first run after a content edit; a
batch of personalised sheets from a CSV; the whole catalogue from scratch and a no-change
rebuild; watch latency from saving a content file to the new PDF on disk; the desk's preview
after a form change (benchmarks/desk.py); peak memory. Typst builds the same
handout (benchmarks/aftercare.typ, reading the same YAML) cold and in a batch, each QR code
placed as an SVG image written once per run (what a Typst user with a QR package gets from
Typst's memoisation). A benchmark, not a test: nothing here asserts a time.
"""

from __future__ import annotations

import argparse
import csv
import datetime
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DATA = REPO / "data"
FONTS = REPO / "fonts"
TEMPLATE = REPO / "benchmarks" / "aftercare.typ"
HANDOUTS = [sys.executable, "-m", "handouts"]
#: The handouts processes run this checkout's code, whatever copy is installed, with its
#: bytecode cached as an installed package has it (some sandboxes turn caching off).
os.environ["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO),
                                                         os.environ.get("PYTHONPATH")]))
os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
sys.path.insert(0, str(REPO))
from handouts.content.cache import cache_folder  # noqa: E402 - this checkout's, as above

peak_kb = 0
#: With --cpu, a process is timed by the processor time it (and its workers) used, not by
#: the clock: fairer on a machine others are busy on, though a parallel run is then charged
#: for every core it used.
cpu_time = False


def run(command: list[str], cwd: Path, env: dict[str, str] | None = None) -> float:
    """Run a whole process; return its time in seconds (by the clock, or with --cpu the
    processor time it used) and track its peak memory."""
    global peak_kb
    start = time.perf_counter()
    process = subprocess.Popen(command, cwd=cwd, stdout=subprocess.DEVNULL,
                               stderr=subprocess.PIPE, env=env)
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - start
    if cpu_time:
        elapsed = usage.ru_utime + usage.ru_stime
    process.returncode = os.waitstatus_to_exitcode(status)
    peak_kb = max(peak_kb, usage.ru_maxrss)
    if process.returncode:
        raise SystemExit(f"{' '.join(command)} failed:\n{process.stderr.read().decode()}")
    process.stderr.close()
    return elapsed


def import_time(command: list[str], cwd: Path) -> float:
    """Seconds a process spends importing (`python -X importtime`: the top-level imports'
    cumulative times added up)."""
    process = subprocess.run([sys.executable, "-X", "importtime", *command[1:]], cwd=cwd,
                             stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                             check=True)
    total = 0
    for line in process.stderr.splitlines():
        parts = line.split("|")
        if line.startswith("import time:") and len(parts) == 3 and parts[2][:1] == " " \
                and parts[2][1] != " " and parts[1].strip().isdigit():
            total += int(parts[1])
    return total / 1e6


#: What any run of the command pays before this project's own code: Python started, Typer,
#: pydantic building one validator (Typer builds one per option; the visit is validated),
#: ReportLab's drawing and font modules (with Pillow, which it imports), and this package's
#: own start-up, which spares ReportLab's unused patterns (handouts/__init__.py).
LIBRARIES_ALONE = ("import handouts, typer, pydantic; pydantic.TypeAdapter(str); "
                   "import reportlab.platypus, reportlab.pdfgen.canvas, reportlab.pdfbase.ttfonts")


def median(fn: Callable[[], float], runs: int) -> float:
    return statistics.median(fn() for _ in range(runs))


def qr_svg(modules: list[list[bool]]) -> str:
    """One QR symbol as an SVG: white quiet zone of 4 modules, each row's dark runs as rects."""
    n = len(modules)
    side = n + 8
    rects = []
    for r, row in enumerate(modules):
        c = 0
        while c < n:
            if row[c]:
                start = c
                while c < n and row[c]:
                    c += 1
                rects.append(f'<rect x="{start + 4}" y="{r + 4}" width="{c - start}" height="1"/>')
            else:
                c += 1
    return (f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {side} {side}" '
            f'shape-rendering="crispEdges"><rect width="{side}" height="{side}" fill="#fff"/>'
            f'<g fill="#000">{"".join(rects)}</g></svg>')


def typst_inputs(work: Path, lang: str = "en") -> dict[str, str]:
    """The paths the Typst template reads, and the QR codes it places (SVG files)."""
    from reportlab.graphics.barcode.qrencoder import QRCode, QRErrorCorrectLevel

    from handouts.content.channels import contact_handle, contact_url
    from handouts.content.load import load_library

    library = load_library(DATA, FONTS)
    assert library.brand is not None
    codes = []
    for number, channel in enumerate(library.brand.channels):
        code = QRCode(None, QRErrorCorrectLevel.M)
        code.addData(contact_url(channel))
        code.make()
        svg = work / f"qr-{number}.svg"
        svg.write_text(qr_svg([[bool(m) for m in row] for row in code.modules]))
        codes.append({"url": contact_url(channel), "handle": contact_handle(channel),
                      "caption": getattr(library.labels[lang].channels, channel.kind),
                      "svg": str(svg), "scale": (code.getModuleCount() + 8)
                      / code.getModuleCount()})
    (work / "codes.json").write_text(json.dumps(codes))
    return {"content": str(DATA / "treatments" / "plantar-fasciitis" / f"{lang}.yaml"),
            "facts": str(DATA / "treatments" / "plantar-fasciitis" / "facts.yaml"),
            "labels": str(DATA / "labels" / f"{lang}.yaml"), "brand": str(DATA / "brand.yaml"),
            "exercises": str(DATA / "exercises"),
            "codes": str(work / "codes.json"), "lang": lang}


def appointments(path: Path, count: int, langs: list[str]) -> None:
    """A CSV of `count` appointments today, each with a next visit a week on (a date in the
    past is refused)."""
    today = datetime.date.today()
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["client", "treatment", "lang", "therapist", "date", "email", "notes",
                         "next_visit"])
        for i in range(count):
            writer.writerow([f"Client {i:03d}", "plantar-fasciitis", langs[i % len(langs)],
                             "Linh", today.isoformat(), "", "Roll the arch over a cold bottle.",
                             (today + datetime.timedelta(days=7)).isoformat()])


def after_an_edit(work: Path, runs: int) -> float:
    """Seconds for a cold sheet from content just edited (a headline changed and changed
    back, in a copy of the data): the library is loaded again, what depends on no content edit is
    not worked out again. Median of `runs`."""
    project = work / "edited"
    shutil.copytree(DATA, project / "data")
    (project / "fonts").symlink_to(FONTS)
    content = project / "data" / "treatments" / "plantar-fasciitis" / "en.yaml"
    sheet = [*HANDOUTS, "aftercare", "plantar-fasciitis", "--client", "Emma Wilson", "-o",
             "x.pdf"]
    run(sheet, project)  # what a project that has been used keeps

    def edited() -> float:
        text = content.read_text(encoding="utf-8")
        content.write_text(text.replace("headline: (edited) ", "headline: ", 1)
                           if "headline: (edited) " in text
                           else text.replace("headline: ", "headline: (edited) ", 1),
                           encoding="utf-8")
        return run(sheet, project)

    return median(edited, runs)


def watch_latency(work: Path, runs: int) -> float:
    """Seconds from saving a content file to its rebuilt PDF on disk, median of `runs`."""
    project = work / "watch"
    shutil.copytree(DATA, project / "data")
    (project / "fonts").symlink_to(FONTS)
    content = project / "data" / "treatments" / "plantar-fasciitis" / "en.yaml"
    pdf = project / "out" / "plantar-fasciitis-aftercare-en.pdf"
    process = subprocess.Popen([*HANDOUTS, "watch"], cwd=project, stdout=subprocess.PIPE,
                               stderr=subprocess.DEVNULL, text=True)
    try:
        for line in iter(process.stdout.readline, ""):  # type: ignore[union-attr]
            if "built" in line:
                break
        threading.Thread(target=process.stdout.read, daemon=True).start()  # type: ignore[union-attr]
        time.sleep(1)  # let the watcher settle after its first build
        times = []
        for i in range(runs):
            before = pdf.stat().st_mtime_ns
            text = content.read_text(encoding="utf-8")
            start = time.perf_counter()
            content.write_text(text.replace("headline: ", f"headline: ({i}) ", 1),
                               encoding="utf-8")
            while pdf.stat().st_mtime_ns == before:
                if time.perf_counter() - start > 30:
                    raise SystemExit("watch did not rebuild within 30 s")
                time.sleep(0.005)
            times.append(time.perf_counter() - start)
            content.write_text(text, encoding="utf-8")
            time.sleep(1)  # the restoring save rebuilds too; let it finish
        return statistics.median(times)
    finally:
        process.terminate()
        process.wait()


def desk_preview() -> tuple[str, str, str]:
    """The desk's figure, measured as benchmarks/desk.py measures it: a form change to its
    new preview image in a warm desk (in this process: a desk is one long-lived process)."""
    from desk import preview_figure  # benchmarks/desk.py, beside this script

    return ("desk: form change -> new preview image (warm)", preview_figure(),
            "p50/p95 of 20 changes")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--batch", type=int, default=100)
    parser.add_argument("--cpu", action="store_true",
                        help="time each process by the processor time it used (a busy machine)")
    args = parser.parse_args()
    global cpu_time
    cpu_time = args.cpu
    import typst  # noqa: F401 - fail now, not halfway, when the bench extra is missing

    rows: list[tuple[str, str, str]] = []
    with tempfile.TemporaryDirectory() as scratch:
        work = Path(scratch)
        inputs = typst_inputs(work)

        sheet = [*HANDOUTS, "aftercare", "plantar-fasciitis", "--data", str(DATA), "--client",
                 "Emma Wilson", "-o", "x.pdf"]

        def without_cache() -> float:
            shutil.rmtree(cache_folder(DATA), ignore_errors=True)  # always safe to delete
            return run(sheet, work)

        empty = median(without_cache, args.runs)
        cold = median(lambda: run(sheet, work), args.runs)  # the content cache made above
        imports = median(lambda: import_time(sheet, work), args.runs)
        typst_cold_script = (
            "import json, sys, typst; typst.compile(sys.argv[1], output=sys.argv[2], "
            "root='/', font_paths=[sys.argv[3]], ignore_system_fonts=True, "
            "sys_inputs=json.loads(sys.argv[4]))")
        typst_cold = median(lambda: run([sys.executable, "-c", typst_cold_script, str(TEMPLATE),
                                         "t.pdf", str(FONTS), json.dumps(inputs)], work),
                            args.runs)
        rows.append(("cold single sheet (whole process)", f"{cold * 1000:.0f} ms",
                     f"Typst {typst_cold * 1000:.0f} ms, ratio {cold / typst_cold:.2f}x"))
        rows.append(("  of which imports (python -X importtime)", f"{imports * 1000:.0f} ms",
                     ""))
        libraries = median(lambda: run([sys.executable, "-c", LIBRARIES_ALONE], work), args.runs)
        rows.append(("  the libraries alone (a process that only imports)",
                     f"{libraries * 1000:.0f} ms", f"ratio {libraries / typst_cold:.2f}x: "
                     "Python, Typer, pydantic with one validator, ReportLab"))
        rows.append(("cold single sheet, content cache empty", f"{empty * 1000:.0f} ms",
                     f"ratio {empty / typst_cold:.2f}x (the cache folder deleted)"))
        edited = after_an_edit(work, args.runs)
        rows.append(("cold single sheet, first run after a content edit",
                     f"{edited * 1000:.0f} ms", f"ratio {edited / typst_cold:.2f}x"))

        appointments(work / "batch.csv", args.batch, ["en"])
        total = median(lambda: run([*HANDOUTS, "aftercare", "--from", "batch.csv", "--out",
                                    "batch", "--data", str(DATA)], work), max(1, args.runs // 2))
        # Typst's batch is one whole process too: one compiler, a sheet per client, written
        typst_batch_script = (
            "import json, sys, typst; from pathlib import Path\n"
            "inputs = json.loads(sys.argv[4]); out = Path(sys.argv[2]); out.mkdir(exist_ok=True)\n"
            "c = typst.Compiler(sys.argv[1], root='/', font_paths=[sys.argv[3]], "
            "ignore_system_fonts=True, sys_inputs=inputs)\n"
            "for i in range(int(sys.argv[5])):\n"
            "    pdf = c.compile(sys_inputs={**inputs, 'client': f'Client {i:03d}', "
            "'notes': 'Roll the arch over a cold bottle.'})\n"
            "    (out / f'{i}.pdf').write_bytes(pdf)\n")
        typst_total = median(lambda: run([sys.executable, "-c", typst_batch_script,
                                          str(TEMPLATE), "typst-batch", str(FONTS),
                                          json.dumps(inputs), str(args.batch)], work),
                             max(1, args.runs // 2))
        typst_per = (typst_total - typst_cold) / max(1, args.batch - 1)  # one more sheet
        rows.append((f"{args.batch} sheets from a CSV (en), whole process", f"{total:.2f} s",
                     f"Typst {typst_total:.2f} s (1 core), ratio {total / typst_total:.2f}x"))
        appointments(work / "mixed.csv", args.batch, ["en", "vi", "ko", "ja"])
        mixed = median(lambda: run([*HANDOUTS, "aftercare", "--from", "mixed.csv", "--out",
                                    "mixed", "--data", str(DATA)], work), max(1, args.runs // 2))
        rows.append((f"batch of {args.batch} sheets (4 languages), total", f"{mixed:.2f} s",
                     f"{mixed / args.batch * 1000:.1f} ms per sheet"))

        def catalogue() -> float:
            shutil.rmtree(work / "catalogue", ignore_errors=True)
            return run([*HANDOUTS, "build", "--data", str(DATA), "--fonts", str(FONTS),
                        "--out", "catalogue"], work)

        scratch_build = median(catalogue, args.runs)
        rebuild = median(lambda: run([*HANDOUTS, "build", "--data", str(DATA), "--fonts",
                                      str(FONTS), "--out", "catalogue"], work), args.runs)
        count = len(list((work / "catalogue").glob("*.pdf")))
        typst_catalogue = typst_cold + (count - 1) * typst_per
        rows.append((f"catalogue from scratch ({count} documents)", f"{scratch_build:.2f} s",
                     f"Typst about {typst_catalogue:.2f} s (cold + {count - 1} x "
                     f"{typst_per * 1000:.0f} ms per extra document), ratio "
                     f"{scratch_build / typst_catalogue:.2f}x"))
        rows.append(("catalogue, no-change rebuild", f"{rebuild * 1000:.0f} ms", ""))
        latency = watch_latency(work, args.runs)
        rows.append(("watch: save -> new PDF on disk", f"{latency * 1000:.0f} ms", ""))
        rows.append(desk_preview())
    rows.append(("peak memory (largest process)", f"{peak_kb / 1024:.0f} MB", ""))

    print(f"handouts benchmark, {time.strftime('%Y-%m-%d')}, {platform.machine()}, "
          f"{os.cpu_count()} cores, Python {platform.python_version()}, medians of {args.runs}"
          + (", processor time (--cpu)" if cpu_time else ""))
    width = max(len(r[0]) for r in rows)
    print(f"| {'measure'.ljust(width)} | handouts | Typst / note |")
    print(f"|{'-' * (width + 2)}|----------|--------------|")
    for name, value, note in rows:
        print(f"| {name.ljust(width)} | {value} | {note} |")


if __name__ == "__main__":
    main()
