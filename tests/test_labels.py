"""The label catalogs: English fallback, language catalogs, overrides."""

from __future__ import annotations

from pathlib import Path

from briefgen.labels import has_catalog, known_label_keys, labels_for, primary_subtag


def test_english_catalog_names_every_contract_label() -> None:
    contract = {
        "summary", "key_points", "key_figures", "contents", "conclusion", "sources",
        "references", "notes", "note", "source", "figure", "table", "appendix",
        "updated", "version", "page", "draft", "todo", "cite_as", "about", "disclaimer",
    }
    assert contract <= known_label_keys()


def test_region_falls_back_to_language() -> None:
    assert primary_subtag("fr-CA") == "fr"
    assert primary_subtag("zh_Hans") == "zh"


def test_unknown_language_gets_english_and_overrides_win(tmp_path: Path) -> None:
    assert not has_catalog("xx")
    words = labels_for("xx", {"summary": "In brief"})
    assert words["summary"] == "In brief"
    assert words["contents"] == "Contents"


def test_project_catalog_overrides_packaged_one(tmp_path: Path) -> None:
    (tmp_path / "labels").mkdir()
    (tmp_path / "labels" / "en.toml").write_text('summary = "Overview"\n', encoding="utf-8")
    words = labels_for("en", templates=tmp_path)
    assert words["summary"] == "Overview"
    assert words["contents"] == "Contents"
