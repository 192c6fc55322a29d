"""A brief's three outputs, built in memory, and the text a reader sees in each.

Shared by the citation and language tests: they check words in real
outputs, so each brief is built once per test module.
"""

from __future__ import annotations

import io
import re
import subprocess
import tempfile
import zipfile
from dataclasses import dataclass
from functools import cached_property
from html import unescape
from pathlib import Path

from briefgen.model import Brief
from briefgen.read import load_brief
from briefgen.writers.docx import render_docx
from briefgen.writers.html import render_html
from briefgen.writers.pdf import render_pdf

ROOT = Path(__file__).resolve().parents[1]
TEMPLATES = ROOT / "src" / "briefgen" / "templates"
REFERENCE = TEMPLATES / "reference.docx"


@dataclass
class Outputs:
    brief: Brief
    html: str
    pdf: bytes
    docx: bytes

    @cached_property
    def html_text(self) -> str:
        body = re.sub(r"<(style|script)\b.*?</\1>", " ", self.html, flags=re.S)
        blocks = re.sub(r"</?(?:p|li|h\d|div|td|th|tr|section|nav|aside|header|footer|caption|figcaption|ol|ul|br)\b[^>]*>", " ", body)
        return " ".join(unescape(re.sub(r"<[^>]+>", "", blocks)).split())

    @cached_property
    def pdf_text(self) -> str:
        with tempfile.NamedTemporaryFile(suffix=".pdf") as handle:
            handle.write(self.pdf)
            handle.flush()
            out = subprocess.run(["pdftotext", "-enc", "UTF-8", handle.name, "-"], capture_output=True, check=True)
        return " ".join(out.stdout.decode("utf-8").split())

    def docx_part(self, name: str) -> str:
        with zipfile.ZipFile(io.BytesIO(self.docx)) as archive:
            return archive.read(name).decode("utf-8") if name in archive.namelist() else ""

    @cached_property
    def docx_text(self) -> str:
        """Every w:t of the body, the footnotes, the headers and the footers."""
        with zipfile.ZipFile(io.BytesIO(self.docx)) as archive:
            parts = [n for n in archive.namelist() if re.fullmatch(r"word/(document|footnotes|header\d*|footer\d*)\.xml", n)]
            xml = " ".join(archive.read(n).decode("utf-8") for n in parts).replace("<w:tab/>", "<w:t> </w:t>")
        paragraphs = re.findall(r"<w:p[ >].*?</w:p>", xml, flags=re.S)
        texts = ["".join(unescape(t) for t in re.findall(r"<w:t(?: [^>]*)?>([^<]*)</w:t>", p)) for p in paragraphs]
        return " ".join(" ".join(texts).split())


def build(path: Path) -> Outputs:
    brief = load_brief(path)
    html = render_html(brief, templates=TEMPLATES, media="screen")
    printed = render_html(brief, templates=TEMPLATES, media="print")
    pdf = render_pdf(printed, title=brief.title, lang=brief.lang)
    return Outputs(brief, html, pdf, render_docx(brief, reference=REFERENCE, templates=TEMPLATES))
