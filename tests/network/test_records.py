"""The plan and reporting records (risks, milestones, budget lines, RACI, periods, narratives,
document status, practices): the sample's facts the documents rely on, and located errors
for every bad input, in every kind of source."""

from __future__ import annotations

import json
import sqlite3
from collections import defaultdict
from decimal import Decimal
from pathlib import Path

import pytest
from network_helpers import edit_cell, problems, read_rows, write_rows
from openpyxl import load_workbook

from pipeline.errors import UNFINISHED
from pipeline.network import Snapshot, export_network, load_network
from pipeline.network.model import ROLES, raci_for, reporting_period

ROLE_LIST = (
    "secretariat, focal-point, cluster-coordinator, centre-coordinator, convener, "
    "member-institution"
)


# -- the sample: facts the documents' tests rely on ------------------------------------------


def test_sample_categories_choose_the_promotion_activities(sample: Snapshot) -> None:
    net = sample.network
    promotion = [a.id for a in net.activities if a.category == "promotion"]
    assert promotion == ["act-001", "act-002", "act-003", "act-005", "act-006"]
    titles = {a.id: a.title for a in net.activities}
    assert titles["act-006"] == "Parents & employers breakfast series"
    assert titles["act-021"] == "Partner search fair"  # a fair, but it is funding work
    assert next(a for a in net.activities if a.id == "act-021").category == "funding"
    assert all(a.category is not None for a in net.activities)


def test_sample_kpis_have_objective_owner_source_and_frequency(sample: Snapshot) -> None:
    orgs = {o.id for o in sample.network.organisations}
    for aspiration in sample.network.strategy.aspirations:
        objectives = {o.id for o in aspiration.objectives}
        for kpi in aspiration.kpis:
            assert kpi.objective in objectives, kpi.id
            assert kpi.owner in orgs or kpi.owner in ROLES, kpi.id
            assert kpi.source and kpi.frequency, kpi.id


def test_sample_risk_register(sample: Snapshot) -> None:
    scores = {r.id: (r.likelihood, r.impact, r.score) for r in sample.network.risks}
    assert scores == {
        "r-01": (3, 5, 15), "r-02": (2, 5, 10), "r-03": (3, 4, 12), "r-04": (4, 3, 12),
        "r-05": (4, 4, 16), "r-06": (4, 2, 8), "r-07": (2, 3, 6), "r-08": (2, 2, 4),
        "r-09": (3, 3, 9),
    }  # fmt: skip
    assert all(type(r.likelihood) is int for r in sample.network.risks)


def test_sample_milestones_are_coherent_with_the_as_of_date(sample: Snapshot) -> None:
    from datetime import date

    as_of = date(2026, 10, 31)
    milestones = sample.network.milestones
    assert len(milestones) == 16
    for m in milestones:
        if m.due > as_of:
            assert m.status == "planned", m.id
        else:
            assert m.status != "planned", m.id
    assert {m.status for m in milestones} == {"planned", "achieved", "missed", "cancelled"}
    assert {m.kind for m in milestones} == {"milestone", "deliverable"}


def test_sample_budget_lines_add_up_to_every_budget_in_the_plan(sample: Snapshot) -> None:
    net = sample.network
    totals: dict[str, Decimal] = defaultdict(Decimal)
    for line in net.budget_lines:
        totals[line.activity] += line.amount
        assert line.grant == line.amount - line.cofinancing >= 0
    in_plan = {
        a.id for a in net.activities
        if a.budget is not None and a.end.year >= 2026 and a.start.year <= 2027
    }  # fmt: skip
    assert set(totals) == in_plan
    assert all(totals[a.id] == a.budget for a in net.activities if a.id in totals)
    assert {line.cofinanced_by for line in net.budget_lines} == {None, "own", "partner"}
    amounts = [str(b.amount) for b in net.budget_lines if b.activity == "act-014"]
    assert amounts == ["59800.50", "149500.00", "89700.00"]  # to the cent, as the budget


def test_sample_raci_rows_and_rule_give_one_accountable_each(sample: Snapshot) -> None:
    net = sample.network
    assert len(net.raci) == 28
    assert sorted({r.activity for r in net.raci}) == [
        "act-006", "act-019", "act-022", "act-027", "act-031",
    ]  # fmt: skip
    for activity in net.activities:
        letters = raci_for(net, activity)
        assert list(letters.values()).count("A") == 1, activity.id
    rule = raci_for(net, next(a for a in net.activities if a.id == "act-001"))
    assert rule == {
        "centre-coordinator": "R", "cluster-coordinator": "A", "secretariat": "I",
        "member-institution": "C", "focal-point": "I",
    }  # fmt: skip


