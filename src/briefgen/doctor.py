"""`briefgen doctor`: is this machine ready to build briefs?

The knowledge (what is needed, how to see it, how to install it per
platform) is the table in ``system.py``, which ``make briefs`` uses too.
Here the libraries are also checked the way the renderers load them:
WeasyPrint's own loader says whether Pango and HarfBuzz subsetting are
usable, cairocffi whether cairo is.
"""

from __future__ import annotations

import platform
import sys
from dataclasses import dataclass

from . import system

STATUS = {True: "ok", False: "MISSING", None: "unknown"}


@dataclass(frozen=True)
class Finding:
    need: system.Need
    present: bool | None
    detail: str = ""


def _live_library(need: system.Need) -> tuple[bool | None, str]:
    """Ask the library's real user; None when it cannot be loaded to ask."""
    try:
        if need.key in ("pango", "harfbuzz-subset"):
            from weasyprint.text import ffi

            if need.key == "harfbuzz-subset":
                return ffi.harfbuzz_subset is not None, ""
            version = ffi.pango.pango_version()
            return True, f"Pango {version // 10000}.{version // 100 % 100}.{version % 100}"
        if need.key == "cairo":
            import cairocffi

            return True, f"cairo {cairocffi.cairo_version_string()}"
    except OSError as err:  # the shared library itself is missing
        return False, str(err).splitlines()[0][:120]
    except Exception:  # noqa: BLE001 - fall back to the plain look-up
        return None, ""
    return None, ""


def examine() -> list[Finding]:
    """Every need of the table, checked on this machine."""
    families = system.font_families()
    findings = []
    for need in system.NEEDS:
        detail = ""
        found = system.present(need, families)
        if need.kind == "library":
            live, detail = _live_library(need)
            if live is not None:
                found = live
        elif need.kind == "font" and families is None:
            detail = "no fc-list to ask fontconfig"
        findings.append(Finding(need, found, detail))
    return findings


def report(findings: list[Finding]) -> tuple[list[str], int]:
    """The lines to print and the exit status (1 if a build need is missing)."""
    lines = [
        f"briefgen doctor: Python {platform.python_version()} on {platform.system() or sys.platform}",
    ]
    groups = (
        ("build", "What every build needs:"),
        ("test", "What the test suite needs:"),
        ("optional", "What some tests use (they are skipped without it):"),
    )
    for use, heading in groups:
        lines += ["", heading]
        for finding in (f for f in findings if f.need.use == use):
            need = finding.need
            status = STATUS[finding.present]
            note = f" ({finding.detail})" if finding.detail else ""
            lines.append(f"  {status:<8} {need.name:<20} {need.why}{note}")
            if finding.present is False:
                for where, command in need.commands().items():
                    lines.append(f"           {where + ':':<18} {command}")
    broken = [f.need.name for f in findings if f.need.use == "build" and f.present is False]
    lines.append("")
    if broken:
        lines.append(f"missing for every build: {', '.join(broken)} (the commands to install them are above)")
    else:
        lines.append("everything a build needs is here")
    return lines, 1 if broken else 0
