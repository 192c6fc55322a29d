"""The HTML writer: a brief as one self-contained HTML document.

The same templates serve two media.  ``screen`` is the page shipped as
``build/NAME.html``: a responsive stylesheet and footnotes gathered as
endnotes with back-links.  ``print`` is what the PDF writer lays out: the
print stylesheet and every footnote placed at its first reference as a
WeasyPrint ``float: footnote`` element.

Everything the document needs travels inside it (stylesheets in
``<style>``, images as ``data:`` URLs, charts as inline SVG) so that the
page can be mailed or hosted as is and the PDF renderer never has to read a
file or reach the network.
"""

from __future__ import annotations

import base64
import importlib
import re
import unicodedata
from functools import lru_cache, partial
from pathlib import Path
from typing import Literal

from jinja2 import BytecodeCache, ChoiceLoader, Environment, FileSystemBytecodeCache, FileSystemLoader, StrictUndefined, pass_context
from jinja2.runtime import Context
from markupsafe import Markup, escape

from .. import __version__, tables
from ..labels import labels_for, page_pattern_parts
from ..locales import direction, format_date, hyphenation_language
from ..resources import Templates
from ..model import (
    Block,
    Brief,
    Callout,
    Chart,
    Citation,
    CrossRef,
    Emph,
    Figure,
    FootnoteRef,
    Inline,
    Link,
    ListBlock,
    PageBreak,
    Paragraph,
    Quote,
    RichText,
    Section,
    Strong,
    Sub,
    Sup,
    Table,
    Text,
    Todo,
    short_title,
)
from ..numbering import caption_label, section_numbers
from .typeset import guard, url_breaks

Media = Literal["screen", "print"]

MEDIA: tuple[Media, ...] = ("screen", "print")

#: Stylesheets inlined for each medium, in cascade order, relative to the
#: templates folder.  ``themes/default.css`` (the house style) declares
#: every custom property; the others only use them.  Another theme
#: (``themes/NAME.css``) comes last, so that both its properties and its
#: few rules win over the house style.
STYLESHEETS: dict[Media, tuple[str, ...]] = {
    "screen": ("themes/default.css", "css/components.css", "css/screen.css"),
    "print": ("themes/default.css", "css/components.css", "css/print.css"),
}

#: Laid over the others for a right-to-left brief: the page mirrored.
RTL_STYLESHEET = "css/rtl.css"

#: Folder of the themes, relative to the templates folder.
THEMES_FOLDER = "themes"

DEFAULT_THEME = "default"

_THEME_NAME = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")

#: ``--logo-file: "logos/house.svg";`` in a theme names the title-block logo.
_LOGO_FILE = re.compile(r"--logo-file\s*:\s*(?:\"([^\"]*)\"|'([^']*)')\s*[;}]")

#: ``--logo-alt: "Institute logo";`` gives the logo's alternative text.
_LOGO_ALT = re.compile(r"--logo-alt\s*:\s*(?:\"([^\"]*)\"|'([^']*)')\s*[;}]")

#: Image types a figure may use, by the bytes they start with.
_IMAGE_SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"GIF87a", "image/gif"),
    (b"GIF89a", "image/gif"),
)

#: Longest running-header title before it is shortened: what fits, in
#: the running type, the page-margin box print.css gives it (38 % of the
#: text width); longer titles are cut at a word.
RUNNING_TITLE_LENGTH = 46

#: Longest word kept on one line with the footnote reference after it.
KEEP_WITH_NOTE = 24

#: Tables with at most this many rows are kept on one page in print.
SHORT_TABLE_ROWS = 12


