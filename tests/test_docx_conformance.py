"""Every point of "Word output an editor can live in", checked on the XML.

Each check runs on the two example briefs in ``content/`` and on the
synthetic brief of ``test_docx_writer`` (which uses every block type), so a
point that holds for one brief but not another is caught.
"""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import pytest
from lxml import etree
from test_docx_writer import make_brief

from briefgen.read import load_brief
from briefgen.model import (
    Block,
    Brief,
    Callout,
    Chart,
    Figure,
    ListBlock,
    Table,
    short_title,
)
from briefgen.textunits import text_units
from briefgen.writers.docx import (
    CONTENTS_PLACEHOLDER,
    EMU_PER_INCH,
    REQUIRED_STYLES,
    render_docx,
    word_language,
)

ROOT = Path(__file__).resolve().parents[1]
REFERENCE = ROOT / "src" / "briefgen" / "templates" / "reference.docx"
EXAMPLES = ("henan-inspection", "solar-system")
NS = {
    "w": "http://schemas.openxmlformats.org/wordprocessingml/2006/main",
    "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
    "wp": "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing",
    "a": "http://schemas.openxmlformats.org/drawingml/2006/main",
    "pic": "http://schemas.openxmlformats.org/drawingml/2006/picture",
    "rel": "http://schemas.openxmlformats.org/package/2006/relationships",
    "cp": "http://schemas.openxmlformats.org/package/2006/metadata/core-properties",
    "dc": "http://purl.org/dc/elements/1.1/",
    "dcterms": "http://purl.org/dc/terms/",
}
W = f"{{{NS['w']}}}"
HYPERLINK_REL = (
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink"
)

#: The direct formatting a generated file may carry, by property element.
#: Paragraphs: a style and a list level (the level is how Word continues a
#: list on Enter).  Runs: a character style, and bold/italic from rich text.
#: Tables: the style, full width, which style options apply, alt text, the
#: column grid; rows: repeat header, do not split.
ALLOWED_PROPERTIES = {
    "pPr": {"pStyle", "numPr"},
    "rPr": {"rStyle", "b", "bCs", "i", "iCs"},
    "tblPr": {"tblStyle", "tblW", "tblLook", "tblCaption", "tblDescription"},
    "trPr": {"cantSplit", "tblHeader"},
    "tcPr": {"tcW"},
}
LIST_STYLE_NAMES = {
    "List Bullet": ("bullet", 0),
    "List Bullet 2": ("bullet", 1),
    "List Number": ("decimal", 0),
    "List Number 2": ("lowerLetter", 1),
    "Callout List Bullet": ("bullet", None),
    "Callout List Number": (None, None),
    "Key Takeaway": ("bullet", 0),
}


@dataclass
class Built:
    """One generated file, with its parts parsed once."""

    name: str
    brief: Brief = field(repr=False)
    data: bytes = field(repr=False)

    @cached_property
    def archive(self) -> dict[str, bytes]:
        with zipfile.ZipFile(io.BytesIO(self.data)) as archive:
            return {n: archive.read(n) for n in archive.namelist()}

    def xml(self, name: str) -> etree._Element:
        return etree.fromstring(self.archive[name])

    def stories(self) -> Iterator[tuple[str, etree._Element]]:
        """document.xml, headers, footers and footnotes: the parts with text."""
        for name in sorted(self.archive):
            if re.fullmatch(
                r"word/(document|header\d+|footer\d+|footnotes)\.xml", name
            ):
                yield name, self.xml(name)

    def rels(self, part: str) -> dict[str, etree._Element]:
        folder, file = part.rsplit("/", 1)
        root = self.xml(f"{folder}/_rels/{file}.rels")
        return {r.get("Id"): r for r in root.findall("rel:Relationship", NS)}

    @cached_property
    def styles(self) -> dict[str, tuple[str, etree._Element]]:
        """Style id -> (name as python-docx shows it, element)."""
        root = self.xml("word/styles.xml")
        out = {}
        for style in root.findall("w:style", NS):
            name = style.find("w:name", NS).get(W + "val")
            out[style.get(W + "styleId")] = (_ui_name(name), style)
        return out

    @cached_property
    def style_ids(self) -> dict[str, str]:
        return {name: sid for sid, (name, _) in self.styles.items()}

    def style_name(self, paragraph: etree._Element) -> str | None:
        sid = paragraph.find("w:pPr/w:pStyle", NS)
        return None if sid is None else self.styles[sid.get(W + "val")][0]

    @cached_property
    def body(self) -> etree._Element:
        return self.xml("word/document.xml").find("w:body", NS)

    @cached_property
    def settings(self) -> etree._Element:
        return self.xml("word/settings.xml")

    @cached_property
    def numbering(self) -> etree._Element:
        return self.xml("word/numbering.xml")


