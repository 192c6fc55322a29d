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
authors:                 # names, or {{name, affiliation, role, email}}
  - {{name: Your Name, affiliation: Your organization, role: Analyst, email: you@example.org}}
organization: Your organization
marking: PUBLIC          # optional banner at the top and bottom of every page
lang: en
keywords: [briefing, example]
contents: auto           # the contents list: auto (from 3 top-level sections), true or false
url: https://example.org/briefs/{name}   # where it is published; used by cite_as: auto

# The bottom line up front (one paragraph, or a list of blocks). Rich text:
# **bold**, *italic*, ~sub~, ^sup^, [links](https://example.org), notes[^source],
# [#id] (shows "Table 1", "Appendix A"...) and [any words](#id).
summary:
  - >-
    Say in three or four sentences what the reader must know, and why it
    matters **now**.[^source]
  - A second paragraph, if one is not enough; see [#the-numbers].

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
    id: the-numbers        # an anchor for [#the-numbers]
    body:
      - As [#values] and [#by-item] show, Second is twice First.
      - table:
          id: values       # a captioned table is numbered: "Table 1"
          caption: What the table shows
          unit: Thousands of units      # a line under the caption
          columns:
            - Item
            - title: Value              # a group heading over two columns
              columns: [{{title: "2024", align: right}}, {{title: "2025", align: right}}]
          rows:
            - group: A group of rows    # a full-width label row
            - [First, 10, 12]
            - [Second, {{text: 20, colspan: 2, align: center}}]   # a cell over two columns
            - [{{text: Third, rowspan: 2}}, 5, 6]                  # a cell over two rows
            - [7, ""]                   # "" or null: an empty cell
            - total: [Total, 42, 38]    # a totals row, set apart
          source: Where the numbers come from.
          notes: [A first note on the table., A second one.]
      - chart:             # bar, column, line, stacked_bar, stacked_column or pie
          id: by-item      # charts count as figures: "Figure 1"
          type: column
          width: 80        # percent of the text width
          title: Values by item
          unit: units
          categories: [First, Second]
          series:
            - {{name: Value, values: [10, 20]}}
          caption: What the chart shows.
          alt: Second is twice First.   # what a reader who cannot see it should learn
          source: Where the numbers come from.
      # - figure: {{src: images/picture.png, alt: What it shows, caption: A caption., width: 80}}
      {todo}- todo: An editor's note; shown as a box until it is replaced.
      # - page_break: true     # start a new page here (PDF and Word)

conclusion: What follows from all this, in a paragraph or two.

appendices:              # after the conclusion, headed Appendix A, B, ...
  - title: Method
    body:
      - How the numbers were gathered.

about: About the authors and the organization, in a paragraph or a list of blocks.
disclaimer: The views expressed are the authors' own.   # small print at the end
cite_as: auto            # "How to cite": composed from authors, title, date, version, url

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