def test_sample_narratives_and_period(sample: Snapshot) -> None:
    net = sample.network
    period = reporting_period(net, net.network.meeting.date)
    assert (period.id, str(period.start), str(period.end)) == (
        "2025-26", "2025-10-01", "2026-09-30",
    )  # fmt: skip
    current = {n.cluster: n for n in net.narratives if n.period == "2025-26"}
    assert sorted(current) == sorted(c.id for c in net.clusters)
    assert all(n.missing() == [] for n in current.values())
    africa = current["africa"].achievements or ""
    assert "**" in africa and "\n\n- " in africa  # real Markdown: bold, paragraphs, a list
    assert any(n.missing() for n in net.narratives if n.period == "2024-25")


def test_sample_documents_and_practices(sample: Snapshot) -> None:
    net = sample.network
    strategy = net.document_status("strategy")
    assert strategy is not None and (strategy.status, str(strategy.adopted)) == (
        "adopted", "2025-10-08",
    )  # fmt: skip
    assert net.document_status("action-plan").status == "draft"  # type: ignore[union-attr]
    in_period = [p for p in net.practices if "2025-10-01" <= str(p.submitted) <= "2026-09-30"]
    assert len(in_period) == 8 and len(net.practices) == 10


# -- the five bad inputs of the issue, and the other references -------------------------------


