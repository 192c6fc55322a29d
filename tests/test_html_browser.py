"""The shipped HTML page in a real headless browser, at phone and desktop widths.

A copy of the page gets a tiny script that writes what the layout did
into the DOM; ``--dump-dom`` then hands it back.  Headless Chromium will
not make a window narrower than 500 px, so the page is shown in an
``iframe`` of the width under test (a ``srcdoc`` frame, which the outer
page may read).  Skipped where no Chromium is installed.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import tempfile
from html import escape
from pathlib import Path

import pytest

from briefgen.read import load_brief
from briefgen.writers.html import render_html

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = next((p for p in (shutil.which("chromium"), shutil.which("chromium-browser")) if p), None)

pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="no chromium browser installed")

PROBE = """<script>
window.addEventListener("load", function () {
  var root = document.documentElement, contents = document.querySelector(".contents");
  var main = document.querySelector(".body"), box = contents.getBoundingClientRect();
  var report = {
    viewport: window.innerWidth,
    scrollWidth: root.scrollWidth,
    contentsPosition: getComputedStyle(contents).position,
    contentsRight: box.right,
    bodyLeft: main.getBoundingClientRect().left,
    bodyFont: parseFloat(getComputedStyle(main.querySelector("p")).fontSize),
    external: Array.from(document.querySelectorAll("[src],link[href]"))
      .map(function (e) { return e.getAttribute("src") || e.getAttribute("href"); })
      .filter(function (u) { return !/^(data:|#)/.test(u); })
  };
  window.parent.document.getElementById("layout-report").textContent = JSON.stringify(report);
});
</script>"""

FRAME = """<!DOCTYPE html><html><head><meta charset="utf-8"></head><body style="margin:0">
<pre id="layout-report"></pre>
<iframe style="width:{width}px;height:2400px;border:0" srcdoc="{page}"></iframe>
</body></html>"""


def _browser_report(html: str, width: int) -> dict:
    with tempfile.TemporaryDirectory() as folder:
        page = Path(folder) / "brief.html"
        probed = html.replace("</body>", PROBE + "</body>")
        page.write_text(FRAME.format(width=width, page=escape(probed, quote=True)), encoding="utf-8")
        result = subprocess.run(
            [
                CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", f"--user-data-dir={folder}/profile", "--hide-scrollbars",
                f"--window-size={width + 40},2400", "--run-all-compositor-stages-before-draw",
                "--virtual-time-budget=3000", "--dump-dom", page.as_uri(),
            ],
            capture_output=True, text=True, timeout=60, check=False,
        )
    match = re.search(r'<pre id="layout-report">(.+?)</pre>', result.stdout, re.DOTALL)
    assert match, result.stderr[-2000:]
    return json.loads(match[1].replace("&quot;", '"').replace("&amp;", "&"))


@pytest.fixture(scope="module")
def page() -> str:
    brief = load_brief(ROOT / "content" / "solar-system.yaml")
    return render_html(brief, templates=ROOT / "src" / "briefgen" / "templates", media="screen")


def test_phone_width_has_no_horizontal_overflow(page: str) -> None:
    report = _browser_report(page, 390)
    assert report["viewport"] == 390
    assert report["scrollWidth"] <= report["viewport"]
    assert report["contentsPosition"] != "sticky"  # contents sits above the text
    assert report["bodyFont"] >= 15  # readable without zooming
    assert report["external"] == []


def test_desktop_width_has_a_contents_sidebar(page: str) -> None:
    report = _browser_report(page, 1280)
    assert report["scrollWidth"] <= report["viewport"]
    assert report["contentsPosition"] == "sticky"
    assert report["contentsRight"] <= report["bodyLeft"]  # beside the text, to its left
