"""Spans back to the brief's rich-text markup, checked by parsing it again."""

from __future__ import annotations

from collections.abc import Iterable

from .spans import Spans, spans_of

_SPECIAL = "\\*_[]"


def _escape(text: str) -> str:
    return "".join("\\" + c if c in _SPECIAL else c for c in text)


def _emit(spans: Spans, escape: bool, bold_outside: bool) -> str:
    """Markup for ``spans``: links outermost, then bold and italic nested."""
    out: list[str] = []
    index = 0
    while index < len(spans):
        span = spans[index]
        if span.note is not None:
            # a citation is kept exactly as the author wrote it
            out.append(span.note if is_citation(span.note) else f"[^{span.note}]")
            index += 1
            continue
        end = index
        while end < len(spans) and spans[end].note is None and spans[end].url == span.url:
            end += 1
        group = spans[index:end]
        inner = _emphasis(group, escape, bold_outside)
        out.append(f"[{inner}]({span.url})" if span.url else inner)
        index = end
    return "".join(out)


def _emphasis(spans: Spans, escape: bool, bold_outside: bool) -> str:
    outer, inner = ("bold", "italic") if bold_outside else ("italic", "bold")
    marks = {"bold": "**", "italic": "*"}
    out: list[str] = []
    index = 0
    while index < len(spans):
        flag = getattr(spans[index], outer)
        end = index
        while end < len(spans) and getattr(spans[end], outer) == flag:
            end += 1
        pieces: list[str] = []
        sub = index
        while sub < end:
            inner_flag = getattr(spans[sub], inner)
            stop = sub
            while stop < end and getattr(spans[stop], inner) == inner_flag:
                stop += 1
            text = "".join(s.text for s in spans[sub:stop])
            text = _escape(text) if escape else text
            pieces.append(_wrap(text, marks[inner]) if inner_flag else text)
            sub = stop
        joined = "".join(pieces)
        out.append(_wrap(joined, marks[outer]) if flag else joined)
        index = end
    return "".join(out)


def _wrap(text: str, mark: str) -> str:
    stripped = text.strip()
    if not stripped:
        return text
    lead = text[: len(text) - len(text.lstrip())]
    trail = text[len(text.rstrip()) :]
    return f"{lead}{mark}{stripped}{mark}{trail}"


def is_citation(note: str) -> bool:
    """Whether a marker span holds a citation (``[@key]``) rather than a footnote id."""
    return note.startswith("[")


def to_markup(spans: Spans, note_ids: Iterable[str]) -> str | None:
    """Rich-text markup that reads back as ``spans``, or None.

    Candidates go from the most readable (no escapes) to the safest; each is
    parsed again with the brief's own parser.  One that gives exactly the
    same spans back wins; failing that, one that differs only by the house
    typography (the editor typed ``'`` or ``--`` and the rebuild shows ``’``
    and ``–``: see :mod:`~briefgen.pull.typography`).
    """
    from .. import richtext
    from ..cite.syntax import Citations
    from .typography import spans_key

    known = frozenset(frozenset(note_ids) | {s.note for s in spans if s.note and not is_citation(s.note)})
    close: str | None = None
    wanted = None
    for escape in (False, True):
        for bold_outside in (True, False):
            markup = _emit(spans, escape, bold_outside)
            try:
                parsed = spans_of(richtext.parse(
                    markup,
                    richtext.FootnoteNumbering(known=known),
                    citations=Citations(unchecked=True),  # the keys are checked when the brief is built
                ))
            except richtext.RichTextError:
                continue
            if parsed == spans:
                return markup
            if close is None:
                wanted = spans_key(spans) if wanted is None else wanted
                if spans_key(parsed) == wanted:
                    close = markup
    return close
