"""Build ``templates/reference.docx``, the style template of the Word writer.

The reference document starts from python-docx's default template and is
given every style the writer uses, in the house look: Noto Serif body,
Noto Sans headings and labels, Noto CJK for East Asian text, and the house
palette.  Editors restyle generated briefs by changing these styles, so the
writer itself never formats text directly.

Run from the project root::

    .venv/bin/python tools/make_reference_docx.py [OUTPUT]

The output is byte-identical from run to run.
"""

from __future__ import annotations

import datetime as dt
import io
import sys
from dataclasses import dataclass
from pathlib import Path

import docx
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor, Twips

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from briefgen.writers import ooxml
from briefgen.writers.docx import REQUIRED_STYLES, WORD_BUILTIN_NAMES, normalize_zip

NAVY = "1B365D"
TEAL = "2E7D7A"
OCHRE = "D19A2B"
SLATE = "7A8A99"
RUST = "B5533C"
PANEL = "EEF2F6"
RULE = "C9D3DD"
TEXT = "1A1A1A"
NOTE_PANEL = "FBF3E2"  # a pale ochre for editor's notes

SERIF = ("Noto Serif", "Noto Serif CJK SC")
SANS = ("Noto Sans", "Noto Sans CJK SC")

PAGE_WIDTH, PAGE_HEIGHT = Mm(210), Mm(297)
MARGIN = Mm(25)
TEXT_WIDTH = (PAGE_WIDTH - 2 * MARGIN) // 635  # twips
BOX_INDENT = 170  # twips: keeps box borders inside the text block

PARAGRAPH = WD_STYLE_TYPE.PARAGRAPH
CHARACTER = WD_STYLE_TYPE.CHARACTER
TABLE = WD_STYLE_TYPE.TABLE


@dataclass(frozen=True)
class Look:
    """The formatting of one style; None leaves a property unset."""

    font: tuple[str, str] | None = None
    size: float | None = None
    bold: bool | None = None
    italic: bool | None = None
    caps: bool | None = None
    color: str | None = None
    tracking: int | None = None  # letter spacing, twentieths of a point
    before: float | None = None  # points
    after: float | None = None
    line: float | None = None  # multiple of single spacing
    keep_next: bool | None = None
    keep_lines: bool | None = None
    align: WD_ALIGN_PARAGRAPH | None = None
    left: int | None = None  # twips
    right: int | None = None
    hanging: int | None = None
    box: dict | None = None  # paragraph borders by side
    shading: str | None = None
    outline: int | None = None
    superscript: bool = False
    underline: bool = False


def _box(left: tuple[str, int, str, int]) -> dict:
    """A shaded panel with an accent rule on the left; paragraphs with equal
    borders join into one box."""
    thin = ("single", 4, PANEL, 4)
    return {"top": thin, "left": left, "bottom": thin, "right": ("single", 4, PANEL, 8)}


SUMMARY_BOX = _box(("single", 24, NAVY, 8))
CALLOUT_BOX = _box(("single", 24, TEAL, 8))
NOTE_BOX = {
    side: ("single", 12, OCHRE, 4) for side in ("top", "left", "bottom", "right")
}

