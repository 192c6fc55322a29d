"""The reader: a brief's YAML file -> a validated :class:`~briefgen.model.Brief`.

YAML is composed (not constructed) with PyYAML's safe loader, so every node
keeps its line and column and no value is ever reinterpreted: a title of
``no`` stays the text ``no``, ``1.50`` in a table stays ``1.50``.  The
checker then walks the node tree once, collecting *every* problem before it
gives up, and builds the immutable model from what is valid.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import unicodedata
from pathlib import Path
from typing import Callable, TypeVar

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from . import model as m
from . import richtext, spec
from .errors import BriefErrors, Diagnostic
from .suggest import did_you_mean

MAX_FILE_BYTES = 2 * 1024 * 1024
MAX_NESTING = 64
MAX_NODES = 200_000  # nodes visited, aliases counted each time they are used
IMAGE_TYPES = {".png", ".jpg", ".jpeg", ".gif", ".svg", ".webp"}

T = TypeVar("T")

_STR = "tag:yaml.org,2002:str"
_NULL = "tag:yaml.org,2002:null"
_BOOL = "tag:yaml.org,2002:bool"
_INT = "tag:yaml.org,2002:int"
_FLOAT = "tag:yaml.org,2002:float"


class _Limited(Exception):
    """The document is too big or too deeply nested to read safely."""


class _BoundedLoader(yaml.SafeLoader):
    """SafeLoader's composer with a nesting limit.

    Aliases are composed as shared nodes (cheap); the walker below counts
    every node it visits, so an alias 'bomb' is stopped when it is walked.
    """

    def __init__(self, stream: str):
        super().__init__(stream)
        self._depth = 0

    def compose_node(self, parent, index):  # type: ignore[override]
        self._depth += 1
        try:
            if self._depth > MAX_NESTING:
                mark = self.peek_event().start_mark
                raise yaml.MarkedYAMLError(
                    problem=f"the document nests deeper than {MAX_NESTING} levels",
                    problem_mark=mark,
                )
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1


def _pos(node: Node) -> m.Pos:
    return m.Pos(node.start_mark.line + 1, node.start_mark.column + 1)


def _describe(node: Node) -> str:
    if isinstance(node, MappingNode):
        return "a mapping"
    if isinstance(node, SequenceNode):
        return "a list"
    if node.tag == _NULL:
        return "nothing"
    if node.tag in (_INT, _FLOAT):
        return f"the number {node.value}"
    return f"'{_shorten(node.value)}'"


def _shorten(text: str, limit: int = 40) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def slugify(title: str) -> str:
    """An anchor from a heading: ASCII letters and digits joined by hyphens."""
    folded = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    words = re.findall(r"[a-z0-9]+", folded.lower().replace("’", "").replace("'", ""))
    return "-".join(words[:8])


class _Checker:
    """Walks the composed YAML, reporting problems and building the model."""

    def __init__(self, file: Path):
        self.file = file
        self.folder = file.parent.resolve()
        self.diagnostics: list[Diagnostic] = []
        self.visited = 0
        self.notes = richtext.FootnoteNumbering()
        self.section_ids: dict[str, m.Pos] = {}
        self.id_counters: dict[str, int] = {}
        self.lang = "en"  # for typographic quotes; set from the brief's 'lang'

    # -- reporting ----------------------------------------------------------

    def error(self, node: Node | m.Pos, path: str, message: str) -> None:
        pos = node if isinstance(node, m.Pos) else _pos(node)
        self.diagnostics.append(
            Diagnostic(self.file, pos.line, pos.column, "error", message, path)
        )

    def count(self, node: Node) -> None:
        self.visited += 1
        if self.visited > MAX_NODES:
            raise _Limited(_TOO_BIG)

    # -- generic shapes -----------------------------------------------------

    def mapping(self, node: Node, path: str, kind: str) -> dict[str, tuple[Node, Node]] | None:
        """The keys of a mapping node, after checking them against ``spec``."""
        self.count(node)
        if not isinstance(node, MappingNode):
            if kind == "brief":
                self.error(node, path, f"a brief is a mapping of keys (title:, summary:, sections:, ...), but this file holds {_describe(node)}")
            else:
                self.error(node, path, f"expected a mapping ({kind} keys), found {_describe(node)}")
            return None
        known = spec.OBJECTS[kind]
        found: dict[str, tuple[Node, Node]] = {}
        for key_node, value_node in node.value:
            self.count(key_node)
            if not isinstance(key_node, ScalarNode):
                self.error(key_node, path, "a key must be plain text")
                continue
            key = key_node.value
            if key in found:
                first = _pos(found[key][0])
                self.error(key_node, path, f"duplicate key '{key}' (first given on line {first.line})")
                continue
            if key not in known:
                hint = did_you_mean(key, known)
                self.error(key_node, _join(path, key), f"unknown key '{key}' in {_label(kind)}{hint}")
                continue
            found[key] = (key_node, value_node)
        for key in known.values():
            if key.required and key.name not in found:
                self.error(node, path, f"{_label(kind)} is missing the required key '{key.name}'")
        return found

    def sequence(self, node: Node, path: str, what: str) -> list[Node] | None:
        self.count(node)
        if isinstance(node, SequenceNode):
            return list(node.value)
        if isinstance(node, ScalarNode) and node.tag == _NULL:
            return []
        self.error(node, path, f"expected a list of {what}, found {_describe(node)}")
        return None

    def text(self, node: Node, path: str, *, allow_empty: bool = False) -> str | None:
        """A scalar as the text the author typed; YAML never reinterprets it."""
        self.count(node)
        if isinstance(node, ScalarNode) and node.tag != _NULL:
            value = node.value.strip() if node.style is None else node.value.rstrip("\n")
            if value or allow_empty:
                return value
            self.error(node, path, "must not be empty")
            return None
        if isinstance(node, ScalarNode):
            if not allow_empty:
                self.error(node, path, "must not be empty")
                return None
            return ""
        self.error(node, path, f"expected text, found {_describe(node)}")
        return None

    def rich(self, node: Node, path: str, *, footnotes: bool = True) -> m.RichText | None:
        source = self.text(node, path)
        if source is None:
            return None
        return richtext.parse(
            source,
            self.notes if footnotes else None,
            _pos(node),
            on_error=lambda message: self.error(node, path, message),
            lang=self.lang,
        )

    def choice(self, node: Node, path: str, kind: str) -> str | None:
        value = self.text(node, path)
        if value is None:
            return None
        options = spec.CHOICES[kind]
        if value not in options:
            listed = ", ".join(f"'{o}'" for o in options)
            self.error(node, path, f"'{value}' is not one of {listed}{did_you_mean(value, options)}")
            return None
        return value

    def date(self, node: Node, path: str) -> dt.date | None:
        value = self.text(node, path)
        if value is None:
            return None
        if re.fullmatch(spec.DATE_PATTERN[1:-1], value):
            try:
                return dt.date.fromisoformat(value)
            except ValueError:
                pass
        self.error(node, path, f"'{value}' is not a date written as YYYY-MM-DD")
        return None

    def boolean(self, node: Node, path: str) -> bool | None:
        self.count(node)
        if isinstance(node, ScalarNode) and node.tag == _BOOL:
            return node.value.lower() in ("true", "yes", "on", "y")
        self.error(node, path, f"expected true or false, found {_describe(node)}")
        return None

    def number(self, node: Node, path: str) -> float | None:
        self.count(node)
        if isinstance(node, ScalarNode) and node.tag in (_INT, _FLOAT):
            try:
                return float(node.value.replace("_", ""))
            except ValueError:
                pass
        self.error(node, path, f"expected a number, found {_describe(node)}")
        return None

    def each(self, nodes: list[Node] | None, path: str, read: Callable[[Node, str], T | None]) -> tuple[T, ...]:
        out = []
        for index, item in enumerate(nodes or ()):
            value = read(item, f"{path}[{index}]")
            if value is not None:
                out.append(value)
        return tuple(out)

    def text_list(self, node: Node, path: str) -> tuple[str, ...]:
        if isinstance(node, ScalarNode) and node.tag != _NULL:  # one value for a list of one
            value = self.text(node, path)
            return (value,) if value else ()
        return self.each(self.sequence(node, path, "texts"), path, self.text)

    # -- the brief ----------------------------------------------------------

    def brief(self, root: Node) -> m.Brief | None:
        keys = self.mapping(root, "", "brief")
        if keys is None:
            return None
        get = _getter(keys)

        footnote_nodes = self.footnote_nodes(get("footnotes"))
        self.notes = richtext.FootnoteNumbering(frozenset(footnote_nodes))

        fields: dict = {}
        for name in ("title", "subtitle", "version", "organization", "marking"):
            if (node := get(name)) is not None:
                fields[name] = self.text(node, name)
        for name in ("date", "updated"):
            if (node := get(name)) is not None:
                fields[name] = self.date(node, name)
        if (node := get("status")) is not None:
            fields["status"] = self.choice(node, "status", "status")
        if (node := get("lang")) is not None:
            lang = self.text(node, "lang")
            if lang and not re.fullmatch(spec.LANG_PATTERN, lang):
                self.error(node, "lang", f"'{lang}' is not a language tag such as 'en' or 'zh-Hans'")
            else:
                fields["lang"] = lang
                self.lang = lang or "en"
        for name in ("authors", "keywords"):
            if (node := get(name)) is not None:
                fields[name] = self.text_list(node, name)
        # Reading order decides footnote numbers: parse in the order of the page.
        if (node := get("summary")) is not None:
            fields["summary"] = self.rich(node, "summary")
        if (node := get("key_points")) is not None:
            fields["key_points"] = self.each(self.sequence(node, "key_points", "rich texts"), "key_points", self.rich)
        if (node := get("key_figures")) is not None:
            fields["key_figures"] = self.each(
                self.sequence(node, "key_figures", "key figures"), "key_figures", self.key_figure
            )
        if (node := get("sections")) is not None:
            sections = self.sections(node, "sections", level=1)
            if not sections and isinstance(node, SequenceNode) and not node.value:
                self.error(node, "sections", "a brief needs at least one section")
            fields["sections"] = sections
        if (node := get("conclusion")) is not None:
            fields["conclusion"] = self.rich_or_blocks(node, "conclusion")
        if (node := get("sources")) is not None:
            fields["sources"] = self.each(self.sequence(node, "sources", "sources"), "sources", self.source)
        fields["footnotes"] = self.footnotes(footnote_nodes)
        if (node := get("theme")) is not None:
            theme = self.text(node, "theme")
            if theme and not re.fullmatch(spec.SLUG_PATTERN, theme):
                self.error(node, "theme", f"'{theme}' is not a theme name (lower-case letters, digits, hyphens)")
            else:
                fields["theme"] = theme
        if (node := get("section_numbers")) is not None:
            fields["section_numbers"] = self.boolean(node, "section_numbers")
        if (node := get("pdf_variant")) is not None:
            fields["pdf_variant"] = self.choice(node, "pdf_variant", "pdf_variant")
        if (node := get("max_pages")) is not None:
            pages = self.number(node, "max_pages")
            if pages is not None and (pages != int(pages) or pages < 1):
                self.error(node, "max_pages", f"expected a whole number of pages, 1 or more, found {node.value}")
            elif pages is not None:
                fields["max_pages"] = int(pages)
        if (node := get("density")) is not None:
            fields["density"] = self.choice(node, "density", "density")
        if (node := get("reference_docx")) is not None:
            src = self.text(node, "reference_docx")
            if src:
                fields["reference_docx"] = self.local_file(node, "reference_docx", src, {".docx"}, "a Word document")

        if any(d.severity == "error" for d in self.diagnostics):
            return None
        clean = {k: v for k, v in fields.items() if v is not None}
        return m.Brief(path=self.file, pos=_pos(root), **clean)

    def key_figure(self, node: Node, path: str) -> m.KeyFigure | None:
        keys = self.mapping(node, path, "key_figure")
        if keys is None:
            return None
        get = _getter(keys)
        value = self.text(get("value"), _join(path, "value")) if get("value") else None
        label = self.text(get("label"), _join(path, "label")) if get("label") else None
        note = self.rich(get("note"), _join(path, "note")) if get("note") else None
        if value is None or label is None:
            return None
        return m.KeyFigure(value, label, note, _pos(node))

    def source(self, node: Node, path: str) -> m.Source | None:
        keys = self.mapping(node, path, "source")
        if keys is None:
            return None
        get = _getter(keys)
        values = {
            name: self.text(get(name), _join(path, name))
            for name in ("title", "publisher", "url", "date")
            if get(name) is not None
        }
        url = values.get("url")
        if url:
            problem = richtext.check_url(url)
            if problem:
                self.error(get("url"), _join(path, "url"), problem)
                url = None
        note = self.rich(get("note"), _join(path, "note")) if get("note") else None
        if not values.get("title"):
            return None
        return m.Source(
            values["title"], values.get("publisher"), url, values.get("date"), note, _pos(node)
        )

    def footnote_nodes(self, node: Node | None) -> dict[str, tuple[Node, Node]]:
        if node is None:
            return {}
        self.count(node)
        if not isinstance(node, MappingNode):
            self.error(node, "footnotes", f"expected a mapping of note ids to texts, found {_describe(node)}")
            return {}
        found: dict[str, tuple[Node, Node]] = {}
        for key_node, value_node in node.value:
            self.count(key_node)
            key = key_node.value if isinstance(key_node, ScalarNode) else ""
            path = f"footnotes.{key}"
            if not richtext.FOOTNOTE_ID.fullmatch(key):
                self.error(key_node, path, f"'{_shorten(str(key))}' is not a footnote id (letters, digits, '-', '_')")
            elif key in found:
                first = _pos(found[key][0]).line
                self.error(key_node, path, f"duplicate footnote '{key}' (first given on line {first})")
            else:
                found[key] = (key_node, value_node)
        return found

    def footnotes(self, nodes: dict[str, tuple[Node, Node]]) -> tuple[m.Footnote, ...]:
        numbers = self.notes.numbers
        notes = []
        for note_id, (key_node, value_node) in nodes.items():
            text = self.rich(value_node, f"footnotes.{note_id}", footnotes=False)
            if text is not None:
                notes.append(m.Footnote(note_id, numbers.get(note_id, 0), text, _pos(key_node)))
        notes.sort(key=lambda n: (n.number == 0, n.number))
        return tuple(notes)

    # -- sections -----------------------------------------------------------

    def sections(self, node: Node, path: str, level: int) -> tuple[m.Section, ...]:
        items = self.sequence(node, path, "sections")
        return self.each(items, path, lambda item, p: self.section(item, p, level))

    def section(self, node: Node, path: str, level: int) -> m.Section | None:
        keys = self.mapping(node, path, "section")
        if keys is None:
            return None
        get = _getter(keys)
        title = self.text(get("title"), _join(path, "title")) if get("title") else None
        section_id = self.section_id(get("id"), path, title, _pos(node))
        body = self.blocks(get("body"), _join(path, "body")) if get("body") is not None else ()
        subsections: tuple[m.Section, ...] = ()
        if (sub := get("sections")) is not None:
            if level >= spec.MAX_SECTION_DEPTH:
                self.error(
                    sub,
                    _join(path, "sections"),
                    f"sections nest at most {spec.MAX_SECTION_DEPTH} levels deep; "
                    "move these subsections up a level or make them paragraphs",
                )
            else:
                subsections = self.sections(sub, _join(path, "sections"), level + 1)
        if title is None or section_id is None:
            return None
        return m.Section(title, section_id, level, body, subsections, _pos(node))

    def section_id(self, node: Node | None, path: str, title: str | None, where: m.Pos) -> str | None:
        if node is not None:
            value = self.text(node, _join(path, "id"))
            if value is None:
                return None
            if not re.fullmatch(spec.SLUG_PATTERN, value):
                self.error(node, _join(path, "id"), f"'{value}' is not a slug (lower-case letters, digits and single hyphens)")
                return None
            if value in self.section_ids:
                first = self.section_ids[value].line
                self.error(node, _join(path, "id"), f"section id '{value}' is already used on line {first}")
                return None
            self.section_ids[value] = _pos(node)
            return value
        base = slugify(title or "") or "section"
        candidate = base
        while candidate in self.section_ids:
            self.id_counters[base] = self.id_counters.get(base, 1) + 1
            candidate = f"{base}-{self.id_counters[base]}"
        self.section_ids[candidate] = where
        return candidate

    # -- blocks -------------------------------------------------------------

    def blocks(self, node: Node, path: str) -> tuple[m.Block, ...]:
        return self.each(self.sequence(node, path, "blocks"), path, self.block)

    def rich_or_blocks(self, node: Node, path: str) -> tuple[m.Block, ...]:
        if isinstance(node, ScalarNode) and node.tag != _NULL:
            text = self.rich(node, path)
            return (m.Paragraph(text, _pos(node)),) if text else ()
        return self.blocks(node, path)

    def block(self, node: Node, path: str) -> m.Block | None:
        self.count(node)
        if isinstance(node, ScalarNode):
            if node.tag == _NULL:
                self.error(node, path, "empty block: write a paragraph or a block such as 'table:'")
                return None
            text = self.rich(node, path)
            return m.Paragraph(text, _pos(node)) if text is not None else None
        if not isinstance(node, MappingNode):
            self.error(node, path, "a block is a paragraph (text) or a mapping with one key such as 'list:' or 'table:'")
            return None
        kinds = [k for k, _ in node.value if isinstance(k, ScalarNode)]
        if len(node.value) != 1 or not kinds:
            names = ", ".join(f"'{k.value}'" for k in kinds)
            self.error(
                node,
                path,
                f"a block has exactly one key (its kind) but this one has {names}; "
                "check the indentation of the keys that belong inside the block",
            )
            return None
        key_node, value = node.value[0]
        kind = key_node.value
        reader = getattr(self, f"block_{kind}", None)
        if kind not in spec.BLOCK_KINDS or reader is None:
            self.error(key_node, path, f"unknown block kind '{kind}'{did_you_mean(kind, spec.BLOCK_KINDS)}")
            return None
        return reader(value, _join(path, kind), _pos(node))

    def block_paragraph(self, node: Node, path: str, pos: m.Pos) -> m.Block | None:
        text = self.rich(node, path)
        return m.Paragraph(text, pos) if text is not None else None

    def block_todo(self, node: Node, path: str, pos: m.Pos) -> m.Block | None:
        text = self.text(node, path)
        return m.Todo(text, pos) if text is not None else None

    def block_page_break(self, node: Node, path: str, pos: m.Pos) -> m.Block | None:
        self.count(node)
        if isinstance(node, ScalarNode) and node.tag == _BOOL and node.value.lower() in ("true", "yes", "on"):
            return m.PageBreak(pos)
        self.error(node, path, f"write 'page_break: true', found {_describe(node)}")
        return None

    def block_quote(self, node: Node, path: str, pos: m.Pos) -> m.Block | None:
        if isinstance(node, ScalarNode):
            text = self.rich(node, path)
            return m.Quote(text, None, pos) if text is not None else None
        keys = self.mapping(node, path, "quote")
        if keys is None:
            return None
        get = _getter(keys)
        text = self.rich(get("text"), _join(path, "text")) if get("text") else None
        attribution = self.rich(get("attribution"), _join(path, "attribution")) if get("attribution") else None
        return m.Quote(text, attribution, pos) if text is not None else None

    def block_callout(self, node: Node, path: str, pos: m.Pos) -> m.Block | None:
        keys = self.mapping(node, path, "callout")
        if keys is None:
            return None
        get = _getter(keys)
        kind = self.choice(get("kind"), _join(path, "kind"), "callout_kind") if get("kind") else "note"
        title = self.text(get("title"), _join(path, "title")) if get("title") else None
        body = self.rich_or_blocks(get("body"), _join(path, "body")) if get("body") else None
        if body is None or kind is None:
            return None
        return m.Callout(body, kind, title, pos)  # type: ignore[arg-type]

    def block_list(self, node: Node, path: str, pos: m.Pos) -> m.Block | None:
        if isinstance(node, SequenceNode):  # shorthand: the items alone
            items = self.list_items(node, _join(path, "items"), nested=False)
            return m.ListBlock(items, "bullet", None, pos) if items else None
        keys = self.mapping(node, path, "list")
        if keys is None:
            return None
        get = _getter(keys)
        lead = self.rich(get("lead"), _join(path, "lead")) if get("lead") else None
        style = self.choice(get("style"), _join(path, "style"), "list_style") if get("style") else "bullet"
        items = self.list_items(get("items"), _join(path, "items"), nested=False) if get("items") else ()
        if get("items") is not None and not items and not self._failed_under(path):
            self.error(get("items"), _join(path, "items"), "a list needs at least one item")
        if not items or style is None:
            return None
        return m.ListBlock(items, style, lead, pos)  # type: ignore[arg-type]

    def _failed_under(self, path: str) -> bool:
        return any(d.path.startswith(path) for d in self.diagnostics)

    def list_items(self, node: Node, path: str, *, nested: bool) -> tuple[m.ListItem, ...]:
        items = self.sequence(node, path, "list items")
        return self.each(items, path, lambda item, p: self.list_item(item, p, nested))

    def list_item(self, node: Node, path: str, nested: bool) -> m.ListItem | None:
        if isinstance(node, ScalarNode):
            text = self.rich(node, path)
            return m.ListItem(text, None, (), _pos(node)) if text is not None else None
        keys = self.mapping(node, path, "list_item")
        if keys is None:
            return None
        get = _getter(keys)
        term = self.rich(get("term"), _join(path, "term")) if get("term") else None
        text = self.rich(get("text"), _join(path, "text")) if get("text") else None
        items: tuple[m.ListItem, ...] = ()
        if (sub := get("items")) is not None:
            if nested:
                self.error(sub, _join(path, "items"), "lists nest one level only")
            else:
                items = self.list_items(sub, _join(path, "items"), nested=True)
        if text is None:
            return None
        return m.ListItem(text, term, items, _pos(node))

    def block_table(self, node: Node, path: str, pos: m.Pos) -> m.Block | None:
        keys = self.mapping(node, path, "table")
        if keys is None:
            return None
        get = _getter(keys)
        caption = self.rich(get("caption"), _join(path, "caption")) if get("caption") else None
        columns: tuple[m.Column, ...] = ()
        if (cols := get("columns")) is not None:
            columns = self.each(self.sequence(cols, _join(path, "columns"), "columns"), _join(path, "columns"), self.column)
            if isinstance(cols, SequenceNode) and not cols.value:
                self.error(cols, _join(path, "columns"), "a table needs at least one column")
        rows: list[tuple[m.Cell, ...]] = []
        if (rows_node := get("rows")) is not None:
            width = len(cols.value) if isinstance(cols, SequenceNode) else None
            for index, row in enumerate(self.sequence(rows_node, _join(path, "rows"), "rows") or ()):
                cells = self.row(row, f"{_join(path, 'rows')}[{index}]", width)
                if cells is not None:
                    rows.append(cells)
        source = self.rich(get("source"), _join(path, "source")) if get("source") else None
        note = self.rich(get("note"), _join(path, "note")) if get("note") else None
        if not columns or (get("rows") is not None and not rows and self._failed_under(path)):
            return None
        columns = tuple(
            _align_numeric(column, [r[i] for r in rows if i < len(r)]) for i, column in enumerate(columns)
        )
        return m.Table(columns, tuple(rows), caption, source, note, pos)

    def column(self, node: Node, path: str) -> m.Column | None:
        if isinstance(node, ScalarNode):
            title = self.text(node, path)
            return m.Column(title, "", _pos(node)) if title is not None else None  # type: ignore[arg-type]
        keys = self.mapping(node, path, "column")
        if keys is None:
            return None
        get = _getter(keys)
        title = self.text(get("title"), _join(path, "title")) if get("title") else None
        align = self.choice(get("align"), _join(path, "align"), "align") if get("align") else ""
        if title is None or align is None:
            return None
        return m.Column(title, align, _pos(node))  # type: ignore[arg-type]

    def row(self, node: Node, path: str, width: int | None) -> tuple[m.Cell, ...] | None:
        cells = self.sequence(node, path, "cells")
        if cells is None:
            return None
        if width is not None and len(cells) != width:
            self.error(node, path, f"this row has {len(cells)} cells but the table has {width} columns")
            return None
        out = []
        for index, cell in enumerate(cells):
            self.count(cell)
            cell_path = f"{path}[{index}]"
            if isinstance(cell, ScalarNode) and cell.tag in (_INT, _FLOAT):
                out.append(m.Cell(richtext.plain(cell.value), True, _pos(cell)))
            elif isinstance(cell, ScalarNode) and cell.tag == _NULL:
                out.append(m.Cell(richtext.plain(""), False, _pos(cell)))
            else:
                text = self.rich(cell, cell_path)
                if text is None:
                    return None
                out.append(m.Cell(text, False, _pos(cell)))
        return tuple(out)

    def block_figure(self, node: Node, path: str, pos: m.Pos) -> m.Block | None:
        keys = self.mapping(node, path, "figure")
        if keys is None:
            return None
        get = _getter(keys)
        src = self.text(get("src"), _join(path, "src")) if get("src") else None
        resolved = self.image_path(get("src"), _join(path, "src"), src) if src else None
        alt = self.text(get("alt"), _join(path, "alt")) if get("alt") else None
        caption = self.rich(get("caption"), _join(path, "caption")) if get("caption") else None
        source = self.rich(get("source"), _join(path, "source")) if get("source") else None
        width = self.percent(get("width"), _join(path, "width")) if get("width") else None
        if resolved is None or alt is None:
            return None
        return m.Figure(src, resolved, alt, caption, source, width, pos)  # type: ignore[arg-type]

    def percent(self, node: Node, path: str) -> float | None:
        self.count(node)
        raw = node.value.strip().rstrip("%").strip() if isinstance(node, ScalarNode) else ""
        try:
            value = float(raw)
        except ValueError:
            value = -1.0
        if not 0 < value <= 100:
            self.error(node, path, f"width is a percentage of the text width between 1 and 100, found {_describe(node)}")
            return None
        return value

    def image_path(self, node: Node, path: str, src: str) -> Path | None:
        resolved = self.local_file(node, path, src, IMAGE_TYPES, "an image this tool reads")
        if resolved is not None and not _looks_like(resolved):
            kind = resolved.suffix.lstrip(".").upper().replace("JPG", "JPEG")
            self.error(node, path, f"'{src}' is not a {kind} image (its content does not match its name)")
            return None
        return resolved

    def local_file(self, node: Node, path: str, src: str, suffixes: set[str], kind: str) -> Path | None:
        """Resolve a path written in the brief, keeping it inside the brief's folder."""
        if re.match(r"^[A-Za-z][A-Za-z0-9+.-]*:", src) or src.startswith("//"):
            self.error(node, path, f"'{src}' is a URL; name a file in the brief's folder (nothing is fetched)")
            return None
        relative = Path(src)
        if relative.is_absolute() or src.startswith("~"):
            self.error(node, path, f"'{src}' is an absolute path; give a path relative to the brief's folder")
            return None
        if ".." in relative.parts:
            self.error(node, path, f"'{src}' leaves the brief's folder ('..'); keep the file inside it")
            return None
        candidate = self.folder / relative
        try:
            resolved = candidate.resolve(strict=True)
        except (OSError, RuntimeError):
            self.error(node, path, f"file '{src}' not found next to {self.file.name}")
            return None
        if not resolved.is_relative_to(self.folder):
            self.error(node, path, f"'{src}' is a link that leads outside the brief's folder")
            return None
        if not resolved.is_file():
            self.error(node, path, f"'{src}' is not a regular file")
            return None
        if resolved.suffix.lower() not in suffixes:
            kinds = ", ".join(sorted(suffixes))
            self.error(node, path, f"'{src}' is not {kind} ({kinds})")
            return None
        if not os.access(resolved, os.R_OK):
            self.error(node, path, f"'{src}' cannot be read (permission denied)")
            return None
        return resolved

    def block_chart(self, node: Node, path: str, pos: m.Pos) -> m.Block | None:
        keys = self.mapping(node, path, "chart")
        if keys is None:
            return None
        get = _getter(keys)
        kind = self.choice(get("type"), _join(path, "type"), "chart_type") if get("type") else None
        texts = {
            name: self.text(get(name), _join(path, name))
            for name in ("title", "alt", "unit")
            if get(name) is not None
        }
        caption = self.rich(get("caption"), _join(path, "caption")) if get("caption") else None
        categories = self.text_list(get("categories"), _join(path, "categories")) if get("categories") else ()
        if get("categories") is not None and not categories:
            self.error(get("categories"), _join(path, "categories"), "a chart needs at least one category")
        series: list[m.Series] = []
        if (series_node := get("series")) is not None:
            items = self.sequence(series_node, _join(path, "series"), "series") or []
            if not items and isinstance(series_node, SequenceNode):
                self.error(series_node, _join(path, "series"), "a chart needs at least one series")
            for index, item in enumerate(items):
                one = self.series(item, f"{_join(path, 'series')}[{index}]", len(categories) if categories else None)
                if one is not None:
                    series.append(one)
        source = self.rich(get("source"), _join(path, "source")) if get("source") else None
        if kind is None or not categories or not series or self._failed_under(path):
            return None
        return m.Chart(
            kind, categories, tuple(series), texts.get("title"), caption, texts.get("alt"),  # type: ignore[arg-type]
            texts.get("unit"), source, pos,
        )

    def series(self, node: Node, path: str, width: int | None) -> m.Series | None:
        keys = self.mapping(node, path, "series")
        if keys is None:
            return None
        get = _getter(keys)
        name = self.text(get("name"), _join(path, "name")) if get("name") else None
        values: tuple[float, ...] = ()
        if (values_node := get("values")) is not None:
            items = self.sequence(values_node, _join(path, "values"), "numbers")
            if items is not None and width is not None and len(items) != width:
                self.error(
                    values_node,
                    _join(path, "values"),
                    f"series '{name}' has {len(items)} value{'s' if len(items) != 1 else ''} "
                    f"but the chart has {width} categor{'ies' if width != 1 else 'y'}",
                )
                return None
            values = self.each(items, _join(path, "values"), self.number)
            if items is not None and len(values) != len(items):
                return None
        if name is None:
            return None
        return m.Series(name, values, _pos(node))


