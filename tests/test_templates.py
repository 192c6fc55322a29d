"""A project's templates override the packaged ones file by file."""

from __future__ import annotations

import shutil
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import MINIMAL

from briefgen import resources
from briefgen.build import Settings, environment_hash
from briefgen.cli import main
from briefgen.labels import labels_for
from briefgen.read import load_brief
from briefgen.resources import Templates, packaged_templates
from briefgen.writers.html import available_themes, render_html

PACKAGED = packaged_templates()


@pytest.fixture
def brief(write_brief):
    return load_brief(write_brief(MINIMAL))


@pytest.fixture
def project(tmp_path: Path) -> Path:
    folder = tmp_path / "templates"
    folder.mkdir()
    return folder


def _write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_one_css_file_replaces_only_that_file(brief, project):
    _write(project, "css/screen.css", ".brief { outline: 3px solid #ABCDEF; }\n")
    screen = render_html(brief, templates=project, media="screen")
    assert "#ABCDEF" in screen
    assert "text-size-adjust" not in screen  # the packaged screen.css is replaced, not added to
    packaged_components = (PACKAGED / "css" / "components.css").read_text("utf-8").strip()
    assert packaged_components.splitlines()[-1] in screen  # the other stylesheets still come
    assert "#ABCDEF" not in render_html(brief, templates=project, media="print")


def test_one_partial_replaces_only_that_partial(brief, project):
    _write(project, "partials/title-block.html", '<header class="house-title">{{ brief.title }}</header>\n')
    html = render_html(brief, templates=project)
    assert '<header class="house-title">A minimal brief</header>' in html
    assert 'class="title-block"' not in html
    assert "One sentence of summary." in html  # the rest of document.html is the packaged one


def test_a_project_theme_and_logo_join_the_packaged_themes(brief, project):
    png = (
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f"
        b"\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\xcf\xc0\xf0\x1f\x00\x05\x00\x01\xff\x89\x99=\x1d"
        b"\x00\x00\x00\x00IEND\xaeB`\x82"
    )
    (project / "logos").mkdir()
    (project / "logos" / "crest.png").write_bytes(png)
    _write(project, "themes/house.css", ':root { --color-accent: #123456; --logo-file: "logos/crest.png"; }\n')
    assert {"default", "memo", "house"} <= set(available_themes(project))
    html = render_html(brief, templates=project, theme="house")
    assert "#123456" in html and '<img class="logo" src="data:image/png;base64,' in html
    assert "/* themes/house.css */" in html
    # a packaged theme still works with the project's folder in front
    assert "/* themes/memo.css */" in render_html(brief, templates=project, theme="memo")


def test_a_project_default_theme_overrides_the_house_style(brief, project):
    _write(project, "themes/default.css", ":root { --color-accent: #FEDCBA; }\n")
    html = render_html(brief, templates=project)
    assert "#FEDCBA" in html
    packaged_default = (PACKAGED / "themes" / "default.css").read_text("utf-8")
    declarations = [line.strip() for line in packaged_default.splitlines() if line.strip().startswith("--")]
    assert declarations and not any(d in html for d in declarations)  # the packaged house style is gone


def test_reference_document_is_looked_up_project_first(brief, project, tmp_path):
    settings = Settings(tmp_path / "out", project)
    assert settings.presentation(brief).reference_docx == PACKAGED.resolve() / "reference.docx"
    shutil.copy(PACKAGED / "reference.docx", project / "reference.docx")
    assert settings.presentation(brief).reference_docx == (project / "reference.docx").resolve()


def test_a_label_catalog_overrides_word_by_word(project):
    _write(project, "labels/en.toml", 'summary = "Bottom line"\n')
    words = labels_for("en", templates=Templates.layered(project))
    assert words["summary"] == "Bottom line"
    assert words["contents"] == "Contents"  # every other word from the packaged catalog


def test_lookup_refuses_paths_leaving_the_folders(project, tmp_path):
    (tmp_path / "secret.css").write_text("x")
    layers = Templates.layered(project)
    assert layers.find("../secret.css") is None
    assert layers.find("/etc/hostname") is None
    assert layers.find("css/print.css") == PACKAGED.resolve() / "css" / "print.css"
    assert Templates.layered(PACKAGED).folders == (PACKAGED.resolve(),)


def test_environment_hash_covers_both_layers(project, tmp_path, monkeypatch):
    first = environment_hash(project)
    _write(project, "css/print.css", "p { color: red; }\n")
    added = environment_hash(project)
    assert added != first
    _write(project, "css/print.css", "p { color: blue; }\n")
    changed = environment_hash(project)
    assert changed != added
    (project / "css" / "print.css").unlink()
    assert environment_hash(project) == first
    # a change in the packaged layer (an upgrade of briefgen) counts as well
    copy = tmp_path / "packaged"
    shutil.copytree(PACKAGED, copy)
    monkeypatch.setattr(resources, "packaged_templates", lambda: copy)
    before = environment_hash(project)
    _write(copy, "css/components.css", "/* changed */\n")
    assert environment_hash(project) != before


def test_build_in_a_project_uses_its_partial_templates_folder(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "content").mkdir()
    (tmp_path / "content" / "one.yaml").write_text(MINIMAL.lstrip(), encoding="utf-8")
    _write(tmp_path / "templates", "css/screen.css", ".brief { outline: 1px dashed #0F0F0F; }\n")
    runner = CliRunner()
    result = runner.invoke(main, ["build", "--format", "html,docx"])
    assert result.exit_code == 0, result.output
    assert "#0F0F0F" in (tmp_path / "build" / "one.html").read_text("utf-8")
    with zipfile.ZipFile(tmp_path / "build" / "one.docx") as docx:
        assert "word/styles.xml" in docx.namelist()
    # a changed override rebuilds; an unchanged one does not
    again = runner.invoke(main, ["build", "--format", "html,docx"])
    assert "up to date" in again.output
    _write(tmp_path / "templates", "css/screen.css", ".brief { outline: 1px dashed #0E0E0E; }\n")
    third = runner.invoke(main, ["build", "--format", "html,docx"])
    assert "built" in third.output and "#0E0E0E" in (tmp_path / "build" / "one.html").read_text("utf-8")


def test_settings_name_the_folder_in_briefgen_toml(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "content").mkdir()
    (tmp_path / "content" / "one.yaml").write_text(MINIMAL.lstrip(), encoding="utf-8")
    _write(tmp_path / "style", "partials/title-block.html", "<h1>House: {{ brief.title }}</h1>\n")
    (tmp_path / "briefgen.toml").write_text('templates = "style"\n')
    result = CliRunner().invoke(main, ["build", "--format", "html"])
    assert result.exit_code == 0, result.output
    assert "<h1>House: A minimal brief</h1>" in (tmp_path / "build" / "one.html").read_text("utf-8")
