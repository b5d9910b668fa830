"""Project settings: ``netdocs.toml`` first, then command-line overrides, validated in one pass.

:class:`Settings` is the one declaration of the settings: each key of ``netdocs.toml`` with its
type, default and description, and the validators that say what is wrong with a value. Every
mistake in the file is reported at once, each naming the file and the key (then every mistake
of the command-line options, each naming its option), through :func:`pipeline.schema.problems`.

Every key is optional; the defaults serve the bundled project. Paths in the file are relative to
the file's folder; paths given on the command line are relative to the current folder.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import field, replace
from datetime import date, datetime
from pathlib import Path
from typing import Annotated, Any, NoReturn

import pydantic
from pydantic import BeforeValidator, Field, TypeAdapter, ValidationInfo
from pydantic.dataclasses import dataclass as pydantic_dataclass
from pydantic_core import PydanticCustomError

from . import schema
from .config_file import BUNDLED_ROOT, CONFIG_NAME, find_config, locate, read_file
from .errors import ConfigError, Problem

__all__ = ["BUNDLED_ROOT", "CONFIG_NAME", "KEYS", "Settings", "find_config", "load_settings"]

_TITLE_MAX = 120
_EDITION_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,99}")


# -- what a key's value must be (each validator names the key through _subject) ---------------


def _subject(info: ValidationInfo) -> str:
    """How a message names the setting: the key and what it is (the file), or the option."""
    name = info.field_name or "value"
    if (info.context or {}).get("options"):
        return "--" + name.replace("_", "-")
    return f"key '{name}' ({KEYS[name]})"


def _type_error(value: Any, expected: str, info: ValidationInfo) -> PydanticCustomError:
    return schema.invalid(
        f"{_subject(info)} must be {expected}, got {type(value).__name__} {value!r}"
    )


def _base(info: ValidationInfo) -> Path:
    """The folder a relative path is relative to: the file's (the project root) or the
    current folder for an option."""
    base = (info.context or {}).get("base")
    return Path(base) if base is not None else Path(info.data["root"])


def _folder(value: Any, info: ValidationInfo) -> Path:
    if isinstance(value, Path):  # a default, or settings made in code: already as meant
        return value if value.is_absolute() else _base(info) / value
    if not isinstance(value, str):
        raise _type_error(value, "text in quotes", info)
    return (_base(info) / value).resolve()


def _source(value: Any, info: ValidationInfo) -> str:
    if isinstance(value, Path):  # the default
        return str(_base(info) / value)
    if not isinstance(value, str):
        raise _type_error(value, "text in quotes", info)
    return _resolve_data(value, _base(info))


def _edition(value: Any, info: ValidationInfo) -> str:
    if not isinstance(value, str):
        raise _type_error(value, "text in quotes", info)
    complaint = _edition_complaint(value)
    if complaint:
        raise schema.invalid(complaint)
    return value


def _title(value: Any, info: ValidationInfo) -> str:
    if not isinstance(value, str):
        raise _type_error(value, "text in quotes", info)
    complaint = _title_complaint(value)
    if complaint:
        raise schema.invalid(f"{_subject(info)} {complaint}")
    return value.strip()


def _day(value: Any, info: ValidationInfo) -> date | None:
    if value is None:
        return None
    if not isinstance(value, (date, str)):
        raise _type_error(value, "a date such as 2026-10-31 or text in quotes", info)
    day, complaint = _parse_day(value)
    if day is None:
        raise schema.invalid(f"{_subject(info)} {complaint}")
    return day


def _languages(value: Any, info: ValidationInfo) -> tuple[str, ...]:
    if not isinstance(value, (list, tuple)):
        raise _type_error(value, 'a list such as ["en"]', info)
    if not all(isinstance(v, str) and v for v in value):
        raise schema.invalid(f'{_subject(info)} must hold language codes as text, such as ["en"]')
    return tuple(value)


def _key(default: Any, description: str, *, validate_default: bool = False) -> Any:
    """A key of ``netdocs.toml``."""
    return Field(
        default,
        description=description,
        validate_default=validate_default,
        json_schema_extra={"key": True},
    )


Folder = Annotated[Path, BeforeValidator(_folder)]
Day = Annotated[date | None, BeforeValidator(_day)]


@pydantic_dataclass(frozen=True)
class Settings:
    """Resolved project settings; the fields marked as keys are what ``netdocs.toml`` may set."""

    root: Path
    """Folder the relative paths are resolved against (the folder of ``netdocs.toml``)."""
    kb: Folder = _key(Path("kb"), "knowledge-base folder", validate_default=True)
    """Knowledge-base folder of Markdown articles."""
    templates: Folder = _key(Path("templates"), "templates folder", validate_default=True)
    """Folder of docx templates."""
    outputs: Folder = _key(Path("outputs"), "outputs folder", validate_default=True)
    """Folder generated editions are written to."""
    data: Annotated[str, BeforeValidator(_source)] = _key(
        Path("kb", "network"), "network data source", validate_default=True
    )
    """Network data source: a folder, .xlsx, .json snapshot, SQLAlchemy URL or http(s) URL."""
    cache: Folder = _key(
        Path(".netdocs"), "cache folder (search index, converted articles)", validate_default=True
    )
    """Folder for derived state: the search index and the per-article conversion cache
    (:class:`pipeline.render.model.ArticleCache`); never inside the KB."""
    edition: Annotated[str, BeforeValidator(_edition)] = _key("2026-annual-meeting", "edition name")
    """Slug of the edition built by ``publish``: the name of its folder."""
    title: Annotated[str, BeforeValidator(_title)] = _key("", "display name of the edition")
    """Display name of the edition on covers, footers and the landing page ("2026 Annual
    Meeting"); when not set, or when ``--edition`` names another edition than the file's, made
    from the slug (:func:`title_from_slug`)."""
    meeting_date: Day = _key(None, "date of the annual meeting")
    """Day of the annual meeting the edition is for; must agree with the data's
    ``network.meeting.date`` (``publish`` refuses a contradiction, ``build`` warns)."""
    as_of: Day = _key(None, "date the figures are computed for")
    """The day every figure, overdue flag, renewal and the Gantt's "today" line is computed for
    (``--as-of`` overrides it); when not set, the day the data is read (:meth:`as_of_for`)."""
    languages: Annotated[tuple[str, ...], BeforeValidator(_languages)] = _key(
        ("en",), "list of language codes"
    )
    """Languages of the knowledge base, first one the default."""
    period: str | None = None
    """The reporting period a progress report is drafted for (``netdocs build --period``);
    ``None``: the edition's (:func:`~pipeline.network.model.reporting_period`)."""
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
        title = self.title if "title" in self.overrides else title_from_slug(edition)
        return replace(self, edition=edition, title=title)


_FIELDS = Settings.__pydantic_fields__  # type: ignore[attr-defined]
KEYS: dict[str, str] = schema.descriptions(
    _FIELDS, [n for n, f in _FIELDS.items() if (f.json_schema_extra or {}).get("key")]
)
"""The keys ``netdocs.toml`` may set, each with what it is (from :class:`Settings`)."""


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


def check_edition_name(name: str, where: str) -> str:
    """``name`` when it is a plain folder name (letters, digits, ``.``, ``_``, ``-``; no path
    separators, no ``..``, at most 100 characters); else a ConfigError naming ``where``."""
    complaint = _edition_complaint(name)
    if complaint:
        raise ConfigError(f"{where}: {complaint}")
    return name


def _edition_complaint(name: str) -> str:
    if not _EDITION_NAME.fullmatch(name) or ".." in name:
        return (
            f"edition name {name!r} must be a plain folder name such as "
            '"2026-annual-meeting": letters, digits, ".", "_" and "-", starting with a letter '
            "or digit, at most 100 characters, no / and no .."
        )
    return ""


def title_from_slug(slug: str) -> str:
    """The display name made from an edition slug: ``2026-annual-meeting`` → "2026 Annual
    Meeting" (words split at ``-`` and ``_``, each with a capital first letter)."""
    words = [w for w in re.split(r"[-_]+", slug) if w]
    return " ".join(w[:1].upper() + w[1:] for w in words) or slug


def check_title(title: str, where: str) -> str:
    """``title`` when it can stand on a cover (one line of text, at most 120 characters)."""
    complaint = _title_complaint(title)
    if complaint:
        raise ConfigError(f"{where}: key 'title' ({KEYS['title']}) {complaint}")
    return title.strip()


def _title_complaint(title: str) -> str:
    if not title.strip() or len(title) > _TITLE_MAX or any(c in title for c in "\r\n\t"):
        return (
            f"must be one line of text of 1 to {_TITLE_MAX} characters, such as "
            f'"2026 Annual Meeting"; got {title[:60]!r}'
        )
    return ""


def parse_date(value: Any, where: str) -> date:
    """A calendar day from a TOML date, a ``date`` or ``YYYY-MM-DD`` text; else a ConfigError
    naming ``where`` and showing the form to use."""
    day, complaint = _parse_day(value)
    if day is None:
        raise ConfigError(f"{where} {complaint}")
    return day


def _parse_day(value: Any) -> tuple[date | None, str]:
    """The day ``value`` is, or None and what is wrong with it."""
    if isinstance(value, datetime):
        return None, f"must be a day such as 2026-10-31, not a date and time ({value.isoformat()})"
    if isinstance(value, date):
        return value, ""
    text = str(value).strip()
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        return None, f"must be a day written YYYY-MM-DD, such as 2026-10-31; got {text[:40]!r}"
    try:
        return date.fromisoformat(text), ""
    except ValueError as exc:
        return None, (
            f"must be a day written YYYY-MM-DD, such as 2026-10-31; got {text[:40]!r} ({exc})"
        )


def _resolve_data(value: str, base: Path) -> str:
    if "://" in value or value.startswith("sqlite:"):
        return value
    return str((base / value).resolve()) if not Path(value).is_absolute() else value


_VALIDATE = TypeAdapter(Settings)


def _raise(found: list[Problem], source: str) -> NoReturn:
    """One ConfigError for every problem of ``source`` (the file, or the options): the problem
    itself when it is the only one."""
    lines = [f"{p.where}: {p.message}" if p.where else p.message for p in found]
    if len(lines) == 1:
        raise ConfigError(lines[0])
    summary = f"{source}: {len(lines)} mistakes, each to be fixed:"
    raise ConfigError("\n".join([summary, *(f"  {line}" for line in lines)]))


def _unknown_keys(raw: dict[str, Any], where: str) -> list[Problem]:
    found = []
    known = ", ".join(sorted(KEYS))
    for key in raw:
        if key not in KEYS:
            close = difflib.get_close_matches(str(key), list(KEYS), n=1)
            hint = f" (did you mean '{close[0]}'?)" if close else ""
            found.append(Problem(where, "error", f"unknown key '{key}'{hint}. Known keys: {known}"))
    return found


def load_settings(
    config: Path | None = None, cwd: Path | None = None, **overrides: Any
) -> Settings:
    """Load settings from ``config`` (or the nearest ``netdocs.toml``) and apply overrides.

    Overrides whose value is ``None`` are ignored, so CLI options can be passed straight in.
    Every mistake of the file is reported at once (one ConfigError), then every mistake of the
    options.
    """
    cwd = (cwd or Path.cwd()).resolve()
    if config is not None and not config.is_file():
        raise ConfigError(f"{config}: no such configuration file")
    path, root = locate(config, cwd)
    raw = read_file(path) if path is not None else {}
    where = str(path)
    unknown = _unknown_keys(raw, where)
    from_file = {k: v for k, v in raw.items() if k in KEYS}
    try:
        settings = _VALIDATE.validate_python({"root": root, **from_file}, context={"base": root})
    except pydantic.ValidationError as exc:
        _raise(unknown + schema.problems(exc, lambda loc: where), where)
    if unknown:
        _raise(unknown, where)
    given = {k: v for k, v in overrides.items() if v is not None}
    for key in given:
        if key not in KEYS:
            raise ConfigError(f"unknown setting '{key}'")
    explicit = frozenset(raw) | frozenset(given)
    if not given:
        return replace(settings, config_file=path, explicit=explicit)
    values = {f: getattr(settings, f) for f in KEYS}
    values |= {k: _as_option(k, v) for k, v in given.items()}
    if values["edition"] != settings.edition and "title" not in given:
        del values["title"]  # the file's title names the file's edition, not this one

    def option(loc: schema.Loc) -> str:
        return "--" + str(loc[0]).replace("_", "-") if loc else ""

    try:
        combined = _VALIDATE.validate_python(
            {"root": root, **values}, context={"base": cwd, "options": True}
        )
    except pydantic.ValidationError as exc:
        found = schema.problems(exc, option)
        _raise([_unrepeated(p) for p in found], "the command-line options")
    return replace(combined, config_file=path, overrides=given, explicit=explicit)


def _as_option(key: str, value: Any) -> Any:
    """A command-line value as the file would give it: paths and names as text."""
    if key in ("kb", "templates", "outputs", "cache", "data", "edition", "title"):
        return str(value)
    if key == "languages":
        return list(value)
    return value


def _unrepeated(problem: Problem) -> Problem:
    """A message that starts with its option needs no place in front (``--as-of must be…``)."""
    if problem.message.startswith(f"{problem.where} "):
        return Problem("", problem.level, problem.message)
    return problem
