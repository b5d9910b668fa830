"""Choose the reader or writer for a data source string, and load or export the network."""

from __future__ import annotations

import gc
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

from ..errors import DataError, NotFoundError, Problem, UsageError, ValidationError
from . import sources
from .snapshot import Snapshot, digest, earlier_digests
from .tables import Raw
from .validate import build

log = logging.getLogger(__name__)

Kind = str
"""The name of a kind of source: one of :data:`.sources.SOURCES`' ``name``."""

DEFAULT_TIMEOUT = 10.0
"""Seconds an HTTP or database source has to answer in full (a deadline for the whole read)."""


def source_kind(source: str | Path) -> Kind:
    """What kind of source ``source`` names (without reading it): ``"folder"``, ``"xlsx"``,
    ``"json"``, ``"sql"``, ``"http"`` or a kind added to :data:`.sources.SOURCES`."""
    return sources.source_for(source).name


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
    a SQLAlchemy database URL or an ``http(s)://`` URL answering with JSON: any kind of
    :data:`.sources.SOURCES`, read by its record's ``read``. Raises
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
    return sources.source_for(source).label(str(source))


def _load(source: str | Path, timeout: float, now: datetime | None) -> Snapshot:
    kind = sources.source_for(source)
    text = str(source)
    if not kind.url and not Path(text).exists():
        path = Path(text)
        raise NotFoundError(f"{path}: no such data source ({sources.phrases('short')})")
    raw, envelope = kind.read(text, timeout)
    return _finish(raw, kind.label(text), now, envelope)


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
        if recorded is not None and recorded != sha and recorded not in earlier_digests(data):
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
    """Write ``snapshot``'s network to ``target`` (folder, ``.xlsx``, ``.json`` or database URL:
    any kind of :data:`.sources.SOURCES` with a writer).

    Refuses to replace existing files or tables unless ``overwrite``, and never replaces a
    folder by a file or a file by a folder. ``timeout`` bounds the write to a database.
    Returns a description of what was written.
    """
    kind = sources.source_for(target)
    text = str(target)
    if kind.write is None:
        raise UsageError(
            f"{kind.label(text)}: cannot export to {kind.what}; export to "
            f"{sources.phrases(writable=True)}"
        )
    if kind.url:
        return kind.write(snapshot, text, overwrite, timeout)
    try:
        return kind.write(snapshot, text, overwrite, timeout)
    except OSError as exc:
        where = exc.filename or text
        raise DataError(
            f"cannot write {where}: {exc.strerror or exc}; nothing was replaced"
        ) from exc
