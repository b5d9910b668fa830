"""Money is Decimal end to end and exact to its currency's minor unit, in every medium."""

from __future__ import annotations

import json
import sqlite3
from decimal import Decimal
from pathlib import Path

import pytest
from network_helpers import edit_cell, problems
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from pipeline.network import KPI, Snapshot, export_network, load_network
from pipeline.network.currencies import MINOR_UNITS, canonical, minor_unit_problem
from pipeline.network.model import BudgetLine

TARGETS = ["folder", "network.xlsx", "sqlite:///{tmp}/network.db", "snapshot.json"]

AMOUNTS = [  # (currency, as given, as carried)
    ("EUR", "37000.5", "37000.50"),
    ("EUR", "0.1", "0.10"),
    ("USD", "999999999.99", "999999999.99"),
    ("JPY", "1500000", "1500000"),
    ("JPY", "1500000.00", "1500000"),  # trailing zeros are not finer than a yen
    ("BHD", "12.345", "12.345"),
    ("KWD", "0.005", "0.005"),
    ("CLF", "1.2345", "1.2345"),
]


def _target(name: str, tmp_path: Path) -> str:
    return name.format(tmp=tmp_path) if "{tmp}" in name else str(tmp_path / name)


@pytest.fixture(scope="module")
def moneyed(sample: Snapshot) -> Snapshot:
    """The sample with one activity per amount of :data:`AMOUNTS`, and a KPI in EUR cents."""
    acts = list(sample.network.activities)
    for i, (currency, given, _) in enumerate(AMOUNTS):
        acts[i] = acts[i].model_validate(
            {**acts[i].model_dump(), "currency": currency, "budget": given}
        )
    strategy = sample.network.strategy
    a3 = strategy.aspirations[2]
    kpi = KPI.model_validate({**a3.kpis[0].model_dump(), "baseline": "250000.5"})
    aspirations = list(strategy.aspirations)
    aspirations[2] = a3.model_copy(update={"kpis": [kpi, *a3.kpis[1:]]})
    changed_ids = {a.id for a in acts[: len(AMOUNTS)]}
    lines = [b for b in sample.network.budget_lines if b.activity not in changed_ids]
    for a in acts[: len(AMOUNTS)]:  # one line each, the BHD one co-financed to the fils
        share = Decimal("0.005") if a.currency == "BHD" else Decimal(0)
        who = "own" if share else None
        lines.append(
            BudgetLine(
                activity=a.id, line="Whole budget", amount=a.budget, cofinancing=share,
                cofinanced_by=who,
            )
        )  # fmt: skip
    changed = sample.network.model_copy(
        update={
            "activities": acts,
            "strategy": strategy.model_copy(update={"aspirations": aspirations}),
            "budget_lines": lines,
        }
    )
    return Snapshot.of(changed.normalised(), "test")


def test_amounts_are_carried_exactly_to_the_minor_unit(moneyed: Snapshot) -> None:
    budgets = [a.budget for a in moneyed.network.activities[: len(AMOUNTS)]]
    assert [str(b) for b in budgets] == [carried for _, _, carried in AMOUNTS]
    assert all(type(b) is Decimal for b in budgets)
    kpi = moneyed.network.strategy.aspirations[2].kpis[0]
    assert (str(kpi.baseline), str(kpi.target)) == ("250000.50", "2000000.00")


@pytest.mark.parametrize("target", TARGETS)
def test_every_medium_keeps_exact_amounts(target: str, tmp_path: Path, moneyed: Snapshot) -> None:
    where = _target(target, tmp_path)
    export_network(moneyed, where)
    loaded = load_network(where)
    assert loaded.network == moneyed.network
    budgets = [str(a.budget) for a in loaded.network.activities[: len(AMOUNTS)]]
    assert budgets == [carried for _, _, carried in AMOUNTS]
    assert str(loaded.network.strategy.aspirations[2].kpis[0].baseline) == "250000.50"
    assert loaded.sha256 == moneyed.sha256  # one canonical form, whatever the medium
    bhd = next(b for b in loaded.network.budget_lines if b.line == "Whole budget"
               and b.amount == Decimal("12.345"))  # fmt: skip
    assert (str(bhd.amount), str(bhd.cofinancing), str(bhd.grant)) == ("12.345", "0.005", "12.340")


