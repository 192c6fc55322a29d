"""Blocks: the content of a section body, a callout or the conclusion.

A block is a paragraph (text) or a mapping with exactly one key, its kind;
:data:`READERS` maps every kind :data:`briefgen.spec.BLOCK_KINDS` names to
the function that reads it.  Paragraphs, quotes, callouts, lists and the
small kinds are read here; tables, figures and charts in their own modules.
"""

from __future__ import annotations

from typing import Callable

from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from .. import model as m
from .. import spec
from ..suggest import did_you_mean
from .charts import chart
from .context import BOOL, NULL, Reader, describe, getter, join, optional
from .figures import figure
from .positions import pos as pos_of
from .tables import table

BlockReader = Callable[[Reader, Node, str, m.Pos], "m.Block | None"]


def blocks(r: Reader, node: Node, path: str) -> tuple[m.Block, ...]:
    return r.each(r.sequence(node, path, "blocks"), path, lambda n, p: block(r, n, p))


def rich_or_blocks(r: Reader, node: Node, path: str) -> tuple[m.Block, ...]:
    """A value that is either one paragraph of rich text or a list of blocks."""
    if isinstance(node, ScalarNode) and node.tag != NULL:
        text = r.rich(node, path)
        return (m.Paragraph(text, pos_of(node)),) if text else ()
    return blocks(r, node, path)


def block(r: Reader, node: Node, path: str) -> m.Block | None:
    r.count(node)
    if isinstance(node, ScalarNode):
        if node.tag == NULL:
            r.error(node, path, "empty block: write a paragraph or a block such as 'table:'")
            return None
        text = r.rich(node, path)
        return m.Paragraph(text, pos_of(node)) if text is not None else None
    if not isinstance(node, MappingNode):
        r.error(node, path, "a block is a paragraph (text) or a mapping with one key such as 'list:' or 'table:'")
        return None
    kinds = [k for k, _ in node.value if isinstance(k, ScalarNode)]
    if len(node.value) != 1 or not kinds:
        names = ", ".join(f"'{k.value}'" for k in kinds)
        r.error(
            node,
            path,
            f"a block has exactly one key (its kind) but this one has {names}; "
            "check the indentation of the keys that belong inside the block",
        )
        _misplaced_keys(r, node, path)
        return None
    key_node, value = node.value[0]
    kind = key_node.value
    reader = READERS.get(kind)
    if kind not in spec.BLOCK_KINDS or reader is None:
        r.error(key_node, path, f"unknown block kind '{kind}'{did_you_mean(kind, spec.BLOCK_KINDS)}")
        return None
    return reader(r, value, join(path, kind), pos_of(node))


def _misplaced_keys(r: Reader, node: MappingNode, path: str) -> None:
    """Keys written beside a block's kind that belong inside it (``alt:``
    outdented under ``figure:``): each at its own line, with where it goes."""
    kind_node, value = node.value[0]
    if not isinstance(kind_node, ScalarNode) or kind_node.value not in spec.OBJECTS:
        return
    kind = kind_node.value
    inner = [k for k, _ in value.value if isinstance(k, ScalarNode)] if isinstance(value, MappingNode) else []
    same_line = bool(inner) and inner[0].start_mark.line == kind_node.start_mark.line  # {src: ..} flow style
    column = inner[0].start_mark.column + 1 if inner and not same_line else kind_node.start_mark.column + 3
    for key_node, _ in node.value[1:]:
        if not isinstance(key_node, ScalarNode) or key_node.value not in spec.OBJECTS[kind]:
            continue
        where = (
            f"like '{inner[0].value}' on line {inner[0].start_mark.line + 1} (column {column})"
            if inner and not same_line
            else f"to column {column}"
        )
        r.error(
            key_node, join(path, kind),
            f"'{key_node.value}' is a key of the {kind} on line {kind_node.start_mark.line + 1}, but it is indented "
            f"like '{kind}' itself: indent it {where}",
        )


