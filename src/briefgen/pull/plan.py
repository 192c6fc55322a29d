"""Planning a pull: which places changed in Word, and how the YAML follows.

:class:`Planner` compares every marked paragraph with what was built and
with what the brief says now (three ways), and collects the edits as
closures over a :class:`~briefgen.pull.splice.Splicer`; refusals and
conflicts are collected too, and any of them stops the pull before a byte
is written.  Removed and added paragraphs are worked out in
:mod:`~briefgen.pull.removals` and :mod:`~briefgen.pull.additions`.
"""

from __future__ import annotations

from pathlib import Path

from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from .. import richtext
from ..cite.syntax import Citations
from .additions import Additions
from .annotations import Annotations
from .errors import PullError
from .markup import to_markup
from .merge import Group
from .record import Unit, path_text
from .removals import Removals
from .splice import SpliceError, Splicer, follow, locate
from .spans import Spans, canonical, plain_spans, plain_text, spans_of, split_term, strip_prefix
from .typography import same_spans, same_text
from .summary import Change, describe_change, listing, render, shorten, what_of, place_of
from .word import WordFile, WordParagraph


class Planner(Removals, Additions, Annotations):
    def __init__(self, word: WordFile, path: Path, text: str, root: Node, *, changed_since: bool):
        self.word = word
        self.path = path
        self.root = root
        self.changed_since = changed_since
        self.splicer = Splicer(text)
        self.units = {unit.id: unit for unit in word.record.units}
        self.present: dict[int, WordParagraph] = {}
        for paragraph in [*word.paragraphs, *word.notes]:
            if paragraph.unit is not None and paragraph.unit in self.units:
                self.present[paragraph.unit] = paragraph
        self.styles = {v: k for k, v in word.record.styles.items()}
        self.note_ids = [k.value for k, _ in (follow(root, "footnotes") or MappingNode("", [])).value]
        self.changes: list[Change] = []
        self.refusals: list[str] = []
        self.conflicts: list[str] = []
        self.groups: list[Group] = []  # the splice edits of each change, for a three-way merge

    # -- messages -------------------------------------------------------------

    def where(self, node: Node | None) -> str:
        if node is None:
            return f"{self.path}:1:1"
        return f"{self.path}:{node.start_mark.line + 1}:{node.start_mark.column + 1}"

    def refuse(self, node: Node | None, path: tuple | None, message: str) -> None:
        named = f"{path_text(path)}: " if path else ""
        self.refusals.append(f"{self.where(node)}: error: {named}{message}")

    def conflict(self, unit: Unit, node: Node | None) -> None:
        self.conflicts.append(
            f"{self.where(node)}: error: {path_text(unit.path)}: changed in Word and in the brief "
            "since the Word file was built; make the change in one of them"
        )

    # -- the run ---------------------------------------------------------------

    def run(self) -> None:
        self._refuse_unmappable()
        edits = self._edits()
        removals = self._removals()
        insertions = self._insertions()
        if self.refusals:
            raise PullError(listing("cannot pull these edits; nothing was written", self.refusals))
        if self.conflicts:
            raise PullError(
                listing(
                    f"the brief changed since {self.word.path.name} was built, and these places "
                    "were changed in both; nothing was written",
                    self.conflicts,
                )
            )
        comments = self._comments()
        try:
            for apply, changes in (*edits, *removals, *insertions, *comments):
                first = len(self.splicer.edits)
                apply()
                self.groups.append(Group(list(self.splicer.edits[first:]), changes))
        except SpliceError as err:
            raise PullError(f"{self.where(err.node)}: error: {err}; nothing was written") from None

    def _refuse_unmappable(self) -> None:
        for paragraph in self.word.new_table_paragraphs.values():
            self.refusals.append(
                f"{self.word.path}: error: a new table ({paragraph.describe()}); tables come "
                "from 'table' blocks: add it in the YAML"
            )
        for paragraph in self.word.paragraphs:
            unit = self.units.get(paragraph.unit) if paragraph.unit else None
            if paragraph.drawings and (unit is None or unit.kind != "picture" or paragraph.drawings > 1):
                self.refusals.append(
                    f"{self.word.path}: error: a picture was inserted ({paragraph.describe()}); "
                    "pictures come from 'figure' blocks: add it in the YAML"
                )

    # -- changed paragraphs ------------------------------------------------------

    def _current(self, unit: Unit) -> tuple[Node | None, Spans | None, Spans]:
        """The YAML node of ``unit`` now, its spans, and its term spans."""
        if unit.kind == "term":
            item = locate(self.root, unit.path)
            term_node, text_node = follow(item, "term"), follow(item, "text")
            if not isinstance(item, MappingNode) or term_node is None or text_node is None:
                return item, None, ()
            return item, self._spans(text_node, rich=True), self._spans(term_node, rich=True) or ()
        node = locate(self.root, unit.path)
        return node, self._spans(node, rich=unit.kind == "rich"), ()

    def _spans(self, node: Node | None, *, rich: bool) -> Spans | None:
        if not isinstance(node, ScalarNode):
            return None
        if not rich or node.tag != "tag:yaml.org,2002:str":
            return plain_spans(node.value)
        try:
            parsed = richtext.parse(
                node.value,
                richtext.FootnoteNumbering(known=frozenset(self.note_ids)),
                citations=Citations(unchecked=True),
            )
        except richtext.RichTextError:
            return None
        return spans_of(parsed)

    def _word_content(self, unit: Unit, paragraph: WordParagraph) -> tuple[Spans, Spans] | None:
        raw = list(paragraph.raw)
        if unit.prefix:
            raw = strip_prefix(raw, unit.prefix)
            if raw is None:
                self.refuse(locate(self.root, unit.path), unit.path,
                            f"the label '{unit.prefix.strip()}' was removed from {paragraph.describe()}; keep it")
                return None
        spans = canonical(raw)
        if unit.kind == "term":
            split = split_term(spans)
            if split is None:
                self.refuse(locate(self.root, unit.path), unit.path,
                            f"{paragraph.describe()} no longer reads 'term – text' with the term in bold")
                return None
            return split
        return spans, ()

    def _edits(self) -> list:
        out = []
        for unit in self.word.record.units:
            paragraph = self.present.get(unit.id)
            if paragraph is None or unit.kind in ("picture", "break"):
                continue
            if unit.kind == "fixed":
                if not same_text(paragraph.text, plain_text(unit.spans)):
                    self.refuse(None, None, f"{paragraph.describe()} was changed, but briefgen writes it "
                                f"from the brief's settings ('{plain_text(unit.spans)[:50]}'); change the YAML instead")
                continue
            content = self._word_content(unit, paragraph)
            if content is None:
                continue
            spans, term = content
            if unit.kind == "plain" and any(s.note or s.bold or s.italic or s.url for s in spans):
                spans = plain_spans(plain_text(spans))
            if same_spans(spans, unit.spans) and same_spans(term, unit.term):
                continue
            node, now, now_term = self._current(unit)
            if same_spans(now, spans) and same_spans(now_term, term):
                continue  # the brief already says this
            if node is None or not (same_spans(now, unit.spans) and same_spans(now_term, unit.term)):
                self.conflict(unit, node)
                continue
            first = len(self.changes)
            apply = self._edit(unit, node, spans, term)
            out.append((apply, self.changes[first:]))
        return out

    def _markup(self, unit_path: tuple, spans: Spans, rich: bool) -> str:
        if not rich:
            return plain_text(spans)
        markup = to_markup(spans, self.note_ids)
        if markup is None:
            self.refuse(locate(self.root, unit_path), unit_path,
                        "the formatting cannot be written as rich text (**bold**, *italic*, [links](...))")
            return plain_text(spans)
        return markup

    def _edit(self, unit: Unit, node: Node, spans: Spans, term: Spans):
        rich = unit.kind in ("rich", "term")
        if unit.kind == "term":
            term_node, text_node = follow(node, "term"), follow(node, "text")
            new_term = self._markup(unit.path, term, True)
            new_text = self._markup(unit.path, spans, True)
            flow = bool(getattr(node, "flow_style", False))
            old = f"**{plain_text(unit.term)}** – {plain_text(unit.spans)}"
            new = f"**{plain_text(term)}** – {plain_text(spans)}"
            self._note(unit, node, describe_change(old, new, "list item", (*unit.term, *unit.spans), (*term, *spans)))

            def apply() -> None:
                if not same_spans(term, unit.term):
                    self.splicer.replace_scalar(term_node, new_term, in_flow=flow)
                if not same_spans(spans, unit.spans):
                    self.splicer.replace_scalar(text_node, new_text, in_flow=flow)

            return apply
        value = self._markup(unit.path, spans, rich)
        if node.tag in ("tag:yaml.org,2002:int", "tag:yaml.org,2002:float") and not value.strip():
            value = ""
        self._note(unit, node, describe_change(plain_text(unit.spans), plain_text(spans), what_of(unit), unit.spans, spans))
        in_flow = self._in_flow(unit.path)
        return lambda: self.splicer.replace_scalar(node, value, in_flow=in_flow)

    def _in_flow(self, path: tuple) -> bool:
        node: Node | None = self.root
        for key in path[:-1]:
            node = follow(node, key)
            if isinstance(node, (MappingNode, SequenceNode)) and node.flow_style:
                return True
        parent = locate(self.root, path[:-1])
        return bool(isinstance(parent, (MappingNode, SequenceNode)) and parent.flow_style)

    def _note(self, unit: Unit, node: Node | None, message: str) -> None:
        line = node.start_mark.line + 1 if node is not None else None
        column = node.start_mark.column + 1 if node is not None else 1
        self.changes.append(Change(self._group(unit.path), unit.path, place_of(unit.path), line, message, column))

    def _group(self, path: tuple) -> str:
        if path[:1] == ("sections",):
            title = locate(self.root, ("sections", path[1], "title"))
            shown = title.value if isinstance(title, ScalarNode) else ""
            return f"sections[{path[1]}] '{shorten(shown, 60)}'"
        if path[:1] == ("conclusion",):
            return "conclusion"
        if path[:1] == ("footnotes",):
            return "footnotes"
        return "front matter"

    def summary(self, docx: Path) -> str:
        return render(docx, self.path, self.changes, self.changed_since)
