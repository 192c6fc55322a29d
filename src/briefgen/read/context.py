"""The reading context: what a walk over one brief carries, how it reports
problems, and the generic shapes (mapping, list, text, number, ...) that every
part of the format is made of.

Each part of the format (front matter, sections, blocks, tables, figures,
charts) is read by functions that take this context; the keys each mapping
may hold come from :mod:`briefgen.spec`, so the format is described once.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from pathlib import Path
from typing import Callable, TypeVar

from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from .. import model as m
from .. import richtext, spec
from ..errors import Diagnostic, Severity
from ..suggest import did_you_mean
from .compose import MAX_NODES, TOO_BIG, Limited
from ..cite.syntax import Citations
from .positions import pos
from .scalars import locate

T = TypeVar("T")

STR = "tag:yaml.org,2002:str"
NULL = "tag:yaml.org,2002:null"
BOOL = "tag:yaml.org,2002:bool"
INT = "tag:yaml.org,2002:int"
FLOAT = "tag:yaml.org,2002:float"

Keys = dict[str, tuple[Node, Node]]
_NUMBER = re.compile(r"[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?")

# What no writer can put in a file: C0 controls but tab and line breaks,
# DEL and C1 controls but NEL, surrogates and the non-characters U+FFFE/F.
_UNWRITABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f\ud800-\udfff\ufffe\uffff]")


class Reader:
    """One walk over a composed brief: its state and every problem found."""

    def __init__(self, file: Path, text: str = ""):
        self.file = file
        self.source = text  # the file's text, to place problems inside scalars
        self.folder = file.parent.resolve()
        self.diagnostics: list[Diagnostic] = []
        self.visited = 0
        self.notes = richtext.FootnoteNumbering()
        self.section_ids: dict[str, m.Pos] = {}
        self.id_counters: dict[str, int] = {}
        self.lang = "en"  # for typographic quotes; set from the brief's 'lang'
        #: The node each rich text holding a cross-reference came from (by id of
        #: the text): references are resolved after the walk, then reported here.
        self.ref_nodes: dict[int, Node] = {}
        self.ref_paths: dict[int, str] = {}
        self.ref_texts: dict[int, m.RichText] = {}
        self.citations = Citations()  # replaced once the brief's bibliography is read

    # -- reporting ----------------------------------------------------------

    def error(self, node: Node | m.Pos, path: str, message: str) -> None:
        self.report(node, path, message, "error")

    def warning(self, node: Node | m.Pos, path: str, message: str) -> None:
        """Something valid that is probably not what the author meant."""
        self.report(node, path, message, "warning")

    def report(self, node: Node | m.Pos, path: str, message: str, severity: Severity) -> None:
        where = node if isinstance(node, m.Pos) else pos(node)
        self.diagnostics.append(
            Diagnostic(self.file, where.line, where.column, severity, message, path)
        )

    def inside(self, node: Node, offset: int) -> m.Pos:
        """Where character ``offset`` of the text :meth:`text` returned for
        ``node`` was typed (plain values lose their leading blanks there)."""
        if not isinstance(node, ScalarNode):
            return pos(node)
        lead = len(node.value) - len(node.value.lstrip()) if node.style is None else 0
        return locate(self.source, node, offset + lead)

    @property
    def warnings(self) -> tuple[Diagnostic, ...]:
        return tuple(d for d in self.diagnostics if d.severity == "warning")

    @property
    def failed(self) -> bool:
        return any(d.severity == "error" for d in self.diagnostics)

    def count(self, node: Node) -> None:
        """Count a visited node; refuse a document too big to walk."""
        self.visited += 1
        if self.visited > MAX_NODES:
            raise Limited(TOO_BIG)

    def failed_under(self, path: str) -> bool:
        """Whether a problem was already reported at or below ``path``."""
        return any(d.path.startswith(path) and d.severity == "error" for d in self.diagnostics)

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
            if value.strip() or allow_empty:
                return value if self.writable(node, path, value) else None
            self.error(node, path, "must not be empty" + (" (it holds only blanks)" if value else ""))
            return None
        if isinstance(node, ScalarNode):
            if not allow_empty:
                self.error(node, path, "must not be empty")
                return None
            return ""
        self.error(node, path, f"expected text, found {describe(node)}")
        return None

    def writable(self, node: ScalarNode, path: str, value: str) -> bool:
        """Whether every character of ``value`` can be written to PDF, Word
        and HTML; the file itself cannot hold control characters, but a
        double-quoted escape such as ``"\\x01"`` can."""
        bad = _UNWRITABLE.search(value)
        if bad is None:
            return True
        self.error(
            self.inside(node, bad.start()), path,
            f"the character U+{ord(bad.group()):04X} (a control character or non-character) "
            "cannot be written to PDF, Word or HTML; remove the escape that makes it",
        )
        return False

    def rich(self, node: Node, path: str, *, footnotes: bool = True) -> m.RichText | None:
        source = self.text(node, path)
        if source is None:
            return None
        self.joined_lines(node, path, source)
        parsed = richtext.parse(
            source,
            self.notes if footnotes else None,
            pos(node),
            lang=self.lang,
            at=lambda message, offset: self.error(self.inside(node, offset), path, message),
            warn=lambda message, offset: self.warning(self.inside(node, offset), path, message),
            citations=self.citations,
        )
        for offset, message in self.citations.take_problems():
            self.error(self.inside(node, offset), path, message)
        for offset, message in self.citations.take_notices():
            self.warning(self.inside(node, offset), path, message)
        if "#" in source and any(isinstance(n, m.CrossRef) for n in m.iter_inlines(parsed.inlines)):
            self.ref_nodes[id(parsed)] = node
            self.ref_paths[id(parsed)] = path
            self.ref_texts[id(parsed)] = parsed
        return parsed

    def joined_lines(self, node: Node, path: str, source: str) -> None:
        """Warn when rich text (one paragraph) silently joins what the
        author separated: paragraphs, or the lines of a '|' block."""
        literal = getattr(node, "style", None) == "|"
        paragraph_break = source.find("\n\n" if literal else "\n")
        if paragraph_break >= 0:
            second = len(source) - len(source[paragraph_break:].lstrip())
            self.warning(
                self.inside(node, second), path,
                "a blank line above starts a new paragraph here, but rich text is one paragraph: "
                "this text is joined to the text before it (write each paragraph as a block of its own)",
            )
        elif literal and "\n" in source:
            self.warning(
                node, path,
                "the line breaks of this '|' text are not kept: rich text is one paragraph, "
                "so its lines are joined with spaces (write '>' to say so, or one block per line)",
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

    def date(self, node: Node, path: str) -> m.BriefDate | None:
        """``YYYY-MM-DD``, or ``YYYY-MM`` / ``YYYY`` for a date known to the month or year."""
        value = self.text(node, path)
        if value is None:
            return None
        if re.fullmatch(spec.DATE_PATTERN[1:-1], value):
            try:
                if len(value) == 10:
                    return dt.date.fromisoformat(value)
                year, _, month = value.partition("-")
                if 1 <= int(year) and (not month or 1 <= int(month) <= 12):
                    return m.PartialDate(int(year), int(month) if month else None)
            except ValueError:
                pass
        self.error(node, path, f"'{value}' is not a date written as YYYY-MM-DD, YYYY-MM or YYYY")
        return None

    def boolean(self, node: Node, path: str) -> bool | None:
        self.count(node)
        if isinstance(node, ScalarNode) and node.tag == BOOL:
            return node.value.lower() in ("true", "yes", "on", "y")
        self.error(node, path, f"expected true or false, found {describe(node)}")
        return None

    def number(self, node: Node, path: str) -> float | None:
        """A finite number; ``1e6`` counts although YAML 1.1 reads it as text."""
        self.count(node)
        plain = isinstance(node, ScalarNode) and node.style is None
        if isinstance(node, ScalarNode) and (node.tag in (INT, FLOAT) or (plain and _NUMBER.fullmatch(node.value))):
            try:
                value = float(node.value.replace("_", ""))
            except ValueError:
                pass
            else:
                if math.isfinite(value):
                    return value
                self.error(node, path, f"the number {node.value} is too large to draw")
                return None
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


def optional(read: Callable[[Node, str], T | None], get: Callable[[str], Node | None], path: str, key: str) -> T | None:
    """``read`` (``r.text``, ``r.rich``, ...) applied to an optional key's
    value, or None when the key is absent."""
    value = get(key)
    return read(value, join(path, key)) if value else None


def label(kind: str) -> str:
    return {"brief": "the brief", "list_item": "a list item", "key_figure": "a key figure", "author": "an author"}.get(kind, f"a {kind}")
