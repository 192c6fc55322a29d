"""One `briefgen watch` session: the server, the board, the worker, the loop."""

from __future__ import annotations

import threading
import time
from pathlib import Path
from typing import Callable

from ..build import Settings, discover
from ..errors import BriefErrors, Diagnostic
from ..project import PROJECT_FILE
from .board import Board
from .changes import changes
from .server import Preview, serve
from .worker import Worker

NAMES = {"html": "HTML", "pdf": "PDF", "docx": "Word"}


class Session:
    """Watch ``roots``, rebuild through a warm worker, serve the preview."""

    def __init__(
        self,
        roots: list[Path],
        make_settings: Callable[[], Settings],
        *,
        say: Callable[[str], None],
        diagnose: Callable[[Diagnostic], None],
    ):
        self.roots = roots
        self.make_settings = make_settings
        self.settings = make_settings()
        self.say, self.diagnose = say, diagnose
        self.board = Board()
        self.board.set_sources(discover(roots))
        self.stopping = threading.Event()
        self.preview = Preview(self.settings.out_dir, self.board, ", ".join(str(r) for r in roots))
        self._started: dict[str, float] = {}
        self._times: dict[str, list[str]] = {}
        self.worker: Worker | None = None
        self.server = None

    def start(self, port: int) -> str:
        """Listen (OSError if the port is taken), start the worker; the address."""
        self.settings.out_dir.mkdir(parents=True, exist_ok=True)
        self.server = serve(self.preview, port)
        self.worker = Worker(self.settings, self.roots, self._on_event)
        self.worker.request([])
        return f"http://127.0.0.1:{self.server.server_address[1]}/"

    def loop(self) -> None:
        """Until Ctrl-C (or :meth:`stop`): every save, a rebuild."""
        for changed in changes(self._watched(), self.stopping, ignored=self.settings.out_dir):
            self.board.set_sources(discover([r for r in self.roots if r.exists()]))
            if any(path.name == PROJECT_FILE for path in changed) and not self._reload_settings():
                continue
            assert self.worker is not None
            self.worker.request(changed)

    def stop(self) -> None:
        self.stopping.set()
        self.preview.stopping.set()
        if self.worker is not None:
            self.worker.stop()
        if self.server is not None:
            self.server.shutdown()
            self.server.server_close()

    # ----------------------------------------------------------------------

    def _watched(self) -> list[Path]:
        return [*self.roots, *self.settings.layers.folders, Path.cwd() / PROJECT_FILE]

    def _reload_settings(self) -> bool:
        """briefgen.toml changed: a new worker with the new settings."""
        try:
            settings = self.make_settings()
        except BriefErrors as err:
            for diagnostic in err.diagnostics:
                self.diagnose(diagnostic)
            return False
        self.settings = settings
        assert self.worker is not None
        self.worker.stop()
        self.worker = Worker(settings, self.roots, self._on_event)
        self.say(f"{PROJECT_FILE} changed: rebuilding with its new settings")
        return True

    def _on_event(self, message: tuple) -> None:
        kind = message[0]
        if kind == "ready":
            self.say(f"build worker ready (warmed up in {message[1]:.1f} s)")
        elif kind == "started":
            source = Path(message[1])
            self._started[source.stem] = time.perf_counter()
            self._times[source.stem] = []
            self.board.started(source)
        elif kind == "written":
            source, fmt, when, cpu = Path(message[1]), message[2], message[3], message[4]
            self.board.written(source, fmt, when, cpu)
            began = self._started.get(source.stem)
            if began is not None:
                self._times.setdefault(source.stem, []).append(
                    f"{NAMES.get(fmt, fmt)} {time.perf_counter() - began:.2f} s"
                )
        elif kind == "finished":
            source, outcome, diagnostics, notices, seconds = message[1:]
            source = Path(source)
            self.board.finished(source, outcome, diagnostics, seconds)
            for diagnostic in diagnostics:
                self.diagnose(diagnostic)
            for notice in notices:
                self.say(f"warning: {notice}")
            if outcome != "up to date":
                times = ", ".join(self._times.pop(source.stem, []))
                self.say(f"{time.strftime('%H:%M:%S')} {outcome:<10} {source}" + (f"  ({times})" if times else ""))
        elif kind == "crashed":
            self.say(f"error: the build failed unexpectedly (please report it):\n{message[1]}")
        elif kind == "died":
            problem = f"the build worker stopped (exit status {message[1]}); a new one was started"
            self.board.worker_stopped(problem)
            if not self.stopping.is_set():
                self.say(f"error: {problem}")
