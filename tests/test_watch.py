"""`briefgen watch`: the preview page, the reload order and the error overlay.

One watch process (loopback, a free port) serves a temporary project for
the whole module; every wait is bounded.  The browser tests drive headless
Chromium through the DevTools protocol (tests/cdp.py) and are skipped
where no Chromium is installed.
"""

from __future__ import annotations

import http.client
import json
import queue
import re
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from cdp import CHROMIUM, Browser

from briefgen.watch.board import Board
from briefgen.watch.changes import changes
from briefgen.watch.server import read_events
from briefgen.watch.worker import html_first

BRIEF = """\
title: {title}
summary: {summary}
sections:
  - title: Only section
    body:
      - A paragraph.
"""

BROKEN = """\
title: Alpha
sumary: The key is misspelt.
sections:
  - title: Only section
    body:
      - A paragraph.
"""


class Events:
    """The preview's event stream, read in a thread; each event timestamped."""

    def __init__(self, address: str):
        host, port = re.match(r"http://([\d.]+):(\d+)/", address).groups()
        self.connection = http.client.HTTPConnection(host, int(port), timeout=60)
        self.connection.request("GET", "/__briefgen__/events")
        self.response = self.connection.getresponse()
        assert self.response.getheader("Content-Type") == "text/event-stream"
        self.queue: queue.Queue[tuple[float, str, dict]] = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        try:
            for name, data in read_events(self.response):
                self.queue.put((time.perf_counter(), name, data))
        except (OSError, ValueError):
            pass

    def wait(self, name: str, brief: str, test=lambda data: True, timeout: float = 60) -> tuple[float, dict]:
        deadline = time.monotonic() + timeout
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                raise AssertionError(f"no '{name}' event for {brief} within {timeout} s")
            try:
                when, event, data = self.queue.get(timeout=left)
            except queue.Empty:
                continue
            if event == name and data.get("brief") == brief and test(data):
                return when, data

    def close(self) -> None:
        self.connection.close()


def _get(url: str, host: str | None = None) -> tuple[int, str]:
    request = urllib.request.Request(url, headers={"Host": host} if host else {})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as err:
        return err.code, err.read().decode("utf-8", "replace")


def _status(address: str) -> dict[str, dict]:
    return {entry["brief"]: entry for entry in json.loads(_get(address + "__briefgen__/status")[1])}


