"""Text that differs only by the house typography is the same text.

The brief's rich text turns straight quotes into typographic ones, ``--``
and ``---`` into dashes and ``...`` into an ellipsis; Word's AutoCorrect and
LibreOffice's do much the same, each in its own way, and an editor with
AutoFormat off types the straight forms.  Pull compares text by a *key*
in which all of these variants (and every kind of space) are one, so that
retyping a word never counts as a change and straight quotes typed in Word
read back as the same text once the rebuild curls them.
"""

from __future__ import annotations

import re
import unicodedata
from itertools import groupby

from .spans import Span, Spans

_DOUBLE = "\"\u201c\u201d\u201e\u201f\u2033\u00ab\u00bb\u300c\u300d\u301d\u301e\uff02"
_SINGLE = "'\u2018\u2019\u201a\u201b\u2032\u2039\u203a\u300e\u300f\u02bc\uff07`\u00b4"
_ZERO_WIDTH = "\u200b\u200c\u200d\u2060\ufeff\u00ad"
_TABLE = str.maketrans(
    {
        **{c: '"' for c in _DOUBLE},
        **{c: "'" for c in _SINGLE},
        **{c: None for c in _ZERO_WIDTH},
        "\u2010": "-", "\u2011": "-", "\u2012": "\u2013", "\u2014": "\u2013", "\u2015": "\u2013",
        "\u2026": "...",
    }
)
_NO_BREAK = "\u00a0\u202f\u2007"
_DASHES = re.compile(r"-{2,3}")
_SPACED_HYPHEN = re.compile(r"(?<=\s)-(?=\s)")
# French typography puts a no-break space inside guillemets and before : ; ! ?
_FRENCH = re.compile(rf"(?<=[«‹])\s+|\s+(?=[»›])|[{_NO_BREAK}]+(?=[:;!?])")
_SPACES = re.compile(r"\s+")
_ASCII_VARIANTS = re.compile(r"--|\.\.\.|\s\s|[^\S ]|\s-\s")


def text_key(text: str) -> str:
    """``text`` with every typographic variant folded into one form."""
    if text.isascii() and not _ASCII_VARIANTS.search(text):
        return text
    text = unicodedata.normalize("NFC", text)
    text = _FRENCH.sub("", text)
    text = text.translate(_TABLE)
    text = _DASHES.sub("\u2013", text)
    text = _SPACED_HYPHEN.sub("\u2013", text)
    return _SPACES.sub(" ", text)


def spans_key(spans: Spans) -> tuple:
    """The spans' formatting with each stretch of text by :func:`text_key`."""
    out: list[list] = []
    for (bold, italic, url, note), group in groupby(spans, key=lambda s: (s.bold, s.italic, s.url, s.note)):
        if note is not None:
            out.extend(["", False, False, None, note] for _ in group)
            continue
        text = text_key("".join(s.text for s in group))
        if out and out[-1][0].endswith(" ") and text.startswith(" "):
            text = text[1:]
        if text:
            out.append([text, bold, italic, url, None])
    if out and out[0][4] is None:
        out[0][0] = out[0][0].lstrip()
    if out and out[-1][4] is None:
        out[-1][0] = out[-1][0].rstrip()
    return tuple(tuple(piece) for piece in out if piece[0] or piece[4] is not None)


def same_spans(a: Spans | None, b: Spans | None) -> bool:
    """Whether two texts say the same thing in the same formatting."""
    if a is None or b is None:
        return a is b
    return a == b or spans_key(a) == spans_key(b)


def same_text(a: str, b: str) -> bool:
    return a == b or text_key(" ".join(a.split())) == text_key(" ".join(b.split()))


__all__ = ["Span", "same_spans", "same_text", "spans_key", "text_key"]
