"""Our Word writer side by side with pandoc's, point by point, on the XML.

Builds a brief (by default ``content/henan-inspection.yaml``) twice: with
briefgen's writer, and with pandoc's docx writer from Markdown generated
from the same model (``--toc``, footnotes).  Then it inspects both files --
styles in use, direct formatting, lists, footnotes, contents, tables,
header and footer, pictures, links, metadata, language, reproducibility --
and prints a Markdown table.  Exit status 1 when pandoc does better on any
point.

pandoc comes from ``pypandoc-binary`` (a bench-only tool)::

    .venv/bin/pip install pypandoc-binary
    .venv/bin/python bench/docx_vs_pandoc.py [BRIEF.yaml ...]
"""

from __future__ import annotations

import io
import os
import re
import subprocess
import sys
import tempfile
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from lxml import etree

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from markdown_from_model import brief_markdown

from briefgen.read import load_brief
from briefgen.writers.docx import render_docx

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NS = {
    "w": W_NS,
    "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
    "wp": "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing",
    "rel": "http://schemas.openxmlformats.org/package/2006/relationships",
    "cp": "http://schemas.openxmlformats.org/package/2006/metadata/core-properties",
    "dc": "http://purl.org/dc/elements/1.1/",
    "dcterms": "http://purl.org/dc/terms/",
}
W = f"{{{W_NS}}}"
#: Property children that are styling choices, not structure (see docs/word.md).
STRUCTURAL = {
    "pPr": {"pStyle", "numPr"},
    "rPr": {"rStyle", "b", "bCs", "i", "iCs"},
}


class Docx:
    """Read-only views of one .docx file's XML."""

    def __init__(self, data: bytes) -> None:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            self.parts = {n: archive.read(n) for n in archive.namelist()}
        self.document = self.xml("word/document.xml")
        self.body = self.document.find("w:body", NS)
        styles = self.xml("word/styles.xml")
        self.styles = {
            s.get(W + "styleId"): s.find("w:name", NS).get(W + "val")
            for s in styles.findall("w:style", NS)
        }
        self.style_xml = styles

    def xml(self, name: str) -> etree._Element | None:
        data = self.parts.get(name)
        return etree.fromstring(data) if data else None

    def rels(self, part: str) -> dict[str, etree._Element]:
        folder, file = part.rsplit("/", 1)
        root = self.xml(f"{folder}/_rels/{file}.rels")
        if root is None:
            return {}
        return {r.get("Id"): r for r in root.findall("rel:Relationship", NS)}

    def stories(self) -> list[etree._Element]:
        names = [
            n
            for n in sorted(self.parts)
            if re.fullmatch(r"word/(document|header\d+|footer\d+|footnotes)\.xml", n)
        ]
        return [self.xml(n) for n in names]

    def style_of(self, paragraph: etree._Element) -> str:
        pstyle = paragraph.find("w:pPr/w:pStyle", NS)
        if pstyle is None:
            return "Normal"
        return self.styles.get(pstyle.get(W + "val"), pstyle.get(W + "val"))

    def text(self, element: etree._Element) -> str:
        return "".join(t.text or "" for t in element.iter(W + "t"))


# -- the points ---------------------------------------------------------------


@dataclass
class Point:
    """One row: a name, how to measure it, and which value is better."""

    name: str
    measure: Callable[[Docx], object]
    better: Callable[[object, object], int]  # >0: first better, 0 equal, <0 second


def more(a, b) -> int:
    return (a > b) - (a < b)


def fewer(a, b) -> int:
    return (a < b) - (a > b)


def yes(a, b) -> int:
    return int(bool(a)) - int(bool(b))


def styles_used(doc: Docx) -> str:
    names = set()
    for story in doc.stories():
        for tag in ("pStyle", "rStyle", "tblStyle"):
            names |= {
                doc.styles.get(e.get(W + "val"), "?") for e in story.iter(W + tag)
            }
    return f"{len(names)}: " + ", ".join(sorted(names, key=str.casefold))


def text_paragraphs_in_normal(doc: Docx) -> int:
    return sum(
        1
        for p in doc.body.iter(W + "p")
        if doc.text(p).strip() and doc.style_of(p) == "Normal"
    )


def direct_formatting(doc: Docx) -> int:
    count = 0
    for story in doc.stories():
        for tag, allowed in STRUCTURAL.items():
            for props in story.iter(W + tag):
                if props.getparent().getparent().get(W + "type"):
                    continue  # footnote separators
                count += sum(
                    1 for c in props if etree.QName(c).localname not in allowed
                )
    return count


