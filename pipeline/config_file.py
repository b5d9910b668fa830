"""Finding and reading ``netdocs.toml``, without validating it: what :mod:`pipeline.config`
validates, and what the search commands read on their own so that a search starts without
loading pydantic.

:func:`folders` gives the knowledge-base and cache folders exactly as
:func:`pipeline.config.load_settings` resolves them, when the file is plain enough to read
without validation (every key known, the two folders given as text); otherwise it returns
``None`` and the caller loads the settings in full, which reports whatever is wrong.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .errors import ConfigError

CONFIG_NAME = "netdocs.toml"
BUNDLED_ROOT = Path(__file__).resolve().parent.parent
"""The netdocs project itself: its kb/, templates/ and sample network are the defaults."""

KEY_NAMES = frozenset(
    {"kb", "templates", "outputs", "data", "cache", "edition", "title", "meeting_date", "as_of",
     "languages"}
)  # fmt: skip
"""The keys ``netdocs.toml`` may set (``pipeline.config.KEYS`` describes each; a test keeps
the two the same)."""


def find_config(start: Path) -> Path | None:
    """Return the nearest ``netdocs.toml`` in ``start`` or its parents."""
    start = start.resolve()
    for folder in (start, *start.parents):
        candidate = folder / CONFIG_NAME
        if candidate.is_file():
            return candidate
    return None


def default_root(cwd: Path) -> Path:
    """Without a netdocs.toml: the current folder if it holds a kb/, else the bundled project."""
    if (cwd / "kb").is_dir() or not (BUNDLED_ROOT / "kb").is_dir():
        return cwd
    return BUNDLED_ROOT


def locate(config: Path | None, cwd: Path) -> tuple[Path | None, Path]:
    """The settings file to read (``None``: there is none) and the project root."""
    path = config or find_config(cwd)
    root = path.parent.resolve() if path else default_root(cwd)
    if path is None and root == BUNDLED_ROOT and (BUNDLED_ROOT / CONFIG_NAME).is_file():
        path = BUNDLED_ROOT / CONFIG_NAME  # the bundled project comes with its settings
    return path, root


def read_file(path: Path) -> dict[str, Any]:
    """The keys of ``path`` (those of a ``[netdocs]`` table too); a ConfigError naming the file
    when it is not UTF-8 TOML."""
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except UnicodeDecodeError as exc:
        raise ConfigError(f"{path}: not UTF-8 text ({exc.reason})") from exc
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: invalid TOML: {exc}") from exc
    table = raw.pop("netdocs", None)
    if isinstance(table, dict):
        raw = {**raw, **table}
    return raw


@dataclass(frozen=True)
class Folders:
    """The folders a search reads: the knowledge base and the cache holding its index."""

    kb: Path
    cache: Path


def folders(
    config: Path | None = None, cwd: Path | None = None, kb: Path | str | None = None
) -> Folders | None:
    """The KB and cache folders as :func:`pipeline.config.load_settings` (``config``, ``cwd``,
    ``kb=`` the ``--kb`` option) resolves them, or ``None`` when only a full load can say
    (no such ``config``, a file that is no TOML, an unknown key, a folder not given as text)."""
    cwd = (cwd or Path.cwd()).resolve()
    if config is not None and not config.is_file():
        return None
    path, root = locate(config, cwd)
    try:
        raw = read_file(path) if path is not None else {}
    except ConfigError:
        return None
    if set(raw) - KEY_NAMES:
        return None

    def folder(key: str, default: str) -> Path | None:
        value = raw.get(key)
        if value is None:
            return root / default
        return (root / value).resolve() if isinstance(value, str) else None

    kb_folder, cache = folder("kb", "kb"), folder("cache", ".netdocs")
    if kb_folder is None or cache is None:
        return None
    if kb is not None:
        kb_folder = (cwd / str(kb)).resolve()
    return Folders(kb_folder, cache)
