"""Which unit of the record each Word paragraph holds.

A paragraph's own hidden bookmark says so.  When the bookmark was lost
(LibreOffice drops the one at a paragraph's start, copy-paste and Word's
"Keep Text Only" do too), the paragraph is matched by position and content:
an unmarked paragraph standing where a unit went missing, between the same
neighbours, is that unit reworded rather than one removed and one added.
"""

from __future__ import annotations

import re

from .record import Unit
from .spans import split_term

#: Below this share of common words, a stray paragraph is not the lost one:
#: standing in its place, or (lower) anywhere in the gap.
MIN_SIMILARITY = 0.5
MIN_SIMILARITY_IN_PLACE = 0.25
_WORD = re.compile(r"\w+")


def choose_unit(marks: list[tuple[int, int]]) -> int | None:
    """The unit a paragraph holds when it carries several markers.

    A paragraph's own marker sits at its start.  When the paragraph before
    it was deleted, that one's marker may slide onto the same spot, before
    it: the last marker at the smallest offset wins.  Markers further in
    come from paragraphs joined onto this one.
    """
    if not marks:
        return None
    first = min(offset for offset, _ in marks)
    return [unit for offset, unit in marks if offset == first][-1]


def similarity(a: str, b: str) -> float:
    """The share of words two texts have in common (linear in their length)."""
    left, right = set(_WORD.findall(a.lower())), set(_WORD.findall(b.lower()))
    if not left and not right:
        return 1.0
    return len(left & right) / max(len(left | right), 1)


#: Pairing by content compares every stray paragraph with every lost unit
#: of its gap; beyond this many pairs a gap is left as removed and added.
MAX_PAIRS = 256


def _fits(paragraph, unit: Unit, list_styles: frozenset[str]) -> bool:
    """Whether ``paragraph`` could be ``unit``: alike in being in a table, a
    list item and a picture or not."""
    in_table = "rows" in unit.path or "columns" in unit.path
    if (paragraph.table is not None) != in_table:
        return False
    is_item = "items" in unit.path or unit.path[:1] == ("key_points",)
    if (paragraph.ilvl is not None or paragraph.style in list_styles) != is_item:
        return False
    if unit.kind == "term" and split_term(paragraph.spans) is None:
        return False
    return (unit.kind == "picture") == bool(paragraph.drawings)


def _unit_text(unit: Unit) -> str:
    return " ".join("".join(s.text for s in spans) for spans in (unit.term, unit.spans))


def rematch(paragraphs: list, units: dict[int, Unit], list_styles: frozenset[str] = frozenset()) -> None:
    """Give unmarked paragraphs the units that went missing where they stand.

    Between two marked paragraphs, the units the record has between them
    that no paragraph claims are paired with the unmarked paragraphs there:
    in order when there are as many of each and each fits, else each to the
    most similar fitting one (at least :data:`MIN_SIMILARITY` alike).
    """
    order = sorted(u for u, unit in units.items() if unit.path[:1] != ("footnotes",))
    position = {unit_id: index for index, unit_id in enumerate(order)}
    claimed = {p.unit for p in paragraphs if p.unit is not None}
    previous = -1
    gap: list = []
    for paragraph in [*paragraphs, None]:
        if paragraph is not None and paragraph.unit is None:
            if not paragraph.skip and (paragraph.spans or paragraph.drawings):
                gap.append(paragraph)
            continue
        following = position.get(paragraph.unit, len(order)) if paragraph is not None else len(order)
        if gap and following > previous:
            lost = [units[u] for u in order[previous + 1 : following] if u not in claimed]
            _pair(gap, [u for u in lost if u.kind != "break"], claimed, list_styles)
        gap = []
        if paragraph is not None and paragraph.unit in position:
            previous = max(previous, position[paragraph.unit])


def _pair(gap: list, lost: list[Unit], claimed: set[int], list_styles: frozenset[str]) -> None:
    if not lost:
        return
    if len(gap) == len(lost) and all(
        _fits(p, u, list_styles) and similarity(p.text, _unit_text(u)) >= MIN_SIMILARITY_IN_PLACE
        for p, u in zip(gap, lost)
    ):
        for paragraph, unit in zip(gap, lost):
            paragraph.unit, paragraph.matched = unit.id, "position"
            claimed.add(unit.id)
        return
    if len(gap) * len(lost) > MAX_PAIRS:
        return
    free = list(lost)
    for paragraph in gap:
        text = paragraph.text
        scored = [(similarity(text, _unit_text(u)), u) for u in free if _fits(paragraph, u, list_styles)]
        if not scored:
            continue
        score, unit = max(scored, key=lambda pair: pair[0])
        if score >= MIN_SIMILARITY:
            paragraph.unit, paragraph.matched = unit.id, "content"
            claimed.add(unit.id)
            free.remove(unit)
