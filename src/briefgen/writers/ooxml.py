"""Raw WordprocessingML helpers for what python-docx has no API for.

python-docx covers paragraphs, runs, tables and pictures; footnotes, fields,
hyperlinks, list numbering instances, East Asian fonts, borders, shading,
table styles and alt text need XML written by hand.  Every such piece lives
here so that the writer and the reference-document builder stay readable and
the schema's element order is handled in one place (Word rejects files whose
property elements are out of order).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Literal

from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import Part, XmlPart
from docx.oxml import OxmlElement
from docx.oxml.ns import nsdecls, qn
from docx.oxml.parser import parse_xml
from docx.oxml.xmlchemy import BaseOxmlElement

# Child order of the property elements, from the WordprocessingML schema.
PPR_ORDER = (
    "w:pStyle",
    "w:keepNext",
    "w:keepLines",
    "w:pageBreakBefore",
    "w:framePr",
    "w:widowControl",
    "w:numPr",
    "w:suppressLineNumbers",
    "w:pBdr",
    "w:shd",
    "w:tabs",
    "w:suppressAutoHyphens",
    "w:kinsoku",
    "w:wordWrap",
    "w:overflowPunct",
    "w:topLinePunct",
    "w:autoSpaceDE",
    "w:autoSpaceDN",
    "w:bidi",
    "w:adjustRightInd",
    "w:snapToGrid",
    "w:spacing",
    "w:ind",
    "w:contextualSpacing",
    "w:mirrorIndents",
    "w:suppressOverlap",
    "w:jc",
    "w:textDirection",
    "w:textAlignment",
    "w:textboxTightWrap",
    "w:outlineLvl",
    "w:divId",
    "w:cnfStyle",
    "w:rPr",
    "w:sectPr",
    "w:pPrChange",
)
RPR_ORDER = (
    "w:rStyle",
    "w:rFonts",
    "w:b",
    "w:bCs",
    "w:i",
    "w:iCs",
    "w:caps",
    "w:smallCaps",
    "w:strike",
    "w:dstrike",
    "w:outline",
    "w:shadow",
    "w:emboss",
    "w:imprint",
    "w:noProof",
    "w:snapToGrid",
    "w:vanish",
    "w:webHidden",
    "w:color",
    "w:spacing",
    "w:w",
    "w:kern",
    "w:position",
    "w:sz",
    "w:szCs",
    "w:highlight",
    "w:u",
    "w:effect",
    "w:bdr",
    "w:shd",
    "w:fitText",
    "w:vertAlign",
    "w:rtl",
    "w:cs",
    "w:em",
    "w:lang",
    "w:eastAsianLayout",
    "w:specVanish",
    "w:oMath",
)
STYLE_ORDER = (
    "w:name",
    "w:aliases",
    "w:basedOn",
    "w:next",
    "w:link",
    "w:autoRedefine",
    "w:hidden",
    "w:uiPriority",
    "w:semiHidden",
    "w:unhideWhenUsed",
    "w:qFormat",
    "w:locked",
    "w:personal",
    "w:personalCompose",
    "w:personalReply",
    "w:rsid",
    "w:pPr",
    "w:rPr",
    "w:tblPr",
    "w:trPr",
    "w:tcPr",
    "w:tblStylePr",
)
TBLPR_ORDER = (
    "w:tblStyle",
    "w:tblpPr",
    "w:tblOverlap",
    "w:bidiVisual",
    "w:tblStyleRowBandSize",
    "w:tblStyleColBandSize",
    "w:tblW",
    "w:jc",
    "w:tblCellSpacing",
    "w:tblInd",
    "w:tblBorders",
    "w:shd",
    "w:tblLayout",
    "w:tblCellMar",
    "w:tblLook",
    "w:tblCaption",
    "w:tblDescription",
)
TCPR_ORDER = (
    "w:cnfStyle",
    "w:tcW",
    "w:gridSpan",
    "w:hMerge",
    "w:vMerge",
    "w:tcBorders",
    "w:shd",
    "w:noWrap",
    "w:tcMar",
    "w:textDirection",
    "w:tcFitText",
    "w:vAlign",
    "w:hideMark",
)
TBLSTYLEPR_ORDER = ("w:pPr", "w:rPr", "w:tblPr", "w:trPr", "w:tcPr")
SETTINGS_ORDER = (
    "w:writeProtection",
    "w:view",
    "w:zoom",
    "w:removePersonalInformation",
    "w:removeDateAndTime",
    "w:doNotDisplayPageBoundaries",
    "w:displayBackgroundShape",
    "w:printPostScriptOverText",
    "w:printFractionalCharacterWidth",
    "w:printFormsData",
    "w:embedTrueTypeFonts",
    "w:embedSystemFonts",
    "w:saveSubsetFonts",
    "w:saveFormsData",
    "w:mirrorMargins",
    "w:alignBordersAndEdges",
    "w:bordersDoNotSurroundHeader",
    "w:bordersDoNotSurroundFooter",
    "w:gutterAtTop",
    "w:hideSpellingErrors",
    "w:hideGrammaticalErrors",
    "w:activeWritingStyle",
    "w:proofState",
    "w:formsDesign",
    "w:attachedTemplate",
    "w:linkStyles",
    "w:stylePaneFormatFilter",
    "w:stylePaneSortMethod",
    "w:documentType",
    "w:mailMerge",
    "w:revisionView",
    "w:trackRevisions",
    "w:doNotTrackMoves",
    "w:doNotTrackFormatting",
    "w:documentProtection",
    "w:autoFormatOverride",
    "w:styleLockTheme",
    "w:styleLockQFSet",
    "w:defaultTabStop",
    "w:autoHyphenation",
    "w:consecutiveHyphenLimit",
    "w:hyphenationZone",
    "w:doNotHyphenateCaps",
    "w:showEnvelope",
    "w:summaryLength",
    "w:clickAndTypeStyle",
    "w:defaultTableStyle",
    "w:evenAndOddHeaders",
    "w:bookFoldRevPrinting",
    "w:bookFoldPrinting",
    "w:bookFoldPrintingSheets",
    "w:drawingGridHorizontalSpacing",
    "w:drawingGridVerticalSpacing",
    "w:displayHorizontalDrawingGridEvery",
    "w:displayVerticalDrawingGridEvery",
    "w:doNotUseMarginsForDrawingGridOrigin",
    "w:drawingGridHorizontalOrigin",
    "w:drawingGridVerticalOrigin",
    "w:doNotShadeFormData",
    "w:noPunctuationKerning",
    "w:characterSpacingControl",
    "w:printTwoOnOne",
    "w:strictFirstAndLastChars",
    "w:noLineBreaksAfter",
    "w:noLineBreaksBefore",
    "w:savePreviewPicture",
    "w:doNotValidateAgainstSchema",
    "w:saveInvalidXml",
    "w:ignoreMixedContent",
    "w:alwaysShowPlaceholderText",
    "w:doNotDemarcateInvalidXml",
    "w:saveXmlDataOnly",
    "w:useXSLTWhenSaving",
    "w:saveThroughXslt",
    "w:showXMLTags",
    "w:alwaysMergeEmptyNamespace",
    "w:updateFields",
    "w:hdrShapeDefaults",
    "w:footnotePr",
    "w:endnotePr",
    "w:compat",
    "w:docVars",
    "w:rsids",
    "m:mathPr",
    "w:attachedSchema",
    "w:themeFontLang",
    "w:clrSchemeMapping",
    "w:doNotIncludeSubdocsInStats",
    "w:doNotAutoCompressPictures",
    "w:forceUpgrade",
    "w:captions",
    "w:readModeInkLockDown",
    "w:smartTagType",
    "sl:schemaLibrary",
    "w:shapeDefaults",
    "w:doNotEmbedSmartTags",
    "w:decimalSymbol",
    "w:listSeparator",
)
BORDER_SIDES = ("top", "left", "bottom", "right", "between", "bar")
TABLE_BORDER_SIDES = ("top", "left", "bottom", "right", "insideH", "insideV")

Side = str
Border = tuple[str, int, str, int]  # (kind, size in eighths of a point, colour, space)


# --------------------------------------------------------------------------
# Element plumbing
# --------------------------------------------------------------------------


def element(tag: str, attrs: Mapping[str, str] | None = None) -> BaseOxmlElement:
    """A new element ``tag`` with namespaced attributes ``attrs``."""
    new = OxmlElement(tag)
    for name, value in (attrs or {}).items():
        new.set(qn(name), value)
    return new


def put(
    parent: BaseOxmlElement, child: BaseOxmlElement, order: Sequence[str]
) -> BaseOxmlElement:
    """Insert ``child`` into ``parent`` at its schema position, replacing any
    element of the same tag."""
    tag = _prefixed(child.tag)
    for old in parent.findall(child.tag):
        parent.remove(old)
    successors = order[order.index(tag) + 1 :] if tag in order else ()
    parent.insert_element_before(child, *successors)
    return child


def get_or_put(
    parent: BaseOxmlElement, tag: str, order: Sequence[str]
) -> BaseOxmlElement:
    """The child ``tag`` of ``parent``, created at its schema position if absent."""
    found = parent.find(qn(tag))
    if found is not None:
        return found
    return put(parent, element(tag), order)


def _prefixed(clark: str) -> str:
    for prefix in ("w", "m", "sl"):
        namespace = qn(f"{prefix}:x")[:-1]
        if clark.startswith(namespace):
            return f"{prefix}:{clark[len(namespace) :]}"
    return clark


def _ppr(owner: BaseOxmlElement) -> BaseOxmlElement:
    """The ``w:pPr`` of a paragraph or style element."""
    if owner.tag == qn("w:pPr"):
        return owner
    order = STYLE_ORDER if owner.tag == qn("w:style") else ("w:pPr",)
    return get_or_put(owner, "w:pPr", order)


def _rpr(owner: BaseOxmlElement) -> BaseOxmlElement:
    """The ``w:rPr`` of a run, style or ``w:rPrDefault`` element."""
    if owner.tag == qn("w:rPr"):
        return owner
    if owner.tag == qn("w:r"):
        return owner.get_or_add_rPr()
    order = STYLE_ORDER if owner.tag == qn("w:style") else TBLSTYLEPR_ORDER
    if owner.tag == qn("w:rPrDefault"):
        order = ("w:rPr",)
    return get_or_put(owner, "w:rPr", order)


# --------------------------------------------------------------------------
# Styles of paragraphs and runs
# --------------------------------------------------------------------------


def set_paragraph_style(paragraph: BaseOxmlElement, style_id: str) -> None:
    """Point a ``w:p`` at a paragraph style by id (no lookup by name)."""
    ppr = paragraph.find(qn("w:pPr"))
    if ppr is None:
        ppr = element("w:pPr")
        paragraph.insert(0, ppr)
    put(ppr, element("w:pStyle", {"w:val": style_id}), PPR_ORDER)


_XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"


def new_run(
    text: str = "",
    *,
    style_id: str | None = None,
    bold: bool = False,
    italic: bool = False,
) -> BaseOxmlElement:
    """A ``w:r`` holding ``text``, optionally in a character style, bold or italic.

    Tabs and line breaks become ``w:tab`` and ``w:br``; the rest is literal text.
    """
    run = OxmlElement("w:r")
    if style_id or bold or italic:
        rpr = element("w:rPr")
        if style_id:
            rpr.append(element("w:rStyle", {"w:val": style_id}))
        if bold:
            rpr.append(element("w:b"))
        if italic:
            rpr.append(element("w:i"))
        run.append(rpr)
    for line_index, line in enumerate(text.split("\n")):
        if line_index:
            run.append(element("w:br"))
        for index, piece in enumerate(line.split("\t")):
            if index:
                run.append(element("w:tab"))
            if piece:
                t = element("w:t")
                t.set(_XML_SPACE, "preserve")
                t.text = piece
                run.append(t)
    return run


def page_break_run() -> BaseOxmlElement:
    run = OxmlElement("w:r")
    run.append(element("w:br", {"w:type": "page"}))
    return run


# --------------------------------------------------------------------------
# Hyperlinks, bookmarks and fields
# --------------------------------------------------------------------------


def new_hyperlink(part: Part, url: str) -> BaseOxmlElement:
    """A ``w:hyperlink`` to ``url`` through an external relationship of ``part``."""
    rel_id = part.relate_to(url, RT.HYPERLINK, is_external=True)
    return element("w:hyperlink", {"r:id": rel_id, "w:history": "1"})


def bookmark_start(bookmark_id: int, name: str) -> BaseOxmlElement:
    return element("w:bookmarkStart", {"w:id": str(bookmark_id), "w:name": name})


def bookmark_end(bookmark_id: int) -> BaseOxmlElement:
    return element("w:bookmarkEnd", {"w:id": str(bookmark_id)})


def field_runs(
    instruction: str,
    result: str,
    *,
    style_id: str | None = None,
    dirty: bool = False,
) -> list[BaseOxmlElement]:
    """The runs of a complex field showing ``result`` until Word updates it."""
    begin = new_run(style_id=style_id)
    begin_attrs = {"w:fldCharType": "begin"}
    if dirty:
        begin_attrs["w:dirty"] = "true"
    begin.append(element("w:fldChar", begin_attrs))
    instr = new_run(style_id=style_id)
    instr_text = element("w:instrText")
    instr_text.set(_XML_SPACE, "preserve")
    instr_text.text = f" {instruction} "
    instr.append(instr_text)
    separate = new_run(style_id=style_id)
    separate.append(element("w:fldChar", {"w:fldCharType": "separate"}))
    shown = new_run(result, style_id=style_id)
    end = new_run(style_id=style_id)
    end.append(element("w:fldChar", {"w:fldCharType": "end"}))
    return [begin, instr, separate, shown, end]


# --------------------------------------------------------------------------
# Footnotes
# --------------------------------------------------------------------------

_FOOTNOTES_XML = (
    f"<w:footnotes {nsdecls('w', 'r')}>"
    '<w:footnote w:type="separator" w:id="-1"><w:p><w:pPr>'
    '<w:spacing w:after="0" w:line="240" w:lineRule="auto"/></w:pPr>'
    "<w:r><w:separator/></w:r></w:p></w:footnote>"
    '<w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:pPr>'
    '<w:spacing w:after="0" w:line="240" w:lineRule="auto"/></w:pPr>'
    "<w:r><w:continuationSeparator/></w:r></w:p></w:footnote>"
    "</w:footnotes>"
)


def new_footnotes_part(document_part: Part) -> XmlPart:
    """A fresh ``word/footnotes.xml`` holding only the two separator notes
    Word needs, related to ``document_part`` (replacing any earlier one)."""
    for rel_id, rel in list(document_part.rels.items()):
        if rel.reltype == RT.FOOTNOTES:
            del document_part.rels[rel_id]
    part = XmlPart(
        PackURI("/word/footnotes.xml"),
        CT.WML_FOOTNOTES,
        parse_xml(_FOOTNOTES_XML),
        document_part.package,
    )
    document_part.relate_to(part, RT.FOOTNOTES)
    return part


def add_footnote(footnotes: BaseOxmlElement, note_id: int) -> BaseOxmlElement:
    """Append an empty ``w:footnote`` with ``note_id``; the caller fills it."""
    note = element("w:footnote", {"w:id": str(note_id)})
    footnotes.append(note)
    return note


def footnote_reference_run(note_id: int, style_id: str) -> BaseOxmlElement:
    """The run in the text that calls footnote ``note_id``."""
    run = new_run(style_id=style_id)
    run.append(element("w:footnoteReference", {"w:id": str(note_id)}))
    return run


def footnote_mark_run(style_id: str) -> BaseOxmlElement:
    """The run that shows the note's own number at the start of its text."""
    run = new_run(style_id=style_id)
    run.append(element("w:footnoteRef"))
    return run


