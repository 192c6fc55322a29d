"""Editing a brief's YAML text in place, for ``briefgen pull``.

Edits are spliced into the original text at the character positions the
YAML composer reports, so every byte outside an edited value -- comments,
key order, quoting, indentation, line breaks -- stays exactly as it was.
A folded block (``>-``) keeps its header and indentation, and keeps the
original line breaks of the lines before and after the change.
"""

from __future__ import annotations

import itertools
import re
import textwrap
from dataclasses import dataclass

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

DEFAULT_WIDTH = 92
OVERLAP = "two of the changes in Word touch the same text in the YAML; make one of them in the YAML"
_INT = "tag:yaml.org,2002:int"
_FLOAT = "tag:yaml.org,2002:float"


class SpliceError(Exception):
    """An edit this module cannot make safely; the message names the place."""

    def __init__(self, node: Node | None, message: str):
        super().__init__(message)
        self.node = node


def follow(node: Node | None, key: object) -> Node | None:
    """One step along a model path, through the format's short forms: a
    plain string stands for a paragraph block, a list item, a quote's text
    or a column's title; ``list: [...]`` for its items; rich text for a
    list of one block."""
    if node is None:
        return None
    if isinstance(key, int):
        if isinstance(node, SequenceNode):
            return node.value[key] if 0 <= key < len(node.value) else None
        if isinstance(node, ScalarNode) and key == 0:
            return node
        return None
    if isinstance(node, MappingNode):
        for key_node, value in node.value:
            if isinstance(key_node, ScalarNode) and key_node.value == key:
                return value
        return None
    if isinstance(node, ScalarNode) and key in ("paragraph", "text", "title"):
        return node
    if isinstance(node, SequenceNode) and key == "items":
        return node
    return None


def locate(root: Node, path: tuple) -> Node | None:
    node: Node | None = root
    for key in path:
        node = follow(node, key)
    return node


def key_node(mapping: Node, key: str) -> Node | None:
    if isinstance(mapping, MappingNode):
        for k, _ in mapping.value:
            if isinstance(k, ScalarNode) and k.value == key:
                return k
    return None


@dataclass
class NewItem:
    """A sequence item to insert: a rich-text string, or a term item."""

    text: str
    term: str | None = None


