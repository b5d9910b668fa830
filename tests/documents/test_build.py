"""Building from the command line, per cluster, with hostile data, and with a failing cluster."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path
from typing import Any

import pytest
from docx import Document

from pipeline.documents.build import Built, Failed, build_document, build_for_clusters
from tests.conftest import BUNDLED_KB, run

HOSTILE = '*Stars* & <Co> [1](x) {{ 7*7 }} "quoted" — مركز 🎓 | pipe'


@pytest.fixture
def hostile_data(tmp_path: Path) -> Path:
    folder = tmp_path / "network"
    shutil.copytree(BUNDLED_KB / "network", folder)
    path = folder / "organisations.csv"
    with path.open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.reader(fh))
    rows[1][1] = HOSTILE  # the first organisation (africa's coordinator in the sample)
    with path.open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerows(rows)
    return folder


def test_hostile_names_print_exactly(hostile_data: Path, tmp_path: Path) -> None:
    out = tmp_path / "pr.docx"
    result = run(
        "build",
        "progress-report",
        "--cluster",
        "africa",
        "--data",
        str(hostile_data),
        "-o",
        str(out),
    )
    assert result.exit_code == 0, result.output
    doc = Document(str(out))
    cells = [c.text for t in doc.tables for r in t.rows for c in r.cells]
    assert HOSTILE in cells
    paragraphs = "\n".join(p.text for p in doc.paragraphs)
    assert HOSTILE in paragraphs  # the cover line "coordinated by ..."
    assert "49" not in HOSTILE and "{{ 7*7 }}" in paragraphs


def test_unknown_cluster_lists_valid_ids() -> None:
    result = run("build", "action-plan", "--cluster", "atlantis")
    assert result.exit_code == 2
    assert "no cluster 'atlantis'; valid ids: africa, arab-states" in result.output


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["progress-report"], "a progress report is about one cluster"),
        (["strategy", "--cluster", "africa"], "apply to action-plan and progress-report"),
        (["action-plan", "--cluster", "africa", "--all-clusters"], "not both"),
    ],
)
def test_usage_errors(args: list[str], message: str) -> None:
    result = run("build", *args)
    assert result.exit_code == 2 and message in result.output


def test_invalid_data_builds_nothing(tmp_path: Path) -> None:
    folder = tmp_path / "network"
    shutil.copytree(BUNDLED_KB / "network", folder)
    text = (folder / "activities.csv").read_text(encoding="utf-8-sig")
    (folder / "activities.csv").write_text(
        text.replace(",2026-", ",31/02/2026-", 1), encoding="utf-8"
    )
    out = tmp_path / "s.docx"
    result = run("build", "strategy", "--data", str(folder), "-o", str(out))
    assert result.exit_code == 1
    assert "activities.csv:" in result.output
    assert not out.exists()


def test_all_clusters_one_failure_does_not_stop_the_others(
    project: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings, kb, snapshot, _ = project
    (tmp_path / "blocker").write_text("a file where a folder is wanted")

    def output(cid: str) -> Path:
        # one cluster's document cannot be written; the workers are separate processes, so
        # the failure has to be a real one, not a patched function
        return tmp_path / ("blocker" if cid == "arab-states" else "ok") / f"{cid}.docx"

    seen: list[str] = []
    results = build_for_clusters(
        "progress-report",
        settings,
        kb,
        snapshot,
        jobs=2,
        outputs=output,
        progress=lambda r: seen.append(r.cluster or ""),
    )
    failed = [r for r in results if isinstance(r, Failed)]
    done = [r for r in results if isinstance(r, Built)]
    assert [f.cluster for f in failed] == ["arab-states"]
    assert "blocker" in failed[0].message
    assert len(done) == len(snapshot.network.clusters) - 1
    assert all(r.path.is_file() for r in done)
    assert sorted(seen) == sorted(c.id for c in snapshot.network.clusters)


def test_all_clusters_from_the_cli(tmp_path: Path) -> None:
    result = run("-q", "build", "action-plan", "--all-clusters", "-o", str(tmp_path), "-j", "2")
    assert result.exit_code == 0, result.output
    built = sorted(p.name for p in tmp_path.glob("*.docx"))
    assert len(built) == 8 and "action-plan-africa.docx" in built


# -- the title of the other formats -------------------------------------------------------------
def test_other_formats_are_titled_per_document_with_network_and_cluster(
    project: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The HTML site, EPUB and ODT get the document's own title (the handbook's as before:
    "VETNoN handbook"), not the cover's "Handbook" / "Action plan 2026–2027" that every
    cluster's action plan shares."""
    from pipeline.render import writers
    from pipeline.render.document import RenderResult

    settings, kb, snapshot, _out = project
    titles: dict[str, str] = {}

    def fake_render_formats(
        template: Path, context: Any, parts: Any, targets: Any, *, title: str, **_: Any
    ) -> RenderResult:
        titles[context["title"] + "|" + str(targets["epub"].name)] = title
        return RenderResult(targets["docx"], b"", paths=dict(targets))

    monkeypatch.setattr(writers, "render_formats", fake_render_formats)
    names = {c.id: c.name for c in snapshot.network.clusters}
    built = {
        (kind, cluster): build_document(
            kind, settings, kb, snapshot, cluster=cluster, formats=("docx", "epub"),
            output=tmp_path / f"{kind}-{cluster}.docx",
        )
        for kind, cluster in [("handbook", None), ("action-plan", "africa"),
                              ("action-plan", "arab-states")]
    }  # fmt: skip
    assert all(b.files["epub"].suffix == ".epub" for b in built.values())
    by_name = {key.split("|")[1]: title for key, title in titles.items()}
    assert by_name["handbook-None.epub"] == "VETNoN handbook"
    africa = by_name["action-plan-africa.epub"]
    arab = by_name["action-plan-arab-states.epub"]
    assert africa == f"VETNoN action plan: {names['africa']}"
    assert arab == f"VETNoN action plan: {names['arab-states']}"
    assert africa != arab


def test_format_title_of_a_type() -> None:
    from pipeline.documents.registry import document_type

    assert document_type("handbook").format_title("VETNoN") == "VETNoN handbook"
    plan = document_type("action-plan")
    assert plan.format_title("NoN") == "NoN action plan"
    assert plan.format_title("NoN", "Africa") == "NoN action plan: Africa"
