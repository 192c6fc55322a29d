"""Install anywhere: a wheel built from this repository, installed into a
fresh virtual environment outside it, sets up and builds a team's folder.

This is what `pip install briefgen`, pipx or a CI image does.  Nothing may
come from the source tree: the templates, themes, label catalogs, the Word
reference document and the preview's assets must all be in the wheel.
The test takes ~30-60 s (most of it pip installing the dependencies from
its cache); it is marked ``slow`` and runs in `make test` and CI all the same.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from conftest import ROOT

pytestmark = pytest.mark.slow

PACKAGE = ROOT / "src" / "briefgen"


def _clean_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV", "PYTHONHOME")}
    env["PIP_DISABLE_PIP_VERSION_CHECK"] = "1"
    return env


def _run(command: list[str], cwd: Path, timeout: float = 300) -> subprocess.CompletedProcess:
    result = subprocess.run(command, cwd=cwd, env=_clean_env(), capture_output=True, text=True, timeout=timeout)
    assert result.returncode == 0, f"{' '.join(command)}\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
    return result


def _warnings(output: str) -> list[str]:
    """Warnings in pip's or setuptools' output, except those about this
    machine's own pip configuration (an index folder that is not there)."""
    return [
        line for line in output.splitlines()
        if re.search(r"warning|deprecat", line, re.IGNORECASE) and "Location 'file:" not in line
    ]


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> tuple[Path, Path]:
    """(the wheel, the fresh environment's bin folder), outside the repository."""
    work = tmp_path_factory.mktemp("wheel")
    assert not work.resolve().is_relative_to(ROOT.resolve())
    built = _run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-w", str(work / "dist"), str(ROOT)], cwd=work)
    assert _warnings(built.stdout + built.stderr) == []
    wheel = next((work / "dist").glob("briefgen-*.whl"))
    _run([sys.executable, "-m", "venv", str(work / "venv")], cwd=work)
    bin_dir = work / "venv" / "bin"
    install = _run([str(bin_dir / "pip"), "install", "-q", str(wheel)], cwd=work, timeout=600)
    assert _warnings(install.stdout + install.stderr) == []
    return wheel, bin_dir


def test_the_wheel_holds_every_file_the_package_needs(installed):
    wheel, _ = installed
    names = set(zipfile.ZipFile(wheel).namelist())
    shipped = [
        path.relative_to(ROOT / "src").as_posix()
        for folder in (PACKAGE / "templates", PACKAGE / "watch" / "assets")
        for path in folder.rglob("*")
        if path.is_file()
    ]
    assert shipped and [name for name in shipped if name not in names] == []
    assert "briefgen/__main__.py" in names and "briefgen/py.typed" in names
    assert any(name.endswith("licenses/LICENSE") for name in names)


def test_installed_anywhere_it_sets_up_and_builds_a_team_folder(installed, tmp_path):
    _, bin_dir = installed
    briefgen = str(bin_dir / "briefgen")
    located = _run([str(bin_dir / "python"), "-c", "import briefgen.resources as r; print(r.__file__); print(r.packaged_templates())"], cwd=tmp_path)
    for line in located.stdout.split():
        assert Path(line).resolve().is_relative_to(bin_dir.parent.resolve()), line

    team = tmp_path / "team"
    team.mkdir()
    first = _run([briefgen, "init"], cwd=team)
    assert "created  content/first-brief.yaml" in first.stdout
    assert f"next: {briefgen} build" in first.stdout  # as it was invoked
    _run([briefgen, "check", "--strict"], cwd=team)
    build = _run([briefgen, "build"], cwd=team)
    assert "1 brief: 1 built, 0 up to date, 0 failed" in build.stdout, build.stdout + build.stderr

    out = team / "build"
    pdf = (out / "first-brief.pdf").read_bytes()
    assert pdf.startswith(b"%PDF-") and pdf.rstrip().endswith(b"%%EOF")
    text = subprocess.run(["pdftotext", str(out / "first-brief.pdf"), "-"], capture_output=True, text=True).stdout
    assert "First brief" in text and "Values by item" in text  # the title and the chart's title
    with zipfile.ZipFile(out / "first-brief.docx") as docx:
        document = docx.read("word/document.xml").decode("utf-8")
        assert "First brief" in document and "w:footnoteReference" in document
        assert "word/styles.xml" in docx.namelist()
    html = (out / "first-brief.html").read_text("utf-8")
    assert '<h1 class="title">First brief</h1>' in html and "/* css/screen.css */" in html

    # a second init changes no file
    before = {p: (p.read_bytes(), p.stat().st_mtime_ns) for p in team.rglob("*") if p.is_file()}
    second = _run([briefgen, "init"], cwd=team)
    assert "nothing to do: every file was already there" in second.stdout
    assert {p: (p.read_bytes(), p.stat().st_mtime_ns) for p in team.rglob("*") if p.is_file()} == before

    # restyling one file in the team's folder, with the installed package
    (team / "templates" / "css").mkdir(parents=True)
    (team / "templates" / "css" / "screen.css").write_text(".brief { outline: 2px solid #C0FFEE; }\n")
    _run([briefgen, "build", "--format", "html"], cwd=team)
    assert "#C0FFEE" in (out / "first-brief.html").read_text("utf-8")

    version = _run([str(bin_dir / "python"), "-m", "briefgen", "--version"], cwd=team)
    assert version.stdout.startswith("briefgen, version ")
