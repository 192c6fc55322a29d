"""The reading context: what a walk over one brief carries, how it reports
problems, and the generic shapes (mapping, list, text, number, ...) that every
part of the format is made of.

Each part of the format (front matter, sections, blocks, tables, figures,
charts) is read by functions that take this context; the keys each mapping
may hold come from :mod:`briefgen.spec`, so the format is described once.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Callable, TypeVar

from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from .. import model as m
from .. import richtext, spec
from ..errors import Diagnostic
from ..suggest import did_you_mean
from .compose import MAX_NODES, TOO_BIG, Limited
from .positions import pos

T = TypeVar("T")

STR = "tag:yaml.org,2002:str"
NULL = "tag:yaml.org,2002:null"
BOOL = "tag:yaml.org,2002:bool"
INT = "tag:yaml.org,2002:int"
FLOAT = "tag:yaml.org,2002:float"

Keys = dict[str, tuple[Node, Node]]


class Reader:
    """One walk over a composed brief: its state and every problem found."""

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
        where = node if isinstance(node, m.Pos) else pos(node)
        self.diagnostics.append(
            Diagnostic(self.file, where.line, where.column, "error", message, path)
        )

    def count(self, node: Node) -> None:
        """Count a visited node; refuse a document too big to walk."""
        self.visited += 1
        if self.visited > MAX_NODES:
            raise Limited(TOO_BIG)

    def failed_under(self, path: str) -> bool:
        """Whether a problem was already reported at or below ``path``."""
        return any(d.path.startswith(path) for d in self.diagnostics)

    # -- generic shapes -----------------------------------------------------

    def mapping(self, node: Node, path: str, kind: str) -> Keys | None:
        """The keys of a mapping node, after checking them against ``spec``."""
        self.count(node)
        if not isinstance(node, MappingNode):
            if kind == "brief":
                self.error(node, path, f"a brief is a mapping of keys (title:, summary:, sections:, ...), but this file holds {describe(node)}")
            else:
                self.error(node, path, f"expected a mapping ({kind} keys), found {describe(node)}")
            return None
        known = spec.OBJECTS[kind]
        found: Keys = {}
        for key_node, value_node in node.value:
            self.count(key_node)
            if not isinstance(key_node, ScalarNode):
                self.error(key_node, path, "a key must be plain text")
                continue
            key = key_node.value
            if key in found:
                first = pos(found[key][0])
                self.error(key_node, path, f"duplicate key '{key}' (first given on line {first.line})")
                continue
            if key not in known:
                hint = did_you_mean(key, known)
                self.error(key_node, join(path, key), f"unknown key '{key}' in {label(kind)}{hint}")
                continue
            found[key] = (key_node, value_node)
        for key in known.values():
            if key.required and key.name not in found:
                self.error(node, path, f"{label(kind)} is missing the required key '{key.name}'")
        return found

    def sequence(self, node: Node, path: str, what: str) -> list[Node] | None:
        self.count(node)
        if isinstance(node, SequenceNode):
            return list(node.value)
        if isinstance(node, ScalarNode) and node.tag == NULL:
            return []
        self.error(node, path, f"expected a list of {what}, found {describe(node)}")
        return None

    def text(self, node: Node, path: str, *, allow_empty: bool = False) -> str | None:
        """A scalar as the text the author typed; YAML never reinterprets it."""
        self.count(node)
        if isinstance(node, ScalarNode) and node.tag != NULL:
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
        self.error(node, path, f"expected text, found {describe(node)}")
        return None

    def rich(self, node: Node, path: str, *, footnotes: bool = True) -> m.RichText | None:
        source = self.text(node, path)
        if source is None:
            return None
        return richtext.parse(
            source,
            self.notes if footnotes else None,
            pos(node),
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
        if isinstance(node, ScalarNode) and node.tag == BOOL:
            return node.value.lower() in ("true", "yes", "on", "y")
        self.error(node, path, f"expected true or false, found {describe(node)}")
        return None

    def number(self, node: Node, path: str) -> float | None:
        self.count(node)
        if isinstance(node, ScalarNode) and node.tag in (INT, FLOAT):
            try:
                return float(node.value.replace("_", ""))
            except ValueError:
                pass
        self.error(node, path, f"expected a number, found {describe(node)}")
        return None

    def each(self, nodes: list[Node] | None, path: str, read: Callable[[Node, str], T | None]) -> tuple[T, ...]:
        out = []
        for index, item in enumerate(nodes or ()):
            value = read(item, f"{path}[{index}]")
            if value is not None:
                out.append(value)
        return tuple(out)

    def text_list(self, node: Node, path: str) -> tuple[str, ...]:
        if isinstance(node, ScalarNode) and node.tag != NULL:  # one value for a list of one
            value = self.text(node, path)
            return (value,) if value else ()
        return self.each(self.sequence(node, path, "texts"), path, self.text)


def describe(node: Node) -> str:
    """How a message names what the author wrote instead of what was expected."""
    if isinstance(node, MappingNode):
        return "a mapping"
    if isinstance(node, SequenceNode):
        return "a list"
    if node.tag == NULL:
        return "nothing"
    if node.tag in (INT, FLOAT):
        return f"the number {node.value}"
    return f"'{shorten(node.value)}'"


def shorten(text: str, limit: int = 40) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def getter(keys: Keys) -> Callable[[str], Node | None]:
    """``get(name)``: the value node of a key, or None when it is absent."""
    return lambda name: keys[name][1] if name in keys else None


def join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


def label(kind: str) -> str:
    return {"brief": "the brief", "list_item": "a list item", "key_figure": "a key figure"}.get(kind, f"a {kind}")
