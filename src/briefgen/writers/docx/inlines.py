"""Paragraphs and rich text in the Word file: styled paragraphs, runs,
links, citations (content controls) and cross-references (REF fields).

A mixin of :class:`briefgen.writers.docx.writer._DocxWriter`.
"""

from __future__ import annotations

from collections.abc import Iterable

from docx.opc.part import Part
from docx.oxml.xmlchemy import BaseOxmlElement

from ...pull import record as pull_record
from ...model import (
    Citation,
    CrossRef,
    Emph,
    FootnoteRef,
    Inline,
    Link,
    RichText,
    Strong,
    Sub,
    Sup,
    Text,
)
from .. import ooxml

#: A citation's content control is tagged with this and the citation as
#: written (``[@key, p. 12]``), so that pull can bring it back unchanged.
CITATION_TAG = "briefgen:"


class InlinesMixin:
    """Paragraph and inline methods of the writer."""

    # -- paragraphs and rich text -------------------------------------------

    def _styled(self, container, style: str) -> BaseOxmlElement:
        """A new paragraph (``w:p``) in ``container`` with the style ``style``."""
        paragraph = container.add_paragraph()._p
        ooxml.set_paragraph_style(paragraph, self.style[style])
        return paragraph

    def _plain(self, container, text: str, style: str) -> BaseOxmlElement:
        paragraph = self._styled(container, style)
        paragraph.append(ooxml.new_run(text))
        return paragraph

    def _rich(self, container, text: RichText, style: str) -> BaseOxmlElement:
        paragraph = self._styled(container, style)
        self._inlines(paragraph, text.inlines)
        return paragraph

    def _plain_in_cell(
        self, tc: BaseOxmlElement, text: str, style: str
    ) -> BaseOxmlElement:
        paragraph = tc.add_p()
        ooxml.set_paragraph_style(paragraph, self.style[style])
        paragraph.append(ooxml.new_run(text))
        return paragraph

    def _inlines(
        self,
        sink: BaseOxmlElement,
        inlines: Iterable[Inline],
        *,
        part: Part | None = None,
        bold: bool = False,
        italic: bool = False,
        link: bool = False,
        script: str | None = None,
    ) -> None:
        """Append runs for ``inlines`` to a paragraph or hyperlink element."""
        part = part or self.part
        link_style = self.style["Hyperlink"] if link else None
        look = dict(part=part, bold=bold, italic=italic, link=link, script=script)
        previous: Inline | None = None
        for node in inlines:
            if isinstance(node, FootnoteRef) and isinstance(previous, FootnoteRef):
                sink.append(
                    ooxml.new_run(",", style_id=self.style["Footnote Reference"])
                )
            previous = node
            if isinstance(node, Text):
                run = ooxml.new_run(
                    node.text, style_id=link_style, bold=bold, italic=italic
                )
                if script:
                    ooxml.set_run_vertical_align(run, script)
                sink.append(run)
            elif isinstance(node, (Sub, Sup)):
                where = "subscript" if isinstance(node, Sub) else "superscript"
                self._inlines(sink, node.children, **{**look, "script": where})
            elif isinstance(node, CrossRef):
                self._cross_ref(sink, node, look)
            elif isinstance(node, Strong):
                self._inlines(sink, node.children, **{**look, "bold": True})
            elif isinstance(node, Emph):
                self._inlines(sink, node.children, **{**look, "italic": True})
            elif isinstance(node, Link):
                hyperlink = ooxml.new_hyperlink(part, node.url)
                sink.append(hyperlink)
                self._inlines(hyperlink, node.children, **{**look, "link": True})
            elif isinstance(node, FootnoteRef):
                sink.extend(self._note_call(node, in_body=part is self.part))
            elif isinstance(node, Citation):
                self._citation(sink, node, part=part, bold=bold, italic=italic)

    def _citation(
        self, sink: BaseOxmlElement, node: Citation, *, part: Part, bold: bool, italic: bool
    ) -> None:
        """A citation: a footnote for a note style, else its formatted text in a
        content control tagged with the citation as written, for pull."""
        content = ooxml.inline_content_control(sink, tag=CITATION_TAG + node.source, title="Citation")
        # a bookmark too: LibreOffice keeps bookmarks but drops a control's tag
        self.bookmarks += 1
        name = f"{pull_record.CITATION_BOOKMARK_PREFIX}{node.index}"
        self.citation_bookmarks[name] = node.source
        content.append(ooxml.bookmark_start(self.bookmarks, name))
        if node.note:
            ref = FootnoteRef(node.note_id, node.note, True)
            content.extend(self._note_call(ref, in_body=part is self.part))
        else:
            self._inlines(content, self.brief.citation_text(node), part=part, bold=bold, italic=italic)
        content.append(ooxml.bookmark_end(self.bookmarks))

    def _cross_ref(self, sink: BaseOxmlElement, ref: CrossRef, look: dict) -> None:
        """``[#id]``: a REF field to the target's bookmark showing its label;
        ``[words](#id)``: the words as a link to the bookmark."""
        bookmark = self._target_bookmark(ref.id)
        self.ref_bookmarks.setdefault(bookmark, (ref.id, ""))
        if ref.children:
            link = ooxml.element("w:hyperlink", {"w:anchor": bookmark, "w:history": "1"})
            sink.append(link)
            self._inlines(link, ref.children, **look)
            return
        target = self.targets.get(ref.id)
        if target is not None and target.kind == "section" and self.brief.section_numbers:
            word = self.labels["section"]
            self.ref_bookmarks[bookmark] = (ref.id, f"{word} ")
            sink.append(ooxml.new_run(f"{word} ", bold=look["bold"], italic=look["italic"]))
            number = ref.label[len(word) + 1 :] if ref.label.startswith(word + " ") else ref.label
            sink.extend(ooxml.field_runs(f"REF {bookmark} \\r \\h", number))
            return
        sink.extend(ooxml.field_runs(f"REF {bookmark} \\h", ref.label))

    def _target_bookmark(self, target_id: str) -> str:
        """The bookmark a cross-reference to ``target_id`` points at."""
        return _bookmark_name(target_id)


def _bookmark_name(section_id: str) -> str:
    """A Word bookmark name for a section id: a letter first, no hyphens, 40 chars."""
    name = "".join(c if c.isalnum() else "_" for c in section_id)
    if not name or not name[0].isalpha():
        name = f"s_{name}"
    return name[:40]
