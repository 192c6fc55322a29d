"""The preview's HTTP server: loopback only, and only what a writer needs.

``/`` lists every brief with links to its HTML, PDF and Word file and its
last build's status; ``/NAME.html|pdf|docx`` are a watched brief's
outputs (the HTML with the preview script added as it is served);
``/__briefgen__/events`` is the event stream the pages listen to and
``/__briefgen__/status`` the same state as JSON.  Nothing else in the
output folder (the manifest, backups, stray files) is served, and no
directory is ever listed.  Requests naming another host are refused, so a
web page elsewhere cannot read the preview through DNS rebinding.
"""

from __future__ import annotations

import datetime as dt
import http.server
import json
import queue
import threading
from functools import lru_cache
from importlib.resources import files
from pathlib import Path
from typing import Iterator
from urllib.parse import urlsplit

from jinja2 import Environment, StrictUndefined

from .board import Board

EVENTS = "/__briefgen__/events"
STATUS = "/__briefgen__/status"
FORMATS = (("html", "HTML"), ("pdf", "PDF"), ("docx", "Word"))
TYPES = {
    "html": "text/html; charset=utf-8",
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}
KEEP_ALIVE = 10.0  # seconds between comments on an idle event stream

PLACEHOLDER = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{name}</title></head>
<body style="font: 16px/1.5 system-ui, sans-serif; margin: 2rem">
<p>{name} has not been built yet. It appears here as soon as it builds.</p>
</body></html>"""


@lru_cache(maxsize=4)
def _asset(name: str) -> str:
    return (files("briefgen.watch") / "assets" / name).read_text(encoding="utf-8")


@lru_cache(maxsize=1)
def _index_template():
    env = Environment(autoescape=True, undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    return env.from_string(_asset("index.html"))


class Preview:
    """What the handler serves from: the output folder and the board."""

    def __init__(self, out_dir: Path, board: Board, watching: str):
        self.out_dir = out_dir
        self.board = board
        self.watching = watching
        self.stopping = threading.Event()

    def output(self, name: str, fmt: str) -> Path | None:
        if name not in self.board.names():
            return None
        path = self.out_dir / f"{name}.{fmt}"
        return path if path.is_file() else None

    def index(self) -> str:
        briefs = []
        for brief in self.board.all():
            finished = brief["finished"]
            brief["finished_text"] = (
                dt.datetime.fromtimestamp(finished).strftime("at %H:%M:%S") + f" in {brief['seconds']:.1f} s"
                if finished else ""
            )
            brief["files"] = {fmt: self.output(brief["brief"], fmt) is not None for fmt, _ in FORMATS}
            briefs.append(brief)
        return _index_template().render(
            briefs=briefs, formats=FORMATS, watching=self.watching,
            problem=self.board.worker_problem, events_url=EVENTS,
        )

    def page(self, name: str) -> bytes:
        """The brief's HTML (or a placeholder) with the preview script."""
        path = self.output(name, "html")
        html = path.read_text("utf-8") if path else PLACEHOLDER.format(name=name)
        status = self.board.get(name) or {}
        config = {"brief": name, "events": EVENTS, "status": status, "version": status.get("version", 0)}
        # JSON in a script: '<' escaped, so no text in it can end the element
        data = json.dumps(config, ensure_ascii=False).replace("<", "\\u003c")
        script = f"<script>window.briefgenPreview = {data};</script>\n<script>{_asset('preview.js')}</script>\n"
        marker = "</body>"
        at = html.rfind(marker)
        html = html[:at] + script + html[at:] if at >= 0 else html + script
        return html.encode("utf-8")


class Handler(http.server.BaseHTTPRequestHandler):
    preview: Preview  # set on the subclass made by serve()
    server_version = "briefgen-watch"

    def do_GET(self) -> None:  # noqa: N802 - http.server's naming
        if not self._local_host():
            self._send(403, "text/plain; charset=utf-8", b"briefgen watch answers on 127.0.0.1 only\n")
            return
        path = urlsplit(self.path).path
        if path == "/":
            self._send(200, TYPES["html"], self.preview.index().encode("utf-8"))
        elif path == STATUS:
            self._send(200, "application/json", json.dumps(self.preview.board.all()).encode("utf-8"))
        elif path == EVENTS:
            self._stream()
        else:
            self._output(path.lstrip("/"))

    def _output(self, filename: str) -> None:
        name, dot, fmt = filename.rpartition(".")
        known = dot and "/" not in name and fmt in TYPES and name in self.preview.board.names()
        if not known:
            self._send(404, "text/plain; charset=utf-8", b"not found: this preview serves the briefs listed at /\n")
        elif fmt == "html":
            self._send(200, TYPES["html"], self.preview.page(name))
        else:
            path = self.preview.output(name, fmt)
            if path is None:
                self._send(404, "text/plain; charset=utf-8", f"{name}.{fmt} has not been built yet\n".encode())
            else:
                self._send(200, TYPES[fmt], path.read_bytes(), download=path.name if fmt == "docx" else None)

    def _stream(self) -> None:
        """Server-sent events until the page goes away or the server stops."""
        events = self.preview.board.subscribe()
        try:
            self.send_response(200)
            self.send_header("Content-Type", "text/event-stream")
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            self.wfile.write(b"retry: 500\n\n")
            self.wfile.flush()
            while not self.preview.stopping.is_set():
                try:
                    name, data = events.get(timeout=KEEP_ALIVE)
                except queue.Empty:
                    self.wfile.write(b": still here\n\n")
                else:
                    self.wfile.write(f"event: {name}\ndata: {data}\n\n".encode("utf-8"))
                self.wfile.flush()
        except (BrokenPipeError, ConnectionResetError, OSError):
            pass
        finally:
            self.preview.board.unsubscribe(events)

    def _local_host(self) -> bool:
        host = (self.headers.get("Host") or "").rsplit(":", 1)[0].strip("[]").lower()
        return host in ("127.0.0.1", "localhost", "::1", "")

    def _send(self, status: int, kind: str, body: bytes, download: str | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.send_header("X-Content-Type-Options", "nosniff")
        if download:
            self.send_header("Content-Disposition", f'attachment; filename="{download}"')
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args) -> None:  # noqa: A002 - http.server's signature
        pass


def read_events(lines) -> "Iterator[tuple[str, dict]]":
    """(name, data) of each event in a stream of raw lines: what a page's
    EventSource sees (for the tests and the benchmark, which listen too)."""
    name, data = "", ""
    for raw in lines:
        line = raw.decode("utf-8").rstrip("\n")
        if line.startswith("event: "):
            name = line[7:]
        elif line.startswith("data: "):
            data = line[6:]
        elif not line and name:
            yield name, json.loads(data)
            name, data = "", ""


def serve(preview: Preview, port: int) -> http.server.ThreadingHTTPServer:
    """Serve ``preview`` on 127.0.0.1:``port`` (0: any free port) in a thread."""
    handler = type("PreviewHandler", (Handler,), {"preview": preview})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, name="briefgen-watch-server", daemon=True).start()
    return server