def render_html(
    brief: Brief, *, templates: Path | Templates, media: Media = "screen", theme: str = DEFAULT_THEME
) -> str:
    """The brief as one self-contained HTML document.

    ``media="screen"`` gives the page shipped as ``build/NAME.html``;
    ``media="print"`` gives the HTML that the PDF writer lays out.
    ``theme`` names ``templates/themes/NAME.css``, the house style laid
    over the shared stylesheets.  ``templates`` is a project's folder
    (looked up first, file by file) or a :class:`Templates`; the packaged
    files fill in whatever it does not have.
    """
    if media not in MEDIA:
        raise ValueError(f"media must be one of {', '.join(MEDIA)}, not {media!r}")
    layers = Templates.layered(templates)
    theme_css = _theme_source(layers, theme)
    house_css = theme_css if theme == DEFAULT_THEME else _theme_source(layers, DEFAULT_THEME)
    layered_css = "" if theme == DEFAULT_THEME else theme_css
    env = _environment(layers.folders)
    template = env.get_template("document.html")
    numbered = bool(getattr(brief, "section_numbers", False))
    labels = labels_for(brief.lang, dict(brief.labels), layers)
    return template.render(
        brief=brief,
        media=media,
        theme=theme,
        labels=labels,
        direction=direction(brief.lang),
        hyphenate=hyphenation_language(brief.lang) is not None,
        page_counter=Markup(page_counter_css(labels["page"])),
        stylesheet=_stylesheet(env, media, theme, layered_css, rtl=direction(brief.lang) == "rtl"),
        logo=_logo(layers, house_css + "\n" + layered_css),
        section_numbers=section_numbers(brief) if numbered else {},
        appendix_numbers={s.id: s.appendix for s in brief.appendices},
        short_title=short_title(brief.title, RUNNING_TITLE_LENGTH),
        generator=f"briefgen {__version__}",
    )


def available_themes(templates: Path | Templates) -> tuple[str, ...]:
    """The names of the themes in ``themes/`` of the project and the package, sorted."""
    names = Templates.layered(templates).names(THEMES_FOLDER, ".css")
    return tuple(name for name in names if _THEME_NAME.fullmatch(name))


def _theme_source(templates: Templates, theme: str) -> str:
    """The CSS of ``theme`` (the project's file first); an unknown name is
    refused with the known ones."""
    themes = available_themes(templates)
    if not isinstance(theme, str) or theme not in themes:
        known = ", ".join(themes) or "none"
        raise ValueError(f"unknown theme {theme!r}; available themes: {known}")
    return templates.require(f"{THEMES_FOLDER}/{theme}.css").read_text(encoding="utf-8")


def _logo(templates: Templates, theme_css: str) -> dict[str, str] | None:
    """The logo the theme names (the last ``--logo-file`` wins), or None.

    The file must lie inside a templates folder (the project's, looked up
    first, or the package's): a theme can make the document carry one of
    the house's images, never any other file.
    """
    css = _without_comments(theme_css)
    names = [a or b for a, b in _LOGO_FILE.findall(css)]
    name = names[-1] if names else ""
    if not name:
        return None
    path = templates.find(name)
    if path is None or not templates.contains(path):
        where = " or ".join(str(folder) for folder in templates.folders)
        raise ValueError(f"theme logo {name!r} is not a file inside {where}")
    data = path.read_bytes()
    mime = image_type(data)
    if mime is None:
        raise ValueError(f"theme logo {name!r}: not a PNG, JPEG, GIF, SVG or WebP image")
    alts = [a or b for a, b in _LOGO_ALT.findall(css)]
    return {
        "url": f"data:{mime};base64,{base64.b64encode(data).decode('ascii')}",
        "alt": (alts[-1] if alts else "") or "Logo",
    }


def _without_comments(css: str) -> str:
    return re.sub(r"/\*.*?\*/", "", css, flags=re.DOTALL)


def _compiled_templates() -> BytecodeCache | None:
    """Compiled templates kept between processes, so that a new
    ``briefgen build`` does not compile them again (a tenth of a second).

    Jinja's own per-user folder in the temporary directory: created
    private, refused if another user owns it, and never inside a project,
    where a committed file could carry code.  A template is compiled again
    whenever its source changes (the cache is keyed by a hash of it).
    """
    try:
        return FileSystemBytecodeCache()
    except (OSError, RuntimeError):
        return None


