"""Benchmark rows for ``briefgen pull`` and the Word writer's marker code.

Each case runs as its own ``briefgen`` process; repetitions are
interleaved (a, b, c, a, b, c, ...) so that a noisy neighbour hurts every
case alike, and each figure is the median CPU time (user + system) of the
process, with its peak memory (max RSS).  Ratios are against a baseline
measured in the same run:

- pull of the Henan Word file with 10 edits, against a pull of the same
  file unedited                                       (target < 0.5 s)
- pull of a file whose one paragraph holds 2 MiB of text, against one
  whose paragraph holds a tenth of that: the cost per MiB should be the
  same (linear)                                      (target < 5 s, < 300 MiB)
- ``build --format docx`` of a valid brief whose summary starts with
  200,000 spaces, against the same brief without them (target < 2 s)
"""

from __future__ import annotations

import copy
import random
import shutil
import statistics
import subprocess
import sys
import shlex
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BRIEFGEN = [sys.executable, "-m", "briefgen.cli"]
HENAN = ROOT / "content" / "henan-inspection.yaml"
BIG = 2 * 1024 * 1024 - 64 * 1024  # the paragraph: 2 MiB less room for the rest of the brief


#: Runs one command and reports the CPU time and peak memory of its whole
#: process tree (a build hands its work to a worker process).
_WRAPPER = """
import json, resource, subprocess, sys
done = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
usage = resource.getrusage(resource.RUSAGE_CHILDREN)
print(json.dumps([done.returncode, usage.ru_utime + usage.ru_stime, usage.ru_maxrss, done.stderr.decode()[-2000:]]))
"""


def cpu_timed(command: list[str], cwd: Path) -> tuple[float, int]:
    """CPU seconds (user + system) and peak RSS (MiB) of one command and
    everything it starts."""
    import json

    done = subprocess.run([sys.executable, "-c", _WRAPPER, *command], cwd=cwd, capture_output=True, text=True, check=True)
    code, seconds, peak, err = json.loads(done.stdout)
    if code != 0:
        sys.exit(f"command failed: {' '.join(command)}\n{err}")
    return seconds, peak // 1024


def _build_docx(folder: Path, name: str) -> Path:
    subprocess.run([*BRIEFGEN, "build", f"content/{name}.yaml", "--out", "build", "--format", "docx"],
                   cwd=folder, check=True, capture_output=True)
    return folder / "build" / f"{name}.docx"


def _ten_edits(source: Path, target: Path) -> None:
    """Ten edits of the kinds editors make: rewordings, a bold phrase, an
    added item and paragraph, a removed paragraph, a straight apostrophe."""
    import docx
    from docx.oxml.ns import qn

    document = docx.Document(str(source))
    paragraphs = [p for p in document.paragraphs if len(p.text) > 80 and p.runs and not p.runs[0].bold]

    def reword(paragraph, old: str, new: str) -> None:
        for run in paragraph.runs:
            if old in run.text:
                run.text = run.text.replace(old, new, 1)
                return

    for index, paragraph in enumerate(paragraphs[:6]):
        word = next(w for w in paragraph.runs[0].text.split() if w.isalpha() and len(w) > 4)
        reword(paragraph, word, f"{word}'s" if index == 0 else word.upper())
    paragraphs[6].runs[0].bold = True

    def add_after(paragraph, text: str) -> None:
        new = copy.deepcopy(paragraph._p)
        for child in list(new):
            if child.tag != qn("w:pPr"):
                new.remove(child)
        paragraph._p.addnext(new)
        docx.text.paragraph.Paragraph(new, paragraph._parent).add_run(text)

    add_after(paragraphs[7], "A paragraph the editor added -- with straight quotes' and dashes...")
    items = [p for p in document.paragraphs if p.style.name.startswith("List") and p.runs]
    add_after(items[0], "An item the editor added.")
    paragraphs[9]._p.getparent().remove(paragraphs[9]._p)
    document.save(str(target))


