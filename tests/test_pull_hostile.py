"""No Word file can break ``briefgen pull``: a generated corpus of damaged
and hostile files, each pulled in a forked child with a time and memory
bound, each giving exactly one ``error:`` line, exit status 1 and no
traceback.

The corpus is made from a freshly built brief, deterministically (fixed
seeds): the crash classes found by fuzzing (a corrupt deflate stream, an
unsupported zip method or version, an encrypted entry, bookmark names and
list levels that are not ASCII numbers, deeply nested record JSON, record
fields of the wrong type), zip bombs, DOCTYPE and ENTITY declarations,
truncations, byte flips, oversized text, deep nesting, and special files.
"""

from __future__ import annotations

import io
import json
import os
import random
import resource
import shutil
import signal
import struct
import traceback
import warnings
import zipfile
import zlib
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import ROOT
from test_pull import REFERENCE

from briefgen.cli import main
from briefgen.read import load_brief
from briefgen.writers.docx import render_docx

BRIEF = "content/henan-inspection.yaml"
RECORD = "customXml/item2.xml"  # item1 is the reference document's bibliography part
#: Each pull gets this much CPU time and memory above what the test process holds.
CPU_SECONDS = 8.0
MEMORY_BYTES = 400 * 1024 * 1024


# --------------------------------------------------------------------------
# Zip surgery at the byte level (zipfile refuses to write what we need)
# --------------------------------------------------------------------------


def _entries(data: bytes) -> dict[str, tuple[int, int]]:
    """Name -> (local header offset, central directory entry offset)."""
    archive = zipfile.ZipFile(io.BytesIO(data))
    central = {}
    at = archive.start_dir
    while data[at : at + 4] == b"PK\x01\x02":
        name_len, extra_len, comment_len = struct.unpack("<HHH", data[at + 28 : at + 34])
        name = data[at + 46 : at + 46 + name_len].decode("utf-8", "replace")
        central[name] = at
        at += 46 + name_len + extra_len + comment_len
    return {info.filename: (info.header_offset, central[info.filename]) for info in archive.infolist()}


def _patch(data: bytes, name: str, *, local: dict[int, bytes], central: dict[int, bytes]) -> bytes:
    out = bytearray(data)
    local_at, central_at = _entries(data)[name]
    for offset, value in local.items():
        out[local_at + offset : local_at + offset + len(value)] = value
    for offset, value in central.items():
        out[central_at + offset : central_at + offset + len(value)] = value
    return bytes(out)


def _data_range(data: bytes, name: str) -> tuple[int, int]:
    local_at, _ = _entries(data)[name]
    name_len, extra_len = struct.unpack("<HH", data[local_at + 26 : local_at + 30])
    size = struct.unpack("<I", data[local_at + 18 : local_at + 22])[0]
    start = local_at + 30 + name_len + extra_len
    return start, start + size


