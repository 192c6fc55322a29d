"""The rich-text parser every writer shares.

Briefs use a small Markdown subset: ``**bold**``, ``*italic*``,
``[label](url)`` and ``[^id]`` footnote references.  Everything else,
raw HTML included, is literal text.  markdown-it-py does the tokenising
(CommonMark's emphasis rules are subtle; regexes get them wrong) with every
rule off except emphasis, links and backslash escapes, plus one small rule
of ours for footnote references.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING, Callable
from urllib.parse import urlsplit

from markdown_it import MarkdownIt
from markdown_it.rules_inline import StateInline
from markdown_it.rules_inline.emphasis import tokenize as _emphasis
from markdown_it.rules_inline.link import link as _link

from .model import NOWHERE, Emph, FootnoteRef, Inline, Link, Pos, RichText, Strong, Text

if TYPE_CHECKING:
    from .cite.syntax import Citations

ALLOWED_SCHEMES = ("http", "https", "mailto")
FOOTNOTE_ID = re.compile(r"[A-Za-z0-9_-]+")
_FOOTNOTE_REF = re.compile(r"\[\^([^\]\s]+)\]")


class RichTextError(ValueError):
    """A problem in one rich-text string; the reader adds the position."""


def check_url(url: str) -> str | None:
    """Why ``url`` is not an allowed link target, or None when it is."""
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return f"link target {url!r} is not a valid URL"
    scheme = parts.scheme.lower()
    if scheme not in ALLOWED_SCHEMES:
        shown = f"scheme {scheme!r}" if scheme else "no scheme"
        return (
            f"link target {url!r} has {shown}; only http, https and mailto "
            "links are allowed"
        )
    if scheme in ("http", "https") and not parts.netloc:
        return f"link target {url!r} has no host"
    if scheme == "mailto" and not parts.path:
        return f"link target {url!r} has no address"
    return None


def _citation_rule(state: StateInline, silent: bool) -> bool:
    """Inline rule: ``[@key, p. 12]`` (Pandoc's bracketed citation) becomes a ``citation`` token."""
    if state.src[state.pos] != "[":
        return False
    from .cite.syntax import BRACKET

    match = BRACKET.match(state.src, state.pos)
    if not match:
        return False
    if not silent:
        token = state.push("citation", "", 0)
        token.meta = {"source": match.group(), "offset": match.start()}
    state.pos = match.end()
    return True


def _footnote_rule(state: StateInline, silent: bool) -> bool:
    """Inline rule: ``[^id]`` becomes a ``footnote_ref`` token."""
    if state.src[state.pos] != "[" or not state.src.startswith("[^", state.pos):
        return False
    match = _FOOTNOTE_REF.match(state.src, state.pos)
    if not match:
        return False
    if not silent:
        token = state.push("footnote_ref", "", 0)
        token.meta = {"id": match.group(1), "offset": state.pos}
    state.pos = match.end()
    return True


def _link_rule(state: StateInline, silent: bool) -> bool:
    """markdown-it's link rule, remembering where the link target starts."""
    start, first = state.pos, len(state.tokens)
    if not _link(state, silent):
        return False
    opening = next((t for t in state.tokens[first:] if t.type == "link_open"), None)
    if not silent and opening is not None:
        target = state.src.rfind("](", start, state.pos)
        offset = start if target < 0 else target + 2
        while offset < state.pos and state.src[offset] in " \t<":
            offset += 1
        opening.meta = {"offset": offset}
    return True


def _star_rule(state: StateInline, silent: bool) -> bool:
    """markdown-it's emphasis rule for '*', remembering where each star is and
    whether it can only open (so that one left unmatched can be reported)."""
    if state.src[state.pos] != "*":
        return False
    start = state.pos
    if not _emphasis(state, silent):
        return False
    length = state.pos - start  # one token and one delimiter per star
    for index, (token, delimiter) in enumerate(zip(state.tokens[-length:], state.delimiters[-length:])):
        token.meta = {"offset": start + index, "opener": delimiter.open and not delimiter.close}
    return True


def _unclosed_stars(state: StateInline) -> None:
    """After emphasis is paired: the offsets of stars that open and are never closed."""
    found = state.env.setdefault("unclosed", [])
    for token in state.tokens:
        if token.type == "text" and token.content == "*" and token.meta.get("opener"):
            found.append(token.meta["offset"])


#: Typographic quotes by language (primary, then secondary); others use English ones.
QUOTES = {
    "de": "„“‚‘",
    "fr": "«\u00a0\u00a0»‹\u00a0\u00a0›",
    "ja": "「」『』",
    "zh-hant": "「」『』",
    "zh-tw": "「」『』",
    "zh-hk": "「」『』",
}


def quotes_for(lang: str) -> str:
    lang = lang.lower()
    return QUOTES.get(lang) or QUOTES.get(lang.split("-")[0]) or "“”‘’"


@lru_cache(maxsize=16)
def _parser(quotes: str) -> MarkdownIt:
    md = MarkdownIt("zero", {"typographer": True, "quotes": _as_quote_list(quotes)})
    md.enable(["emphasis", "link", "escape", "smartquotes"])
    md.inline.ruler.before("link", "footnote_ref", _footnote_rule)
    md.inline.ruler.at("link", _link_rule)
    md.inline.ruler.before("link", "citation", _citation_rule)
    md.inline.ruler.before("emphasis", "star", _star_rule)
    md.inline.ruler2.after("emphasis", "unclosed_stars", _unclosed_stars)
    # Accept every target here; the scheme is checked below so that a bad
    # link is an error the author sees, not text that silently stays literal.
    md.validateLink = lambda url: True
    md.normalizeLink = lambda url: url
    md.normalizeLinkText = lambda text: text
    return md


def _as_quote_list(quotes: str) -> list[str]:
    """French quotes carry their no-break spaces: four two-character marks."""
    if len(quotes) == 4:
        return list(quotes)
    return [quotes[0:2], quotes[2:4], quotes[4:6], quotes[6:8]]


# CommonMark typographers' rules: a dash pair becomes an en dash only
# between spaces or between two words/numbers, so '--force' and '<!--' stay.
_DASHES = (
    (re.compile(r"(^|[^-])---(?=[^-]|$)", re.MULTILINE), "\\1\u2014"),
    (re.compile(r"(^|\s)--(?=\s|$)", re.MULTILINE), "\\1\u2013"),
    (re.compile(r"([^-\s])--(?=[^-\s]|$)", re.MULTILINE), "\\1\u2013"),
    (re.compile(r"(?<!\.)\.\.\.(?!\.)"), "\u2026"),
)


def _typography(text: str) -> str:
    """``--`` as an en dash, ``---`` as an em dash, ``...`` as an ellipsis."""
    if "--" in text or "..." in text:
        for pattern, replacement in _DASHES:
            text = pattern.sub(replacement, text)
    return text


@dataclass
class FootnoteNumbering:
    """Numbers footnotes in the order the reader first meets them."""

    known: frozenset[str] = frozenset()
    numbers: dict[str, int] = field(default_factory=dict)

    def citation_note(self) -> int:
        """The number of a footnote a note-style citation makes: the next one."""
        number = len(self.numbers) + 1
        self.numbers[f"@cite{number}"] = number  # reserved: no author note id has '@'
        return number

    def reference(self, note_id: str) -> FootnoteRef:
        if note_id not in self.known:
            raise RichTextError(_unknown_note(note_id, self.known))
        first = note_id not in self.numbers
        if first:
            self.numbers[note_id] = len(self.numbers) + 1
        return FootnoteRef(note_id, self.numbers[note_id], first)


def _unknown_note(note_id: str, known: frozenset[str]) -> str:
    from .suggest import did_you_mean

    return f"footnote [^{note_id}] is not defined in 'footnotes'" + did_you_mean(note_id, known)


def parse(
    source: str,
    notes: FootnoteNumbering | None = None,
    pos: Pos = NOWHERE,
    on_error: Callable[[str], None] | None = None,
    lang: str = "en",
    *,
    at: Callable[[str, int], None] | None = None,
    warn: Callable[[str, int], None] | None = None,
    citations: "Citations | None" = None,
) -> RichText:
    """Parse one rich-text string.

    Straight quotes become the typographic quotes of ``lang``; ``--`` and
    ``---`` become en and em dashes, ``...`` an ellipsis.

    Problems (a forbidden link, an unknown footnote, a footnote reference
    where none is allowed) are passed to ``on_error`` one by one so that the
    reader can report all of them; without ``on_error`` the first raises
    :class:`RichTextError`.  ``at``, when given, is called instead with the
    message and the offset in ``source`` of the construct at fault, so the
    reader can point at it; ``warn`` likewise gets what is probably a
    mistake but still valid (a '*' or '**' that is never closed).

    Citations (``[@key]``) go to ``citations``, which numbers them, checks
    their keys and keeps each problem with its offset for the reader; with
    no ``citations`` a citation is an error.
    """

    def fail(message: str, offset: int = 0) -> None:
        if at is not None:
            at(message, offset)
        elif on_error is None:
            raise RichTextError(message)
        else:
            on_error(message)

    text = " ".join(source.split("\n")) if "\n" in source else source
    env: dict = {}
    tokens = _parser(quotes_for(lang)).parseInline(text, env)
    if warn is not None:
        unclosed = env.get("unclosed", ())
        for offset in unclosed:
            if offset - 1 in unclosed:
                continue  # the second star of a '**' already reported
            double = text.startswith("**", offset)
            shown = "**" if double else "*"
            what = "bold" if double else "italic"
            warn(f"this '{shown}' opens {what} text that is never closed; the stars will print as they are "
                 f"(close it with '{shown}', or write '\\{shown[0]}' for a literal star)", offset)
    children = tokens[0].children if tokens else []
    stack: list[tuple[str, list[Inline], str]] = [("root", [], "")]
    for token in children or []:
        kind = token.type
        if kind in ("text", "softbreak", "hardbreak"):
            content = _typography(token.content) if kind == "text" else " "
            _append_text(stack[-1][1], content)
        elif kind == "footnote_ref":
            note_id, offset = token.meta["id"], token.meta["offset"]
            if notes is None:
                fail(f"footnote reference [^{note_id}] is not allowed here", offset)
                _append_text(stack[-1][1], f"[^{note_id}]")
                continue
            try:
                stack[-1][1].append(notes.reference(note_id))
            except RichTextError as err:
                fail(str(err), offset)
        elif kind == "citation":
            cited = _citation(token.meta, citations, notes, fail)
            if cited is not None:
                stack[-1][1].append(cited)
        elif kind in ("strong_open", "em_open"):
            stack.append((kind, [], ""))
        elif kind == "link_open":
            href = token.attrGet("href") or ""
            problem = check_url(str(href))
            if problem:
                fail(problem, token.meta.get("offset", 0) if token.meta else 0)
            stack.append((kind, [], "" if problem else str(href).strip()))
        elif kind in ("strong_close", "em_close", "link_close"):
            opened, inner, href = stack.pop()
            node: Inline
            if opened == "strong_open":
                node = Strong(tuple(inner))
            elif opened == "em_open":
                node = Emph(tuple(inner))
            elif href:
                node = Link(href, tuple(inner))
            else:  # a rejected link keeps its label as plain content
                _extend(stack[-1][1], inner)
                continue
            stack[-1][1].append(node)
        else:  # pragma: no cover - every other rule is disabled
            _append_text(stack[-1][1], token.content)
    while len(stack) > 1:  # markdown-it always closes what it opens
        _, inner, _ = stack.pop()
        _extend(stack[-1][1], inner)
    return RichText(tuple(stack[0][1]), source, pos)


def _citation(meta: dict, citations: "Citations | None", notes, fail) -> Inline | None:
    """The Citation node for one ``[@...]`` token (None, with the problem kept, when it is wrong)."""
    source = meta["source"]
    if citations is None:
        fail(f"citation {source} is not allowed here")
        return None
    if not citations.active:
        citations.literal(source, meta["offset"])
        return Text(source)
    note_number = notes.citation_note if notes is not None else None
    return citations.cite(source, meta["offset"], note_number)


def _append_text(out: list[Inline], content: str) -> None:
    if not content:
        return
    if out and isinstance(out[-1], Text):
        out[-1] = Text(out[-1].text + content)
    else:
        out.append(Text(content))


def _extend(out: list[Inline], nodes: list[Inline]) -> None:
    for node in nodes:
        if isinstance(node, Text):
            _append_text(out, node.text)
        else:
            out.append(node)


def plain(source: str) -> RichText:
    """Wrap text that is never parsed (titles, labels) as literal rich text."""
    return RichText((Text(source),) if source else (), source)
