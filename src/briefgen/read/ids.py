"""Ids of figures, charts and tables: slugs in the namespace section ids
use, so a cross-reference ``[#id]`` names exactly one target."""

from __future__ import annotations

import re

from yaml.nodes import Node

from .. import spec
from .context import Reader, join
from .positions import pos as pos_of


def block_id(r: Reader, node: Node, path: str, what: str = "id") -> str | None:
    """The id given to a section, figure, chart or table, once checked to be
    a new slug: sections and blocks share one namespace of ids."""
    value = r.text(node, join(path, "id"))
    if value is None:
        return None
    if not re.fullmatch(spec.SLUG_PATTERN, value):
        r.error(node, join(path, "id"), f"'{value}' is not a slug (lower-case letters, digits and single hyphens)")
        return None
    if value in r.section_ids:
        first = r.section_ids[value].line
        r.error(node, join(path, "id"), f"{what} '{value}' is already used on line {first}; ids are unique across sections, figures, charts and tables")
        return None
    r.section_ids[value] = pos_of(node)
    return value