#: name -> (kind, based on, look)
STYLES: dict[str, tuple[WD_STYLE_TYPE, str | None, Look]] = {
    "Normal": (PARAGRAPH, None, Look()),
    "Body Text": (PARAGRAPH, "Normal", Look(after=8)),
    "Title": (
        PARAGRAPH,
        "Normal",
        Look(
            font=SANS,
            size=24,
            bold=True,
            color=NAVY,
            before=0,
            after=6,
            line=1.05,
            keep_next=True,
        ),
    ),
    "Subtitle": (
        PARAGRAPH,
        "Normal",
        Look(
            font=SANS, size=13, color=TEAL, before=0, after=10, line=1.1, keep_next=True
        ),
    ),
    "Heading 1": (
        PARAGRAPH,
        "Normal",
        Look(
            font=SANS,
            size=15,
            bold=True,
            color=NAVY,
            before=20,
            after=6,
            line=1.1,
            keep_next=True,
            keep_lines=True,
            outline=0,
            box={"bottom": ("single", 4, RULE, 2)},
        ),
    ),
    "Heading 2": (
        PARAGRAPH,
        "Normal",
        Look(
            font=SANS,
            size=12.5,
            bold=True,
            color=NAVY,
            before=14,
            after=4,
            line=1.1,
            keep_next=True,
            keep_lines=True,
            outline=1,
        ),
    ),
    "Heading 3": (
        PARAGRAPH,
        "Normal",
        Look(
            font=SANS,
            size=11,
            bold=True,
            color=TEAL,
            before=10,
            after=3,
            line=1.1,
            keep_next=True,
            keep_lines=True,
            outline=2,
        ),
    ),
    "List Bullet": (PARAGRAPH, "Normal", Look(after=3)),
    "List Bullet 2": (PARAGRAPH, "Normal", Look(after=3)),
    "List Bullet 3": (PARAGRAPH, "Normal", Look(after=3)),
    "List Number": (PARAGRAPH, "Normal", Look(after=3)),
    "List Number 2": (PARAGRAPH, "Normal", Look(after=3)),
    "List Number 3": (PARAGRAPH, "Normal", Look(after=3)),
    "Quote": (
        PARAGRAPH,
        "Normal",
        Look(
            size=11,
            italic=True,
            color=NAVY,
            before=6,
            after=2,
            left=567,
            right=567,
            box={"left": ("single", 18, TEAL, 10)},
        ),
    ),
    "Quote Attribution": (
        PARAGRAPH,
        "Normal",
        Look(
            font=SANS,
            size=9,
            color=NAVY,
            after=10,
            right=567,
            align=WD_ALIGN_PARAGRAPH.RIGHT,
        ),
    ),
    "Caption": (
        PARAGRAPH,
        "Normal",
        Look(
            font=SANS,
            size=9,
            bold=False,
            italic=False,
            color=NAVY,
            before=4,
            after=4,
            line=1.1,
            keep_next=True,
        ),
    ),
    "Block Source": (PARAGRAPH, "Caption", Look(before=0, after=6, keep_next=False)),
    "Figure": (
        PARAGRAPH,
        "Normal",
        Look(
            before=4, after=4, line=1.0, keep_next=True, align=WD_ALIGN_PARAGRAPH.CENTER
        ),
    ),
    "Table Text": (
        PARAGRAPH,
        "Normal",
        Look(font=SANS, size=9, color=TEXT, before=0, after=0, line=1.1),
    ),
    "Table Text Center": (
        PARAGRAPH,
        "Table Text",
        Look(align=WD_ALIGN_PARAGRAPH.CENTER),
    ),
    "Table Text Right": (PARAGRAPH, "Table Text", Look(align=WD_ALIGN_PARAGRAPH.RIGHT)),
    "Table Heading": (
        PARAGRAPH,
        "Table Text",
        Look(bold=True, color=NAVY, keep_next=True),
    ),
    "Table Heading Center": (
        PARAGRAPH,
        "Table Heading",
        Look(align=WD_ALIGN_PARAGRAPH.CENTER),
    ),
    "Table Heading Right": (
        PARAGRAPH,
        "Table Heading",
        Look(align=WD_ALIGN_PARAGRAPH.RIGHT),
    ),
    "Footnote Text": (PARAGRAPH, "Normal", Look(size=8.5, before=0, after=2, line=1.0)),
    "Footnote Reference": (CHARACTER, None, Look(superscript=True)),
    "TOC Heading": (
        PARAGRAPH,
        "Normal",
        Look(
            font=SANS,
            size=10,
            bold=True,
            caps=True,
            tracking=10,
            color=NAVY,
            before=14,
            after=4,
            keep_next=True,
        ),
    ),
    "TOC 1": (PARAGRAPH, "Normal", Look(font=SANS, size=10, before=2, after=2)),
    "TOC 2": (
        PARAGRAPH,
        "Normal",
        Look(font=SANS, size=9.5, before=0, after=1, left=240),
    ),
    "TOC 3": (
        PARAGRAPH,
        "Normal",
        Look(font=SANS, size=9, before=0, after=1, left=480),
    ),
    "Hyperlink": (CHARACTER, None, Look(color=TEAL, underline=True)),
    "Header": (
        PARAGRAPH,
        "Normal",
        Look(font=SANS, size=8, color=NAVY, before=0, after=0, line=1.0),
    ),
    "Footer": (
        PARAGRAPH,
        "Normal",
        Look(font=SANS, size=8, color=NAVY, before=0, after=0, line=1.0),
    ),
    "Marking": (
        PARAGRAPH,
        "Normal",
        Look(
            font=SANS,
            size=9,
            bold=True,
            caps=True,
            tracking=20,
            color=TEXT,
            before=0,
            after=2,
            line=1.0,
            align=WD_ALIGN_PARAGRAPH.CENTER,
        ),
    ),
    "Draft Mark": (
        PARAGRAPH,
        "Normal",
        Look(
            font=SANS,
            size=10,
            bold=True,
            caps=True,
            tracking=60,
            color=RUST,
            before=0,
            after=2,
            line=1.0,
            align=WD_ALIGN_PARAGRAPH.CENTER,
        ),
    ),
    "Cover Meta": (
        PARAGRAPH,
        "Normal",
        Look(font=SANS, size=9.5, color=TEXT, before=0, after=1, line=1.1),
    ),
    "Summary Heading": (
        PARAGRAPH,
        "Normal",
        Look(
            font=SANS,
            size=9.5,
            bold=True,
            caps=True,
            tracking=10,
            color=NAVY,
            before=16,
            after=3,
            keep_next=True,
            left=BOX_INDENT,
            right=BOX_INDENT,
            box=SUMMARY_BOX,
            shading=PANEL,
        ),
    ),
    "Summary": (
        PARAGRAPH,
        "Normal",
        Look(
            size=11,
            after=6,
            left=BOX_INDENT,
            right=BOX_INDENT,
            box=SUMMARY_BOX,
            shading=PANEL,
        ),
    ),
    "Key Takeaways Heading": (
        PARAGRAPH,
        "Normal",
        Look(
            font=SANS,
            size=9.5,
            bold=True,
            caps=True,
            tracking=10,
            color=TEAL,
            before=14,
            after=4,
            keep_next=True,
            box={"top": ("single", 12, TEAL, 6)},
        ),
    ),
    "Key Takeaway": (PARAGRAPH, "Normal", Look(after=3)),
    "Key Figure Value": (
        PARAGRAPH,
        "Normal",
        Look(font=SANS, size=20, bold=True, color=NAVY, before=2, after=0, line=1.0),
    ),
    "Key Figure Label": (
        PARAGRAPH,
        "Normal",
        Look(font=SANS, size=9, color=TEXT, before=0, after=2, line=1.1),
    ),
    "Key Figure Note": (
        PARAGRAPH,
        "Normal",
        Look(font=SANS, size=8, italic=True, color=NAVY, before=0, after=2, line=1.1),
    ),
    "Callout Title": (
        PARAGRAPH,
        "Normal",
        Look(
            font=SANS,
            size=10,
            bold=True,
            color=NAVY,
            before=10,
            after=3,
            keep_next=True,
            left=BOX_INDENT,
            right=BOX_INDENT,
            box=CALLOUT_BOX,
            shading=PANEL,
        ),
    ),
    "Callout Text": (
        PARAGRAPH,
        "Normal",
        Look(
            size=10,
            after=4,
            left=BOX_INDENT,
            right=BOX_INDENT,
            box=CALLOUT_BOX,
            shading=PANEL,
        ),
    ),
    "Callout List Bullet": (PARAGRAPH, "Callout Text", Look(after=2)),
    "Callout List Number": (PARAGRAPH, "Callout Text", Look(after=2)),
    "Editor Note": (
        PARAGRAPH,
        "Normal",
        Look(
            font=SANS,
            size=9.5,
            color=TEXT,
            before=6,
            after=8,
            left=BOX_INDENT,
            right=BOX_INDENT,
            box=NOTE_BOX,
            shading=NOTE_PANEL,
        ),
    ),
    "Source": (PARAGRAPH, "Normal", Look(size=9.5, after=4, left=360, hanging=360)),
    # Word's own name for the works-cited list; a hanging indent, as CSL styles ask
    "Bibliography": (PARAGRAPH, "Normal", Look(size=9.5, after=4, left=567, hanging=567)),
}

