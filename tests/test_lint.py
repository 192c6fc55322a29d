"""Lint warnings: valid briefs that probably are not what the author wants."""

from __future__ import annotations

from briefgen.lint import lint
from briefgen.read import load_brief


def test_clean_brief_has_no_warnings(write_brief):
    path = write_brief(
        """
        title: T
        summary: S[^a]
        sections: [{title: A, body: [x]}]
        footnotes: {a: Note.}
        """
    )
    assert lint(load_brief(path)) == []


def test_each_warning_names_its_line_and_path(write_brief):
    path = write_brief(
        """
        title: T
        summary: S
        sections:
          - title: Empty
          - title: Has todo
            body:
              - todo: Add the statistics.
              - callout: {body: [{todo: Inside a callout.}]}
        footnotes:
          unused: Never referenced.
        """
    )
    found = lint(load_brief(path))
    assert [(d.line, d.path, d.severity) for d in found] == [
        (1, "status", "warning"),
        (4, "sections[0]", "warning"),
        (7, "sections[1].body[0].todo", "warning"),
        (8, "sections[1].body[1].callout.body[0].todo", "warning"),
        (10, "footnotes.unused", "warning"),
    ]
    assert "marked final but still holds 2 'todo'" in found[0].message
    assert "section 'Empty' is empty" in found[1].message
    assert "Add the statistics." in found[2].message
    assert "never referenced" in found[4].message


def test_draft_with_todo_is_not_flagged_as_final(write_brief):
    path = write_brief(
        """
        title: T
        status: draft
        summary: S
        sections: [{title: A, body: [{todo: later}]}]
        """
    )
    assert [d.path for d in lint(load_brief(path))] == ["sections[0].body[0].todo"]


def test_very_long_heading(write_brief):
    path = write_brief(
        f"""
        title: T
        summary: S
        sections: [{{title: {"word " * 40}, body: [x]}}]
        """
    )
    (warning,) = lint(load_brief(path))
    assert "characters long" in warning.message and warning.path == "sections[0].title"


def test_figure_and_chart_accessibility_and_resolution(write_brief, tmp_path):
    from PIL import Image

    Image.new("RGB", (300, 100)).save(tmp_path / "small.png")
    Image.new("RGB", (2000, 600)).save(tmp_path / "large.png")
    path = write_brief(
        """
        title: T
        summary: S
        sections:
          - title: A
            body:
              - figure: {src: small.png, alt: image}
              - figure: {src: small.png, alt: A navy rectangle, width: 20}
              - figure: {src: large.png, alt: A wide navy rectangle}
              - chart: {type: bar, categories: [a], series: [{name: s, values: [1]}]}
        """
    )
    found = lint(load_brief(path))
    assert [(d.line, d.path) for d in found] == [
        (6, "sections[0].body[0].figure.alt"),
        (6, "sections[0].body[0].figure.src"),
        (9, "sections[0].body[3].chart"),
    ]
    assert "does not describe the image" in found[0].message
    assert "47 dpi" in found[1].message and "below 150 dpi" in found[1].message
    assert "no 'alt' text" in found[2].message