def _sub(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8-sig")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_the_five_bad_inputs_are_located_in_csv(folder: Path) -> None:
    edit_cell(folder / "risks.csv", 2, "likelihood", "7")
    edit_cell(folder / "milestones.csv", 4, "owner", "org-999")
    edit_cell(folder / "budget_lines.csv", 8, "cofinancing", "49500")  # act-006 Staff costs
    _sub(folder / "narratives.csv", "youth-employment,2025-26", "youth-employmnt,2025-26")
    _sub(folder / "narratives.csv", "greening-tvet,2025-26", "greening-tvet,2026-27")
    edit_cell(folder / "raci.csv", 5, "assignment", "A")  # act-006 focal-point
    assert problems(folder) == [
        "budget_lines.csv:8:cofinancing: error: co-financing 49500 is greater than the line's "
        "amount 49000: it is the part of the amount that members or a partner pay, at most the "
        "whole amount",
        "milestones.csv:4:owner: error: owner 'org-999' is neither an organisation nor a role "
        f"(did you mean 'org-079'?): give the id of a member organisation or a role ({ROLE_LIST})",
        "narratives.csv:28:period: error: reporting period '2026-27' does not exist (did you mean "
        "'2025-26'?)",  # the line the row starts on, its cells spanning several lines
        "narratives.csv:38:cluster: error: cluster 'youth-employmnt' does not exist (did you "
        "mean 'youth-employment'?)",
        "raci.csv:5:assignment: error: activity 'act-006' has two Accountables, 'convener' (at "
        "raci.csv:2:assignment) and 'focal-point': exactly one role is Accountable; make the "
        "other R, C or I",
        "risks.csv:2:likelihood: error: likelihood 7 is off the 1-5 scale: rate it from 1 "
        "(lowest) to 5 (highest)",
    ]
    lines = (folder / "narratives.csv").read_text(encoding="utf-8").split("\n")
    assert lines[27].startswith("greening-tvet,") and lines[37].startswith("youth-employmnt,")


def test_budget_lines_must_add_up_exactly_to_the_budget(folder: Path) -> None:
    path = folder / "budget_lines.csv"
    edit_cell(path, 21, "amount", "14100.10")  # act-011 Travel: USD, more than its budget
    edit_cell(path, 27, "amount", "25000")  # act-013 Trainers: short of its budget
    edit_cell(path, 31, "amount", "59800.505")  # act-014 Events: finer than the cent
    rows = read_rows(path)
    write_rows(path, [*rows, ["act-026", "Staff costs", "1000", "", ""],
                      ["act-999", "Staff costs", "1000", "", ""]])  # fmt: skip
    edit_cell(folder / "activities.csv", 27, "budget", "")  # act-026 without a budget
    assert problems(folder) == [
        "budget_lines.csv:20:amount: error: the 3 budget line(s) of activity 'act-011' add up "
        "to USD 47000.10: they exceed its budget of USD 47000.00 (activities.csv:12:budget) by "
        "USD 0.10; correct the lines or the budget so that they add up exactly",
        "budget_lines.csv:26:amount: error: the 3 budget line(s) of activity 'act-013' add up "
        "to EUR 83800.00: they fall short of its budget of EUR 84000.00 "
        "(activities.csv:14:budget) by EUR 200.00; correct the lines or the budget so that "
        "they add up exactly",
        "budget_lines.csv:31:amount: error: 59800.505 EUR has 3 decimals, but EUR amounts have "
        "at most 2 (ISO 4217: minor unit of a hundredth, like the cent); money is exact to the "
        "minor unit and never rounded: correct the amount",
        "budget_lines.csv:86:amount: error: activity 'act-026' has budget lines but no budget "
        "(activities.csv:27:budget): give it the budget its lines add up to, or remove the lines",
        "budget_lines.csv:87:activity: error: activity 'act-999' does not exist (did you mean "
        "'act-029'?)",
    ]


def test_raci_duplicates_and_a_missing_accountable(folder: Path) -> None:
    edit_cell(folder / "raci.csv", 3, "role", "convener")  # act-006 convener twice
    edit_cell(folder / "raci.csv", 7, "assignment", "R")  # act-019 loses its A
    edit_cell(folder / "raci.csv", 8, "activity", "act-100")
    assert problems(folder) == [
        "raci.csv:3:role: error: role 'convener' is given twice for activity 'act-006' (first "
        "at raci.csv:2:role): one letter per role and activity",
        "raci.csv:7:assignment: error: activity 'act-019' has RACI rows but no Accountable: give "
        "exactly one role the letter A (or remove its rows to follow the rule)",
        "raci.csv:8:activity: error: activity 'act-100' does not exist (did you mean 'act-030'?)",
    ]


def test_other_references_and_duplicates(folder: Path) -> None:
    edit_cell(folder / "risks.csv", 3, "owner", "Secretariat")
    edit_cell(folder / "risks.csv", 3, "aspiration", "a5")
    edit_cell(folder / "risks.csv", 4, "cluster", "asia-pacifc")
    edit_cell(folder / "risks.csv", 5, "id", "r-01")
    edit_cell(folder / "milestones.csv", 2, "activity", "act-0130")
    edit_cell(folder / "practices.csv", 2, "organisation", "org-0190")
    edit_cell(folder / "practices.csv", 3, "cluster", "europe")
    edit_cell(folder / "documents.csv", 4, "document", "strategy")
    edit_cell(folder / "documents.csv", 3, "adopted", "2026-10-06")  # a draft with a day
    edit_cell(folder / "periods.csv", 3, "start", "2025-09-01")
    _sub(folder / "narratives.csv", "arab-states,2024-25", "arab-states,2025-26")
    _sub(folder / "strategy.yaml", "objective: a1-o1\n    owner: secretariat\n    source: reg",
         "objective: a2-o1\n    owner: secretariat\n    source: reg")  # fmt: skip
    found = problems(folder)
    assert found == [
        "documents.csv:3:adopted: error: a draft has no adoption day: clear 'adopted' or set "
        "the status to adopted",
        "documents.csv:4:document: error: document 'strategy' already has a status (at "
        "documents.csv:2:document): merge the two rows or remove one",
        "milestones.csv:2:activity: error: activity 'act-0130' does not exist (did you mean "
        "'act-030'?)",
        "narratives.csv:43:period: error: cluster 'arab-states' and period '2025-26' already "
        "has a narrative (at narratives.csv:8:period): merge the two rows or remove one",
        "periods.csv:3:start: error: period '2025-26' starts on 2025-09-01, before period "
        "'2024-25' ends (2025-09-30): reporting periods must not overlap",
        "practices.csv:2:organisation: error: organisation 'org-0190' does not exist (did you "
        "mean 'org-019'?)",
        "practices.csv:3:cluster: error: cluster 'europe' does not exist",
        "risks.csv:3:aspiration: error: aspiration 'a5' does not exist",
        "risks.csv:3:owner: error: owner 'Secretariat' is neither an organisation nor a role "
        f"(did you mean 'secretariat'?): give the id of a member organisation or a role "
        f"({ROLE_LIST})",
        "risks.csv:4:cluster: error: cluster 'asia-pacifc' does not exist (did you mean "
        "'asia-pacific'?)",
        "risks.csv:5:id: error: duplicate risk id 'r-01' (first at risks.csv:2:id)",
        "strategy.yaml:32 aspirations[0].kpis[1].objective: error: objective 'a2-o1' is not an "
        "objective of aspiration 'a1' (it is an objective of aspiration 'a2'): a KPI measures "
        "one of its own aspiration's objectives (a1-o1, a1-o2)",
    ]


def test_ratings_and_cofinancing_say_what_to_write(folder: Path) -> None:
    edit_cell(folder / "risks.csv", 2, "likelihood", "high")
    edit_cell(folder / "risks.csv", 3, "impact", "0")
    edit_cell(folder / "risks.csv", 4, "impact", "3.5")
    edit_cell(folder / "budget_lines.csv", 2, "cofinancing", "100")
    assert problems(folder) == [
        "budget_lines.csv:2:cofinanced_by: error: co-financing is given but not who pays it: "
        "set cofinanced_by to own or partner",
        "risks.csv:2:likelihood: error: 'high' is not a rating: write a whole number from 1 "
        "(lowest) to 5 (highest)",
        "risks.csv:3:impact: error: impact 0 is off the 1-5 scale: rate it from 1 (lowest) to "
        "5 (highest)",
        "risks.csv:4:impact: error: '3.5' is not a rating: write a whole number from 1 (lowest) "
        "to 5 (highest)",
    ]


def test_unfinished_text_in_new_records_is_found(folder: Path) -> None:
    _sub(folder / "narratives.csv", "The cluster will prepare the **donor round table**",
         "TODO: The cluster will prepare the **donor round table**")  # fmt: skip
    edit_cell(folder / "risks.csv", 2, "mitigation", "TBD")
    edit_cell(folder / "practices.csv", 2, "summary", "lorem ipsum")
    found = load_network(folder).warnings
    assert [(p.where, p.rule) for p in found] == [
        ("narratives.csv:8:next_steps", UNFINISHED),
        ("practices.csv:2:summary", UNFINISHED),
        ("risks.csv:2:mitigation", UNFINISHED),
    ]


# -- the same bad inputs, named in each source's notation -------------------------------------


@pytest.fixture(scope="module")
def workbook(tmp_path_factory: pytest.TempPathFactory, sample: Snapshot) -> Path:
    path = tmp_path_factory.mktemp("xlsx") / "network.xlsx"
    export_network(sample, path)
    return path


def test_bad_inputs_in_a_workbook_are_named_by_cell(workbook: Path, tmp_path: Path) -> None:
    wb = load_workbook(workbook)
    wb["risks"]["C2"] = 7
    wb["milestones"]["F4"] = "org-999"  # m-03
    wb["budget_lines"]["D8"] = 49500  # act-006 Staff costs
    wb["narratives"]["A9"] = "youth-employmnt"
    wb["raci"]["C3"] = "A"  # act-006 focal-point
    path = tmp_path / "bad.xlsx"
    wb.save(path)
    assert [p.split(": error")[0] for p in problems(path)] == [
        "budget_lines!D8", "milestones!F4", "narratives!A9", "raci!C5", "risks!C2",
    ]  # fmt: skip


def test_bad_inputs_in_a_database_are_named_by_key(tmp_path: Path, sample: Snapshot) -> None:
    db = tmp_path / "network.db"
    export_network(sample, f"sqlite:///{db}")
    with sqlite3.connect(db) as conn:
        conn.execute("UPDATE risks SET likelihood = 7 WHERE id = 'r-01'")
        conn.execute("UPDATE milestones SET owner = 'org-999' WHERE id = 'm-03'")
        conn.execute("UPDATE budget_lines SET cofinancing = 49500 WHERE activity = 'act-006' "
                     "AND line = 'Staff costs'")  # fmt: skip
        conn.execute("UPDATE narratives SET period = '2026-27' WHERE cluster = 'africa'")
        conn.execute("UPDATE raci SET assignment = 'A' WHERE activity = 'act-006' "
                     "AND role = 'focal-point'")  # fmt: skip
        conn.execute("UPDATE documents SET adopted = NULL WHERE document = 'strategy'")
    assert [p.split(": error")[0] for p in problems(f"sqlite:///{db}")] == [
        "table budget_lines activity=act-006 line=Staff costs column cofinancing",
        "table documents document=strategy column adopted",
        "table milestones id=m-03 column owner",
        "table narratives cluster=africa period=2026-27 column period",
        "table raci activity=act-006 role=focal-point column assignment",
        "table risks id=r-01 column likelihood",
    ]


def test_bad_inputs_in_a_snapshot_are_named_by_json_path(tmp_path: Path, sample: Snapshot) -> None:
    doc = json.loads(sample.to_json())
    data = doc["data"]
    data["risks"][0]["likelihood"] = 7
    data["milestones"][2]["owner"] = "org-999"
    data["budget_lines"][6]["cofinancing"] = "99999"
    data["narratives"][0]["cluster"] = "nowhere"
    data["raci"][1]["assignment"] = "A"  # act-006 focal-point
    del doc["sha256"]
    path = tmp_path / "snap.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    assert [p.split(": error")[0] for p in problems(path)] == [
        "snap.json $.data.budget_lines[6].cofinancing",
        "snap.json $.data.milestones[2].owner",
        "snap.json $.data.narratives[0].cluster",
        "snap.json $.data.raci[3].assignment",  # the second A: the convener's
        "snap.json $.data.risks[0].likelihood",
    ]


def test_a_wrong_budget_is_reported_once_not_again_against_its_lines(folder: Path) -> None:
    edit_cell(folder / "activities.csv", 12, "budget", "-47000")  # act-011, three lines
    edit_cell(folder / "activities.csv", 10, "currency", "EUX")  # act-009, three lines
    assert [p.split(": error")[0] for p in problems(folder)] == [
        "activities.csv:10:currency", "activities.csv:12:budget",
    ]  # fmt: skip
