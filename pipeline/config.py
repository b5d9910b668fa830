"""Project settings: ``netdocs.toml`` first, then command-line overrides, validated in one pass.

Every key is optional; the defaults serve the bundled project. Paths in the file are relative to
the file's folder; paths given on the command line are relative to the current folder.
"""

from __future__ import annotations

import difflib
import re
import tomllib
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from pathlib import Path
from typing import Any, cast

from .errors import ConfigError

CONFIG_NAME = "netdocs.toml"
BUNDLED_ROOT = Path(__file__).resolve().parent.parent
"""The netdocs project itself: its kb/, templates/ and sample network are the defaults."""


@dataclass(frozen=True)
class Settings:
    """Resolved project settings."""

    root: Path
    """Folder the relative paths are resolved against (the folder of ``netdocs.toml``)."""
    kb: Path
    """Knowledge-base folder of Markdown articles."""
    templates: Path
    """Folder of docx templates."""
    outputs: Path
    """Folder generated editions are written to."""
    data: str
    """Network data source: a folder, .xlsx, .json snapshot, SQLAlchemy URL or http(s) URL."""
    cache: Path
    """Folder for derived state such as the search index (never inside the KB)."""
    edition: str = "2026-annual-meeting"
    """Slug of the edition built by ``publish``: the name of its folder."""
    title: str = ""
    """Display name of the edition on covers, footers and the landing page ("2026 Annual
    Meeting"); when not set, or when ``--edition`` names another edition than the file's, made
    from the slug (:func:`title_from_slug`)."""
    meeting_date: date | None = None
    """Day of the annual meeting the edition is for; must agree with the data's
    ``network.meeting.date`` (``publish`` refuses a contradiction, ``build`` warns)."""
    as_of: date | None = None
    """The day every figure, overdue flag, renewal and the Gantt's "today" line is computed for
    (``--as-of`` overrides it); when not set, the day the data is read (:meth:`as_of_for`)."""
    languages: tuple[str, ...] = ("en",)
    """Languages of the knowledge base, first one the default."""
    config_file: Path | None = None
    """The ``netdocs.toml`` these settings came from, if any."""
    overrides: dict[str, Any] = field(default_factory=dict, compare=False)
    """Keys that were set on the command line."""
    explicit: frozenset[str] = field(default=frozenset(), compare=False)
    """Keys that were set in the file or on the command line (the rest are defaults)."""

    def __post_init__(self) -> None:
        if not self.title:
            object.__setattr__(self, "title", title_from_slug(self.edition))

    def as_of_for(self, read_day: date) -> date:
        """The edition's as-of day: ``as_of`` when set, else ``read_day`` (the data's read
        date)."""
        return self.as_of or read_day

    def with_edition(self, edition: str) -> Settings:
        """These settings for another edition slug. Its title is made from the new slug unless
        one was given on the command line (the file's title names the file's edition)."""
        if edition == self.edition:
            return self
        title = self.title if "title" in self.overrides else ""
        return replace(self, edition=edition, title=title)


# key -> (type check, description) ; paths are str in the file
_KEYS: dict[str, tuple[type | tuple[type, ...], str]] = {
    "kb": (str, "knowledge-base folder"),
    "templates": (str, "templates folder"),
    "outputs": (str, "outputs folder"),
    "data": (str, "network data source"),
    "cache": (str, "cache folder for the search index"),
    "edition": (str, "edition name"),
    "title": (str, "display name of the edition"),
    "meeting_date": ((date, str), "date of the annual meeting"),
    "as_of": ((date, str), "date the figures are computed for"),
    "languages": (list, "list of language codes"),
}

_DATE_KEYS = ("meeting_date", "as_of")
_TITLE_MAX = 120

_PATH_KEYS = ("kb", "templates", "outputs", "cache")


def find_config(start: Path) -> Path | None:
    """Return the nearest ``netdocs.toml`` in ``start`` or its parents."""
    start = start.resolve()
    for folder in (start, *start.parents):
        candidate = folder / CONFIG_NAME
        if candidate.is_file():
            return candidate
    return None


def _default_root(cwd: Path) -> Path:
    """Without a netdocs.toml: the current folder if it holds a kb/, else the bundled project."""
    if (cwd / "kb").is_dir() or not (BUNDLED_ROOT / "kb").is_dir():
        return cwd
    return BUNDLED_ROOT


def _defaults(root: Path) -> dict[str, Any]:
    return {
        "kb": root / "kb",
        "templates": root / "templates",
        "outputs": root / "outputs",
        "data": str(root / "kb" / "network"),
        "cache": root / ".netdocs",
        "edition": "2026-annual-meeting",
        "languages": ("en",),
    }


def _check(key: str, value: Any, where: str) -> None:
    if key not in _KEYS:
        close = difflib.get_close_matches(key, list(_KEYS), n=1)
        hint = f" (did you mean '{close[0]}'?)" if close else ""
        known = ", ".join(sorted(_KEYS))
        raise ConfigError(f"{where}: unknown key '{key}'{hint}. Known keys: {known}")
    expected, what = _KEYS[key]
    if not isinstance(value, expected):
        raise ConfigError(
            f"{where}: key '{key}' ({what}) must be {_type_name(expected)}, "
            f"got {type(value).__name__} {value!r}"
        )
    if key == "edition":
        check_edition_name(cast(str, value), where)
    if key == "title":
        check_title(cast(str, value), where)
    if key in _DATE_KEYS:
        parse_date(value, f"{where}: key '{key}' ({what})")
    if key == "languages" and not all(isinstance(v, str) and v for v in cast(list[Any], value)):
        raise ConfigError(f"{where}: key 'languages' must be a list of language codes")


