"""The edition's as-of day, meeting date and display name: rebuild keys, the landing page,
what changed, and the ``--as-of`` option."""

from __future__ import annotations

import json
import os
import shutil
from dataclasses import replace
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest

from pipeline.config import load_settings
from pipeline.documents.common import Inputs
from pipeline.documents.deps import Dependencies, what_changed
from pipeline.documents.registry import REGISTRY
from pipeline.kb import read_kb
from pipeline.network import load_network
from pipeline.publish import changes as changes_mod
from pipeline.publish.landing import Row, edition_page
from pipeline.publish.manifest import read_manifest
from pipeline.publish.plan import edition_sources, plan_edition
from pipeline.publish.run import publish
from pipeline.publish.stages import reusable
from tests.conftest import REPO, run


@pytest.fixture(scope="module")
def inputs() -> Any:
    settings = load_settings(cwd=REPO)
    kb = read_kb(settings.kb)
    snapshot = load_network(settings.data, now=datetime(2026, 9, 21, 14, 13, tzinfo=UTC))
    return settings, kb, snapshot


@pytest.fixture(scope="module")
def records(inputs: Any) -> dict[str, Dependencies]:
    """What each network document and the first cluster's documents read, recorded while
    their contexts were made."""
    from pipeline.documents import charts

    settings, kb, snapshot = inputs
    cluster = snapshot.network.clusters[0]
    out: dict[str, Dependencies] = {}
    for t in REGISTRY.values():
        for c in ([None] if t.network else []) + ([cluster] if t.per_cluster else []):
            made = Inputs(kb, snapshot, settings, settings.templates / t.template, c, "")
            plan = t.make(made)
            for value in plan.context.values():
                charts.close(value)
            out[f"clusters/{t.name}-{c.id}.docx" if c else f"{t.name}.docx"] = made.dependencies()
    return out


def _changed(records: dict[str, Dependencies], inputs: Any, **kwargs: Any) -> set[str]:
    """The documents whose record replays differently against these sources."""
    settings, kb, snapshot = inputs
    now = replace(edition_sources(settings, kb, snapshot, ""), **kwargs)
    return {docx for docx, record in records.items() if what_changed(record, now)}


def test_rebuild_keys_follow_the_as_of_day_not_the_read_day(
    inputs: Any, records: dict[str, Dependencies]
) -> None:
    settings, _, snapshot = inputs
    assert settings.as_of == date(2026, 10, 31)
    assert _changed(records, inputs) == set()
    next_week = replace(snapshot, read_at=datetime(2026, 9, 28, 8, 0, tzinfo=UTC))
    assert _changed(records, inputs, snapshot=next_week) == set()  # the read day is not read
    later = _changed(records, inputs, as_of=date(2026, 12, 31))
    assert later == {docx for docx, record in records.items() if record.uses_date}
    # what is known of them: the figures, overdue flags and renewals are computed for the day
    assert {"strategy.docx", "action-plan.docx", "clusters/progress-report-africa.docx"} <= later
    assert "handbook.docx" in later  # its articles cite figures computed for the day


def test_the_display_name_is_part_of_every_key(
    inputs: Any, records: dict[str, Dependencies]
) -> None:
    assert _changed(records, inputs, title="Lisbon 2026") == set(records)


def test_the_meeting_day_and_the_changes_text_rebuild_what_prints_them(
    inputs: Any, records: dict[str, Dependencies]
) -> None:
    assert _changed(records, inputs, meeting=date(2026, 10, 7)) == set(records)  # every cover
    assert _changed(records, inputs, changes="# Members joined (1)") == {"handbook.docx"}


def test_the_landing_page_names_the_edition_its_meeting_and_its_as_of_day(inputs: Any) -> None:
    settings, _, snapshot = inputs
    row = Row("Strategy", "The strategy.", [("DOCX", "strategy.docx", 2048)], "Network documents")
    page = edition_page(settings, snapshot, [row])
    assert "<title>Global VET Network of Networks: 2026 Annual Meeting</title>" in page
    assert "<strong>2026 Annual Meeting</strong> · Lisbon, 6 October 2026</p>" in page
    assert "Figures as of 31 October 2026. Built by netdocs" in page
    assert "from data read 2026-09-21T14:13:00+00:00" in page
    assert "2026-annual-meeting" not in page  # the slug is the folder's name only
    other = edition_page(replace(settings, as_of=None, title="Lisbon & Porto"), snapshot, [row])
    assert "Figures as of 21 September 2026." in other  # no as_of: the data's read day
    assert "<strong>Lisbon &amp; Porto</strong>" in other


