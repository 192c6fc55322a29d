"""Footnotes in the Word file: real Word footnotes, written once; later
references to the same note are NOTEREF fields.

A mixin of :class:`briefgen.writers.docx.writer._DocxWriter`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from docx.opc.part import Part
from docx.oxml.xmlchemy import BaseOxmlElement

from ...model import FootnoteRef
from .. import ooxml


@dataclass
class _Footnotes:
    """The footnotes part, created when the first note is referenced."""

    part: Part
    written: dict[str, str] = field(default_factory=dict)  # note id -> bookmark



class NotesMixin:
    """Footnote methods of the writer."""

    # -- footnotes -----------------------------------------------------------

    def _note_call(self, ref: FootnoteRef, *, in_body: bool) -> list[BaseOxmlElement]:
        """The runs for a footnote reference.

        The first reference in the document carries a real Word footnote
        inside a bookmark; later ones are NOTEREF fields to that bookmark, so
        the note is not repeated and the number follows Word's numbering.
        """
        style_id = self.style["Footnote Reference"]
        notes = self._footnotes()
        if not in_body:
            return [ooxml.new_run(str(ref.number), style_id=style_id)]
        bookmark = notes.written.get(ref.id)
        if bookmark is not None:
            return ooxml.field_runs(
                f"NOTEREF {bookmark} \\f \\h", str(ref.number), style_id=style_id
            )
        bookmark = f"_RefNote{ref.number}"
        notes.written[ref.id] = bookmark
        self.note_bookmarks[bookmark] = ref.id
        self.note_numbers[str(ref.number)] = ref.id
        self._write_note(ref)
        self.bookmarks += 1
        return [
            ooxml.bookmark_start(self.bookmarks, bookmark),
            ooxml.footnote_reference_run(ref.number, style_id),
            ooxml.bookmark_end(self.bookmarks),
        ]

    def _footnotes(self) -> _Footnotes:
        if self.footnotes is None:
            self.footnotes = _Footnotes(ooxml.new_footnotes_part(self.part))
            ooxml.declare_footnote_separators(self.document.settings.element)
        return self.footnotes

    def _write_note(self, ref: FootnoteRef) -> None:
        notes = self._footnotes()
        note = ooxml.add_footnote(notes.part.element, ref.number)
        paragraph = ooxml.element("w:p")
        note.append(paragraph)
        ooxml.set_paragraph_style(paragraph, self.style["Footnote Text"])
        paragraph.append(ooxml.footnote_mark_run(self.style["Footnote Reference"]))
        paragraph.append(ooxml.new_run(" "))
        try:
            text = self.brief.footnote(ref.id).text
        except KeyError:
            return
        self._inlines(paragraph, text.inlines, part=notes.part)
        # a note-style citation's note is the style's text, not the brief's: fixed
        kind = "fixed" if ref.id.startswith("cite.") else "rich"
        self._mark(paragraph, kind, ("footnotes", ref.id), rich=text)