_SIGNATURES = {
    ".png": (b"\x89PNG\r\n\x1a\n",),
    ".jpg": (b"\xff\xd8\xff",),
    ".jpeg": (b"\xff\xd8\xff",),
    ".gif": (b"GIF87a", b"GIF89a"),
}


def _looks_like(path: Path) -> bool:
    """Whether the file's first bytes match the image type its name claims."""
    try:
        with path.open("rb") as handle:
            head = handle.read(1024)
    except OSError:
        return False
    suffix = path.suffix.lower()
    if suffix == ".webp":
        return head[:4] == b"RIFF" and head[8:12] == b"WEBP"
    if suffix == ".svg":
        return b"<svg" in head.lower() or head.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<?xml")
    return head.startswith(_SIGNATURES[suffix])


def _getter(keys: dict[str, tuple[Node, Node]]) -> Callable[[str], Node | None]:
    return lambda name: keys[name][1] if name in keys else None


def _join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


def _label(kind: str) -> str:
    return {"brief": "the brief", "list_item": "a list item", "key_figure": "a key figure"}.get(kind, f"a {kind}")


def _align_numeric(column: m.Column, cells: list[m.Cell]) -> m.Column:
    """Columns without an explicit alignment: numbers right, text left."""
    if column.align:
        return column
    numeric = bool(cells) and all(cell.numeric or not cell.text for cell in cells)
    return m.Column(column.title, "right" if numeric else "left", column.pos)


