"""`briefgen doctor` with fonts missing: simulated with a fontconfig set-up
of our own (FONTCONFIG_FILE), which fontconfig honours for every program."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT

from briefgen import system

pytestmark = pytest.mark.skipif(not shutil.which("fc-list"), reason="no fontconfig tools")


def _fontconfig(tmp_path: Path, fonts: list[Path]) -> dict[str, str]:
    folder = tmp_path / "fonts"
    folder.mkdir()
    for font in fonts:
        (folder / font.name).symlink_to(font)
    config = tmp_path / "fonts.conf"
    config.write_text(
        '<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "fonts.dtd">\n'
        f"<fontconfig><dir>{folder}</dir><cachedir>{tmp_path / 'cache'}</cachedir></fontconfig>\n"
    )
    return {**os.environ, "FONTCONFIG_FILE": str(config)}


def _doctor(env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "briefgen", "doctor"], capture_output=True, text=True, cwd=ROOT, env=env, timeout=120,
    )


def _installed(family: str) -> Path:
    listed = subprocess.run(["fc-list", family, "file"], capture_output=True, text=True).stdout.split(":")[0].strip()
    if not listed:
        pytest.skip(f"{family} is not installed here")
    return Path(listed)


def _block(output: str, name: str) -> list[str]:
    """The report line of ``name`` and its indented command lines."""
    lines = output.splitlines()
    start = next(i for i, line in enumerate(lines) if line.split()[1:2] and name in line)
    block = [lines[start]]
    for line in lines[start + 1:]:
        if not line.startswith("           "):
            break
        block.append(line.strip())
    return block


def test_a_missing_font_is_named_with_the_command_on_every_platform(tmp_path):
    result = _doctor(_fontconfig(tmp_path, [_installed("Noto Serif:style=Regular")]))
    assert result.returncode == 1, result.stdout
    serif = _block(result.stdout, "Noto Serif ")
    assert serif[0].split()[0] == "ok" and len(serif) == 1
    sans = _block(result.stdout, "Noto Sans ")
    assert sans[0].split()[0] == "MISSING"
    assert sans[1:] == [
        "Debian/Ubuntu:     sudo apt-get install --no-install-recommends fonts-noto-core",
        "Fedora:            sudo dnf install google-noto-sans-fonts",
        "macOS (Homebrew):  brew install --cask font-noto-sans",
        "Windows:           download Noto Sans from https://notofonts.github.io and choose 'Install for all users'",
    ]
    arabic = _block(result.stdout, "Noto Naskh Arabic")
    assert arabic[0].split()[0] == "MISSING" and "google-noto-naskh-arabic-fonts" in arabic[2]
    assert "missing for every build: Noto Sans, Noto CJK, Noto Naskh Arabic, Noto Sans Hebrew" in result.stdout


def test_with_no_fonts_at_all_every_font_is_missing(tmp_path):
    result = _doctor(_fontconfig(tmp_path, []))
    assert result.returncode == 1
    fonts = [need.name for need in system.NEEDS if need.kind == "font"]
    for name in fonts:
        assert _block(result.stdout, name)[0].split()[0] == "MISSING"


def test_a_complete_machine_passes():
    if any(system.present(need, system.font_families()) is False for need in system.needs_for(("build",))):
        pytest.skip("this machine lacks something a build needs")
    result = _doctor(dict(os.environ))
    assert result.returncode == 0, result.stdout
    assert "everything a build needs is here" in result.stdout
    assert _block(result.stdout, "HarfBuzz subsetting")[0].split()[0] == "ok"