def _wait_built(address: str, names: list[str], timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        status = _status(address)
        if all(status.get(n, {}).get("state") == "built" and len(status[n]["written"]) == 3 for n in names):
            return
        time.sleep(0.1)
    raise AssertionError(f"not built within {timeout} s: {_status(address)}")


@pytest.fixture(scope="module")
def preview(tmp_path_factory):
    root = tmp_path_factory.mktemp("watched")
    content = root / "content"
    content.mkdir()
    (content / "alpha.yaml").write_text(BRIEF.format(title="Alpha", summary="First version."))
    (content / "beta.yaml").write_text(BRIEF.format(title="Beta", summary="Beta's summary."))
    log = (root / "watch.log").open("w")
    process = subprocess.Popen(
        [sys.executable, "-m", "briefgen", "watch", "--port", "0"],
        cwd=root, stderr=log, stdout=subprocess.DEVNULL, text=True,
    )
    try:
        deadline = time.monotonic() + 30
        while not (match := re.search(r"http://127\.0\.0\.1:\d+/", (root / "watch.log").read_text())):
            assert time.monotonic() < deadline and process.poll() is None, (root / "watch.log").read_text()
            time.sleep(0.05)
        address = match.group(0)
        _wait_built(address, ["alpha", "beta"])
        yield root, address
    finally:
        process.terminate()
        process.wait(timeout=20)


def test_the_root_page_lists_every_brief_with_its_files_and_status(preview):
    root, address = preview
    status, page = _get(address)
    assert status == 200
    rows = re.findall(r'<tr class="brief ([\w-]+)" data-brief="(\w+)">(.*?)</tr>', page, re.DOTALL)
    assert [(state, name) for state, name, _ in rows] == [("built", "alpha"), ("built", "beta")]
    for _, name, row in rows:
        for fmt, label in (("html", "HTML"), ("pdf", "PDF"), ("docx", "Word")):
            assert f'<a class="{fmt}" href="{name}.{fmt}">{label}</a>' in row
        assert re.search(r'<span class="when">at \d\d:\d\d:\d\d in \d+\.\d s</span>', row)
    assert "manifest" not in page and "Directory listing" not in page


def test_nothing_internal_is_served(preview):
    root, address = preview
    assert (root / "build" / ".briefgen-manifest.json").exists()
    for path in (".briefgen-manifest.json", "build/", "alpha.yaml", "../content/alpha.yaml", "%2e%2e/content/alpha.yaml", "gamma.html", "alpha.txt"):
        assert _get(address + path)[0] == 404, path
    assert _get(address, host="attacker.example:80")[0] == 403  # DNS rebinding
    status, pdf = _get(address + "alpha.pdf")
    assert status == 200 and pdf.startswith("%PDF-")


def test_a_page_gets_the_preview_script_only_as_served(preview):
    root, address = preview
    status, page = _get(address + "alpha.html")
    assert status == 200 and "First version." in page
    config = json.loads(re.search(r"window\.briefgenPreview = (\{.*?\});</script>", page).group(1))
    assert config["brief"] == "alpha" and config["status"]["state"] == "built" and config["status"]["errors"] == []
    assert "<script" not in (root / "build" / "alpha.html").read_text("utf-8")


def test_a_save_reloads_on_the_html_before_the_pdf_and_the_word_file(preview):
    root, address = preview
    events = Events(address)
    try:
        pdf = root / "build" / "alpha.pdf"
        pdf_before = pdf.stat().st_mtime_ns
        saved = time.perf_counter()
        (root / "content" / "alpha.yaml").write_text(BRIEF.format(title="Alpha", summary="Second version."))
        reloaded, data = events.wait("reload", "alpha")
        # at the reload the new HTML is on disk and the PDF is still the old one
        assert "Second version." in (root / "build" / "alpha.html").read_text("utf-8")
        assert pdf.stat().st_mtime_ns == pdf_before
        assert data["state"] == "building" and data["errors"] == []
        pdf_at, _ = events.wait("output", "alpha", lambda d: d["format"] == "pdf")
        docx_at, _ = events.wait("output", "alpha", lambda d: d["format"] == "docx")
        assert saved < reloaded < pdf_at < docx_at
        assert pdf.stat().st_mtime_ns != pdf_before
        _, done = events.wait("status", "alpha", lambda d: d["state"] == "built")
        assert set(done["written"]) == {"html", "pdf", "docx"}
    finally:
        events.close()


@pytest.mark.skipif(CHROMIUM is None, reason="no chromium browser installed")
def test_a_failed_build_shows_its_errors_over_the_last_good_page_until_fixed(preview, tmp_path):
    root, address = preview
    brief = root / "content" / "alpha.yaml"
    brief.write_text(BRIEF.format(title="Alpha", summary="Good version."))
    overlay = "(document.querySelector('briefgen-errors') || {shadowRoot: {textContent: ''}}).shadowRoot.textContent"
    with Browser() as browser:
        browser.go(address + "alpha.html")
        browser.wait_for("document.body.innerText.includes('Good version.')")
        assert browser.eval(overlay) == ""

        brief.write_text(BROKEN)
        try:
            text = browser.wait_for(f"{overlay}.includes('did not build') && {overlay}")
        except Exception:
            print("status:", _status(address), "\nwatch's output:", (root / "watch.log").read_text(), flush=True)
            raise
        assert "content/alpha.yaml:2:1: error: sumary: unknown key 'sumary'" in text
        assert browser.eval("document.body.innerText.includes('Good version.')")  # the last good page
        box = browser.eval("JSON.stringify(document.querySelector('briefgen-errors').shadowRoot.querySelector('.panel').getBoundingClientRect())")
        assert json.loads(box)["top"] == 0 and json.loads(box)["height"] > 40
        browser.screenshot(str(tmp_path / "overlay.png"))

        # a page opened while the brief is broken shows the errors at once
        browser.go(address + "alpha.html")
        assert "unknown key 'sumary'" in browser.wait_for(overlay)

        # the root page says so too
        browser.go(address)
        row = browser.wait_for("(document.querySelector('tr[data-brief=alpha]') || {}).innerText")
        assert "failed" in row and "content/alpha.yaml:2:1: error:" in row

        browser.go(address + "alpha.html")
        brief.write_text(BRIEF.format(title="Alpha", summary="Fixed version."))
        browser.wait_for("document.body.innerText.includes('Fixed version.')")
        assert browser.eval("document.querySelector('briefgen-errors')") is None


@pytest.mark.skipif(CHROMIUM is None, reason="no chromium browser installed")
def test_the_root_page_follows_the_builds_in_the_browser(preview):
    root, address = preview
    with Browser() as browser:
        browser.go(address)
        links = browser.eval("Array.from(document.querySelectorAll('tr[data-brief=beta] a')).map(a => a.getAttribute('href'))")
        assert links == ["beta.html", "beta.html", "beta.pdf", "beta.docx"]
        stamp = browser.eval("document.querySelector('tr[data-brief=beta] .when').textContent")
        time.sleep(1.1)  # the finishing time shown has a resolution of a second
        (root / "content" / "beta.yaml").write_text(BRIEF.format(title="Beta", summary="Beta, again."))
        browser.wait_for(
            f"(document.querySelector('tr[data-brief=beta] .when') || {{}}).textContent !== {json.dumps(stamp)}"
            " && document.querySelector('tr[data-brief=beta]').className === 'brief built'"
        )


def test_html_comes_first_whatever_the_order_asked():
    assert html_first(("docx", "pdf", "html")) == ("html", "pdf", "docx")
    assert html_first(("pdf",)) == ("pdf",)


def test_changes_are_seen_once_and_outputs_are_ignored(tmp_path):
    (tmp_path / "content").mkdir()
    brief = tmp_path / "content" / "a.yaml"
    brief.write_text("one")
    out = tmp_path / "content" / "build"
    out.mkdir()
    stop = threading.Event()
    seen: list[list[Path]] = []

    def collect():
        for found in changes([tmp_path / "content"], stop, ignored=out):
            seen.append(found)

    thread = threading.Thread(target=collect, daemon=True)
    thread.start()
    time.sleep(0.2)
    (out / "a.html").write_text("output")  # not a reason to rebuild
    time.sleep(0.3)
    brief.write_text("two, longer")
    deadline = time.monotonic() + 5
    while not seen and time.monotonic() < deadline:
        time.sleep(0.02)
    stop.set()
    thread.join(2)
    assert seen == [[brief]]


def test_board_publishes_reload_then_status_and_clears_errors_on_a_good_page(tmp_path):
    from briefgen.errors import Diagnostic

    board = Board()
    source = tmp_path / "x.yaml"
    board.set_sources([source])
    events = board.subscribe()
    board.started(source)
    board.finished(source, "failed", [Diagnostic(source, 3, 5, "error", "bad")], 0.1)
    assert board.get("x")["errors"] == [f"{source}:3:5: error: bad"]
    board.started(source)
    board.written(source, "html", time.time())
    assert board.get("x")["errors"] == [] and board.get("x")["version"] == 1
    names = [events.get_nowait()[0] for _ in range(4)]
    assert names == ["status", "status", "status", "reload"]
