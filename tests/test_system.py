"""System set-up: missing packages are named, with the command to install them."""

from __future__ import annotations

import dataclasses
import shutil

import pytest

from briefgen import system

needs_dpkg = pytest.mark.skipif(not shutil.which("dpkg-query"), reason="not a Debian-like system")

ABSENT = dataclasses.replace(
    system.NEEDS[0], key="absent", name="Absent", why="a test", debian=("briefgen-no-such-package",),
    kind="program", probes=("briefgen-no-such-program",),
)


@needs_dpkg
def test_missing_names_only_absent_packages():
    assert system.missing(["dpkg", "briefgen-no-such-package"]) == ["briefgen-no-such-package"]


@needs_dpkg
def test_without_root_it_says_what_to_run(monkeypatch, capsys):
    monkeypatch.setattr(system.os, "geteuid", lambda: 1000)
    status = system.ensure_debian([ABSENT], [])
    assert status == 1
    err = capsys.readouterr().err
    assert "sudo apt-get install --no-install-recommends briefgen-no-such-package" in err


@needs_dpkg
def test_optional_packages_never_fail_the_set_up(monkeypatch, capsys):
    monkeypatch.setattr(system.os, "geteuid", lambda: 1000)
    assert system.ensure_debian([], [ABSENT]) == 0
    assert "some tests will skip" in capsys.readouterr().err


def test_elsewhere_it_prints_every_platforms_command(capsys):
    assert system.report_elsewhere([ABSENT]) == 1
    err = capsys.readouterr().err
    assert "Absent is missing (a test)" in err
    for platform in system.PLATFORMS:
        assert platform + ":" in err


def test_runtime_needs_the_house_cjk_and_rtl_fonts():
    build = system.debian_packages(system.needs_for(("build",)))
    assert {"fonts-noto-core", "fonts-noto-cjk", "libharfbuzz-subset0"} <= set(build)
    families = {family for need in system.NEEDS if need.kind == "font" for family in need.probes}
    assert {"Noto Serif", "Noto Sans", "Noto Sans CJK SC", "Noto Naskh Arabic", "Noto Sans Hebrew"} <= families


def test_every_need_has_a_command_on_every_platform():
    for need in system.NEEDS:
        commands = need.commands()
        assert list(commands) == list(system.PLATFORMS)
        assert all(command.strip() for command in commands.values()), need.key
        assert commands["macOS (Homebrew)"].startswith("brew install")
