"""A three-way merge of the editor's changes into the brief as it is now.

*base* is the YAML text the Word file was built from (the file carries it),
*theirs* are the editor's changes, planned against the base as splice edits
(:mod:`~briefgen.pull.splice`), and *ours* is the YAML as it is now.  Each
group of edits (one change: a reworded paragraph, an added item, ...) is
placed in ours by a line alignment of base and ours, between lines both
still share:

- ours still reads there as the base did: the change is applied;
- ours already reads there as the change would make it: nothing to do (a
  second pull of the same file, or the same edit made in both);
- anything else: a conflict, and nothing is written.

So pulling the same Word file any number of times gives the YAML of the
first pull byte for byte, and an addition is never applied twice.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field
from difflib import SequenceMatcher

from .splice import OVERLAP, SpliceError

Edit = tuple[int, int, str]  # start, end (character offsets in base), new text


@dataclass
class Group:
    """The edits of one change (or of several made by one splice), and the
    changes they carry out, for the summary."""

    edits: list[Edit]
    changes: list = field(default_factory=list)


@dataclass
class _Hunk:
    start: int  # base lines [start, end)
    end: int
    groups: list[Group]


@dataclass
class Merged:
    text: str
    applied: list = field(default_factory=list)  # the changes now in the text
    already: list = field(default_factory=list)  # the changes ours held already
    conflicts: list[tuple[int, int, object]] = field(default_factory=list)  # (line, column in ours, change)
    lines: dict[int, int] = field(default_factory=dict)  # base line -> result line (both from 0)


def merge(base: str, ours: str, groups: list[Group]) -> Merged:
    """The changes of ``groups`` (against ``base``) applied to ``ours``."""
    groups = [g for g in groups if g.edits]
    theirs = _apply(base, [e for g in groups for e in g.edits], 0)
    if ours == theirs:
        return Merged(ours, [], [c for g in groups for c in g.changes], [], {})
    base_lines = base.splitlines(keepends=True)
    ours_lines = ours.splitlines(keepends=True)
    starts = _line_starts(base_lines)
    to_ours = _alignment(base_lines, ours_lines)
    hunks = _hunks(groups, starts, len(base_lines), to_ours)
    result = Merged("")
    pieces: list[str] = []
    at = 0  # next line of ours to copy
    shift = 0  # result line minus ours line, so far
    for hunk in hunks:
        lo = to_ours[hunk.start - 1] + 1 if hunk.start > 0 else 0
        hi = to_ours[hunk.end] if hunk.end < len(base_lines) else len(ours_lines)
        segment = "".join(base_lines[hunk.start : hunk.end])
        changed = _apply(segment, [e for g in hunk.groups for e in g.edits], starts[hunk.start])
        now = "".join(ours_lines[lo:hi])
        changes = [c for g in hunk.groups for c in g.changes]
        pieces.append("".join(ours_lines[at:lo]))
        if now == segment:
            pieces.append(changed)
            result.applied.extend(changes)
            for line in range(hunk.start, hunk.end + 1):
                result.lines[line] = min(line - hunk.start + lo, lo + max(changed.count("\n") - 1, 0)) + shift
            shift += changed.count("\n") - now.count("\n")
        else:
            pieces.append(now)
            if now == changed:
                result.already.extend(changes)
            else:
                result.conflicts.extend(_conflict(change, lo, to_ours) for change in changes)
        at = hi
    pieces.append("".join(ours_lines[at:]))
    result.text = "".join(pieces)
    return result


def held(base: str, previous: str, groups: list[Group]) -> list[Group]:
    """The groups ``previous`` (the brief as an earlier pull of the same file
    made it from ``base``) already holds, each judged on its own.

    Dropping them before the merge moves the base forward to that pull: an
    edit made in the brief since to a place that pull brought in is then
    the brief's own, not a conflict."""
    base_lines = base.splitlines(keepends=True)
    previous_lines = previous.splitlines(keepends=True)
    starts = _line_starts(base_lines)
    to_previous = _alignment(base_lines, previous_lines)
    found = []
    for group in groups:
        if not group.edits:
            continue
        hunk = _hunks([group], starts, len(base_lines), to_previous)[0]
        lo = to_previous[hunk.start - 1] + 1 if hunk.start > 0 else 0
        hi = to_previous[hunk.end] if hunk.end < len(base_lines) else len(previous_lines)
        segment = "".join(base_lines[hunk.start : hunk.end])
        if _apply(segment, group.edits, starts[hunk.start]) == "".join(previous_lines[lo:hi]) != segment:
            found.append(group)
    return found


def _conflict(change, lo: int, to_ours: dict[int, int]) -> tuple[int, int, object]:
    """Where in ours to report a conflict: the changed node's own line when
    ours still has it, else the start of the lines that differ."""
    line = getattr(change, "line", None)
    if line is not None and line - 1 in to_ours:
        return to_ours[line - 1] + 1, getattr(change, "column", 1), change
    return lo + 1, 1, change


def _apply(text: str, edits: list[Edit], offset: int) -> str:
    out: list[str] = []
    position = 0
    for start, end, new in sorted(edits, key=lambda e: (e[0], e[1])):
        start, end = start - offset, end - offset
        if start < position:
            raise SpliceError(None, OVERLAP)
        out.append(text[position:start])
        out.append(new)
        position = end
    out.append(text[position:])
    return "".join(out)


def _line_starts(lines: list[str]) -> list[int]:
    starts = [0]
    for line in lines:
        starts.append(starts[-1] + len(line))
    return starts  # one more than lines: the end of the text


def _alignment(base_lines: list[str], ours_lines: list[str]) -> dict[int, int]:
    """Base line -> ours line, for the lines both share unchanged."""
    matcher = SequenceMatcher(None, base_lines, ours_lines, autojunk=False)
    found: dict[int, int] = {}
    for a, b, size in matcher.get_matching_blocks():
        for k in range(size):
            found[a + k] = b + k
    return found


def _span(edit: Edit, starts: list[int], count: int) -> tuple[int, int]:
    """The base lines ``[first, last)`` an edit touches (empty: an insertion
    between lines)."""
    start, end, _ = edit
    first = bisect.bisect_right(starts, start) - 1
    first = min(first, count)
    if end > start:
        last = bisect.bisect_right(starts, end - 1)
        return first, min(max(last, first + 1), count)
    if start == starts[first]:
        return first, first
    return first, min(first + 1, count)


def _hunks(groups: list[Group], starts: list[int], count: int, to_ours: dict[int, int]) -> list[_Hunk]:
    """Groups joined where their lines meet, each widened to lines that base
    and ours share on both sides."""
    hunks: list[_Hunk] = []
    for group in groups:
        spans = [_span(e, starts, count) for e in group.edits]
        start = min(s for s, _ in spans)
        end = max(e for _, e in spans)
        while start > 0 and (start - 1) not in to_ours:
            start -= 1
        while end < count and end not in to_ours:
            end += 1
        hunks.append(_Hunk(start, end, [group]))
    hunks.sort(key=lambda h: (h.start, h.end))
    joined: list[_Hunk] = []
    for hunk in hunks:
        if joined and hunk.start <= joined[-1].end:
            joined[-1].end = max(joined[-1].end, hunk.end)
            joined[-1].groups.extend(hunk.groups)
        else:
            joined.append(hunk)
    return joined