@lru_cache(maxsize=8)
def _environment(folders: tuple[Path, ...]) -> Environment:
    """One Jinja environment per stack of template folders, shared by every
    brief; a template is taken from the first folder that has it."""
    env = Environment(
        loader=ChoiceLoader([FileSystemLoader(str(folder)) for folder in folders]),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        bytecode_cache=_compiled_templates(),
    )
    env.filters["rich"] = _rich_filter
    env.filters["long_date"] = _long_date_filter
    env.filters["guard"] = pass_context(lambda context, text: guard(text, context.get("media", "screen")))
    env.filters["url_breaks"] = pass_context(lambda context, url: url_breaks(url, context.get("media", "screen")))
    env.globals.update(
        block_kind=block_kind,
        figure_data_url=figure_data_url,
        chart_markup=chart_markup,
        chart_data_url=chart_data_url,
        short_table_rows=SHORT_TABLE_ROWS,
        contents_entries=contents_entries,
        appendix_entries=appendix_entries,
        tables=tables,
        caption_label=caption_label,
        stat_columns=stat_columns,
        note_anchor=note_anchor,
        note_ref_anchor=note_ref_anchor,
    )
    return env


def _stylesheet(
    env: Environment, media: Media, theme: str, theme_css: str, *, rtl: bool = False
) -> Markup:
    """The CSS of ``media``, the mirroring rules for ``rtl``, then ``theme_css``
    (empty for the house style).

    Stylesheets are read as is, not as templates.
    """
    assert env.loader is not None
    parts = []
    for name in STYLESHEETS[media] + ((RTL_STYLESHEET,) if rtl else ()):
        source, _, _ = env.loader.get_source(env, name)
        parts.append(f"/* {name} */\n{source.strip()}\n")
    if theme_css:
        parts.append(f"/* {THEMES_FOLDER}/{theme}.css */\n{theme_css.strip()}\n")
    css = "\n".join(parts)
    # A stylesheet can never end the element it is inlined in.
    css = css.replace("</", "<\\/")
    return Markup(css)


# --------------------------------------------------------------------------
# Rich text
# --------------------------------------------------------------------------


@pass_context
def _rich_filter(context: Context, text: RichText | None) -> Markup:
    """Template filter: rich text as HTML for the medium being rendered."""
    if text is None:
        return Markup("")
    return render_inlines(text.inlines, brief=context["brief"], media=context["media"])


def render_inlines(
    inlines: tuple[Inline, ...], *, brief: Brief, media: Media, in_note: bool = False
) -> Markup:
    """Inline nodes as HTML; the one place rich text becomes markup.

    Text is always escaped, so raw HTML written in a brief stays literal.
    A footnote reference inside a link is moved just after the link: links
    cannot nest, and a footnote body may carry links of its own.
    """
    out: list[str] = []
    nodes = list(inlines)
    index = 0
    while index < len(nodes):
        node = nodes[index]
        index += 1
        if isinstance(node, Text):
            refs: list[FootnoteRef] = []
            while index < len(nodes) and isinstance(nodes[index], FootnoteRef):
                refs.append(nodes[index])  # type: ignore[arg-type]
                index += 1
            out.append(_text_before_notes(node.text, refs, brief=brief, media=media, in_note=in_note))
        elif isinstance(node, Strong):
            inner = render_inlines(node.children, brief=brief, media=media, in_note=in_note)
            out.append(Markup("<strong>{}</strong>").format(inner))
        elif isinstance(node, Emph):
            inner = render_inlines(node.children, brief=brief, media=media, in_note=in_note)
            out.append(Markup("<em>{}</em>").format(inner))
        elif isinstance(node, Link):
            label = tuple(c for c in node.children if not isinstance(c, FootnoteRef))
            moved = tuple(c for c in node.children if isinstance(c, FootnoteRef))
            inner = render_inlines(label, brief=brief, media=media, in_note=in_note)
            out.append(Markup('<a href="{}">{}</a>').format(node.url, inner))
            out.append(render_inlines(moved, brief=brief, media=media, in_note=in_note))
        elif isinstance(node, (Sub, Sup)):
            inner = render_inlines(node.children, brief=brief, media=media, in_note=in_note)
            tag = "sub" if isinstance(node, Sub) else "sup"
            out.append(Markup("<{0}>{1}</{0}>").format(tag, inner))
        elif isinstance(node, CrossRef):
            inner = (
                render_inlines(node.children, brief=brief, media=media, in_note=in_note)
                if node.children
                else escape(node.label)
            )
            out.append(Markup('<a class="xref" href="#{}">{}</a>').format(node.id, inner))
        elif isinstance(node, FootnoteRef):
            out.append(_footnote_ref(node, brief=brief, media=media, in_note=in_note))
        elif isinstance(node, Citation):
            out.append(_citation(node, brief=brief, media=media, in_note=in_note))
    return Markup("").join(out)


