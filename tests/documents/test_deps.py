"""Dependencies recorded while a document is built (documents/deps.py): what Inputs notes, and
how a record replays against a changed KB, data or edition dates."""

from __future__ import annotations

import shutil
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from pydantic import ValidationError

from pipeline.config import load_settings
from pipeline.documents.common import Inputs, article_block, pick
from pipeline.documents.deps import Dependencies, RecordedKB, Sources, replay, what_changed
from pipeline.kb import read_kb
from pipeline.network import load_network
from pipeline.publish.plan import edition_sources
from tests.conftest import REPO


@pytest.fixture(scope="module")
def world() -> Any:
    settings = load_settings(cwd=REPO)
    return settings, read_kb(settings.kb), load_network(settings.data)


def _inputs(world: Any, **kwargs: Any) -> Inputs:
    settings, kb, snapshot = world
    return Inputs(kb, snapshot, settings, settings.templates / "strategy.docx", **kwargs)


def _sources(world: Any, kb: Any = None, changes: str = "") -> Sources:
    settings, base, snapshot = world
    return edition_sources(settings, kb or base, snapshot, changes)


def test_nothing_read_nothing_recorded(world: Any) -> None:
    inputs = _inputs(world)
    assert inputs.dependencies() == Dependencies()
    inputs.settings  # noqa: B018 - paths, not the edition's values
    inputs.template  # noqa: B018
    assert inputs.dependencies() == Dependencies()


def test_each_reach_is_noted_with_its_value(world: Any) -> None:
    settings, kb, snapshot = world
    inputs = _inputs(world, changes="# Members joined (1)")
    assert inputs.today == settings.as_of
    assert inputs.dependencies() == Dependencies(as_of="2026-10-31")  # the day, not the data
    inputs.data  # noqa: B018
    inputs.meeting  # noqa: B018
    inputs.changes  # noqa: B018
    inputs.title  # noqa: B018
    read = inputs.dependencies()
    assert read.data == snapshot.sha256 and read.meeting == "2026-10-06"
    assert read.changes is not None and read.title == settings.title
    # the figures are computed from the data for the as-of and meeting days: all three noted
    fig = _inputs(world)
    fig.fig  # noqa: B018
    assert fig.dependencies() == Dependencies(
        data=snapshot.sha256, as_of="2026-10-31", meeting="2026-10-06"
    )


def test_the_kb_is_reached_only_through_a_recording_view(world: Any) -> None:
    _, kb, _ = world
    inputs = _inputs(world)
    view = inputs.kb
    assert isinstance(view, RecordedKB) and view.root == kb.root
    assert [a.id for a in pick(view, "glossary-kpi", "no-such-article")] == ["glossary-kpi"]
    roles = view.of_type("role")
    assert "introduction" in view.by_id() and view.by_id().get("nope") is None
    read = inputs.dependencies()
    by_id = kb.by_id()
    assert read.articles["glossary-kpi"] == (
        by_id["glossary-kpi"].path,
        by_id["glossary-kpi"].content_hash,
    )
    assert read.articles["no-such-article"] is None and read.articles["nope"] is None
    assert read.articles["introduction"] == (
        by_id["introduction"].path,
        by_id["introduction"].content_hash,
    )
    assert {a.id for a in roles} <= read.articles.keys()  # what a listing returned is read
    assert read.listings.keys() == {"type:role"}
    assert read.data is None and read.as_of is None  # the KB is not the data
    with pytest.raises(AttributeError):
        view.articles = []


def test_an_article_cites_figures_only_when_it_cites_them(world: Any) -> None:
    _, kb, _ = world
    by_id = kb.by_id()
    plain = next(a for a in kb.articles if "[[" not in a.body and not a.images and a.links)
    quiet = _inputs(world)
    article_block(quiet, plain, 2)  # where its links lead is read: those articles, nothing else
    targets = {link.path for link in plain.links if link.path and not link.external}
    noted = quiet.dependencies()
    assert {path for path, _ in noted.articles.values()} <= targets
    assert noted == Dependencies(articles=noted.articles)  # no figure: no data, no day
    citing = _inputs(world)
    article_block(citing, by_id["glossary-kpi"], 2)
    assert citing.dependencies().uses_date  # it cites a figure computed for the day


