"""The warm build process behind `briefgen watch`.

A new process pays ~0.7 s of imports and ~0.25 s of first-render warm-up
before it lays out a page; the preview pays that once.  The worker imports
the writers and renders a throw-away starter brief (every block kind, in
every format) before it reports ready, then builds on request through the
ordinary incremental build, HTML first.  It tells the parent about each
output the moment it is written, so the browser reloads on the HTML while
the PDF is still being laid out.  A newer request (the writer saved again)
abandons the PDF and Word file of the previous one: they would be stale.

It is a separate process, not a thread, so that a layout hogging the CPU
or crashing in a C library never stalls or kills the preview server; the
parent starts a new one if it dies.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import signal
import tempfile
import threading
import time
import traceback
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Callable

from ..build import Result, Settings, discover, run

ORDER = ("html", "pdf", "docx")


class Superseded(Exception):
    """A newer request arrived: stop this build where it is."""


def html_first(formats: tuple[str, ...]) -> tuple[str, ...]:
    """The formats in the order a writer wants them: the page they look at first."""
    return tuple(sorted(formats, key=lambda fmt: ORDER.index(fmt) if fmt in ORDER else len(ORDER)))


# --------------------------------------------------------------------------
# In the worker process
# --------------------------------------------------------------------------


def warm_up(settings: Settings) -> float:
    """Render a starter brief in memory in every format; seconds taken."""
    from .. import build
    from ..read import load_brief
    from ..starter import starter_text

    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="briefgen-warm-") as folder:
        path = Path(folder) / "warm-up.yaml"
        path.write_text(starter_text("warm-up"), encoding="utf-8")
        brief = load_brief(path)
        look = settings.presentation(brief)
        try:
            build._render_html(brief, settings, "screen", look)
            if "pdf" in settings.formats:
                build._render_pdf(brief, settings, look)
            if "docx" in settings.formats:
                build._render_docx(brief, settings, look)
        except Exception:  # noqa: BLE001 - a broken template shows up in the real build
            pass
    return time.perf_counter() - started


def serve_requests(requests: Connection, events: Connection, settings: Settings, roots: list[Path], parent: int) -> None:
    """The worker's main loop (the target of the spawned process)."""
    from ..build import _exit_with_parent

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    threading.Thread(target=_exit_with_parent, args=(parent,), daemon=True).start()
    events.send(("ready", warm_up(settings)))
    gc.collect()
    gc.freeze()  # the warmed-up modules and caches: never scanned again
    while True:
        try:
            message = requests.recv()
        except (EOFError, OSError):
            return
        changed: list[str] = []
        while True:
            if message[0] == "stop":
                return
            changed += message[1]
            if not requests.poll():
                break
            message = requests.recv()
        gc.disable()  # collect while the writer reads, not while they wait for the page
        try:
            _build(requests, events, settings, roots, changed)
        except Superseded:
            events.send(("superseded",))
        except Exception:  # noqa: BLE001 - report it, stay alive for the next save
            events.send(("crashed", traceback.format_exc(limit=8)))
        finally:
            gc.enable()
        events.send(("idle",))
        gc.collect()


def _build(requests: Connection, events: Connection, settings: Settings, roots: list[Path], changed: list[str]) -> None:
    sources = discover(roots)
    first = {Path(path).resolve() for path in changed}
    sources.sort(key=lambda source: source.resolve() not in first)  # what was saved first

    last = html_first(settings.formats)[-1]
    cpu = time.process_time()

    def on_output(source: Path, fmt: str, path: Path) -> None:
        # the worker's CPU time since the request: what a busy machine cannot inflate
        events.send(("written", str(source), fmt, time.time(), time.process_time() - cpu))
        if fmt != last and requests.poll():
            raise Superseded  # the rest of this brief is stale already

    def report(result: Result) -> None:
        events.send(("finished", str(result.source), result.outcome, result.diagnostics, result.notices, result.seconds))

    run(sources, settings, report=report, starting=lambda s: events.send(("started", str(s))), on_output=on_output)


# --------------------------------------------------------------------------
# In the parent
# --------------------------------------------------------------------------


class Worker:
    """The parent's handle on the worker process; restarts it if it dies."""

    def __init__(self, settings: Settings, roots: list[Path], on_event: Callable[[tuple], None]):
        self.settings = settings
        self.roots = roots
        self.on_event = on_event
        self._stopping = False
        self._lock = threading.Lock()
        self._start()

    def _start(self) -> None:
        context = multiprocessing.get_context("spawn")
        requests_in, self._requests = context.Pipe(duplex=False)
        self._events, events_out = context.Pipe(duplex=False)
        self.process = context.Process(
            target=serve_requests,
            args=(requests_in, events_out, self.settings, self.roots, os.getpid()),
            name="briefgen-watch-worker",
            daemon=True,
        )
        self.process.start()
        requests_in.close()
        events_out.close()
        threading.Thread(target=self._read, args=(self._events, self.process), daemon=True).start()

    def request(self, changed: list[Path]) -> None:
        """Build again (``changed`` first); a build under way gives way."""
        with self._lock:
            try:
                self._requests.send(("build", [str(path) for path in changed]))
            except (BrokenPipeError, OSError):
                pass  # the reader restarts the worker and asks for a full build

    def stop(self, timeout: float = 5.0) -> None:
        self._stopping = True
        with self._lock:
            try:
                self._requests.send(("stop",))
            except (BrokenPipeError, OSError):
                pass
        self.process.join(timeout)
        if self.process.is_alive():
            self.process.terminate()
            self.process.join(timeout)

    def _read(self, events: Connection, process) -> None:
        while True:
            try:
                message = events.recv()
            except (EOFError, OSError):
                break
            self.on_event(message)
        process.join(1)
        if self._stopping:
            return
        self.on_event(("died", process.exitcode))
        with self._lock:
            self._start()
        self.request([])
