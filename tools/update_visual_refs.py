"""Render the pages the visual regression tests compare, as PNG.

Run after a reviewed change to the templates, the themes or the example
briefs, look at every image it writes, then commit them::

    .venv/bin/python tools/update_visual_refs.py          # rewrite tests/visual/
    .venv/bin/python tools/update_visual_refs.py --out /tmp/look   # render elsewhere

``tests/test_pdf_visual.py`` renders the same pages and compares them with
the committed images within a tolerance.
"""

from __future__ import annotations

import argparse
import io
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
REFERENCES = ROOT / "tests" / "visual"

#: Resolution of the compared images: enough to see layout, small to store.
DPI = 50


@dataclass(frozen=True)
class Case:
    """Some pages of one example brief in one theme."""

    brief: str
    pages: tuple[int, ...]
    theme: str = "default"

    def image_name(self, page: int) -> str:
        suffix = "" if self.theme == "default" else f"-{self.theme}"
        return f"{Path(self.brief).stem}{suffix}-p{page}.png"


#: Title page and contents of the Henan brief; the solar-system brief's
#: first page, a page with a chart and the page with the table.
CASES: tuple[Case, ...] = (
    Case("content/henan-inspection.yaml", (1, 2)),
    Case("content/solar-system.yaml", (1, 3, 4)),
)


def render_case(case: Case, root: Path = ROOT) -> dict[str, bytes]:
    """The case's pages as PNG bytes, by reference image name."""
    sys.path.insert(0, str(root / "src"))
    from briefgen.read import load_brief
    from briefgen.writers.html import render_html
    from briefgen.writers.pdf import render_pdf

    brief = load_brief(root / case.brief)
    html = render_html(brief, templates=root / "src" / "briefgen" / "templates", media="print", theme=case.theme)
    pdf = render_pdf(html, title=brief.title, lang=brief.lang)
    images: dict[str, bytes] = {}
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "brief.pdf"
        path.write_bytes(pdf)
        for page in case.pages:
            prefix = Path(folder) / f"page{page}"
            subprocess.run(
                ["pdftoppm", "-png", "-r", str(DPI), "-f", str(page), "-l", str(page),
                 "-singlefile", str(path), str(prefix)],
                check=True,
            )
            images[case.image_name(page)] = prefix.with_suffix(".png").read_bytes()
    return images


def difference(expected: bytes, actual: bytes) -> tuple[float, float]:
    """Mean absolute difference (0-255) and share of clearly changed pixels.

    A pixel counts as changed when a channel moved by more than 48: enough
    to ignore anti-aliasing noise, not a moved line of text.  Images of
    different sizes differ entirely.
    """
    from PIL import Image, ImageChops

    first = Image.open(io.BytesIO(expected)).convert("RGB")
    second = Image.open(io.BytesIO(actual)).convert("RGB")
    if first.size != second.size:
        return 255.0, 1.0
    diff = ImageChops.difference(first, second).convert("L")
    histogram = diff.histogram()
    pixels = first.size[0] * first.size[1]
    mean = sum(value * count for value, count in enumerate(histogram)) / pixels
    changed = sum(histogram[49:]) / pixels
    return mean, changed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=REFERENCES, help="folder for the images")
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    for case in CASES:
        for name, data in render_case(case).items():
            (args.out / name).write_bytes(data)
            print(args.out / name)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
