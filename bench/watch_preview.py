"""Benchmark of `briefgen watch`: from saving the Henan YAML to the browser's
reload event (target <= 300 ms) and to the PDF being written (target <= 1 s).

A real `briefgen watch` process serves a copy of the brief; this script
listens to its event stream as a page does, saves the YAML (a real file
write, as an editor does) and takes the time until the ``reload`` event
arrives and until the ``output`` event of the PDF.  Each save changes the
summary's text, so every run is a real rebuild.  Medians of ``runs``.
The worker's own CPU time up to each output is printed beside the wall
time: on a machine shared with other work, it is the figure that noise
cannot inflate.

Run alone with ``bench/run.py --only watch``.
"""

from __future__ import annotations

import http.client
import queue
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "content" / "henan-inspection.yaml"
NAME = SEED.stem
RELOAD_TARGET, PDF_TARGET = 0.300, 1.0


def _events(port: int, into: queue.Queue) -> None:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    connection.request("GET", "/__briefgen__/events")
    from briefgen.watch.server import read_events

    for name, data in read_events(connection.getresponse()):
        into.put((time.perf_counter(), name, data))


def _wait(events: queue.Queue, name: str, test=lambda d: True, timeout: float = 120) -> tuple[float, dict]:
    deadline = time.monotonic() + timeout
    while True:
        left = deadline - time.monotonic()
        if left <= 0:
            raise TimeoutError(f"no {name} event within {timeout} s")
        try:
            when, event, data = events.get(timeout=left)
        except queue.Empty:
            continue
        if event == name and data.get("brief") == NAME and test(data):
            return when, data


def measure(runs: int = 5) -> list[tuple[str, str, str, str]]:
    """Rows for the benchmark table."""
    work = Path(tempfile.mkdtemp(prefix="briefgen-bench-watch-"))
    content = work / "content"
    content.mkdir()
    brief = content / SEED.name
    text = SEED.read_text("utf-8")
    brief.write_text(text, encoding="utf-8")
    if (SEED.parent / "images").is_dir():
        shutil.copytree(SEED.parent / "images", content / "images")
    log = (work / "watch.log").open("w")
    process = subprocess.Popen(
        [sys.executable, "-m", "briefgen", "watch", "content", "--out", "build", "--port", "0"],
        cwd=work, stdout=subprocess.DEVNULL, stderr=log,
    )
    reloads, pdfs, cpu_html, cpu_pdf = [], [], [], []
    try:
        deadline = time.monotonic() + 60
        while not (match := re.search(r"http://127\.0\.0\.1:(\d+)/", (work / "watch.log").read_text())):
            if time.monotonic() > deadline or process.poll() is not None:
                raise RuntimeError("watch did not start:\n" + (work / "watch.log").read_text())
            time.sleep(0.05)
        events: queue.Queue = queue.Queue()
        threading.Thread(target=_events, args=(int(match[1]), events), daemon=True).start()
        _wait(events, "status", lambda d: d["state"] == "built" and "docx" in d["written"])
        summary = re.search(r"^summary: .*$", text, re.MULTILINE)
        assert summary, "the seed brief has a one-line summary"
        for run in range(runs):
            time.sleep(0.5)  # an author pauses between saves
            changed = text.replace(summary[0], summary[0].replace("summary: ", f"summary: (edit {run + 1}) ", 1))
            saved = time.perf_counter()
            brief.write_text(changed, encoding="utf-8")
            when, data = _wait(events, "reload")
            reloads.append(when - saved)
            cpu_html.append(data["cpu_seconds"])
            when, data = _wait(events, "output", lambda d: d["format"] == "pdf")
            pdfs.append(when - saved)
            cpu_pdf.append(data["cpu_seconds"])
            _wait(events, "status", lambda d: d["state"] in ("built", "failed"))
    finally:
        process.terminate()
        process.wait(timeout=30)
        log.close()
        shutil.rmtree(work, ignore_errors=True)
    reload, pdf = statistics.median(reloads), statistics.median(pdfs)
    def spread(values: list[float], cpu: list[float]) -> str:
        return (
            f"min {min(values) * 1000:.0f} / max {max(values) * 1000:.0f} ms; "
            f"the worker's CPU time for it: {statistics.median(cpu) * 1000:.0f} ms"
        )

    return [
        (
            f"watch: save of {SEED.name} -> browser reload event",
            f"{reload * 1000:.0f} ms",
            f"target <= {RELOAD_TARGET * 1000:.0f} ms: {'met' if reload <= RELOAD_TARGET else 'NOT met'}",
            spread(reloads, cpu_html),
        ),
        (
            "watch: same save -> PDF written",
            f"{pdf * 1000:.0f} ms",
            f"target <= {PDF_TARGET * 1000:.0f} ms: {'met' if pdf <= PDF_TARGET else 'NOT met'}",
            spread(pdfs, cpu_pdf),
        ),
    ]
