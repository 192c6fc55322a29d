"""What briefgen's PDF is compared with, built from the same brief.

- the floor: the body of briefgen's own print HTML (the same text, the
  same markup) with its stylesheet replaced by ten lines of plain CSS and
  no running heads, laid out by WeasyPrint as a tagged PDF/UA file: what
  any WeasyPrint-based tool must pay for this text;
- pandoc: pandoc's standalone HTML (its own stylesheet, ``--toc``) from
  Markdown generated from the same model, through WeasyPrint, tagged;
- Typst: pandoc's Typst output from that Markdown (``--toc``), compiled
  by the ``typst`` package as PDF/UA-1.

pandoc (``pypandoc-binary``) and ``typst`` are bench-only dependencies
(the ``bench`` extra, installed by ``make bench``).
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from markdown_from_model import brief_markdown  # noqa: E402

#: The floor's whole stylesheet: the theme's page, fonts and sizes, nothing else.
FLOOR_CSS = """
@page { size: A4; margin: 24mm; }
body { font-family: "Noto Serif", serif; font-size: 10.5pt; line-height: 1.45; }
h1, h2, h3, h4 { font-family: "Noto Sans", sans-serif; line-height: 1.2; }
h1 { font-size: 20pt; } h2 { font-size: 14pt; } h3 { font-size: 11.5pt; }
table { border-collapse: collapse; width: 100%; }
th, td { border-bottom: 0.5pt solid #999; padding: 2pt 4pt; text-align: left; }
img, svg { max-width: 100%; }
a { color: inherit; text-decoration: none; }
"""

_RUNNING = re.compile(r'<div class="(?:running|draft-watermark)[^"]*"[^>]*>.*?</div>\n?')


def floor_html(print_html: str) -> str:
    """briefgen's print HTML with the plain stylesheet and no running elements."""
    head, style, rest = print_html.partition("<style>")
    if not style:
        raise ValueError("the print HTML has no <style> to replace")
    _, _, body = rest.partition("</style>")
    return _RUNNING.sub("", f"{head}<style>{FLOOR_CSS}</style>{body}")


def markdown(brief, media: Path) -> str:
    media.mkdir(parents=True, exist_ok=True)
    return brief_markdown(brief, media)


def pandoc_html(brief, work: Path) -> str:
    """pandoc's standalone HTML of the brief, images embedded."""
    import pypandoc

    source = work / "brief.md"
    source.write_text(markdown(brief, work / "media"), encoding="utf-8")
    return pypandoc.convert_file(
        str(source), "html5", format="markdown",
        extra_args=["--standalone", "--toc", "--embed-resources", f"--resource-path={work}"],
    )


def typst_source(brief, work: Path) -> Path:
    """pandoc's Typst document of the brief, written next to its images."""
    import pypandoc

    source = work / "brief.md"
    # pandoc 3.9's Typst template writes keywords Typst cannot parse
    text = re.sub(r"^keywords: .*\n", "", markdown(brief, work / "media"), count=1, flags=re.M)
    source.write_text(text, encoding="utf-8")
    target = work / "brief.typ"
    pypandoc.convert_file(
        str(source), "typst", format="markdown", outputfile=str(target),
        extra_args=["--standalone", "--toc", f"--resource-path={work}"],
    )
    return target


def typst_pdf(source: Path) -> bytes:
    """The Typst document compiled to a tagged PDF/UA-1 file."""
    import typst

    return typst.compile(str(source), root=str(source.parent), pdf_standards=["ua-1"])