def declare_footnote_separators(settings: BaseOxmlElement) -> None:
    """List the separator notes in settings, as Word itself does."""
    footnote_pr = element("w:footnotePr")
    for note_id in ("-1", "0"):
        footnote_pr.append(element("w:footnote", {"w:id": note_id}))
    put(settings, footnote_pr, SETTINGS_ORDER)


def request_field_update(settings: BaseOxmlElement) -> None:
    """Ask Word to refresh fields (contents, page counts) when it opens the file."""
    put(settings, element("w:updateFields", {"w:val": "true"}), SETTINGS_ORDER)


# --------------------------------------------------------------------------
# List numbering
# --------------------------------------------------------------------------

ListKind = Literal["bullet", "numbered", "headings"]

_LEVEL_FORMATS: dict[ListKind, tuple[tuple[str, str], ...]] = {
    "bullet": (("bullet", "\u2022"), ("bullet", "\u2013"), ("bullet", "\u2022")),
    "numbered": (("decimal", "%1."), ("lowerLetter", "%2."), ("lowerRoman", "%3.")),
    # section numbers: 1, 1.1, 1.1.1, followed by a space, no indent
    "headings": (("decimal", "%1"), ("decimal", "%1.%2"), ("decimal", "%1.%2.%3")),
}


def add_abstract_numbering(
    numbering: BaseOxmlElement,
    kind: ListKind,
    *,
    style_ids: Sequence[str] = (),
    marker_font: str | None = None,
    indent_step: int = 360,
    indent_start: int = 0,
) -> int:
    """Define a three-level list kind; returns its ``abstractNumId``.

    ``style_ids`` link levels to paragraph styles (level 0 to the first),
    the way Word's own List Bullet / List Number styles are linked.  Level
    indents start at ``indent_start`` twips (lists inside an indented box).
    """
    existing = [
        int(a.get(qn("w:abstractNumId")))
        for a in numbering.findall(qn("w:abstractNum"))
    ]
    abstract_id = max(existing, default=-1) + 1
    abstract = element("w:abstractNum", {"w:abstractNumId": str(abstract_id)})
    abstract.append(element("w:nsid", {"w:val": f"{0x5B1E0000 + abstract_id:08X}"}))
    abstract.append(element("w:multiLevelType", {"w:val": "hybridMultilevel"}))
    for level, (fmt, text) in enumerate(_LEVEL_FORMATS[kind]):
        lvl = element("w:lvl", {"w:ilvl": str(level)})
        lvl.append(element("w:start", {"w:val": "1"}))
        lvl.append(element("w:numFmt", {"w:val": fmt}))
        if level < len(style_ids):
            lvl.append(element("w:pStyle", {"w:val": style_ids[level]}))
        if kind == "headings":
            lvl.append(element("w:suff", {"w:val": "space"}))
        lvl.append(element("w:lvlText", {"w:val": text}))
        lvl.append(element("w:lvlJc", {"w:val": "left"}))
        ppr = element("w:pPr")
        if kind == "headings":
            ppr.append(element("w:ind", {"w:left": "0", "w:firstLine": "0"}))
        else:
            left = indent_start + indent_step * (level + 1)
            ppr.append(
                element("w:ind", {"w:left": str(left), "w:hanging": str(indent_step)})
            )
        lvl.append(ppr)
        if fmt == "bullet" and marker_font:
            rpr = element("w:rPr")
            rpr.append(
                element(
                    "w:rFonts",
                    {
                        "w:ascii": marker_font,
                        "w:hAnsi": marker_font,
                        "w:hint": "default",
                    },
                )
            )
            lvl.append(rpr)
        abstract.append(lvl)
    nums = numbering.findall(qn("w:num"))
    if nums:
        nums[0].addprevious(abstract)
    else:
        numbering.append(abstract)
    return abstract_id