def _list_paragraphs(doc: Docx) -> list[etree._Element]:
    return [
        p
        for p in doc.body.iter(W + "p")
        if p.find("w:pPr/w:numPr", NS) is not None
        or "list" in doc.style_of(p).casefold()
        or doc.style_of(p) in ("Compact", "Key Takeaway")
    ]


def list_summary(doc: Docx) -> str:
    items = _list_paragraphs(doc)
    with_num = sum(1 for p in items if p.find("w:pPr/w:numPr", NS) is not None)
    styles = sorted({doc.style_of(p) for p in items})
    return f"{with_num}/{len(items)} items with numPr; styles: {', '.join(styles)}"


def list_quality(doc: Docx) -> int:
    """Items that have numbering *and* a list style (not Normal/Compact)."""
    return sum(
        1
        for p in _list_paragraphs(doc)
        if p.find("w:pPr/w:numPr", NS) is not None
        and ("list" in doc.style_of(p).casefold() or doc.style_of(p) == "Key Takeaway")
    )


def _numbered_lists(doc: Docx) -> tuple[set[str], set[str]]:
    """numIds of numbered (decimal) lists in use, and those restarting at 1."""
    numbering = doc.xml("word/numbering.xml")
    if numbering is None:
        return set(), set()
    used = {e.get(W + "val") for e in doc.body.iter(W + "numId")}
    lists, restarting = set(), set()
    for num in numbering.findall("w:num", NS):
        num_id = num.get(W + "numId")
        abstract = num.find("w:abstractNumId", NS).get(W + "val")
        fmt = numbering.find(
            f"w:abstractNum[@w:abstractNumId='{abstract}']/w:lvl[@w:ilvl='0']/w:numFmt",
            NS,
        )
        if num_id not in used or fmt is None or fmt.get(W + "val") != "decimal":
            continue
        lists.add(num_id)
        start = num.find("w:lvlOverride[@w:ilvl='0']/w:startOverride", NS)
        if start is not None and start.get(W + "val") == "1":
            restarting.add(num_id)
    return lists, restarting


def numbered_restarts(doc: Docx) -> str:
    lists, restarting = _numbered_lists(doc)
    return f"{len(lists)} numbered lists, {len(restarting)} restart at 1"


def restart_score(doc: Docx) -> int:
    return len(_numbered_lists(doc)[1])


def nested_levels(doc: Docx) -> int:
    return sum(1 for e in doc.body.iter(W + "ilvl") if e.get(W + "val") != "0")


def _footnote_stats(doc: Docx) -> tuple[int, int, int, int, str]:
    """(real calls, NOTEREF calls, note bodies, duplicated bodies, styles)."""
    refs = len(list(doc.body.iter(W + "footnoteReference")))
    noterefs = sum(
        1
        for e in doc.body.iter(W + "instrText")
        if "".join(e.itertext()).strip().startswith("NOTEREF")
    )
    notes = doc.xml("word/footnotes.xml")
    if notes is None:
        return refs, noterefs, 0, 0, ""
    bodies = [
        doc.text(n) for n in notes.findall("w:footnote", NS) if not n.get(W + "type")
    ]
    styles = sorted({doc.style_of(p) for p in notes.iter(W + "p")} - {"Normal"})
    return (
        refs,
        noterefs,
        len(bodies),
        len(bodies) - len(set(bodies)),
        ", ".join(styles),
    )


def footnotes(doc: Docx) -> str:
    refs, noterefs, bodies, duplicates, styles = _footnote_stats(doc)
    text = f"{refs} w:footnoteReference + {noterefs} NOTEREF; {bodies} notes"
    text += f", {duplicates} repeated" if duplicates else ""
    return text + (f" ({styles})" if styles else "")


def footnote_score(doc: Docx) -> int:
    """Calls that reach a real note, less notes printed twice."""
    refs, noterefs, _, duplicates, _ = _footnote_stats(doc)
    return refs + noterefs - duplicates


def toc_field(doc: Docx) -> str:
    instructions = [
        "".join(e.itertext()).strip() for e in doc.body.iter(W + "instrText")
    ]
    toc = [i for i in instructions if i.startswith("TOC")]
    for sdt in doc.body.iter(W + "fldSimple"):
        if sdt.get(W + "instr", "").strip().startswith("TOC"):
            toc.append(sdt.get(W + "instr").strip())
    settings = doc.xml("word/settings.xml")
    update = settings.find("w:updateFields", NS) is not None
    return (toc[0] if toc else "none") + ("; updateFields" if update else "")


def toc_score(doc: Docx) -> int:
    text = toc_field(doc)
    return int(text != "none" and not text.startswith("none")) + int(
        "updateFields" in text
    )