class Splicer:
    def __init__(self, text: str):
        self.text = text
        self.edits: list[tuple[int, int, str]] = []

    # -- positions ----------------------------------------------------------

    def _line_start(self, index: int) -> int:
        return self.text.rfind("\n", 0, index) + 1

    def _content_end(self, node: Node) -> int:
        """Just after the last character of ``node`` that is not white space."""
        end = node.end_mark.index
        while end > node.start_mark.index and self.text[end - 1] in " \t\r\n":
            end -= 1
        return end

    def _after_line(self, index: int) -> int:
        newline = self.text.find("\n", index)
        return len(self.text) if newline < 0 else newline + 1

    def _width(self, node: Node) -> int:
        lines = self.text[self._line_start(node.start_mark.index) : self._content_end(node)].split("\n")
        longest = max((len(line) for line in lines), default=0)
        return min(max(longest, 60), 120) if len(lines) > 1 else DEFAULT_WIDTH

    # -- edits --------------------------------------------------------------

    def replace_scalar(self, node: Node, value: str, *, in_flow: bool = False) -> None:
        if not isinstance(node, ScalarNode):
            raise SpliceError(node, "expected a text value here")
        start = node.start_mark.index
        if node.style in (">", "|"):
            header_end = self.text.find("\n", start)
            content_start = header_end + 1
            end = self._content_end(node)
            old_lines = self.text[content_start:end].split("\n")
            indent = len(old_lines[0]) - len(old_lines[0].lstrip(" "))
            if _foldable(value):
                lines = _refold([line.strip() for line in old_lines], value, self._width(node) - indent)
                new = "\n".join(" " * indent + line for line in lines)
                self.edits.append((content_start, end, new))
                return
            self.edits.append((start, end, _inline(value, '"', in_flow)))
            return
        if node.tag in (_INT, _FLOAT) and node.style is None and _same_number_kind(value, node.tag):
            self.edits.append((start, node.end_mark.index, value))
            return
        self.edits.append((start, node.end_mark.index, _inline(value, node.style, in_flow)))

    def insert_comment(self, node: Node, comment: str) -> None:
        """``comment`` (``# ...``) on its own line above the line ``node``
        starts on, at that line's indentation; not again when it is there."""
        at = self._line_start(node.start_mark.index)
        line = self.text[at : self._after_line(at)]
        indent = len(line) - len(line.lstrip(" "))
        position = at
        while position > 0:
            previous = self._line_start(position - 1)
            above = self.text[previous:position].strip()
            if not above.startswith("#"):
                break
            if above == comment:
                return
            position = previous
        if any(e[0] == at and e[1] == at and e[2].strip() == comment for e in self.edits):
            return
        self.edits.append((at, at, " " * indent + comment + "\n"))

    def remove_item(self, sequence: Node, index: int) -> None:
        if not isinstance(sequence, SequenceNode) or sequence.flow_style:
            raise SpliceError(sequence, "cannot remove an item from a list written in [brackets]; remove it in the YAML")
        item = sequence.value[index]
        start = self._line_start(item.start_mark.index)
        if self.text[start : item.start_mark.index].strip() not in ("-", ""):
            raise SpliceError(item, "cannot remove an item that shares its line with other YAML")
        self.edits.append((start, self._after_line(self._content_end(item)), ""))

    def remove_key(self, mapping: Node, key: str) -> None:
        if not isinstance(mapping, MappingNode) or mapping.flow_style:
            raise SpliceError(mapping, f"cannot remove '{key}' from a mapping written in {{braces}}; remove it in the YAML")
        key_el = key_node(mapping, key)
        value = follow(mapping, key)
        assert key_el is not None and value is not None
        start = self._line_start(key_el.start_mark.index)
        if self.text[start : key_el.start_mark.index].strip() not in ("", "-"):
            raise SpliceError(key_el, f"cannot remove '{key}': it shares its line with other YAML")
        if self.text[start : key_el.start_mark.index].strip() == "-":
            raise SpliceError(key_el, f"cannot remove '{key}', the first key of a list item; edit the YAML")
        self.edits.append((start, self._after_line(self._content_end(value)), ""))

    def insert_items(self, sequence: Node, after: int, items: list[NewItem]) -> None:
        """Insert ``items`` after item ``after`` (``-1``: before the first)."""
        if not isinstance(sequence, SequenceNode) or sequence.flow_style or not sequence.value:
            raise SpliceError(sequence, "cannot add an item to a list written in [brackets]; add it in the YAML")
        dash = sequence.start_mark.column
        if after >= 0:
            sibling = sequence.value[after]
            at = self._after_line(self._content_end(sibling))
        else:
            sibling = sequence.value[0]
            at = self._line_start(sibling.start_mark.index)
        text = "".join(self._render_item(item, dash, sibling) + "\n" for item in items)
        if at == len(self.text) and not self.text.endswith("\n"):
            text = "\n" + text.rstrip("\n")
        self.edits.append((at, at, text))

    def promote_and_insert(self, key: Node, scalar: ScalarNode, after: int, items: list[NewItem]) -> None:
        """``key: text`` (a string standing for a list of one paragraph) as a
        block list of that paragraph and ``items`` (after it, or before it
        when ``after`` is -1); the old value keeps its own writing."""
        colon = self.text.index(":", key.end_mark.index) + 1
        dash = key.start_mark.column + 2
        start = scalar.start_mark.index
        end = self._content_end(scalar) if scalar.style in (">", "|") else scalar.end_mark.index
        inner = [e for e in self.edits if start <= e[0] and e[1] <= end]  # a rewording of the same text
        self.edits = [e for e in self.edits if e not in inner]
        segment = _apply_edits(self.text[start:end], inner, start)
        if segment[:1] in (">", "|"):
            header, _, rest = segment.partition("\n")
            lines = rest.split("\n")
            indent = min((len(line) - len(line.lstrip(" ")) for line in lines if line.strip()), default=0)
            old = header + "\n" + "\n".join(" " * (dash + 2) + line[indent:] if line.strip() else "" for line in lines)
        elif "\n" in segment:
            old = _inline(str(yaml.safe_load(segment)), None, False)
        else:
            old = segment
        new = [self._render_item(item, dash, scalar) for item in items]
        entries = [" " * dash + "- " + old, *new] if after >= 0 else [*new, " " * dash + "- " + old]
        self.edits.append((colon, end, "\n" + "\n".join(entries)))

    def _render_item(self, item: NewItem, dash: int, sibling: Node) -> str:
        pad = " " * dash
        if item.term is not None:
            if isinstance(sibling, MappingNode) and sibling.flow_style:
                return f"{pad}- {{term: {_inline(item.term, None, True)}, text: {_inline(item.text, None, True)}}}"
            inner = " " * (dash + 2)
            body = self._value_lines(item.text, dash + 2 + len("text: "), dash + 4, sibling)
            return f"{pad}- term: {_inline(item.term, None, False)}\n{inner}text: {body}"
        return f"{pad}- " + self._value_lines(item.text, dash + 2, dash + 4, sibling)

    def _value_lines(self, value: str, column: int, indent: int, sibling: Node) -> str:
        """A value starting at ``column``: one line if it fits, else a folded block."""
        folded_sibling = _first_folded(sibling)
        width = self._width(folded_sibling) if folded_sibling is not None else DEFAULT_WIDTH
        if folded_sibling is not None:
            first = self.text[folded_sibling.start_mark.index :].split("\n", 2)[1]
            indent = max(len(first) - len(first.lstrip(" ")), indent)
        one_line = _inline(value, None, False)
        if column + len(one_line) <= width or not _foldable(value):
            return one_line
        lines = textwrap.wrap(value, width=max(width - indent, 30), break_long_words=False, break_on_hyphens=False)
        return ">-\n" + "\n".join(" " * indent + line for line in lines)

    # -- result -------------------------------------------------------------

    def result(self) -> str:
        edits = sorted(self.edits, key=lambda e: (e[0], e[1]))
        for (s1, e1, _), (s2, e2, _) in itertools.pairwise(edits):
            if s2 < e1:
                raise SpliceError(None, OVERLAP)
        pieces: list[str] = []
        position = 0
        for start, end, new in edits:
            pieces.append(self.text[position:start])
            pieces.append(new)
            position = end
        pieces.append(self.text[position:])
        return "".join(pieces)


