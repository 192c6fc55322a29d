"""Sections: titled parts of the body, nested at most
:data:`briefgen.spec.MAX_SECTION_DEPTH` levels, each with a unique anchor."""

from __future__ import annotations

import re
import unicodedata

from yaml.nodes import Node

from .. import model as m
from .. import spec
from .blocks import blocks
from .ids import block_id
from .context import Reader, getter, join, optional
from .positions import pos as pos_of


def slugify(title: str) -> str:
    """An anchor from a heading: ASCII letters and digits joined by hyphens."""
    folded = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    words = re.findall(r"[a-z0-9]+", folded.lower().replace("’", "").replace("'", ""))
    return "-".join(words[:8])


def sections(r: Reader, node: Node, path: str, level: int) -> tuple[m.Section, ...]:
    items = r.sequence(node, path, "sections")
    return r.each(items, path, lambda item, p: section(r, item, p, level))


def section(r: Reader, node: Node, path: str, level: int) -> m.Section | None:
    keys = r.mapping(node, path, "section")
    if keys is None:
        return None
    get = getter(keys)
    title = optional(r.text, get, path, "title")
    section_id = _section_id(r, get("id"), path, title, pos_of(node))
    body = blocks(r, get("body"), join(path, "body")) if get("body") is not None else ()
    subsections: tuple[m.Section, ...] = ()
    if (sub := get("sections")) is not None:
        if level >= spec.MAX_SECTION_DEPTH:
            r.error(
                sub,
                join(path, "sections"),
                f"sections nest at most {spec.MAX_SECTION_DEPTH} levels deep; "
                "move these subsections up a level or make them paragraphs",
            )
        else:
            subsections = sections(r, sub, join(path, "sections"), level + 1)
    if title is None or section_id is None:
        return None
    return m.Section(title, section_id, level, body, subsections, pos_of(node))


def _section_id(r: Reader, node: Node | None, path: str, title: str | None, where: m.Pos) -> str | None:
    """The id the author gave (a unique slug), or one derived from the title."""
    if node is not None:
        return block_id(r, node, path, "section id")
    base = slugify(title or "") or "section"
    candidate = base
    while candidate in r.section_ids:
        r.id_counters[base] = r.id_counters.get(base, 1) + 1
        candidate = f"{base}-{r.id_counters[base]}"
    r.section_ids[candidate] = where
    return candidate
