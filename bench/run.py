"""Benchmark: briefgen against references measured in the same run.

These machines are noisy, so every figure that matters is a ratio against
a reference measured in the same run, interleaved with it:

- pdf: the PDF of the Henan brief (9 pages) and of a long brief (~88
  pages) against the floor (the same text as plain HTML with a 10-line
  CSS, tagged PDF/UA, in WeasyPrint), pandoc's HTML through WeasyPrint
  and Typst on pandoc's Typst markup; CPU time in one warm process
  (``time.process_time()``), medians of ``--reps`` interleaved
  repetitions, and the floor measured twice per repetition (the control:
  its ratio shows the noise)                         (targets <= 1.7x, <= 1.4x)
- charts: solar-system built by a new process with its charts already in
  the chart cache, against one without (CPU time of the process tree
  via ``os.wait4``)                                  (target <= 0.65x)
- batch: a full build of N copies of the Henan brief (PDF + DOCX + HTML),
  one worker, against WeasyPrint alone rendering the same N print HTML
  files in one process (CPU time, target <= 1.3x), and with --jobs 2
  against --jobs 1 (wall time: it needs two free cores; <= 0.65x)
- noop: a rebuild with nothing changed, through ``briefgen build`` and
  through ``make briefs``                             (target <= 0.5 s)
- changed: changing one brief rebuilds only that brief
- pages: cost per page of the long brief against the 9-page one, by new
  processes and in one warm process                  (target <= 1.2x)
- memory: peak memory of a worker building the long brief (--jobs 2,
  all three formats)                                 (target <= 300 MiB)
- watch: ``briefgen watch`` from saving the Henan YAML to the browser's
  reload event (target <= 300 ms) and to the PDF (target <= 1 s); see
  bench/watch_preview.py
- pull: ``briefgen pull`` and the Word writer on hostile sizes
  (bench/pull_bench.py): a pull with 10 edits (target < 0.5 s), a 2 MiB
  paragraph (< 5 s, < 300 MiB), a docx build of a summary after 200,000
  spaces (< 2 s); CPU time, interleaved repetitions, medians

Run with ``make bench`` (it installs the ``bench`` extra: pandoc and
Typst), or ``.venv/bin/python bench/run.py [--only NAME ...] [--reps N]``;
``--only build`` runs batch, noop, changed, pages and memory.
Add a measurement as one function decorated with ``@measurement("name")``.
"""

from __future__ import annotations

import argparse
import io
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import references  # noqa: E402
from corpus import SEED_BRIEF, long_brief, make_copies  # noqa: E402

BRIEFGEN = [sys.executable, "-m", "briefgen.cli"]
TEMPLATES = ROOT / "src" / "briefgen" / "templates"
SOLAR = ROOT / "content" / "solar-system.yaml"
LONG_REPEAT = 12  # the Henan sections 12 times over: about 88 pages

BASELINE_SCRIPT = """
import sys, time
from pathlib import Path
from weasyprint import HTML
for path in sorted(Path(sys.argv[1]).glob("*.html")):
    HTML(string=path.read_text("utf-8"), base_url=None).write_pdf(Path(sys.argv[2]) / (path.stem + ".pdf"))
"""


# --------------------------------------------------------------------------
# The registry and what a measurement reports
# --------------------------------------------------------------------------


@dataclass
class Target:
    name: str
    value: float
    limit: float
    unit: str  # "x" for a ratio, else the value's unit

    @property
    def holds(self) -> bool:
        return self.value <= self.limit

    def line(self) -> str:
        digits = 0 if self.unit == "MiB" else 2
        figure = f"{self.value:.2f}{self.unit}" if self.unit == "x" else f"{self.value:.{digits}f} {self.unit}"
        limit = f"{self.limit:.2f}{self.unit}" if self.unit == "x" else f"{self.limit:g} {self.unit}"
        return f"{self.name}: {figure} (target <= {limit}) {'holds' if self.holds else 'MISSED'}"