def test_a_record_replays_to_itself_and_names_what_changed(world: Any, tmp_path: Path) -> None:
    settings, kb, snapshot = world
    inputs = _inputs(world)
    inputs.kb.of_type("role")
    pick(inputs.kb, "glossary-kpi", "observer")
    inputs.today  # noqa: B018
    record = inputs.dependencies()
    assert replay(record, _sources(world)) == record
    assert what_changed(record, _sources(world)) == []

    copy = tmp_path / "kb"
    shutil.copytree(kb.root, copy)
    (copy / "roles" / "convener.md").write_text(
        (copy / "roles" / "convener.md").read_text(encoding="utf-8") + "\nOne more line.\n",
        encoding="utf-8",
    )
    assert what_changed(record, _sources(world, read_kb(copy))) == [
        "article convener",
        "listing type:role",
    ]
    (copy / "roles" / "observer.md").write_text(
        "---\nid: observer\ntitle: Observer\ntype: role\nsummary: Follows the network.\n---\n"
        "# Observer\n\nText.\n",
        encoding="utf-8",
    )
    # the new article is both looked up (it was absent) and in the listing of the roles
    assert what_changed(record, _sources(world, read_kb(copy))) == [
        "article convener",
        "article observer",
        "listing type:role",
    ]
    later = replace(_sources(world), as_of=date(2026, 12, 31))
    assert what_changed(record, later) == ["as-of"]
    # what the record does not name never matters
    assert what_changed(record, _sources(world, changes="other")) == []
    assert what_changed(record, replace(_sources(world), title="Another name")) == []


def test_an_article_moved_with_the_same_bytes_changes_the_record(
    world: Any, tmp_path: Path
) -> None:
    """The path is part of what a document read (its anchors, links, image folder and sources
    appendix are made from it): moving an article, bytes unchanged, is a change of it and of
    every listing that holds it."""
    _, kb, _ = world
    inputs = _inputs(world)
    inputs.kb.of_type("role")
    pick(inputs.kb, "glossary-kpi")
    record = inputs.dependencies()
    assert record.articles["convener"] == ("roles/convener.md", kb.by_id()["convener"].content_hash)
    copy = tmp_path / "kb"
    shutil.copytree(kb.root, copy)
    (copy / "roles" / "people").mkdir()
    (copy / "roles" / "convener.md").rename(copy / "roles" / "people" / "chair.md")
    moved = read_kb(copy)
    assert moved.by_id()["convener"].content_hash == kb.by_id()["convener"].content_hash
    assert what_changed(record, _sources(world, moved)) == ["article convener", "listing type:role"]


def test_a_record_of_the_older_shape_does_not_validate() -> None:
    """id -> sha256 alone (before the path was recorded): refused, so the manifest keeps no
    record for that document and it is built again."""
    with pytest.raises(ValidationError):
        Dependencies.model_validate({"articles": {"convener": "0" * 64}})


def test_files_and_unknown_listings_replay_as_changed(world: Any, tmp_path: Path) -> None:
    _, kb, _ = world
    copy = tmp_path / "kb"
    shutil.copytree(kb.root, copy)
    record = Dependencies(files={"images/roadmap.png": None}, listings={"by-colour:blue": "0" * 64})
    now = _sources(world, read_kb(copy))
    assert what_changed(record, now) == ["listing by-colour:blue", "file images/roadmap.png"]
    (copy / "images" / "roadmap.png").unlink()
    assert what_changed(record, _sources(world, read_kb(copy))) == ["listing by-colour:blue"]


def test_document_modules_reach_the_kb_and_the_data_only_through_inputs() -> None:
    """Only build.py reads the KB and the data; only Inputs (common.py, deps.py) holds them
    unrecorded: a document module that read them another way would escape its record."""
    folder = REPO / "pipeline" / "documents"
    allowed = {"build.py", "common.py", "deps.py"}
    for path in sorted(folder.glob("*.py")):
        if path.name in allowed:
            continue
        text = path.read_text(encoding="utf-8")
        for needle in ("read_kb", "load_network", "._kb", "._snapshot", "._figures", "_record"):
            assert needle not in text, f"{path.name} uses {needle}"
