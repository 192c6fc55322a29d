"""System set-up: missing packages are named, with the command to install them."""

from __future__ import annotations

import shutil

import pytest

from briefgen import system

needs_dpkg = pytest.mark.skipif(not shutil.which("dpkg-query"), reason="not a Debian-like system")


@needs_dpkg
def test_missing_names_only_absent_packages():
    assert system.missing(["dpkg", "briefgen-no-such-package"]) == ["briefgen-no-such-package"]


@needs_dpkg
def test_without_root_it_says_what_to_run(monkeypatch, capsys):
    monkeypatch.setattr(system.os, "geteuid", lambda: 1000)
    status = system.ensure({"briefgen-no-such-package": "a test"}, {})
    assert status == 1
    err = capsys.readouterr().err
    assert "sudo apt-get install --no-install-recommends briefgen-no-such-package" in err


@needs_dpkg
def test_optional_packages_never_fail_the_set_up(monkeypatch, capsys):
    monkeypatch.setattr(system.os, "geteuid", lambda: 1000)
    assert system.ensure({}, {"briefgen-no-such-package": "a test"}) == 0
    assert "some tests will skip" in capsys.readouterr().err


def test_runtime_needs_the_house_and_cjk_fonts():
    assert {"fonts-noto-core", "fonts-noto-cjk"} <= set(system.RUNTIME)
