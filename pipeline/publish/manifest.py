"""manifest.json: every file of an edition with its sha256, size and inputs; and verify."""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from ..errors import NotFoundError, Problem, UsageError, ValidationError
from .plan import sha256_file

MANIFEST = "manifest.json"


def read_manifest(folder: Path) -> dict[str, Any] | None:
    """The manifest of an edition folder, or None when there is none or it is unreadable."""
    try:
        data = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) and isinstance(data.get("files"), list) else None


def write_json(path: Path, data: Any) -> None:
    """Write JSON atomically (temp file + rename)."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        json.dump(data, fh, indent=2, ensure_ascii=False, sort_keys=False)
        fh.write("\n")
    os.replace(tmp, path)


def file_entry(folder: Path, rel: str, **extra: Any) -> dict[str, Any]:
    path = folder / rel
    return {"path": rel, "sha256": sha256_file(path), "size": path.stat().st_size, **extra}


def _bad_entry(entry: Any, folder: Path) -> str:
    """Why a manifest entry cannot be verified ('' when it can): only files inside the edition
    are ever opened."""
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
    root = folder.resolve()
    resolved = (folder / rel).resolve()
    if resolved != root and root not in resolved.parents:
        return f"{rel}: leads outside the edition through a link (refused, not opened)"
    return ""


def damaged_entries(manifest: dict[str, Any], folder: Path) -> list[Problem]:
    """The entries of ``folder``'s manifest that cannot be trusted (no path, no hash, or a
    path leading outside the edition), each located by its index."""
    return [
        Problem(f"{folder / MANIFEST}: files[{i}]", "error", why)
        for i, entry in enumerate(manifest["files"])
        if (why := _bad_entry(entry, folder))
    ]


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
    bad = damaged_entries(manifest, folder)
    if bad:
        raise ValidationError(
            f"{folder / MANIFEST} is damaged: {len(bad)} entr{'y' if len(bad) == 1 else 'ies'} "
            "refused, nothing was checked (publish the edition again to rewrite it)",
            bad,
        )
    report = VerifyReport()
    for entry in manifest["files"]:
        rel = entry["path"]
        path = folder / rel
        report.checked += 1
        if not path.is_file():
            report.missing.append(rel)
        elif path.stat().st_size != entry["size"] or sha256_file(path) != entry["sha256"]:
            report.changed.append(rel)
    return report