def clear_numbering(numbering: BaseOxmlElement) -> None:
    for child in list(numbering):
        if child.tag in (qn("w:abstractNum"), qn("w:num")):
            numbering.remove(child)


def add_numbering_instance(
    numbering: BaseOxmlElement, abstract_id: int, *, restart_levels: int = 0
) -> int:
    """A new ``w:num`` over ``abstract_id``; returns its ``numId``.

    With ``restart_levels`` the first that many levels start again at 1, so
    that each numbered list counts from one instead of continuing the last.
    """
    num = numbering.add_num(abstract_id)
    for level in range(restart_levels):
        num.add_lvlOverride(ilvl=level).add_startOverride(1)
    return int(num.numId)


def style_numbering(style: BaseOxmlElement) -> tuple[int, int] | None:
    """The ``(numId, ilvl)`` a paragraph style applies, or None."""
    num_pr = style.find(f"{qn('w:pPr')}/{qn('w:numPr')}")
    if num_pr is None:
        return None
    num_id = num_pr.find(qn("w:numId"))
    ilvl = num_pr.find(qn("w:ilvl"))
    if num_id is None:
        return None
    level = int(ilvl.get(qn("w:val"))) if ilvl is not None else 0
    return int(num_id.get(qn("w:val"))), level


def abstract_numbering_of(numbering: BaseOxmlElement, num_id: int) -> int | None:
    """The ``abstractNumId`` behind ``num_id``, or None if it is not defined."""
    for num in numbering.findall(qn("w:num")):
        if num.get(qn("w:numId")) == str(num_id):
            return int(num.find(qn("w:abstractNumId")).get(qn("w:val")))
    return None