def paragraph(r: Reader, node: Node, path: str, pos: m.Pos) -> m.Block | None:
    text = r.rich(node, path)
    return m.Paragraph(text, pos) if text is not None else None


def todo(r: Reader, node: Node, path: str, pos: m.Pos) -> m.Block | None:
    text = r.text(node, path)
    return m.Todo(text, pos) if text is not None else None


def page_break(r: Reader, node: Node, path: str, pos: m.Pos) -> m.Block | None:
    r.count(node)
    if isinstance(node, ScalarNode) and node.tag == BOOL and node.value.lower() in ("true", "yes", "on"):
        return m.PageBreak(pos)
    r.error(node, path, f"write 'page_break: true', found {describe(node)}")
    return None


def quote(r: Reader, node: Node, path: str, pos: m.Pos) -> m.Block | None:
    if isinstance(node, ScalarNode):
        text = r.rich(node, path)
        return m.Quote(text, None, pos) if text is not None else None
    keys = r.mapping(node, path, "quote")
    if keys is None:
        return None
    get = getter(keys)
    text = optional(r.rich, get, path, "text")
    attribution = optional(r.rich, get, path, "attribution")
    return m.Quote(text, attribution, pos) if text is not None else None


def callout(r: Reader, node: Node, path: str, pos: m.Pos) -> m.Block | None:
    keys = r.mapping(node, path, "callout")
    if keys is None:
        return None
    get = getter(keys)
    kind = r.choice(get("kind"), join(path, "kind"), "callout_kind") if get("kind") else "note"
    title = optional(r.text, get, path, "title")
    body = rich_or_blocks(r, get("body"), join(path, "body")) if get("body") else None
    if body is None or kind is None:
        return None
    return m.Callout(body, kind, title, pos)  # type: ignore[arg-type]


def list_block(r: Reader, node: Node, path: str, pos: m.Pos) -> m.Block | None:
    if isinstance(node, SequenceNode):  # shorthand: the items alone
        items = list_items(r, node, join(path, "items"), nested=False)
        return m.ListBlock(items, "bullet", None, pos) if items else None
    keys = r.mapping(node, path, "list")
    if keys is None:
        return None
    get = getter(keys)
    lead = optional(r.rich, get, path, "lead")
    style = r.choice(get("style"), join(path, "style"), "list_style") if get("style") else "bullet"
    items = list_items(r, get("items"), join(path, "items"), nested=False) if get("items") else ()
    if get("items") is not None and not items and not r.failed_under(path):
        r.error(get("items"), join(path, "items"), "a list needs at least one item")
    if not items or style is None:
        return None
    return m.ListBlock(items, style, lead, pos)  # type: ignore[arg-type]


def list_items(r: Reader, node: Node, path: str, *, nested: bool) -> tuple[m.ListItem, ...]:
    items = r.sequence(node, path, "list items")
    return r.each(items, path, lambda item, p: list_item(r, item, p, nested))


def list_item(r: Reader, node: Node, path: str, nested: bool) -> m.ListItem | None:
    if isinstance(node, ScalarNode):
        text = r.rich(node, path)
        return m.ListItem(text, None, (), pos_of(node)) if text is not None else None
    keys = r.mapping(node, path, "list_item")
    if keys is None:
        return None
    get = getter(keys)
    term = optional(r.rich, get, path, "term")
    text = optional(r.rich, get, path, "text")
    items: tuple[m.ListItem, ...] = ()
    if (sub := get("items")) is not None:
        if nested:
            r.error(sub, join(path, "items"), "lists nest one level only")
        else:
            items = list_items(r, sub, join(path, "items"), nested=True)
    if text is None:
        return None
    return m.ListItem(text, term, items, pos_of(node))


#: The reader of every block kind, by the key that names it.
READERS: dict[str, BlockReader] = {
    "paragraph": paragraph,
    "list": list_block,
    "table": table,
    "figure": figure,
    "chart": chart,
    "quote": quote,
    "callout": callout,
    "todo": todo,
    "page_break": page_break,
}