def _apply_edits(text: str, edits: list[tuple[int, int, str]], offset: int) -> str:
    out, position = [], 0
    for start, end, new in sorted(edits):
        out.append(text[position : start - offset])
        out.append(new)
        position = end - offset
    out.append(text[position:])
    return "".join(out)


def _first_folded(node: Node) -> ScalarNode | None:
    if isinstance(node, ScalarNode):
        return node if node.style == ">" else None
    if isinstance(node, MappingNode):
        for _, value in node.value:
            found = _first_folded(value)
            if found is not None:
                return found
    return None


def _foldable(value: str) -> bool:
    return bool(value) and value == value.strip() and "  " not in value and not re.search(r"[\n\t\r]", value)


def _refold(old_lines: list[str], value: str, width: int) -> list[str]:
    """Lines for ``value``: the old lines where they still hold the same
    words (at the start and at the end), new ones wrapped in between."""
    words = value.split(" ")
    head: list[str] = []
    position = 0
    for line in old_lines:
        line_words = line.split(" ")
        if words[position : position + len(line_words)] == line_words and position + len(line_words) <= len(words):
            head.append(line)
            position += len(line_words)
        else:
            break
    tail: list[str] = []
    end = len(words)
    for line in reversed(old_lines[len(head) :]):
        line_words = line.split(" ")
        if end - len(line_words) >= position and words[end - len(line_words) : end] == line_words:
            tail.insert(0, line)
            end -= len(line_words)
        else:
            break
    middle = " ".join(words[position:end])
    wrapped = textwrap.wrap(middle, width=max(width, 30), break_long_words=False, break_on_hyphens=False) if middle else []
    return head + wrapped + tail


def _same_number_kind(value: str, tag: str) -> bool:
    try:
        node = yaml.compose(value)
    except yaml.YAMLError:
        return False
    return isinstance(node, ScalarNode) and node.tag == tag and node.value == value


def _inline(value: str, style: str | None, in_flow: bool) -> str:
    """``value`` as a one-line scalar: plain when that reads back the same,
    else quoted (in the original quote style when it had one)."""
    if style not in ("'", '"') and _plain_ok(value, in_flow):
        return value
    chosen = style if style in ("'", '"') else None
    dumped = yaml.safe_dump(
        value, default_style=chosen, width=float("inf"), allow_unicode=True, explicit_end=False
    )
    dumped = dumped.removesuffix("\n...\n").rstrip("\n")
    if not dumped.startswith(("'", '"')):
        dumped = yaml.safe_dump(value, default_style="'", width=float("inf"), allow_unicode=True).rstrip("\n")
    return dumped


def _plain_ok(value: str, in_flow: bool) -> bool:
    if not value or value != value.strip() or "\n" in value:
        return False
    if in_flow and any(c in value for c in ",[]{}"):
        return False
    try:
        node = yaml.compose(value)
    except yaml.YAMLError:
        return False
    return isinstance(node, ScalarNode) and node.tag == "tag:yaml.org,2002:str" and node.style is None and node.value == value