def set_numbering(target: BaseOxmlElement, num_id: int, level: int) -> None:
    """Give a paragraph (``w:p``) or paragraph style (``w:style``) a list level."""
    ppr = target.get_or_add_pPr() if target.tag == qn("w:p") else _ppr(target)
    num_pr = element("w:numPr")
    num_pr.append(element("w:ilvl", {"w:val": str(level)}))
    num_pr.append(element("w:numId", {"w:val": str(num_id)}))
    put(ppr, num_pr, PPR_ORDER)


# --------------------------------------------------------------------------
# Tables
# --------------------------------------------------------------------------


def set_table_layout(
    table: BaseOxmlElement,
    *,
    style_id: str,
    column_widths: Sequence[int],
    header_row: bool,
) -> None:
    """Style, full text width, fixed column grid (twips) and style options."""
    tbl_pr = table.tblPr
    put(tbl_pr, element("w:tblStyle", {"w:val": style_id}), TBLPR_ORDER)
    put(tbl_pr, element("w:tblW", {"w:w": "5000", "w:type": "pct"}), TBLPR_ORDER)
    put(
        tbl_pr,
        element(
            "w:tblLook",
            {
                "w:val": "0620" if header_row else "0600",
                "w:firstRow": "1" if header_row else "0",
                "w:lastRow": "0",
                "w:firstColumn": "0",
                "w:lastColumn": "0",
                "w:noHBand": "1",
                "w:noVBand": "1",
            },
        ),
        TBLPR_ORDER,
    )
    grid = table.tblGrid
    for col, width in zip(grid.findall(qn("w:gridCol")), column_widths):
        col.set(qn("w:w"), str(width))
    for row in table.tr_lst:
        for cell, width in zip(row.tc_lst, column_widths):
            tc_pr = cell.get_or_add_tcPr()
            put(
                tc_pr,
                element("w:tcW", {"w:w": str(width), "w:type": "dxa"}),
                TCPR_ORDER,
            )