def _rezip(data: bytes, replace: dict[str, bytes], *, add: list[tuple[str, bytes]] = (), method=zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as old, zipfile.ZipFile(buffer, "w", method) as new:
        for info in old.infolist():
            new.writestr(info.filename, replace.get(info.filename, old.read(info.filename)))
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # a duplicate name is the point of one case
            for name, content in add:
                new.writestr(name, content)
    return buffer.getvalue()


def _read(data: bytes, name: str) -> bytes:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return archive.read(name)


def _record(data: bytes) -> dict:
    text = _read(data, RECORD).decode()
    return json.loads(text[text.index(">", text.index("<briefgen")) + 1 : text.rindex("</briefgen>")])


def _with_record(data: bytes, payload: str) -> bytes:
    escaped = payload.replace("&", "&amp;").replace("<", "&lt;")
    xml = f'<?xml version="1.0"?><briefgen xmlns="urn:briefgen:pull" format="1">{escaped}</briefgen>'
    return _rezip(data, {RECORD: xml.encode()})


def _document(data: bytes, edit) -> bytes:
    return _rezip(data, {"word/document.xml": edit(_read(data, "word/document.xml"))})


def _noise(seed: int, size: int) -> str:
    """Text that does not compress well, so a size limit is met before a ratio one."""
    rng = random.Random(seed)
    return "".join(rng.choice("abcdefghijklmnopqrstuvwxyz ") for _ in range(size))


# --------------------------------------------------------------------------
# The corpus
# --------------------------------------------------------------------------


def _damaged(good: bytes) -> dict[str, tuple[bytes, str]]:
    """Name -> (file bytes, a fragment the error line must hold)."""
    corpus: dict[str, tuple[bytes, str]] = {}
    doc_start, doc_end = _data_range(good, "word/document.xml")

    # the crash classes
    for k in range(6):
        flipped = bytearray(good)
        at = doc_start + (doc_end - doc_start) * (k + 1) // 8
        flipped[at : at + 16] = bytes((b ^ 0xA5) for b in flipped[at : at + 16])
        corpus[f"corrupt-deflate-{k}"] = (bytes(flipped), "word/document.xml")
    corpus["zip-method-99"] = (_patch(good, "word/document.xml", local={8: b"\x63\x00"}, central={10: b"\x63\x00"}), "zip method 99")
    corpus["zip-method-bzip2"] = (_patch(good, "word/document.xml", local={8: b"\x0c\x00"}, central={10: b"\x0c\x00"}), "zip method 12")
    corpus["zip-version-9.9"] = (_patch(good, "word/document.xml", local={4: b"\x63\x00"}, central={6: b"\x63\x00"}), "zip file version")
    corpus["encrypted-entry"] = (_patch(good, "word/document.xml", local={6: b"\x01\x00"}, central={8: b"\x01\x00"}), "encrypted")
    corpus["encrypted-record"] = (_patch(good, RECORD, local={6: b"\x01\x00"}, central={8: b"\x01\x00"}), "encrypted")
    corpus["record-nested-100000"] = (_with_record(good, '{"units": ' + "[" * 100_000 + "]" * 100_000 + "}"), "nests too deeply")
    corpus["record-nested-object"] = (_with_record(good, '{"units": [' + '{"a":' * 50_000 + "1" + "}" * 50_000 + "]}"), "")
    corpus["record-nested-2000"] = (_with_record(good, '{"units": [' + '{"a":' * 2000 + "1" + "}" * 2000 + "]}"), "nests too deeply")
    record = _record(good)
    wrong = {
        "units-string": {**record, "units": "x"},
        "units-of-numbers": {**record, "units": [1, 2]},
        "unit-path-number": {**record, "units": [{**record["units"][0], "path": 5}]},
        "unit-path-objects": {**record, "units": [{**record["units"][0], "path": [{"a": 1}]}]},
        "unit-id-string": {**record, "units": [{**record["units"][0], "id": "1"}]},
        "unit-id-bool": {**record, "units": [{**record["units"][0], "id": True}]},
        "unit-id-huge": {**record, "units": [{**record["units"][0], "id": 10**40}]},
        "unit-kind-unknown": {**record, "units": [{**record["units"][0], "kind": "table"}]},
        "unit-level-list": {**record, "units": [{**record["units"][0], "level": [1]}]},
        "unit-spans-map": {**record, "units": [{**record["units"][0], "spans": {"a": 1}}]},
        "unit-span-numbers": {**record, "units": [{**record["units"][0], "spans": [[1, 2]]}]},
        "unit-span-note-short": {**record, "units": [{**record["units"][0], "spans": [["^"]]}]},
        "styles-list": {**record, "styles": [1]},
        "note-numbers-number": {**record, "note_numbers": 5},
        "duplicate-ids": {**record, "units": record["units"][:2] + record["units"][:1]},
        "base-not-base64": {**record, "base": "%%%"},
        "base-number": {**record, "base": 12},
        "base-cut-short": {**record, "base": __import__("base64").b64encode(zlib.compress(b"title: x\n" * 1000)[:-20]).decode()},
        "base-bomb": {**record, "base": __import__("base64").b64encode(zlib.compress(b" " * (8 << 20))).decode()},
        "base-not-the-hash": {**record, "base": __import__("base64").b64encode(zlib.compress(b"title: other\n")).decode()},
    }
    for label, payload in wrong.items():
        corpus[f"record-{label}"] = (_with_record(good, json.dumps(payload)), "")
    corpus["record-huge-int-digits"] = (_with_record(good, '{"units": [{"id": ' + "7" * 5000 + "}]}"), "damaged")
    corpus["record-not-json"] = (_with_record(good, "{units: nope"), "not JSON")
    corpus["record-array"] = (_with_record(good, "[1, 2, 3]"), "not a JSON object")

    # zip bombs
    corpus["bomb-ratio"] = (_rezip(good, {}, add=[("word/media/padding.bin", b"\0" * (20 << 20))]), "zip bomb")
    corpus["bomb-xml-ratio"] = (_rezip(good, {"word/document.xml": b"<a>" + b" " * (20 << 20) + b"</a>"}), "zip bomb")
    lying = _patch(good, "word/document.xml", local={22: struct.pack("<I", 100)}, central={24: struct.pack("<I", 100)})
    corpus["bomb-lying-size"] = (lying, "word/document.xml")
    huge = good
    for name in ("word/styles.xml", "word/numbering.xml"):
        huge = _patch(huge, name, local={22: struct.pack("<I", 200 << 20)}, central={24: struct.pack("<I", 200 << 20)})
    corpus["bomb-declared-total"] = (huge, "256 MiB")
    corpus["bomb-entry-size"] = (_patch(good, "word/styles.xml", local={22: struct.pack("<I", 100 << 20)}, central={24: struct.pack("<I", 100 << 20)}), "64 MiB")
    corpus["bomb-entries"] = (_rezip(good, {}, add=[(f"x/{n}.bin", b"") for n in range(2100)], method=zipfile.ZIP_STORED), "entries (at most 2000")
    corpus["duplicate-entry"] = (_rezip(good, {}, add=[("word/document.xml", b"<w:document/>")]), "twice")

    # DOCTYPE and ENTITY
    laughs = b'<?xml version="1.0"?><!DOCTYPE l [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]><l>&b;</l>'
    external = b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><x>&e;</x>'
    corpus["doctype-document"] = (_document(good, lambda x: x.replace(b"?>", b'?><!DOCTYPE d [<!ENTITY x "boom">]>', 1)), "DOCTYPE")
    corpus["billion-laughs-record"] = (_rezip(good, {RECORD: laughs}), "DOCTYPE")
    corpus["external-entity-custom"] = (_rezip(good, {"docProps/custom.xml": external}), "DOCTYPE")
    corpus["external-entity-rels"] = (_rezip(good, {"word/_rels/document.xml.rels": external}), "DOCTYPE")
    corpus["doctype-utf16"] = (_rezip(good, {}, add=[("word/footnotes.xml", '<?xml version="1.0" encoding="UTF-16"?><!DOCTYPE x><x/>'.encode("utf-16"))]), "DOCTYPE")
    corpus["entity-lowercase-spaced"] = (_rezip(good, {}, add=[("word/comments.xml", b"<?xml version='1.0'?><! doctype x><x/>")]), "DOCTYPE")

    # truncation and byte flips
    for k in range(1, 17):
        corpus[f"truncated-{k}of17"] = (good[: len(good) * k // 17], "")
    corpus["truncated-to-zero"] = (b"", "not a Word file")
    corpus["only-end-record"] = (good[-22:], "")
    rng = random.Random(20261201)
    for name in ("word/document.xml", RECORD, "docProps/custom.xml", "word/styles.xml"):
        start, end = _data_range(good, name)
        for k in range(5):
            flipped = bytearray(good)
            for _ in range(4):
                at = rng.randrange(start, max(start + 1, end - 8))
                flipped[at] ^= 1 << rng.randrange(8)
            corpus[f"flip-{name.replace('/', '_')}-{k}"] = (bytes(flipped), name.split("/")[-1])

    # malformed XML and oversized, deeply nested content
    corpus["not-well-formed"] = (_document(good, lambda x: x.replace(b"</w:body>", b"</w:bodyy>")), "not well-formed")
    corpus["not-utf8"] = (_document(good, lambda x: x.replace(b"Henan", b"He\xffnan", 1)), "not well-formed")
    corpus["nested-sdt-100000"] = (
        _document(good, lambda x: x.replace(b"<w:body>", b"<w:body>" + b"<w:sdt><w:sdtContent>" * 100_000 + b"</w:sdtContent></w:sdt>" * 100_000, 1)),
        "",
    )
    corpus["nested-sdt-300"] = (
        _document(good, lambda x: x.replace(b"<w:body>", b"<w:body>" + b"<w:sdt><w:sdtContent>" * 300 + b"</w:sdtContent></w:sdt>" * 300, 1)),
        "not well-formed",
    )
    big = _noise(1, 2 * 1024 * 1024 + 10)
    corpus["paragraph-over-2mib"] = (
        _document(good, lambda x: x.replace(b"<w:body>", f"<w:body><w:p><w:r><w:t>{big}</w:t></w:r></w:p>".encode(), 1)),
        "more than 2,097,152 characters",
    )
    words = _noise(2, 220_000 * 3).split()
    many = "".join(f"<w:p><w:r><w:t>{word}</w:t></w:r></w:p>" for word in words[:200_001] + ["x"] * max(0, 200_001 - len(words)))
    corpus["paragraphs-over-200000"] = (
        _document(good, lambda x: x.replace(b"<w:body>", f"<w:body>{many}".encode(), 1)),
        "more than 200,000 paragraphs",
    )
    begin = '<w:r><w:fldChar w:fldCharType="begin"/></w:r>' * 40
    corpus["fields-nested-40"] = (_document(good, lambda x: x.replace(b"<w:body>", f"<w:body><w:p>{begin}</w:p>".encode(), 1)), "nests fields")
    long_instruction = '<w:r><w:fldChar w:fldCharType="begin"/></w:r>' + "<w:r><w:instrText>HYPERLINK x</w:instrText></w:r>" * 1000
    corpus["field-instruction-long"] = (_document(good, lambda x: x.replace(b"<w:body>", f"<w:body><w:p>{long_instruction}</w:p>".encode(), 1)), "instruction")
    corpus["no-body"] = (_document(good, lambda x: x.replace(b"<w:body>", b"<w:bodx>").replace(b"</w:body>", b"</w:bodx>")), "no body")
    corpus["no-document"] = (_without(good, "word/document.xml"), "no word/document.xml")
    corpus["no-record"] = (_without(good, RECORD), "not made by briefgen")
    corpus["format-99"] = (_rezip(good, {"docProps/custom.xml": _read(good, "docProps/custom.xml").replace(b"<vt:i4>1</vt:i4>", b"<vt:i4>99</vt:i4>")}), "format is 99")
    corpus["not-a-zip"] = (b"PK\x03\x04 this only looks like a zip" * 10, "")
    corpus["random-bytes"] = (random.Random(7).randbytes(50_000), "not a Word file")
    return corpus


def _readable(good: bytes) -> dict[str, bytes]:
    """Odd values Word never writes that must not crash pull either: the
    file still reads, and as the brief (the bookmark is matched by position)."""
    corpus = {}
    for label, value in (("superscript", "\u00b2"), ("arabic-indic", "\u0663"), ("5000-digits", "9" * 5000)):
        corpus[f"ilvl-{label}"] = _document(good, lambda x, v=value: x.replace(b'<w:ilvl w:val="0"/>', f'<w:ilvl w:val="{v}"/>'.encode()))
        corpus[f"bookmark-{label}"] = _document(good, lambda x, v=value: x.replace(b'w:name="_bg_1"', f'w:name="_bg_{v}"'.encode(), 1))
    rng = random.Random(46)
    for k in range(6):  # a byte of the document's central directory entry: harmless or one error
        flipped = bytearray(good)
        flipped[_entries(good)["word/document.xml"][1] + rng.randrange(0, 46)] ^= 0xFF
        corpus[f"flip-central-directory-{k}"] = bytes(flipped)
    return corpus


def _without(data: bytes, name: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as old, zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as new:
        for info in old.infolist():
            if info.filename != name:
                new.writestr(info.filename, old.read(info.filename))
    return buffer.getvalue()


# --------------------------------------------------------------------------
# Running one pull, isolated and bounded
# --------------------------------------------------------------------------


def _resident() -> int:
    with open("/proc/self/statm") as handle:
        return int(handle.read().split()[1]) * resource.getpagesize()


def _pull_isolated(args: list[str], timeout: int = 30) -> dict:
    """Run ``briefgen ARGS`` in a forked child (so a hang or a blow-up is
    contained) and report its exit code, output, CPU time and memory."""
    read, write = os.pipe()
    before = _resident()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child
        os.close(read)
        report: dict = {}
        try:
            signal.alarm(timeout)
            result = CliRunner().invoke(main, args)
            crashed = result.exception is not None and not isinstance(result.exception, SystemExit)
            report = {
                "code": result.exit_code,
                "output": result.output,
                "traceback": "".join(traceback.format_exception(result.exception)) if crashed else "",
            }
        except BaseException as err:  # noqa: BLE001 - report anything at all
            report = {"code": -1, "output": "", "traceback": repr(err)}
        finally:
            os.write(write, json.dumps(report).encode())
            os._exit(0)
    os.close(write)
    chunks = []
    while chunk := os.read(read, 1 << 16):
        chunks.append(chunk)
    os.close(read)
    _, status, usage = os.wait4(pid, 0)
    report = json.loads(b"".join(chunks) or b'{"code": -2, "output": "", "traceback": "killed"}')
    report["cpu"] = usage.ru_utime + usage.ru_stime
    report["memory"] = usage.ru_maxrss * 1024 - before
    report["status"] = status
    return report


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    folder = tmp_path_factory.mktemp("hostile")
    (folder / "content").mkdir()
    shutil.copy(ROOT / BRIEF, folder / "content")
    old = Path.cwd()
    os.chdir(folder)
    try:
        good = render_docx(load_brief(Path(BRIEF)), reference=REFERENCE)
    finally:
        os.chdir(old)
    return folder, good


@pytest.fixture(scope="module")
def corpus(project):
    folder, good = project
    target = folder / "corpus"
    target.mkdir()
    files = {}
    for name, (data, fragment) in _damaged(good).items():
        path = target / f"{name}.docx"
        path.write_bytes(data)
        files[name] = (path, fragment)
    return files


def _assert_one_error(report: dict, fragment: str, label: str) -> None:
    output = report["output"]
    assert not report["traceback"] and "Traceback" not in output, f"{label}: {report['traceback'] or output}"
    assert report["code"] == 1, f"{label}: exit {report['code']}: {output}"
    errors = [line for line in output.splitlines() if "error:" in line]
    assert len(errors) == 1, f"{label}: {output}"
    assert fragment in errors[0], f"{label}: {errors[0]!r} lacks {fragment!r}"
    assert report["cpu"] < CPU_SECONDS, f"{label}: {report['cpu']:.1f} s of CPU"
    assert report["memory"] < MEMORY_BYTES, f"{label}: {report['memory'] >> 20} MiB"


def test_corpus_of_damaged_files_gives_one_error_line_each(project, corpus, monkeypatch):
    folder, _ = project
    monkeypatch.chdir(folder)
    before = (folder / BRIEF).read_bytes()
    failures = []
    for name, (path, fragment) in sorted(corpus.items()):
        report = _pull_isolated(["pull", str(path), "--yaml", BRIEF])
        try:
            _assert_one_error(report, fragment, name)
        except AssertionError as err:
            failures.append(str(err))
    assert not failures, f"{len(failures)} of {len(corpus)} files:\n" + "\n".join(failures)
    assert (folder / BRIEF).read_bytes() == before  # nothing written, ever
    assert len(corpus) >= 100


def test_odd_but_readable_files_never_crash(project, monkeypatch, tmp_path):
    folder, good = project
    monkeypatch.chdir(folder)
    outcomes = {}
    for name, data in _readable(good).items():
        path = tmp_path / f"{name}.docx"
        path.write_bytes(data)
        report = _pull_isolated(["pull", str(path), "--yaml", BRIEF])
        if report["code"] == 0:
            assert "no changes" in report["output"] and not report["traceback"], f"{name}: {report}"
        else:
            _assert_one_error(report, "", name)
        outcomes[name] = report["code"]
    assert all(outcomes[n] == 0 for n in outcomes if n.startswith(("ilvl", "bookmark"))), outcomes


def test_special_files_are_refused_at_once(project, monkeypatch, tmp_path):
    folder, _ = project
    monkeypatch.chdir(folder)
    fifo = tmp_path / "pipe.docx"
    os.mkfifo(fifo)
    zero = tmp_path / "zero.docx"
    zero.symlink_to("/dev/zero")
    null = tmp_path / "null.docx"
    null.symlink_to("/dev/null")
    folder_docx = tmp_path / "folder.docx"
    folder_docx.mkdir()
    dangling = tmp_path / "dangling.docx"
    dangling.symlink_to(tmp_path / "nowhere")
    cases = {
        fifo: "named pipe", zero: "character device", null: "character device",
        folder_docx: "a folder", dangling: "cannot read", tmp_path / "missing.docx": "cannot read",
    }
    for path, fragment in cases.items():
        report = _pull_isolated(["pull", str(path), "--yaml", BRIEF], timeout=10)
        _assert_one_error(report, fragment, path.name)
        assert report["cpu"] < 2
    # the brief named with --yaml is held to the same rule
    report = _pull_isolated(["pull", str(next(iter(cases))), "--yaml", str(fifo)], timeout=10)
    assert report["code"] == 1 and not report["traceback"]


def test_error_lines_name_the_file_once(project, corpus, monkeypatch):
    folder, _ = project
    monkeypatch.chdir(folder)
    path, _ = corpus["encrypted-entry"]
    result = CliRunner().invoke(main, ["pull", str(path), "--yaml", BRIEF])
    line = next(line for line in result.output.splitlines() if "error:" in line)
    assert line.startswith(f"{path}: error: ") and line.count(str(path)) == 1, line


def test_a_record_that_lies_about_the_brief_never_crashes(project, monkeypatch, tmp_path):
    """Records that read well but describe another brief: each pull either
    succeeds or says what is wrong; none ends in a traceback."""
    folder, good = project
    monkeypatch.chdir(folder)
    record = _record(good)
    units = record["units"]
    rng = random.Random(5)
    lies = {
        "paths-elsewhere": [{**u, "path": ["sections", 999, "body", 0]} for u in units],
        "paths-through-scalars": [{**u, "path": ["title", "x", 3]} for u in units],
        "blocks-wrong": [{**u, "block": ["sections", "zz"]} for u in units],
        "all-terms": [{**u, "kind": "term"} for u in units],
        "items-end-in-keys": [{**u, "kind": "term", "path": [*u["path"][:-1], "items"]} for u in units],
        "texts-swapped": [{**u, "spans": units[(i + 7) % len(units)].get("spans", [])} for i, u in enumerate(units)],
        "shuffled-paths": [{**u, "path": units[rng.randrange(len(units))]["path"]} for u in units],
        "prefixes": [{**u, "prefix": "Label: "} for u in units],
        "empty": [],
    }
    outcomes = {}
    for label, lie in lies.items():
        path = tmp_path / f"{label}.docx"
        path.write_bytes(_with_record(good, json.dumps({**record, "units": lie})))
        report = _pull_isolated(["pull", str(path), "--yaml", BRIEF, "--dry-run"])
        assert not report["traceback"] and "Traceback" not in report["output"], f"{label}: {report['traceback']}"
        assert report["code"] in (0, 1), f"{label}: {report}"
        assert report["code"] == 0 or "error:" in report["output"], f"{label}: {report['output']}"
        outcomes[label] = report["code"]
    assert set(outcomes.values()) <= {0, 1}