@dataclass
class Bench:
    """What every measurement gets: options, a scratch folder, shared
    fixtures built once, and where to put its lines and targets."""

    args: argparse.Namespace
    work: Path
    rows: list[tuple[str, str, str, str]] = field(default_factory=list)
    targets: list[Target] = field(default_factory=list)
    _fixtures: dict[str, object] = field(default_factory=dict)

    def row(self, label: str, value: str, note: str = "", extra: str = "") -> None:
        self.rows.append((label, value, note, extra))

    def target(self, name: str, value: float, limit: float, unit: str = "x") -> Target:
        target = Target(name, value, limit, unit)
        self.targets.append(target)
        return target

    def fixture(self, name: str, make: Callable[[], object]) -> object:
        if name not in self._fixtures:
            self._fixtures[name] = make()
        return self._fixtures[name]

    def copies(self) -> Path:
        """A folder of ``--copies`` copies of the Henan brief."""
        def make() -> Path:
            folder = self.work / "copies"
            make_copies(folder, self.args.copies)
            return folder

        return self.fixture("copies", make)  # type: ignore[return-value]

    def built_copies(self) -> Path:
        """An output folder with the copies built (by 'batch' if it ran)."""
        def make() -> Path:
            out = self.work / "out-copies"
            run_process([*BRIEFGEN, "build", str(self.copies()), "--out", str(out), "--jobs", "2"])
            return out

        return self.fixture("built-copies", make)  # type: ignore[return-value]

    def sized(self) -> tuple[Path, Path]:
        """The 9-page Henan brief and the long one, as brief files."""
        def make() -> tuple[Path, Path]:
            folder = self.work / "sizes"
            folder.mkdir()
            return long_brief(folder, 1, "small"), long_brief(folder, LONG_REPEAT, "large")

        return self.fixture("sizes", make)  # type: ignore[return-value]


MEASUREMENTS: dict[str, Callable[[Bench], None]] = {}


def measurement(name: str) -> Callable[[Callable[[Bench], None]], Callable[[Bench], None]]:
    """Register a measurement under ``name``; they run in file order."""
    def register(function: Callable[[Bench], None]) -> Callable[[Bench], None]:
        MEASUREMENTS[name] = function
        return function

    return register


# --------------------------------------------------------------------------
# Timing
# --------------------------------------------------------------------------


@dataclass
class Usage:
    wall: float
    cpu: float  # user + system seconds of the process and its waited-for children
    peak_mib: int  # largest resident set of the process or any child
    stdout: str


#: Runs a command and reports its CPU time and peak memory.  A child
#: forked from this (by then large) process would count our memory as its
#: own until it execs, so the command is started by this small process.
_MEASURE = """
import os, subprocess, sys, time
started = time.perf_counter()
child = subprocess.Popen(sys.argv[2:])
_, status, usage = os.wait4(child.pid, 0)
wall = time.perf_counter() - started
with open(sys.argv[1], "w") as report:
    report.write(f"{wall} {usage.ru_utime + usage.ru_stime} {usage.ru_maxrss}")
sys.exit(os.waitstatus_to_exitcode(status))
"""


