"""Every printed total of the edition is the exact sum of what it adds up, as printed.

A reader checks a total with the figures on the page, so these tests do too: the amounts are
read back from the built .docx files (``EUR 2,053,000.50``, ``1,234``, ``12 %``) and added as
``Decimal``. See :mod:`tests.edition.docx_tables` for what counts as a total row.
"""

from __future__ import annotations

import zipfile
from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path

import pytest
from lxml import etree, html

from tests.edition.conftest import Edition
from tests.edition.docx_tables import (
    Amount,
    Table,
    check_totals,
    funding_problems,
    intro_total,
    parse_amounts,
    read_markup_tables,
    read_odt_tables,
    read_tables,
    total_budget_problems,
    total_problems,
)


def _action_plans(edition: Edition) -> list[tuple[str, list[Table]]]:
    plans = []
    for path in edition.docx:
        tables = read_tables(path)
        if any(intro_total(t) for t in tables):
            plans.append((edition.name(path), tables))
    names = [name for name, _ in plans]
    assert "action-plan.docx" in names, f"no action plan with a total budget found: {names}"
    assert any(n.startswith("clusters/action-plan-") for n in names), names
    return plans


# -- the edition ---------------------------------------------------------------------------------


def test_every_total_row_adds_up(edition: Edition) -> None:
    """Every table of every document: each total row = the rows above it, exactly."""
    problems = []
    checked = 0
    for path in edition.docx:
        tables = read_tables(path)
        checked += sum(len(check_totals(t)[0]) for t in tables)
        problems += [f"{edition.name(path)}: {p}" for p in total_problems(tables)]
    assert checked, "no total row found in the whole edition: the detector is broken"
    assert not problems, f"{len(problems)} total(s) that do not add up:\n" + "\n".join(problems)


def test_every_total_row_adds_up_in_html_epub_and_odt(edition: Edition) -> None:
    """The same in the handbook's HTML site, EPUB and ODT, and on the landing page."""
    edition.require_published()
    problems = []
    read = 0
    for path in edition.html:
        tables = read_markup_tables(html.fromstring(path.read_bytes()))
        read += len(tables)
        problems += [f"{edition.name(path)}: {p}" for p in total_problems(tables)]
    for path in edition.epub:
        with zipfile.ZipFile(path) as archive:
            for part in archive.namelist():
                if part.endswith((".xhtml", ".html")):
                    tables = read_markup_tables(etree.fromstring(archive.read(part)))
                    read += len(tables)
                    where = f"{edition.name(path)} [{part}]"
                    problems += [f"{where}: {p}" for p in total_problems(tables)]
    for path in edition.odt:
        tables = read_odt_tables(path)
        read += len(tables)
        problems += [f"{edition.name(path)}: {p}" for p in total_problems(tables)]
    assert read, "no table read in the HTML, EPUB or ODT: the readers are broken"
    assert not problems, f"{len(problems)} total(s) that do not add up:\n" + "\n".join(problems)


def test_total_budget_is_the_sum_of_the_activities(edition: Edition) -> None:
    """An action plan's "Total budget" line = the Budget cells of its activities tables, rows
    that are not cancelled, per currency."""
    problems = [
        p for name, tables in _action_plans(edition) for p in total_budget_problems(name, tables)
    ]
    assert not problems, "\n".join(problems)


def test_funding_sources_and_aspirations_give_one_total(edition: Edition) -> None:
    """An action plan's "All EU programmes" + "All other sources" = the sum of its budget per
    aspiration = its "Total budget", in each currency those tables print."""
    problems = [
        p for name, tables in _action_plans(edition) for p in funding_problems(name, tables)
    ]
    assert not problems, "\n".join(problems)


# -- the parser and the detector, on documents made here -----------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("EUR 2,053,000.50", [Amount(Decimal("2053000.50"), "EUR")]),
        ("1,234", [Amount(Decimal(1234), "")]),
        ("12 %", [Amount(Decimal(12), "%")]),
        ("46.7", [Amount(Decimal("46.7"), "")]),
        (
            "EUR 215,000; USD 47,000",
            [Amount(Decimal(215000), "EUR"), Amount(Decimal(47000), "USD")],
        ),
        ("-5", [Amount(Decimal(-5), "")]),
        ("EUR\u00a01,000", [Amount(Decimal(1000), "EUR")]),
    ],
)
def test_printed_amounts_are_read_exactly(text: str, expected: list[Amount]) -> None:
    assert parse_amounts(text) == expected


