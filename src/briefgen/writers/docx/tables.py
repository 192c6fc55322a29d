"""Tables and numbered captions in the Word file.

A mixin of the Word writer (it uses the writer's styles, marks and rich
text).  Spans are Word's own: ``gridSpan`` across columns and ``vMerge``
down rows; every header row is a ``tblHeader`` row that Word repeats on
each page, and no row may split across pages (``cantSplit``).  Captions
carry their number as a ``SEQ`` field inside a bookmark, so Word's own
cross-references and "Update field" keep working after an editor inserts
a table.
"""

from __future__ import annotations

from docx.oxml.xmlchemy import BaseOxmlElement

from ... import tables
from ...model import Block, RichText, Table
from .. import ooxml

#: Rough width of a table character and the cell's side margins, in twips.
CHAR_WIDTH = 115
CELL_PADDING = 260
#: ``SEQ`` identifiers: Word's own, whatever the language of the label.
SEQ_NAMES = {"table": "Table", "figure": "Figure"}
GROUP_FILL = "EEF1F5"


class TablesMixin:
    """Table and caption methods of :class:`briefgen.writers.docx.writer._DocxWriter`."""

    # -- captions ------------------------------------------------------------

    def _numbered_caption(self, block: Block, caption: RichText, path: tuple, where: tuple) -> None:
        """A caption paragraph: "Table 2. " (a SEQ field in a bookmark), then the text."""
        paragraph = self._styled(self.document, "Caption")
        prefix = ""
        number = getattr(block, "number", 0)
        if number:
            kind = "table" if isinstance(block, Table) else "figure"
            word = self.labels[kind]
            runs = [ooxml.new_run(f"{word} ")] + ooxml.field_runs(
                f"SEQ {SEQ_NAMES[kind]} \\* ARABIC", str(number)
            )
            block_id = getattr(block, "id", None)
            if block_id:
                self.bookmarks += 1
                runs = [
                    ooxml.bookmark_start(self.bookmarks, self._target_bookmark(block_id)),
                    *runs,
                    ooxml.bookmark_end(self.bookmarks),
                ]
            paragraph.extend(runs)
            paragraph.append(ooxml.new_run(". "))
            prefix = f"{word} {number}. "
        self._inlines(paragraph, caption.inlines)
        self._mark(paragraph, "rich", (*path, "caption"), block=where, rich=caption, prefix=prefix)

    # -- tables --------------------------------------------------------------

    def _table(self, table: Table, path: tuple) -> None:
        if table.caption:
            self._numbered_caption(table, table.caption, (*path, "table"), path)
        if table.unit:
            unit = self._plain(self.document, table.unit, "Block Source")
            self._mark(unit, "plain", (*path, "table", "unit"), block=path, text=table.unit)
        heads = tables.header_rows(table)
        width = len(table.columns)
        docx_table = self.document.add_table(len(table.rows) + heads, width)
        tbl = docx_table._tbl
        widths = self._column_widths(table)
        ooxml.set_table_layout(
            tbl, style_id=self.style["Brief Table"], column_widths=widths, header_row=True
        )
        title = table.caption.plain() if table.caption else self.labels["table"]
        description = f"{self.labels['table_columns']}: " + ", ".join(c.title for c in table.columns)
        ooxml.set_table_alt_text(tbl, title, description)
        rows = tbl.tr_lst
        self._header_rows(table, rows[:heads], widths, path)
        for index, (tr, slots) in enumerate(zip(rows[heads:], tables.grid(table))):
            ooxml.set_row_flags(tr, header=False)
            self._body_row(table, index, tr, slots, widths, path)
        notes = table.all_notes
        self._labelled(table.source, f"{self.labels['source']}: ", (*path, "table", "source"), path)
        if len(notes) == 1:
            where = ("note",) if table.note else ("notes", 0)
            self._labelled(notes[0], f"{self.labels['note']}: ", (*path, "table", *where), path)
        elif notes:
            label = f"{self.labels['notes']}:"
            self._fixed(self._plain(self.document, label, "Block Source"), label, (*path, "table", "notes-label"))
            offset = 1 if table.note else 0
            for index, note in enumerate(notes):
                where = ("note",) if table.note and index == 0 else ("notes", index - offset)
                self._labelled(note, f"{index + 1}. ", (*path, "table", *where), path)

    def _header_rows(self, table: Table, rows: list, widths: list[int], path: tuple) -> None:
        """One header row, or two under column groups (group headings span
        their columns; an ungrouped column's heading spans both rows)."""
        for tr in rows:
            ooxml.set_row_flags(tr, header=True)
        if not table.groups:
            for index, (tc, column) in enumerate(zip(rows[0].tc_lst, table.columns)):
                self._heading_cell(tc, column.title, column.align, (*path, "table", "columns", *column_path(column, index), "title"), path)
            return
        top, bottom = rows
        top_cells = list(top.tc_lst)
        bottom_cells = list(bottom.tc_lst)
        for slot in tables.header_slots(table):
            tc = top_cells[slot.column]
            if slot.group:
                group = next(g for g in table.groups if g.start == slot.column)
                covered = top_cells[slot.column + 1 : slot.column + slot.span]
                _span(tc, covered, widths[slot.column : slot.column + slot.span])
                for extra in covered:
                    top.remove(extra)
                self._heading_cell(tc, slot.title, "center", (*path, "table", "columns", group.index, "title"), path)
                for leaf in range(slot.column, slot.column + slot.span):
                    column = table.columns[leaf]
                    self._heading_cell(bottom_cells[leaf], column.title, column.align, (*path, "table", "columns", *column_path(column, leaf), "title"), path)
            else:
                column = table.columns[slot.column]
                _vmerge(tc, "restart")
                self._heading_cell(tc, column.title, column.align, (*path, "table", "columns", *column_path(column, slot.column), "title"), path)
                _vmerge(bottom_cells[slot.column], "continue")
                ooxml.set_paragraph_style(bottom_cells[slot.column].p_lst[0], self.style["Table Heading"])

    def _heading_cell(self, tc: BaseOxmlElement, title: str, align: str, path: tuple, block: tuple) -> None:
        paragraph = tc.p_lst[0]
        ooxml.set_paragraph_style(paragraph, self.style[_aligned("Table Heading", align)])
        paragraph.append(ooxml.new_run(title))
        self._mark(paragraph, "plain", path, block=block, text=title)

    def _body_row(self, table: Table, index: int, tr: BaseOxmlElement, slots: list, widths: list[int], path: tuple) -> None:
        kind = table.kind_of(index)
        cells = list(tr.tc_lst)
        removed: set[int] = set()
        for slot in slots:
            origin = slot if isinstance(slot, tables.Placed) else slot.origin
            column, cell = origin.column, origin.cell
            tc = cells[column]
            span = cells[column + 1 : column + cell.colspan]
            removed.update(range(column + 1, column + cell.colspan))
            _span(tc, span, widths[column : column + cell.colspan])
            align = cell.align or table.columns[column].align
            paragraph = tc.p_lst[0]
            # Group labels and totals are bold through their style (not run
            # formatting, which pull would read as an edit); a group label's
            # style also keeps it with the row below.
            base = "Table Heading" if kind in ("group", "total") else "Table Text"
            ooxml.set_paragraph_style(paragraph, self.style[_aligned(base, align)])
            if isinstance(slot, tables.Covered):
                _vmerge(tc, "continue")
                continue
            if cell.rowspan > 1:
                _vmerge(tc, "restart")
            if kind == "group":
                ooxml.put(tc.get_or_add_tcPr(), ooxml.element("w:shd", {"w:val": "clear", "w:color": "auto", "w:fill": GROUP_FILL}), ooxml.TCPR_ORDER)
            if kind == "total":
                ooxml.put(tc.get_or_add_tcPr(), _top_rule(), ooxml.TCPR_ORDER)
            self._inlines(paragraph, cell.text.inlines)
            self._mark(paragraph, "rich", (*path, "table", "rows", *cell_path(table, index, slots, slot)), block=path, rich=cell.text)
        for column, tc in enumerate(cells):
            if column in removed:
                tr.remove(tc)

    def _column_widths(self, table: Table) -> list[int]:
        """Column widths (twips) filling the text width, following the content."""
        return tables.column_widths(
            table, twips(self.text_width), CHAR_WIDTH, CELL_PADDING, shown=lambda rich: self._shown(rich.inlines)
        )

