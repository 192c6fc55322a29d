"""Themes, the title-block logo and section numbers in the HTML writer."""

from __future__ import annotations

import dataclasses
import re
import shutil
from pathlib import Path

import pytest
from markupsafe import escape
from test_html_writer import PNG_BYTES, TEMPLATES, make_rich_brief, stub_charts  # noqa: F401 (fixture)

from briefgen.model import Brief
from briefgen.writers.html import available_themes, render_html, section_numbers

pytestmark = pytest.mark.usefixtures("stub_charts")


@pytest.fixture(name="brief")
def rich_brief(tmp_path: Path) -> Brief:
    return make_rich_brief(tmp_path / "content", long_table_rows=12)


def test_the_shipped_themes() -> None:
    assert {"default", "memo"} <= set(available_themes(TEMPLATES))


def test_unknown_theme_names_the_available_ones(brief: Brief) -> None:
    with pytest.raises(ValueError, match=r"unknown theme 'nope'.*default, memo"):
        render_html(brief, templates=TEMPLATES, theme="nope")


@pytest.mark.parametrize("name", ["../css/components", "themes/memo", "memo.css", ""])
def test_theme_names_cannot_reach_other_files(brief: Brief, name: str) -> None:
    with pytest.raises(ValueError, match="unknown theme"):
        render_html(brief, templates=TEMPLATES, theme=name)


@pytest.mark.parametrize("media", ["screen", "print"])
def test_a_theme_is_laid_over_the_shared_css(brief: Brief, media: str) -> None:
    memo = render_html(brief, templates=TEMPLATES, media=media, theme="memo")
    css = memo.split("<style>", 1)[1].split("</style>", 1)[0]
    order = [css.index(f"/* {name} */") for name in (
        "themes/default.css", "css/components.css", f"css/{media}.css", "themes/memo.css",
    )]
    assert order == sorted(order)
    assert "--page-size: letter" in css
    assert 'class="media-' + media + ' theme-memo' in memo
    default = render_html(brief, templates=TEMPLATES, media=media)
    assert default.count("/* themes/") == 1 and "theme-default" in default


def _numbered(brief: Brief) -> Brief:
    return dataclasses.replace(brief, section_numbers=True)


def test_section_numbers_follow_the_outline(brief: Brief) -> None:
    numbers = section_numbers(brief)
    top = [numbers[s.id] for s in brief.sections]
    assert top == [str(i) for i in range(1, len(brief.sections) + 1)]
    for section in brief.walk_sections():
        for index, sub in enumerate(section.sections, 1):
            assert numbers[sub.id] == f"{numbers[section.id]}.{index}"


@pytest.mark.parametrize("media", ["screen", "print"])
def test_numbered_headings_and_contents(brief: Brief, media: str) -> None:
    html = render_html(_numbered(brief), templates=TEMPLATES, media=media)
    numbers = section_numbers(brief)
    for section in brief.walk_sections():
        level = section.level + 1
        heading = re.search(rf'<section[^>]* id="{section.id}">\s*<h{level}>(.*?)</h{level}>', html, re.DOTALL)
        assert heading, section.id
        assert heading[1] == f'<span class="section-number">{numbers[section.id]}</span> {escape(section.title)}'
        if section.level <= 2:
            assert f'<a href="#{section.id}"><span class="section-number">{numbers[section.id]}</span> ' in html
    assert re.search(r'<html [^>]*class="[^"]*\bnumbered\b', html)


def test_no_numbers_unless_asked(brief: Brief) -> None:
    assert not getattr(brief, "section_numbers", False)
    html = render_html(brief, templates=TEMPLATES, media="print")
    assert 'class="section-number"' not in html
    assert not re.search(r'<html [^>]*class="[^"]*\bnumbered\b', html)


def _templates_with(tmp_path: Path, theme_css: str) -> Path:
    templates = tmp_path / "templates"
    shutil.copytree(TEMPLATES, templates, ignore=shutil.ignore_patterns("reference.docx"))
    (templates / "logos").mkdir()
    (templates / "logos" / "house.png").write_bytes(PNG_BYTES)
    (templates / "themes" / "house.css").write_text(theme_css, encoding="utf-8")
    return templates


def test_a_theme_logo_is_inlined_from_templates(brief: Brief, tmp_path: Path) -> None:
    templates = _templates_with(
        tmp_path, ':root { --logo-file: "logos/house.png"; --logo-alt: "House crest"; }\n'
    )
    html = render_html(brief, templates=templates, theme="house")
    logo = re.search(r'<img class="logo" src="([^"]+)" alt="([^"]+)">', html)
    assert logo and logo[1].startswith("data:image/png;base64,") and logo[2] == "House crest"
    assert "logos/house.png" not in html.split("</style>", 1)[1]
    assert '<img class="logo"' not in render_html(brief, templates=templates)


@pytest.mark.parametrize("name", ["../../secret.png", "/etc/hostname", "logos/missing.png"])
def test_a_theme_logo_outside_templates_is_refused(brief: Brief, tmp_path: Path, name: str) -> None:
    templates = _templates_with(tmp_path, f':root {{ --logo-file: "{name}"; }}\n')
    (tmp_path / "secret.png").write_bytes(PNG_BYTES)
    with pytest.raises(ValueError, match="not a file inside"):
        render_html(brief, templates=templates, theme="house")
