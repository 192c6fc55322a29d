"""``briefgen pull``: an editor's changes in a generated Word file, back in the brief.

The Word writer marks each paragraph with a hidden bookmark and records
what it wrote (:mod:`briefgen.pull_record`).  Pull reads the edited file
(:mod:`briefgen.pull_docx`), compares every marked paragraph with what was
built, works out added and removed paragraphs from where markers are
missing or new paragraphs stand, and splices the changes into the YAML
text (:mod:`briefgen.pull_yaml`).  Anything it cannot map exactly is
refused with a message, and nothing is written.

When the brief changed since the file was built, each change is checked
against the brief as it is now: a place the editor changed that the brief
changed too is a conflict, and a pull with conflicts writes nothing.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass, field
from pathlib import Path

from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from . import pull_record as pr
from . import richtext
from .errors import BriefErrors
from .pull_docx import PullError, WordFile, WordParagraph, read_word_file
from .pull_record import Span, Spans, Unit, path_text, plain_text
from .pull_yaml import NewItem, SpliceError, Splicer, follow, locate

__all__ = ["PullError", "PullResult", "pull_docx"]

OPTIONAL_KEYS = ("lead", "caption", "source", "note", "attribution", "subtitle")
LIST_STYLE_NAMES = (
    "List Bullet", "List Bullet 2", "List Number", "List Number 2",
    "Callout List Bullet", "Callout List Number", "Key Takeaway",
)
SECOND_LEVEL_STYLES = ("List Bullet 2", "List Number 2")


@dataclass
class PullResult:
    yaml_path: Path  # the brief that was (or would be) updated
    changed: bool  # False when the Word file holds no edits
    summary: str  # readable, section by section
    new_yaml: str  # the updated YAML text (written unless dry_run)


def pull_docx(docx: Path, *, yaml_path: Path | None = None, dry_run: bool = False) -> PullResult:
    """Bring the edits in ``docx`` back into its brief; see the module docs."""
    docx = Path(docx)
    word = read_word_file(docx)
    path = Path(yaml_path) if yaml_path is not None else _default_brief(word, docx)
    from .read import compose, load_brief, read_text

    try:
        text = read_text(path)
        load_brief(path)
        root = compose(path, text)
    except BriefErrors as err:
        raise PullError(
            "the brief has problems; fix them before pulling:\n"
            + "\n".join(d.format() if hasattr(d, "format") else str(d) for d in err.diagnostics)
        ) from None
    current_hash = hashlib.sha256(path.read_bytes()).hexdigest()
    plan = _Planner(word, path, text, root, changed_since=current_hash != word.sha256)
    plan.run()
    new_yaml = plan.splicer.result()
    if new_yaml != text:
        _check(path, new_yaml)
    changed = bool(plan.changes)
    summary = plan.summary(docx)
    if changed and not dry_run and new_yaml != text:
        _write(path, new_yaml)
    return PullResult(path, changed, summary, new_yaml)


def _default_brief(word: WordFile, docx: Path) -> Path:
    source = word.source
    if not source:
        raise PullError(f"{docx}: the file does not say which brief it was built from; name it with --yaml")
    candidate = Path(source)
    if candidate.is_absolute() or ".." in candidate.parts:
        raise PullError(f"{docx}: the recorded brief path '{source}' is not a relative path; name the brief with --yaml")
    if not candidate.is_file():
        raise PullError(
            f"{docx}: it was built from '{source}', which is not there (run pull from the "
            "folder you built in, or name the brief with --yaml)"
        )
    return candidate


def _check(path: Path, text: str) -> None:
    """The pulled brief must read back without errors."""
    from .read import check_text

    errors = [d for d in check_text(path, text) if d.severity == "error"]
    if errors:
        raise PullError(
            "the edits would make the brief invalid, so nothing was written:\n"
            + "\n".join(_format(d) for d in errors)
        )


def _format(diagnostic) -> str:
    where = f"{diagnostic.path}: " if getattr(diagnostic, "path", "") else ""
    return f"{diagnostic.file}:{diagnostic.line}:{diagnostic.column}: {diagnostic.severity}: {where}{diagnostic.message}"


def _write(path: Path, text: str) -> None:
    temporary = path.with_name(f".{path.name}.{os.getpid()}.pull.tmp")
    temporary.write_text(text, encoding="utf-8", newline="")
    os.replace(temporary, path)


# --------------------------------------------------------------------------
# Planning
# --------------------------------------------------------------------------


@dataclass
class _Change:
    group: str  # the summary heading it goes under
    path: tuple
    message: str


@dataclass
class _Insertion:
    container: tuple  # path of the sequence
    after: int
    anchor: Unit | None
    items: list[NewItem] = field(default_factory=list)
    texts: list[str] = field(default_factory=list)


class _Planner:
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
        self.changes: list[_Change] = []
        self.refusals: list[str] = []
        self.conflicts: list[str] = []

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
            raise PullError(_listing("cannot pull these edits; nothing was written", self.refusals))
        if self.conflicts:
            raise PullError(
                _listing(
                    f"the brief changed since {self.word.path.name} was built, and these places "
                    "were changed in both; nothing was written",
                    self.conflicts,
                )
            )
        try:
            for apply in (*edits, *removals, *insertions):
                apply()
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
            return pr.plain_spans(node.value)
        try:
            parsed = richtext.parse(node.value, richtext.FootnoteNumbering(known=frozenset(self.note_ids)))
        except richtext.RichTextError:
            return None
        return pr.spans_of(parsed)

    def _word_content(self, unit: Unit, paragraph: WordParagraph) -> tuple[Spans, Spans] | None:
        raw = list(paragraph.raw)
        if unit.prefix:
            raw = _strip_prefix(raw, unit.prefix)
            if raw is None:
                self.refuse(locate(self.root, unit.path), unit.path,
                            f"the label '{unit.prefix.strip()}' was removed from {paragraph.describe()}; keep it")
                return None
        spans = pr.canonical(raw)
        if unit.kind == "term":
            split = _split_term(spans)
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
                if " ".join(paragraph.text.split()) != " ".join(plain_text(unit.spans).split()):
                    self.refuse(None, None, f"{paragraph.describe()} was changed, but briefgen writes it "
                                f"from the brief's settings ('{plain_text(unit.spans)[:50]}'); change the YAML instead")
                continue
            content = self._word_content(unit, paragraph)
            if content is None:
                continue
            spans, term = content
            if unit.kind == "plain" and any(s.note or s.bold or s.italic or s.url for s in spans):
                spans = pr.plain_spans(plain_text(spans))
            if spans == unit.spans and term == unit.term:
                continue
            node, now, now_term = self._current(unit)
            if now == spans and now_term == term:
                continue  # the brief already says this
            if node is None or now != unit.spans or now_term != unit.term:
                self.conflict(unit, node)
                continue
            out.append(self._edit(unit, node, spans, term))
        return out

    def _markup(self, unit_path: tuple, spans: Spans, rich: bool) -> str:
        if not rich:
            return plain_text(spans)
        markup = pr.to_markup(spans, self.note_ids)
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
            self._note(unit, node, _describe_change(old, new, "list item", (*unit.term, *unit.spans), (*term, *spans)))

            def apply() -> None:
                if term != unit.term:
                    self.splicer.replace_scalar(term_node, new_term, in_flow=flow)
                if spans != unit.spans:
                    self.splicer.replace_scalar(text_node, new_text, in_flow=flow)

            return apply
        value = self._markup(unit.path, spans, rich)
        if node.tag in ("tag:yaml.org,2002:int", "tag:yaml.org,2002:float") and not value.strip():
            value = ""
        self._note(unit, node, _describe_change(plain_text(unit.spans), plain_text(spans), _what(unit), unit.spans, spans))
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
        line = f" (line {node.start_mark.line + 1})" if node is not None else ""
        self.changes.append(_Change(self._group(unit.path), unit.path, f"{_place(unit.path)}{line}: {message}"))

    def _group(self, path: tuple) -> str:
        if path[:1] == ("sections",):
            title = locate(self.root, ("sections", path[1], "title"))
            shown = title.value if isinstance(title, ScalarNode) else ""
            return f"sections[{path[1]}] '{_shorten(shown, 60)}'"
        if path[:1] == ("conclusion",):
            return "conclusion"
        if path[:1] == ("footnotes",):
            return "footnotes"
        return "front matter"

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
            section = _section_of(unit.path)
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
                            f"the {_what(unit)} was deleted in Word; it cannot be left out of the brief "
                            "this way (edit the YAML)")
        out = []
        for path, (kind, units) in sorted(targets.items(), key=lambda t: str(t[0])):
            if any(path[: len(other)] == other and path != other for other in targets):
                continue  # inside something removed as a whole
            if not self._unchanged_in_yaml(units):
                continue
            out.append(self._removal(path, kind, units))
        return out

    def _unchanged_in_yaml(self, units: list[Unit]) -> bool:
        ok = True
        for unit in units:
            if unit.kind in ("picture", "break", "fixed"):
                continue
            node, now, now_term = self._current(unit)
            if node is None or now != unit.spans or now_term != unit.term:
                self.conflict(unit, node)
                ok = False
        return ok

    def _removal(self, path: tuple, kind: str, units: list[Unit]):
        parent = locate(self.root, path[:-1])
        node = locate(self.root, path)
        text = next((plain_text(u.spans) for u in units if u.spans), "")
        what = {"section": "section", "block": "block", "item": "list item", "key": path[-1]}[kind]
        line = f" (line {node.start_mark.line + 1})" if node is not None else ""
        self.changes.append(_Change(self._group(path), path, f"{_place(path)}{line}: {what} removed: \"{_shorten(text)}\""))
        if kind == "key":
            return lambda: self.splicer.remove_key(parent, str(path[-1]))
        if not isinstance(parent, SequenceNode):
            self.refuse(node, path, f"the {what} was deleted, but the YAML writes it in a short form; remove it in the YAML")
            return lambda: None
        return lambda: self.splicer.remove_item(parent, int(path[-1]))

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
        return [self._insertion(group) for group in groups if group.items]

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
        section = _section_of(previous.path)
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
        self.refuse(None, None, f"{paragraph.describe()} was added after the {_what(previous)}, where the brief has "
                    "room for one paragraph only")
        return None

    def _place_item(self, paragraph: WordParagraph, previous: Unit, level: int, markup: str) -> _Insertion | None:
        if previous.path[:1] == ("key_points",):
            return self._new(paragraph, ("key_points",), int(previous.path[1]), previous, NewItem(markup))
        if previous.path[-1] == "lead" and level == 0:
            return self._new(paragraph, (*previous.path[:-1], "items"), -1, previous, NewItem(markup))
        if "items" in previous.path and previous.kind in ("rich", "term"):
            item = previous.path if previous.kind == "term" else previous.path[:-1]
            if level > previous.level:
                self.refuse(locate(self.root, item), item,
                            f"{paragraph.describe()} is a new sub-item under an item without sub-items; add it in the YAML")
                return None
            if level < previous.level:
                item = item[:-2]
            new = NewItem(markup)
            if previous.kind == "term":
                split = _split_term(paragraph.spans)
                if split is not None:
                    text, term = split
                    new = NewItem(self._markup(item, text, True), self._markup(item, term, True))
            return self._new(paragraph, item[:-1], int(item[-1]), previous, new)
        self.refuse(None, None, f"{paragraph.describe()} is a new list; add lists in the YAML")
        return None

    def _new(self, paragraph: WordParagraph, container: tuple, after: int, anchor: Unit, item: NewItem) -> _Insertion:
        return _Insertion(container, after, anchor, [item], [paragraph.text])

    def _insertion(self, group: _Insertion):
        sequence = locate(self.root, group.container)
        if group.anchor is not None:
            self._unchanged_in_yaml([group.anchor])
        what = "list item" if "items" in group.container or group.container == ("key_points",) else "paragraph"
        position = f"after [{group.after}]" if group.after >= 0 else "at the start"
        line = f" (line {sequence.start_mark.line + 1})" if sequence is not None else ""
        for item in group.items:
            shown = f"{item.term} – {item.text}" if item.term else item.text
            self.changes.append(
                _Change(self._group(group.container), group.container,
                        f"{_place(group.container)}{line}: {what} added {position}: \"{_shorten(shown)}\"")
            )
        if not isinstance(sequence, SequenceNode):
            self.refuse(sequence, group.container, "new paragraphs here need a list in the YAML; add them there")
            return lambda: None
        return lambda: self.splicer.insert_items(sequence, group.after, group.items)

    # -- summary ------------------------------------------------------------------

    def summary(self, docx: Path) -> str:
        if not self.changes:
            return f"{docx}: no changes to pull into {self.path}"
        lines = [f"{docx} -> {self.path}: {len(self.changes)} change{'s' if len(self.changes) != 1 else ''}"]
        if self.changed_since:
            lines[0] += " (the brief changed since the file was built; no conflicts)"
        groups: dict[str, list[str]] = {}
        for change in self.changes:
            groups.setdefault(change.group, []).append(change.message)
        for group, messages in groups.items():
            lines.append(f"{group}:")
            lines.extend(f"  {message}" for message in messages)
        return "\n".join(lines)


# --------------------------------------------------------------------------
# Helpers
# --------------------------------------------------------------------------


def _listing(head: str, items: list[str]) -> str:
    return head + ":\n" + "\n".join(dict.fromkeys(items))


def _section_of(path: tuple) -> tuple | None:
    """The path of the innermost section ``path`` lies in."""
    end = None
    index = 0
    while index + 1 < len(path) and path[index] == "sections":
        end = index + 2
        index += 2
    return path[:end] if end else None


def _place(path: tuple) -> str:
    """``path`` relative to its top-level section (the summary's heading)."""
    section = path[:2] if path[:1] == ("sections",) else None
    rest = path[len(section):] if section else path
    shown = path_text(rest) if rest else ""
    return shown.replace(".paragraph", "").replace(".text", "") or path_text(path)


def _what(unit: Unit) -> str:
    last = unit.path[-1]
    if last == "title" and _section_of(unit.path):
        return "heading" if "columns" not in unit.path else "column title"
    if "rows" in unit.path:
        return "table cell"
    if unit.path[:1] == ("footnotes",):
        return "footnote"
    if last == "paragraph":
        return "paragraph"
    if last == "text" and "items" in unit.path:
        return "list item"
    return str(last).replace("_", " ")


def _shorten(text: str, limit: int = 70) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _describe_change(old: str, new: str, what: str, old_spans: Spans = (), new_spans: Spans = ()) -> str:
    """``paragraph reworded: "… tested policy …" -> "… checked policy …"``,
    plus what became bold, italic or a link."""
    styled = _formatting(old_spans, new_spans)
    words = _wording(old, new, what)
    if words and styled:
        return f"{words}; {styled}"
    return words or (f"{what} {styled}" if styled else f"{what} changed")


def _formatting(old: Spans, new: Spans) -> str:
    def marked(spans: Spans) -> set[tuple[str, str]]:
        found = set()
        for span in spans:
            for flag, label in ((span.bold, "bold"), (span.italic, "italic"), (span.url, "link")):
                if flag and span.text.strip():
                    found.add((label, span.text.strip()))
        return found

    before, after = marked(old), marked(new)
    parts = [f"now {label}: \"{_shorten(text, 40)}\"" for label, text in sorted(after - before)]
    parts += [f"no longer {label}: \"{_shorten(text, 40)}\"" for label, text in sorted(before - after)]
    return ", ".join(parts)


def _wording(old: str, new: str, what: str) -> str:
    old_words, new_words = old.split(), new.split()
    start = 0
    while start < min(len(old_words), len(new_words)) and old_words[start] == new_words[start]:
        start += 1
    end = 0
    while (
        end < min(len(old_words), len(new_words)) - start
        and old_words[-1 - end] == new_words[-1 - end]
    ):
        end += 1
    context = 3
    lo = max(start - context, 0)

    def cut(words: list[str]) -> str:
        hi = len(words) - max(end - context, 0)
        piece = " ".join(words[lo:hi])
        return ("… " if lo else "") + _shorten(piece, 90) + (" …" if hi < len(words) else "")

    if old_words == new_words:
        return ""
    return f"{what} reworded: \"{cut(old_words)}\" -> \"{cut(new_words)}\""


def _strip_prefix(raw: list[Span], prefix: str) -> list[Span] | None:
    text = "".join(s.text for s in raw)
    stripped = text.lstrip()
    lead = len(text) - len(stripped)
    label = prefix.strip()
    if not stripped.startswith(label):
        return None
    return _drop_chars(raw, lead + len(label))


def _drop_chars(raw: list[Span], count: int) -> list[Span]:
    out: list[Span] = []
    for span in raw:
        if count <= 0 or span.note is not None:
            if count <= 0:
                out.append(span)
            continue
        if len(span.text) <= count:
            count -= len(span.text)
            continue
        out.append(Span(span.text[count:], span.bold, span.italic, span.url))
        count = 0
    return out


def _split_term(spans: Spans) -> tuple[Spans, Spans] | None:
    """``**term** – text`` as (text, term); None when it no longer reads so."""
    text = plain_text(spans)
    at = text.find(" \u2013 ")
    if at <= 0:
        return None
    offset = 0
    head: list[Span] = []
    tail: list[Span] = []
    for span in spans:
        if span.note is not None:
            (head if offset < at else tail).append(span)
            continue
        start, end = offset, offset + len(span.text)
        if start < at:
            piece = span.text[: max(0, at - start)]
            if piece.strip() and not span.bold:
                return None
            head.append(Span(piece, False, span.italic, span.url))
        if end > at + 3:
            piece = span.text[max(0, at + 3 - start) :]
            tail.append(Span(piece, span.bold, span.italic, span.url))
        offset = end
    return pr.canonical(tail), pr.canonical(head)
