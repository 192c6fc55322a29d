"""The command line: exit statuses, error format, check and schema."""

from __future__ import annotations

import json
import re

from click.testing import CliRunner
from conftest import MINIMAL

from briefgen.cli import main

LINE = re.compile(r"^(?P<file>[^:]+):(?P<line>\d+):(?P<col>\d+): (?P<sev>error|warning): (?P<msg>.+)$")


def run(*args: str):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def test_check_valid_brief_exits_0(write_brief):
    result = run("check", str(write_brief(MINIMAL)))
    assert result.exit_code == 0
    assert "1 brief checked: 0 errors, 0 warnings" in result.output


def test_check_reports_every_problem_in_contract_form(write_brief):
    path = write_brief("title: T\nsumary: S\nsections: [{title: A, body: [{tabel: x}]}]\n")
    result = run("check", str(path))
    assert result.exit_code == 1
    lines = [LINE.match(line) for line in result.output.splitlines() if ": error: " in line]
    assert all(lines) and len(lines) == 3
    assert [(m["line"], m["col"]) for m in lines] == [("1", "1"), ("2", "1"), ("3", "31")]
    assert "did you mean 'summary'?" in lines[1]["msg"]
    assert "Traceback" not in result.output


def test_warnings_pass_unless_strict(write_brief):
    path = write_brief(MINIMAL.replace("- One paragraph.", "- todo: write this"))
    assert run("check", str(path)).exit_code == 0
    strict = run("check", "--strict", str(path))
    assert strict.exit_code == 1
    assert ": error: sections[0].body[0].todo: editor's placeholder" in strict.output


def test_check_json(write_brief):
    path = write_brief("title: T\nsummary: S\nsections: [{title: A}]\n")
    result = run("check", "--format", "json", str(path))
    data = json.loads(result.stdout)
    assert data == [
        {
            "file": str(path),
            "line": 3,
            "column": 12,
            "severity": "warning",
            "path": "sections[0]",
            "message": "section 'A' is empty (no body and no subsections)",
        }
    ]


def test_folder_skips_underscore_files(tmp_path):
    (tmp_path / "one.yaml").write_text(MINIMAL)
    (tmp_path / "_shared.yaml").write_text("not: a brief\n")
    result = run("check", str(tmp_path))
    assert result.exit_code == 0 and "1 brief checked" in result.output


def test_command_line_errors_exit_2(tmp_path):
    assert run("build", str(tmp_path / "missing.yaml")).exit_code == 2
    assert run("build", "--format", "pdf,odt", str(tmp_path)).exit_code == 2
    assert run("build", "--jobs", "0", str(tmp_path)).exit_code == 2
    assert run("frobnicate").exit_code == 2


def test_schema_is_json_schema_naming_every_key():
    schema = json.loads(run("schema").output)
    assert schema["$schema"].startswith("https://json-schema.org/")
    assert set(schema["required"]) == {"title", "summary", "sections"}
    assert "key_figures" in schema["properties"]
    block_kinds = {next(iter(o["properties"])) for o in schema["$defs"]["block"]["oneOf"] if "properties" in o}
    assert block_kinds == {"paragraph", "list", "table", "figure", "chart", "quote", "callout", "todo", "page_break"}
