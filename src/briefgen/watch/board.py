"""Each brief's last build, and the events the open pages listen to.

The worker's messages come in on one thread; page requests and event
streams are served on others.  The board is the one place they meet,
behind a lock: every change is published to the subscribed streams as a
server-sent event (``reload`` when a brief's HTML was rewritten,
``output`` when its PDF or Word file was, ``status`` when its state
changed).
"""

from __future__ import annotations

import json
import queue
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import Diagnostic

Event = tuple[str, str]  # (event name, JSON data)


@dataclass
class BriefState:
    """What the preview knows about one brief."""

    name: str
    source: str
    state: str = "waiting"  # waiting, building, built, up to date, failed
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    written: dict[str, float] = field(default_factory=dict)  # format -> when (epoch seconds)
    finished: float | None = None
    seconds: float = 0.0
    version: int = 0  # moves on each time the HTML is rewritten

    def as_dict(self) -> dict:
        return {
            "brief": self.name,
            "source": self.source,
            "state": self.state,
            "errors": self.errors,
            "warnings": self.warnings,
            "written": self.written,
            "finished": self.finished,
            "seconds": round(self.seconds, 3),
            "version": self.version,
        }


class Board:
    """Every brief's state; thread-safe; publishes each change."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._briefs: dict[str, BriefState] = {}
        self._listeners: list[queue.SimpleQueue[Event]] = []
        self.worker_problem = ""  # set when the build worker stopped unexpectedly

    # -- what the pages read ------------------------------------------------

    def names(self) -> list[str]:
        with self._lock:
            return list(self._briefs)

    def get(self, name: str) -> dict | None:
        with self._lock:
            state = self._briefs.get(name)
            return state.as_dict() if state else None

    def all(self) -> list[dict]:
        with self._lock:
            return [state.as_dict() for state in self._briefs.values()]

    def subscribe(self) -> queue.SimpleQueue[Event]:
        events: queue.SimpleQueue[Event] = queue.SimpleQueue()
        with self._lock:
            self._listeners.append(events)
        return events

    def unsubscribe(self, events: queue.SimpleQueue[Event]) -> None:
        with self._lock:
            if events in self._listeners:
                self._listeners.remove(events)

    # -- what the build reports ---------------------------------------------

    def set_sources(self, sources: list[Path]) -> None:
        """The briefs being watched, now (new ones appear, removed ones go)."""
        with self._lock:
            wanted = {path.stem: path for path in sources}
            for name in list(self._briefs):
                if name not in wanted:
                    del self._briefs[name]
            for name, path in wanted.items():
                if name not in self._briefs:
                    self._briefs[name] = BriefState(name, str(path))
            self._briefs = dict(sorted(self._briefs.items()))

    def started(self, source: Path) -> None:
        self._update(source, "status", state="building")

    def written(self, source: Path, fmt: str, when: float, cpu: float = 0.0) -> None:
        """``fmt`` was written at ``when``, ``cpu`` seconds of the worker's
        CPU time after the build was asked for."""
        with self._lock:
            state = self._state(source)
            state.written[fmt] = when
            if fmt == "html":
                state.version += 1
                # the new page is a good one: the overlay goes with the reload
                state.errors = []
            data = state.as_dict() | {"format": fmt, "cpu_seconds": round(cpu, 4)}
        self._publish("reload" if fmt == "html" else "output", data)

    def finished(self, source: Path, outcome: str, diagnostics: list[Diagnostic], seconds: float) -> None:
        errors = [d.format() for d in diagnostics if d.severity == "error"]
        warnings = [d.format() for d in diagnostics if d.severity != "error"]
        if outcome == "up to date":
            with self._lock:
                state = self._state(source)
                if state.state in ("built", "failed"):
                    return  # nothing new: keep the last real build on show
            self._update(source, "status", state=outcome)
            return
        self._update(
            source, "status", state=outcome, errors=errors, warnings=warnings,
            finished=time.time(), seconds=seconds,
        )

    def worker_stopped(self, message: str) -> None:
        """The build process died: every brief being built shows why."""
        with self._lock:
            self.worker_problem = message
            building = [s for s in self._briefs.values() if s.state == "building"]
        for state in building:
            self._update(Path(state.source), "status", state="failed", errors=[message])

    # -- internals ----------------------------------------------------------

    def _state(self, source: Path) -> BriefState:
        name = Path(source).stem
        if name not in self._briefs:
            self._briefs[name] = BriefState(name, str(source))
        return self._briefs[name]

    def _update(self, source: Path, event: str, **changes) -> None:
        with self._lock:
            state = self._state(source)
            for key, value in changes.items():
                setattr(state, key, value)
            data = state.as_dict()
        self._publish(event, data)

    def _publish(self, event: str, data: dict) -> None:
        text = json.dumps(data, ensure_ascii=False)
        with self._lock:
            listeners = list(self._listeners)
        for listener in listeners:
            listener.put((event, text))