# --------------------------------------------------------------------------
# Entry points
# --------------------------------------------------------------------------


def read_text(path: Path) -> str:
    """The file's text, or :class:`BriefErrors` for a size or encoding problem."""
    if path.exists() and not path.is_file():
        raise BriefErrors([Diagnostic(path, 1, 1, "error", "not a regular file; a brief is a YAML text file")])
    try:
        with path.open("rb") as handle:
            data = handle.read(MAX_FILE_BYTES + 1)
    except OSError as err:
        raise BriefErrors([Diagnostic(path, 1, 1, "error", f"cannot read the file: {err.strerror or err}")]) from None
    if len(data) > MAX_FILE_BYTES:
        raise BriefErrors([Diagnostic(path, 1, 1, "error", f"the file is larger than {MAX_FILE_BYTES // 1024 // 1024} MiB; a brief this large is refused")])
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        line = data.count(b"\n", 0, err.start) + 1
        line_start = data.rfind(b"\n", 0, err.start) + 1
        column = len(data[line_start:err.start].decode("utf-8", "replace")) + 1
        raise BriefErrors([Diagnostic(path, line, column, "error", f"the file is not UTF-8 text (byte 0x{data[err.start]:02x}); save it as UTF-8")]) from None
    return text


def compose(path: Path, text: str) -> Node:
    """The YAML node tree, or :class:`BriefErrors` for a syntax problem."""
    if not text.strip() or all(line.lstrip().startswith("#") or not line.strip() for line in text.splitlines()):
        raise BriefErrors([Diagnostic(path, 1, 1, "error", "the file is empty; a brief needs at least 'title', 'summary' and 'sections'")])
    bad = _NON_PRINTABLE.search(text)
    if bad:
        line = text.count("\n", 0, bad.start()) + 1
        column = bad.start() - (text.rfind("\n", 0, bad.start()) + 1) + 1
        raise BriefErrors([Diagnostic(path, line, column, "error", f"the control character U+{ord(bad.group()):04X} is not allowed in a brief; is this a text file?")])
    loader = _BoundedLoader(text)
    try:
        node = loader.get_single_node()
    except yaml.MarkedYAMLError as err:
        raise BriefErrors([_syntax_diagnostic(path, err, text)]) from None
    except yaml.YAMLError as err:  # pragma: no cover - every PyYAML error is marked
        raise BriefErrors([Diagnostic(path, 1, 1, "error", f"YAML syntax error: {err}")]) from None
    finally:
        loader.dispose()
    if node is None:
        raise BriefErrors([Diagnostic(path, 1, 1, "error", "the file holds no YAML document")])
    if _expanded_size(node, {}) > MAX_NODES:
        raise BriefErrors([Diagnostic(path, 1, 1, "error", _TOO_BIG)])
    return node


