"""Word comments, back in the brief as YAML comments above their nodes.

A comment on a paragraph comes back as ``# Word comment (Author, date):
text`` on its own line above the YAML node the paragraph was built from
(above the node a new paragraph follows, for a comment on one); none is
dropped, each is listed in the summary, and one already there is not
written again.
"""

from __future__ import annotations

from yaml.nodes import Node

from .splice import locate
from .summary import Change, place_of, shorten


class Annotations:
    """The part of :class:`~briefgen.pull.plan.Planner` that places comments."""

    def _comments(self) -> list:
        out = []
        done: set[str] = set()
        previous = None
        for paragraph in [*self.word.paragraphs, *self.word.notes]:
            unit = self.units.get(paragraph.unit) if paragraph.unit is not None else None
            unit = unit or previous
            previous = unit
            for comment_id in paragraph.comments:
                comment = self.word.comments.get(comment_id)
                if comment is None or comment_id in done:
                    continue
                done.add(comment_id)
                path = unit.path if unit is not None else ()
                node = locate(self.root, path) if unit is not None else None
                node = node if node is not None else self._first_node()
                line = node.start_mark.line + 1
                who = ", ".join(part for part in (comment.author or "unknown author", comment.date) if part)
                change = Change(self._group(path) if path else "front matter", path, place_of(path) if path else "top",
                                line, f"Word comment ({who}): \"{shorten(comment.text, 80)}\"")
                self.changes.append(change)
                out.append((self._comment_edit(node, comment.yaml_line()), [change]))
        return out

    def _first_node(self) -> Node:
        value = getattr(self.root, "value", None)
        if isinstance(value, list) and value and isinstance(value[0], tuple):
            return value[0][0]
        return self.root

    def _comment_edit(self, node: Node, text: str):
        return lambda: self.splicer.insert_comment(node, text)
