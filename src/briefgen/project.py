"""Project-wide settings from ``briefgen.toml`` at the project's root.

A project sets defaults for every brief (house theme, Word reference
document, PDF variant, section numbering); a brief's own keys override
them, and command-line options override both.

```toml
theme = "memo"
reference_docx = "templates/house.docx"
pdf_variant = "pdf/a-3u"
section_numbers = true

[labels]                 # the house's words, over the language's catalog
key_points = "At a glance"
```
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

from . import spec
from .errors import BriefErrors, Diagnostic
from .labels import label_problems
from .suggest import did_you_mean

PROJECT_FILE = "briefgen.toml"
KEYS = {
    "theme": "House style: templates/themes/NAME.css.",
    "reference_docx": "Word reference document, relative to the project root.",
    "pdf_variant": "'pdf/ua-1' (default) or 'pdf/a-3u'.",
    "section_numbers": "Number the sections in every brief.",
    "templates": "Your templates folder, relative to the project root (default: templates): its files override the packaged ones, file by file.",
    "labels": "Generated words to override, by label name (summary, key_points, page, ...; see docs/format.md).",
}


@dataclass(frozen=True)
class Project:
    root: Path = Path(".")
    theme: str | None = None
    reference_docx: Path | None = None
    pdf_variant: str | None = None
    section_numbers: bool | None = None
    templates: Path | None = None
    labels: tuple[tuple[str, str], ...] = ()


def load_project(root: Path) -> Project:
    """The settings in ``root/briefgen.toml``, or defaults when there is none."""
    path = root / PROJECT_FILE
    if not path.is_file():
        return Project(root)
    text = path.read_text("utf-8", errors="replace")
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as err:
        where = re.search(r"at line (\d+), column (\d+)", str(err))
        line, column = (int(where[1]), int(where[2])) if where else (1, 1)
        message = re.sub(r"\s*\(at line \d+, column \d+\)", "", str(err))
        raise BriefErrors([Diagnostic(path, line, column, "error", f"TOML syntax error: {message}")]) from None

    problems: list[Diagnostic] = []

    def report(key: str, message: str) -> None:
        match = re.search(rf"^\s*{re.escape(key)}\s*=", text, re.MULTILINE)
        line = text.count("\n", 0, match.start()) + 1 if match else 1
        problems.append(Diagnostic(path, line, 1, "error", message, key))

    settings: dict = {}
    for key, value in data.items():
        if key not in KEYS:
            report(key, f"unknown setting '{key}'{did_you_mean(key, KEYS)}")
        elif key == "labels":
            if not isinstance(value, dict):
                report(key, "expected a table: [labels] with name = \"text\" lines")
                continue
            words = []
            for name, word in value.items():
                problem = label_problems(str(name), word)
                if problem:
                    report(str(name), problem)
                else:
                    words.append((str(name), str(word)))
            settings[key] = tuple(words)
        elif key == "section_numbers":
            if isinstance(value, bool):
                settings[key] = value
            else:
                report(key, "expected true or false")
        elif not isinstance(value, str) or not value.strip():
            report(key, "expected a text value")
        elif key == "pdf_variant" and value not in spec.CHOICES["pdf_variant"]:
            allowed = ", ".join(f"'{v}'" for v in spec.CHOICES["pdf_variant"])
            report(key, f"'{value}' is not one of {allowed}")
        elif key == "theme" and not re.fullmatch(spec.SLUG_PATTERN, value):
            report(key, f"'{value}' is not a theme name (lower-case letters, digits, hyphens)")
        elif key in ("reference_docx", "templates"):
            resolved = _inside(root, value)
            if resolved is None:
                report(key, f"'{value}' must be a path inside the project")
            elif not resolved.exists():
                report(key, f"'{value}' does not exist")
            else:
                settings[key] = resolved
        else:
            settings[key] = value
    if problems:
        raise BriefErrors(problems)
    return Project(root, **settings)


def _inside(root: Path, value: str) -> Path | None:
    relative = Path(value)
    if relative.is_absolute() or ".." in relative.parts:
        return None
    resolved = (root / relative).resolve()
    return resolved if resolved.is_relative_to(root.resolve()) else None
