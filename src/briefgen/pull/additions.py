"""Paragraphs the editor added: where in the brief each new one goes."""

from __future__ import annotations

from dataclasses import dataclass, field

from yaml.nodes import ScalarNode, SequenceNode

from .record import LIST_STYLE_NAMES, SECOND_LEVEL_STYLES, Unit
from .splice import NewItem, key_node, locate
from .spans import split_term
from .summary import Change, place_of, section_of, shorten, what_of
from .word import WordParagraph



@dataclass
class _Insertion:
    container: tuple  # path of the sequence
    after: int
    anchor: Unit | None
    items: list[NewItem] = field(default_factory=list)
    texts: list[str] = field(default_factory=list)


class Additions:
    """The part of :class:`~briefgen.pull.plan.Planner` that handles new paragraphs."""

    # -- added paragraphs --------------------------------------------------------

    def _insertions(self) -> list:
        groups: list[_Insertion] = []
        previous: Unit | None = None
        current: _Insertion | None = None
        for paragraph in self.word.paragraphs:
            if paragraph.skip:
                continue
            unit = self.units.get(paragraph.unit) if paragraph.unit else None
            if unit is not None:
                previous, current = unit, None
                continue
            if not paragraph.spans and not paragraph.drawings:
                continue  # an empty paragraph adds nothing
            if paragraph.drawings:
                continue  # refused already
            placed = self._place_new(paragraph, previous)
            if placed is None:
                continue
            if current is not None and (placed.container, placed.after) == (current.container, current.after):
                current.items.extend(placed.items)
                current.texts.extend(placed.texts)
            else:
                groups.append(placed)
                current = placed
        out = []
        for group in groups:
            if group.items:
                first = len(self.changes)
                apply = self._insertion(group)
                out.append((apply, self.changes[first:]))
        return out

    def _place_new(self, paragraph: WordParagraph, previous: Unit | None) -> _Insertion | None:
        style = self.styles.get(paragraph.style or "", paragraph.style or "")
        if paragraph.table is not None:
            self.refuse(None, None, f"{paragraph.describe()} was added inside a table; add rows and cells in the YAML")
            return None
        if style.startswith("Heading"):
            self.refuse(None, None, f"{paragraph.describe()} is a new heading; add sections in the YAML")
            return None
        if previous is None:
            self.refuse(None, None, f"{paragraph.describe()} was added before the brief's first paragraph")
            return None
        is_list = paragraph.ilvl is not None or style in LIST_STYLE_NAMES
        level = paragraph.ilvl if paragraph.ilvl is not None else (1 if style in SECOND_LEVEL_STYLES else 0)
        markup = self._markup(previous.path, paragraph.spans, True)
        if is_list:
            return self._place_item(paragraph, previous, level, markup)
        section = section_of(previous.path)
        if previous.block is not None:
            block = previous.block
            if "callout" in block and style != "Callout Text":
                block = block[: block.index("callout")]
            return self._new(paragraph, block[:-1], int(block[-1]), previous, NewItem(markup))
        if section is not None and previous.path == (*section, "title"):
            body = locate(self.root, (*section, "body"))
            if not isinstance(body, SequenceNode):
                self.refuse(locate(self.root, section), section,
                            f"{paragraph.describe()} was added under a heading whose section has no 'body' list yet")
                return None
            return self._new(paragraph, (*section, "body"), -1, previous, NewItem(markup))
        self.refuse(None, None, f"{paragraph.describe()} was added after the {what_of(previous)}, where the brief has "
                    "room for one paragraph only")
        return None

    def _place_item(self, paragraph: WordParagraph, previous: Unit, level: int, markup: str) -> _Insertion | None:
        if previous.path[:1] == ("key_points",):
            return self._new(paragraph, ("key_points",), int(previous.path[1]), previous, NewItem(markup))
        if previous.path[-1] == "lead" and level == 0:
            return self._new(paragraph, (*previous.path[:-1], "items"), -1, previous, NewItem(markup))
        if "items" in previous.path and previous.kind in ("rich", "term"):
            item = previous.path if previous.kind == "term" else previous.path[:-1]
            nested = self._has_sub_items(item)
            if level > previous.level and nested:
                return self._new(paragraph, (*item, "items"), -1, previous, NewItem(markup))
            if level > previous.level:
                self.refuse(locate(self.root, item), item,
                            f"{paragraph.describe()} is a new sub-item under an item without sub-items; add it in the YAML")
                return None
            if level == previous.level and nested:
                self.refuse(locate(self.root, item), item,
                            f"{paragraph.describe()} was added between an item and its sub-items; add it in the YAML")
                return None
            if level < previous.level:
                item = item[:-2]
            new = NewItem(markup)
            if previous.kind == "term":
                split = split_term(paragraph.spans)
                if split is not None:
                    text, term = split
                    new = NewItem(self._markup(item, text, True), self._markup(item, term, True))
            return self._new(paragraph, item[:-1], int(item[-1]), previous, new)
        self.refuse(None, None, f"{paragraph.describe()} is a new list; add lists in the YAML")
        return None

    def _has_sub_items(self, item: tuple) -> bool:
        """Whether the record has sub-items under ``item`` (one pass, then a set)."""
        parents = getattr(self, "_parents", None)
        if parents is None:
            parents = set()
            for unit in self.word.record.units:
                for at in range(len(unit.path) - 1):
                    if unit.path[at] == "items" and at > 0:
                        parents.add(unit.path[: at])
            self._parents = parents
        return item in parents

    def _new(self, paragraph: WordParagraph, container: tuple, after: int, anchor: Unit, item: NewItem) -> _Insertion:
        return _Insertion(container, after, anchor, [item], [paragraph.text])

    def _insertion(self, group: _Insertion):
        sequence = locate(self.root, group.container)
        if group.anchor is not None:
            self._unchanged_in_yaml([group.anchor])
        what = "list item" if "items" in group.container or group.container == ("key_points",) else "paragraph"
        position = f"after [{group.after}]" if group.after >= 0 else "at the start"
        line = sequence.start_mark.line + 1 if sequence is not None else None
        for item in group.items:
            shown = f"{item.term} – {item.text}" if item.term else item.text
            self.changes.append(
                Change(self._group(group.container), group.container, place_of(group.container), line,
                       f"{what} added {position}: \"{shorten(shown)}\"")
            )
        if isinstance(sequence, ScalarNode) and group.after in (-1, 0) and what == "paragraph":
            # one paragraph written as a plain string: it becomes a list of paragraphs
            parent = locate(self.root, group.container[:-1])
            key = key_node(parent, str(group.container[-1])) if group.container else None
            if key is not None and not getattr(parent, "flow_style", False):
                return lambda: self.splicer.promote_and_insert(key, sequence, group.after, group.items)
        if not isinstance(sequence, SequenceNode):
            self.refuse(sequence, group.container, "new paragraphs here need a list in the YAML; add them there")
            return lambda: None
        return lambda: self.splicer.insert_items(sequence, group.after, group.items)
