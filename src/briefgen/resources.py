"""Where the files that shape the outputs live: the project's, then ours.

The default templates, themes, label catalogs and Word reference document
are package data (``briefgen/templates``), so an installed wheel builds
briefs in any folder without reading anything from a source tree.  A
project restyles by putting *only the files it changes* in its own
templates folder (``templates/``, ``templates = ...`` in ``briefgen.toml``
or ``--templates``): every file is looked up there first, then in the
package.  One CSS file, one partial, a theme, a logo, the reference
document or a label catalog can each be replaced alone.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path, PurePosixPath


def packaged_templates() -> Path:
    """The templates folder shipped inside the package."""
    return Path(str(files("briefgen") / "templates"))


@dataclass(frozen=True)
class Templates:
    """The template folders in lookup order: the project's first, the
    packaged ones last (picklable, so build workers get it as is)."""

    folders: tuple[Path, ...]

    @classmethod
    def layered(cls, project: Path | "Templates" | None = None) -> "Templates":
        """``project`` (a folder, possibly partial) over the packaged files.

        A folder that *is* the packaged one (or already a ``Templates``)
        gives no extra layer.
        """
        if isinstance(project, Templates):
            return project
        packaged = packaged_templates().resolve()
        if project is None or Path(project).resolve() == packaged:
            return cls((packaged,))
        return cls((Path(project).resolve(), packaged))

    @property
    def project(self) -> Path | None:
        """The project's own folder, if any."""
        return self.folders[0] if len(self.folders) > 1 else None

    def find(self, name: str) -> Path | None:
        """The first file called ``name`` (a relative, forward-slash path)."""
        relative = _relative(name)
        if relative is None:
            return None
        for folder in self.folders:
            path = folder / relative
            if path.is_file():
                return path
        return None

    def require(self, name: str) -> Path:
        """Like :meth:`find`, but a missing file is an error naming the folders."""
        path = self.find(name)
        if path is None:
            where = " or ".join(str(folder) for folder in self.folders)
            raise FileNotFoundError(f"{name} is in none of the template folders ({where})")
        return path

    def names(self, folder: str, suffix: str) -> tuple[str, ...]:
        """Stems of the files ``folder/*suffix`` in any layer, sorted."""
        found = {
            path.name[: -len(suffix)]
            for root in self.folders
            if (root / folder).is_dir()
            for path in (root / folder).iterdir()
            if path.name.endswith(suffix) and path.is_file()
        }
        return tuple(sorted(found))

    def contains(self, path: Path) -> bool:
        """Whether ``path`` lies inside one of the folders."""
        resolved = path.resolve()
        return any(resolved.is_relative_to(folder) for folder in self.folders)

    def files(self) -> dict[str, Path]:
        """Every file by its relative name, as the lookup resolves it."""
        found: dict[str, Path] = {}
        for root in reversed(self.folders):
            for path in sorted(root.rglob("*")):
                if path.is_file() and not _hidden(path.relative_to(root)):
                    found[path.relative_to(root).as_posix()] = path
        return dict(sorted(found.items()))

    def digest(self) -> str:
        """A hash of every layer's files (for the incremental build): a file
        added to, changed in or removed from either layer changes it."""
        digest = hashlib.sha256()
        for index, root in enumerate(self.folders):
            digest.update(f"layer {index}\0".encode())
            for path in sorted(root.rglob("*")):
                if path.is_file() and not _hidden(path.relative_to(root)):
                    digest.update(path.relative_to(root).as_posix().encode() + b"\0")
                    digest.update(hashlib.sha256(path.read_bytes()).digest())
        return digest.hexdigest()


def _relative(name: str) -> PurePosixPath | None:
    relative = PurePosixPath(name)
    if relative.is_absolute() or ".." in relative.parts or not relative.parts:
        return None
    return relative


def _hidden(relative: Path) -> bool:
    return any(part.startswith(".") or part == "__pycache__" for part in relative.parts)