BULLET_STYLES = ("List Bullet", "List Bullet 2", "List Bullet 3")
NUMBER_STYLES = ("List Number", "List Number 2", "List Number 3")


def build() -> bytes:
    """The reference document's bytes."""
    document = docx.Document()
    _page_setup(document)
    _drop_extras(document)
    styles = document.styles
    root = styles.element
    _defaults(root)
    for name, (kind, based_on, look) in STYLES.items():
        style = _style(styles, name, kind)
        if based_on:
            style.element.basedOn_val = styles[based_on].style_id
        _apply(style, look)
    _tables(styles)
    _lists(document)
    _metadata(document)
    buffer = io.BytesIO()
    document.save(buffer)
    return normalize_zip(buffer.getvalue())


def _page_setup(document) -> None:
    section = document.sections[0]
    section.page_width, section.page_height = PAGE_WIDTH, PAGE_HEIGHT
    section.left_margin = section.right_margin = MARGIN
    section.top_margin = section.bottom_margin = MARGIN
    section.header_distance = section.footer_distance = Mm(11)
    body = document.element.body
    for child in list(body):
        if child.tag != qn("w:sectPr"):
            body.remove(child)


def _drop_extras(document) -> None:
    """Drop the template's thumbnail of a blank page and its Word 2010
    duplicate of the styles, which would go stale as styles change."""
    package_rels = document.part.package.rels
    for rel_id, rel in list(package_rels.items()):
        if rel.reltype == RT.THUMBNAIL:
            del package_rels[rel_id]
    for rel_id, rel in list(document.part.rels.items()):
        if rel.reltype.endswith("/stylesWithEffects"):
            del document.part.rels[rel_id]
    ooxml.remove_children(document.settings.element, ["w:proofState", "w:rsids"])


