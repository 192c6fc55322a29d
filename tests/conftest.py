"""Shared fixtures: small briefs written into a temporary folder."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

FIXTURES = Path(__file__).parent / "fixtures"
ROOT = Path(__file__).resolve().parents[1]
SEED = Path(__file__).parent / "data" / "henan-inspection-seed.txt"  # a copy of the seed article


@pytest.fixture
def write_brief(tmp_path: Path):
    """Write YAML (dedented) to ``tmp_path/NAME.yaml`` and return its path."""

    def write(text: str, name: str = "brief") -> Path:
        path = tmp_path / f"{name}.yaml"
        path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
        return path

    return write


MINIMAL = """
title: A minimal brief
summary: One sentence of summary.
sections:
  - title: Only section
    body:
      - One paragraph.
"""