def test_json_carries_money_as_decimal_strings(tmp_path: Path, moneyed: Snapshot) -> None:
    doc = json.loads(moneyed.to_json())
    budgets = [a["budget"] for a in doc["data"]["activities"][: len(AMOUNTS)]]
    assert budgets == [carried for _, _, carried in AMOUNTS]
    kpi = doc["data"]["strategy"]["aspirations"][2]["kpis"][0]
    assert (kpi["baseline"], kpi["target"]) == ("250000.50", "2000000.00")
    assert '"budget": 37000.5' not in moneyed.to_json()  # never a float


def test_json_numbers_are_read_as_decimals_not_floats(tmp_path: Path, sample: Snapshot) -> None:
    doc = json.loads(sample.to_json())
    doc["data"]["activities"][0]["budget"] = 0.1  # a JSON number, as an API may send it
    doc["data"]["activities"][1]["budget"] = 1.1
    del doc["sha256"]
    path = tmp_path / "api.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    acts = load_network(path).network.activities
    assert (str(acts[0].budget), str(acts[1].budget)) == ("0.10", "1.10")


def test_xlsx_float_cells_become_the_decimal_they_show(tmp_path: Path, sample: Snapshot) -> None:
    path = tmp_path / "network.xlsx"
    export_network(sample, path)
    wb = load_workbook(path)
    ws = wb["activities"]
    budget = [c.value for c in ws[1]].index("budget") + 1
    ws.cell(row=2, column=budget, value=0.1)
    ws.cell(row=3, column=budget, value=37000.505)  # a float, read as the 37000.505 it shows
    ws.cell(row=4, column=budget, value=0.1 + 0.2)  # a spreadsheet keeps 15 digits: 0.3
    wb.save(path)
    found = problems(path)
    assert found == [
        f"activities!{get_column_letter(budget)}3: error: 37000.505 EUR has 3 decimals, but EUR "
        "amounts have at most 2 (ISO 4217: minor unit of a hundredth, like the cent); money is "
        "exact to the minor unit and never rounded: correct the amount"
    ]
    ws.cell(row=3, column=budget, value=5)
    wb.save(path)
    acts = load_network(path).network.activities
    assert [str(a.budget) for a in acts[:3]] == ["0.10", "5.00", "0.30"]


def test_sqlite_real_and_numeric_columns_read_exactly(tmp_path: Path, sample: Snapshot) -> None:
    db = tmp_path / "network.db"
    export_network(sample, f"sqlite:///{db}")
    with sqlite3.connect(db) as conn:
        conn.execute("UPDATE activities SET budget = 0.1 WHERE id = 'act-001'")
        conn.execute("UPDATE activities SET budget = '12.50' WHERE id = 'act-002'")
        conn.execute("UPDATE activities SET budget = 37000.505 WHERE id = 'act-003'")
    assert problems(f"sqlite:///{db}") == [
        "table activities id=act-003 column budget: error: 37000.505 EUR has 3 decimals, but "
        "EUR amounts have at most 2 (ISO 4217: minor unit of a hundredth, like the cent); money "
        "is exact to the minor unit and never rounded: correct the amount"
    ]
    with sqlite3.connect(db) as conn:
        conn.execute("UPDATE activities SET budget = 3 WHERE id = 'act-003'")
    acts = load_network(f"sqlite:///{db}").network.activities
    assert [str(a.budget) for a in acts[:3]] == ["0.10", "12.50", "3.00"]


_EUR = "(ISO 4217: minor unit of a hundredth, like the cent)"
_RULE = "money is exact to the minor unit and never rounded: correct the amount"


@pytest.mark.parametrize(
    ("currency", "budget", "message"),
    [
        ("EUR", "37000.505", f"37000.505 EUR has 3 decimals, but EUR amounts have at most 2 "
         f"{_EUR}; {_RULE}"),
        ("EUR", "1.234", f"1.234 EUR has 3 decimals, but EUR amounts have at most 2 {_EUR}; "
         f"{_RULE}; if the point separates thousands, write 1234"),
        ("JPY", "1000.5", "1000.5 JPY has 1 decimal, but JPY amounts have no decimals (ISO "
         f"4217: it has no minor unit); {_RULE}"),
        ("XOF", "250.25", "250.25 XOF has 2 decimals, but XOF amounts have no decimals"),
        ("KWD", "1.0005", "1.0005 KWD has 4 decimals, but KWD amounts have at most 3 (ISO 4217: "
         "minor unit of a thousandth)"),
        ("EUR", "-5", "budget must not be negative (got -5)"),
        ("EUR", "-0.50", "budget must not be negative (got -0.50)"),
        ("EUR", "12345678901234567", "'12345678901234567' has more than 15 digits"),
    ],
)  # fmt: skip
def test_amount_finer_than_the_currency_is_a_located_error(
    folder: Path, currency: str, budget: str, message: str
) -> None:
    edit_cell(folder / "activities.csv", 4, "currency", currency)
    edit_cell(folder / "activities.csv", 4, "budget", budget)
    found = problems(folder)
    assert len(found) == 1, found
    assert found[0].startswith(f"activities.csv:4:budget: error: {message}")


