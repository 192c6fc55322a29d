"""max_pages and density: compact, through the build."""

from __future__ import annotations

import re
from pathlib import Path

from briefgen.build import Settings, build_one, plan
from briefgen.read import load_brief
from briefgen.manifest import Manifest

TEMPLATES = Path(__file__).resolve().parents[1] / "src" / "briefgen" / "templates"

LONG = """
title: Too long for two pages
summary: A brief that runs over its page budget.
{extra}
sections:
  - title: Body
    body:
{paragraphs}
"""


def _brief(write_brief, extra: str, count: int = 24) -> Path:
    text = "The committee reviewed the request and its justification in detail. " * 9
    paragraphs = "".join(f'      - "{text.strip()}"\n' for _ in range(count))
    return write_brief(LONG.replace("{extra}", extra).replace("{paragraphs}", paragraphs))


def _build(path: Path, tmp_path: Path, strict: bool = False):
    settings = Settings(out_dir=tmp_path / "out", templates=TEMPLATES, formats=("pdf",), strict=strict)
    job = plan(path, settings, Manifest.load(settings.out_dir), "env")
    return build_one(job, settings)


def test_max_pages_warns_by_about_how_many_lines(write_brief, tmp_path: Path) -> None:
    result = _build(_brief(write_brief, "max_pages: 2"), tmp_path)
    messages = [d.format() for d in result.diagnostics if "max_pages" in d.format()]
    assert result.outcome == "built" and len(messages) == 1
    match = re.search(r"brief.yaml:3:12: warning: max_pages: the PDF runs (\d+) pages, (\d+) more than max_pages: 2; about (\d+) lines too long", messages[0])
    assert match, messages
    pages, over, lines = map(int, match.groups())
    assert over == pages - 2 and lines > 0
    assert (tmp_path / "out" / "brief.pdf").exists()


def test_max_pages_is_an_error_under_strict(write_brief, tmp_path: Path) -> None:
    result = _build(_brief(write_brief, "max_pages: 2"), tmp_path, strict=True)
    assert result.outcome == "failed"
    assert any(d.severity == "error" and "max_pages" in d.format() for d in result.diagnostics)


def test_within_max_pages_says_nothing(write_brief, tmp_path: Path) -> None:
    result = _build(_brief(write_brief, "max_pages: 9", count=3), tmp_path)
    assert not [d for d in result.diagnostics if "max_pages" in d.format()]


def test_max_pages_must_be_a_whole_positive_number(write_brief) -> None:
    import pytest

    from briefgen.errors import BriefErrors

    with pytest.raises(BriefErrors) as err:
        load_brief(_brief(write_brief, "max_pages: 1.5", count=1))
    assert re.search(r":3:12: error: max_pages: expected a whole number of pages", str(err.value.diagnostics[0].format()))


def test_compact_density_fits_more_on_a_page(write_brief, tmp_path: Path) -> None:
    normal = _build(_brief(write_brief, "max_pages: 1"), tmp_path / "normal")
    compact = _build(_brief(write_brief, "max_pages: 1\ndensity: compact"), tmp_path / "compact")
    lines = lambda result: int(re.search(r"about (\d+) lines", next(d.message for d in result.diagnostics if "max_pages" in d.format()))[1])
    assert lines(compact) < lines(normal)


def test_density_from_the_project_and_the_command_line(write_brief, tmp_path: Path) -> None:
    from briefgen.project import Project

    path = _brief(write_brief, "max_pages: 1")
    lines = {}
    for label, settings in {
        "normal": Settings(out_dir=tmp_path / "a", templates=TEMPLATES, formats=("pdf",)),
        "project": Settings(out_dir=tmp_path / "b", templates=TEMPLATES, formats=("pdf",), project=Project(density="compact")),
        "command line": Settings(out_dir=tmp_path / "c", templates=TEMPLATES, formats=("pdf",), density="compact"),
    }.items():
        result = build_one(plan(path, settings, Manifest.load(settings.out_dir), "env"), settings)
        lines[label] = int(re.search(r"about (\d+) lines", next(d.message for d in result.diagnostics if "max_pages" in d.format()))[1])
    assert lines["project"] == lines["command line"] < lines["normal"]


def test_project_density_is_checked(tmp_path: Path) -> None:
    import pytest

    from briefgen.errors import BriefErrors
    from briefgen.project import load_project

    (tmp_path / "briefgen.toml").write_text('theme = "memo"\ndensity = "tight"\n', encoding="utf-8")
    with pytest.raises(BriefErrors) as err:
        load_project(tmp_path)
    assert "briefgen.toml:2:1: error: density: 'tight' is not one of 'normal', 'compact'" in err.value.diagnostics[0].format()
