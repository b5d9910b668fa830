"""Live network data: read from files, workbooks, databases or HTTP into one validated model.

    >>> from pipeline.network import load_network
    >>> snap = load_network("kb/network")              # or .xlsx, .json, sqlite:///..., https://...
    >>> snap.network.network.short_name, snap.sha256[:12]

Readers (``sources/``) turn each medium into plain data plus a map back to its cells;
:mod:`.validate` checks it in one pass and raises every problem at once; :mod:`.snapshot`
freezes the result with its sha256. Heavy readers (openpyxl, SQLAlchemy) load on first use.
"""

from __future__ import annotations

from pathlib import Path

from .load import DEFAULT_TIMEOUT, export_network, load_network, source_kind
from .model import (
    KPI,
    Activity,
    Aspiration,
    Cluster,
    Meeting,
    NetworkData,
    NetworkInfo,
    Objective,
    Organisation,
    Partnership,
    Strategy,
)
from .snapshot import Snapshot

BUNDLED_SAMPLE = Path(__file__).resolve().parents[2] / "kb" / "network"
"""The fictional VETNoN sample network shipped with netdocs (the default data source)."""

__all__ = [
    "BUNDLED_SAMPLE",
    "DEFAULT_TIMEOUT",
    "KPI",
    "Activity",
    "Aspiration",
    "Cluster",
    "Meeting",
    "NetworkData",
    "NetworkInfo",
    "Objective",
    "Organisation",
    "Partnership",
    "Snapshot",
    "Strategy",
    "export_network",
    "load_network",
    "source_kind",
]
