"""Hostile content and interruptions: no read outside the project, no request,
no lost work."""

from __future__ import annotations

import hashlib
import http.server
import os
import signal
import subprocess
import sys
import threading
import time
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import ROOT
from docx import Document

from briefgen.cli import main

PNG = (ROOT / "tests" / "fixtures" / "images" / "dot.png")


@pytest.fixture
def canary():
    """A web server on loopback that counts every request it gets."""
    hits: list[str] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 - http.server's naming
            hits.append(self.path)
            self.send_response(200)
            self.send_header("Content-Type", "image/png")
            self.end_headers()
            self.wfile.write(PNG.read_bytes())

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", hits
    server.shutdown()


def build(*args: str):
    return CliRunner().invoke(main, ["build", *args], catch_exceptions=False)


def test_links_and_html_in_content_fetch_nothing(tmp_path, canary):
    url, hits = canary
    brief = tmp_path / "brief.yaml"
    brief.write_text(
        f"""
title: Canary
summary: 'See [the canary]({url}/link) and <img src="{url}/raw-html.png">'
sections:
  - title: A
    body:
      - '<link rel="attachment" href="file:///etc/passwd"> <iframe src="{url}/frame">'
      - '<style>@import "{url}/style.css";</style>'
sources:
  - {{title: Canary, url: "{url}/source"}}
""",
        encoding="utf-8",
    )
    result = build(str(brief), "--out", str(tmp_path / "out"))
    assert result.exit_code == 0, result.output
    time.sleep(0.2)
    assert hits == []
    html = (tmp_path / "out" / "brief.html").read_text("utf-8")
    assert "&lt;img src=" in html and "<img src=\"" + url not in html
    with zipfile.ZipFile(tmp_path / "out" / "brief.docx") as archive:
        assert not any("passwd" in name for name in archive.namelist())
    assert b"root:x:0:0" not in (tmp_path / "out" / "brief.pdf").read_bytes()


@pytest.mark.parametrize(
    "src, message",
    [
        ("/etc/passwd", "absolute path"),
        ("file:///etc/passwd", "is a URL"),
        ("../../../etc/passwd", "leaves the brief's folder"),
        ("http://127.0.0.1:{port}/x.png", "is a URL"),
        ("escape.png", "leads outside"),
        ("zero.png", "leads outside"),
        ("fifo.png", "not a regular file"),
        ("text.png", "not a PNG image"),
    ],
)
def test_figures_cannot_reach_outside(tmp_path, canary, src, message):
    url, hits = canary
    folder = tmp_path / "content"
    folder.mkdir()
    outside = tmp_path / "secret.png"
    outside.write_bytes(PNG.read_bytes())
    (folder / "escape.png").symlink_to(outside)
    (folder / "zero.png").symlink_to("/dev/zero")
    os.mkfifo(folder / "fifo.png")
    (folder / "text.png").write_text("not an image")
    src = src.format(port=url.rsplit(":", 1)[1])
    (folder / "brief.yaml").write_text(
        f"title: T\nsummary: S\nsections:\n  - title: A\n    body:\n      - figure: {{src: '{src}', alt: a dot}}\n"
    )
    started = time.perf_counter()
    result = build(str(folder / "brief.yaml"), "--out", str(tmp_path / "out"))
    assert time.perf_counter() - started < 10
    assert result.exit_code == 1
    assert "brief.yaml:6:23: error: sections[0].body[0].figure.src: " in result.output
    assert message in result.output
    assert "Traceback" not in result.output
    assert hits == []
    assert not (tmp_path / "out" / "brief.pdf").exists()


def test_one_bad_brief_does_not_stop_the_batch(tmp_path):
    folder = tmp_path / "content"
    folder.mkdir()
    (folder / "good.yaml").write_text("title: Good\nsummary: S\nsections: [{title: A, body: [x]}]\n")
    (folder / "bad.yaml").write_text("title: Bad\nsummary: S\nsections: [{title: A, body: [{tabel: x}]}]\n")
    result = build(str(folder), "--out", str(tmp_path / "out"), "--format", "html")
    assert result.exit_code == 1
    assert (tmp_path / "out" / "good.html").exists()
    assert "1 built, 0 up to date, 1 failed" in result.output
    assert "failed: " in result.output and "bad.yaml" in result.output.splitlines()[-1]