def tables(doc: Docx) -> str:
    tbls = list(doc.body.iter(W + "tbl"))
    header = sum(1 for t in tbls if t.find("w:tr/w:trPr/w:tblHeader", NS) is not None)
    cant = sum(1 for t in tbls if t.find("w:tr/w:trPr/w:cantSplit", NS) is not None)
    alt = sum(1 for t in tbls if t.find("w:tblPr/w:tblCaption", NS) is not None)
    styles = sorted(
        {
            doc.styles.get(s.get(W + "val"), "?")
            for t in tbls
            for s in t.findall("w:tblPr/w:tblStyle", NS)
        }
    )
    return (
        f"{len(tbls)} tables; repeat header {header}, cantSplit {cant}, "
        f"alt text {alt}; styles: {', '.join(styles) or '-'}"
    )


def table_score(doc: Docx) -> int:
    tbls = list(doc.body.iter(W + "tbl"))
    return sum(
        (t.find("w:tr/w:trPr/w:tblHeader", NS) is not None)
        + (t.find("w:tr/w:trPr/w:cantSplit", NS) is not None)
        + (t.find("w:tblPr/w:tblCaption", NS) is not None)
        for t in tbls
    )


def furniture(doc: Docx) -> str:
    sect = doc.body.find("w:sectPr", NS)
    headers = len(sect.findall("w:headerReference", NS)) if sect is not None else 0
    footers = len(sect.findall("w:footerReference", NS)) if sect is not None else 0
    fields = set()
    for name in doc.parts:
        if re.fullmatch(r"word/(header|footer)\d+\.xml", name):
            root = doc.xml(name)
            fields |= {
                "".join(e.itertext()).split()[0] for e in root.iter(W + "instrText")
            }
    title_pg = sect is not None and sect.find("w:titlePg", NS) is not None
    return (
        f"{headers} headers, {footers} footers; fields: {', '.join(sorted(fields)) or '-'}"
        + ("; titlePg" if title_pg else "")
    )


def furniture_score(doc: Docx) -> int:
    text = furniture(doc)
    return (
        int(text.split()[0])
        + int(text.split()[2])
        + text.count("PAGE")
        + int("titlePg" in text)
    )


def banners(doc: Docx, expected: tuple[str, ...]) -> str:
    """Which header/footer parts carry the marking and DRAFT paragraphs."""
    found = []
    for name in sorted(doc.parts):
        if re.fullmatch(r"word/(header|footer)\d+\.xml", name):
            lines = [doc.text(p) for p in doc.xml(name).iter(W + "p")]
            lines = [line for line in lines if line in expected]
            if lines:
                found.append(f"{name[5:-4]}: {' / '.join(lines)}")
    return "; ".join(found) or "-"


def banner_score(doc: Docx, expected: tuple[str, ...]) -> int:
    text = banners(doc, expected)
    return sum(text.count(line) for line in expected)


def pictures(doc: Docx) -> str:
    inlines = list(doc.body.iter(f"{{{NS['wp']}}}inline"))
    described = sum(1 for i in inlines if i.find("wp:docPr", NS).get("descr"))
    return f"{len(inlines)} inline, {described} with alt text"


def picture_score(doc: Docx) -> int:
    return sum(
        1
        for i in doc.body.iter(f"{{{NS['wp']}}}inline")
        if i.find("wp:docPr", NS).get("descr")
    )


def hyperlinks(doc: Docx) -> int:
    rels = doc.rels("word/document.xml")
    return sum(
        1
        for link in doc.body.iter(W + "hyperlink")
        if rels.get(link.get(f"{{{NS['r']}}}id"), etree.Element("x")).get("TargetMode")
        == "External"
    )


def metadata(doc: Docx) -> str:
    core = doc.xml("docProps/core.xml")
    filled = []
    for tag in (
        "dc:title",
        "dc:subject",
        "dc:creator",
        "cp:keywords",
        "dcterms:created",
        "dcterms:modified",
        "dc:language",
        "cp:version",
    ):
        element = core.find(tag, NS)
        if element is not None and (element.text or "").strip():
            filled.append(tag.split(":")[1])
    return f"{len(filled)}: {', '.join(filled)}"


def language(doc: Docx) -> str:
    langs = set()
    for lang in doc.style_xml.iter(W + "lang"):
        langs.add(f"{lang.get(W + 'val')}/{lang.get(W + 'eastAsia')}")
    for story in doc.stories():
        for lang in story.iter(W + "lang"):
            langs.add(f"{lang.get(W + 'val')}/{lang.get(W + 'eastAsia')}")
    fonts = doc.style_xml.find("w:docDefaults/w:rPrDefault/w:rPr/w:rFonts", NS)
    east = fonts.get(W + "eastAsia") if fonts is not None else None
    return f"lang {', '.join(sorted(langs)) or '-'}; East Asian font {east or '-'}"


