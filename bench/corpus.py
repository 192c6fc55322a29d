"""Briefs the benchmark (and the tests that need a long brief) build from
the Henan brief: copies, and one brief of its sections repeated."""

from __future__ import annotations

from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
SEED_BRIEF = ROOT / "content" / "henan-inspection.yaml"


def make_copies(folder: Path, copies: int) -> None:
    """``copies`` identical copies of the Henan brief in ``folder``."""
    folder.mkdir(parents=True)
    text = SEED_BRIEF.read_text("utf-8")
    for index in range(copies):
        (folder / f"henan-{index + 1:02d}.yaml").write_text(text, encoding="utf-8")


def long_brief(folder: Path, repeat: int, name: str) -> Path:
    """The Henan sections ``repeat`` times over (titles made unique); 12
    repeats give a brief of about 88 pages."""
    data = yaml.safe_load(SEED_BRIEF.read_text("utf-8"))
    sections = []
    for copy in range(repeat):
        for section in data["sections"]:
            clone = yaml.safe_load(yaml.safe_dump(section))
            _rename(clone, f" ({copy + 1})")
            sections.append(clone)
    data["sections"] = sections
    path = folder / f"{name}.yaml"
    path.write_text(
        yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8"
    )
    return path


def _rename(section: dict, suffix: str) -> None:
    section["title"] = section["title"] + suffix
    section.pop("id", None)
    for sub in section.get("sections", []):
        _rename(sub, suffix)
