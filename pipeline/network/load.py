"""Choose the reader or writer for a data source string, and load or export the network."""

from __future__ import annotations

import gc
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import Literal

from ..errors import DataError, NotFoundError, Problem, UsageError, ValidationError
from .snapshot import Snapshot, digest, earlier_digest
from .sources.http import is_http
from .tables import Raw
from .validate import build

log = logging.getLogger(__name__)

Kind = Literal["folder", "xlsx", "sql", "http", "json"]

DEFAULT_TIMEOUT = 10.0
"""Seconds an HTTP or database source has to answer in full (a deadline for the whole read)."""


def source_kind(source: str | Path) -> Kind:
    """What kind of source ``source`` names (without reading it)."""
    text = str(source)
    if is_http(text):
        return "http"
    if "://" in text or text.startswith("sqlite:"):
        return "sql"
    suffix = Path(text).suffix.lower()
    if suffix == ".xlsx":
        return "xlsx"
    if suffix == ".json":
        return "json"
    if suffix in (".xls", ".ods", ".csv"):
        raise UsageError(
            f"{text}: {suffix} is not a data source; give the folder of CSV files, "
            "or save the workbook as .xlsx"
        )
    return "folder"


@contextmanager
def _no_gc() -> Iterator[None]:
    """Pause the cyclic garbage collector: a load allocates ~100,000 acyclic objects, and
    collections triggered by them cost about a tenth of the load time."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def load_network(
    source: str | Path, *, timeout: float = DEFAULT_TIMEOUT, now: datetime | None = None
) -> Snapshot:
    """Read, validate and snapshot the network at ``source``.

    ``source`` is a folder of CSV/YAML, an ``.xlsx`` workbook, a snapshot or network ``.json``,
    a SQLAlchemy database URL or an ``http(s)://`` URL answering with JSON. Raises
    :class:`~pipeline.errors.ValidationError` with every problem when the data is invalid
    (nothing is loaded), :class:`~pipeline.errors.DataError` when it cannot be read and
    :class:`~pipeline.errors.NotFoundError` when it does not exist.
    """
    with _no_gc():
        try:
            return _load(source, timeout, now)
        except RecursionError as exc:  # a value nested deeper than any reader expects
            raise DataError(
                f"{_label(source)}: values nested too deeply to read (thousands of levels); "
                "the network is never nested like this: is this the right source?"
            ) from exc


def _label(source: str | Path) -> str:
    """``source`` as messages may show it: a URL without its password."""
    if source_kind(source) == "http":
        from .sources.urls import redact

        return redact(str(source))
    if source_kind(source) == "sql":
        from .sources.sql import describe_url

        return describe_url(str(source))
    return str(source)


def _load(source: str | Path, timeout: float, now: datetime | None) -> Snapshot:
    kind = source_kind(source)
    label = str(source)
    if kind == "http":
        from .sources.http import fetch_json_text
        from .sources.jsondoc import parse_json, read_document
        from .sources.urls import redact

        label = redact(str(source))
        body = fetch_json_text(str(source), timeout)
        raw, envelope = read_document(parse_json(body, label), "")
        return _finish(raw, label, now, envelope)
    if kind == "sql":
        from .sources.sql import describe_url, read_sql

        return _finish(read_sql(label, timeout), describe_url(label), now)
    path = Path(source)
    if not path.exists():
        raise NotFoundError(f"{path}: no such data source (a folder, .xlsx, .json or URL)")
    if kind == "xlsx":
        from .sources.xlsx import read_xlsx

        return _finish(read_xlsx(path), label, now)
    if kind == "json":
        from .sources.folder import read_text
        from .sources.jsondoc import parse_json, read_document

        problems: list[Problem] = []
        text = read_text(path, problems)
        if text is None:
            raise ValidationError(f"{path}: cannot be read", problems)
        raw, envelope = read_document(parse_json(text, path.name), path.name)
        return _finish(raw, label, now, envelope)
    if not path.is_dir():
        raise UsageError(f"{path}: not a folder, .xlsx workbook, .json snapshot or URL")
    from .sources.folder import read_folder

    return _finish(read_folder(path), label, now)


def _finish(raw: Raw, label: str, now: datetime | None, envelope: object = None) -> Snapshot:
    from .sources.jsondoc import Envelope

    data, problems = build(raw, label)
    warnings = tuple(p for p in problems if p.level == "warning")
    log.info(
        "read %s: %d organisations, %d clusters, %d activities",
        label,
        len(data.organisations),
        len(data.clusters),
        len(data.activities),
    )
    if isinstance(envelope, Envelope):
        sha = digest(data)
        recorded = envelope.sha256
        if recorded is not None and recorded != sha and recorded != earlier_digest(data):
            raise ValidationError(
                f"{label}: the snapshot's data does not match its sha256; nothing was loaded",
                [
                    Problem(
                        f"{label} $.sha256",
                        "error",
                        f"recorded {envelope.sha256}, data hashes to {sha}: the file was edited "
                        "after it was written; delete the sha256 line to accept the edits",
                    )
                ],
            )
        return Snapshot(data, envelope.source, envelope.read_at, sha, warnings)
    return Snapshot.of(data, label, now, warnings)


def export_network(
    snapshot: Snapshot,
    target: str | Path,
    *,
    overwrite: bool = False,
    timeout: float = DEFAULT_TIMEOUT,
) -> str:
    """Write ``snapshot``'s network to ``target`` (folder, ``.xlsx``, ``.json`` or database URL).

    Refuses to replace existing files or tables unless ``overwrite``, and never replaces a
    folder by a file or a file by a folder. ``timeout`` bounds the write to a database.
    Returns a description of what was written.
    """
    kind = source_kind(target)
    if kind == "http":
        raise UsageError(
            f"{_label(target)}: cannot export to a URL; export to a folder, .xlsx or database"
        )
    if kind == "sql":
        from .sources.sql import write_sql

        return write_sql(snapshot.network, str(target), overwrite, timeout)
    path = Path(target)
    try:
        return _export_files(snapshot, path, kind, overwrite)
    except OSError as exc:
        where = exc.filename or path
        raise DataError(
            f"cannot write {where}: {exc.strerror or exc}; nothing was replaced"
        ) from exc


def _export_files(snapshot: Snapshot, path: Path, kind: Kind, overwrite: bool) -> str:
    from .sources import writers

    if kind in ("xlsx", "json"):
        if path.is_dir():
            raise UsageError(
                f"{path}: is a folder, not a {path.suffix} file; nothing was written (choose "
                "another file name, or export to the folder without the suffix)"
            )
        if kind == "xlsx":
            return writers.write_xlsx(snapshot.network, path, overwrite)
        return writers.write_snapshot(snapshot, path, overwrite)
    if path.exists() and not path.is_dir():
        raise UsageError(f"{path}: exists and is not a folder")
    return writers.write_folder(snapshot.network, path, overwrite)
