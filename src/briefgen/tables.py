"""Where each cell of a table sits on the grid, spans counted.

A row lists only the cells that start in it: a cell with ``colspan: 2``
covers the next column too, and one with ``rowspan: 2`` covers its column
in the row below, which then lists one cell fewer.  The reader checks rows
with :func:`place` (every row too short or too long, each at its line);
the writers draw from the same placement, so HTML ``colspan``/``rowspan``
and Word ``gridSpan``/``vMerge`` always agree.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from .model import Cell, RichText, RowKind, Table


@dataclass(frozen=True, slots=True)
class Placed:
    """A cell at grid column ``column`` of its row."""

    cell: Cell
    column: int


@dataclass(frozen=True, slots=True)
class Covered:
    """A grid slot under a cell that spans down into this row from ``row``."""

    origin: Placed
    row: int
    last: bool  # the last row the cell covers


@dataclass(frozen=True, slots=True)
class RowProblem:
    row: int
    cell: int | None  # the cell at fault, or None for the row as a whole
    message: str


def place(
    width: int, rows: Sequence[Sequence[Cell] | None], kinds: Sequence[RowKind] = ()
) -> tuple[list[list[Placed | Covered]], list[RowProblem]]:
    """Every row's slots, left to right (a colspan's extra slots are left out),
    and the rows whose cells do not fill the width exactly.  A row given as
    None (one the reader could not read) is taken to fill the width."""
    out: list[list[Placed | Covered]] = []
    problems: list[RowProblem] = []
    below: dict[int, tuple[Placed, int, int]] = {}  # column -> (origin, origin row, rows left)
    for index, row in enumerate(rows):
        kind = kinds[index] if index < len(kinds) else "body"
        if row is None:
            below = {col: (o, r, left - 1) for col, (o, r, left) in below.items() if left > 1}
            out.append([])
            continue
        slots: list[Placed | Covered] = []
        if kind == "group" and below:
            first_row = min(origin_row for _, origin_row, _ in below.values())
            problems.append(RowProblem(first_row, None, f"a rowspan reaches into the group row {index + 1}; end the span before it"))
            below.clear()
        column = 0
        overrun: int | None = None
        used: dict[int, tuple[Placed, int, int]] = {}
        for cell_index, cell in enumerate(row):
            column = _continue_spans(below, used, slots, column)
            placed = Placed(cell, column)
            if column + cell.colspan > width and overrun is None:
                overrun = cell_index
                plain = all(c.colspan == 1 for c in row) and not any(isinstance(x, Covered) for x in slots)
                if plain:
                    problems.append(RowProblem(index, None, _short(row, len(row), width)))
                else:
                    problems.append(RowProblem(index, cell_index, _overrun(cell, column, width)))
            slots.append(placed)
            if cell.rowspan > 1:
                used[column] = (placed, index, cell.rowspan - 1)
            column += cell.colspan
        column = _continue_spans(below, used, slots, column)
        if below:  # a rowspan slot beyond this row's last cell, after a gap
            for col, (origin, origin_row, left) in sorted(below.items()):
                slots.append(Covered(origin, origin_row, left == 1))
                if left > 1:
                    used[col] = (origin, origin_row, left - 1)
            column = max(column, max(col + o.cell.colspan for col, (o, _, _) in below.items()))
        if column < width and not any(p.row == index for p in problems):
            problems.append(RowProblem(index, None, _short(row, column, width)))
        elif column > width and not any(p.row == index for p in problems):
            problems.append(RowProblem(index, None, f"this row fills {column} columns but the table has {width}"))
        below = used
        out.append(slots)
    for origin, origin_row, left in below.values():
        problems.append(RowProblem(origin_row, None, f"a cell's rowspan of {origin.cell.rowspan} runs {left} row{'s' if left != 1 else ''} past the end of the table"))
    return out, problems


def _continue_spans(
    below: dict[int, tuple[Placed, int, int]],
    used: dict[int, tuple[Placed, int, int]],
    slots: list[Placed | Covered],
    column: int,
) -> int:
    """Cover the slots that rowspans from rows above still hold from
    ``column`` on; keep the spans that go on below; the next free column."""
    while column in below:
        origin, origin_row, left = below.pop(column)
        slots.append(Covered(origin, origin_row, left == 1))
        if left > 1:
            used[column] = (origin, origin_row, left - 1)
        column += origin.cell.colspan
    return column


def _overrun(cell: Cell, column: int, width: int) -> str:
    if cell.colspan > 1:
        return f"this cell's colspan of {cell.colspan} starts in column {column + 1} and runs past the table's {width} columns"
    return f"this cell falls in column {column + 1} but the table has {width} columns (spans counted)"


def _short(row: Sequence[Cell], filled: int, width: int) -> str:
    count = len(row)
    cells = f"{count} cell{'s' if count != 1 else ''}"
    if all(c.colspan == 1 for c in row) and filled == count:
        return f"this row has {cells} but the table has {width} columns"
    return f"this row's {cells} fill {filled} of the table's {width} columns (spans counted)"


def grid(table: Table) -> list[list[Placed | Covered]]:
    """The placement of a table the reader already checked."""
    return place(len(table.columns), table.rows, table.row_kinds)[0]


def header_rows(table: Table) -> int:
    """How many header rows the table has: two under column groups."""
    return 2 if table.groups else 1


@dataclass(frozen=True, slots=True)
class HeaderSlot:
    """A cell of the first header row under column groups: a group heading
    over ``span`` columns, or an ungrouped column's heading spanning both rows."""

    title: str
    group: bool
    span: int
    align: str
    column: int


