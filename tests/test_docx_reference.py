"""Other reference documents: house styles, copies saved by Word-like programs,
and references that lack a style the writer needs."""

from __future__ import annotations

import io
import shutil
import subprocess
import zipfile
from pathlib import Path

import docx
import pytest
from docx.enum.style import WD_STYLE_TYPE
from docx.shared import RGBColor
from test_docx_writer import make_brief

from briefgen.writers.docx import OPTIONAL_STYLES, REQUIRED_STYLES, render_docx, resolve_styles

ROOT = Path(__file__).resolve().parents[1]
REFERENCE = ROOT / "src" / "briefgen" / "templates" / "reference.docx"


@pytest.fixture(scope="module")
def brief(tmp_path_factory):
    return make_brief(tmp_path_factory.mktemp("brief"))


def _styles_in_use(data: bytes) -> set[str]:
    document = docx.Document(io.BytesIO(data))
    return {p.style.name.casefold() for p in document.paragraphs}


def _check_renders_with(reference: Path, brief) -> bytes:
    data = render_docx(brief, reference=reference)
    used = _styles_in_use(data)
    for name in ("title", "heading 1", "list bullet", "list number", "caption"):
        assert name in used
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        body = archive.read("word/document.xml").decode()
        assert "<w:footnoteReference " in body and "<w:numPr>" in body
    return data


def test_a_copy_saved_by_python_docx_works(brief, tmp_path):
    copy = tmp_path / "saved.docx"
    docx.Document(str(REFERENCE)).save(str(copy))
    _check_renders_with(copy, brief)


def test_a_house_reference_restyles_the_brief(brief, tmp_path):
    """A designer's change to a style reaches every generated brief."""
    house = docx.Document(str(REFERENCE))
    house.styles["Heading 1"].font.color.rgb = RGBColor(0x6B, 0x4C, 0x7A)
    house.styles["Body Text"].font.name = "Noto Sans"
    copy = tmp_path / "house.docx"
    house.save(str(copy))
    result = docx.Document(io.BytesIO(render_docx(brief, reference=copy)))
    assert result.styles["Heading 1"].font.color.rgb == RGBColor(0x6B, 0x4C, 0x7A)
    assert result.styles["Body Text"].font.name == "Noto Sans"


def test_a_style_of_the_wrong_kind_is_named(brief, tmp_path):
    reference = docx.Document(str(REFERENCE))
    hyperlink = reference.styles["Hyperlink"].element
    hyperlink.getparent().remove(hyperlink)
    reference.styles.add_style("Hyperlink", WD_STYLE_TYPE.PARAGRAPH)
    broken = tmp_path / "wrong-kind.docx"
    reference.save(str(broken))
    with pytest.raises(
        ValueError, match=r"lacks styles the Word writer needs: Hyperlink$"
    ):
        render_docx(brief, reference=broken)


def test_an_empty_document_names_every_style(tmp_path):
    empty = tmp_path / "empty.docx"
    docx.Document().save(str(empty))
    with pytest.raises(ValueError) as error:
        resolve_styles(docx.Document(str(empty)), empty)
    message = str(error.value)
    assert str(empty) in message
    for name in ("Summary", "Brief Table", "Editor Note", "Marking"):
        assert name in message


def test_word_built_in_name_wins_over_a_look_alike(tmp_path):
    """LibreOffice saves its own "Caption" beside Word's "caption"."""
    reference = docx.Document(str(REFERENCE))
    intruder = reference.styles.add_style("Caption Look Alike", WD_STYLE_TYPE.PARAGRAPH)
    intruder.element.name_val = "Caption"
    styles = reference.styles.element
    styles.remove(intruder.element)
    styles.insert(1, intruder.element)  # before Word's, so order does not decide
    ids = resolve_styles(reference)
    assert ids["Caption"] == reference.styles["Caption"].style_id != intruder.style_id


@pytest.mark.skipif(
    shutil.which("soffice") is None,
    reason="LibreOffice (soffice) is not installed; cannot save a copy with it",
)
def test_a_copy_saved_by_libreoffice_works(brief, tmp_path):
    source = tmp_path / "reference.docx"
    shutil.copyfile(REFERENCE, source)
    out = tmp_path / "saved"
    result = subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation=file://{tmp_path / 'profile'}",
            "--headless",
            "--convert-to",
            "docx:MS Word 2007 XML",
            "--outdir",
            str(out),
            str(source),
        ],
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    copy = out / "reference.docx"
    assert copy.exists(), result.stdout + result.stderr
    saved = docx.Document(str(copy))
    assert set(resolve_styles(saved, copy)) == set(REQUIRED_STYLES) | set(OPTIONAL_STYLES)
    data = _check_renders_with(copy, brief)
    caption_ids = {
        p.style.style_id
        for p in docx.Document(io.BytesIO(data)).paragraphs
        if p.style.name.casefold() == "caption"
    }
    assert caption_ids == {resolve_styles(saved)["Caption"]}
