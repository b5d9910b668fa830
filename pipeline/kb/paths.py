"""Finding and showing knowledge-base files (no parsing: cheap to import)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path


def display(path: Path) -> str:
    """A path as a person should see it: relative to the current folder when inside it."""
    try:
        rel = os.path.relpath(path)
    except ValueError:  # another drive on Windows
        return str(path)
    return str(path) if rel.startswith("..") else rel


def _skip_dir(name: str) -> bool:
    return name.startswith((".", "_"))


def _is_article(name: str) -> bool:
    lower = name.lower()
    return lower.endswith(".md") and lower != "readme.md"


def iter_markdown(root: Path) -> Iterator[Path]:
    """Markdown files below ``root``, sorted; README.md and hidden folders are skipped."""
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if not _skip_dir(d))
        for name in sorted(filenames):
            if _is_article(name):
                yield Path(dirpath) / name


def stat_markdown(root: Path) -> dict[str, os.stat_result]:
    """KB-relative POSIX path -> stat of every article file, in one fast pass (no Path objects)."""
    out: dict[str, os.stat_result] = {}
    stack = [("", str(root))]
    while stack:
        prefix, folder = stack.pop()
        try:
            entries = list(os.scandir(folder))
        except OSError:
            continue
        for entry in entries:
            name = entry.name
            if entry.is_dir(follow_symlinks=False):  # as os.walk: a symlink loop never recurses
                if not _skip_dir(name):
                    stack.append((prefix + name + "/", entry.path))
            elif _is_article(name):
                try:
                    out[prefix + name] = entry.stat()
                except OSError:
                    continue
    return dict(sorted(out.items()))
