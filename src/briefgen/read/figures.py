"""The figure block: an image from the brief's folder, its alt text, caption
and printed width."""

from __future__ import annotations

from yaml.nodes import Node, ScalarNode

from .. import model as m
from .context import Reader, describe, getter, join, optional
from .files import image_path
from .ids import block_id


def figure(r: Reader, node: Node, path: str, pos: m.Pos) -> m.Block | None:
    keys = r.mapping(node, path, "figure")
    if keys is None:
        return None
    get = getter(keys)
    anchor = block_id(r, get("id"), path) if get("id") is not None else None
    src = optional(r.text, get, path, "src")
    resolved = image_path(r, get("src"), join(path, "src"), src) if src else None
    alt = optional(r.text, get, path, "alt")
    caption = optional(r.rich, get, path, "caption")
    source = optional(r.rich, get, path, "source")
    width = percent(r, get("width"), join(path, "width")) if get("width") else None
    if resolved is None or alt is None:
        return None
    return m.Figure(src, resolved, alt, caption, source, width, pos, id=anchor)  # type: ignore[arg-type]


def percent(r: Reader, node: Node, path: str) -> float | None:
    """A width written as ``60`` or ``60%``: a share of the text width."""
    r.count(node)
    raw = node.value.strip().rstrip("%").strip() if isinstance(node, ScalarNode) else ""
    try:
        value = float(raw)
    except ValueError:
        value = -1.0
    if not 0 < value <= 100:
        r.error(node, path, f"width is a percentage of the text width between 1 and 100, found {describe(node)}")
        return None
    return value