def _defaults(root) -> None:
    rpr = ooxml.doc_defaults_rpr(root)
    ooxml.remove_children(rpr, ["w:rFonts", "w:sz", "w:szCs", "w:color"])
    ooxml.set_fonts(rpr, *SERIF)
    ooxml.put(rpr, ooxml.element("w:color", {"w:val": TEXT}), ooxml.RPR_ORDER)
    ooxml.put(rpr, ooxml.element("w:sz", {"w:val": "21"}), ooxml.RPR_ORDER)
    ooxml.put(rpr, ooxml.element("w:szCs", {"w:val": "21"}), ooxml.RPR_ORDER)
    ooxml.set_language(rpr, "en-US", "zh-CN")
    ppr = ooxml.doc_defaults_ppr(root)
    ooxml.put(
        ppr,
        ooxml.element(
            "w:spacing",
            {
                "w:before": "0",
                "w:after": "120",
                "w:line": "288",
                "w:lineRule": "auto",
            },
        ),
        ooxml.PPR_ORDER,
    )


def _style(styles, name: str, kind: WD_STYLE_TYPE):
    word_name = WORD_BUILTIN_NAMES.get(name, name)
    for style in styles:
        if style.name.casefold() == name.casefold():
            break
    else:
        style = styles.add_style(word_name, kind)
        style.style_id = name.replace(" ", "")  # Word's id: "FootnoteText", "TOC1"
    element = style.element
    element.name_val = word_name
    ooxml.remove_children(
        element,
        ["w:pPr", "w:rPr", "w:tblPr", "w:tcPr", "w:trPr", "w:tblStylePr", "w:link"],
    )
    style.hidden = False
    style.unhide_when_used = False
    style.quick_style = kind != TABLE
    return style


