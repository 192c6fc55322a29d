"""What the machine needs besides Python packages: one table, used twice.

``NEEDS`` says, for every font, library and program a build (or the test
suite) relies on, how to see whether it is there and how to install it on
Debian/Ubuntu, Fedora, macOS (Homebrew) and Windows.  ``briefgen doctor``
reports from it; ``make briefs`` runs this file (``python3
src/briefgen/system.py [--with-test]``, before the virtual environment
exists, so it uses the standard library only) to install the Debian
packages of what is missing, or print the commands where it cannot.
"""

from __future__ import annotations

import ctypes.util
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass

PLATFORMS = ("Debian/Ubuntu", "Fedora", "macOS (Homebrew)", "Windows")

#: Windows has no package manager that ships the Noto fonts.
_NOTO_ON_WINDOWS = "download {families} from https://notofonts.github.io and choose 'Install for all users'"
#: WeasyPrint's own advice on Windows: its libraries from MSYS2.
_MSYS2 = "install MSYS2 (https://www.msys2.org), then: pacman -S {packages}"


@dataclass(frozen=True)
class Need:
    """One thing outside Python: what it is, why, how to see it, how to get it."""

    key: str
    name: str
    why: str
    kind: str  # "font" (fontconfig family), "library" (shared library), "program" (on PATH)
    probes: tuple[str, ...]  # family names, library names or programs; any one will do
    use: str  # "build", "test" (the suite needs it) or "optional" (some tests skip without it)
    debian: tuple[str, ...]
    fedora: tuple[str, ...]
    brew: tuple[str, ...]  # formulae; casks as "--cask NAME"
    windows: str

    def commands(self) -> dict[str, str]:
        """The install command on each platform, as a user would type it."""
        casks = [name.split()[-1] for name in self.brew if name.startswith("--cask")]
        formulae = [name for name in self.brew if not name.startswith("--cask")]
        brew = " && ".join(
            part
            for part in (
                f"brew install {' '.join(formulae)}" if formulae else "",
                f"brew install --cask {' '.join(casks)}" if casks else "",
            )
            if part
        )
        return {
            PLATFORMS[0]: f"sudo apt-get install --no-install-recommends {' '.join(self.debian)}",
            PLATFORMS[1]: f"sudo dnf install {' '.join(self.fedora)}",
            PLATFORMS[2]: brew,
            PLATFORMS[3]: self.windows,
        }


def _font(key: str, name: str, why: str, families: tuple[str, ...], debian: str, fedora: tuple[str, ...], casks: tuple[str, ...]) -> Need:
    windows = _NOTO_ON_WINDOWS.format(families=" and ".join(families))
    return Need(key, name, why, "font", families, "build", (debian,), fedora, tuple(f"--cask {c}" for c in casks), windows)


NEEDS: tuple[Need, ...] = (
    _font("noto-serif", "Noto Serif", "the house style's text face", ("Noto Serif",),
          "fonts-noto-core", ("google-noto-serif-fonts",), ("font-noto-serif",)),
    _font("noto-sans", "Noto Sans", "the house style's headings and panels", ("Noto Sans",),
          "fonts-noto-core", ("google-noto-sans-fonts",), ("font-noto-sans",)),
    _font("noto-cjk", "Noto CJK", "Chinese, Japanese and Korean text", ("Noto Sans CJK SC", "Noto Serif CJK SC"),
          "fonts-noto-cjk", ("google-noto-sans-cjk-fonts", "google-noto-serif-cjk-fonts"),
          ("font-noto-sans-cjk-sc", "font-noto-serif-cjk-sc")),
    _font("noto-arabic", "Noto Naskh Arabic", "Arabic text", ("Noto Naskh Arabic",),
          "fonts-noto-core", ("google-noto-naskh-arabic-fonts",), ("font-noto-naskh-arabic",)),
    _font("noto-hebrew", "Noto Sans Hebrew", "Hebrew text", ("Noto Sans Hebrew",),
          "fonts-noto-core", ("google-noto-sans-hebrew-fonts",), ("font-noto-sans-hebrew",)),
    Need("pango", "Pango", "text layout for WeasyPrint (the PDF)", "library", ("pango-1.0", "pangoft2-1.0"), "build",
         ("libpango-1.0-0", "libpangoft2-1.0-0"), ("pango",), ("pango",),
         _MSYS2.format(packages="mingw-w64-ucrt-x86_64-pango")),
    Need("harfbuzz-subset", "HarfBuzz subsetting", "fast, small font subsets in every PDF", "library",
         ("harfbuzz-subset",), "build", ("libharfbuzz-subset0",), ("harfbuzz",), ("harfbuzz",),
         _MSYS2.format(packages="mingw-w64-ucrt-x86_64-harfbuzz")),
    Need("cairo", "cairo", "drawing SVG figures and charts for Word files", "library", ("cairo",), "build",
         ("libcairo2",), ("cairo",), ("cairo",), _MSYS2.format(packages="mingw-w64-ucrt-x86_64-cairo")),
    Need("poppler", "Poppler utilities", "pdftotext and pdftoppm, to check PDFs in the tests", "program",
         ("pdftoppm",), "test", ("poppler-utils",), ("poppler-utils",), ("poppler",),
         _MSYS2.format(packages="mingw-w64-ucrt-x86_64-poppler")),
    Need("qpdf", "qpdf", "structural checks of PDFs in the tests", "program", ("qpdf",), "test",
         ("qpdf",), ("qpdf",), ("qpdf",), "winget install --id QPDF.QPDF"),
    Need("libreoffice", "LibreOffice", "opening generated Word files as an editor would (tests)", "program",
         ("soffice", "libreoffice"), "optional", ("libreoffice-writer-nogui",), ("libreoffice-writer",),
         ("--cask libreoffice",), "winget install --id TheDocumentFoundation.LibreOffice"),
    Need("chromium", "Chromium", "the HTML page and the watch preview in a real browser (tests)", "program",
         ("chromium", "chromium-browser"), "optional", ("chromium",), ("chromium",),
         ("--cask chromium",), "winget install --id Hibbiki.Chromium"),
)


