"""Formatting citations and the references list with Pandoc's citeproc.

Pandoc's citeproc implements CSL 1.0.2 in full (disambiguation, "ibid.",
subsequent-note forms, locators, every CLDR-era CSL locale) and reads
BibTeX with its LaTeX; briefgen gives it one paragraph per citation, in
reading order, and turns the formatted result (Pandoc's JSON) back into
the model's inline nodes.  Pandoc runs sandboxed: it reads only the
bibliography and the style named on its command line.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from ..model import Emph, Inline, Link, RichText, Strong, Text
from ..richtext import check_url, quotes_for
from .styles import Style

TIMEOUT_SECONDS = 120
REFS_ID = "refs"


class CiteprocError(RuntimeError):
    """Pandoc could not format the citations (its message says why)."""


@dataclass(frozen=True)
class Request:
    """One citation as written, and whether it sits inside a footnote already."""

    source: str  # "[@key, p. 12]"
    in_note: bool = False


@dataclass(frozen=True)
class Formatted:
    citations: tuple[tuple[Inline, ...], ...]
    references: tuple[RichText, ...]


@lru_cache(maxsize=1)
def pandoc_path() -> str:
    """The Pandoc executable: the one pypandoc-binary ships, else one on PATH."""
    try:
        import pypandoc

        path = pypandoc.get_pandoc_path()
        if path:
            return str(path)
    except (ImportError, OSError):
        pass
    found = shutil.which("pandoc")
    if not found:
        raise CiteprocError("Pandoc is not installed (pip install pypandoc-binary)")
    return found


def format_citations(
    requests: Sequence[Request], *, bibliography: Path, style: Style, lang: str
) -> Formatted:
    """Every citation formatted, in order, and the references list of the works cited."""
    document = _markdown(requests)
    command = [
        pandoc_path(),
        "--sandbox",
        "--from=markdown-auto_identifiers",
        "--to=json",
        "--citeproc",
        f"--bibliography={bibliography}",
        f"--csl={style.path}",
        f"--metadata=lang:{lang}",
        "--metadata=link-citations:false",
    ]
    try:
        done = subprocess.run(
            command, input=document.encode("utf-8"), capture_output=True, timeout=TIMEOUT_SECONDS, check=False
        )
    except (OSError, subprocess.TimeoutExpired) as err:
        raise CiteprocError(f"Pandoc could not run: {err}") from None
    if done.returncode != 0:
        raise CiteprocError(done.stderr.decode("utf-8", "replace").strip() or "Pandoc failed")
    ast = json.loads(done.stdout)
    return _read(ast, [r.in_note for r in requests], quotes_for(lang))


def _markdown(requests: Iterable[Request]) -> str:
    """One paragraph per citation (inside a footnote when it already sits in one)."""
    parts = []
    for request in requests:
        # Inside a note, text after the citation keeps Pandoc from ending the
        # note (and so the citation) with a period; only the citation is kept.
        parts.append(f"^[{request.source} x]" if request.in_note else request.source)
    parts.append(f"::: {{#{REFS_ID}}}\n:::")
    return "\n\n".join(parts) + "\n"


def _read(ast: dict, in_notes: Sequence[bool], quotes: str) -> Formatted:
    count = len(in_notes)
    blocks = ast.get("blocks", [])
    convert = _Converter(quotes)
    citations: list[tuple[Inline, ...]] = []
    for block, in_note in zip(blocks[:count], in_notes):
        citations.append(tuple(convert.cited(block, in_note)))
    references: list[RichText] = []
    for block in blocks[count:]:
        if block.get("t") == "Div" and block["c"][0][0] == REFS_ID:
            for entry in block["c"][1]:
                inlines = convert.blocks(entry["c"][1] if entry.get("t") == "Div" else [entry])
                references.append(RichText(tuple(inlines), "", ))
    return Formatted(tuple(citations), tuple(references))


class _Converter:
    """Pandoc JSON inlines as the model's Text, Emph, Strong and Link nodes."""

    def __init__(self, quotes: str):
        self.quotes = quotes if len(quotes) == 4 else "“”‘’"
        if len(quotes) == 8:  # French: marks with their no-break spaces
            self.quotes = quotes

    def cited(self, block: dict, in_note: bool) -> list[Inline]:
        """The formatted citation in one generated paragraph (a note's text for note styles)."""
        if in_note:
            for node in _walk(block.get("c", []), into_notes=True):
                if isinstance(node, dict) and node.get("t") == "Cite":
                    return _without_final_period(self.inlines(node["c"][1]))
        for node in _walk(block.get("c", [])):
            if isinstance(node, dict) and node.get("t") == "Cite":
                rendered = node["c"][1]
                for inner in rendered:
                    if inner.get("t") == "Note":
                        return self.blocks(inner["c"])
                return self.inlines(rendered)
            if isinstance(node, dict) and node.get("t") == "Note":
                return self.blocks(node["c"])
        return self.inlines(block.get("c", []))

    def blocks(self, blocks: list[dict]) -> list[Inline]:
        out: list[Inline] = []
        for block in blocks:
            if block.get("t") in ("Para", "Plain"):
                if out:
                    _append(out, Text(" "))
                for node in self.inlines(block["c"]):
                    _append(out, node)
            elif block.get("t") == "Div":
                for node in self.blocks(block["c"][1]):
                    _append(out, node)
        return out

    def inlines(self, nodes: list[dict]) -> list[Inline]:
        out: list[Inline] = []
        for node in nodes:
            for converted in self.inline(node):
                _append(out, converted)
        return out

    def inline(self, node: dict) -> list[Inline]:
        kind, content = node.get("t"), node.get("c")
        if kind == "Str":
            return [Text(content)]
        if kind in ("Space", "SoftBreak", "LineBreak"):
            return [Text(" ")]
        if kind == "Emph":
            return [Emph(tuple(self.inlines(content)))]
        if kind == "Strong":
            return [Strong(tuple(self.inlines(content)))]
        if kind == "Quoted":
            single = content[0].get("t") == "SingleQuote"
            if len(self.quotes) == 8:
                open_, close = (self.quotes[4:6], self.quotes[6:8]) if single else (self.quotes[0:2], self.quotes[2:4])
            else:
                open_, close = (self.quotes[2], self.quotes[3]) if single else (self.quotes[0], self.quotes[1])
            return [Text(open_), *self.inlines(content[1]), Text(close)]
        if kind == "Link":
            children = tuple(self.inlines(content[1]))
            url = content[2][0]
            return [Link(url, children)] if check_url(url) is None else list(children)
        if kind in ("Code", "Math"):
            return [Text(content[-1])]
        if kind == "Cite":
            return self.inlines(content[1])
        if kind in ("Note", "RawInline", "Image"):
            return []
        if kind == "Span":
            return self.inlines(content[1])
        if isinstance(content, list) and content and isinstance(content[-1], list):
            return self.inlines(content[-1])  # SmallCaps, Superscript, Underline...
        return []


def _walk(nodes, *, into_notes: bool = False):
    """Every Pandoc node under ``nodes``, depth first (not inside citations,
    nor inside notes unless ``into_notes``)."""
    stop = ("Cite",) if into_notes else ("Cite", "Note")
    for node in nodes if isinstance(nodes, list) else []:
        yield node
        if isinstance(node, dict) and node.get("t") not in stop:
            content = node.get("c")
            if isinstance(content, list):
                yield from _walk(_flatten(content), into_notes=into_notes)


def _flatten(content: list) -> list:
    out = []
    for item in content:
        if isinstance(item, dict):
            out.append(item)
        elif isinstance(item, list):
            out.extend(_flatten(item))
    return out


def _without_final_period(inlines: list[Inline]) -> list[Inline]:
    """A citation inside a sentence of a note: the sentence has its own period."""
    if inlines and isinstance(inlines[-1], Text) and inlines[-1].text.endswith("."):
        inlines[-1] = Text(inlines[-1].text[:-1])
    return inlines


def _append(out: list[Inline], node: Inline) -> None:
    if isinstance(node, Text) and out and isinstance(out[-1], Text):
        out[-1] = Text(out[-1].text + node.text)
    elif not (isinstance(node, Text) and not node.text):
        out.append(node)