def set_row_flags(row: BaseOxmlElement, *, header: bool) -> None:
    """Keep a row on one page; a header row also repeats on every page."""
    tr_pr = row.get_or_add_trPr()
    tr_pr.append(element("w:cantSplit"))
    if header:
        tr_pr.append(element("w:tblHeader"))


def set_table_alt_text(table: BaseOxmlElement, title: str, description: str) -> None:
    tbl_pr = table.tblPr
    if title:
        put(tbl_pr, element("w:tblCaption", {"w:val": title}), TBLPR_ORDER)
    if description:
        put(tbl_pr, element("w:tblDescription", {"w:val": description}), TBLPR_ORDER)


# --------------------------------------------------------------------------
# Pictures
# --------------------------------------------------------------------------


def set_picture_alt_text(
    inline: BaseOxmlElement, description: str, title: str = ""
) -> None:
    """Alt text of an inline picture (``wp:docPr`` ``descr``/``title``)."""
    doc_pr = inline.docPr
    doc_pr.set("descr", description)
    if title:
        doc_pr.set("title", title)


# --------------------------------------------------------------------------
# Style definitions (used when building the reference document and when a
# document's language is set)
# --------------------------------------------------------------------------


def set_fonts(owner: BaseOxmlElement, latin: str, east_asian: str) -> None:
    """Explicit fonts for Latin, East Asian and complex scripts.

    Theme font attributes are dropped because Word lets them win over the
    explicit names.
    """
    put(
        _rpr(owner),
        element(
            "w:rFonts",
            {
                "w:ascii": latin,
                "w:hAnsi": latin,
                "w:eastAsia": east_asian,
                "w:cs": latin,
            },
        ),
        RPR_ORDER,
    )


