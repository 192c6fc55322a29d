"""Authoring comfort: the starter brief, the schema file, and watch."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import time
import urllib.request

from click.testing import CliRunner
from conftest import ROOT

from briefgen import spec
from briefgen.cli import main
from briefgen.lint import lint
from briefgen.read import load_brief


def test_new_writes_a_valid_starter_with_every_block_kind(tmp_path):
    result = CliRunner().invoke(main, ["new", "my-brief", "--folder", str(tmp_path)])
    assert result.exit_code == 0, result.output
    path = tmp_path / "my-brief.yaml"
    text = path.read_text("utf-8")
    assert text.startswith("# yaml-language-server: $schema=brief.schema.json\n")
    schema = json.loads((tmp_path / "brief.schema.json").read_text("utf-8"))
    assert schema == spec.json_schema()
    brief = load_brief(path)
    assert [d.path for d in lint(brief)] == ["sections[1].body[2].todo"]
    used = set(re.findall(r"^\s*(?:- |#\s*- )(\w+):", text, re.MULTILINE))
    assert set(spec.BLOCK_KINDS) - {"paragraph"} <= used
    assert len(text.splitlines()) < 120


def test_new_refuses_to_overwrite_and_bad_names(tmp_path):
    (tmp_path / "taken.yaml").write_text("title: mine\n")
    taken = CliRunner().invoke(main, ["new", "taken", "--folder", str(tmp_path)])
    assert taken.exit_code == 2 and "already exists" in taken.output
    assert (tmp_path / "taken.yaml").read_text() == "title: mine\n"
    assert CliRunner().invoke(main, ["new", "Bad Name", "--folder", str(tmp_path)]).exit_code == 2


def test_schema_output_file_matches(tmp_path):
    out = tmp_path / "schema.json"
    assert CliRunner().invoke(main, ["schema", "--output", str(out)]).exit_code == 0
    assert json.loads(out.read_text("utf-8")) == spec.json_schema()


def test_committed_schema_is_current():
    """content/brief.schema.json (what the examples point at) is never stale."""
    committed = json.loads((ROOT / "content" / "brief.schema.json").read_text("utf-8"))
    assert committed == spec.json_schema(), "run: briefgen schema -o content/brief.schema.json"


def _get(url: str) -> str:
    with urllib.request.urlopen(url, timeout=5) as response:
        return response.read().decode("utf-8")


def test_watch_rebuilds_on_save_and_serves_with_reload(tmp_path):
    brief = tmp_path / "live.yaml"
    brief.write_text("title: Live\nsummary: First version.\nsections: [{title: A, body: [one]}]\n")
    log = (tmp_path / "watch.log").open("w")
    process = subprocess.Popen(
        [sys.executable, "-m", "briefgen.cli", "watch", str(brief), "--out", str(tmp_path / "out"), "--port", "0", "--format", "html"],
        cwd=ROOT, stderr=log, stdout=subprocess.DEVNULL, text=True,
    )
    try:
        deadline = time.monotonic() + 60
        while not (match := re.search(r"http://127\.0\.0\.1:\d+/", (tmp_path / "watch.log").read_text())):
            assert time.monotonic() < deadline and process.poll() is None
            time.sleep(0.05)
        address = match.group(0)

        def version() -> int:
            status = json.loads(_get(address + "__briefgen__/status"))
            return status[0]["version"] if status else 0

        while time.monotonic() < deadline and version() == 0:
            time.sleep(0.1)
        page = _get(address + "live.html")
        assert "First version." in page and "__briefgen__/events" in page
        assert "<script" not in (tmp_path / "out" / "live.html").read_text("utf-8")
        first = version()
        brief.write_text(brief.read_text().replace("First version.", "Second version."))
        while time.monotonic() < deadline and version() == first:
            time.sleep(0.1)
        assert "Second version." in _get(address + "live.html")
    finally:
        process.terminate()
        process.wait(timeout=10)
