"""Build orchestration with stand-in writers: what is rebuilt, what is kept."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from conftest import MINIMAL

from briefgen import build
from briefgen.build import Settings, discover, run


@pytest.fixture
def project(tmp_path: Path, monkeypatch):
    """A content folder with two briefs, a templates folder and fake writers
    that record what they render."""
    content = tmp_path / "content"
    content.mkdir()
    (content / "one.yaml").write_text(MINIMAL)
    (content / "two.yaml").write_text(MINIMAL.replace("minimal", "second"))
    templates = tmp_path / "templates"
    templates.mkdir()
    (templates / "document.html").write_text("v1")
    rendered: list[tuple[str, str]] = []

    def fake(fmt):
        def render(brief, settings, *rest):
            rendered.append((brief.name, fmt))
            return f"{fmt}:{brief.title}" if fmt == "html" else f"{fmt}:{brief.title}".encode()

        return render

    monkeypatch.setattr(build, "_render_html", fake("html"))
    monkeypatch.setattr(build, "_render_pdf", fake("pdf"))
    monkeypatch.setattr(build, "_render_docx", fake("docx"))
    settings = Settings(tmp_path / "build", templates)
    return content, settings, rendered


def outcomes(results):
    return {r.source.stem: r.outcome for r in results}


def test_builds_every_format_then_nothing(project):
    content, settings, rendered = project
    first = run(discover([content]), settings)
    assert outcomes(first) == {"one": "built", "two": "built"}
    for name in ("one", "two"):
        for fmt in ("pdf", "docx", "html"):
            assert (settings.out_dir / f"{name}.{fmt}").is_file()
    rendered.clear()
    second = run(discover([content]), settings)
    assert outcomes(second) == {"one": "up to date", "two": "up to date"}
    assert rendered == []


def test_changing_one_brief_rebuilds_only_it(project):
    content, settings, rendered = project
    run(discover([content]), settings)
    rendered.clear()
    (content / "two.yaml").write_text(MINIMAL.replace("minimal", "changed"))
    results = run(discover([content]), settings)
    assert outcomes(results) == {"one": "up to date", "two": "built"}
    assert {name for name, _ in rendered} == {"two"}


def test_touching_without_change_rebuilds_nothing(project):
    content, settings, rendered = project
    run(discover([content]), settings)
    rendered.clear()
    os.utime(content / "one.yaml", (1, 1))
    assert outcomes(run(discover([content]), settings))["one"] == "up to date"


def test_template_change_rebuilds_all(project):
    content, settings, rendered = project
    run(discover([content]), settings)
    (settings.templates / "document.html").write_text("v2")
    assert outcomes(run(discover([content]), settings)) == {"one": "built", "two": "built"}


def test_deleted_output_is_rebuilt(project):
    content, settings, rendered = project
    run(discover([content]), settings)
    (settings.out_dir / "one.pdf").unlink()
    rendered.clear()
    run(discover([content]), settings)
    assert rendered == [("one", "pdf")]


def test_a_failing_brief_does_not_stop_the_others(project):
    content, settings, rendered = project
    (content / "bad.yaml").write_text("title: [broken\n")
    results = run(discover([content]), settings)
    assert outcomes(results) == {"bad": "failed", "one": "built", "two": "built"}
    (failed,) = [r for r in results if r.outcome == "failed"]
    assert failed.diagnostics and failed.diagnostics[0].line == 1


def test_edited_word_file_is_never_overwritten(project):
    content, settings, rendered = project
    run(discover([content]), settings)
    docx = settings.out_dir / "one.docx"
    docx.write_bytes(b"an editor's work")
    (content / "one.yaml").write_text(MINIMAL.replace("paragraph", "changed paragraph"))
    rendered.clear()
    results = run(discover([content]), settings)
    assert docx.read_bytes() == b"an editor's work"
    assert ("one", "pdf") in rendered and ("one", "docx") not in rendered
    (one,) = [r for r in results if r.source.stem == "one"]
    assert any("one.docx was edited" in n and "briefgen pull" in n for n in one.notices)
    # and it stays protected on the next build
    again = run(discover([content]), settings)
    assert docx.read_bytes() == b"an editor's work"
    assert any("was edited" in n for r in again for n in r.notices)


def test_force_keeps_a_copy_before_overwriting(project):
    content, settings, rendered = project
    run(discover([content]), settings)
    docx = settings.out_dir / "one.docx"
    docx.write_bytes(b"an editor's work")
    forced = Settings(settings.out_dir, settings.templates, force=True)
    results = run(discover([content]), forced)
    assert docx.read_bytes() == b"docx:A minimal brief"
    (kept,) = (settings.out_dir / ".edited").glob("one-*.docx")
    assert kept.read_bytes() == b"an editor's work"
    assert any(str(kept) in n for r in results for n in r.notices)


def test_word_file_of_unknown_origin_is_kept_as_a_copy(project):
    content, settings, rendered = project
    settings.out_dir.mkdir()
    (settings.out_dir / "one.docx").write_bytes(b"someone's file")
    run(discover([content]), settings)
    (kept,) = (settings.out_dir / ".edited").glob("one-*.docx")
    assert kept.read_bytes() == b"someone's file"


def test_interrupted_render_leaves_previous_outputs(project, monkeypatch):
    content, settings, rendered = project
    run(discover([content]), settings)
    before = (settings.out_dir / "one.pdf").read_bytes()

    def explode(brief, settings, *rest):
        raise KeyboardInterrupt

    monkeypatch.setattr(build, "_render_pdf", explode)
    (content / "one.yaml").write_text(MINIMAL.replace("paragraph", "new paragraph"))
    with pytest.raises(KeyboardInterrupt):
        run(discover([content]), settings)
    assert (settings.out_dir / "one.pdf").read_bytes() == before
    assert not list(settings.out_dir.glob(".*.tmp"))


def test_formats_option_builds_only_those(project):
    content, settings, rendered = project
    only_html = Settings(settings.out_dir, settings.templates, formats=("html",))
    run(discover([content / "one.yaml"]), only_html)
    assert sorted(p.name for p in settings.out_dir.glob("one.*")) == ["one.html"]


def test_after_a_pull_the_word_file_counts_as_up_to_date(project):
    content, settings, rendered = project
    run(discover([content]), settings)
    docx = settings.out_dir / "one.docx"
    docx.write_bytes(b"an editor's work, pulled")
    (content / "one.yaml").write_text(MINIMAL.replace("paragraph", "pulled paragraph"))
    build.record_pull(content / "one.yaml", docx, settings.out_dir)
    rendered.clear()
    results = run(discover([content]), settings)
    assert sorted(rendered) == [("one", "html"), ("one", "pdf")]
    assert docx.read_bytes() == b"an editor's work, pulled"
    assert not any(r.notices for r in results)
    rendered.clear()
    assert outcomes(run(discover([content]), settings)) == {"one": "up to date", "two": "up to date"}
    # an edit made after the pull is protected again
    docx.write_bytes(b"more work")
    again = run(discover([content]), settings)
    assert any("was edited" in n for r in again for n in r.notices)


def test_a_namesake_in_another_folder_is_not_up_to_date(project, tmp_path):
    content, settings, rendered = project
    run(discover([content]), settings)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "one.yaml").write_text(MINIMAL.replace("minimal", "other"))
    rendered.clear()
    assert outcomes(run(discover([elsewhere]), settings)) == {"one": "built"}