def run_process(command: list[str], cwd: Path = ROOT) -> Usage:
    """Run ``command``; its wall time, and the CPU time and peak memory of
    it and its children (``os.wait4``)."""
    with tempfile.TemporaryDirectory() as scratch:
        report = Path(scratch) / "usage"
        out, err = Path(scratch) / "out", Path(scratch) / "err"
        with out.open("w") as stdout, err.open("w") as stderr:
            status = subprocess.call(
                [sys.executable, "-c", _MEASURE, str(report), *command],
                stdout=stdout, stderr=stderr, cwd=cwd,
            )
        if status != 0:
            sys.exit(f"command failed: {' '.join(command)}\n{err.read_text()[-3000:]}")
        wall, cpu, peak = report.read_text().split()
        return Usage(float(wall), float(cpu), int(peak) // 1024, out.read_text())


def interleaved(variants: dict[str, Callable[[], object]], reps: int) -> dict[str, list[float]]:
    """CPU seconds of each variant, ``reps`` rounds of all of them in turn,
    after one warm-up round."""
    for run in variants.values():
        run()
    times: dict[str, list[float]] = {name: [] for name in variants}
    for _ in range(reps):
        for name, run in variants.items():
            started = time.process_time()
            run()
            times[name].append(time.process_time() - started)
    return times


def spread(values: list[float]) -> str:
    return f"range {min(values) * 1000:.0f}-{max(values) * 1000:.0f} ms"


# --------------------------------------------------------------------------
# Measurements
# --------------------------------------------------------------------------


@measurement("pdf")
def pdf_against_references(bench: Bench) -> None:
    """The PDF writer against the floor, pandoc and Typst, in one warm process."""
    from pypdf import PdfReader
    from weasyprint import HTML
    from weasyprint.text.fonts import FontConfiguration

    from briefgen.read import load_brief
    from briefgen.writers import pdf as pdf_writer
    from briefgen.writers.html import render_html

    fonts, cache = FontConfiguration(), {}

    def weasyprint(html: str) -> bytes:
        document = HTML(string=html, base_url=None).render(font_config=fonts, cache=cache, pdf_tags=True)
        return document.write_pdf(pdf_variant="pdf/ua-1", pdf_tags=True)

    def briefgen(brief, html: str) -> bytes:
        return pdf_writer.render_pdf(html, title=brief.title, lang=brief.lang, font_config=fonts, cache=cache)

    small, large = bench.sized()
    briefs = {"Henan": load_brief(SEED_BRIEF), "long brief": load_brief(large)}
    variants: dict[str, Callable[[], object]] = {}
    pages = {}
    for label, brief in briefs.items():
        folder = bench.work / f"refs-{label.replace(' ', '-')}"
        folder.mkdir()
        html = render_html(brief, templates=TEMPLATES, media="print")
        # the contents numbered by target-counter(), as before
        counted = pdf_writer._CONTENTS_NAV.sub(r"\g<0> counted", html, count=1)
        floor = references.floor_html(html)
        pandoc = references.pandoc_html(brief, folder)
        typst = references.typst_source(brief, folder)
        pages[label] = len(PdfReader(io.BytesIO(briefgen(brief, html))).pages)
        variants |= {
            f"{label}|floor": lambda floor=floor: weasyprint(floor),
            f"{label}|briefgen": lambda brief=brief, html=html: briefgen(brief, html),
            f"{label}|control": lambda floor=floor: weasyprint(floor),
            f"{label}|old contents": lambda brief=brief, html=counted: briefgen(brief, html),
            f"{label}|templates": lambda brief=brief: render_html(brief, templates=TEMPLATES, media="print"),
            f"{label}|pandoc": lambda pandoc=pandoc: weasyprint(pandoc),
            f"{label}|typst": lambda typst=typst: references.typst_pdf(typst),
        }
    times = interleaved(variants, bench.args.reps)
    medians = {name: statistics.median(values) for name, values in times.items()}
    notes = {
        "floor": "plain HTML of the same text + 10-line CSS, tagged PDF/UA",
        "control": "the floor again: the noise",
        "briefgen": "render_pdf: the print HTML laid out, tagged PDF/UA",
        "templates": "render_html: the print HTML from the brief (not in the ratio)",
        "old contents": "contents numbered by target-counter() (the fallback)",
        "pandoc": "pandoc --toc HTML through WeasyPrint, tagged",
        "typst": "pandoc --toc Typst markup, typst PDF/UA-1",
    }
    limits = {"Henan": 1.7, "long brief": 1.4}
    for label in briefs:
        floor = medians[f"{label}|floor"]
        for kind, note in notes.items():
            value = medians[f"{label}|{kind}"]
            bench.row(
                f"{label} PDF ({pages[label]} pp), {kind}",
                f"{value * 1000:.0f} ms",
                f"{value / floor:.2f}x floor",
                f"{note}; {spread(times[f'{label}|{kind}'])}",
            )
        ours = medians[f"{label}|briefgen"]
        bench.target(f"{label} PDF against the floor", ours / floor, limits[label])
        bench.row(f"{label}: briefgen against pandoc / Typst", "",
                  f"{ours / medians[f'{label}|pandoc']:.2f}x / {ours / medians[f'{label}|typst']:.1f}x")


@measurement("charts")
def charts_from_the_cache(bench: Bench) -> None:
    """solar-system by a new process, its charts already cached or not."""
    out = bench.work / "out-solar"
    command = [*BRIEFGEN, "build", str(SOLAR), "--out", str(out)]

    def cold() -> Usage:
        shutil.rmtree(out, ignore_errors=True)
        return run_process(command)

    def cached() -> Usage:
        for path in out.glob("*"):
            if path.is_file():
                path.unlink()
        (out / ".briefgen-manifest.json").unlink(missing_ok=True)
        return run_process(command)

    results: dict[str, list[float]] = {"without": [], "cached": []}
    cold()
    for _ in range(bench.args.reps):
        results["without"].append(cold().cpu)
        results["cached"].append(cached().cpu)
    without, with_cache = (statistics.median(results[k]) for k in ("without", "cached"))
    bench.row("solar-system build, new process, no chart cache", f"{without:.2f} s", "1.00x",
              f"CPU; {spread(results['without'])}")
    bench.row("solar-system build, new process, charts cached", f"{with_cache:.2f} s",
              f"{with_cache / without:.2f}x", f"CPU; {spread(results['cached'])}")
    bench.target("solar-system with charts cached against without", with_cache / without, 0.65)


@measurement("batch")
def batch_against_weasyprint(bench: Bench) -> None:
    """A full build of N briefs against WeasyPrint alone, and with two workers."""
    from briefgen.read import load_brief
    from briefgen.writers.html import render_html

    content = bench.copies()
    html, base_out = bench.work / "html", bench.work / "baseline"
    html.mkdir()
    base_out.mkdir()
    for path in sorted(content.glob("*.yaml")):
        text = render_html(load_brief(path), templates=TEMPLATES, media="print")
        (html / f"{path.stem}.html").write_text(text, encoding="utf-8")
    script = bench.work / "baseline.py"
    script.write_text(BASELINE_SCRIPT)
    out1, out2 = bench.work / "out1", bench.work / "out2"

    commands = {
        "baseline": ([sys.executable, str(script), str(html), str(base_out)], None),
        "one": ([*BRIEFGEN, "build", str(content), "--out", str(out1), "--jobs", "1"], out1),
        "two": ([*BRIEFGEN, "build", str(content), "--out", str(out2), "--jobs", "2"], out2),
    }
    usages: dict[str, list[Usage]] = {name: [] for name in commands}
    for _ in range(bench.args.runs):  # interleaved rounds
        for name, (command, out) in commands.items():
            if out is not None:
                shutil.rmtree(out, ignore_errors=True)
            usages[name].append(run_process(command))

    def median(name: str, what: str) -> float:
        return statistics.median(getattr(u, what) for u in usages[name])

    def peak(name: str) -> int:
        return max(u.peak_mib for u in usages[name])

    base_cpu, one_cpu = median("baseline", "cpu"), median("one", "cpu")
    one_wall, two_wall = median("one", "wall"), median("two", "wall")
    copies = bench.args.copies
    bench.row(f"baseline: WeasyPrint alone, {copies} print HTML -> PDF, one process",
              f"{base_cpu:.2f} s", "1.00x", f"CPU; peak {peak('baseline')} MiB")
    bench.row(f"full build, {copies} briefs x PDF+DOCX+HTML, --jobs 1", f"{one_cpu:.2f} s",
              f"{one_cpu / base_cpu:.2f}x baseline", f"CPU; peak {peak('one')} MiB")
    bench.row("full build, --jobs 1 / --jobs 2", f"{one_wall:.2f} / {two_wall:.2f} s",
              f"{two_wall / one_wall:.2f}x one worker", f"wall; peak {peak('two')} MiB per process")
    bench.target("full build against WeasyPrint alone (CPU)", one_cpu / base_cpu, 1.3)
    bench.target("--jobs 2 against one worker (wall)", two_wall / one_wall, 0.65)
    bench._fixtures["built-copies"] = out1


@measurement("noop")
def rebuild_nothing_changed(bench: Bench) -> None:
    content, out = bench.copies(), bench.built_copies()
    noop = run_process([*BRIEFGEN, "build", str(content), "--out", str(out)])
    make_args = ["make", "-s", "briefs", f"CONTENT={content}", f"OUT={out}", "JOBS=1"]
    run_process(make_args)  # first bring make's own set-up stamps up to date
    make_noop = run_process(make_args)
    bench.row(f"rebuild, nothing changed ({bench.args.copies} briefs), briefgen build",
              f"{noop.wall:.2f} s", "wall")
    bench.row("rebuild, nothing changed, make briefs", f"{make_noop.wall:.2f} s", "wall")
    bench.target("rebuild with nothing changed, briefgen build", noop.wall, 0.5, "s")
    bench.target("rebuild with nothing changed, make briefs", make_noop.wall, 0.5, "s")


@measurement("changed")
def one_brief_changed(bench: Bench) -> None:
    content, out = bench.copies(), bench.built_copies()
    victim = content / "henan-03.yaml"
    original = victim.read_text("utf-8")
    victim.write_text(original.replace("title:", "title: Changed", 1), encoding="utf-8")
    try:
        stdout = run_process([*BRIEFGEN, "build", str(content), "--out", str(out)]).stdout
    finally:
        victim.write_text(original, encoding="utf-8")
    rebuilt = re.findall(r"^built\s+(\S+)", stdout, re.MULTILINE)
    bench.row("one brief changed: briefs rebuilt", str(len(rebuilt)),
              ", ".join(Path(p).name for p in rebuilt))


@measurement("pages")
def cost_per_page(bench: Bench) -> None:
    """Per-page cost of the long brief against the short one."""
    from pypdf import PdfReader

    small, large = bench.sized()
    measured = {}
    for path in (small, large):
        out = bench.work / f"out-{path.stem}"
        usage = run_process([*BRIEFGEN, "build", str(path), "--out", str(out), "--format", "pdf"])
        measured[path.stem] = (usage, len(PdfReader(str(out / f"{path.stem}.pdf")).pages))
    (s_use, s_pages), (l_use, l_pages) = measured["small"], measured["large"]
    s_cost = s_use.cpu / s_pages
    bench.row(f"PDF of a {s_pages}-page brief, new process", f"{s_use.cpu:.2f} s",
              f"{s_cost * 1000:.0f} ms/page", f"CPU; peak {s_use.peak_mib} MiB")
    bench.row(f"PDF of a {l_pages}-page brief, new process", f"{l_use.cpu:.2f} s",
              f"{l_use.cpu / l_pages * 1000:.0f} ms/page", f"CPU; peak {l_use.peak_mib} MiB")
    warm = _warm_per_page(small, large)
    bench.row("same, in one warm process (layout + PDF only)",
              f"{warm[0] * 1000:.0f} / {warm[1] * 1000:.0f} ms/page",
              f"{warm[1] / warm[0]:.2f}x long vs short")
    bench.target("cost per page, long brief against short, warm", warm[1] / warm[0], 1.2)


def _warm_per_page(small: Path, large: Path) -> tuple[float, float]:
    """CPU seconds per page of each brief's PDF in one warmed process (medians)."""
    from pypdf import PdfReader
    from weasyprint.text.fonts import FontConfiguration

    from briefgen.read import load_brief
    from briefgen.writers.html import render_html
    from briefgen.writers.pdf import render_pdf

    fonts, cache = FontConfiguration(), {}
    jobs, pages = {}, {}
    for path in (small, large):
        brief = load_brief(path)
        html = render_html(brief, templates=TEMPLATES, media="print")

        def render(html=html, brief=brief) -> bytes:
            return render_pdf(html, title=brief.title, lang=brief.lang, font_config=fonts, cache=cache)

        jobs[path.stem] = render
        pages[path.stem] = len(PdfReader(io.BytesIO(render())).pages)
    times = interleaved(jobs, 3)
    return tuple(statistics.median(times[p.stem]) / pages[p.stem] for p in (small, large))  # type: ignore[return-value]


@measurement("memory")
def worker_memory(bench: Bench) -> None:
    """Peak memory of a worker building the long brief, all formats."""
    _, large = bench.sized()
    folder = bench.work / "memory"
    folder.mkdir()
    for copy in (1, 2):
        shutil.copy(large, folder / f"long-{copy}.yaml")
    usage = run_process([*BRIEFGEN, "build", str(folder), "--out", str(bench.work / "out-memory"), "--jobs", "2"])
    bench.row("long brief x 2, --jobs 2, PDF+DOCX+HTML", f"{usage.wall:.2f} s", "wall",
              f"peak {usage.peak_mib} MiB in the largest process")
    bench.target("peak memory per worker, long brief", usage.peak_mib, 300, "MiB")


@measurement("watch")
def watch_preview(bench: Bench) -> None:
    """Save to reload and to PDF in ``briefgen watch`` (bench/watch_preview.py)."""
    from watch_preview import measure

    for row in measure(max(bench.args.reps, 5)):
        bench.row(*row)


@measurement("pull")
def pull_and_hostile_sizes(bench: Bench) -> None:
    """``briefgen pull`` and the Word writer on hostile sizes (bench/pull_bench.py)."""
    from pull_bench import pull_rows

    for row in pull_rows(bench.work, max(bench.args.runs, 3)):
        bench.row(*row)


#: Names for several measurements at once.
GROUPS = {"build": ("batch", "noop", "changed", "pages", "memory")}


# --------------------------------------------------------------------------


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--copies", type=int, default=20, help="briefs in the batch (default 20)")
    parser.add_argument("--runs", type=int, default=1, help="interleaved rounds of the batch builds (medians)")
    parser.add_argument("--reps", type=int, default=5, help="interleaved repetitions of CPU comparisons (default 5)")
    parser.add_argument("--only", action="append", choices=[*MEASUREMENTS, *GROUPS], metavar="NAME",
                        help=f"run only these measurements ({', '.join([*MEASUREMENTS, *GROUPS])}); repeatable")
    args = parser.parse_args()
    if args.only is not None:
        args.only = {name for chosen in args.only for name in GROUPS.get(chosen, (chosen,))}
    bench = Bench(args, Path(tempfile.mkdtemp(prefix="briefgen-bench-")))
    try:
        for name, run in MEASUREMENTS.items():
            if args.only is None or name in args.only:
                run(bench)
    finally:
        shutil.rmtree(bench.work, ignore_errors=True)
    print(f"briefgen benchmark on {os.cpu_count()} cores "
          f"(CPU comparisons: medians of {args.reps} interleaved repetitions)\n")
    width = max((len(row[0]) for row in bench.rows), default=0)
    for label, value, note, extra in bench.rows:
        print(f"{label:<{width}}  {value:>12}  {note}  {extra}".rstrip())
    if bench.targets:
        print("\ntargets:")
        for target in bench.targets:
            print(f"  {target.line()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