def language_score(doc: Docx) -> int:
    text = language(doc)
    return int("lang -" not in text) + int("font -" not in text)


def points(brief) -> list[tuple[str, Callable, Callable, Callable]]:
    """The rows: name, what to show, what to score, and which score is better."""
    expected = tuple(
        line for line in (brief.marking, "DRAFT" if brief.is_draft else None) if line
    )
    return [
        *POINTS,
        (
            "Marking / DRAFT in header and footer",
            lambda d: banners(d, expected),
            lambda d: banner_score(d, expected),
            more,
        ),
    ]


POINTS: list[
    tuple[str, Callable[[Docx], object], Callable[[Docx], object], Callable]
] = [
    (
        "Styles in use (names)",
        styles_used,
        lambda d: len(styles_used(d).split(",")),
        more,
    ),
    (
        "Text paragraphs left in Normal",
        text_paragraphs_in_normal,
        text_paragraphs_in_normal,
        fewer,
    ),
    ("Direct formatting (pPr/rPr extras)", direct_formatting, direct_formatting, fewer),
    ("Lists: items, numPr, styles", list_summary, list_quality, more),
    ("Lists: numbered, restarts", numbered_restarts, restart_score, more),
    ("Lists: nested items (ilvl > 0)", nested_levels, nested_levels, more),
    ("Footnotes (real notes, no repeats)", footnotes, footnote_score, more),
    ("Contents (TOC field)", toc_field, toc_score, more),
    ("Tables", tables, table_score, more),
    ("Header/footer (fields, titlePg)", furniture, furniture_score, more),
    ("Pictures (inline, alt text)", pictures, picture_score, more),
    ("Hyperlinks (external rels)", hyperlinks, hyperlinks, more),
    (
        "Metadata (core properties)",
        metadata,
        lambda d: int(metadata(d).split(":")[0]),
        more,
    ),
    ("Language (w:lang, East Asian font)", language, language_score, more),
]


# -- building -----------------------------------------------------------------


def build_ours(brief) -> bytes:
    return render_docx(brief, reference=ROOT / "src" / "briefgen" / "templates" / "reference.docx")


def build_pandoc(brief, workdir: Path) -> bytes:
    import pypandoc

    media = workdir / "media"
    media.mkdir(exist_ok=True)
    source = workdir / f"{brief.name}.md"
    source.write_text(brief_markdown(brief, media), encoding="utf-8")
    target = workdir / f"{brief.name}-pandoc.docx"
    subprocess.run(
        [
            pypandoc.get_pandoc_path(),
            str(source),
            "--from=markdown",
            "--to=docx",
            "--toc",
            "--toc-depth=3",
            f"--resource-path={brief.path.parent}",
            "-o",
            str(target),
        ],
        check=True,
        env={**os.environ, "SOURCE_DATE_EPOCH": "1700000000"},
    )
    return target.read_bytes()


def compare(path: Path) -> tuple[str, bool]:
    brief = load_brief(path)
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        ours_bytes = build_ours(brief)
        theirs_bytes = build_pandoc(brief, workdir)
        ours_again = build_ours(brief)
        (workdir / "again").mkdir()
        theirs_again = build_pandoc(brief, workdir / "again")
    ours, theirs = Docx(ours_bytes), Docx(theirs_bytes)
    rows = [
        "| Point | briefgen | pandoc | briefgen at least as good |",
        "|---|---|---|---|",
    ]
    all_ok = True
    for name, show, score, better in points(brief):
        verdict = better(score(ours), score(theirs))
        ok = verdict >= 0
        all_ok &= ok
        mark = "yes (better)" if verdict > 0 else ("yes (equal)" if ok else "**no**")
        rows.append(
            f"| {name} | {_cell(show(ours))} | {_cell(show(theirs))} | {mark} |"
        )
    same_ours = ours_bytes == ours_again
    same_theirs = theirs_bytes == theirs_again
    ok = same_ours >= same_theirs
    all_ok &= ok
    rows.append(
        f"| Byte-identical on a second build | {same_ours} | {same_theirs} "
        f"(SOURCE_DATE_EPOCH set) | {'yes' if ok else '**no**'} |"
    )
    heading = f"### {path.name}: briefgen vs pandoc {_pandoc_version()}\n"
    return heading + "\n".join(rows), all_ok


def _cell(value: object) -> str:
    return str(value).replace("|", "\\|")


def _pandoc_version() -> str:
    import pypandoc

    return pypandoc.get_pandoc_version()


def main(argv: list[str]) -> int:
    paths = [Path(a) for a in argv] or [ROOT / "content" / "henan-inspection.yaml"]
    ok = True
    for path in paths:
        table, good = compare(path)
        print(table)
        print()
        ok &= good
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
