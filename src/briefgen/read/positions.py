"""Positions: where in the file a composed YAML node starts.

PyYAML marks are 0-based; the contract's ``LINE:COLUMN`` is 1-based.
"""

from __future__ import annotations

from yaml.nodes import Node

from .. import model as m


def pos(node: Node) -> m.Pos:
    """The 1-based line and column where ``node`` starts."""
    return m.Pos(node.start_mark.line + 1, node.start_mark.column + 1)
