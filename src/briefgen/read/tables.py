"""The table block: columns (optionally grouped under a heading), rows of
cells (spans counted), group and total rows, and the lines around them."""

from __future__ import annotations

import re

from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from .. import model as m
from .. import richtext, tables
from ..suggest import did_you_mean
from .context import FLOAT, INT, NULL, Reader, describe, getter, join, optional
from .ids import block_id
from .positions import pos as pos_of

#: A cell may span at most this many rows or columns.
MAX_SPAN = 1000
#: The keys of a row written as a mapping.
ROW_KINDS = ("group", "total")


def table(r: Reader, node: Node, path: str, pos: m.Pos) -> m.Block | None:
    keys = r.mapping(node, path, "table")
    if keys is None:
        return None
    get = getter(keys)
    anchor = block_id(r, get("id"), path) if get("id") is not None else None
    caption = optional(r.rich, get, path, "caption")
    unit = optional(r.text, get, path, "unit")
    columns: list[m.Column] = []
    groups: list[m.ColumnGroup] = []
    if (cols := get("columns")) is not None:
        _columns(r, cols, join(path, "columns"), columns, groups)
    rows: list[tuple[m.Cell, ...]] = []
    kinds: list[m.RowKind] = []
    # Every row as read (None where it could not be), to check widths.
    checked: list[tuple[m.Cell, ...] | None] = []
    checked_kinds: list[m.RowKind] = []
    row_nodes: list[Node] = []
    if (rows_node := get("rows")) is not None:
        width = len(columns) if columns else None
        for index, one in enumerate(r.sequence(rows_node, join(path, "rows"), "rows") or ()):
            read = row(r, one, f"{join(path, 'rows')}[{index}]", width)
            checked.append(read[0] if read else None)
            checked_kinds.append(read[1] if read else "body")
            row_nodes.append(one)
            if read is not None:
                rows.append(read[0])
                kinds.append(read[1])
    source = optional(r.rich, get, path, "source")
    note = optional(r.rich, get, path, "note")
    notes = ()
    if (notes_node := get("notes")) is not None:
        notes = r.each(r.sequence(notes_node, join(path, "notes"), "rich texts"), join(path, "notes"), r.rich)
    if columns and not r.failed_under(join(path, "columns")):
        _check_widths(r, len(columns), checked, checked_kinds, row_nodes, join(path, "rows"))
    if not columns or (get("rows") is not None and r.failed_under(path)) or r.failed_under(join(path, "columns")):
        return None
    by_column: list[list[m.Cell]] = [[] for _ in columns]
    for slots, kind in zip(tables.place(len(columns), rows, kinds)[0], kinds):
        for slot in slots:
            if kind != "group" and isinstance(slot, tables.Placed) and slot.cell.colspan == 1:
                by_column[slot.column].append(slot.cell)
    aligned = tuple(_align_numeric(col, cells) for col, cells in zip(columns, by_column))
    return m.Table(
        aligned, tuple(rows), caption, source, note, pos,
        groups=tuple(groups), row_kinds=tuple(kinds) if any(k != "body" for k in kinds) else (),
        unit=unit, notes=notes, id=anchor,
    )


def _columns(r: Reader, node: Node, path: str, leaves: list[m.Column], groups: list[m.ColumnGroup]) -> None:
    """The leaf columns, and the groups over them (one level of grouping)."""
    items = r.sequence(node, path, "columns")
    if items is None:
        return
    if not items and isinstance(node, SequenceNode):
        r.error(node, path, "a table needs at least one column")
    for index, item in enumerate(items):
        item_path = f"{path}[{index}]"
        sub = _subcolumns(r, item)
        if sub is None:
            one = column(r, item, item_path)
            if one is not None:
                leaves.append(m.Column(one.title, one.align, one.pos, (index,)))
            continue
        keys = r.mapping(item, item_path, "column")
        if keys is None:
            continue
        get = getter(keys)
        title = r.text(get("title"), join(item_path, "title")) if get("title") else None
        if get("align") is not None:
            r.error(get("align"), join(item_path, "align"), "a column group has no alignment of its own; align its columns")
        sub_path = join(item_path, "columns")
        children = r.sequence(sub, sub_path, "columns") or []
        if not children:
            r.error(sub, sub_path, "a column group needs at least one column")
        start = len(leaves)
        for child_index, child in enumerate(children):
            if isinstance(child, MappingNode) and _subcolumns(r, child) is not None:
                r.error(child, f"{sub_path}[{child_index}]", "column groups nest one level only (a two-level header)")
                continue
            one = column(r, child, f"{sub_path}[{child_index}]")
            if one is not None:
                leaves.append(m.Column(one.title, one.align, one.pos, (index, "columns", child_index)))
        if title is not None and len(leaves) > start:
            groups.append(m.ColumnGroup(title, start, len(leaves) - start, pos_of(item), index))


def _subcolumns(r: Reader, node: Node) -> Node | None:
    """The ``columns:`` of a column mapping (a group), or None for a leaf."""
    if not isinstance(node, MappingNode):
        return None
    for key, value in node.value:
        if isinstance(key, ScalarNode) and key.value == "columns":
            return value
    return None


