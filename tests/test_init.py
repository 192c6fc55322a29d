"""`briefgen init`, `briefgen templates export` and the follow-up commands we print."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
import tomllib
from pathlib import Path

import yaml
from click.testing import CliRunner
from conftest import ROOT

from briefgen import system
from briefgen.cli import main
from briefgen.init import init_project
from briefgen.invocation import command_name
from briefgen.lint import lint
from briefgen.read import load_brief
from briefgen.project import KEYS, load_project
from briefgen.resources import packaged_templates
from briefgen.spec import json_schema

EXPECTED = [
    "content/first-brief.yaml",
    "briefgen.toml",
    ".gitignore",
    ".github/workflows/briefs.yml",
    "ci/build-briefs.sh",
    ".pre-commit-config.yaml",
    "content/brief.schema.json",
]


def _tree(folder: Path) -> dict[str, tuple[bytes, int]]:
    return {
        p.relative_to(folder).as_posix(): (p.read_bytes(), p.stat().st_mtime_ns)
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def test_init_writes_a_whole_repository(tmp_path):
    result = CliRunner().invoke(main, ["init", str(tmp_path / "briefs")])
    assert result.exit_code == 0, result.output
    folder = tmp_path / "briefs"
    assert sorted(_tree(folder)) == sorted(EXPECTED)
    for name in EXPECTED:
        assert f"created  {os.path.relpath(folder / name)}" in result.output
    brief = load_brief(folder / "content" / "first-brief.yaml")
    assert lint(brief) == []  # so `check --strict` passes
    assert (folder / "content" / "first-brief.yaml").read_text("utf-8").startswith(
        "# yaml-language-server: $schema=brief.schema.json\n"
    )
    import json

    assert json.loads((folder / "content" / "brief.schema.json").read_text("utf-8")) == json_schema()
    assert "/build/" in (folder / ".gitignore").read_text().splitlines()
    assert f"cd {os.path.relpath(folder)} && briefgen build" in result.output


def test_briefgen_toml_names_every_setting_and_loads_as_is(tmp_path):
    init_project(tmp_path)
    text = (tmp_path / "briefgen.toml").read_text("utf-8")
    assert tomllib.loads(text) == {}  # everything is commented out
    for key in KEYS:
        assert f"\n# {key} = " in text
        assert f"# {KEYS[key]}" in text
    assert load_project(tmp_path).theme is None
    # every example value is valid when uncommented (given the files it names)
    templates = tmp_path / "templates"
    templates.mkdir()
    (templates / "reference.docx").write_bytes((packaged_templates() / "reference.docx").read_bytes())
    uncommented = "\n".join(line[2:] for line in text.splitlines() if line.startswith("# ") and " = " in line)
    (tmp_path / "briefgen.toml").write_text(uncommented + "\n")
    project = load_project(tmp_path)
    assert project.theme == "default" and project.pdf_variant == "pdf/ua-1"


def test_ci_recipe_and_pre_commit_hook(tmp_path):
    init_project(tmp_path)
    workflow = yaml.safe_load((tmp_path / ".github" / "workflows" / "briefs.yml").read_text())
    steps = workflow["jobs"]["build"]["steps"]
    assert {"run": "sh ci/build-briefs.sh"} in steps
    assert any(step.get("uses", "").startswith("actions/upload-artifact") for step in steps)
    script = tmp_path / "ci" / "build-briefs.sh"
    assert script.stat().st_mode & stat.S_IXUSR
    text = script.read_text()
    for package in system.debian_packages(system.needs_for(("build",))):
        assert package in text
    assert ".venv/bin/briefgen check content" in text and ".venv/bin/briefgen build content" in text
    assert subprocess.run(["sh", "-n", str(script)]).returncode == 0  # valid shell
    hooks = yaml.safe_load((tmp_path / ".pre-commit-config.yaml").read_text())["repos"][0]["hooks"]
    assert hooks[0]["id"] == "briefgen-check" and hooks[0]["entry"] == "briefgen check"


def test_the_repository_offers_the_pre_commit_hook():
    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())
    hook = next(h for h in hooks if h["id"] == "briefgen-check")
    assert hook["language"] == "python" and hook["entry"] == "briefgen check"
    assert hook["pass_filenames"] is False


def test_a_second_init_changes_no_file_and_says_what_it_kept(tmp_path):
    init_project(tmp_path)
    (tmp_path / "briefgen.toml").write_text('theme = "memo"\n')  # the team's own
    before = _tree(tmp_path)
    result = CliRunner().invoke(main, ["init", str(tmp_path)])
    assert result.exit_code == 0
    assert _tree(tmp_path) == before
    assert result.output.count("kept     ") == len(EXPECTED)
    assert "nothing to do" in result.output


def test_init_keeps_an_existing_gitignore_and_fills_in_the_rest(tmp_path):
    (tmp_path / ".gitignore").write_text("*.tmp\n")
    outcome = init_project(tmp_path)
    assert (tmp_path / ".gitignore").read_text() == "*.tmp\n"
    assert outcome.kept == [tmp_path / ".gitignore"]
    assert len(outcome.created) == len(EXPECTED) - 1


def test_templates_export_copies_everything_or_one_file(tmp_path):
    runner = CliRunner()
    one = runner.invoke(main, ["templates", "export", str(tmp_path / "a"), "--file", "css/print.css"])
    assert one.exit_code == 0, one.output
    assert [p.relative_to(tmp_path / "a").as_posix() for p in (tmp_path / "a").rglob("*") if p.is_file()] == ["css/print.css"]
    everything = runner.invoke(main, ["templates", "export", str(tmp_path / "a")])
    packaged = sorted(p.relative_to(packaged_templates()).as_posix() for p in packaged_templates().rglob("*") if p.is_file())
    exported = sorted(p.relative_to(tmp_path / "a").as_posix() for p in (tmp_path / "a").rglob("*") if p.is_file())
    assert exported == packaged
    assert "kept     " in everything.output and "css/print.css" in everything.output
    assert (tmp_path / "a" / "reference.docx").read_bytes() == (packaged_templates() / "reference.docx").read_bytes()
    bad = runner.invoke(main, ["templates", "export", str(tmp_path / "b"), "--file", "css/nope.css"])
    assert bad.exit_code == 2 and "not a packaged template: css/nope.css" in bad.output


def test_templates_list_says_where_each_file_comes_from(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "templates" / "css").mkdir(parents=True)
    (tmp_path / "templates" / "css" / "print.css").write_text("p {}\n")
    result = CliRunner().invoke(main, ["templates", "list"])
    assert "project   css/print.css" in result.output
    assert "packaged  css/screen.css" in result.output


def test_follow_up_commands_are_spelled_as_the_user_typed(tmp_path):
    assert command_name(["briefgen"], ["/usr/bin/python3", "/usr/bin/briefgen"]) == "briefgen"
    venv = tmp_path / ".venv" / "bin"
    venv.mkdir(parents=True)
    script = venv / "briefgen"
    script.write_text("#!/bin/sh\n")
    script.chmod(0o755)
    typed = os.path.relpath(script)
    assert command_name([typed], ["python", typed]) == typed
    assert command_name(["/x/__main__.py"], ["python3", "-m", "briefgen", "new"]) == "python3 -m briefgen"
    assert command_name(["/x/pytest"], ["python", "-m", "pytest"]) == "briefgen"


def test_new_prints_the_command_as_invoked(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "briefgen", "new", "x", "--folder", str(tmp_path)],
        capture_output=True, text=True, cwd=ROOT,
    )
    assert result.returncode == 0, result.stderr
    assert f"build it with: {sys.executable} -m briefgen build {tmp_path / 'x.yaml'}" in result.stdout


def test_init_in_a_folder_of_briefs_adds_no_starter(tmp_path):
    (tmp_path / "content").mkdir()
    (tmp_path / "content" / "ours.yaml").write_text("title: Ours\n")
    result = CliRunner().invoke(main, ["init", str(tmp_path)])
    assert result.exit_code == 0
    assert not (tmp_path / "content" / "first-brief.yaml").exists()
    assert "skipped  " in result.output and "already holds briefs" in result.output
    assert (tmp_path / "briefgen.toml").exists() and (tmp_path / "content" / "brief.schema.json").exists()