@pytest.mark.parametrize(
    ("code", "message"),
    [
        ("EUX", "unknown currency code 'EUX': not an ISO 4217 currency (did you mean 'EUR'?)"),
        ("XTS", "unknown currency code 'XTS': not an ISO 4217 currency"),
        ("eur", "'eur' is not an ISO 4217 currency code such as EUR"),
    ],
)
def test_unknown_currency_is_a_located_error(folder: Path, code: str, message: str) -> None:
    edit_cell(folder / "activities.csv", 6, "currency", code)
    found = problems(folder)
    assert len(found) == 1, found
    assert found[0].startswith(f"activities.csv:6:currency: error: {message}")


def test_kpi_in_a_currency_follows_its_minor_unit(folder: Path) -> None:
    text = (folder / "strategy.yaml").read_text(encoding="utf-8")
    text = text.replace("baseline: 250000", "baseline: 250000.125", 1)
    (folder / "strategy.yaml").write_text(text, encoding="utf-8")
    (found,) = problems(folder)
    assert found.startswith(
        "strategy.yaml:67 aspirations[2].kpis[0].baseline: error: 250000.125 EUR has 3 decimals"
    )


def test_kpi_decimals_are_exact(folder: Path) -> None:
    text = (folder / "strategy.yaml").read_text(encoding="utf-8")
    text = text.replace("    baseline: 30\n", "    baseline: 0.1\n", 1)
    (folder / "strategy.yaml").write_text(text, encoding="utf-8")
    kpis = {k.id: k for a in load_network(folder).network.strategy.aspirations for k in a.kpis}
    assert kpis["a4-k3"].baseline == Decimal("0.1")  # from YAML text, not via a float
    assert str(kpis["a4-k3"].baseline) == "0.1"


def test_the_currency_table_is_iso_4217() -> None:
    assert (MINOR_UNITS["EUR"], MINOR_UNITS["JPY"], MINOR_UNITS["BHD"]) == (2, 0, 3)
    for code in ("KRW", "VND", "CLP", "ISK", "XOF", "XAF", "UGX"):
        assert MINOR_UNITS[code] == 0, code
    for code in ("KWD", "OMR", "JOD", "TND", "LYD", "IQD"):
        assert MINOR_UNITS[code] == 3, code
    assert "XXX" not in MINOR_UNITS and "XAU" not in MINOR_UNITS  # no currency, gold
    assert all(len(c) == 3 and c.isupper() for c in MINOR_UNITS)


@pytest.mark.parametrize(
    ("amount", "places", "text"),
    [("85000.00", 2, "85000.00"), ("1E+3", 0, "1000"), ("-0", 2, "0.00"), ("2.50", None, "2.5"),
     ("1E+3", None, "1000"), ("46.70", None, "46.7"), ("0.000", None, "0")],
)  # fmt: skip
def test_canonical_form(amount: str, places: int | None, text: str) -> None:
    assert str(canonical(Decimal(amount), places)) == text


def test_minor_unit_problem_is_none_when_exact() -> None:
    assert minor_unit_problem(Decimal("37000.50"), "EUR") is None
    assert minor_unit_problem(Decimal("1000.000"), "JPY") is None
    assert minor_unit_problem(Decimal("0.001"), "EUR") is not None


def test_a_snapshot_written_before_money_was_exact_still_loads_checked(tmp_path: Path) -> None:
    """An earlier edition's data-snapshot.json (amounts as floats, its sha256 computed on
    them) loads with its hash verified, and an edit to it is still refused."""
    from pipeline.errors import ValidationError
    from pipeline.network import load_network

    earlier = Path(__file__).with_name("fixtures") / "snapshot-before-exact-money.json"
    snap = load_network(str(earlier))
    budgets = {a.id: a.budget for a in snap.network.activities}
    assert budgets["act-007"] == Decimal("37000.50")
    edited = tmp_path / "edited.json"
    edited.write_text(
        earlier.read_text(encoding="utf-8").replace("37000.5", "37000.7", 1), encoding="utf-8"
    )
    with pytest.raises(ValidationError, match="does not match its sha256"):
        load_network(str(edited))
