"""Benchmark: briefgen against WeasyPrint's own floor, measured in one run.

Every figure is a ratio against a baseline measured in the same run, since
these machines are noisy:

1. full build of N copies of the Henan brief (PDF + DOCX + HTML), one worker,
   against a plain script that only renders the same N print HTML files to
   PDF with WeasyPrint in one process               (target <= 1.3x)
2. the same build with --jobs 2 against one worker  (target <= 0.65x)
3. a rebuild with nothing changed, through `briefgen build` and through
   `make briefs`                                     (target <= 0.5 s)
4. changing one brief rebuilds only that brief
5. cost per page of a ~100-page brief against a ~5-page one (target <= 1.2x)
6. peak memory (max RSS) of the processes
7. `briefgen watch`: from saving the Henan YAML to the browser's reload
   event (target <= 300 ms) and to the PDF (target <= 1 s); see
   bench/watch_preview.py
8. `briefgen pull` and the Word writer on hostile sizes (bench/pull_bench.py):
   a pull with 10 edits (target < 0.5 s), a 2 MiB paragraph (< 5 s,
   < 300 MiB), a docx build of a summary after 200,000 spaces (< 2 s)

Run with `make bench` (or `.venv/bin/python bench/run.py [--copies N]
[--only build|watch|pull]`); the pull rows are CPU time, interleaved
repetitions, medians.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
BRIEFGEN = [sys.executable, "-m", "briefgen.cli"]
SEED_BRIEF = ROOT / "content" / "henan-inspection.yaml"

BASELINE_SCRIPT = """
import sys, time
from pathlib import Path
from weasyprint import HTML
for path in sorted(Path(sys.argv[1]).glob("*.html")):
    HTML(string=path.read_text("utf-8"), base_url=None).write_pdf(Path(sys.argv[2]) / (path.stem + ".pdf"))