def _citation(node: Citation, *, brief: Brief, media: Media, in_note: bool) -> Markup:
    """A formatted citation: in the text, or (note styles) a footnote of its own."""
    if node.note:
        ref = FootnoteRef(node.note_id, node.note, True)
        return _footnote_ref(ref, brief=brief, media=media, in_note=in_note)
    inner = render_inlines(brief.citation_text(node), brief=brief, media=media, in_note=in_note)
    return Markup('<span class="citation" data-cites="{}">{}</span>').format(
        " ".join(item.key for item in node.items), inner
    )


def _text_before_notes(
    text: str, refs: list[FootnoteRef], *, brief: Brief, media: Media, in_note: bool
) -> Markup:
    """Text, then the footnote references that follow it.

    The word a reference is attached to and the reference are kept on one
    line: a note number alone at the start of a line reads as a stray digit.
    """
    calls = Markup("").join(
        _footnote_ref(ref, brief=brief, media=media, in_note=in_note) for ref in refs
    )
    # Print notes are never hyphenated (print.css): their words need no guard.
    guard_ = escape if in_note and media == "print" else partial(guard, media=media)
    if not refs:
        return guard_(text)
    if not text or text[-1].isspace():
        return guard_(text) + calls
    word = text.split()[-1]
    if len(word) > KEEP_WITH_NOTE or any(_is_wide(char) for char in word):
        # A long URL, or CJK text (which breaks between any two characters
        # and has no spaces): keep only the end with the note.
        word = word[-2:]
    elif media == "print" and re.fullmatch(r"[^\W\d_]{7,}\W*", word):
        # A long word stays hyphenable: only its last three letters (and
        # the punctuation after them) are held on the line of the call.
        letters = len(word.rstrip(".,;:!?)]’”\"'"))
        word = word[letters - 3 :]
    head = text[: len(text) - len(word)]
    return guard_(head) + Markup('<span class="note-anchor">{}{}</span>').format(guard_(word), calls)


def _is_wide(char: str) -> bool:
    return unicodedata.east_asian_width(char) in ("W", "F")


def _footnote_ref(ref: FootnoteRef, *, brief: Brief, media: Media, in_note: bool) -> Markup:
    """A footnote reference: the note itself in print, a numbered link on screen."""
    target = note_anchor(ref.id)
    if media == "print" and ref.first and not in_note:
        # The empty span marks where the call is, so that the reference can
        # be found (and linked to) apart from the note it calls.
        body = render_inlines(brief.footnote(ref.id).text.inlines, brief=brief, media=media, in_note=True)
        return Markup(
            '<span class="note-call" id="{}"></span>'
            '<span class="footnote" id="{}" data-number="{}">{}</span>'
        ).format(note_ref_anchor(ref.id), target, ref.number, body)
    if media == "screen" and ref.first and not in_note:
        return Markup(
            '<sup class="note-ref"><a href="#{}" id="{}" role="doc-noteref">{}</a></sup>'
        ).format(target, note_ref_anchor(ref.id), ref.number)
    return Markup('<sup class="note-ref"><a href="#{}">{}</a></sup>').format(target, ref.number)


def note_anchor(note_id: str) -> str:
    """The id of a note.  Section ids are slugs without ``_``, so none collides."""
    return f"note_{note_id}"


def note_ref_anchor(note_id: str) -> str:
    """The id of a note's first reference, target of the endnote's back-link."""
    return f"noteref_{note_id}"


# --------------------------------------------------------------------------
# Blocks, figures and charts
# --------------------------------------------------------------------------

