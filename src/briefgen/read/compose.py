"""YAML composition with limits: a file's text -> a node tree, bounded.

YAML is composed (not constructed) with PyYAML's safe loader, so every node
keeps its line and column and no value is ever reinterpreted.  The file's
size, its nesting depth and the number of nodes a walk would visit (aliases
expanded) are all bounded, so a hostile file is refused, not read.
"""

from __future__ import annotations

from pathlib import Path

import yaml
from yaml.nodes import MappingNode, Node, SequenceNode

from ..errors import BriefErrors, Diagnostic
from .syntax import syntax_diagnostic
from .tabs import TabsAsSeparators

MAX_FILE_BYTES = 2 * 1024 * 1024
MAX_NESTING = 64
MAX_NODES = 200_000  # nodes visited, aliases counted each time they are used

TOO_BIG = (
    f"the document has more than {MAX_NODES} values once its aliases are expanded; "
    "refusing to read it"
)

_NON_PRINTABLE = yaml.reader.Reader.NON_PRINTABLE


class Limited(Exception):
    """The document is too big or too deeply nested to read safely."""


class _BoundedLoader(TabsAsSeparators, yaml.SafeLoader):
    """SafeLoader's composer with a nesting limit (and YAML 1.2's tabs).

    Aliases are composed as shared nodes (cheap); the checker counts every
    node it visits, so an alias 'bomb' is stopped when it is walked.
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
        raise BriefErrors([syntax_diagnostic(path, err, text, _attempt, _scan)]) from None
    except yaml.YAMLError as err:  # pragma: no cover - every PyYAML error is marked
        raise BriefErrors([Diagnostic(path, 1, 1, "error", f"YAML syntax error: {err}")]) from None
    finally:
        loader.dispose()
    if node is None:
        raise BriefErrors([Diagnostic(path, 1, 1, "error", "the file holds no YAML document")])
    if _expanded_size(node, {}) > MAX_NODES:
        raise BriefErrors([Diagnostic(path, 1, 1, "error", TOO_BIG)])
    return node


def _attempt(text: str) -> yaml.MarkedYAMLError | None:
    """The error a (repaired) text stops at, or None when it composes."""
    loader = _BoundedLoader(text)
    try:
        loader.get_single_node()
    except yaml.MarkedYAMLError as err:
        return err
    except yaml.YAMLError:  # pragma: no cover - every PyYAML error is marked
        return None
    finally:
        loader.dispose()
    return None


def _scan(text: str) -> list:
    """The tokens of ``text`` up to the first syntax error."""
    loader = _BoundedLoader(text)
    tokens = []
    try:
        while loader.check_token():
            tokens.append(loader.get_token())
    except yaml.YAMLError:
        pass
    finally:
        loader.dispose()
    return tokens


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
