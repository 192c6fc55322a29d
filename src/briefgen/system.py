"""System packages the build needs: check them, install them where we can.

Run as ``python3 src/briefgen/system.py [--with-test]`` by the Makefile before
the virtual environment exists, so this module uses the standard library only.
Where it cannot install (not root, no apt-get), it prints the command to run
and fails, instead of letting the build produce PDFs with missing glyphs.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

# Debian package -> why the build needs it
RUNTIME = {
    "fonts-noto-core": "Noto Serif and Noto Sans, the house fonts, with Noto Naskh Arabic and Hebrew for right-to-left briefs",
    "fonts-noto-cjk": "Chinese, Japanese and Korean glyphs",
    "libpango-1.0-0": "text layout for WeasyPrint",
    "libpangoft2-1.0-0": "font handling for WeasyPrint",
    "libharfbuzz-subset0": "fast font subsetting when writing PDFs",
    "libcairo2": "drawing SVG figures for Word files",
}
TEST = {
    "poppler-utils": "pdftotext and pdftoppm for checking PDFs",
    "qpdf": "structural checks of PDFs",
}
OPTIONAL_TEST = {
    "libreoffice-writer-nogui": "opening generated Word files as an editor would",
    "chromium": "checking the HTML page in a real browser at phone and desktop widths",
}


def missing(packages: list[str]) -> list[str]:
    """The packages among ``packages`` that dpkg does not report installed."""
    if not shutil.which("dpkg-query"):
        return []  # not Debian-like: nothing we can check; WeasyPrint will say
    absent = []
    for package in packages:
        probe = subprocess.run(
            ["dpkg-query", "-W", "-f=${db:Status-Abbrev}", package],
            capture_output=True,
            text=True,
        )
        if not probe.stdout.startswith("ii"):
            absent.append(package)
    return absent


def install(packages: list[str]) -> bool:
    if os.geteuid() != 0 or not shutil.which("apt-get"):
        return False
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    command = ["apt-get", "install", "-y", "-q", "--no-install-recommends", *packages]
    if subprocess.run(command, env=env, stdout=subprocess.DEVNULL).returncode == 0:
        return True
    # The package lists may be missing or stale on a new machine.
    subprocess.run(["apt-get", "update", "-q"], env=env, stdout=subprocess.DEVNULL)
    return subprocess.run(command, env=env, stdout=subprocess.DEVNULL).returncode == 0


def ensure(required: dict[str, str], optional: dict[str, str]) -> int:
    needed = missing(list(required))
    wanted = missing(list(optional))
    if not needed and not wanted:
        return 0
    for package in needed + wanted:
        print(f"briefgen: installing {package} ({(required | optional)[package]})", file=sys.stderr)
    if install(needed + wanted) or (install(needed) if needed and wanted else False):
        needed = missing(list(required))
    if needed:
        print(
            "briefgen: these system packages are needed and could not be installed:\n"
            f"    {' '.join(needed)}\n"
            "Install them as root, for example:\n"
            f"    sudo apt-get install --no-install-recommends {' '.join(needed)}",
            file=sys.stderr,
        )
        return 1
    still = missing(list(optional))
    if still:
        print(f"briefgen: optional packages not installed (some tests will skip): {' '.join(still)}", file=sys.stderr)
    return 0


def main(argv: list[str]) -> int:
    required = dict(RUNTIME)
    optional: dict[str, str] = {}
    if "--with-test" in argv:
        required |= TEST
        optional |= OPTIONAL_TEST
    return ensure(required, optional)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
