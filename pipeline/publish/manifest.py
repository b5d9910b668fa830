"""manifest.json: every file of an edition with its sha256 and size, what each document was
built from (its recorded dependencies, :mod:`pipeline.documents.deps`); and ``verify``.

The manifest is one typed model (:class:`Manifest`, its files :class:`FileEntry`), read and
written only through it. A manifest is read leniently: an entry that cannot be trusted (no
path, no hash, a path leading outside the edition) is left out and reported, located by its
index (``manifest.json: files[3]: has no path``); a document entry whose record this version
cannot read keeps no record (the document is built again).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from pydantic import BaseModel, ConfigDict, PrivateAttr, ValidationError, field_validator

from ..documents.deps import Dependencies
from ..errors import NotFoundError, Problem, UsageError
from ..errors import ValidationError as NetdocsValidationError
from ..fs import sha256_file, sha256_json, write_json

MANIFEST = "manifest.json"


class Recorded(BaseModel):
    """What one document was built from: the rebuild key of its files."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    template: str
    """sha256 of the template file."""
    netdocs: str
    """The netdocs version that built it."""
    dependencies: Dependencies
    """What it read while it was built, with the values it had."""

    def key(self, document: str, cluster: str | None) -> str:
        """One hash of the document and its inputs (the same inputs, the same key)."""
        return sha256_json({"document": document, "cluster": cluster,
                            **self.model_dump(mode="json")})  # fmt: skip


class FileEntry(BaseModel):
    """One file of the edition."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    path: str
    """POSIX path inside the edition folder."""
    sha256: str
    size: int
    format: str | None = None
    """docx, pdf, html, html-page, epub, odt, json, markdown."""
    document: str | None = None
    """The document type the file belongs to (None for the edition's own files)."""
    cluster: str | None = None
    key: str | None = None
    """:meth:`Recorded.key` of the document it belongs to."""
    inputs: Recorded | None = None
    """What that document was built from (None: not recorded, or by an older netdocs)."""

    @field_validator("inputs", mode="wrap")
    @classmethod
    def _unreadable_record_is_none(cls, value: Any, handler: Any) -> Recorded | None:
        try:
            return handler(value)  # type: ignore[no-any-return]
        except ValidationError:
            return None  # written by another version: no record, the document is rebuilt

    @classmethod
    def of(cls, folder: Path, rel: str, **extra: Any) -> FileEntry:
        """The entry of the file ``rel`` of ``folder``, hashed now."""
        path = folder / rel
        return cls(path=rel, sha256=sha256_file(path), size=path.stat().st_size, **extra)

    def intact(self, folder: Path) -> bool:
        """Is the file still in ``folder`` with the size and hash recorded?"""
        path = folder / self.path
        return (
            path.is_file() and path.stat().st_size == self.size and sha256_file(path) == self.sha256
        )


class DataRecord(BaseModel):
    """The network data the edition was built from."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    source: str = ""
    read_at: str = ""
    sha256: str = ""


class KbRecord(BaseModel):
    """One KB article as it was when the edition was built (compared by the next edition)."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    title: str
    path: str
    sha256: str


class Manifest(BaseModel):
    """An edition's manifest."""

    model_config = ConfigDict(extra="ignore")

    edition: str = ""
    title: str = ""
    as_of: str | None = None
    """The day the edition's figures are computed for (ISO; None in older editions)."""
    netdocs: str = ""
    """The netdocs version that published it ('' when the file does not say)."""
    templates: dict[str, str] = {}
    """Template file name -> the sha256 that passed the pre-flight."""
    data: DataRecord = DataRecord()
    kb: dict[str, KbRecord] = {}
    """Article id -> what it was."""
    files: list[FileEntry] = []

    _damaged: list[Problem] = PrivateAttr(default_factory=list)
    _index: tuple[list[FileEntry], dict[str, FileEntry]] | None = PrivateAttr(default=None)

    @property
    def damaged(self) -> list[Problem]:
        """Entries of the file that were left out, each located by its index or field."""
        return self._damaged

    def __contains__(self, name: object) -> bool:
        """Did the file have the top-level key ``name``? (``"netdocs" in manifest``)."""
        return isinstance(name, str) and name in self.model_fields_set

    def entry(self, rel: str) -> FileEntry | None:
        """The entry of the file ``rel`` (the first, should the file list it twice)."""
        if self._index is None or self._index[0] is not self.files:
            by_path: dict[str, FileEntry] = {}
            for e in self.files:
                by_path.setdefault(e.path, e)
            self._index = (self.files, by_path)
        return self._index[1].get(rel)

    def write(self, folder: Path) -> None:
        """Write ``folder/manifest.json`` atomically."""
        write_json(folder / MANIFEST, self.model_dump(mode="json", exclude_none=True))


def read_manifest(folder: Path) -> Manifest | None:
    """The manifest of an edition folder, or None when there is none or it is unreadable.

    Entries that cannot be trusted are left out of :attr:`Manifest.files` and listed in
    :attr:`Manifest.damaged`."""
    try:
        data = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict) or not isinstance(data.get("files"), list):
        return None
    where = folder / MANIFEST
    damaged: list[Problem] = []
    files: list[FileEntry] = []
    root = folder.resolve()
    for i, raw in enumerate(data["files"]):
        why = _bad_entry(raw, folder, root)
        if not why:
            try:
                files.append(FileEntry.model_validate(raw))
            except ValidationError as exc:
                why = f"{raw['path']}: {_first_error(exc)}"
        if why:
            damaged.append(Problem(f"{where}: files[{i}]", "error", why))
    top = {k: v for k, v in data.items() if k != "files"}
    for name in list(top):
        if name not in Manifest.model_fields:
            continue
        try:
            Manifest.model_validate({name: top[name]})
        except ValidationError as exc:
            damaged.append(Problem(f"{where}: {name}", "error", _first_error(exc, skip=1)))
            del top[name]
    manifest = Manifest.model_validate({**top, "files": []})
    manifest.files = files
    manifest._damaged = damaged
    return manifest