def column_path(column, index: int) -> tuple:
    """Where a leaf column's heading sits in ``columns``: ``(2,)`` or, under a group, ``(1, "columns", 0)``."""
    return tuple(column.where) if getattr(column, "where", ()) else (index,)


def cell_path(table: Table, row: int, slots: list, slot) -> tuple:
    """Where a cell sits in its YAML row: ``(row, i)``, ``(row, "group")`` or ``(row, "total", i)``."""
    kind = table.kind_of(row)
    if kind == "group":
        return (row, "group")
    placed = [s for s in slots if isinstance(s, tables.Placed)]
    position = placed.index(slot)
    return (row, "total", position) if kind == "total" else (row, position)


def _span(tc: BaseOxmlElement, covered: list, widths: list[int]) -> None:
    """Make ``tc`` cover the cells in ``covered`` (removed by the caller)."""
    if not covered:
        return
    tc_pr = tc.get_or_add_tcPr()
    ooxml.put(tc_pr, ooxml.element("w:tcW", {"w:w": str(sum(widths)), "w:type": "dxa"}), ooxml.TCPR_ORDER)
    ooxml.put(tc_pr, ooxml.element("w:gridSpan", {"w:val": str(len(covered) + 1)}), ooxml.TCPR_ORDER)


def _vmerge(tc: BaseOxmlElement, how: str) -> None:
    attrs = {"w:val": "restart"} if how == "restart" else {}
    ooxml.put(tc.get_or_add_tcPr(), ooxml.element("w:vMerge", attrs), ooxml.TCPR_ORDER)


def _top_rule() -> BaseOxmlElement:
    borders = ooxml.element("w:tcBorders")
    borders.append(ooxml.element("w:top", {"w:val": "single", "w:sz": "8", "w:space": "0", "w:color": "1F3A5F"}))
    return borders


def _aligned(style: str, align: str) -> str:
    return {"left": style, "center": f"{style} Center", "right": f"{style} Right"}[align]


def twips(emu: float) -> int:
    return int(emu) // 635