def set_language(
    owner: BaseOxmlElement, lang: str, east_asian_lang: str, complex_script_lang: str = "ar-SA"
) -> None:
    """``w:lang``: the language of Latin, East Asian and complex-script
    (Arabic, Hebrew...) text, which Word checks and shapes separately."""
    put(
        _rpr(owner),
        element(
            "w:lang",
            {
                "w:val": lang,
                "w:eastAsia": east_asian_lang,
                "w:bidi": complex_script_lang,
            },
        ),
        RPR_ORDER,
    )


def replace_east_asian_font(root: BaseOxmlElement, old: str, new: str) -> None:
    """Replace ``old`` by ``new`` in every East Asian font name under ``root``."""
    attribute = qn("w:eastAsia")
    for fonts in root.iter(qn("w:rFonts")):
        name = fonts.get(attribute)
        if name and old in name:
            fonts.set(attribute, name.replace(old, new))


def set_letter_spacing(owner: BaseOxmlElement, twentieths: int) -> None:
    put(_rpr(owner), element("w:spacing", {"w:val": str(twentieths)}), RPR_ORDER)


def set_run_vertical_align(owner: BaseOxmlElement, value: str) -> None:
    put(_rpr(owner), element("w:vertAlign", {"w:val": value}), RPR_ORDER)