def test_changes_speak_of_as_of_days(inputs: Any, tmp_path: Path) -> None:
    settings, kb, snapshot = inputs
    folder = tmp_path / "outputs" / "2025-annual-meeting"
    folder.mkdir(parents=True)
    (folder / changes_mod.DATA_FILE).write_text(snapshot.to_json(), encoding="utf-8")
    manifest = {
        "edition": "2025-annual-meeting",
        "as_of": "2025-10-31",
        "data": {"read_at": "2025-09-01T00:00:00+00:00"},
        "kb": {i: r.model_dump() for i, r in changes_mod.kb_inventory(kb).items()},
        "files": [],
    }
    (folder / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    earlier = changes_mod.find_earlier(tmp_path / "outputs", "2026-annual-meeting")
    assert earlier is not None and earlier.as_of == date(2025, 10, 31)
    text = changes_mod.changes_markdown(earlier, kb, snapshot, date(2026, 10, 31))
    assert text.startswith(
        "Compared with the edition **2025\\-annual\\-meeting** (figures as of 2025\\-10\\-31; "
        "this edition's as of 2026\\-10\\-31)."
    )
    # an edition from before as_of was recorded is dated by its data's read day
    del manifest["as_of"]
    (folder / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    earlier = changes_mod.find_earlier(tmp_path / "outputs", "2026-annual-meeting")
    assert earlier is not None and earlier.as_of == snapshot.read_at.date()


def _manifest(folder: Path, field: str) -> dict[str, Any]:
    manifest = read_manifest(folder)
    assert manifest is not None
    return {e.path: getattr(e, field) for e in manifest.files if e.format == "docx"}


def _to_build(settings: Any, folder: Path) -> set[str]:
    """The documents a publish with ``settings`` would build again over the edition in
    ``folder``: its plan, made as publish makes it (the records replayed), nothing built."""
    kb, snapshot = read_kb(settings.kb), load_network(settings.data)
    sources = edition_sources(settings, kb, snapshot, "")
    planned = plan_edition(sources, settings.templates, reusable(read_manifest(folder), folder))
    return {p.docx for p in planned if p.build}


def test_a_publish_on_another_day_rebuilds_nothing_unless_the_as_of_day_changes(
    published_copy: Any, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    project = published_copy(("docx",))  # its first edition: all 19 documents built
    assert project.as_of == date(2026, 10, 31)  # the bundled netdocs.toml, copied
    folder = project.outputs / project.edition
    keys, hashes = _manifest(folder, "key"), _manifest(folder, "sha256")
    recorded = _manifest(folder, "inputs")
    assert len(keys) == 19 and all(recorded.values())
    first = tmp_path / "first"  # the first edition, kept (its files linked, not copied)
    shutil.copytree(folder, first, copy_function=os.link)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1795000000")  # 2026-11-17: another day
    again = publish(load_settings(cwd=project.root), formats=("docx",))
    assert not again.changed and _manifest(folder, "sha256") == hashes
    result = run("-q", "publish", "--formats", "docx", "--as-of", "2026-12-31")
    assert result.exit_code == 0, result.output
    new_keys = _manifest(folder, "key")
    dated = {p for p in keys if recorded[p].dependencies.uses_date}
    assert {p for p in keys if new_keys[p] != keys[p]} == dated and len(dated) >= 18
    later = publish(load_settings(cwd=project.root, as_of="2026-12-31"), formats=("docx",))
    assert not later.changed  # the same as-of day again: nothing to do
    # netdocs.toml's as_of again: every dated document would be built again, and the first
    # edition, made for that day, is what those settings make (every record of it current)
    back = load_settings(cwd=project.root)
    assert _to_build(back, folder) == dated
    assert _to_build(back, first) == set()


def test_a_bad_as_of_option_stops_before_anything(project: Any) -> None:
    for argv in (["publish", "--formats", "docx"], ["build", "strategy"]):
        result = run(*argv, "--as-of", "31.10.2026")
        assert result.exit_code == 2
        assert result.output == (
            "error: --as-of must be a day written YYYY-MM-DD, such as 2026-10-31; "
            "got '31.10.2026'\n"
        )
    assert not project.outputs.exists()
