"""The quick library lookup used while the renderers are imported."""

from __future__ import annotations

import ctypes.util
import json
import subprocess
import sys

import pytest

from briefgen import native

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the lookup only changes on Linux")


@pytest.mark.parametrize("name", ["c", "m", "cairo", "pango-1.0", "fontconfig", "harfbuzz"])
def test_it_finds_what_the_ldconfig_step_of_find_library_finds(name):
    assert native.find_library(name) == ctypes.util._findSoname_ldconfig(name)


def test_a_name_ldconfig_does_not_list_is_not_searched_with_a_compiler(monkeypatch):
    native._ldconfig_cache()  # read once, before watching for processes
    started = []
    monkeypatch.setattr(subprocess, "Popen", lambda *args, **kwargs: started.append(args) or pytest.fail("spawned"))
    assert native.find_library("libgobject-2.0-0") is None
    assert started == []


def test_the_standard_lookup_is_back_after_the_import():
    standard = ctypes.util.find_library
    with native.quick_library_lookup():
        assert ctypes.util.find_library is native.find_library
    assert ctypes.util.find_library is standard


def test_a_failed_quick_import_is_tried_again_the_standard_way(monkeypatch):
    attempts = []

    def import_module(name):
        attempts.append(ctypes.util.find_library is native.find_library)
        if len(attempts) == 1:
            raise OSError("cannot load library 'libexample.so'")
        return "module"

    monkeypatch.setattr(native.importlib, "import_module", import_module)
    assert native.import_quickly("briefgen_no_such_module") == "module"
    assert attempts == [True, False]


def test_a_new_process_imports_weasyprint_without_running_gcc(tmp_path):
    # Every process started while WeasyPrint is imported is recorded.
    script = (
        "import subprocess, sys\n"
        "seen = []\n"
        "real = subprocess.Popen.__init__\n"
        "def watch(self, args, *rest, **kw):\n"
        "    seen.append(args[0] if isinstance(args, (list, tuple)) else args)\n"
        "    real(self, args, *rest, **kw)\n"
        "subprocess.Popen.__init__ = watch\n"
        "from briefgen.native import import_quickly\n"
        "import_quickly('weasyprint')\n"
        "import json\n"
        "print(json.dumps([str(program) for program in seen]))\n"
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    programs = json.loads(result.stdout)
    assert not [program for program in programs if "gcc" in str(program) or program == "ld"]
    assert len(programs) <= 2