@pytest.mark.parametrize(
    "text",
    ["", "not set", "none", "2026-01-08", "act-004", "EUR", "1,23", "12,3456", "EUR 12 %",
     "EUR 1; EUR 2", "**EUR 1**", "EUR 1,000 (est.)", "8 / 7 / 12 / 1"],
)  # fmt: skip
def test_text_that_is_not_an_amount_is_not_read_as_one(text: str) -> None:
    assert parse_amounts(text) is None


def _docx(path: Path, rows: Sequence[tuple[str, ...]], bold_last: bool = False) -> Path:
    from docx import Document

    doc = Document()
    doc.add_heading("Budget and funding", 1)
    doc.add_heading("Other sources", 2)
    table = doc.add_table(rows=0, cols=len(rows[0]))
    for n, values in enumerate(rows):
        cells = table.add_row().cells
        for cell, value in zip(cells, values, strict=True):
            run = cell.paragraphs[0].add_run(value)
            run.bold = bold_last and n == len(rows) - 1
    doc.save(str(path))
    return path


SOURCES = [
    ("Funding source", "Budget"),
    ("national", "EUR 950,000"),
    ("own resources", "EUR 473,000.50"),
    ("partner contribution", "EUR 630,000"),
]


def test_a_total_that_adds_up_passes(tmp_path: Path) -> None:
    rows = [*SOURCES, ("All other sources", "EUR 2,053,000.50")]
    tables = read_tables(_docx(tmp_path / "x.docx", rows, bold_last=True))
    checks, problems = check_totals(tables[0])
    assert problems == [] and [c.problem() for c in checks] == [None]
    assert [r for r, _ in checks[0].parts] == [1, 2, 3]


def test_a_total_off_by_one_is_found_and_located(tmp_path: Path) -> None:
    rows = [*SOURCES, ("All other sources", "EUR 2,053,001.50")]
    found = list(total_problems(read_tables(_docx(tmp_path / "x.docx", rows, bold_last=True))))
    assert found == [
        'table 1 (Funding source | Budget) under "Budget and funding / Other sources", row 5 '
        '"All other sources", column 2 (Budget): prints EUR 2,053,001.50 but the rows above add '
        "up to EUR 2,053,000.50: EUR 950,000 (national) + EUR 473,000.50 (own resources) + "
        "EUR 630,000 (partner contribution)"
    ]


@pytest.mark.parametrize(
    ("last", "bold", "expected"),
    [
        (("Total", "n/a"), False, "is not an amount this test can read"),
        (("Grand total", ""), False, "prints no amount this test can read"),
        (
            ("Somewhere", "EUR 1"),
            True,
            "prints EUR 1 but the rows above add up to EUR 2,053,000.50",
        ),
        (("All sources", "EUR 2,053,000.50; USD 1"), False, "add up to EUR 2,053,000.50:"),
    ],
)
def test_a_total_row_is_never_skipped_silently(
    tmp_path: Path, last: tuple[str, str], bold: bool, expected: str
) -> None:
    """A row that reads like a total (by its label, or all bold) is checked or reported."""
    tables = read_tables(_docx(tmp_path / "x.docx", [*SOURCES, last], bold_last=bold))
    found = list(total_problems(tables))
    assert len(found) == 1 and expected in found[0], found


def test_a_cell_that_is_not_an_amount_above_a_total_is_reported(tmp_path: Path) -> None:
    rows = [SOURCES[0], ("national", "not set"), ("Total", "EUR 1")]
    found = list(total_problems(read_tables(_docx(tmp_path / "x.docx", rows))))
    assert found == [
        'table 1 (Funding source | Budget) under "Budget and funding / Other sources", row 3 '
        '"Total", column 2: the row it adds up, row 2 "national", prints \'not set\', not an amount'
    ]


def test_subtotals_and_a_grand_total_and_percentages(tmp_path: Path) -> None:
    rows = [("Part", "Share"), ("a", "33 %"), ("b", "33 %"), ("Subtotal", "66 %"),
            ("c", "34 %"), ("Subtotal", "34 %"), ("Grand total", "101 %")]  # fmt: skip
    found = list(total_problems(read_tables(_docx(tmp_path / "x.docx", rows))))
    assert len(found) == 1 and 'row 7 "Grand total"' in found[0] and "add up to 100 %" in found[0]


