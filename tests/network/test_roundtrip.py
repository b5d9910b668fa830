"""Export to every medium and read back an equal model; awkward values pass through unchanged."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from network_helpers import problems

from pipeline.errors import UsageError
from pipeline.network import Snapshot, export_network, load_network

TARGETS = ["folder", "network.xlsx", "sqlite:///{tmp}/network.db", "snapshot.json"]

AWKWARD = {
    "ampersand": "Skills & Jobs <Centre> \"Quoted\" 'single'",
    "emoji": "Green skills 🌱🔧 for all 👩‍🔧",
    "arabic": "معهد النور للتدريب المهني — فرع الإسكندرية",
    "formula-looking": "=SUM(A1:A3) is not a formula here",
    "long": "Very long description. " * 799 + "The end.",
    "newlines": "First line\nsecond line; with, separators\t and a tab",
}


MARKDOWN = (
    'First paragraph with **bold**, "quotes", a comma, and a semicolon;\r\nsame paragraph.\n\n'
    "- a list item with =formula-looking text\n- an item in Arabic: "
    + AWKWARD["arabic"]
    + "\n\n  Indented last paragraph, ending in a line break.\n"
)
"""A narrative section as a coordinator writes it: paragraphs, a list, CRLF and LF breaks."""


def _target(name: str, tmp_path: Path) -> str:
    return name.format(tmp=tmp_path) if "{tmp}" in name else str(tmp_path / name)


@pytest.mark.parametrize("target", TARGETS)
def test_export_and_read_back_equal(target: str, tmp_path: Path, sample: Snapshot) -> None:
    where = _target(target, tmp_path)
    export_network(sample, where)
    loaded = load_network(where)
    assert loaded.network == sample.network
    assert loaded.sha256 == sample.sha256


@pytest.fixture(scope="module")
def awkward(sample: Snapshot) -> Snapshot:
    net = sample.network
    orgs = list(net.organisations)
    for i, text in enumerate(AWKWARD.values()):
        orgs[i] = orgs[i].model_copy(update={"name": text, "contact_name": text[:60]})
    orgs[0] = orgs[0].model_copy(update={"name_local": AWKWARD["arabic"]})
    acts = list(net.activities)
    acts[0] = acts[0].model_copy(
        update={
            "title": AWKWARD["ampersand"],
            "outputs": [AWKWARD["emoji"], AWKWARD["arabic"], AWKWARD["long"]],
            "budget": Decimal("1234.56"),
        }
    )
    narratives = list(net.narratives)
    narratives[0] = narratives[0].model_copy(update={"challenges": MARKDOWN, "lessons": None})
    risks = [net.risks[0].model_copy(update={"risk": AWKWARD["newlines"]}), *net.risks[1:]]
    changed = net.model_copy(
        update={"organisations": orgs, "activities": acts, "narratives": narratives,
                "risks": risks}
    )  # fmt: skip
    return Snapshot.of(changed, "test")


@pytest.mark.parametrize("target", TARGETS)
def test_awkward_values_pass_through(target: str, tmp_path: Path, awkward: Snapshot) -> None:
    where = _target(target, tmp_path)
    export_network(awkward, where)
    loaded = load_network(where)
    assert loaded.network == awkward.network
    names = [o.name for o in loaded.network.organisations[: len(AWKWARD)]]
    assert names == list(AWKWARD.values())
    assert loaded.network.activities[0].budget == Decimal("1234.56")
    narrative = loaded.network.narratives[0]
    assert (narrative.challenges, narrative.lessons) == (MARKDOWN, None)
    assert narrative.missing() == ["Lessons learned"]
    assert [type(r.likelihood) for r in loaded.network.risks] == [int] * len(awkward.network.risks)


def test_export_refuses_to_overwrite(tmp_path: Path, sample: Snapshot) -> None:
    for target in TARGETS:
        where = _target(target, tmp_path)
        export_network(sample, where)
        with pytest.raises(UsageError, match="--force"):
            export_network(sample, where)
        export_network(sample, where, overwrite=True)
    leftovers = [p.name for p in tmp_path.rglob("*.tmp")]
    assert leftovers == []


def test_sha256_ignores_read_time_and_source(tmp_path: Path, sample: Snapshot) -> None:
    early = load_network(sample.source, now=datetime(2026, 1, 1, tzinfo=UTC))
    late = load_network(sample.source, now=datetime(2026, 12, 31, 23, 59, tzinfo=UTC))
    assert early.sha256 == late.sha256 == sample.sha256
    assert early.read_at != late.read_at


def test_source_date_epoch_fixes_read_time(
    monkeypatch: pytest.MonkeyPatch, sample: Snapshot
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1790000000")
    snap = load_network(sample.source)
    assert snap.provenance()["read_at"] == "2026-09-21T14:13:20Z"


def test_snapshot_file_rebuilds_exactly(tmp_path: Path, sample: Snapshot) -> None:
    path = tmp_path / "snap.json"
    path.write_text(sample.to_json(), encoding="utf-8")
    again = load_network(path)
    assert again == sample  # same data, source, read time and sha256
    assert again.to_json() == sample.to_json()
    doc = json.loads(path.read_text(encoding="utf-8"))
    assert (doc["format"], doc["version"], doc["sha256"]) == (
        "netdocs-network-snapshot", 1, sample.sha256,
    )  # fmt: skip


def test_edited_snapshot_is_refused_unless_its_hash_is_removed(
    tmp_path: Path, sample: Snapshot
) -> None:
    doc = json.loads(sample.to_json())
    doc["data"]["organisations"][0]["name"] = "Edited by hand"
    path = tmp_path / "snap.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    (found,) = problems(path)
    assert found.startswith(f"{path} $.sha256: error: recorded {sample.sha256}, data hashes to ")
    del doc["sha256"]
    path.write_text(json.dumps(doc), encoding="utf-8")
    assert load_network(path).network.organisations[0].name == "Edited by hand"


def test_snapshot_data_errors_are_located(tmp_path: Path, sample: Snapshot) -> None:
    doc = json.loads(sample.to_json())
    doc["data"]["activities"][1]["budget"] = "1.234,50"
    doc["data"]["activities"][1]["oops"] = 1
    del doc["sha256"]
    path = tmp_path / "snap.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    assert problems(path) == [
        "snap.json $.data.activities[1].budget: error: '1.234,50' is not a number in the form "
        "1234.50 (no thousands separators, a point for decimals); did you mean 1234.50?",
        "snap.json $.data.activities[1].oops: error: unknown field 'oops'",
    ]
