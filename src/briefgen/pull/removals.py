"""Paragraphs the editor deleted: which blocks, items and keys go."""

from __future__ import annotations

from yaml.nodes import SequenceNode

from .record import Unit
from .splice import locate
from .spans import plain_text
from .typography import same_spans
from .summary import Change, place_of, section_of, shorten, what_of

OPTIONAL_KEYS = ("lead", "caption", "source", "note", "attribution", "subtitle")


class Removals:
    """The part of :class:`~briefgen.pull.plan.Planner` that handles deletions."""

    # -- removed paragraphs -----------------------------------------------------

    def _missing(self, unit: Unit) -> bool:
        if unit.kind == "picture":
            paragraph = self.present.get(unit.id)
            return paragraph is None or paragraph.drawings == 0
        return unit.id not in self.present

    def _removals(self) -> list:
        missing = [u for u in self.word.record.units if self._missing(u) and u.kind != "fixed"]
        for unit in self.word.record.units:
            if unit.kind == "fixed" and self._missing(unit):
                self.refuse(None, None, f"the line '{plain_text(unit.spans)[:50]}' was deleted, but briefgen "
                            "writes it from the brief; change the YAML instead")
        missing_ids = {u.id for u in missing}
        targets: dict[tuple, tuple[str, list[Unit]]] = {}
        by_block: dict[tuple, list[Unit]] = {}
        for unit in self.word.record.units:
            if unit.block is not None:
                by_block.setdefault(unit.block, []).append(unit)
        for unit in missing:
            if unit.path[:1] == ("footnotes",):
                continue  # a note goes when its last reference goes; its text stays in 'footnotes'
            section = section_of(unit.path)
            if section is not None and unit.path == (*section, "title"):
                under = [u for u in self.word.record.units if u.path[: len(section)] == section]
                if all(u.id in missing_ids for u in under):
                    targets[section] = ("section", under)
                    continue
            if unit.block is not None and all(u.id in missing_ids for u in by_block[unit.block]):
                targets[unit.block] = ("block", by_block[unit.block])
            elif unit.kind in ("rich", "term") and "items" in unit.path:
                item = unit.path if unit.kind == "term" else unit.path[:-1]
                inner = [u for u in self.word.record.units if u.path[: len(item)] == item]
                if all(u.id in missing_ids for u in inner):
                    targets[item] = ("item", inner)
                else:
                    self.refuse(locate(self.root, unit.path), unit.path,
                                "a list item was deleted but not its sub-items; delete them too, or edit the YAML")
            elif unit.path[:1] == ("key_points",):
                targets[unit.path] = ("item", [unit])
            elif unit.path[-1] in OPTIONAL_KEYS:
                targets[unit.path] = ("key", [unit])
            else:
                self.refuse(locate(self.root, unit.path), unit.path,
                            f"the {what_of(unit)} was deleted in Word; it cannot be left out of the brief "
                            "this way (edit the YAML)")
        out = []
        for path, (kind, units) in sorted(targets.items(), key=lambda t: str(t[0])):
            if any(path[: len(other)] == other and path != other for other in targets):
                continue  # inside something removed as a whole
            if not self._unchanged_in_yaml(units):
                continue
            first = len(self.changes)
            apply = self._removal(path, kind, units)
            out.append((apply, self.changes[first:]))
        return out

    def _unchanged_in_yaml(self, units: list[Unit]) -> bool:
        ok = True
        for unit in units:
            if unit.kind in ("picture", "break", "fixed"):
                continue
            node, now, now_term = self._current(unit)
            if node is None or not (same_spans(now, unit.spans) and same_spans(now_term, unit.term)):
                self.conflict(unit, node)
                ok = False
        return ok

    def _removal(self, path: tuple, kind: str, units: list[Unit]):
        parent = locate(self.root, path[:-1])
        node = locate(self.root, path)
        text = next((plain_text(u.spans) for u in units if u.spans), "")
        what = {"section": "section", "block": "block", "item": "list item", "key": path[-1]}[kind]
        line = node.start_mark.line + 1 if node is not None else None
        column = node.start_mark.column + 1 if node is not None else 1
        self.changes.append(Change(self._group(path), path, place_of(path), line,
                                   f"{what} removed: \"{shorten(text)}\"", column))
        if kind == "key":
            return lambda: self.splicer.remove_key(parent, str(path[-1]))
        if not isinstance(parent, SequenceNode):
            self.refuse(node, path, f"the {what} was deleted, but the YAML writes it in a short form; remove it in the YAML")
            return lambda: None
        return lambda: self.splicer.remove_item(parent, int(path[-1]))

    # -- added paragraphs --------------------------------------------------------
