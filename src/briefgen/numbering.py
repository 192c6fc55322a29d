"""Numbers and cross-references: what "Figure 2" and "[#id]" mean.

The reader builds the model in one pass, so a reference may point forward
("see Table 2 below") to a target not yet read.  This second pass numbers
every captioned figure, chart and table in reading order, letters the
appendices' sections, and fills each ``[#id]`` reference with its
target's label.  Every writer then prints the same numbers and labels.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from .model import (
    Block,
    Brief,
    Callout,
    Chart,
    CrossRef,
    Emph,
    Figure,
    Inline,
    Link,
    RichText,
    Section,
    Strong,
    Sub,
    Sup,
    Table,
)

_CONTAINERS = (Strong, Emph, Link, Sub, Sup, CrossRef)


@dataclass(frozen=True, slots=True)
class Target:
    """Something a cross-reference can point at."""

    id: str
    kind: str  # "section", "appendix", "figure" or "table"
    label: str  # what ``[#id]`` shows; "" when the target has none


@dataclass(frozen=True, slots=True)
class Problem:
    """A cross-reference that cannot be resolved, with the text it sits in."""

    text: RichText
    ref: CrossRef
    message: str


def section_numbers(brief: Brief) -> dict[str, str]:
    """Numbers of the sections by id: "1", "1.2"...; appendices "A", "A.1"..."""
    numbers: dict[str, str] = {}

    def walk(sections: tuple[Section, ...], prefix: str, letters: bool) -> None:
        for index, section in enumerate(sections, 1):
            own = section.appendix if letters and section.appendix else str(index)
            number = f"{prefix}{own}"
            numbers[section.id] = number
            walk(section.sections, f"{number}.", False)

    walk(brief.sections, "", False)
    walk(brief.appendices, "", True)
    return numbers


def appendix_letter(index: int) -> str:
    """``A`` .. ``Z``, then ``AA``, ``AB``... for the index-th appendix (0-based)."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def caption_label(block: Block, words: Mapping[str, str]) -> str:
    """ "Figure 2" or "Table 1" for a numbered block, else ""."""
    number = getattr(block, "number", 0)
    if not number:
        return ""
    word = words["table"] if isinstance(block, Table) else words["figure"]
    return f"{word} {number}"


def targets(brief: Brief, words: Mapping[str, str]) -> dict[str, Target]:
    """Every id a cross-reference may name, with the label it shows."""
    numbers = section_numbers(brief)
    found: dict[str, Target] = {}
    for section in brief.walk_sections():
        label = f"{words['section']} {numbers[section.id]}" if brief.section_numbers else section.title
        found[section.id] = Target(section.id, "section", label)
    for section in brief.walk_appendices():
        if section.appendix:
            label = f"{words['appendix']} {section.appendix}"
            found[section.id] = Target(section.id, "appendix", label)
        else:
            label = f"{words['section']} {numbers[section.id]}" if brief.section_numbers else section.title
            found[section.id] = Target(section.id, "section", label)
    for block in brief.walk_blocks():
        if isinstance(block, (Table, Figure, Chart)) and block.id:
            kind = "table" if isinstance(block, Table) else "figure"
            found[block.id] = Target(block.id, kind, caption_label(block, words))
    return found


def resolve(brief: Brief, words: Mapping[str, str]) -> tuple[Brief, list[Problem]]:
    """The brief numbered, its ``[#id]`` labels filled in, and the references
    that name no target (or a target without a label)."""
    brief = _numbered(brief)
    known = targets(brief, words)
    problems: list[Problem] = []

    def fix(text: RichText) -> RichText:
        if not any(isinstance(node, CrossRef) for node in _walk(text.inlines)):
            return text
        return dataclasses.replace(text, inlines=tuple(_fill(text, text.inlines, known, problems)))

    return _map_rich(brief, fix), problems


def _fill(text: RichText, inlines: tuple[Inline, ...], known: dict[str, Target], problems: list[Problem]) -> Iterator[Inline]:
    for node in inlines:
        if isinstance(node, CrossRef):
            target = known.get(node.id)
            if target is None:
                problems.append(Problem(text, node, _unknown(node.id, known)))
            elif node.shows_label and not target.label:
                problems.append(
                    Problem(text, node, f"[#{node.id}] names a {target.kind} without a caption, so it has no number to show; give it a caption or write [words](#{node.id})")
                )
            label = target.label if target else ""
            yield dataclasses.replace(node, label=label or node.id, children=tuple(_fill(text, node.children, known, problems)))
        elif isinstance(node, _CONTAINERS):
            yield dataclasses.replace(node, children=tuple(_fill(text, node.children, known, problems)))
        else:
            yield node


def _unknown(ref_id: str, known: Mapping[str, Target]) -> str:
    from .suggest import did_you_mean

    return f"cross-reference [#{ref_id}] names no section, appendix, figure, chart or table" + did_you_mean(ref_id, known)


def _walk(inlines: tuple[Inline, ...]) -> Iterator[Inline]:
    for node in inlines:
        yield node
        if isinstance(node, _CONTAINERS):
            yield from _walk(node.children)


def _numbered(brief: Brief) -> Brief:
    """Captioned figures and charts numbered 1, 2, ... and tables 1, 2, ... in reading order."""
    counters = {"figure": 0, "table": 0}

    def number(block: Block) -> Block:
        if isinstance(block, (Table, Figure, Chart)):
            kind = "table" if isinstance(block, Table) else "figure"
            if block.caption:
                counters[kind] += 1
                return dataclasses.replace(block, number=counters[kind])
            return dataclasses.replace(block, number=0) if block.number else block
        if isinstance(block, Callout):
            return dataclasses.replace(block, body=tuple(number(b) for b in block.body))
        return block

    def blocks(items: tuple[Block, ...]) -> tuple[Block, ...]:
        return tuple(number(block) for block in items)

    def section(item: Section) -> Section:
        return dataclasses.replace(
            item, body=blocks(item.body), sections=tuple(section(s) for s in item.sections)
        )

    return dataclasses.replace(
        brief,
        summary_blocks=blocks(brief.summary_blocks),
        sections=tuple(section(s) for s in brief.sections),
        conclusion=blocks(brief.conclusion),
        appendices=tuple(section(s) for s in brief.appendices),
        about=blocks(brief.about),
    )


def _map_rich(value: Any, fix: Callable[[RichText], RichText]) -> Any:
    """``value`` with every rich text in it replaced by ``fix(text)``."""
    if isinstance(value, RichText):
        return fix(value)
    if isinstance(value, tuple):
        return tuple(_map_rich(item, fix) for item in value)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        changes = {}
        for item in dataclasses.fields(value):
            old = getattr(value, item.name)
            if isinstance(old, (RichText, tuple)) or dataclasses.is_dataclass(old):
                new = _map_rich(old, fix)
                if new is not old:
                    changes[item.name] = new
        return dataclasses.replace(value, **changes) if changes else value
    return value