def set_paragraph_borders(
    owner: BaseOxmlElement, borders: Mapping[Side, Border]
) -> None:
    """Paragraph borders; paragraphs with equal borders share one box."""
    pbdr = element("w:pBdr")
    for side in BORDER_SIDES:
        if side in borders:
            pbdr.append(_border(side, borders[side]))
    put(_ppr(owner), pbdr, PPR_ORDER)


def set_paragraph_shading(owner: BaseOxmlElement, fill: str) -> None:
    put(_ppr(owner), _shading(fill), PPR_ORDER)


def set_tab_stops(
    owner: BaseOxmlElement, stops: Iterable[tuple[str, int, str]]
) -> None:
    """Tab stops as ``(alignment, position in twips, leader)``."""
    tabs = element("w:tabs")
    for align, position, leader in stops:
        tabs.append(
            element(
                "w:tab", {"w:val": align, "w:pos": str(position), "w:leader": leader}
            )
        )
    put(_ppr(owner), tabs, PPR_ORDER)


def set_table_style_properties(
    style: BaseOxmlElement,
    *,
    borders: Mapping[Side, Border],
    cell_margins: Mapping[Side, int],
    shading: str | None = None,
) -> None:
    """Whole-table borders, cell margins (twips) and cell shading of a table style."""
    tbl_pr = get_or_put(style, "w:tblPr", STYLE_ORDER)
    put(tbl_pr, _table_borders("w:tblBorders", borders), TBLPR_ORDER)
    margins = element("w:tblCellMar")
    for side in ("top", "left", "bottom", "right"):
        if side in cell_margins:
            margins.append(
                element(f"w:{side}", {"w:w": str(cell_margins[side]), "w:type": "dxa"})
            )
    put(tbl_pr, margins, TBLPR_ORDER)
    if shading:
        tc_pr = get_or_put(style, "w:tcPr", STYLE_ORDER)
        put(tc_pr, _shading(shading), TCPR_ORDER)