def needs_for(uses: tuple[str, ...]) -> list[Need]:
    return [need for need in NEEDS if need.use in uses]


def debian_packages(needs: list[Need]) -> list[str]:
    """The Debian packages of ``needs``, each once, in table order."""
    return list(dict.fromkeys(package for need in needs for package in need.debian))


# --------------------------------------------------------------------------
# Probes: is it there?  (Standard library only.)
# --------------------------------------------------------------------------


def font_families() -> set[str] | None:
    """Every family fontconfig knows (honouring FONTCONFIG_FILE), or None
    when there is no ``fc-list`` to ask."""
    if not shutil.which("fc-list"):
        return None
    listed = subprocess.run(["fc-list", ":", "family"], capture_output=True, text=True, timeout=60)
    return {name.strip() for line in listed.stdout.splitlines() for name in line.split(",") if name.strip()}


def present(need: Need, families: set[str] | None = None) -> bool | None:
    """Whether ``need`` is on this machine; None when it cannot be told."""
    if need.kind == "font":
        if families is None:
            return None
        return all(family in families for family in need.probes)
    if need.kind == "library":
        return all(ctypes.util.find_library(name) is not None for name in need.probes)
    return any(shutil.which(program) for program in need.probes)


# --------------------------------------------------------------------------
# make briefs / make test: install what is missing where we can
# --------------------------------------------------------------------------


def missing(packages: list[str]) -> list[str]:
    """The packages among ``packages`` that dpkg does not report installed."""
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


def ensure_debian(required: list[Need], optional: list[Need]) -> int:
    """Install the Debian packages of what is missing; 1 if a required one
    could not be installed (the command to run is printed)."""
    needed = missing(debian_packages(required))
    wanted = missing(debian_packages(optional))
    if not needed and not wanted:
        return 0
    why = {package: need.why for need in required + optional for package in need.debian}
    for package in needed + wanted:
        print(f"briefgen: installing {package} ({why[package]})", file=sys.stderr)
    if install(needed + wanted) or (install(needed) if needed and wanted else False):
        needed = missing(debian_packages(required))
    if needed:
        print(
            "briefgen: these system packages are needed and could not be installed:\n"
            f"    {' '.join(needed)}\n"
            "Install them as root, for example:\n"
            f"    sudo apt-get install --no-install-recommends {' '.join(needed)}",
            file=sys.stderr,
        )
        return 1
    still = missing(debian_packages(optional))
    if still:
        print(f"briefgen: optional packages not installed (some tests will skip): {' '.join(still)}", file=sys.stderr)
    return 0


def report_elsewhere(required: list[Need]) -> int:
    """Not Debian: nothing to install for the user, so say what is missing
    and how to get it on their system; 1 if a required piece is missing."""
    families = font_families()
    absent = [need for need in required if present(need, families) is False]
    for need in absent:
        print(f"briefgen: {need.name} is missing ({need.why}); install it with one of:", file=sys.stderr)
        for platform, command in need.commands().items():
            print(f"    {platform + ':':<18} {command}", file=sys.stderr)
    return 1 if absent else 0


def main(argv: list[str]) -> int:
    uses = ("build", "test") if "--with-test" in argv else ("build",)
    optional = needs_for(("optional",)) if "--with-test" in argv else []
    if shutil.which("dpkg-query"):
        return ensure_debian(needs_for(uses), optional)
    return report_elsewhere(needs_for(uses))


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
