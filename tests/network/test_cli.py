"""``netdocs data`` commands through Click's runner: exit codes and exact messages."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from network_helpers import edit_cell

from pipeline.cli import cli
from pipeline.network import BUNDLED_SAMPLE, Snapshot, load_network


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_check_valid_sample(sample: Snapshot) -> None:
    code, out, _ = run("data", "check", "--data", str(BUNDLED_SAMPLE))
    assert code == 0
    assert out == (
        "ok: VETNoN, 84 organisations, 8 clusters, 34 activities, 6 partnerships, 9 risks, 16 "
        "milestones, 84 budget lines, 28 RACI rows, 2 reporting periods, 11 narratives, 3 document "
        "statuses, 10 practices; 0 warning(s); "
        f"sha256 {sample.sha256[:12]}\n"
    )
    code, out, _ = run("data", "check", "--data", str(BUNDLED_SAMPLE), "--json")
    assert json.loads(out)["counts"] == {
        "organisations": 84, "clusters": 8, "activities": 34, "partnerships": 6, "risks": 9,
        "milestones": 16, "budget_lines": 84, "raci": 28, "periods": 2, "narratives": 11,
        "documents": 3, "practices": 10,
    }  # fmt: skip


def test_check_reports_every_problem_and_exits_1(folder: Path) -> None:
    edit_cell(folder / "activities.csv", 2, "budget", "1.234,50")
    edit_cell(folder / "organisations.csv", 3, "contact_email", "nobody")
    code, out, err = run("data", "check", "--data", str(folder))
    assert code == 1
    assert out == ""
    assert err == (
        f"error: {folder}: 2 error(s) in the network data; nothing was loaded\n"
        "  activities.csv:2:budget: error: '1.234,50' is not a number in the form 1234.50 (no "
        "thousands separators, a point for decimals); did you mean 1234.50?\n"
        "  organisations.csv:3:contact_email: error: 'nobody' is not an e-mail address (expected "
        "name@domain.org)\n"
    )
    code, out, _ = run("data", "check", "--data", str(folder), "--json")
    assert code == 1
    report = json.loads(out)
    assert report["ok"] is False
    assert [p["where"] for p in report["problems"]] == [
        "activities.csv:2:budget", "organisations.csv:3:contact_email",
    ]  # fmt: skip


def test_check_strict_fails_on_warnings(folder: Path) -> None:
    edit_cell(folder / "clusters.csv", 2, "coordinator", "org-050")  # not in the africa cluster
    code, out, err = run("data", "check", "--data", str(folder))
    assert code == 0
    assert "coordinator 'org-050' is not a member of cluster 'africa'" in err
    code, out, _ = run("data", "check", "--data", str(folder), "--strict")
    assert code == 1
    assert out.startswith("failed (strict): VETNoN")


def test_summary_json_lists_clusters_with_id_and_name(sample: Snapshot) -> None:
    code, out, _ = run("data", "summary", "--data", str(BUNDLED_SAMPLE), "--json",
                       "--as-of", "2026-11-23")  # fmt: skip
    assert code == 0
    summary = json.loads(out)
    assert [(c["id"], c["name"]) for c in summary["clusters"]] == [
        (c.id, c.name) for c in sample.network.clusters_in_order()
    ]
    assert summary["renewals_due"][0]["organisation"] == "org-034"
    assert summary["overdue_activities"][0]["id"] == "act-006"
    assert summary["sha256"] == sample.sha256
    assert summary["as_of"] == "2026-11-23"
    kpis = {k["id"]: k for k in summary["kpis"]}
    assert kpis["a3-k1"]["current"] == "764000.50"  # money exact, as a decimal string
    assert kpis["a1-k1"]["progress"] == "87.5"  # a percentage exact, not rounded


def test_summary_text_uses_default_data() -> None:
    code, out, _ = run("data", "summary", "--as-of", "2026-11-23")
    assert code == 0
    assert "Global VET Network of Networks (VETNoN)" in out
    assert "Renewals due in the next 90 days" in out
    assert "Overdue activities" in out
    assert "88 %" in out and "87.5" not in out  # one rounding rule, as the documents print
    assert "EUR 764,000.50" in out


IN_ORDER = [
    "africa", "arab-states", "asia-pacific", "europe-north-america", "latin-america-caribbean",
    "greening-tvet", "digital-tvet", "youth-employment",
]  # fmt: skip
"""The bundled clusters as every listing shows them: regional, then thematic, each by name."""


@pytest.mark.parametrize("columns", [60, 80, 120])
def test_summary_shows_every_cluster_id_whole_in_order(columns: int) -> None:
    result = CliRunner().invoke(
        cli, ["data", "summary", "--as-of", "2026-11-23"], env={"COLUMNS": str(columns)}
    )
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert max(len(line) for line in lines) <= columns
    start = next(i for i, line in enumerate(lines) if line.startswith("Clusters"))
    end = next(i for i, line in enumerate(lines) if i > start and line.startswith("└"))
    table = lines[start : end + 1]
    assert not [line for line in table if "…" in line]
    # each id whole in its own cell, as a coordinator copies it for --cluster
    rows = [i for i, line in enumerate(table) for c in IN_ORDER if f"│ {c} " in line]
    found = [c for line in table for c in IN_ORDER if f"│ {c} " in line]
    assert found == IN_ORDER and rows == sorted(rows), "\n".join(table)
    kinds = [line.split("│")[1].strip() for line in table if line.startswith("│ ")]
    assert kinds.index("regional") < kinds.index("africa") < kinds.index("thematic")
    assert kinds.index("latin-america-caribbean") < kinds.index("thematic")
    assert kinds.index("thematic") < kinds.index("greening-tvet")
    said = "\n".join(table)
    # the numbers of each cluster: in columns where they fit, else in words
    assert ("22 members (21 active)" in said) == (columns < 80)
    in_columns = re.search(r"│ +22 │ +21 │ +3 │", said) is not None
    assert in_columns == (columns >= 80), said


def test_snapshot_then_rebuild_from_it(tmp_path: Path, sample: Snapshot) -> None:
    target = tmp_path / "snap.json"
    code, _, err = run("data", "snapshot", "--data", str(BUNDLED_SAMPLE), "-o", str(target))
    assert code == 0
    assert err == f"wrote {target} (sha256 {sample.sha256[:12]})\n"
    again = load_network(target)
    assert (again.network, again.sha256, again.source) == (
        sample.network, sample.sha256, str(BUNDLED_SAMPLE),
    )  # fmt: skip
    code, out, _ = run("data", "check", "--data", str(target))
    assert code == 0 and sample.sha256[:12] in out


@pytest.mark.parametrize("target", ["out", "out.xlsx", "sqlite:///{tmp}/out.db"])
def test_export_then_check(tmp_path: Path, target: str) -> None:
    where = target.format(tmp=tmp_path) if "{tmp}" in target else str(tmp_path / target)
    code, out, _ = run("data", "export", "--data", str(BUNDLED_SAMPLE), "--to", where)
    assert code == 0
    assert out == f"wrote {where}: 84 organisations, 8 clusters, 34 activities\n"
    code, _, err = run("data", "export", "--data", str(BUNDLED_SAMPLE), "--to", where)
    assert code == 2
    assert "pass --force to replace" in err
    assert run("data", "export", "--to", where, "--force")[0] == 0
    assert run("data", "check", "--data", where)[0] == 0


def test_missing_source_is_a_usage_error(tmp_path: Path) -> None:
    code, _, err = run("data", "check", "--data", str(tmp_path / "nope"))
    assert code == 2
    assert (
        err == f"error: {tmp_path / 'nope'}: no such data source (a folder, .xlsx, .json or URL)\n"
    )


@pytest.mark.parametrize("command", ["check", "summary", "snapshot", "export"])
def test_help_has_an_example(command: str) -> None:
    code, out, _ = run("data", command, "-h")
    assert code == 0
    assert "Example:\n    netdocs data " + command in out
    assert "--data SOURCE" in out


def test_figures_table_prints_each_citation_as_written() -> None:
    # rich reads "[name]" as markup: unescaped, every name printed as "[]"
    result = CliRunner().invoke(cli, ["data", "figures"], terminal_width=200)
    assert result.exit_code == 0, result.output
    assert "[[figure:members-active]]" in result.output
    assert "│ []" not in result.output
