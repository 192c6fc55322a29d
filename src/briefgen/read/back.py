"""Format 1.1 parts of a brief: detailed authors, the summary as blocks,
appendices, about, disclaimer, how to cite, and the contents choice."""

from __future__ import annotations

from yaml.nodes import Node, ScalarNode, SequenceNode

from .. import model as m
from .. import richtext
from ..labels import labels_for
from ..locales import format_date
from .blocks import blocks, rich_or_blocks
from .context import BOOL, NULL, Reader, describe, getter, join
from .positions import pos as pos_of
from .sections import sections


def authors(r: Reader, node: Node, path: str) -> tuple[tuple[str, ...], tuple[m.Author, ...]]:
    """The names, and (when any author is a mapping) every author's details."""
    if isinstance(node, ScalarNode) and node.tag != NULL:
        name = r.text(node, path)
        return ((name,) if name else ()), ()
    items = r.sequence(node, path, "texts") or []
    details: list[m.Author] = []
    for index, item in enumerate(items):
        item_path = f"{path}[{index}]"
        if isinstance(item, ScalarNode):
            name = r.text(item, item_path)
            if name:
                details.append(m.Author(name, pos=pos_of(item)))
            continue
        keys = r.mapping(item, item_path, "author")
        if keys is None:
            continue
        get = getter(keys)
        values = {k: r.text(get(k), join(item_path, k)) for k in ("name", "affiliation", "role", "email") if get(k) is not None}
        if values.get("email") and "@" not in values["email"]:
            r.error(get("email"), join(item_path, "email"), f"'{values['email']}' is not an e-mail address")
        if values.get("name"):
            details.append(m.Author(values["name"], values.get("affiliation"), values.get("role"), values.get("email"), pos_of(item)))
    names = tuple(a.name for a in details)
    detailed = any(not isinstance(item, ScalarNode) for item in items)
    return names, (tuple(details) if detailed else ())


def summary(r: Reader, node: Node) -> dict:
    """``summary`` and, when it is a list of blocks, ``summary_blocks``."""
    if not isinstance(node, SequenceNode):
        return {"summary": r.rich(node, "summary")}
    body = blocks(r, node, "summary")
    if not node.value:
        r.error(node, "summary", "the summary needs at least one paragraph")
    first = next((b.text for b in body if isinstance(b, m.Paragraph)), richtext.plain(""))
    return {"summary": first, "summary_blocks": body}


def appendices(r: Reader, node: Node) -> tuple[m.Section, ...]:
    """Sections lettered A, B, ... after the conclusion."""
    from ..numbering import appendix_letter

    found = sections(r, node, "appendices", level=1)
    return tuple(
        m.Section(s.title, s.id, s.level, s.body, s.sections, s.pos, appendix_letter(i)) for i, s in enumerate(found)
    )


def contents(r: Reader, node: Node) -> str | None:
    """``auto``, ``true`` or ``false``."""
    r.count(node)
    if isinstance(node, ScalarNode) and node.tag == BOOL:
        return "true" if node.value.lower() in ("true", "yes", "on", "y") else "false"
    if isinstance(node, ScalarNode) and node.value == "auto":
        return "auto"
    r.error(node, "contents", f"contents is 'auto', true or false, found {describe(node)}")
    return None


def back_matter(r: Reader, get) -> dict:
    """``about``, ``disclaimer`` and ``cite_as`` (``auto`` is composed later)."""
    fields: dict = {}
    if (node := get("about")) is not None:
        fields["about"] = rich_or_blocks(r, node, "about")
    if (node := get("disclaimer")) is not None:
        fields["disclaimer"] = r.rich(node, "disclaimer")
    if (node := get("cite_as")) is not None:
        if isinstance(node, ScalarNode) and node.value.strip() == "auto":
            fields["cite_as"] = "auto"
        else:
            fields["cite_as"] = r.rich(node, "cite_as")
    if (node := get("url")) is not None:
        url = r.text(node, "url")
        problem = richtext.check_url(url) if url else None
        if problem:
            r.error(node, "url", problem)
        else:
            fields["url"] = url
    return fields


def compose_citation(fields: dict, lang: str) -> m.RichText:
    """``cite_as: auto``: authors, title, organization, date, version and URL."""
    words = labels_for(lang, dict(fields.get("labels") or ()))
    names = list(fields.get("authors") or ())
    who = names[0] if len(names) == 1 else ", ".join(names[:-1]) + f" and {names[-1]}" if names else ""
    title = fields.get("title") or ""
    if fields.get("subtitle"):
        title = f"{title}: {fields['subtitle']}"
    when = fields.get("updated") or fields.get("date")
    rest = [fields.get("organization") or ""]
    if when is not None:
        rest.append(format_date(when, lang))  # at its own precision, in the brief's language
    if fields.get("version"):
        rest.append(f"{words['version']} {fields['version']}")
    head = f"{who.rstrip('.')}. " if who else ""
    quoted = title if title.endswith((".", "?", "!")) else f"{title}."
    tail = ", ".join(p for p in rest if p)
    text = f"{head}“{quoted}” {tail}." if tail else f"{head}“{quoted}”"
    url = fields.get("url")
    inlines: tuple[m.Inline, ...] = (m.Text(text),)
    if url:
        inlines = (m.Text(text + " "), m.Link(url, (m.Text(url),)))
    return m.RichText(inlines, "auto")  # the source says how it was written