_EDITION_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,99}")


def check_edition_name(name: str, where: str) -> str:
    """``name`` when it is a plain folder name (letters, digits, ``.``, ``_``, ``-``; no path
    separators, no ``..``, at most 100 characters); else a ConfigError naming ``where``."""
    if not _EDITION_NAME.fullmatch(name) or ".." in name:
        raise ConfigError(
            f"{where}: edition name {name!r} must be a plain folder name such as "
            '"2026-annual-meeting": letters, digits, ".", "_" and "-", starting with a letter '
            "or digit, at most 100 characters, no / and no .."
        )
    return name


def title_from_slug(slug: str) -> str:
    """The display name made from an edition slug: ``2026-annual-meeting`` → "2026 Annual
    Meeting" (words split at ``-`` and ``_``, each with a capital first letter)."""
    words = [w for w in re.split(r"[-_]+", slug) if w]
    return " ".join(w[:1].upper() + w[1:] for w in words) or slug


def check_title(title: str, where: str) -> str:
    """``title`` when it can stand on a cover (one line of text, at most 120 characters)."""
    if not title.strip() or len(title) > _TITLE_MAX or any(c in title for c in "\r\n\t"):
        raise ConfigError(
            f"{where}: key 'title' (display name of the edition) must be one line of text of "
            f'1 to {_TITLE_MAX} characters, such as "2026 Annual Meeting"; got {title[:60]!r}'
        )
    return title.strip()


def parse_date(value: Any, where: str) -> date:
    """A calendar day from a TOML date, a ``date`` or ``YYYY-MM-DD`` text; else a ConfigError
    naming ``where`` and showing the form to use."""
    if isinstance(value, datetime):
        raise ConfigError(
            f"{where} must be a day such as 2026-10-31, not a date and time ({value.isoformat()})"
        )
    if isinstance(value, date):
        return value
    text = str(value).strip()
    try:
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
            raise ValueError("not YYYY-MM-DD")
        return date.fromisoformat(text)
    except ValueError as exc:
        reason = "" if str(exc) == "not YYYY-MM-DD" else f" ({exc})"
        raise ConfigError(
            f"{where} must be a day written YYYY-MM-DD, such as 2026-10-31; got {text[:40]!r}"
            f"{reason}"
        ) from exc


def _type_name(t: type | tuple[type, ...]) -> str:
    names = {
        "str": "text in quotes",
        "list": 'a list such as ["en"]',
        "date": "a date such as 2026-10-31",
    }
    if isinstance(t, tuple):
        return " or ".join(names.get(x.__name__, x.__name__) for x in t)
    return names.get(t.__name__, t.__name__)


def _resolve_data(value: str, base: Path) -> str:
    if "://" in value or value.startswith("sqlite:"):
        return value
    return str((base / value).resolve()) if not Path(value).is_absolute() else value


def load_settings(
    config: Path | None = None, cwd: Path | None = None, **overrides: Any
) -> Settings:
    """Load settings from ``config`` (or the nearest ``netdocs.toml``) and apply overrides.

    Overrides whose value is ``None`` are ignored, so CLI options can be passed straight in.
    """
    cwd = (cwd or Path.cwd()).resolve()
    if config is not None and not config.is_file():
        raise ConfigError(f"{config}: no such configuration file")
    path = config or find_config(cwd)
    root = path.parent.resolve() if path else _default_root(cwd)
    if path is None and root == BUNDLED_ROOT and (BUNDLED_ROOT / CONFIG_NAME).is_file():
        path = BUNDLED_ROOT / CONFIG_NAME  # the bundled project comes with its settings
    values = _defaults(root)
    explicit: set[str] = set()
    if path is not None:
        try:
            raw = tomllib.loads(path.read_text(encoding="utf-8"))
        except UnicodeDecodeError as exc:
            raise ConfigError(f"{path}: not UTF-8 text ({exc.reason})") from exc
        except tomllib.TOMLDecodeError as exc:
            raise ConfigError(f"{path}: invalid TOML: {exc}") from exc
        table = raw.pop("netdocs", None)
        if isinstance(table, dict):
            raw = {**raw, **table}
        for key, value in raw.items():
            _check(key, value, str(path))
            explicit.add(key)
            if key in _PATH_KEYS:
                values[key] = (root / value).resolve()
            elif key == "data":
                values[key] = _resolve_data(value, root)
            elif key == "languages":
                values[key] = tuple(value)
            elif key in _DATE_KEYS:
                values[key] = parse_date(value, f"{path}: key '{key}' ({_KEYS[key][1]})")
            elif key == "title":
                values[key] = check_title(value, str(path))
            else:
                values[key] = value
    file_edition = values["edition"]
    given = {k: v for k, v in overrides.items() if v is not None}
    for key, value in given.items():
        if key not in _KEYS:
            raise ConfigError(f"unknown setting '{key}'")
        explicit.add(key)
        option = "--" + key.replace("_", "-")
        if key in _PATH_KEYS:
            values[key] = (cwd / Path(value)).resolve()
        elif key == "edition":
            values[key] = check_edition_name(str(value), "--edition")
        elif key == "data":
            values[key] = _resolve_data(str(value), cwd)
        elif key == "languages":
            values[key] = tuple(value)
        elif key in _DATE_KEYS:
            values[key] = parse_date(value, option)
        elif key == "title":
            values[key] = check_title(str(value), option)
        else:
            values[key] = value
    if values["edition"] != file_edition and "title" not in given:
        values.pop("title", None)  # the file's title names the file's edition, not this one
    return Settings(
        root=root, config_file=path, overrides=given, explicit=frozenset(explicit), **values
    )
