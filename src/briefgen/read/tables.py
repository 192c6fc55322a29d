"""The table block: columns, rows of cells (one per column) and the lines
around them."""

from __future__ import annotations

import re

from yaml.nodes import Node, ScalarNode, SequenceNode

from .. import model as m
from .. import richtext
from .context import FLOAT, INT, NULL, Reader, getter, join
from .positions import pos as pos_of


def table(r: Reader, node: Node, path: str, pos: m.Pos) -> m.Block | None:
    keys = r.mapping(node, path, "table")
    if keys is None:
        return None
    get = getter(keys)
    caption = r.rich(get("caption"), join(path, "caption")) if get("caption") else None
    columns: tuple[m.Column, ...] = ()
    if (cols := get("columns")) is not None:
        columns = r.each(r.sequence(cols, join(path, "columns"), "columns"), join(path, "columns"), lambda n, p: column(r, n, p))
        if isinstance(cols, SequenceNode) and not cols.value:
            r.error(cols, join(path, "columns"), "a table needs at least one column")
    rows: list[tuple[m.Cell, ...]] = []
    if (rows_node := get("rows")) is not None:
        width = len(cols.value) if isinstance(cols, SequenceNode) else None
        for index, one in enumerate(r.sequence(rows_node, join(path, "rows"), "rows") or ()):
            cells = row(r, one, f"{join(path, 'rows')}[{index}]", width)
            if cells is not None:
                rows.append(cells)
    source = r.rich(get("source"), join(path, "source")) if get("source") else None
    note = r.rich(get("note"), join(path, "note")) if get("note") else None
    if not columns or (get("rows") is not None and not rows and r.failed_under(path)):
        return None
    columns = tuple(
        _align_numeric(col, [cells[i] for cells in rows if i < len(cells)]) for i, col in enumerate(columns)
    )
    return m.Table(columns, tuple(rows), caption, source, note, pos)


def column(r: Reader, node: Node, path: str) -> m.Column | None:
    if isinstance(node, ScalarNode):
        title = r.text(node, path)
        return m.Column(title, "", pos_of(node)) if title is not None else None  # type: ignore[arg-type]
    keys = r.mapping(node, path, "column")
    if keys is None:
        return None
    get = getter(keys)
    title = r.text(get("title"), join(path, "title")) if get("title") else None
    align = r.choice(get("align"), join(path, "align"), "align") if get("align") else ""
    if title is None or align is None:
        return None
    return m.Column(title, align, pos_of(node))  # type: ignore[arg-type]


def row(r: Reader, node: Node, path: str, width: int | None) -> tuple[m.Cell, ...] | None:
    cells = r.sequence(node, path, "cells")
    if cells is None:
        return None
    if width is not None and len(cells) != width:
        r.error(node, path, f"this row has {len(cells)} cells but the table has {width} columns{_split_hint(cells, width)}")
        return None
    out = []
    for index, cell in enumerate(cells):  # every cell, so that every problem is reported
        r.count(cell)
        cell_path = f"{path}[{index}]"
        if isinstance(cell, ScalarNode) and cell.tag in (INT, FLOAT):
            out.append(m.Cell(richtext.plain(cell.value), True, pos_of(cell)))
        elif isinstance(cell, ScalarNode) and cell.tag == NULL:
            out.append(m.Cell(richtext.plain(""), False, pos_of(cell)))
        else:
            text = r.rich(cell, cell_path)
            if text is not None:
                out.append(m.Cell(text, False, pos_of(cell)))
    return tuple(out) if len(out) == len(cells) else None


_NUMBER_START = re.compile(r"^\d{3}(?:[.,]\d+)*%?$")


def _split_hint(cells: list[Node], width: int) -> str:
    """When a number such as $25,000 was split by its comma into two cells
    of a [ ... ] row, say so."""
    if len(cells) <= width:
        return ""
    for first, second in zip(cells, cells[1:]):
        if not (isinstance(first, ScalarNode) and isinstance(second, ScalarNode)):
            continue
        if first.style is not None or second.style is not None:
            continue
        if first.value[-1:].isdigit() and _NUMBER_START.match(second.value):
            joined = f"{first.value},{second.value}"
            return (
                f"; the comma in {joined} ends a cell inside [ ... ]: "
                f"put the value in quotes (\"{joined}\")"
            )
    return ""


def _align_numeric(col: m.Column, cells: list[m.Cell]) -> m.Column:
    """Columns without an explicit alignment: numbers right, text left."""
    if col.align:
        return col
    numeric = bool(cells) and all(cell.numeric or not cell.text for cell in cells)
    return m.Column(col.title, "right" if numeric else "left", col.pos)