_CANONICAL = {name.casefold(): name for name in REQUIRED_STYLES}


def _ui_name(name: str) -> str:
    """A style's name as the writer knows it (Word writes some in lower case)."""
    return _CANONICAL.get(name.casefold(), name)


def _text(element: etree._Element) -> str:
    return "".join(element.itertext()) if element is not None else ""


def _visible_text(element: etree._Element) -> str:
    return "".join(t.text or "" for t in element.iter(W + "t"))


def _blocks(brief: Brief) -> Iterator[Block]:
    def walk(blocks) -> Iterator[Block]:
        for block in blocks:
            yield block
            if isinstance(block, Callout):
                yield from walk(block.body)

    for section in brief.walk_sections():
        yield from walk(section.body)
    yield from walk(brief.conclusion)


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory) -> Brief:
    return make_brief(tmp_path_factory.mktemp("synthetic"))


@pytest.fixture(scope="module")
def built(synthetic) -> dict[str, Built]:
    briefs = {"synthetic": synthetic}
    for name in EXAMPLES:
        briefs[name] = load_brief(ROOT / "content" / f"{name}.yaml")
    return {
        name: Built(name, brief, render_docx(brief, reference=REFERENCE))
        for name, brief in briefs.items()
    }


@pytest.fixture(params=("synthetic", *EXAMPLES))
def doc(request, built) -> Built:
    return built[request.param]


# -- 1. styles ---------------------------------------------------------------


def test_every_style_in_use_is_a_required_style(doc):
    used: set[str] = set()
    for _, root in doc.stories():
        for tag in ("pStyle", "rStyle", "tblStyle"):
            used |= {e.get(W + "val") for e in root.iter(W + tag)}
    names = {doc.styles[sid][0] for sid in used}
    assert names <= set(REQUIRED_STYLES), names - set(REQUIRED_STYLES)
    assert {"Title", "Body Text", "Heading 1", "TOC 1", "Header", "Footer"} <= names


def test_text_paragraphs_are_styled_never_normal(doc):
    """Every paragraph with text names its style; Normal is only the base."""
    for name, root in doc.stories():
        for paragraph in root.iter(W + "p"):
            style = doc.style_name(paragraph)
            if name == "word/footnotes.xml" and paragraph.getparent().get(W + "type"):
                continue  # the separator notes Word itself requires
            if style is None:
                assert _visible_text(paragraph) == "", (name, _text(paragraph))
                assert paragraph.find(".//w:br[@w:type='page']", NS) is not None
            else:
                assert style != "Normal"


def test_no_direct_formatting_beyond_the_allowed_set(doc):
    for name, root in doc.stories():
        for tag, allowed in ALLOWED_PROPERTIES.items():
            for props in root.iter(W + tag):
                if tag == "pPr" and props.getparent().getparent().get(W + "type"):
                    continue  # separator notes
                children = {etree.QName(child).localname for child in props}
                assert children <= allowed, (name, tag, children - allowed)
        for run in root.iter(W + "r"):
            rpr = run.find("w:rPr", NS)
            if rpr is None:
                continue
            marks = {etree.QName(child).localname for child in rpr} - {"rStyle"}
            if marks:  # bold and italic only on runs that carry text
                assert run.find("w:t", NS) is not None, name


# -- 2. lists ----------------------------------------------------------------