_TOO_BIG = (
    f"the document has more than {MAX_NODES} values once its aliases are expanded; "
    "refusing to read it"
)


def _expanded_size(node: Node, memo: dict[int, int]) -> int:
    """How many nodes a walk visits, with every alias expanded (linear time:
    an aliased node is measured once)."""
    known = memo.get(id(node))
    if known is not None:
        return known
    memo[id(node)] = 1  # a recursive alias counts once instead of forever
    size = 1
    if isinstance(node, SequenceNode):
        size += sum(_expanded_size(child, memo) for child in node.value)
    elif isinstance(node, MappingNode):
        size += sum(_expanded_size(k, memo) + _expanded_size(v, memo) for k, v in node.value)
    memo[id(node)] = size
    return size


_PLAIN_YAML_PROBLEMS = (
    ("expected <block end>", "this line is not indented like the lines of the block it belongs to"),
    ("did not find expected key", "this line is not indented like the keys above it"),
    ("did not find expected '-' indicator", "this list item is not indented like the items above it"),
    ("mapping values are not allowed here", "a ': ' inside a value: put text that contains ': ' in quotes"),
    ("could not find expected ':'", "a key without ':' (or text that needs quotes)"),
    ("found undefined alias", "an alias (*name) that refers to no anchor (&name)"),
    ("found character '@'", "'@' cannot start a value: put the text in quotes"),
    ("found character '`'", "'`' cannot start a value: put the text in quotes"),
)


