"""The pull command end to end: build, edit in Word, pull, rebuild."""

from __future__ import annotations

import shutil

from click.testing import CliRunner
from conftest import ROOT
from docx import Document
from extract import pdf_body_text, squash

from briefgen.cli import main


def test_pull_then_build_keeps_the_word_file_and_carries_the_edit(tmp_path):
    content = tmp_path / "content"
    content.mkdir()
    shutil.copy(ROOT / "content" / "henan-inspection.yaml", content)
    brief = content / "henan-inspection.yaml"
    out = tmp_path / "build"
    runner = CliRunner()
    assert runner.invoke(main, ["build", str(brief), "--out", str(out)]).exit_code == 0

    docx = out / "henan-inspection.docx"
    document = Document(str(docx))
    target = next(p for p in document.paragraphs if "tested policy implementation" in p.text)
    for run in target.runs:
        if "tested policy implementation" in run.text:
            run.text = run.text.replace("tested policy implementation", "checked policy delivery")
    document.save(str(docx))
    edited = docx.read_bytes()

    dry = runner.invoke(main, ["pull", str(docx), "--yaml", str(brief), "--dry-run"])
    assert dry.exit_code == 0, dry.output
    assert "checked policy delivery" in dry.output and "dry run" in dry.output
    assert "checked policy delivery" not in brief.read_text("utf-8")

    pulled = runner.invoke(main, ["pull", str(docx), "--yaml", str(brief)])
    assert pulled.exit_code == 0, pulled.output
    assert "checked policy delivery" in brief.read_text("utf-8")
    assert "# Brief converted from the seed article" in brief.read_text("utf-8")

    rebuilt = runner.invoke(main, ["build", str(brief), "--out", str(out)])
    assert rebuilt.exit_code == 0, rebuilt.output
    assert "was edited" not in rebuilt.output
    assert docx.read_bytes() == edited
    assert "henan-inspection.pdf" in rebuilt.output and "henan-inspection.docx" not in rebuilt.output
    assert squash("checked policy delivery") in squash(pdf_body_text(out / "henan-inspection.pdf"))
    assert "checked policy delivery" in (out / "henan-inspection.html").read_text("utf-8")


def test_pull_of_a_foreign_file_is_a_clear_error(tmp_path):
    foreign = tmp_path / "letter.docx"
    document = Document()
    document.add_paragraph("Dear reader,")
    document.save(str(foreign))
    brief = tmp_path / "b.yaml"
    brief.write_text("title: T\nsummary: S\nsections: [{title: A, body: [x]}]\n")
    before = brief.read_bytes()
    result = CliRunner().invoke(main, ["pull", str(foreign), "--yaml", str(brief)])
    assert result.exit_code == 1
    assert "error:" in result.output and "Traceback" not in result.output
    assert brief.read_bytes() == before


def test_pull_of_a_copy_outside_the_output_folder_does_not_claim_the_build_keeps_it(tmp_path):
    content = tmp_path / "content"
    content.mkdir()
    shutil.copy(ROOT / "content" / "henan-inspection.yaml", content)
    brief = content / "henan-inspection.yaml"
    out = tmp_path / "build"
    runner = CliRunner()
    assert runner.invoke(main, ["build", str(brief), "--out", str(out), "--format", "docx"]).exit_code == 0
    mailed = tmp_path / "inbox" / "henan-inspection (edited).docx"
    mailed.parent.mkdir()
    document = Document(str(out / "henan-inspection.docx"))
    target = next(p for p in document.paragraphs if "tested policy implementation" in p.text)
    for run in target.runs:
        run.text = run.text.replace("tested policy implementation", "checked policy delivery")
    document.save(str(mailed))
    pulled = runner.invoke(main, ["pull", str(mailed), "--yaml", str(brief)])
    assert pulled.exit_code == 0, pulled.output
    assert "keeps" not in pulled.output and "rebuilds all its outputs" in pulled.output
    assert not any(mailed.parent.glob(".briefgen*")) and not any(mailed.parent.glob(".*.pulled.json"))
    assert "checked policy delivery" in brief.read_text("utf-8")
