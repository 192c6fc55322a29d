"""The brief itself: its front matter (title, dates, authors, summary, key
points and figures), its presentation settings, and the order in which the
parts are read (reading order decides footnote numbers)."""

from __future__ import annotations

import re

from yaml.nodes import Node, SequenceNode

from .. import model as m
from .. import richtext, spec
from . import back
from .blocks import rich_or_blocks
from .citing import bibliography, citing, labels
from .context import Reader, getter, optional
from .files import local_file
from .notes import footnote_nodes, footnotes, source
from .positions import pos as pos_of
from .sections import sections
from .xrefs import check_known, resolve


def brief(r: Reader, root: Node) -> m.Brief | None:
    """The brief, or None when any error was reported (all of them are)."""
    keys = r.mapping(root, "", "brief")
    if keys is None:
        return None
    get = getter(keys)

    notes = footnote_nodes(r, get("footnotes"))
    r.notes = richtext.FootnoteNumbering(frozenset(notes))

    fields: dict = {}
    for name in ("title", "subtitle", "version", "organization", "marking"):
        if (node := get(name)) is not None:
            fields[name] = r.text(node, name)
    for name in ("date", "updated"):
        if (node := get(name)) is not None:
            fields[name] = r.date(node, name)
    if (node := get("status")) is not None:
        fields["status"] = r.choice(node, "status", "status")
    if (node := get("lang")) is not None:
        lang = r.text(node, "lang")
        if lang and not re.fullmatch(spec.LANG_PATTERN, lang):
            r.error(node, "lang", f"'{lang}' is not a language tag such as 'en' or 'zh-Hans'")
        else:
            fields["lang"] = lang
            r.lang = lang or "en"
    if (node := get("authors")) is not None:
        fields["authors"], fields["author_details"] = back.authors(r, node, "authors")
    if (node := get("keywords")) is not None:
        fields["keywords"] = r.text_list(node, "keywords")
    if (node := get("labels")) is not None:
        fields["labels"] = labels(r, node)
    works, style = citing(r, get)
    # Reading order decides footnote numbers: parse in the order of the page.
    if (node := get("summary")) is not None:
        fields.update(back.summary(r, node))
    if (node := get("key_points")) is not None:
        fields["key_points"] = r.each(r.sequence(node, "key_points", "rich texts"), "key_points", r.rich)
    if (node := get("key_figures")) is not None:
        fields["key_figures"] = r.each(
            r.sequence(node, "key_figures", "key figures"), "key_figures", lambda n, p: key_figure(r, n, p)
        )
    if (node := get("sections")) is not None:
        body = sections(r, node, "sections", level=1)
        if not body and isinstance(node, SequenceNode) and not node.value:
            r.error(node, "sections", "a brief needs at least one section")
        fields["sections"] = body
    if (node := get("conclusion")) is not None:
        fields["conclusion"] = rich_or_blocks(r, node, "conclusion")
    if (node := get("appendices")) is not None:
        fields["appendices"] = back.appendices(r, node)
    if (node := get("sources")) is not None:
        fields["sources"] = r.each(r.sequence(node, "sources", "sources"), "sources", lambda n, p: source(r, n, p))
    fields.update(back.back_matter(r, get))
    fields["footnotes"] = footnotes(r, notes)
    fields.update(_settings(r, get))
    if (node := get("contents")) is not None:
        fields["contents"] = back.contents(r, node)
    if fields.get("cite_as") == "auto":
        fields["cite_as"] = back.compose_citation(fields, fields.get("lang") or "en")
    if works is not None and style is not None and not any(d.severity == "error" for d in r.diagnostics):
        fields.update(bibliography(r, get("bibliography"), works, style, fields["footnotes"]))

    if r.failed:
        check_known(r)
        return None
    clean = {k: v for k, v in fields.items() if v is not None}
    places = {name: pos_of(value) for name, (_, value) in keys.items()}
    result = resolve(r, m.Brief(path=r.file, pos=pos_of(root), warnings=r.warnings, places=places, **clean))
    if r.failed:
        return None
    return result


def _settings(r: Reader, get) -> dict:
    """The presentation settings a brief may carry (theme, numbering, ...)."""
    fields: dict = {}
    if (node := get("theme")) is not None:
        theme = r.text(node, "theme")
        if theme and not re.fullmatch(spec.SLUG_PATTERN, theme):
            r.error(node, "theme", f"'{theme}' is not a theme name (lower-case letters, digits, hyphens)")
        else:
            fields["theme"] = theme
    if (node := get("section_numbers")) is not None:
        fields["section_numbers"] = r.boolean(node, "section_numbers")
    if (node := get("pdf_variant")) is not None:
        fields["pdf_variant"] = r.choice(node, "pdf_variant", "pdf_variant")
    if (node := get("max_pages")) is not None:
        pages = r.number(node, "max_pages")
        if pages is not None and (pages != int(pages) or pages < 1):
            r.error(node, "max_pages", f"expected a whole number of pages, 1 or more, found {node.value}")
        elif pages is not None:
            fields["max_pages"] = int(pages)
    if (node := get("density")) is not None:
        fields["density"] = r.choice(node, "density", "density")
    if (node := get("reference_docx")) is not None:
        src = r.text(node, "reference_docx")
        if src:
            fields["reference_docx"] = local_file(r, node, "reference_docx", src, {".docx"}, "a Word document")
    return fields


def key_figure(r: Reader, node: Node, path: str) -> m.KeyFigure | None:
    keys = r.mapping(node, path, "key_figure")
    if keys is None:
        return None
    get = getter(keys)
    value = optional(r.text, get, path, "value")
    label = optional(r.text, get, path, "label")
    note = optional(r.rich, get, path, "note")
    if value is None or label is None:
        return None
    return m.KeyFigure(value, label, note, pos_of(node))