_NON_PRINTABLE = yaml.reader.Reader.NON_PRINTABLE


def _syntax_diagnostic(path: Path, err: yaml.MarkedYAMLError, text: str) -> Diagnostic:
    context = err.context or ""
    problem = (err.problem or "invalid YAML").strip()
    mark = err.problem_mark or err.context_mark
    if err.context_mark is not None and "quoted scalar" in context:
        # An unclosed quote is reported where it ends the file; point at its start.
        mark = err.context_mark
        message = "this quoted text is never closed (the closing quote is missing)"
    elif err.context_mark is not None and ("flow" in context or "end of stream" in problem or "<stream end>" in problem):
        # A bracket or brace left open: point where it opens, not at the end of the file.
        mark = err.context_mark
        opener = {"sequence": "'['", "mapping": "'{'"}.get(context.rsplit(" ", 1)[-1], "construct")
        message = f"this {opener} is never closed" if "flow" in context else f"YAML syntax error: {problem} ({context})"
    elif "\t" in problem or "'\\t'" in problem:
        message = "a tab character indents this line; YAML indents with spaces only"
    else:
        hint = next((text for start, text in _PLAIN_YAML_PROBLEMS if problem.startswith(start)), None)
        message = f"YAML syntax error: {hint or problem}"
        if context and err.context_mark is not None and err.context_mark.line != getattr(mark, "line", -1):
            message += f" ({context} started on line {err.context_mark.line + 1})"
    line = (mark.line + 1) if mark else 1
    column = (mark.column + 1) if mark else 1
    return Diagnostic(path, line, column, "error", message)


def check_text(path: Path, text: str) -> list[Diagnostic]:
    """Every problem the reader finds in ``text`` as if it were ``path``'s
    content (for tools that must check a brief before writing it)."""
    try:
        _parse(path, text)
    except BriefErrors as err:
        return list(err.diagnostics)
    return []


def _parse(path: Path, text: str) -> m.Brief:
    root = compose(path, text)
    checker = _Checker(path)
    try:
        brief = checker.brief(root)
    except _Limited as err:
        raise BriefErrors([*checker.diagnostics, Diagnostic(path, 1, 1, "error", str(err))]) from None
    except RecursionError:
        raise BriefErrors([Diagnostic(path, 1, 1, "error", "the document nests too deeply to read")]) from None
    if brief is None:
        raise BriefErrors(checker.diagnostics)
    return brief


def load_brief(path: str | Path) -> m.Brief:
    """Read and validate one brief; raise :class:`BriefErrors` with every problem."""
    path = Path(path)
    return _parse(path, read_text(path))
