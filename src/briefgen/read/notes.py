"""The back matter: footnote bodies (referenced inline as ``[^id]``) and the
list of sources."""

from __future__ import annotations

from yaml.nodes import MappingNode, Node, ScalarNode

from .. import model as m
from .. import richtext
from .context import Keys, Reader, describe, getter, join, optional, shorten
from .positions import pos as pos_of


def footnote_nodes(r: Reader, node: Node | None) -> Keys:
    """The footnotes by id, read first so references can be checked in order."""
    if node is None:
        return {}
    r.count(node)
    if not isinstance(node, MappingNode):
        r.error(node, "footnotes", f"expected a mapping of note ids to texts, found {describe(node)}")
        return {}
    found: Keys = {}
    for key_node, value_node in node.value:
        r.count(key_node)
        key = key_node.value if isinstance(key_node, ScalarNode) else ""
        path = f"footnotes.{key}"
        if not richtext.FOOTNOTE_ID.fullmatch(key):
            r.error(key_node, path, f"'{shorten(str(key))}' is not a footnote id (letters, digits, '-', '_')")
        elif key in found:
            first = pos_of(found[key][0]).line
            r.error(key_node, path, f"duplicate footnote '{key}' (first given on line {first})")
        else:
            found[key] = (key_node, value_node)
    return found


def footnotes(r: Reader, nodes: Keys) -> tuple[m.Footnote, ...]:
    """The footnote bodies, numbered in the order the text references them."""
    numbers = r.notes.numbers
    notes = []
    for note_id, (key_node, value_node) in nodes.items():
        text = r.rich(value_node, f"footnotes.{note_id}", footnotes=False)
        if text is not None:
            notes.append(m.Footnote(note_id, numbers.get(note_id, 0), text, pos_of(key_node)))
    notes.sort(key=lambda n: (n.number == 0, n.number))
    return tuple(notes)


def source(r: Reader, node: Node, path: str) -> m.Source | None:
    keys = r.mapping(node, path, "source")
    if keys is None:
        return None
    get = getter(keys)
    values = {
        name: r.text(get(name), join(path, name))
        for name in ("title", "publisher", "url", "date")
        if get(name) is not None
    }
    url = values.get("url")
    if url:
        problem = richtext.check_url(url)
        if problem:
            r.error(get("url"), join(path, "url"), problem)
            url = None
    note = optional(r.rich, get, path, "note")
    if not values.get("title"):
        return None
    return m.Source(
        values["title"], values.get("publisher"), url, values.get("date"), note, pos_of(node)
    )