def _num_levels(doc: Built, num_id: str) -> tuple[etree._Element, etree._Element]:
    num = doc.numbering.find(f"w:num[@w:numId='{num_id}']", NS)
    assert num is not None, f"numId {num_id} is not defined"
    abstract_id = num.find("w:abstractNumId", NS).get(W + "val")
    abstract = doc.numbering.find(
        f"w:abstractNum[@w:abstractNumId='{abstract_id}']", NS
    )
    assert abstract is not None
    return num, abstract


def test_list_paragraphs_use_list_styles_and_real_numbering(doc):
    seen = 0
    for paragraph in doc.body.iter(W + "p"):
        style = doc.style_name(paragraph)
        num_pr = paragraph.find("w:pPr/w:numPr", NS)
        if style not in LIST_STYLE_NAMES:
            assert num_pr is None, style
            continue
        seen += 1
        assert num_pr is not None, _text(paragraph)
        level = int(num_pr.find("w:ilvl", NS).get(W + "val"))
        num_id = num_pr.find("w:numId", NS).get(W + "val")
        expected_format, expected_level = LIST_STYLE_NAMES[style]
        if expected_level is not None:
            assert level == expected_level
        assert level in (0, 1)
        _, abstract = _num_levels(doc, num_id)
        lvl = abstract.find(f"w:lvl[@w:ilvl='{level}']", NS)
        fmt = lvl.find("w:numFmt", NS).get(W + "val")
        if expected_format:
            assert fmt == expected_format, (style, fmt)
    assert seen


def test_list_styles_carry_numbering_so_enter_continues_the_list(doc):
    """A paragraph typed after a list item keeps its style, and the style
    alone numbers it: Word and LibreOffice both continue the list."""
    for name in LIST_STYLE_NAMES:
        _, style = doc.styles[doc.style_ids[name]]
        num_pr = style.find("w:pPr/w:numPr", NS)
        assert num_pr is not None, name
        _num_levels(doc, num_pr.find("w:numId", NS).get(W + "val"))
        assert style.find("w:next", NS) is None or style.find("w:next", NS).get(
            W + "val"
        ) == style.get(W + "styleId")


def test_each_numbered_list_restarts_at_one(doc):
    numbered = [
        b
        for b in _blocks(doc.brief)
        if isinstance(b, ListBlock) and b.style == "numbered"
    ]
    ids: list[str] = []
    previous = None
    for paragraph in doc.body.iter(W + "p"):
        style = doc.style_name(paragraph) or ""
        if "List Number" not in style:
            previous = None
            continue
        num_id = paragraph.find("w:pPr/w:numPr/w:numId", NS).get(W + "val")
        if num_id != previous and (not ids or ids[-1] != num_id):
            ids.append(num_id)
        previous = num_id
    assert len(ids) == len(set(ids)) == len(numbered)
    for num_id in ids:
        num, _ = _num_levels(doc, num_id)
        override = num.find("w:lvlOverride[@w:ilvl='0']/w:startOverride", NS)
        assert override is not None and override.get(W + "val") == "1"


# -- 3. footnotes ------------------------------------------------------------


def test_footnotes_are_word_footnotes(doc):
    referenced = [n for n in doc.brief.footnotes if n.number]
    refs = [e.get(W + "id") for e in doc.body.iter(W + "footnoteReference")]
    if not referenced:
        assert refs == [] and "word/footnotes.xml" not in doc.archive
        return
    assert len(refs) == len(set(refs)) == len(referenced)
    notes = doc.xml("word/footnotes.xml")
    bodies = {
        n.get(W + "id"): n
        for n in notes.findall("w:footnote", NS)
        if not n.get(W + "type")
    }
    assert set(bodies) == set(refs)
    for note in referenced:
        body = bodies[str(note.number)]
        first = body.find("w:p", NS)
        assert doc.style_name(first) == "Footnote Text"
        assert first.find(".//w:footnoteRef", NS) is not None  # Word numbers it
        assert note.text.plain().strip()[:40] in _visible_text(body)
    for ref in doc.body.iter(W + "footnoteReference"):
        run = ref.getparent()
        assert _visible_text(run) == ""  # no typed number
        style = run.find("w:rPr/w:rStyle", NS).get(W + "val")
        assert doc.styles[style][0] == "Footnote Reference"
    rel_types = {
        r.get("Type").rsplit("/", 1)[-1] for r in doc.rels("word/document.xml").values()
    }
    assert "footnotes" in rel_types