def column(r: Reader, node: Node, path: str) -> m.Column | None:
    """A leaf column: a heading (empty for a stub column) or ``{title, align}``."""
    if isinstance(node, ScalarNode):
        title = r.text(node, path, allow_empty=True)
        return m.Column(title, "", pos_of(node)) if title is not None else None  # type: ignore[arg-type]
    keys = r.mapping(node, path, "column")
    if keys is None:
        return None
    get = getter(keys)
    title = r.text(get("title"), join(path, "title"), allow_empty=True) if get("title") else None
    align = r.choice(get("align"), join(path, "align"), "align") if get("align") else ""
    if title is None or align is None:
        return None
    return m.Column(title, align, pos_of(node))  # type: ignore[arg-type]


def row(r: Reader, node: Node, path: str, width: int | None) -> tuple[tuple[m.Cell, ...], m.RowKind] | None:
    """A row's cells and kind: a list of cells, ``{group: text}`` or ``{total: [cells]}``."""
    if isinstance(node, MappingNode):
        r.count(node)
        found = [(k, v) for k, v in node.value if isinstance(k, ScalarNode) and k.value in ROW_KINDS]
        for key, _ in node.value:
            name = key.value if isinstance(key, ScalarNode) else ""
            if name not in ROW_KINDS:
                r.error(key, path, f"unknown key '{name}' in a row (a row is a list of cells, {{group: text}} or {{total: [cells]}}){did_you_mean(name, ROW_KINDS)}")
        if len(found) != 1 or len(node.value) != 1:
            if len(found) > 1:
                r.error(node, path, "a row is either {group: text} or {total: [cells]}, not both")
            elif not found and not node.value:
                r.error(node, path, "a row is a list of cells, {group: text} or {total: [cells]}")
            return None
        kind = found[0][0].value
        value = found[0][1]
        if kind == "group":
            text = r.rich(value, join(path, "group"))
            if text is None:
                return None
            return (m.Cell(text, False, pos_of(value), colspan=width or 1),), "group"
        cells = _cells(r, value, join(path, "total"))
        return (cells, "total") if cells is not None else None
    cells = _cells(r, node, path)
    return (cells, "body") if cells is not None else None


def _cells(r: Reader, node: Node, path: str) -> tuple[m.Cell, ...] | None:
    items = r.sequence(node, path, "cells")
    if items is None:
        return None
    out = []
    for index, item in enumerate(items):  # every cell, so that every problem is reported
        one = cell(r, item, f"{path}[{index}]")
        if one is not None:
            out.append(one)
    if len(out) != len(items):
        return None
    if out and all(c.empty for c in out):
        r.error(node, path, "this row is empty; an empty cell is fine, an empty row is not (remove it)")
        return None
    return tuple(out)


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


def cell(r: Reader, node: Node, path: str) -> m.Cell | None:
    """A cell: rich text, a number, empty, or ``{text, colspan, rowspan, align}``."""
    r.count(node)
    if isinstance(node, ScalarNode) and node.tag in (INT, FLOAT):
        return m.Cell(richtext.plain(node.value), True, pos_of(node))
    if isinstance(node, ScalarNode) and (node.tag == NULL or node.value == ""):
        return m.Cell(richtext.plain(""), False, pos_of(node))
    if isinstance(node, ScalarNode):
        text = r.rich(node, path)
        return m.Cell(text, False, pos_of(node)) if text is not None else None
    keys = r.mapping(node, path, "cell")
    if keys is None:
        return None
    get = getter(keys)
    inner = get("text")
    base = cell(r, inner, join(path, "text")) if inner is not None else m.Cell(richtext.plain(""), False, pos_of(node))
    spans = {name: _span(r, get(name), join(path, name)) for name in ("colspan", "rowspan") if get(name) is not None}
    align = r.choice(get("align"), join(path, "align"), "align") if get("align") else None
    if base is None or None in spans.values() or (get("align") is not None and align is None):
        return None
    return m.Cell(base.text, base.numeric, pos_of(node), spans.get("colspan", 1), spans.get("rowspan", 1), align)  # type: ignore[arg-type]


def _span(r: Reader, node: Node, path: str) -> int | None:
    r.count(node)
    if isinstance(node, ScalarNode) and node.tag == INT:
        try:
            value = int(node.value.replace("_", ""), 0)
        except ValueError:
            value = 0
        if 1 <= value <= MAX_SPAN:
            return value
    r.error(node, path, f"a span is a whole number of cells, at least 1, found {describe(node)}")
    return None


def _check_widths(
    r: Reader, width: int, rows: list, kinds: list, nodes: list[Node], path: str
) -> None:
    """Every row must fill the columns exactly, spans counted: report each bad one."""
    _, problems = tables.place(width, rows, kinds)
    for problem in problems:
        where = nodes[problem.row]
        row_path = f"{path}[{problem.row}]"
        if problem.cell is not None:
            cell_node = _cell_node(where, problem.cell)
            r.error(cell_node or where, f"{row_path}[{problem.cell}]", problem.message)
        else:
            hint = ""
            if problem.message.startswith("this row has") and isinstance(where, SequenceNode):
                hint = _split_hint(where.value, width)
            r.error(where, row_path, problem.message + hint)


def _cell_node(row_node: Node, index: int) -> Node | None:
    if isinstance(row_node, MappingNode):
        row_node = row_node.value[0][1]
    if isinstance(row_node, SequenceNode) and index < len(row_node.value):
        return row_node.value[index]
    return None


def _align_numeric(col: m.Column, cells: list[m.Cell]) -> m.Column:
    """Columns without an explicit alignment: numbers right, text left."""
    if col.align:
        return col
    numeric = bool(cells) and all(cell.numeric or not cell.text for cell in cells)
    return m.Column(col.title, "right" if numeric else "left", col.pos, col.where)