def header_slots(table: Table) -> list[HeaderSlot]:
    """The first header row of a table with column groups, left to right."""
    starts = {group.start: group for group in table.groups}
    slots: list[HeaderSlot] = []
    column = 0
    while column < len(table.columns):
        group = starts.get(column)
        if group is not None:
            slots.append(HeaderSlot(group.title, True, group.span, "center", column))
            column += group.span
        else:
            leaf = table.columns[column]
            slots.append(HeaderSlot(leaf.title, False, 1, leaf.align, column))
            column += 1
    return slots


def grouped(table: Table, column: int) -> bool:
    """Whether leaf ``column`` sits under a group heading."""
    return any(g.start <= column < g.start + g.span for g in table.groups)


@dataclass(frozen=True, slots=True)
class Chunk:
    """Consecutive rows that must stay on one page together (a rowspan ties
    them), or one row alone."""

    rows: list[tuple[int, list[Placed | Covered]]]
    spanned: bool


def row_chunks(table: Table) -> list[Chunk]:
    """The body rows as row groups (``<tbody>``): rows a rowspan joins form a
    group of their own, kept on one page; a ``{group}`` row starts a group."""
    merged: list[Chunk] = []
    for chunk in _span_chunks(table):
        starts_group = table.kind_of(chunk.rows[0][0]) == "group"
        if merged and not chunk.spanned and not merged[-1].spanned and not starts_group:
            merged[-1].rows.extend(chunk.rows)
        else:
            merged.append(Chunk(list(chunk.rows), chunk.spanned))
    return merged


def _span_chunks(table: Table) -> list[Chunk]:
    chunks: list[Chunk] = []
    reach = -1  # last row the current chunk must include
    current: list[tuple[int, list[Placed | Covered]]] = []
    for index, slots in enumerate(grid(table)):
        if current and index > reach:
            chunks.append(Chunk(current, len(current) > 1))
            current = []
        current.append((index, slots))
        for slot in slots:
            if isinstance(slot, Placed) and slot.cell.rowspan > 1:
                reach = max(reach, index + slot.cell.rowspan - 1)
    if current:
        chunks.append(Chunk(current, len(current) > 1))
    return chunks


#: Headings are bold, a little wider than body text; and every column's
#: longest word gets this many characters more than its length.
BOLD_WIDTH = 1.1
WORD_MARGIN = 1


#: A URL or an e-mail address wraps at these characters (the writers put
#: line-break opportunities there), so its pieces, not its whole, must fit.
_ADDRESS_BREAKS = re.compile(r"[/.?#&=@-]")


def unbreakable(text: str) -> list[str]:
    """The pieces of ``text`` a line can never break inside: words, and the
    parts of a URL or e-mail address between the places where it may wrap."""
    pieces: list[str] = []
    for word in text.split():
        if "://" in word or "@" in word or word.startswith("www."):
            pieces += [piece for piece in _ADDRESS_BREAKS.split(word) if piece]
        else:
            pieces.append(word)
    return pieces


def column_widths(
    table: Table, total: int, char: int, padding: int, *, shown: Callable[[RichText], str] | None = None
) -> list[int]:
    """Column widths adding up to ``total``, following the content.

    ``shown`` gives the text a cell prints (a writer formats citations,
    which ``plain()`` leaves out); by default the cell's plain text.

    Room is given in three rounds, each only when the one before is met:
    every column's longest word (no word is ever broken), then the body
    text of each column (so a stub column of long labels is not wrapped),
    then the headings (which wrap between words when room runs out).
    Cells that span columns and group rows do not count: they have the
    room of several columns.
    """
    texts: list[list[str]] = [[] for _ in table.columns]
    for index, slots in enumerate(grid(table)):
        if table.kind_of(index) == "group":
            continue
        for slot in slots:
            if isinstance(slot, Placed) and slot.cell.colspan == 1:
                texts[slot.column].append(shown(slot.cell.text) if shown else slot.cell.text.plain())
    rounds: list[list[int]] = [[], [], []]
    for column, body in zip(table.columns, texts):
        body_word = max((len(w) for text in body for w in unbreakable(text)), default=0)
        head_word = max((len(w) for w in column.title.split()), default=0)
        longest = max((len(text) for text in body), default=0)
        # Counting characters underestimates wide letters (M, W) and bold
        # headings: a word gets a little more than its length, never less.
        need = max(body_word, math.ceil(head_word * BOLD_WIDTH), 1) + WORD_MARGIN
        body_room = max(need, min(longest, 40))
        head_room = max(body_room, min(len(column.title), 40))
        for target, chars in zip(rounds, (need, body_room, head_room)):
            target.append(padding + char * chars)
    if sum(rounds[2]) <= total:
        return _scaled(rounds[2], total)
    for low, high in ((rounds[1], rounds[2]), (rounds[0], rounds[1])):
        if sum(low) <= total:
            spare = total - sum(low)
            extra = [h - l for l, h in zip(low, high)]
            return _scaled([l + e * spare // max(sum(extra), 1) for l, e in zip(low, extra)], total)
    return _scaled(rounds[0], total)


def _scaled(widths: list[int], total: int) -> list[int]:
    """``widths`` scaled to add up to ``total``; the last column takes the rounding."""
    scale = total / max(sum(widths), 1)
    scaled = [int(width * scale) for width in widths]
    scaled[-1] += total - sum(scaled)
    return scaled


#: About how many characters of table text fit across the PDF's text width.
PRINT_CHARS_ACROSS = 100


def column_percents(table: Table) -> list[float]:
    """The same widths as percentages, for the HTML ``<col>`` elements."""
    total = 115 * PRINT_CHARS_ACROSS
    widths = column_widths(table, total, 115, 260)
    return [round(width * 100 / total, 2) for width in widths]