def test_missing_template_and_reference_are_clear_errors(tmp_path):
    # A project's templates override the packaged ones file by file: its
    # document.html includes a partial that exists in no layer.
    templates = tmp_path / "templates"
    templates.mkdir()
    (templates / "document.html").write_text('{% include "partials/missing.html" %}\n')
    brief = tmp_path / "brief.yaml"
    brief.write_text("title: T\nsummary: S\nsections: [{title: A, body: [x]}]\n")
    result = build(str(brief), "--out", str(tmp_path / "out"), "--templates", str(templates))
    assert result.exit_code == 1
    assert "error: could not write the PDF: template 'partials/missing.html' not found" in result.output
    assert "Traceback" not in result.output
    # A reference document that is no Word file is caught by the same gate
    # as `briefgen check`, before anything is rendered, naming the file.
    (templates / "reference.docx").write_bytes(b"not a docx")
    docx_only = build(str(brief), "--out", str(tmp_path / "out"), "--templates", str(templates), "--format", "docx")
    assert docx_only.exit_code == 1
    assert f"{brief}:1:1: error: reference_docx: the Word reference document" in docx_only.output
    assert "is not a .docx file" in docx_only.output
    assert "reference.docx" in docx_only.output
    assert "Traceback" not in docx_only.output
    assert not (tmp_path / "out" / "brief.docx").exists()


def test_edited_word_file_survives_and_force_keeps_a_copy(tmp_path):
    brief = tmp_path / "brief.yaml"
    brief.write_text("title: T\nsummary: S\nsections: [{title: A, body: [first text]}]\n")
    out = tmp_path / "out"
    assert build(str(brief), "--out", str(out), "--format", "docx,html").exit_code == 0
    docx = out / "brief.docx"
    document = Document(str(docx))
    document.add_paragraph("An editor's addition.")
    document.save(str(docx))
    edited = docx.read_bytes()

    brief.write_text("title: T\nsummary: S\nsections: [{title: A, body: [second text]}]\n")
    result = build(str(brief), "--out", str(out), "--format", "docx,html")
    assert result.exit_code == 0
    assert docx.read_bytes() == edited
    assert "brief.docx was edited since it was generated" in result.output
    assert "briefgen pull" in result.output
    assert "second text" in (out / "brief.html").read_text("utf-8")

    forced = build(str(brief), "--out", str(out), "--format", "docx,html", "--force")
    assert forced.exit_code == 0
    (kept,) = (out / ".edited").glob("brief-*.docx")
    assert kept.read_bytes() == edited
    assert str(kept) in forced.output
    assert "second text" in "\n".join(p.text for p in Document(str(docx)).paragraphs)


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _start_build(content: Path, out: Path) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "briefgen.cli", "build", str(content), "--out", str(out)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _copy_examples(tmp_path: Path) -> Path:
    import shutil

    # the two version 1 examples, three times over: quick to build, and
    # enough work left after the first write that a signal finds the build
    # still running
    content = tmp_path / "content"
    shutil.copytree(ROOT / "content" / "images", content / "images")
    for name in ("henan-inspection", "solar-system"):
        for copy in range(3):
            shutil.copy(ROOT / "content" / f"{name}.yaml", content / f"{name}-{copy}.yaml")
    return content


def _wait_for_work(process: subprocess.Popen, out: Path, seconds: float = 20) -> None:
    """Wait until the build has started writing (or give up and go on)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline and process.poll() is None:
        if list(out.glob(".*.tmp")) or time.monotonic() > deadline - seconds + 1.5:
            return
        time.sleep(0.02)


@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGINT])
def test_interrupted_build_keeps_previous_outputs(tmp_path, sig):
    content = _copy_examples(tmp_path)
    out = tmp_path / "out"
    first = subprocess.run(
        [sys.executable, "-m", "briefgen.cli", "build", str(content), "--out", str(out)],
        cwd=ROOT, capture_output=True, text=True,
    )
    assert first.returncode == 0, first.stderr
    before = {p.name: _digest(p) for p in out.iterdir() if p.is_file() and not p.name.startswith(".")}
    for brief in content.glob("*.yaml"):
        brief.write_text(brief.read_text("utf-8").replace("title:", "title: Changed", 1), encoding="utf-8")

    process = _start_build(content, out)
    _wait_for_work(process, out)
    process.send_signal(sig)
    stdout, stderr = process.communicate(timeout=60)

    for name, digest in before.items():
        path = out / name
        assert path.exists(), name
        if _digest(path) != digest:  # rebuilt before the signal: must be whole
            data = path.read_bytes()
            if name.endswith(".pdf"):
                assert data.rstrip().endswith(b"%%EOF")
            elif name.endswith(".docx"):
                assert zipfile.ZipFile(path).testzip() is None
            else:
                assert data.rstrip().endswith(b"</html>")
    if sig == signal.SIGINT:
        assert process.returncode == 130, (stdout, stderr)
        assert "interrupted" in stderr and "Traceback" not in stderr
    # the next build finishes the job and leaves no temporary files behind
    again = subprocess.run(
        [sys.executable, "-m", "briefgen.cli", "build", str(content), "--out", str(out)],
        cwd=ROOT, capture_output=True, text=True,
    )
    assert again.returncode == 0, again.stderr
    assert not list(out.glob(".*.tmp"))
