"""The figure block: an image from the brief's folder, its alt text, caption
and printed width."""

from __future__ import annotations

from yaml.nodes import Node, ScalarNode

from .. import model as m
from .context import Reader, describe, getter, join
from .files import image_path


def figure(r: Reader, node: Node, path: str, pos: m.Pos) -> m.Block | None:
    keys = r.mapping(node, path, "figure")
    if keys is None:
        return None
    get = getter(keys)
    src = r.text(get("src"), join(path, "src")) if get("src") else None
    resolved = image_path(r, get("src"), join(path, "src"), src) if src else None
    alt = r.text(get("alt"), join(path, "alt")) if get("alt") else None
    caption = r.rich(get("caption"), join(path, "caption")) if get("caption") else None
    source = r.rich(get("source"), join(path, "source")) if get("source") else None
    width = percent(r, get("width"), join(path, "width")) if get("width") else None
    if resolved is None or alt is None:
        return None
    return m.Figure(src, resolved, alt, caption, source, width, pos)  # type: ignore[arg-type]


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