# -- 4. contents -------------------------------------------------------------


def test_contents_is_a_toc_field_updated_on_open(doc):
    instructions = [_text(e) for e in doc.body.iter(W + "instrText")]
    toc = [i for i in instructions if i.strip().startswith("TOC")]
    assert len(toc) == 1 and '\\o "1-3"' in toc[0] and "\\h" in toc[0]
    begin = doc.body.find(".//w:fldChar[@w:fldCharType='begin']", NS)
    assert begin.get(W + "dirty") == "true"
    assert CONTENTS_PLACEHOLDER in _visible_text(doc.body)
    update = doc.settings.find("w:updateFields", NS)
    assert update is not None and update.get(W + "val") == "true"
    for level in (1, 2, 3):
        _, heading = doc.styles[doc.style_ids[f"Heading {level}"]]
        assert heading.find("w:pPr/w:outlineLvl", NS).get(W + "val") == str(level - 1)
        assert f"TOC {level}" in doc.style_ids


# -- 5. header and footer ----------------------------------------------------


def _furniture(doc: Built, kind: str) -> dict[str, etree._Element]:
    sect = doc.body.find("w:sectPr", NS)
    rels = doc.rels("word/document.xml")
    out = {}
    for ref in sect.findall(f"w:{kind}Reference", NS):
        target = rels[ref.get(f"{{{NS['r']}}}id")].get("Target")
        out[ref.get(W + "type")] = doc.xml(f"word/{target}")
    return out


def test_header_footer_marking_draft_and_page_fields(doc):
    brief = doc.brief
    sect = doc.body.find("w:sectPr", NS)
    assert sect.find("w:titlePg", NS) is not None
    headers, footers = _furniture(doc, "header"), _furniture(doc, "footer")
    assert set(headers) == set(footers) == {"default", "first"}
    for kind in ("default", "first"):
        header_text = _visible_text(headers[kind])
        footer_text = _visible_text(footers[kind])
        assert ("DRAFT" in header_text) == brief.is_draft
        if brief.marking:
            assert brief.marking in header_text and brief.marking in footer_text
            styles = [doc.style_name(p) for p in headers[kind].iter(W + "p")]
            assert styles[0] == "Marking"
        else:
            assert "Marking" not in {
                doc.style_name(p) for p in headers[kind].iter(W + "p")
            }
        instructions = " ".join(_text(e) for e in footers[kind].iter(W + "instrText"))
        assert " PAGE " in instructions and " NUMPAGES " in instructions
        assert "Page " in footer_text and " of " in footer_text
    assert short_title(brief.title) in _visible_text(headers["default"])
    assert short_title(brief.title) not in _visible_text(headers["first"])


# -- 6. tables ---------------------------------------------------------------