"""


def timed(command: list[str], **kwargs) -> tuple[float, int, str]:
    """Wall time, peak RSS (MiB) of that process (its largest child for a
    pool), and its stdout."""
    started = time.perf_counter()
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        process = subprocess.Popen(
            command,
            stdout=out,
            stderr=err,
            text=True,
            cwd=kwargs.pop("cwd", ROOT),
            **kwargs,
        )
        _, status, usage = os.wait4(process.pid, 0)
        process.returncode = os.waitstatus_to_exitcode(status)
        seconds = time.perf_counter() - started
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read(), err.read()
    if process.returncode != 0:
        sys.exit(
            f"command failed ({process.returncode}): {' '.join(command)}\n{stderr[-3000:]}"
        )
    return seconds, usage.ru_maxrss // 1024, stdout


def make_copies(folder: Path, copies: int) -> None:
    folder.mkdir(parents=True)
    text = SEED_BRIEF.read_text("utf-8")
    for index in range(copies):
        (folder / f"henan-{index + 1:02d}.yaml").write_text(text, encoding="utf-8")


def print_html(content: Path, out: Path) -> None:
    """The print HTML our PDF writer lays out, for the baseline to render."""
    sys.path.insert(0, str(ROOT / "src"))
    from briefgen.read import load_brief
    from briefgen.writers.html import render_html

    out.mkdir(parents=True)
    for path in sorted(content.glob("*.yaml")):
        html = render_html(
            load_brief(path), templates=ROOT / "src" / "briefgen" / "templates", media="print"
        )
        (out / f"{path.stem}.html").write_text(html, encoding="utf-8")


def long_brief(folder: Path, repeat: int, name: str) -> Path:
    """The Henan sections repeated ``repeat`` times (titles made unique)."""
    data = yaml.safe_load(SEED_BRIEF.read_text("utf-8"))
    sections = []
    for copy in range(repeat):
        for section in data["sections"]:
            clone = yaml.safe_load(yaml.safe_dump(section))
            _rename(clone, f" ({copy + 1})")
            sections.append(clone)
    data["sections"] = sections
    path = folder / f"{name}.yaml"
    path.write_text(
        yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8"
    )
    return path


def _rename(section: dict, suffix: str) -> None:
    section["title"] = section["title"] + suffix
    section.pop("id", None)
    for sub in section.get("sections", []):
        _rename(sub, suffix)


def pdf_pages(path: Path) -> int:
    from pypdf import PdfReader

    return len(PdfReader(str(path)).pages)


def in_process_per_page(small: Path, large: Path) -> tuple[float, float]:
    """Milliseconds per page of each brief's PDF in one warmed process, so
    that start-up costs do not flatter the long brief."""
    import io

    from pypdf import PdfReader
    from weasyprint.text.fonts import FontConfiguration

    sys.path.insert(0, str(ROOT / "src"))
    from briefgen.read import load_brief
    from briefgen.writers.html import render_html
    from briefgen.writers.pdf import render_pdf

    fonts, cache = FontConfiguration(), {}
    costs = []
    for path in (small, large):
        brief = load_brief(path)
        html = render_html(brief, templates=ROOT / "src" / "briefgen" / "templates", media="print")
        render_pdf(html, title=brief.title, lang=brief.lang, font_config=fonts, cache=cache)
        started = time.perf_counter()
        pdf = render_pdf(html, title=brief.title, lang=brief.lang, font_config=fonts, cache=cache)
        seconds = time.perf_counter() - started
        costs.append(seconds / len(PdfReader(io.BytesIO(pdf)).pages))
    return costs[0], costs[1]


def median_of(runs: int, command: list[str], reset=None) -> tuple[float, int]:
    times, peaks = [], []
    for _ in range(runs):
        if reset:
            reset()
        seconds, peak, _ = timed(command)
        times.append(seconds)
        peaks.append(peak)
    return statistics.median(times), max(peaks)


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--copies", type=int, default=20)
    parser.add_argument(
        "--runs", type=int, default=1, help="repeat each timing and take the median"
    )
    parser.add_argument(
        "--only", choices=("build", "watch", "pull"), default=None,
        help="run only the build, the watch preview or the pull measurements",
    )
    args = parser.parse_args()
    sys.path.insert(0, str(Path(__file__).parent))
    work = Path(tempfile.mkdtemp(prefix="briefgen-bench-"))
    rows: list[tuple[str, str, str, str]] = []
    try:
        if args.only in (None, "build"):
            build_rows(work, args, rows)
        if args.only in (None, "pull"):
            from pull_bench import pull_rows

            rows.extend(pull_rows(work, max(args.runs, 3)))
    finally:
        shutil.rmtree(work, ignore_errors=True)
    if args.only in (None, "watch"):
        rows += watch_rows(args)
    return print_rows(rows, args.runs)


def build_rows(work: Path, args, rows: list) -> None:
    """Parts 1 to 6."""
    if True:
        content, html, base_out = work / "content", work / "html", work / "baseline"
        make_copies(content, args.copies)
        print_html(content, html)
        base_out.mkdir()
        script = work / "baseline.py"
        script.write_text(BASELINE_SCRIPT)

        baseline, base_peak = median_of(
            args.runs, [sys.executable, str(script), str(html), str(base_out)]
        )
        out1, out2 = work / "out1", work / "out2"
        one, peak1 = median_of(
            args.runs,
            [*BRIEFGEN, "build", str(content), "--out", str(out1), "--jobs", "1"],
            reset=lambda: shutil.rmtree(out1, ignore_errors=True),
        )
        two, peak2 = median_of(
            args.runs,
            [*BRIEFGEN, "build", str(content), "--out", str(out2), "--jobs", "2"],
            reset=lambda: shutil.rmtree(out2, ignore_errors=True),
        )
        rows.append(
            (
                f"baseline: WeasyPrint alone, {args.copies} print HTML -> PDF, one process",
                f"{baseline:.2f} s",
                "1.00x",
                f"peak {base_peak} MiB",
            )
        )
        rows.append(
            (
                f"full build, {args.copies} briefs x PDF+DOCX+HTML, --jobs 1",
                f"{one:.2f} s",
                f"{one / baseline:.2f}x baseline (target <= 1.30)",
                f"peak {peak1} MiB",
            )
        )
        rows.append(
            (
                "full build, --jobs 2",
                f"{two:.2f} s",
                f"{two / one:.2f}x one worker (target <= 0.65)",
                f"peak {peak2} MiB per process",
            )
        )

        noop, _, _ = timed([*BRIEFGEN, "build", str(content), "--out", str(out1)])
        make_args = ["make", "-s", "briefs", f"CONTENT={content}", f"OUT={out1}", "JOBS=1"]
        timed(make_args)  # first bring make's own set-up stamps up to date
        make_noop, _, _ = timed(make_args)
        rows.append(
            (
                f"rebuild, nothing changed ({args.copies} briefs), briefgen build",
                f"{noop:.2f} s",
                "target <= 0.5 s",
                "",
            )
        )
        rows.append(
            (
                "rebuild, nothing changed, make briefs",
                f"{make_noop:.2f} s",
                "target <= 0.5 s",
                "",
            )
        )

        victim = content / "henan-03.yaml"
        victim.write_text(
            victim.read_text("utf-8").replace("title:", "title: Changed", 1),
            encoding="utf-8",
        )
        _, _, stdout = timed([*BRIEFGEN, "build", str(content), "--out", str(out1)])
        rebuilt = re.findall(r"^built\s+(\S+)", stdout, re.MULTILINE)
        rows.append(
            (
                "one brief changed: briefs rebuilt",
                str(len(rebuilt)),
                ", ".join(Path(p).name for p in rebuilt),
                "",
            )
        )

        sizes = work / "sizes"
        sizes.mkdir()
        small = long_brief(sizes, 1, "small")
        large = long_brief(sizes, 12, "large")
        per_page = {}
        for path in (small, large):
            out = work / f"out-{path.stem}"
            seconds, peak, _ = timed(
                [*BRIEFGEN, "build", str(path), "--out", str(out), "--format", "pdf"]
            )
            pages = pdf_pages(out / f"{path.stem}.pdf")
            per_page[path.stem] = (seconds, pages, peak)
        (s_time, s_pages, s_peak), (l_time, l_pages, l_peak) = (
            per_page["small"],
            per_page["large"],
        )
        # subtract the fixed start-up cost measured by a no-op run
        start_up, _, _ = timed(
            [
                *BRIEFGEN,
                "build",
                str(small),
                "--out",
                str(work / "out-small"),
                "--format",
                "pdf",
            ]
        )
        s_cost = (s_time - start_up) / s_pages
        l_cost = (l_time - start_up) / l_pages
        rows.append(
            (
                f"PDF of a {s_pages}-page brief",
                f"{s_time:.2f} s",
                f"{s_cost * 1000:.0f} ms/page",
                f"peak {s_peak} MiB",
            )
        )
        rows.append(
            (
                f"PDF of a {l_pages}-page brief",
                f"{l_time:.2f} s",
                f"{l_cost * 1000:.0f} ms/page = {l_cost / s_cost:.2f}x the short one (target <= 1.2)",
                f"peak {l_peak} MiB",
            )
        )
        warm = in_process_per_page(small, large)
        rows.append(
            (
                "same, in one warm process (layout + PDF only)",
                f"{warm[0] * 1000:.0f} / {warm[1] * 1000:.0f} ms/page",
                f"{warm[1] / warm[0]:.2f}x long vs short (target <= 1.2)",
                "",
            )
        )


def watch_rows(args) -> list[tuple[str, str, str, str]]:
    sys.path.insert(0, str(Path(__file__).parent))
    from watch_preview import measure

    return measure(max(args.runs, 5))


def print_rows(rows: list[tuple[str, str, str, str]], runs: int) -> int:
    width = max(len(r[0]) for r in rows)
    print(f"briefgen benchmark on {os.cpu_count()} cores (medians of {runs} run(s); pull: of 3 or more, watch: of 5 or more)\n")
    for label, value, ratio, extra in rows:
        print(f"{label:<{width}}  {value:>9}  {ratio}  {extra}".rstrip())
    return 0


if __name__ == "__main__":
    sys.exit(main())
