"""A folder of CSV/YAML: encodings, separators, and every kind of bad cell, all reported at once."""

from __future__ import annotations

from pathlib import Path

import pytest
from network_helpers import edit_cell, problems, read_rows, write_rows

from pipeline.network import Snapshot, load_network


def test_bom_less_and_semicolon_csv_read_the_same(folder: Path, sample: Snapshot) -> None:
    path = folder / "organisations.csv"
    write_rows(path, read_rows(path), delimiter=";")  # European spreadsheet export, no BOM
    assert not path.read_bytes().startswith(b"\xef\xbb\xbf")
    assert load_network(folder).network == sample.network


def test_headers_are_matched_leniently(folder: Path, sample: Snapshot) -> None:
    path = folder / "organisations.csv"
    rows = read_rows(path)
    rows[0] = [h.replace("_", " ").title() for h in rows[0]]  # "Renewal Due"
    write_rows(path, rows)
    assert load_network(folder).network == sample.network


def test_wrong_header(folder: Path) -> None:
    path = folder / "organisations.csv"
    rows = read_rows(path)
    rows[0][rows[0].index("country")] = "countyr"
    write_rows(path, rows)
    found = problems(folder)
    unknown = "organisations.csv:1: error: unknown column 'countyr' (did you mean 'country'?)"
    assert any(p.startswith(unknown) for p in found)
    assert "organisations.csv:1: error: missing column(s) 'country'" in found
    # the file could not be read, so references to organisations are not reported as missing
    assert not any("does not exist" in p for p in found)


def test_row_with_too_many_columns(folder: Path) -> None:
    path = folder / "activities.csv"
    rows = read_rows(path)
    rows[3].append("extra")
    write_rows(path, rows)
    assert problems(folder) == [
        "activities.csv:4: error: row has 15 cells but the header has 14 columns (a missing or "
        "extra separator, or an unquoted ',' inside a value?)"
    ]


@pytest.mark.parametrize(
    ("column", "value", "message"),
    [
        ("start", "31/02/2026", "'31/02/2026' is not a date: day 31 does not exist in month 2 of "
         "2026; write dates as YYYY-MM-DD"),
        ("start", "15/03/2026", "'15/03/2026' is not a date in the form YYYY-MM-DD; did you mean "
         "2026-03-15?"),
        ("budget", "1.234,50", "'1.234,50' is not a number in the form 1234.50 (no thousands "
         "separators, a point for decimals); did you mean 1234.50?"),
        ("budget", "-5", "budget must not be negative (got -5)"),
        ("title", "", "'title' is required"),
        ("status", "finished", "'finished' is not a valid status: expected 'planned', 'ongoing', "
         "'done' or 'cancelled'"),
        ("cluster", "afrika", "cluster 'afrika' does not exist (did you mean 'africa'?)"),
        ("lead", "org-999", "organisation 'org-999' does not exist"),
        ("aspiration", "a9", "aspiration 'a9' does not exist"),
        ("end", "2024-01-01", "ends (2024-01-01) before it starts"),
        ("currency", "euro", "'euro' is not an ISO 4217 currency code such as EUR"),
    ],
)  # fmt: skip
def test_bad_activity_cell(folder: Path, column: str, value: str, message: str) -> None:
    edit_cell(folder / "activities.csv", 3, column, value)
    found = problems(folder)
    assert len(found) == 1, found
    assert found[0].startswith(f"activities.csv:3:{column}: error: {message}")


@pytest.mark.parametrize(
    ("column", "value", "message"),
    [
        ("country", "XX", "unknown country code 'XX' (ISO 3166 alpha-2, e.g. PT)"),
        ("country", "pt", "unknown country code 'pt' (write 'PT')"),
        ("contact_email", "ana.example.org", "'ana.example.org' is not an e-mail address"),
        ("id", "org 1", "'org 1' is not a valid id"),
        ("joined", "2026-02-30", "'2026-02-30' is not a day in the calendar"),
    ],
)
def test_bad_organisation_cell(folder: Path, column: str, value: str, message: str) -> None:
    path = folder / "organisations.csv"
    rows = read_rows(path)
    row = next(i for i, r in enumerate(rows) if r[0] == "org-084") + 1  # referenced nowhere
    edit_cell(path, row, column, value)
    found = problems(folder)
    expected = f"organisations.csv:{row}:{column}: error: {message}"
    assert any(p.startswith(expected) for p in found), found
    if column != "id":  # a renamed id also leaves the references to the old one dangling
        assert len(found) == 1, found


def test_same_id_twice(folder: Path) -> None:
    path = folder / "organisations.csv"
    rows = read_rows(path)
    rows.append(list(rows[5]))
    write_rows(path, rows)
    found = problems(folder)
    assert found == [
        f"organisations.csv:{len(rows)}:id: error: duplicate organisation id '{rows[5][0]}' "
        "(first at organisations.csv:6:id)"
    ]


def test_unknown_cluster_in_memberships(folder: Path) -> None:
    path = folder / "cluster_members.csv"
    rows = read_rows(path)
    rows.append(["greening", "org-001"])
    write_rows(path, rows)
    assert problems(folder) == [
        f"cluster_members.csv:{len(rows)}:cluster: error: cluster 'greening' does not exist "
        "(did you mean 'greening-tvet'?)"
    ]


def test_file_that_is_not_utf8(folder: Path) -> None:
    path = folder / "partnerships.csv"
    path.write_bytes(path.read_bytes().decode("utf-8-sig").replace("Foundation", "Fundación")
                     .encode("cp1252"))  # fmt: skip
    found = problems(folder)
    assert len(found) == 1
    assert found[0].startswith("partnerships.csv:2: error: not UTF-8 text (byte 0xf3")
    assert "CSV UTF-8" in found[0]


def test_every_problem_is_reported_at_once(folder: Path) -> None:
    edit_cell(folder / "activities.csv", 2, "start", "31/02/2026")
    edit_cell(folder / "activities.csv", 5, "budget", "1.234,50")
    edit_cell(folder / "organisations.csv", 10, "country", "ZZ")
    edit_cell(folder / "clusters.csv", 2, "coordinator", "org-404")
    text = (folder / "strategy.yaml").read_text(encoding="utf-8")
    (folder / "strategy.yaml").write_text(text.replace("target: 12", "target: lots", 1), "utf-8")
    found = problems(folder)
    assert [p.split(": error")[0] for p in found] == [
        "activities.csv:2:start",
        "activities.csv:5:budget",
        "clusters.csv:2:coordinator",
        "organisations.csv:10:country",
        "strategy.yaml:49 aspirations[1].kpis[0].target",
    ]
    assert found[-1].endswith("'lots' is not a number; write it like 1234.50, without currency "
                              "signs")  # fmt: skip


def test_missing_file_and_bad_yaml(folder: Path) -> None:
    (folder / "clusters.csv").unlink()
    (folder / "network.yaml").write_text("name: [unclosed\n", encoding="utf-8")
    found = problems(folder)
    assert found[0] == "network: error: no clusters.csv in the folder"
    assert found[1].startswith("network.yaml:2: error: invalid YAML")
    assert len(found) == 2


def test_missing_source() -> None:
    from pipeline.errors import NotFoundError

    with pytest.raises(NotFoundError, match="no such data source"):
        load_network("/nonexistent/network")