def test_tables(doc):
    tables = [b for b in _blocks(doc.brief) if isinstance(b, Table)]
    styled = [
        t
        for t in doc.body.iter(W + "tbl")
        if doc.styles[t.find("w:tblPr/w:tblStyle", NS).get(W + "val")][0]
        == "Brief Table"
    ]
    assert len(styled) == len(tables)
    grid_total = None
    for table, tbl in zip(tables, styled):
        pr = tbl.find("w:tblPr", NS)
        width = pr.find("w:tblW", NS)
        assert (width.get(W + "w"), width.get(W + "type")) == ("5000", "pct")
        assert pr.find("w:tblCaption", NS).get(W + "val")
        assert pr.find("w:tblDescription", NS).get(W + "val")
        widths = [int(c.get(W + "w")) for c in tbl.findall("w:tblGrid/w:gridCol", NS)]
        grid_total = grid_total or sum(widths)
        assert sum(widths) == grid_total  # every table spans the text width
        rows = tbl.findall("w:tr", NS)
        assert len(rows) == len(table.rows) + 1
        assert rows[0].find("w:trPr/w:tblHeader", NS) is not None
        assert all(r.find("w:trPr/w:cantSplit", NS) is not None for r in rows)
        assert all(r.find("w:trPr/w:tblHeader", NS) is None for r in rows[1:])
        suffix = {"left": "", "center": " Center", "right": " Right"}
        for row_index, row in enumerate(rows):
            kind = "Table Heading" if row_index == 0 else "Table Text"
            for cell, column in zip(row.findall("w:tc", NS), table.columns):
                style = doc.style_name(cell.find("w:p", NS))
                assert style == kind + suffix[column.align]
        before = tbl.getprevious()
        if table.caption:
            assert doc.style_name(before) == "Caption"
            assert _visible_text(before) == table.caption.plain()
        after = tbl.getnext()
        if table.note or table.source:
            _, source_style = doc.styles[doc.style_ids[doc.style_name(after)]]
            based_on = source_style.find("w:basedOn", NS).get(W + "val")
            assert doc.styles[based_on][0] == "Caption"
    if grid_total:
        sect = doc.body.find("w:sectPr", NS)
        page = int(sect.find("w:pgSz", NS).get(W + "w"))
        margins = sect.find("w:pgMar", NS)
        text_width = page - int(margins.get(W + "left")) - int(margins.get(W + "right"))
        assert abs(grid_total - text_width) <= 2


# -- 7. links and pictures ---------------------------------------------------


def test_hyperlinks_are_real(doc):
    count = 0
    for name, root in doc.stories():
        links = root.findall(".//w:hyperlink", NS)
        if not links:
            continue
        rels = doc.rels(name)
        for link in links:
            rel = rels[link.get(f"{{{NS['r']}}}id")]
            assert rel.get("Type") == HYPERLINK_REL
            assert rel.get("TargetMode") == "External"
            assert rel.get("Target").startswith(("http://", "https://", "mailto:"))
            for run in link.findall("w:r", NS):
                style = run.find("w:rPr/w:rStyle", NS).get(W + "val")
                assert doc.styles[style][0] == "Hyperlink"
            count += 1
    assert count >= (1 if doc.brief.sources or doc.name != "henan-inspection" else 0)


def test_pictures_inline_with_alt_text_sized_and_sharp(doc):
    pictures = [b for b in _blocks(doc.brief) if isinstance(b, (Figure, Chart))]
    inlines = list(doc.body.iter(f"{{{NS['wp']}}}inline"))
    assert len(inlines) == len(pictures)
    assert not list(doc.body.iter(f"{{{NS['wp']}}}anchor"))  # never floating
    sect = doc.body.find("w:sectPr", NS)
    margins = sect.find("w:pgMar", NS)
    text_width_emu = (
        int(sect.find("w:pgSz", NS).get(W + "w"))
        - int(margins.get(W + "left"))
        - int(margins.get(W + "right"))
    ) * 635
    rels = doc.rels("word/document.xml")
    for block, inline in zip(pictures, inlines):
        descr = inline.find("wp:docPr", NS).get("descr")
        alt = block.alt if isinstance(block, Figure) else block.describe()
        assert descr == alt and descr
        width = int(inline.find("wp:extent", NS).get("cx"))
        assert width <= text_width_emu + 635
        share = (block.width or 100) / 100 if isinstance(block, Figure) else 1.0
        # Sized to the share of the text width, or smaller when too tall.
        assert width <= text_width_emu * share + 635
        if isinstance(block, Chart):
            blip = inline.find(".//a:blip", NS).get(f"{{{NS['r']}}}embed")
            from PIL import Image

            image = Image.open(
                io.BytesIO(doc.archive["word/" + rels[blip].get("Target")])
            )
            assert image.width / (width / EMU_PER_INCH) >= 200  # dpi at printed size


# -- 8. language and scripts ------------------------------------------------