def _long_paragraph(source: Path, target: Path, size: int) -> None:
    import docx

    rng = random.Random(size)
    words = []
    total = 0
    while total < size:
        word = "".join(rng.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(rng.randint(2, 9)))
        words.append(word)
        total += len(word) + 1
    document = docx.Document(str(source))
    paragraph = next(p for p in document.paragraphs if len(p.text) > 200)
    for run in paragraph.runs[1:]:
        run._r.getparent().remove(run._r)
    paragraph.runs[0].text = " ".join(words)[:size]
    document.save(str(target))


def _fresh_build(brief: str, out: str) -> list[str]:
    """A docx build into an emptied folder, so that it is never up to date."""
    command = " ".join(shlex.quote(part) for part in [*BRIEFGEN, "build", brief, "--out", out, "--format", "docx"])
    return ["sh", "-c", f"rm -rf {shlex.quote(out)} && exec {command}"]


def pull_rows(work: Path, runs: int) -> list[tuple[str, str, str, str]]:
    folder = work / "pull"
    (folder / "content").mkdir(parents=True)
    shutil.copy(HENAN, folder / "content")
    built = _build_docx(folder, "henan-inspection")
    plain, edited = folder / "plain.docx", folder / "edited.docx"
    shutil.copy(built, plain)
    _ten_edits(built, edited)
    big, small = folder / "big.docx", folder / "small.docx"
    _long_paragraph(built, big, BIG)
    _long_paragraph(built, small, BIG // 10)

    text = HENAN.read_text("utf-8")
    start = text.index("summary: >-")
    spaces = folder / "content" / "spaces.yaml"
    body_end = text.index("\n\n", start)
    summary = " ".join(line.strip() for line in text[start + len("summary: >-") : body_end].split("\n")).strip()
    spaces.write_text(text[:start] + "summary: \"" + " " * 200_000 + summary + "\"" + text[body_end:], "utf-8")
    (folder / "content" / "nospaces.yaml").write_text(text[:start] + f'summary: "{summary}"' + text[body_end:], "utf-8")

    brief = ["--yaml", "content/henan-inspection.yaml", "--dry-run"]
    cases = {
        "pull-plain": [*BRIEFGEN, "pull", str(plain), *brief],
        "pull-edited": [*BRIEFGEN, "pull", str(edited), *brief],
        "pull-small": [*BRIEFGEN, "pull", str(small), *brief],
        "pull-big": [*BRIEFGEN, "pull", str(big), *brief],
        "build-nospaces": _fresh_build("content/nospaces.yaml", "out-nospaces"),
        "build-spaces": _fresh_build("content/spaces.yaml", "out-spaces"),
    }
    seconds: dict[str, list[float]] = {name: [] for name in cases}
    peaks: dict[str, int] = {name: 0 for name in cases}
    for _ in range(runs):
        for name, command in cases.items():
            cpu, peak = cpu_timed(command, folder)
            seconds[name].append(cpu)
            peaks[name] = max(peaks[name], peak)
    m = {name: statistics.median(values) for name, values in seconds.items()}
    per_mib_big = (m["pull-big"] - m["pull-plain"]) / (BIG / 2**20)
    per_mib_small = (m["pull-small"] - m["pull-plain"]) / (BIG / 10 / 2**20)
    return [
        ("pull: Henan Word file, unedited (baseline)", f"{m['pull-plain']:.2f} s", "1.00x", f"peak {peaks['pull-plain']} MiB"),
        ("pull: Henan Word file with 10 edits", f"{m['pull-edited']:.2f} s",
         f"{m['pull-edited'] / m['pull-plain']:.2f}x unedited (target < 0.5 s)", f"peak {peaks['pull-edited']} MiB"),
        (f"pull: a paragraph of {BIG / 2**20:.2f} MiB", f"{m['pull-big']:.2f} s",
         f"{per_mib_big:.2f} s/MiB = {per_mib_big / max(per_mib_small, 1e-9):.2f}x the cost per MiB of a "
         f"{BIG / 10 / 2**20:.2f} MiB one (target < 5 s, < 300 MiB)", f"peak {peaks['pull-big']} MiB"),
        ("build --format docx, summary after 200,000 spaces", f"{m['build-spaces']:.2f} s",
         f"{m['build-spaces'] / m['build-nospaces']:.2f}x without the spaces (target < 2 s)",
         f"peak {peaks['build-spaces']} MiB"),
    ]
