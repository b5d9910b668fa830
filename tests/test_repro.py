"""pipeline.repro: the one reading of SOURCE_DATE_EPOCH, and the places that use it."""

from __future__ import annotations

import datetime as dt

import pytest

from pipeline import repro


@pytest.mark.parametrize(
    ("value", "expected"),
    [("1767225600", 1767225600), (" 86400 ", 86400), ("0", 0), ("", None), ("soon", None),
     ("-5", None), ("1.5", None)],
)  # fmt: skip
def test_source_date_epoch_reads_whole_seconds_only(value: str, expected: int | None) -> None:
    assert repro.source_date_epoch({"SOURCE_DATE_EPOCH": value}) == expected


def test_build_time_is_the_epoch_else_the_single_fallback() -> None:
    assert repro.build_time({"SOURCE_DATE_EPOCH": "86400"}) == dt.datetime(
        1970, 1, 2, tzinfo=dt.UTC
    )
    assert repro.build_time({}) == repro.FALLBACK == dt.datetime(2000, 1, 1, tzinfo=dt.UTC)
    assert repro.build_time({"SOURCE_DATE_EPOCH": "yesterday"}) == repro.FALLBACK


def test_tools_get_the_build_time(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    env = repro.tool_environment({"HOME": "/nowhere"})
    assert env["SOURCE_DATE_EPOCH"] == str(int(repro.FALLBACK.timestamp())) == "946684800"
    assert env["HOME"] == "/nowhere"
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")
    assert repro.tool_environment()["SOURCE_DATE_EPOCH"] == "1767225600"


def test_documents_and_snapshots_read_the_epoch_through_repro(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from pipeline.network.snapshot import read_time
    from pipeline.render.output import DEFAULT_TIMESTAMP, timestamp_for

    assert DEFAULT_TIMESTAMP is repro.FALLBACK
    monkeypatch.setenv("SOURCE_DATE_EPOCH", " 1767225600 ")
    when = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    assert timestamp_for(None) == when
    assert timestamp_for("2026-05-14-meeting") == dt.datetime(2026, 5, 14, tzinfo=dt.UTC)
    assert read_time() == when
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "not a number")
    assert timestamp_for("") == repro.FALLBACK
    before = dt.datetime.now(dt.UTC).replace(microsecond=0)
    assert before <= read_time() <= dt.datetime.now(dt.UTC)  # a snapshot falls back to the clock
