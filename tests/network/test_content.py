"""``data check`` warns on unfinished text, placeholder names, missing roles and unmeasurable
KPIs, located in every kind of source; ``--strict`` fails on them."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner
from network_helpers import edit_cell
from openpyxl import load_workbook

from pipeline.cli import cli
from pipeline.errors import UNFINISHED, Problem
from pipeline.network import Snapshot, export_network, load_network
from pipeline.network.content import ROLES


def warnings_of(source: str | Path) -> list[str]:
    return [str(p) for p in load_network(source).warnings]


def rules_of(source: str | Path) -> dict[str, str]:
    return {p.where: p.rule for p in load_network(source).warnings}


def _yaml_edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_markers_in_csv_and_yaml_are_located(folder: Path) -> None:
    edit_cell(folder / "activities.csv", 3, "title", "Video series TODO")
    edit_cell(folder / "activities.csv", 5, "outputs", "Toolkit|Guide <draft>")
    edit_cell(folder / "clusters.csv", 2, "focus_areas", "Youth employment|TBD")
    edit_cell(folder / "organisations.csv", 4, "name", "FIXME college")
    _yaml_edit(folder / "strategy.yaml", "vision: Every", "vision: Lorem ipsum. Every")
    _yaml_edit(folder / "strategy.yaml", "name: Active members", "name: Active members (TBD)")
    _yaml_edit(folder / "network.yaml", "secretariat: VETNoN Secretariat", "secretariat: XXX")
    found = load_network(folder).warnings
    assert [str(p) for p in found] == [
        "activities.csv:3:title: warning: unfinished text in title: 'TODO' in 'Video series "
        "TODO'; finish or remove it before publishing",
        "activities.csv:5:outputs: warning: unfinished text in outputs: '<draft>' in 'Guide "
        "<draft>'; finish or remove it before publishing",
        "clusters.csv:2:focus_areas: warning: unfinished text in focus_areas: 'TBD' in 'TBD'; "
        "finish or remove it before publishing",
        "network.yaml:3 secretariat: warning: unfinished text in secretariat: 'XXX' in 'XXX'; "
        "finish or remove it before publishing",
        "organisations.csv:4:name: warning: unfinished text in name: 'FIXME' in 'FIXME "
        "college'; finish or remove it before publishing",
        "strategy.yaml:2 vision: warning: unfinished text in vision: 'Lorem ipsum' in 'Lorem "
        "ipsum. Every young person and adult has access to att…'; finish or remove it before "
        "publishing",
        "strategy.yaml:98 aspirations[3].kpis[0].name: warning: unfinished text in name: 'TBD' "
        "in 'Active members (TBD)'; finish or remove it before publishing",
    ]
    assert {p.rule for p in found} == {UNFINISHED}


@pytest.mark.parametrize(
    ("file", "row", "column", "value", "word", "who"),
    [
        ("clusters.csv", 7, "convener", "Dr. Amara Placeholder", "Placeholder", "convener"),
        ("clusters.csv", 5, "convener", "Mr. John Doe", "John Doe", "convener"),
        ("organisations.csv", 2, "contact_name", "Kofi Sample", "Sample", "contact name"),
        ("organisations.csv", 20, "name_local", "مثال ??", "??", "local name"),
        ("organisations.csv", 7, "name", "Fictional Ministry of Labour", "Fictional",
         "organisation name"),
        ("partnerships.csv", 2, "partner", "Atlantic Skills Foundation (fictional)", "fictional",
         "partner name"),
        ("partnerships.csv", 3, "partner", "Dummy Centre", "Dummy", "partner name"),
    ],
)  # fmt: skip
def test_placeholder_names_are_located(
    folder: Path, file: str, row: int, column: str, value: str, word: str, who: str
) -> None:
    edit_cell(folder / file, row, column, value)
    (problem,) = load_network(folder).warnings
    assert str(problem) == (
        f"{file}:{row}:{column}: warning: {who} '{value}' reads like a placeholder ('{word}'): "
        "give the real name before publishing"
    )
    assert problem.rule == UNFINISHED


def test_names_words_are_only_placeholders_in_name_fields(folder: Path) -> None:
    """'Sample' is a fine word in a focus area or a title; e-mail domains are example.org."""
    edit_cell(folder / "clusters.csv", 2, "focus_areas", "Sample surveys|Test centres")
    edit_cell(folder / "activities.csv", 3, "title", "Example projects fair")
    edit_cell(folder / "organisations.csv", 2, "contact_email", "sample@example.org")
    assert load_network(folder).warnings == ()


def test_markers_in_a_workbook_are_named_by_cell(tmp_path: Path, sample: Snapshot) -> None:
    path = tmp_path / "network.xlsx"
    export_network(sample, path)
    wb = load_workbook(path)
    wb["clusters"]["E6"] = "Ms. Test Convener"  # greening-tvet's convener
    wb["activities"]["B2"] = "Open days TODO"
    wb["objectives"]["C3"] = "Share practices <draft>"
    wb["network"]["B12"] = "lorem ipsum"  # strategy.vision
    wb.save(path)
    assert warnings_of(path) == [
        "activities!B2: warning: unfinished text in title: 'TODO' in 'Open days TODO'; finish "
        "or remove it before publishing",
        "clusters!E6: warning: convener 'Ms. Test Convener' reads like a placeholder ('Test'): "
        "give the real name before publishing",
        "network!B12: warning: unfinished text in vision: 'lorem ipsum' in 'lorem ipsum'; "
        "finish or remove it before publishing",
        "objectives!C3: warning: unfinished text in text: '<draft>' in 'Share practices "
        "<draft>'; finish or remove it before publishing",
    ]


def test_markers_in_a_database_are_named_by_table_row_and_column(
    tmp_path: Path, sample: Snapshot
) -> None:
    db = tmp_path / "network.db"
    export_network(sample, f"sqlite:///{db}")
    with sqlite3.connect(db) as conn:
        conn.execute("UPDATE clusters SET convener = 'N.N.' WHERE id = 'digital-tvet'")
        conn.execute("UPDATE objectives SET text = 'FIXME' WHERE id = 'a2-o1'")
        conn.execute("UPDATE activities SET outputs = 'Report|TBD' WHERE id = 'act-010'")
    found = load_network(f"sqlite:///{db}").warnings
    assert [str(p) for p in found] == [
        "table activities id=act-010 column outputs: warning: unfinished text in outputs: 'TBD' "
        "in 'TBD'; finish or remove it before publishing",
        "table clusters id=digital-tvet column convener: warning: convener 'N.N.' reads like a "
        "placeholder ('N.N.'): give the real name before publishing",
        "table objectives aspiration=a2 id=a2-o1 column text: warning: unfinished text in text: "
        "'FIXME' in 'FIXME'; finish or remove it before publishing",
    ]
    assert {p.rule for p in found} == {UNFINISHED}


def test_markers_in_a_snapshot_are_named_by_json_path(tmp_path: Path, sample: Snapshot) -> None:
    doc = json.loads(sample.to_json())
    doc["data"]["partnerships"][0]["scope"] = "TODO"
    doc["data"]["organisations"][2]["contact_name"] = "Max Mustermann"
    doc["data"]["strategy"]["aspirations"][1]["objectives"][0]["text"] = "placeholder"
    del doc["sha256"]
    path = tmp_path / "snap.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    assert warnings_of(path) == [
        "snap.json $.data.organisations[2].contact_name: warning: contact name 'Max Mustermann' "
        "reads like a placeholder ('Max Mustermann'): give the real name before publishing",
        "snap.json $.data.partnerships[0].scope: warning: unfinished text in scope: 'TODO' in "
        "'TODO'; finish or remove it before publishing",
        "snap.json $.data.strategy.aspirations[1].objectives[0].text: warning: unfinished text "
        "in text: 'placeholder' in 'placeholder'; finish or remove it before publishing",
    ]


def test_markers_from_http_are_named_by_json_path(
    http_server: Callable[..., str], sample: Snapshot
) -> None:
    doc = sample.network.model_dump(mode="json")
    doc["activities"][3]["title"] = "Career guidance toolkit <draft>"
    url = http_server("/api", (200, "application/json", json.dumps(doc).encode(), 0.0))
    (problem,) = load_network(url).warnings
    assert str(problem) == (
        "$.activities[3].title: warning: unfinished text in title: '<draft>' in 'Career "
        "guidance toolkit <draft>'; finish or remove it before publishing"
    )
    assert problem.rule == UNFINISHED


def test_long_text_is_cut_in_the_message(folder: Path) -> None:
    edit_cell(folder / "activities.csv", 3, "title", "TODO " + "x" * 5000)
    (message,) = warnings_of(folder)
    assert len(message) < 250


def test_clusters_without_their_role(folder: Path) -> None:
    edit_cell(folder / "clusters.csv", 2, "coordinator", "")  # africa: regional
    edit_cell(folder / "clusters.csv", 7, "convener", "")  # greening-tvet: thematic
    found = load_network(folder).warnings
    assert [str(p) for p in found] == [
        "clusters.csv:2:coordinator: warning: regional cluster 'africa' has no coordinator: give "
        "the id of the member organisation that coordinates it",
        "clusters.csv:7:convener: warning: thematic cluster 'greening-tvet' has no convener: "
        "give the name of the person who convenes it",
    ]
    assert {p.rule for p in found} == {ROLES}


@pytest.mark.parametrize(("baseline", "target"), [("0", "0"), ("2", "2.0")])
def test_kpi_target_equal_to_baseline_is_a_located_warning(
    folder: Path, baseline: str, target: str
) -> None:
    _yaml_edit(folder / "strategy.yaml", "baseline: 2\n    target: 10", f"baseline: {baseline}\n"
               f"    target: {target}")  # fmt: skip
    (problem,) = load_network(folder).warnings
    value = str(int(float(target)))
    assert str(problem) == (
        f"strategy.yaml:30 aspirations[0].kpis[1].target: warning: KPI 'a1-k2': target equals "
        f"baseline ({target if '.' in target else value}), so progress cannot be measured: set "
        "the target the strategy aims for"
    )


def test_kpi_target_equal_to_baseline_in_a_workbook(tmp_path: Path, sample: Snapshot) -> None:
    path = tmp_path / "network.xlsx"
    export_network(sample, path)
    wb = load_workbook(path)
    ws = wb["kpis"]
    header = [c.value for c in ws[1]]
    row = next(r for r in range(2, ws.max_row + 1) if ws.cell(r, 2).value == "a1-k1")
    ws.cell(row, header.index("target") + 1, 0)
    wb.save(path)
    assert warnings_of(path) == [
        f"kpis!F{row}: warning: KPI 'a1-k1': target equals baseline (0), so progress cannot be "
        "measured: set the target the strategy aims for"
    ]


def test_data_check_strict_fails_on_unfinished_data(folder: Path) -> None:
    edit_cell(folder / "clusters.csv", 7, "convener", "Dr. Amara Placeholder")
    runner = CliRunner()
    relaxed = runner.invoke(cli, ["data", "check", "--data", str(folder)])
    assert relaxed.exit_code == 0
    line = (
        "clusters.csv:7:convener: warning: convener 'Dr. Amara Placeholder' reads like a "
        "placeholder ('Placeholder'): give the real name before publishing"
    )
    assert relaxed.stderr == line + "\n"
    assert relaxed.stdout.startswith("ok: VETNoN, 84 organisations") and "1 warning(s)" in (
        relaxed.stdout
    )
    strict = runner.invoke(cli, ["data", "check", "--data", str(folder), "--strict"])
    assert strict.exit_code == 1
    assert strict.stderr == line + "\n"
    assert strict.stdout.startswith("failed (strict): VETNoN")
    as_json = runner.invoke(cli, ["data", "check", "--data", str(folder), "--strict", "--json"])
    assert as_json.exit_code == 1
    doc = json.loads(as_json.stdout)
    assert doc["ok"] is False
    assert doc["problems"] == [
        Problem("clusters.csv:7:convener", "warning", line.split(": warning: ")[1]).as_dict()
    ]


def test_bundled_sample_passes_strict(sample: Snapshot) -> None:
    result = CliRunner().invoke(cli, ["data", "check", "--strict"])
    assert result.exit_code == 0, result.output
    assert "; 0 warning(s); " in result.stdout
