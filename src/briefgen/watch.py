"""`briefgen watch`: rebuild on save, serve the HTML with automatic reload.

The watcher polls modification times (no extra dependency, works on every
file system) and rebuilds through the ordinary incremental build, so only
what changed is rendered.  The server listens on loopback only and serves
the output folder; pages get a tiny reload script injected *while being
served* — the HTML files on disk stay self-contained and script-free.
"""

from __future__ import annotations

import http.server
import threading
import time
from functools import partial
from pathlib import Path
from typing import Callable, Iterable

VERSION_PATH = "/__briefgen__/version"

RELOAD_SCRIPT = b"""<script>
(function () {
  var seen = null;
  setInterval(function () {
    fetch("%s", {cache: "no-store"}).then(function (r) { return r.text(); }).then(function (v) {
      if (seen !== null && v !== seen) { location.reload(); }
      seen = v;
    }).catch(function () {});
  }, 700);
})();
</script>""" % VERSION_PATH.encode()


class Generation:
    """A counter the pages poll: it moves on after every rebuild."""

    def __init__(self) -> None:
        self.value = 0
        self.lock = threading.Lock()

    def bump(self) -> None:
        with self.lock:
            self.value += 1


def snapshot(paths: Iterable[Path]) -> dict[Path, tuple[int, int]]:
    """(mtime, size) of every file under ``paths``."""
    state: dict[Path, tuple[int, int]] = {}
    for root in paths:
        files = [root] if root.is_file() else (p for p in root.rglob("*") if p.is_file())
        for path in files:
            try:
                stat = path.stat()
            except OSError:
                continue
            state[path] = (stat.st_mtime_ns, stat.st_size)
    return state


def watch_loop(
    watched: list[Path],
    rebuild: Callable[[], None],
    *,
    interval: float = 0.4,
    stop: threading.Event | None = None,
) -> None:
    """Call ``rebuild`` once, then again whenever a watched file changes."""
    stop = stop or threading.Event()
    rebuild()
    before = snapshot(watched)
    while not stop.wait(interval):
        now = snapshot(watched)
        if now != before:
            time.sleep(0.1)  # let an editor finish writing the file
            before = snapshot(watched)
            rebuild()


class _Handler(http.server.SimpleHTTPRequestHandler):
    generation: Generation

    def __init__(self, *args, generation: Generation, **kwargs):
        self.generation = generation
        super().__init__(*args, **kwargs)

    def do_GET(self) -> None:  # noqa: N802 - http.server's naming
        if self.path == VERSION_PATH:
            body = str(self.generation.value).encode()
            self._send(200, "text/plain", body)
            return
        target = Path(self.translate_path(self.path))
        if target.suffix == ".html" and target.is_file():
            html = target.read_bytes()
            marker = b"</body>"
            html = html.replace(marker, RELOAD_SCRIPT + marker, 1) if marker in html else html + RELOAD_SCRIPT
            self._send(200, "text/html; charset=utf-8", html)
            return
        super().do_GET()

    def _send(self, status: int, kind: str, body: bytes) -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args) -> None:  # noqa: A002 - http.server's signature
        pass


def serve(folder: Path, port: int, generation: Generation) -> http.server.ThreadingHTTPServer:
    """Serve ``folder`` on 127.0.0.1:``port`` (0: any free port) in a thread."""
    folder.mkdir(parents=True, exist_ok=True)
    handler = partial(_Handler, directory=str(folder), generation=generation)
    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server
