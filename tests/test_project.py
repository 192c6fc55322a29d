"""Project settings (briefgen.toml) and how presentation settings combine."""

from __future__ import annotations

import pytest
from conftest import MINIMAL

from briefgen.build import Settings
from briefgen.resources import packaged_templates
from briefgen.errors import BriefErrors
from briefgen.read import load_brief
from briefgen.project import Project, load_project


def test_no_file_means_defaults(tmp_path):
    assert load_project(tmp_path) == Project(tmp_path)


def test_settings_are_read(tmp_path):
    (tmp_path / "templates").mkdir()
    (tmp_path / "templates" / "house.docx").write_bytes(b"x")
    (tmp_path / "briefgen.toml").write_text(
        'theme = "memo"\nreference_docx = "templates/house.docx"\npdf_variant = "pdf/a-3u"\nsection_numbers = true\n'
    )
    project = load_project(tmp_path)
    assert project.theme == "memo" and project.pdf_variant == "pdf/a-3u" and project.section_numbers
    assert project.reference_docx == (tmp_path / "templates" / "house.docx").resolve()


def test_problems_name_their_line(tmp_path):
    (tmp_path / "briefgen.toml").write_text(
        'theme = "Memo Style"\nthme = "x"\npdf_variant = "pdf/x"\nreference_docx = "../outside.docx"\nsection_numbers = "yes"\n'
    )
    with pytest.raises(BriefErrors) as info:
        load_project(tmp_path)
    found = [(d.line, d.path, d.message) for d in info.value.diagnostics]
    assert [line for line, _, _ in found] == [1, 2, 3, 4, 5]
    assert "did you mean 'theme'?" in found[1][2]
    assert "inside the project" in found[3][2]


def test_toml_syntax_error_has_a_position(tmp_path):
    (tmp_path / "briefgen.toml").write_text('theme = "memo"\npdf_variant = \n')
    with pytest.raises(BriefErrors) as info:
        load_project(tmp_path)
    (problem,) = info.value.diagnostics
    assert problem.line == 2 and "TOML syntax error" in problem.message


def test_brief_keys(write_brief, tmp_path):
    (tmp_path / "house.docx").write_bytes(b"PK")
    path = write_brief(
        MINIMAL
        + "theme: memo\nsection_numbers: true\npdf_variant: pdf/a-3u\nreference_docx: house.docx\n"
    )
    brief = load_brief(path)
    assert (brief.theme, brief.section_numbers, brief.pdf_variant) == ("memo", True, "pdf/a-3u")
    assert brief.reference_docx == (tmp_path / "house.docx").resolve()


def test_brief_key_errors(write_brief):
    path = write_brief(MINIMAL + "theme: Big Theme\nsection_numbers: maybe\npdf_variant: pdf/a-1b\nreference_docx: ../x.docx\n")
    with pytest.raises(BriefErrors) as info:
        load_brief(path)
    assert [d.path for d in info.value.diagnostics] == ["theme", "section_numbers", "pdf_variant", "reference_docx"]


def test_command_line_wins_over_brief_over_project(write_brief, tmp_path):
    brief = load_brief(write_brief(MINIMAL + "theme: brief-theme\n"))
    project = Project(tmp_path, theme="project-theme", pdf_variant="pdf/a-3u", section_numbers=True)
    plain = Settings(tmp_path / "out", tmp_path / "templates", project=project).presentation(brief)
    assert (plain.theme, plain.pdf_variant, plain.section_numbers) == ("brief-theme", "pdf/a-3u", True)
    # a project's templates folder without a reference document uses the packaged one ...
    assert plain.reference_docx == packaged_templates().resolve() / "reference.docx"
    # ... and its own as soon as it has one (file by file)
    (tmp_path / "templates").mkdir(exist_ok=True)
    (tmp_path / "templates" / "reference.docx").write_bytes(b"x")
    own = Settings(tmp_path / "out", tmp_path / "templates", project=project).presentation(brief)
    assert own.reference_docx == (tmp_path / "templates" / "reference.docx").resolve()
    forced = Settings(tmp_path / "out", tmp_path / "templates", theme="cli-theme", project=project)
    assert forced.presentation(brief).theme == "cli-theme"
    bare = Settings(tmp_path / "out", tmp_path / "templates").presentation(load_brief(write_brief(MINIMAL, "b2")))
    assert (bare.theme, bare.pdf_variant, bare.section_numbers) == ("default", "pdf/ua-1", False)