def test_no_total_row_means_nothing_to_check(tmp_path: Path) -> None:
    rows = [("Aspiration", "Budget"), ("Attractive VET", "EUR 674,000"), ("Alliance", "EUR 1")]
    checks, problems = check_totals(read_tables(_docx(tmp_path / "x.docx", rows))[0])
    assert (checks, problems) == ([], [])


SPLIT_HEAD = ("Funding source", "Grant", "Own contribution", "Partner contribution", "Total")


def _plan(
    path: Path, total: str, eu_total: str, cancelled_budget: str = "EUR 5", other: str = ""
) -> list[Table]:
    """A tiny action plan: the intro table, two activities tables, the budget tables (by
    funding source, by budget line, by aspiration)."""
    from docx import Document

    eu = parse_amounts(eu_total)
    assert eu is not None
    grand = f"EUR {eu[0].value + Decimal('10.50'):,.2f}"

    doc = Document()
    intro: list[tuple[str, ...]] = [
        ("", "Value"),
        ("Activities", "3"),
        ("Total budget (not counting cancelled)", total),
    ]
    if other:
        intro.append(("Budget in other currencies (not counting cancelled)", other))
    tables: list[list[tuple[str, ...]]] = [
        intro,
        [("Activity", "Status", "Budget"), ("act-1 A", "done", "EUR 10.50"),
         ("act-2 B", "cancelled", cancelled_budget)],
        [("Activity", "Status", "Budget"), ("act-3 C", "ongoing (overdue)", "USD 7"),
         ("act-4 D", "planned", "EUR 1,000")],
        [SPLIT_HEAD, ("ESF+", "EUR 1,000", "EUR 0", "EUR 0", "EUR 1,000"),
         ("All EU programmes", eu_total, "EUR 0", "EUR 0", eu_total),
         ("national", "EUR 10.50", "EUR 0", "EUR 0", "EUR 10.50"),
         ("All other sources", "EUR 10.50", "EUR 0", "EUR 0", "EUR 10.50"),
         ("All funding sources", grand, "EUR 0", "EUR 0", grand)],
        [("Budget line", *SPLIT_HEAD[1:]), ("Staff", grand, "EUR 0", "EUR 0", grand),
         ("All budget lines", grand, "EUR 0", "EUR 0", grand)],
        [("Aspiration", "Budget"), ("Attractive VET", "EUR 10.50"), ("Leaders", "EUR 1,000"),
         ("All aspirations", "EUR 1,010.50")],
    ]  # fmt: skip
    for rows in tables:
        table = doc.add_table(rows=0, cols=len(rows[0]))
        for values in rows:
            for cell, value in zip(table.add_row().cells, values, strict=True):
                cell.text = value
    doc.save(str(path))
    return read_tables(path)


def test_an_action_plan_whose_budget_adds_up_passes(tmp_path: Path) -> None:
    tables = _plan(tmp_path / "p.docx", "EUR 1,010.50; USD 7", "EUR 1,000")
    assert intro_total(tables[0]) == [(2, parse_amounts("EUR 1,010.50; USD 7"))]
    assert total_budget_problems("p.docx", tables) == []
    assert funding_problems("p.docx", tables) == []
    assert list(total_problems(tables)) == []


def test_a_total_budget_over_two_lines_is_read_as_one(tmp_path: Path) -> None:
    """The plan's main currency on one line, the other currencies on the next."""
    tables = _plan(tmp_path / "p.docx", "EUR 1,010.50", "EUR 1,000", other="USD 7")
    assert total_budget_problems("p.docx", tables) == []
    assert funding_problems("p.docx", tables) == []
    tables = _plan(tmp_path / "q.docx", "EUR 1,010.50", "EUR 1,000")
    assert total_budget_problems("q.docx", tables) == [
        'q.docx: table 1 ( | Value): "Total budget (not counting cancelled)" prints '
        "EUR 1,010.50 but the 3 activities that are not cancelled add up to EUR 1,010.50; USD 7"
    ]