_BLOCK_KINDS: dict[type, str] = {
    Paragraph: "paragraph",
    ListBlock: "list",
    Table: "table",
    Figure: "figure",
    Chart: "chart",
    Quote: "quote",
    Callout: "callout",
    Todo: "todo",
    PageBreak: "page_break",
}


def block_kind(block: Block) -> str:
    """The name of the macro that renders ``block``."""
    try:
        return _BLOCK_KINDS[type(block)]
    except KeyError:
        raise TypeError(f"no template for block {type(block).__name__}") from None


def figure_data_url(figure: Figure) -> str:
    """The image of ``figure`` as a ``data:`` URL.

    The type comes from the file's bytes, not its name, so that a renamed
    file is neither mislabelled nor smuggled in as something else.
    """
    data = figure.path.read_bytes()
    mime = image_type(data)
    if mime is None:
        raise ValueError(f"{figure.src}: not a PNG, JPEG, GIF, SVG or WebP image")
    return f"data:{mime};base64,{base64.b64encode(data).decode('ascii')}"


def image_type(data: bytes) -> str | None:
    """The MIME type of an image's bytes, or None for anything else."""
    for signature, mime in _IMAGE_SIGNATURES:
        if data.startswith(signature):
            return mime
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image/webp"
    head = data[:2048].lstrip(b"\xef\xbb\xbf").lstrip().lower()
    if head.startswith((b"<?xml", b"<svg", b"<!--", b"<!doctype svg")) and b"<svg" in data[:65536].lower():
        return "image/svg+xml"
    return None


def chart_markup(chart: Chart, description: str | None = None) -> Markup:
    """The chart as inline SVG from :func:`briefgen.charts.chart_svg`."""
    charts = importlib.import_module("briefgen.charts")
    return Markup(charts.chart_svg(chart, description))


def chart_data_url(chart: Chart, description: str | None = None) -> str:
    """The chart's SVG as a ``data:`` URL, for print.

    WeasyPrint draws an SVG image exactly as it draws inline SVG, but an
    image keeps the drawing's presentation styles out of the HTML cascade,
    which would otherwise parse (and warn about) every SVG style attribute.
    """
    charts = importlib.import_module("briefgen.charts")
    svg = charts.chart_svg(chart, description).encode("utf-8")
    return f"data:image/svg+xml;base64,{base64.b64encode(svg).decode('ascii')}"


# --------------------------------------------------------------------------
# Small helpers the templates use
# --------------------------------------------------------------------------


def contents_entries(brief: Brief, depth: int = 2) -> list[tuple[Section, int]]:
    """Sections listed in the contents, down to ``depth`` levels."""
    return [(section, section.level) for section in brief.walk_sections() if section.level <= depth]


def appendix_entries(brief: Brief, depth: int = 2) -> list[tuple[Section, int]]:
    """Appendices (and their subsections) listed in the contents."""
    return [(section, section.level) for section in brief.walk_appendices() if section.level <= depth]


def stat_columns(count: int) -> int:
    """Columns of the key-figures panel: rows as even as possible, at most four."""
    if count <= 4:
        return max(count, 1)
    return 3 if count in (5, 6, 9) else 4


@pass_context
def _long_date_filter(context: Context, value) -> str:
    """Template filter: a date at its precision, in the brief's language."""
    return format_date(value, context["brief"].lang)


def long_date(value, lang: str = "en") -> str:
    """``2026-11-28`` as ``November 28, 2026`` (``1 décembre 2026`` in French...)."""
    return format_date(value, lang)


def page_counter_css(pattern: str) -> str:
    """The CSS ``content`` of the page counter, from the ``page`` label.

    ``"Page {page} of {pages}"`` gives ``"Page " counter(page) " of "
    counter(pages)``; the literal parts are CSS-escaped, so a label can
    never end the declaration it sits in.
    """
    out: list[str] = []
    for literal, field in page_pattern_parts(pattern):
        if literal:
            out.append(_css_string(literal))
        if field:
            out.append(f"counter({field})")
    return " ".join(out) or '""'


def _css_string(text: str) -> str:
    escaped = "".join(
        ch if ch.isprintable() and ch not in '"\\<>' else f"\\{ord(ch):x} " for ch in text
    )
    return f'"{escaped}"'