def _apply(style, look: Look) -> None:
    element = style.element
    if look.font:
        ooxml.set_fonts(element, *look.font)
    font = style.font
    if look.size is not None:
        font.size = Pt(look.size)
    if look.bold is not None:
        font.bold = look.bold
    if look.italic is not None:
        font.italic = look.italic
    if look.caps is not None:
        font.all_caps = look.caps
    if look.color:
        font.color.rgb = RGBColor.from_string(look.color)
    if look.underline:
        font.underline = True
    if look.tracking is not None:
        ooxml.set_letter_spacing(element, look.tracking)
    if look.superscript:
        ooxml.set_run_vertical_align(element, "superscript")
    if style.type == CHARACTER:
        return
    fmt = style.paragraph_format
    if look.before is not None:
        fmt.space_before = Pt(look.before)
    if look.after is not None:
        fmt.space_after = Pt(look.after)
    if look.line is not None:
        fmt.line_spacing = look.line
    if look.keep_next is not None:
        fmt.keep_with_next = look.keep_next
    if look.keep_lines is not None:
        fmt.keep_together = look.keep_lines
    if look.align is not None:
        fmt.alignment = look.align
    if look.left is not None:
        fmt.left_indent = Twips(look.left)
    if look.right is not None:
        fmt.right_indent = Twips(look.right)
    if look.hanging is not None:
        fmt.first_line_indent = Twips(-look.hanging)
    if look.box:
        ooxml.set_paragraph_borders(element, look.box)
    if look.shading:
        ooxml.set_paragraph_shading(element, look.shading)
    if look.outline is not None:
        ooxml.put(
            element.get_or_add_pPr(),
            ooxml.element("w:outlineLvl", {"w:val": str(look.outline)}),
            ooxml.PPR_ORDER,
        )
    name = style.name
    if name in ("Header", "Footer"):
        ooxml.set_tab_stops(
            element,
            [("center", TEXT_WIDTH // 2, "none"), ("right", TEXT_WIDTH, "none")],
        )
    if name.casefold().startswith("toc "):
        ooxml.set_tab_stops(element, [("right", TEXT_WIDTH, "dot")])


def _tables(styles) -> None:
    brief = _style(styles, "Brief Table", TABLE)
    brief.element.basedOn_val = styles["Normal Table"].style_id
    ooxml.set_table_style_properties(
        brief.element,
        borders={
            "top": ("single", 8, NAVY, 0),
            "bottom": ("single", 8, NAVY, 0),
            "insideH": ("single", 4, RULE, 0),
        },
        cell_margins={"top": 50, "left": 100, "bottom": 50, "right": 100},
    )
    ooxml.add_table_style_condition(
        brief.element,
        "firstRow",
        bold=True,
        color=NAVY,
        shading=PANEL,
        cell_borders={"bottom": ("single", 8, NAVY, 0)},
        repeat_header=True,
    )
    figures = _style(styles, "Key Figures Table", TABLE)
    figures.element.basedOn_val = styles["Normal Table"].style_id
    ooxml.set_table_style_properties(
        figures.element,
        borders={"insideV": ("single", 36, "FFFFFF", 0)},
        cell_margins={"top": 100, "left": 140, "bottom": 100, "right": 140},
        shading=PANEL,
    )


def _lists(document) -> None:
    """One multi-level definition per list kind, linked to the list styles,
    and one each for the key takeaways and the lists inside callouts (each
    list style owns its definition, as Word and LibreOffice expect).

    The writer adds a numbering instance per numbered list so that each one
    restarts at 1; bullet lists share the instance defined here.
    """
    numbering = document.part.numbering_part.element
    ooxml.clear_numbering(numbering)
    styles = document.styles
    bullet_ids = [styles[name].style_id for name in BULLET_STYLES]
    number_ids = [styles[name].style_id for name in NUMBER_STYLES]
    bullet = ooxml.add_abstract_numbering(
        numbering, "bullet", style_ids=bullet_ids, marker_font=SANS[0]
    )
    numbered = ooxml.add_abstract_numbering(numbering, "numbered", style_ids=number_ids)
    bullet_num = ooxml.add_numbering_instance(numbering, bullet)
    numbered_num = ooxml.add_numbering_instance(numbering, numbered)
    for style in styles:
        if style.type == PARAGRAPH and ooxml.style_numbering(style.element):
            ooxml.remove_children(style.element.pPr, ["w:numPr"])
    for level, style_id in enumerate(bullet_ids):
        ooxml.set_numbering(styles.element.get_by_id(style_id), bullet_num, level)
    for level, style_id in enumerate(number_ids):
        ooxml.set_numbering(styles.element.get_by_id(style_id), numbered_num, level)
    for name, kind, indent in (
        ("Key Takeaway", "bullet", 0),
        ("Callout List Bullet", "bullet", BOX_INDENT),
        ("Callout List Number", "numbered", BOX_INDENT),
    ):
        style = styles[name]
        abstract = ooxml.add_abstract_numbering(
            numbering,
            kind,
            style_ids=[style.style_id],
            marker_font=SANS[0],
            indent_start=indent,
        )
        ooxml.set_numbering(
            style.element, ooxml.add_numbering_instance(numbering, abstract), 0
        )


def _metadata(document) -> None:
    props = document.core_properties
    props.title = "briefgen reference document"
    props.subject = ""
    props.author = ""
    props.comments = "Styles for briefs generated by briefgen."
    props.last_modified_by = ""
    props.keywords = ""
    props.category = ""
    props.revision = 1
    props.created = props.modified = dt.datetime(2000, 1, 1)


def main(argv: list[str]) -> int:
    target = Path(argv[0]) if argv else ROOT / "src" / "briefgen" / "templates" / "reference.docx"
    data = build()
    check = docx.Document(io.BytesIO(data))
    names = {style.name.casefold() for style in check.styles}
    missing = [name for name in REQUIRED_STYLES if name.casefold() not in names]
    if missing:
        print(f"error: reference document lacks {', '.join(missing)}", file=sys.stderr)
        return 1
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(data)
    print(f"wrote {target} ({len(data)} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