def test_an_action_plan_whose_budget_does_not_add_up_is_found(tmp_path: Path) -> None:
    tables = _plan(tmp_path / "p.docx", "EUR 1,012; USD 7", "EUR 1,000.50")
    assert total_budget_problems("p.docx", tables) == [
        'p.docx: table 1 ( | Value): "Total budget (not counting cancelled)" prints '
        "EUR 1,012; USD 7 but the 3 activities that are not cancelled add up to "
        "EUR 1,010.50; USD 7"
    ]
    assert funding_problems("p.docx", tables) == [
        "p.docx: the funding-source totals (All funding sources EUR 1,011.00 = EUR 1,011.00) "
        "differ from the sum of the budget per aspiration (EUR 1,010.50)",
        'p.docx: the funding-source totals add up to EUR 1,011.00 but "Total budget (not '
        'counting cancelled)" prints EUR 1,012; USD 7',
    ]


def test_a_budget_that_is_not_an_amount_is_reported(tmp_path: Path) -> None:
    tables = _plan(tmp_path / "p.docx", "EUR 1,010.50; USD 7", "EUR 1,000")
    assert total_budget_problems("p.docx", tables) == []  # a cancelled budget is not read
    tables = _plan(tmp_path / "q.docx", "EUR 1,010.50; USD 7", "EUR 1,000", "not set")
    assert total_budget_problems("q.docx", tables) == []
    from docx import Document

    doc = Document(str(tmp_path / "p.docx"))
    doc.tables[1].cell(1, 2).text = "not set"
    doc.save(str(tmp_path / "r.docx"))
    found = total_budget_problems("r.docx", read_tables(tmp_path / "r.docx"))
    assert found[0] == (
        "r.docx: table 2 (Activity | Status | Budget), row 2 \"act-1 A\": budget 'not set' is "
        "not an amount"
    ), found


def test_html_tables_are_read_with_bold_spans_and_headings() -> None:
    page = html.fromstring(
        "<html><body><h1>Budget</h1><h2>Other sources</h2><table>"
        "<thead><tr><th>Funding source</th><th>Budget</th></tr></thead><tbody>"
        "<tr><td>national</td><td>EUR 950,000</td></tr>"
        "<tr><td>own <em>resources</em><table><tr><td>Total</td><td>x</td></tr></table></td>"
        "<td>EUR 473,000.50</td></tr>"
        "<tr><td><strong>Somewhere</strong></td><td><b>EUR 1,423,000</b></td></tr>"
        "<tr><td colspan='2'>note</td></tr></tbody></table></body></html>"
    )
    outer, inner = read_markup_tables(page)
    assert outer.section == "Budget / Other sources" and inner.rows[0][0].text == "Total"
    assert [c.text for c in outer.rows[4]] == ["note", ""] and outer.rows[4][1].merged
    assert outer.rows[3][0].bold and not outer.rows[2][0].bold
    assert [p.split(": prints ")[1] for p in total_problems([outer])] == [
        "EUR 1,423,000 but the rows above add up to EUR 1,423,000.50: EUR 950,000 (national) "
        "+ EUR 473,000.50 (own resources Total x)"
    ]


def test_odt_tables_are_read(tmp_path: Path) -> None:
    content = (
        '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"'
        ' xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0"'
        ' xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"><office:body><office:text>'
        '<text:h text:outline-level="1">Shares</text:h><table:table>'
        "<table:table-row><table:table-cell><text:p>Part</text:p></table:table-cell>"
        "<table:table-cell><text:p>Share</text:p></table:table-cell></table:table-row>"
        "<table:table-row><table:table-cell><text:p>a</text:p></table:table-cell>"
        "<table:table-cell><text:p>33 %</text:p></table:table-cell></table:table-row>"
        "<table:table-row><table:table-cell><text:p>b</text:p></table:table-cell>"
        "<table:covered-table-cell/></table:table-row>"
        "<table:table-row><table:table-cell><text:p>Total</text:p></table:table-cell>"
        "<table:table-cell><text:p>34 %</text:p></table:table-cell></table:table-row>"
        "</table:table></office:text></office:body></office:document-content>"
    )
    path = tmp_path / "x.odt"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("content.xml", content)
    (table,) = read_odt_tables(path)
    assert table.section == "Shares" and table.rows[2][1].merged
    assert [p.split(": prints ")[1] for p in total_problems([table])] == [
        "34 % but the rows above add up to 33 %: 33 % (a)"
    ]
