"""Snapshots: the validated network frozen with where and when it was read, and its sha256.

The hash covers the normalised data only (records sorted by id, keys in model order), never the read
time or the source, so the same network read from a folder, a workbook or a database has the
same sha256, and a document can say exactly which data it was built on.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from .. import repro
from ..errors import Problem
from ..fs import sha256_bytes
from .model import NetworkData

SNAPSHOT_FORMAT = "netdocs-network-snapshot"
"""Value of the ``format`` key that marks a JSON file as a snapshot."""
SNAPSHOT_VERSION = 1
"""Version of the snapshot layout."""


def canonical_json(data: NetworkData) -> bytes:
    """The normalised data as compact UTF-8 JSON, keys in model order: what is hashed."""
    return data.model_dump_json().encode("utf-8")


def digest(data: NetworkData) -> str:
    """sha256 of the canonical JSON of ``data`` (call it on normalised data)."""
    return sha256_bytes(canonical_json(data))


_EARLIER_ACTIVITY_ORDER = ("id", "title", "aspiration", "cluster", "lead", "partners", "start",
                           "end", "status", "budget", "currency", "funding", "outputs")  # fmt: skip
"""The fields of an activity in the order netdocs wrote them before money was exact."""


_ADDED_RECORDS = ("risks", "milestones", "budget_lines", "raci", "periods", "narratives",
                  "documents", "practices")  # fmt: skip
"""Lists of :class:`NetworkData` added by issue 13 (plan and reporting records)."""
_ADDED_FIELDS = {
    "activities": ("category",),
    "kpis": ("objective", "owner", "source", "frequency", "category"),
}
"""Fields of activities and KPIs added by issue 13."""


def _without_added(plain: dict[str, Any]) -> dict[str, Any] | None:
    """``plain`` (a dump of the data) as netdocs dumped it before issue 13 added records and
    fields, or ``None`` when it uses any of them (so it cannot have been written before)."""
    if any(plain.get(name) for name in _ADDED_RECORDS):
        return None
    kpis = [k for a in plain["strategy"]["aspirations"] for k in a["kpis"]]
    for items, fields in ((plain["activities"], _ADDED_FIELDS["activities"]),
                          (kpis, _ADDED_FIELDS["kpis"])):  # fmt: skip
        if any(item.get(f) is not None for item in items for f in fields):
            return None
        for item in items:
            for f in fields:
                item.pop(f, None)
    for name in _ADDED_RECORDS:
        plain.pop(name, None)
    return plain


def earlier_digests(data: NetworkData) -> set[str]:
    """The sha256 netdocs recorded for ``data`` in earlier versions, so the snapshots of
    earlier editions still load, checked: before issue 13 added records and fields (for data
    that uses none of them), and before money was exact (amounts and KPI values as floats, an
    activity's budget before its currency)."""
    from pydantic_core import to_json

    out = set()
    before_13 = _without_added(data.model_dump(mode="json"))
    if before_13 is not None:
        out.add(sha256_bytes(to_json(before_13)))
        out.add(earlier_digest(data))
    return out


def earlier_digest(data: NetworkData) -> str:
    """The sha256 netdocs recorded for ``data`` before money was exact (amounts and KPI values
    as floats, an activity's budget before its currency), and before the fields of issue 13
    (call it on data that uses none of them: :func:`earlier_digests`)."""
    from pydantic_core import to_json

    def floats(value: Any) -> Any:
        if isinstance(value, Decimal):
            return float(value)
        if isinstance(value, dict):
            return {k: floats(v) for k, v in value.items()}
        if isinstance(value, list):
            return [floats(v) for v in value]
        return value

    plain = _without_added(floats(data.model_dump()))
    if plain is None:
        return ""  # data netdocs could not write then
    plain["activities"] = [
        {k: a[k] for k in _EARLIER_ACTIVITY_ORDER if k in a} | a for a in plain["activities"]
    ]
    return sha256_bytes(to_json(plain))


def read_time(now: datetime | None = None) -> datetime:
    """``now``, else ``SOURCE_DATE_EPOCH`` (reproducible builds), else the clock; in UTC, whole
    seconds."""
    if now is None:
        epoch = repro.source_date_epoch()
        now = datetime.now(UTC) if epoch is None else datetime.fromtimestamp(epoch, UTC)
    if now.tzinfo is None:
        now = now.replace(tzinfo=UTC)
    return now.astimezone(UTC).replace(microsecond=0)


@dataclass(frozen=True)
class Snapshot:
    """One read of the network data."""

    network: NetworkData
    """The validated, normalised network."""
    source: str
    """Where it was read from (a path, a workbook, a database URL without password, a URL)."""
    read_at: datetime
    """When it was read, UTC."""
    sha256: str
    """sha256 of the normalised data (see :func:`canonical_json`)."""
    warnings: tuple[Problem, ...] = field(default=(), compare=False)
    """Problems that did not stop the load (they fail ``data check --strict``)."""

    @classmethod
    def of(
        cls,
        network: NetworkData,
        source: str,
        now: datetime | None = None,
        warnings: tuple[Problem, ...] = (),
    ) -> Snapshot:
        """Snapshot ``network`` read from ``source`` now (or at ``now``)."""
        return cls(network, source, read_time(now), digest(network), warnings)

    def provenance(self) -> dict[str, str]:
        """What a build records about the data it used."""
        return {
            "source": self.source,
            "read_at": self.read_at.isoformat().replace("+00:00", "Z"),
            "sha256": self.sha256,
        }

    def to_dict(self) -> dict[str, Any]:
        """The snapshot as plain JSON-ready data."""
        return {
            "format": SNAPSHOT_FORMAT,
            "version": SNAPSHOT_VERSION,
            **self.provenance(),
            "data": self.network.model_dump(mode="json"),
        }

    def to_json(self) -> str:
        """The snapshot file's text: indented, UTF-8 (not escaped), ending with a newline."""
        return json.dumps(self.to_dict(), indent=2, ensure_ascii=False) + "\n"
