"""Files a brief names (images, a Word reference document): resolved inside
the brief's folder only, and checked to be what their names claim."""

from __future__ import annotations

import os
import re
from pathlib import Path

from yaml.nodes import Node

from .context import Reader

IMAGE_TYPES = {".png", ".jpg", ".jpeg", ".gif", ".svg", ".webp"}

_SIGNATURES = {
    ".png": (b"\x89PNG\r\n\x1a\n",),
    ".jpg": (b"\xff\xd8\xff",),
    ".jpeg": (b"\xff\xd8\xff",),
    ".gif": (b"GIF87a", b"GIF89a"),
}


def local_file(r: Reader, node: Node, path: str, src: str, suffixes: set[str], kind: str) -> Path | None:
    """Resolve a path written in the brief, keeping it inside the brief's folder."""
    if re.match(r"^[A-Za-z][A-Za-z0-9+.-]*:", src) or src.startswith("//"):
        r.error(node, path, f"'{src}' is a URL; name a file in the brief's folder (nothing is fetched)")
        return None
    relative = Path(src)
    if relative.is_absolute() or src.startswith("~"):
        r.error(node, path, f"'{src}' is an absolute path; give a path relative to the brief's folder")
        return None
    if ".." in relative.parts:
        r.error(node, path, f"'{src}' leaves the brief's folder ('..'); keep the file inside it")
        return None
    candidate = r.folder / relative
    try:
        resolved = candidate.resolve(strict=True)
    except (OSError, RuntimeError):
        r.error(node, path, f"file '{src}' not found next to {r.file.name}")
        return None
    if not resolved.is_relative_to(r.folder):
        r.error(node, path, f"'{src}' is a link that leads outside the brief's folder")
        return None
    if not resolved.is_file():
        r.error(node, path, f"'{src}' is not a regular file")
        return None
    if resolved.suffix.lower() not in suffixes:
        kinds = ", ".join(sorted(suffixes))
        r.error(node, path, f"'{src}' is not {kind} ({kinds})")
        return None
    if not os.access(resolved, os.R_OK):
        r.error(node, path, f"'{src}' cannot be read (permission denied)")
        return None
    return resolved


def image_path(r: Reader, node: Node, path: str, src: str) -> Path | None:
    """An image in the brief's folder whose content matches its name."""
    resolved = local_file(r, node, path, src, IMAGE_TYPES, "an image this tool reads")
    if resolved is None:
        return None
    kind = resolved.suffix.lstrip(".").upper().replace("JPG", "JPEG")
    if not _looks_like(resolved):
        r.error(node, path, f"'{src}' is not a {kind} image (its content does not match its name)")
        return None
    problem = _undecodable(resolved)
    if problem:
        r.error(node, path, f"'{src}' cannot be read as a {kind} image: {problem}")
        return None
    return resolved


def _undecodable(path: Path) -> str | None:
    """Why the writers could not draw the image (None when they can): a
    truncated or corrupt file, or an SVG that the Word writer refuses."""
    if path.suffix.lower() == ".svg":
        return _svg_problem(path)
    from PIL import Image, ImageFile

    # WeasyPrint, once imported, tells Pillow to accept truncated files; the
    # Word writer does not, so a truncated file is refused here regardless.
    lenient, ImageFile.LOAD_TRUNCATED_IMAGES = ImageFile.LOAD_TRUNCATED_IMAGES, False
    try:
        with Image.open(path) as image:
            image.draft(image.mode, (1, 1))  # a JPEG decodes at 1/8 scale: every byte read, less work
            image.load()
    except Exception as err:  # Pillow raises many kinds for a broken file
        return f"{err} (is the file complete?)"
    finally:
        ImageFile.LOAD_TRUNCATED_IMAGES = lenient
    return None


def _svg_problem(path: Path) -> str | None:
    from xml.etree import ElementTree

    data = path.read_bytes()
    if b"<!DOCTYPE" in data[:4096] or b"<!ENTITY" in data:
        return "SVG files with a DOCTYPE or entities are refused (they can read other files)"
    try:
        root = ElementTree.fromstring(data)
    except ElementTree.ParseError as err:
        return f"the SVG is not well-formed XML ({err})"
    if not root.tag.endswith("svg"):
        return f"the file's root element is <{root.tag}>, not <svg>"
    return None


def _looks_like(path: Path) -> bool:
    """Whether the file's first bytes match the image type its name claims."""
    try:
        with path.open("rb") as handle:
            head = handle.read(1024)
    except OSError:
        return False
    suffix = path.suffix.lower()
    if suffix == ".webp":
        return head[:4] == b"RIFF" and head[8:12] == b"WEBP"
    if suffix == ".svg":
        return b"<svg" in head.lower() or head.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<?xml")
    return head.startswith(_SIGNATURES[suffix])
