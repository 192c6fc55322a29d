"""The words of pull's summary: what changed, where, in a few words of context."""

from __future__ import annotations

from dataclasses import dataclass

from .record import Unit, path_text
from .spans import Spans


@dataclass
class Change:
    group: str  # the summary heading it goes under
    path: tuple
    place: str  # the path as shown under the heading
    line: int | None  # in the YAML (from 1), where the change is
    text: str  # what changed
    column: int = 1  # of the node, with ``line``

    @property
    def message(self) -> str:
        line = f" (line {self.line})" if self.line is not None else ""
        return f"{self.place}{line}: {self.text}"


def listing(head: str, items: list[str]) -> str:
    return head + ":\n" + "\n".join(dict.fromkeys(items))


def section_of(path: tuple) -> tuple | None:
    """The path of the innermost section ``path`` lies in."""
    end = None
    index = 0
    while index + 1 < len(path) and path[index] == "sections":
        end = index + 2
        index += 2
    return path[:end] if end else None


def place_of(path: tuple) -> str:
    """``path`` relative to its top-level section (the summary's heading)."""
    section = path[:2] if path[:1] == ("sections",) else None
    rest = path[len(section):] if section else path
    shown = path_text(rest) if rest else ""
    return shown.replace(".paragraph", "").replace(".text", "") or path_text(path)


def what_of(unit: Unit) -> str:
    last = unit.path[-1]
    if last == "title" and section_of(unit.path):
        return "heading" if "columns" not in unit.path else "column title"
    if "rows" in unit.path:
        return "table cell"
    if unit.path[:1] == ("footnotes",):
        return "footnote"
    if unit.path[:1] == ("key_points",):
        return "key takeaway"
    if unit.path[:1] == ("key_figures",):
        return f"key figure {last}"
    if last == "paragraph":
        return "paragraph"
    if last == "text" and "items" in unit.path:
        return "list item"
    return str(last).replace("_", " ")


def shorten(text: str, limit: int = 70) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def describe_change(old: str, new: str, what: str, old_spans: Spans = (), new_spans: Spans = ()) -> str:
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
    parts = [f"now {label}: \"{shorten(text, 40)}\"" for label, text in sorted(after - before)]
    parts += [f"no longer {label}: \"{shorten(text, 40)}\"" for label, text in sorted(before - after)]
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
        return ("… " if lo else "") + shorten(piece, 90) + (" …" if hi < len(words) else "")

    if old_words == new_words:
        return ""
    return f"{what} reworded: \"{cut(old_words)}\" -> \"{cut(new_words)}\""


def render(docx, path, changes: list[Change], changed_since: bool, already: int = 0) -> str:
    """The summary printed after a pull: one line per change, by section."""
    held = f" (the brief already holds {already} change{'s' if already != 1 else ''} from it)" if already else ""
    if not changes:
        return f"{docx}: no changes to pull into {path}{held}"
    lines = [f"{docx} -> {path}: {len(changes)} change{'s' if len(changes) != 1 else ''}"]
    if changed_since:
        lines[0] += " (the brief changed since the file was built; no conflicts)"
    lines[0] += held
    groups: dict[str, list[str]] = {}
    for change in changes:
        groups.setdefault(change.group, []).append(change.message)
    for group, messages in groups.items():
        lines.append(f"{group}:")
        lines.extend(f"  {message}" for message in messages)
    return "\n".join(lines)
