"""Positions: where in the file a composed YAML node starts.

PyYAML marks are 0-based; the contract's ``LINE:COLUMN`` is 1-based.
"""

from __future__ import annotations

from yaml.nodes import Node

from .. import model as m


def pos(node: Node) -> m.Pos:
    """The 1-based line and column where ``node`` starts."""
    return m.Pos(node.start_mark.line + 1, node.start_mark.column + 1)


def offset_pos(node: Node, value: str, offset: int) -> m.Pos:
    """The line and column of ``value[offset]`` in the file, ``value`` being
    the scalar ``node``'s text.

    The text of a folded, literal or quoted scalar differs from the file
    (indents, line breaks, quotes), so the word starting at ``offset`` is
    looked for in the node's own span of the file, at the same occurrence;
    the node's start is the answer when it cannot be found.
    """
    start, end = node.start_mark, node.end_mark
    buffer = getattr(start, "buffer", None)
    if buffer is None or start.pointer is None:
        return pos(node)
    word = value[offset:].split(None, 1)[0] if value[offset:].strip() else ""
    word = word.rstrip(";],.")
    if not word:
        return pos(node)
    nth = value[:offset].count(word)
    raw = buffer[start.pointer : end.pointer]
    found = -1
    for _ in range(nth + 1):
        found = raw.find(word, found + 1)
        if found < 0:
            return pos(node)
    absolute = start.pointer + found
    line = start.line + raw.count("\n", 0, found)
    line_start = buffer.rfind("\n", 0, absolute) + 1
    return m.Pos(line + 1, absolute - line_start + 1)