def add_table_style_condition(
    style: BaseOxmlElement,
    condition: str,
    *,
    bold: bool = False,
    color: str | None = None,
    shading: str | None = None,
    cell_borders: Mapping[Side, Border] | None = None,
    repeat_header: bool = False,
) -> None:
    """Formatting a table style applies to one part of a table (``firstRow``...)."""
    cond = element("w:tblStylePr", {"w:type": condition})
    if bold or color:
        rpr = element("w:rPr")
        if bold:
            rpr.append(element("w:b"))
            rpr.append(element("w:bCs"))
        if color:
            rpr.append(element("w:color", {"w:val": color}))
        cond.append(rpr)
    if repeat_header:
        tr_pr = element("w:trPr")
        tr_pr.append(element("w:tblHeader"))
        cond.append(tr_pr)
    if shading or cell_borders:
        tc_pr = element("w:tcPr")
        if cell_borders:
            tc_pr.append(_table_borders("w:tcBorders", cell_borders))
        if shading:
            tc_pr.append(_shading(shading))
        cond.append(tc_pr)
    style.append(cond)


def _border(side: str, spec: Border) -> BaseOxmlElement:
    kind, size, color, space = spec
    return element(
        f"w:{side}",
        {
            "w:val": kind,
            "w:sz": str(size),
            "w:space": str(space),
            "w:color": color,
        },
    )


def _table_borders(tag: str, borders: Mapping[Side, Border]) -> BaseOxmlElement:
    box = element(tag)
    for side in TABLE_BORDER_SIDES:
        if side in borders:
            box.append(_border(side, borders[side]))
    return box


def _shading(fill: str) -> BaseOxmlElement:
    return element("w:shd", {"w:val": "clear", "w:color": "auto", "w:fill": fill})


def remove_children(owner: BaseOxmlElement, tags: Iterable[str]) -> None:
    for tag in tags:
        for child in owner.findall(qn(tag)):
            owner.remove(child)


def doc_defaults_rpr(styles: BaseOxmlElement) -> BaseOxmlElement:
    """The document-wide default run properties in ``styles.xml``."""
    defaults = styles.find(qn("w:docDefaults"))
    if defaults is None:
        defaults = element("w:docDefaults")
        styles.insert(0, defaults)
    rpr_default = defaults.find(qn("w:rPrDefault"))
    if rpr_default is None:
        rpr_default = element("w:rPrDefault")
        defaults.insert(0, rpr_default)
    return _rpr(rpr_default)


def doc_defaults_ppr(styles: BaseOxmlElement) -> BaseOxmlElement:
    defaults = styles.find(qn("w:docDefaults"))
    doc_defaults_rpr(styles)
    ppr_default = defaults.find(qn("w:pPrDefault"))
    if ppr_default is None:
        ppr_default = element("w:pPrDefault")
        defaults.append(ppr_default)
    found = ppr_default.find(qn("w:pPr"))
    if found is None:
        found = element("w:pPr")
        ppr_default.append(found)
    return found


def inline_content_control(sink: BaseOxmlElement, *, tag: str, title: str) -> BaseOxmlElement:
    """Append an inline content control (``w:sdt``) to ``sink``; return its content.

    Word keeps a content control whole while the text around it is edited,
    and its tag survives a round trip, so generated text (a formatted
    citation) can be recognised and replaced by what the author wrote.
    The content may be deleted as a whole but not edited piecemeal.
    """
    sdt = element("w:sdt")
    pr = element("w:sdtPr")
    pr.append(element("w:alias", {"w:val": title}))
    pr.append(element("w:tag", {"w:val": tag}))
    pr.append(element("w:lock", {"w:val": "sdtContentLocked"}))
    sdt.append(pr)
    content = element("w:sdtContent")
    sdt.append(content)
    sink.append(sdt)
    return content
