"""Word comments (Review › New Comment), to come back as YAML comments."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from .archive import parse_xml, w

MAX_COMMENT_CHARS = 2000
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")


@dataclass(frozen=True)
class Comment:
    id: str
    author: str
    date: str  # YYYY-MM-DD, or ""
    text: str  # on one line

    def yaml_line(self) -> str:
        """``# Word comment (Author, date): text``, the line pull writes."""
        who = ", ".join(part for part in (self.author or "unknown author", self.date) if part)
        return f"# Word comment ({who}): {self.text}"


def _one_line(text: str, limit: int) -> str:
    text = " ".join(_CONTROL.sub(" ", text).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def read_comments(path: Path, parts: dict[str, bytes]) -> dict[str, Comment]:
    """The comments of ``word/comments.xml`` by id (none when it is absent)."""
    data = parts.get("word/comments.xml")
    if data is None:
        return {}
    root = parse_xml(path, "word/comments.xml", data)
    found: dict[str, Comment] = {}
    for element in root.iter(w("comment")):
        paragraphs = [
            "".join(t.text or "" for t in p.iter(w("t"))) for p in element.iter(w("p"))
        ]
        date = element.get(w("date"), "")
        found[element.get(w("id"), "")] = Comment(
            element.get(w("id"), ""),
            _one_line(element.get(w("author"), ""), 80),
            date[:10] if re.match(r"\d{4}-\d{2}-\d{2}", date) else "",
            _one_line(" ".join(paragraphs), MAX_COMMENT_CHARS),
        )
    return found
