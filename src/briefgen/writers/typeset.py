"""Words a typesetter never hyphenates, marked up for the HTML writer.

Automatic hyphenation (``hyphens: auto`` in the stylesheets) knows
dictionary words only.  It splits ``https://hug-gingface.co``, ``Ope-nAI``
and ``H1-00`` as readily as ``govern-ment``.  Every such token is wrapped
in ``<span class="nohyphen">``, which the stylesheets set to
``hyphens: manual``, and a URL or an e-mail address gets ``<wbr>`` break
opportunities at the places style manuals allow (before ``.``, ``?``,
``#`` and a single ``/``, after ``//``, before and after ``&`` and ``=``),
so that it wraps without an added hyphen.
"""

from __future__ import annotations

import re

from markupsafe import Markup, escape

#: A run of non-space characters, without the punctuation around it.
_CANDIDATE = re.compile(r"[(\[\"'‘“«]*(?P<token>\S+?)[.,;:!?)\]\"'’”»]*(?=\s|$)")
_URL = re.compile(r"(?:https?://|www\.)\S+", re.IGNORECASE)
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
#: What no dictionary word has: an inner capital (OpenAI, iPhone), a digit
#: next to a letter (5th, H100, GPT-4), or the punctuation of code
#: (snake_case, a.b.c, path/to, key=value, f(x), std::vector).
_CODE_LIKE = re.compile(r"[^\W\d_]\w*[A-Z]|\d[^\W\d_]|[^\W\d_]\d|\w_\w|\w\.\w|\w/\w|=|::|\w\(")


#: Quoted markup (``<b>``) is left as the reader wrote it, in one piece.
_MARKUP = re.compile(r"[<>&]")

#: Where a URL may break: (?<=//) after a double slash; before a single
#: slash, a dot, a question mark, a hash; around & and =.
_URL_BREAK = re.compile(r"(?<=//)(?=[^/])|(?<=[^/:])(?=/[^/])|(?=[.?#&=])|(?<=[&=])")


#: The break opportunity inside a URL, by medium.  WeasyPrint lays out
#: ``<wbr>`` as an inline box of its own and, inside a table cell, does not
#: always break there (it broke "&conf-ig" mid-word instead); the character
#: the element stands for, U+200B, it always honours.  Browsers copy
#: ``<wbr>`` out of a URL cleanly, so the page shown on screen keeps it.
BREAK_MARK = {"screen": Markup("<wbr>"), "print": Markup("\u200b")}


def guard(text: str, media: str = "screen") -> Markup:
    """``text`` escaped, with unhyphenatable tokens wrapped in spans."""
    if not _might_hold_token(text):
        return escape(text)
    out: list[Markup] = []
    last = 0
    for match in _CANDIDATE.finditer(text):
        token = match.group("token")
        if _URL.fullmatch(token) or _EMAIL.fullmatch(token):
            markup = Markup('<span class="nohyphen url">{}</span>').format(url_breaks(token, media))
        elif _CODE_LIKE.search(token) and not _MARKUP.search(token):
            markup = Markup('<span class="nohyphen">{}</span>').format(token)
        else:
            continue
        out.append(escape(text[last : match.start("token")]))
        out.append(markup)
        last = match.end("token")
    out.append(escape(text[last:]))
    return Markup("").join(out)


def url_breaks(url: str, media: str = "screen") -> Markup:
    """A URL escaped, with a break opportunity at each place it may wrap."""
    parts = _URL_BREAK.split(url)
    pieces = [escape(part) for part in parts if part]
    return BREAK_MARK.get(media, BREAK_MARK["screen"]).join(pieces)


def _might_hold_token(text: str) -> bool:
    """A cheap test that skips the regex for plain prose."""
    return any(c.isdigit() or c in "/@_:(=" for c in text) or any(
        a.islower() and b.isupper() for a, b in zip(text, text[1:])
    )