def _first_error(exc: ValidationError, skip: int = 0) -> str:
    """The first problem pydantic found, ``field.sub: message`` (``skip``: leading location
    parts the caller has already said)."""
    err = exc.errors()[0]
    loc = ".".join(str(p) for p in err["loc"][skip:])
    return f"{loc}: {err['msg']}" if loc else str(err["msg"])


def is_netdocs_manifest(folder: Path) -> bool:
    """Does ``folder`` hold a manifest.json written by netdocs publish? (Read, not validated:
    :func:`read_manifest` validates.)"""
    try:
        data = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return isinstance(data, dict) and isinstance(data.get("files"), list) and "netdocs" in data


def _bad_entry(entry: Any, folder: Path, root: Path | None = None) -> str:
    """Why a manifest entry cannot be verified ('' when it can): only files inside the edition
    are ever opened. ``root``: ``folder`` resolved (computed when not given)."""
    if not isinstance(entry, dict):
        return "is not an object with path, sha256 and size"
    rel = entry.get("path")
    if not isinstance(rel, str) or not rel:
        return "has no path"
    if not isinstance(entry.get("sha256"), str) or not isinstance(entry.get("size"), int):
        return f"{rel}: has no sha256 or size"
    pure = PurePosixPath(rel)
    if pure.is_absolute() or ".." in pure.parts or "\\" in rel or ":" in pure.parts[0]:
        return f"{rel}: points outside the edition (refused, not opened)"
    root = root or folder.resolve()
    resolved = (folder / rel).resolve()
    if resolved != root and root not in resolved.parents:
        return f"{rel}: leads outside the edition through a link (refused, not opened)"
    return ""


@dataclass
class VerifyReport:
    """What ``netdocs verify`` found."""

    checked: int = 0
    changed: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.changed and not self.missing


def verify(folder: Path) -> VerifyReport:
    """Re-hash every file the manifest of ``folder`` lists."""
    if not folder.is_dir():
        raise NotFoundError(f"no edition folder at {folder}")
    manifest = read_manifest(folder)
    if manifest is None:
        raise UsageError(
            f"{folder / MANIFEST} is missing or unreadable: is {folder} an "
            "edition folder made by netdocs publish?"
        )
    bad = [p for p in manifest.damaged if ": files[" in p.where]
    if bad:
        raise NetdocsValidationError(
            f"{folder / MANIFEST} is damaged: {len(bad)} entr{'y' if len(bad) == 1 else 'ies'} "
            "refused, nothing was checked (publish the edition again to rewrite it)",
            bad,
        )
    report = VerifyReport()
    for entry in manifest.files:
        path = folder / entry.path
        report.checked += 1
        if not path.is_file():
            report.missing.append(entry.path)
        elif not entry.intact(folder):
            report.changed.append(entry.path)
    return report