def test_language_and_east_asian_font(doc):
    styles = doc.xml("word/styles.xml")
    defaults = styles.find("w:docDefaults/w:rPrDefault/w:rPr", NS)
    lang = defaults.find("w:lang", NS)
    assert lang.get(W + "val") == word_language(doc.brief.lang)
    assert lang.get(W + "eastAsia")
    assert "CJK" in defaults.find("w:rFonts", NS).get(W + "eastAsia")
    for _, root in doc.stories():
        assert root.find(".//w:lang", NS) is None  # no run overrides the language


# -- 9. metadata and reproducibility ----------------------------------------


def test_core_properties(doc):
    core = doc.xml("docProps/core.xml")
    brief = doc.brief
    assert _text(core.find("dc:title", NS)) == brief.title
    assert _text(core.find("cp:keywords", NS)) == ", ".join(brief.keywords)
    assert _text(core.find("dc:creator", NS)) == "; ".join(brief.authors)
    assert _text(core.find("dc:subject", NS)) == (brief.subtitle or "")
    assert _text(core.find("dc:language", NS)) == brief.lang
    if brief.version:
        assert _text(core.find("cp:version", NS)) == brief.version
    if brief.date:
        assert _text(core.find("dcterms:created", NS)).startswith(
            brief.date.isoformat()
        )
        modified = brief.updated or brief.date
        assert _text(core.find("dcterms:modified", NS)).startswith(modified.isoformat())


def test_byte_identical_on_a_second_build(doc):
    assert render_docx(doc.brief, reference=REFERENCE) == doc.data


# -- 10. LibreOffice round trip ---------------------------------------------


def _soffice(args: list[str], workdir: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation=file://{workdir / 'profile'}",
            "--headless",
            *args,
        ],
        capture_output=True,
        text=True,
        timeout=240,
        check=False,
    )


needs_soffice = pytest.mark.skipif(
    shutil.which("soffice") is None,
    reason="LibreOffice (soffice) is not installed; cannot check the round trip",
)


@pytest.fixture(scope="module")
def pdf_texts(built, tmp_path_factory) -> dict[str, str]:
    """Every built file converted to PDF by LibreOffice in one run: its text
    without the running header and footer (``NAME``) and whole (``NAME:all``)."""
    from pypdf import PdfReader

    workdir = tmp_path_factory.mktemp("libreoffice")
    sources = []
    for name, item in built.items():
        path = workdir / f"{name}.docx"
        path.write_bytes(item.data)
        sources.append(str(path))
    result = _soffice(
        ["--convert-to", "pdf", "--outdir", str(workdir), *sources], workdir
    )
    texts = {}
    for name, item in built.items():
        pdf = workdir / f"{name}.pdf"
        assert pdf.exists(), result.stdout + result.stderr
        furniture = _furniture_lines(item.brief)
        lines = [
            line
            for page in PdfReader(str(pdf)).pages
            for line in (page.extract_text() or "").splitlines()
            if _normalized(line) not in furniture
            and not re.search(r"Page\d+of\d+$", _normalized(line))
        ]
        texts[name] = "\n".join(lines)
        texts[f"{name}:all"] = "\n".join(
            page.extract_text() or "" for page in PdfReader(str(pdf)).pages
        )
    return texts


def _furniture_lines(brief: Brief) -> set[str]:
    lines = {"DRAFT", short_title(brief.title)}
    if brief.marking:
        lines.add(brief.marking)
    return {_normalized(line) for line in lines}


@needs_soffice
def test_libreoffice_converts_with_the_same_text(doc, pdf_texts):
    """Every piece of text is in the PDF LibreOffice makes; running heads are
    set aside so that a paragraph crossing a page still reads as one."""
    body = _normalized(pdf_texts[doc.name])
    everything = _normalized(pdf_texts[f"{doc.name}:all"])
    furniture = _furniture_lines(doc.brief)
    missing = [
        unit
        for unit in text_units(doc.brief)
        if _normalized(unit)
        not in (everything if _normalized(unit) in furniture else body)
    ]
    assert missing == []


def _normalized(text: str) -> str:
    """Text without white space: lines break, and after hyphens, differently
    in a PDF; the characters themselves must all be there, in order."""
    return "".join(text.replace("\u00ad", "").split())
