"""Reproducible builds: the one reading of ``SOURCE_DATE_EPOCH`` and its single fallback.

Every time stamped into an output (zip entry times, document properties, pandoc's EPUB and
ODT dates) comes from :func:`build_time`; every tool netdocs runs gets the same
``SOURCE_DATE_EPOCH`` through :func:`tool_environment`. When the variable is not set (or is
not a whole number of seconds), the fallback is :data:`FALLBACK`: 2000-01-01 00:00 UTC, so
two builds of the same inputs are byte for byte the same.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Mapping

FALLBACK = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)
"""The build time when ``SOURCE_DATE_EPOCH`` is unset or not a whole number of seconds."""


def source_date_epoch(environ: Mapping[str, str] | None = None) -> int | None:
    """``SOURCE_DATE_EPOCH`` as seconds, or None when unset or not a whole number."""
    value = (os.environ if environ is None else environ).get("SOURCE_DATE_EPOCH", "").strip()
    return int(value) if value.isdigit() else None


def build_time(environ: Mapping[str, str] | None = None) -> dt.datetime:
    """The time a build stamps into its outputs: ``SOURCE_DATE_EPOCH``, else :data:`FALLBACK`."""
    epoch = source_date_epoch(environ)
    if epoch is None:
        return FALLBACK
    return dt.datetime.fromtimestamp(epoch, tz=dt.UTC)


def tool_environment(extra: Mapping[str, str] | None = None) -> dict[str, str]:
    """The environment for a tool netdocs runs (pandoc, LibreOffice): this process's, with
    ``SOURCE_DATE_EPOCH`` set to :func:`build_time` so the tool dates its output the same."""
    env = dict(os.environ)
    env["SOURCE_DATE_EPOCH"] = str(int(build_time().timestamp()))
    if extra:
        env.update(extra)
    return env
