"""`briefgen new NAME`: a starter brief that shows every block type.

The starter is valid as written (it builds at once) and carries short
comments, so that a new author learns the format by editing it.  Its first
line points editors' YAML tooling at the JSON Schema written beside it, so
keys complete and are checked as the author types.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

from .spec import json_schema

SCHEMA_FILE = "brief.schema.json"

STARTER = """\
# yaml-language-server: $schema={schema}
# A brief: edit the text, keep the keys. `{command} build` builds it into
# build/{name}.pdf, .docx and .html; `{command} check` lists any problem with its line.
title: {title}
subtitle: One line that says what the brief is about
date: {today}
version: "0.1"
status: draft            # draft puts a DRAFT mark on every page; use final when done
authors: [Your Name]
organization: Your organization
marking: PUBLIC          # optional banner at the top and bottom of every page
lang: en
keywords: [briefing, example]

# The bottom line up front, shown in a box on page 1. Rich text: **bold**,
# *italic*, [links](https://example.org) and footnote references[^source].
summary: >-
  Say in three or four sentences what the reader must know, and why it
  matters **now**.[^source]

key_points:              # the "Key takeaways" box
  - The first thing to remember.
  - The second thing to remember.

key_figures:             # the stat panel: big numbers with short labels
  - {{value: "42", label: things counted, note: what the number means}}
  - {{value: "7%", label: growth a year}}

sections:
  - title: Background
    body:
      # A plain string is a paragraph.
      - This paragraph explains the background. Keep paragraphs short.
      - list:              # bullets; `style: numbered` for a numbered list
          lead: "A list can have a lead-in sentence:"
          items:
            - A plain item.
            - {{term: A term, text: "and its explanation, printed as term – text."}}
            - text: An item with sub-items (one level)
              items: [First, Second]
      - quote:
          text: A short quotation that makes the point.
          attribution: A Source, *Title of the work* (2024)
    sections:              # subsections: up to three levels in all
      - title: A subsection
        body:
          - callout:       # a boxed aside: kind is note, key or warning
              kind: key
              title: Why it matters
              body: One or two sentences that stand apart from the text.

  - title: The numbers
    body:
      - table:
          caption: What the table shows
          columns: [Item, {{title: Value, align: right}}]
          rows:
            - [First, 10]
            - [Second, 20]
          source: Where the numbers come from.
      - chart:             # drawn from the data; type is bar, column or line
          type: column
          title: Values by item
          unit: units
          categories: [First, Second]
          series:
            - {{name: Value, values: [10, 20]}}
          caption: What the chart shows.
          alt: Second is twice First.   # what a reader who cannot see it should learn
          source: Where the numbers come from.
      # A figure is an image file next to this brief (PNG, JPEG, SVG, ...):
      # - figure:
      #     src: images/picture.png
      #     alt: What the picture shows, for readers who cannot see it
      #     caption: A caption.
      #     width: 80          # percent of the text width
      {todo}- todo: An editor's note; shown as a box until it is replaced.
      # - page_break: true     # start a new page here (PDF and Word)

conclusion: What follows from all this, in a paragraph or two.

sources:
  - title: A source document
    publisher: Its publisher
    url: https://example.org/report
    date: "2024"

footnotes:
  source: Where the claim comes from.
"""


class StarterError(Exception):
    """The starter brief could not be written; nothing was changed."""


def starter_text(
    name: str, *, today: dt.date | None = None, placeholder: bool = True, command: str = "briefgen"
) -> str:
    """The starter brief ``name``.

    ``placeholder=False`` leaves the editor's ``todo`` block commented out,
    so that the starter passes ``briefgen check --strict`` (what a new
    repository's CI runs); ``command`` is how the comments name briefgen.
    """
    return STARTER.format(
        schema=SCHEMA_FILE,
        name=name,
        title=name.replace("-", " ").capitalize(),
        today=(today or dt.date.today()).isoformat(),
        command=command,
        todo="" if placeholder else "# ",
    )


def write_starter(name: str, folder: Path, *, command: str = "briefgen") -> Path:
    """Write ``folder/NAME.yaml`` and the schema beside it; refuse to overwrite."""
    if not re.fullmatch(r"[a-z0-9][a-z0-9-]*", name):
        raise StarterError(f"'{name}' is not a brief name: use lower-case letters, digits and hyphens")
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.yaml"
    if path.exists():
        raise StarterError(f"{path} already exists; choose another name")
    write_schema(folder / SCHEMA_FILE)
    path.write_text(starter_text(name, command=command), encoding="utf-8")
    return path


def write_schema(path: Path) -> None:
    path.write_text(json.dumps(json_schema(), indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
