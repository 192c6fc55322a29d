"""Word pictures from every figure format, and real section numbering."""

from __future__ import annotations

import io
import zipfile

from conftest import ROOT
from docx import Document
from PIL import Image

from briefgen.read import load_brief
from briefgen.writers.docx import render_docx

REFERENCE = ROOT / "src" / "briefgen" / "templates" / "reference.docx"
SVG = (
    '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="200" height="100">'
    '<rect width="200" height="100" fill="#1B365D"/>'
    '<image xlink:href="file:///etc/passwd" width="10" height="10"/></svg>'
)


def test_svg_and_webp_figures_become_pictures(write_brief, tmp_path):
    (tmp_path / "drawing.svg").write_text(SVG)
    Image.new("RGB", (800, 400), (46, 125, 122)).save(tmp_path / "photo.webp")
    path = write_brief(
        """
        title: T
        summary: S
        sections:
          - title: A
            body:
              - figure: {src: drawing.svg, alt: A navy rectangle, width: 50}
              - figure: {src: photo.webp, alt: A teal rectangle}
        """
    )
    data = render_docx(load_brief(path), reference=REFERENCE)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        media = sorted(n for n in archive.namelist() if n.startswith("word/media/"))
        assert len(media) == 2
        images = [Image.open(io.BytesIO(archive.read(name))) for name in media]
    assert all(image.format == "PNG" for image in images)
    # the SVG is drawn at print resolution: at least 200 dpi at half of 6.3 inches
    assert max(image.width for image in images) >= 600
    assert b"root:" not in data


def test_section_numbers_are_word_numbering_on_headings(write_brief):
    path = write_brief(
        """
        title: T
        summary: S
        section_numbers: true
        sections:
          - title: First
            sections:
              - {title: First sub, body: [x]}
          - {title: Second, body: [y]}
        """
    )
    document = Document(io.BytesIO(render_docx(load_brief(path), reference=REFERENCE)))
    headings = [p for p in document.paragraphs if p.style.name.lower().startswith("heading")]
    levels = []
    num_ids = set()
    for paragraph in headings:
        num_pr = paragraph._p.pPr.numPr
        assert num_pr is not None, paragraph.text
        levels.append((paragraph.text, num_pr.ilvl.val))
        num_ids.add(num_pr.numId.val)
    assert levels == [("First", 0), ("First sub", 1), ("Second", 0)]
    assert len(num_ids) == 1
    numbering = document.part.numbering_part.element.xml
    assert 'w:lvlText w:val="%1.%2"' in numbering


def test_no_section_numbers_by_default(write_brief):
    path = write_brief("title: T\nsummary: S\nsections: [{title: A, body: [x]}]\n")
    document = Document(io.BytesIO(render_docx(load_brief(path), reference=REFERENCE)))
    heading = next(p for p in document.paragraphs if p.text == "A")
    assert heading._p.pPr is None or heading._p.pPr.numPr is None
