"""The Word file before anyone presses "Update": contents, order, numbering, dates, authors."""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from pathlib import Path

import docx
import pytest

from briefgen.read import load_brief
from briefgen.writers.docx import render_docx
from briefgen.writers.docx.front_matter import CORE_PROPERTY_LIMIT, ET_AL

REFERENCE = Path(__file__).resolve().parents[1] / "src" / "briefgen" / "templates" / "reference.docx"
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"

BRIEF = """
title: Order under a table
summary: A table with a source and a note, and numbered sources.
{extra}
sections:
  - title: Figures
    body:
      - table:
          columns: [Item, Value]
          rows:
            - [Alpha, 1]
          source: The statistical office.
          note: Figures are preliminary.
    sections:
      - title: A subsection
        body: [Text.]
sources:
  - title: First source
    url: https://example.org/one
  - title: Second source
  - title: Third source
"""


def _docx(write_brief, extra: str = "") -> docx.document.Document:
    path = write_brief(BRIEF.replace("{extra}", extra))
    return docx.Document(io.BytesIO(render_docx(load_brief(path), reference=REFERENCE)))


def test_source_comes_before_note_as_in_the_pdf(write_brief) -> None:
    texts = [p.text for p in _docx(write_brief).paragraphs]
    source = next(i for i, t in enumerate(texts) if t.startswith("Source: The statistical office"))
    note = next(i for i, t in enumerate(texts) if t.startswith("Note: Figures are preliminary"))
    assert source < note


def test_sources_are_one_numbered_list(write_brief) -> None:
    document = _docx(write_brief)
    sources = [p for p in document.paragraphs if p.style.name == "Source"]
    assert [p.text.split(".")[0] for p in sources] == ["First source", "Second source", "Third source"]
    num_ids = {p._p.pPr.numPr.numId.val for p in sources}
    assert len(num_ids) == 1 and all(p._p.pPr.numPr.ilvl.val == 0 for p in sources)
    numbering = document.part.numbering_part.element
    num_id = num_ids.pop()
    num = next(n for n in numbering.findall(f"{W}num") if int(n.get(f"{W}numId")) == num_id)
    abstract_id = num.find(f"{W}abstractNumId").get(f"{W}val")
    abstract = next(a for a in numbering.findall(f"{W}abstractNum") if a.get(f"{W}abstractNumId") == abstract_id)
    assert abstract.find(f"{W}lvl/{W}numFmt").get(f"{W}val") == "decimal"
    # The house style's Source style carries the numbering, as List Number does.
    style = document.styles["Source"].element
    assert style.pPr.numPr is not None


def test_contents_result_lists_headings_with_levels(write_brief) -> None:
    # one top-level section: format 1.1's `contents: auto` would leave the list out
    document = _docx(write_brief, "contents: true")
    entries = [(p.style.name.casefold(), p.text) for p in document.paragraphs if re.fullmatch(r"toc \d", p.style.name.casefold())]
    assert entries == [("toc 1", "Figures"), ("toc 2", "A subsection"), ("toc 1", "Sources")]
    body = document.element.body
    kinds = [c.get(f"{W}fldCharType") for c in body.iter(f"{W}fldChar")]
    assert kinds[:3] == ["begin", "separate", "end"]  # one field spans the entries


def _core(document) -> str:
    return document.part.package.part_related_by(
        "http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties"
    ).blob.decode("utf-8")


def test_created_is_the_brief_date(write_brief) -> None:
    document = _docx(write_brief, "date: 2026-03-14")
    assert document.core_properties.created.date() == dt.date(2026, 3, 14)


def test_created_from_source_date_epoch_without_a_date(write_brief, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")  # 2026-01-01 00:00 UTC
    document = _docx(write_brief)
    assert document.core_properties.created == dt.datetime(2026, 1, 1, tzinfo=document.core_properties.created.tzinfo)


def test_no_placeholder_date_without_a_date(write_brief, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    document = _docx(write_brief)
    core = _core(document)
    assert "2000-01-01" not in core and "dcterms:created" not in core


def test_long_author_lists_whole_in_the_text_cut_by_rule_in_the_property(write_brief) -> None:
    names = [f"Researcher Number{i} Longsurname-Example" for i in range(1, 16)]
    document = _docx(write_brief, "authors:\n" + "".join(f"  - {n}\n" for n in names))
    author = document.core_properties.author
    assert len(author) <= CORE_PROPERTY_LIMIT
    assert author.endswith(ET_AL)
    kept = author[: -len(ET_AL)].rstrip("; ").split("; ")
    assert kept == names[: len(kept)] and len(kept) < len(names)  # whole names only
    cover = "\n".join(p.text for p in document.paragraphs)
    assert ", ".join(names) in cover  # the cover keeps every name


def test_a_column_of_citations_is_measured_as_printed() -> None:
    """Citations count with their formatted text, not as empty cells."""
    from briefgen.writers.docx.tables import CELL_PADDING, CHAR_WIDTH

    root = Path(__file__).resolve().parents[1]
    brief = load_brief(root / "content" / "evidence-and-policy.yaml")
    data = render_docx(brief, reference=REFERENCE, templates=root / "src" / "briefgen" / "templates")
    document = docx.Document(io.BytesIO(data))
    table = next(t for t in document.tables if t.rows[0].cells[-1].text == "Work")
    widths = [int(c.get(f"{W}w")) for c in table._tbl.tblGrid.findall(f"{W}gridCol")]
    shown = ["".join(t.text or "" for t in row.cells[-1]._tc.iter(f"{W}t")) for row in table.rows[1:]]
    assert "(Pressman and Wildavsky 1973)" in shown  # inside the citation's content control
    longest = max(len(word) for text in shown for word in text.split())
    assert widths[-1] >= CELL_PADDING + CHAR_WIDTH * longest
