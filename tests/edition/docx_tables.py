"""Reading the tables of a built .docx and checking that their total rows add up.

The tables are read from the document's XML (``word/document.xml``), so nested tables and
tables in text boxes are found too, merged cells are seen as merged, and every table is named
by its number in the document and the headings above it, the way a reader would find it.

A *total row* is a row below the header whose first cell reads like a total ("Total …",
"Grand total", "Subtotal", "All …", "Sum", "Overall") or whose every filled cell is bold. Its
printed amounts must equal, exactly, the sum of the amounts printed in the rows above it (since
the previous total row; a total right below other totals adds those up). A few total rows sum
other tables rather than the rows above them; they are listed in :data:`CROSS_TABLE_TOTALS` and
checked by their own test, so that no total row is left unchecked without a word.
"""

from __future__ import annotations

import csv
import re
import zipfile
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from lxml import etree

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NS = {"w": W}
_W = f"{{{W}}}"


@dataclass(frozen=True)
class Cell:
    """One cell of a table as printed."""

    text: str
    """Its text, paragraphs joined by a line break, spaces normalised."""
    bold: bool
    """Whether every run with text in it is bold."""
    merged: bool = False
    """A grid position covered by a cell to its left or above (its text is in that cell)."""


@dataclass(frozen=True)
class Table:
    """One table of a document."""

    number: int
    """Its position among the document's tables, from 1 (nested tables included)."""
    section: str
    """The headings above it, outermost first, joined by " / "."""
    rows: tuple[tuple[Cell, ...], ...]
    """Its rows, each with one cell per grid column."""

    @property
    def header(self) -> tuple[str, ...]:
        return tuple(c.text for c in self.rows[0]) if self.rows else ()

    def where(self, row: int | None = None) -> str:
        """``table 7 (Funding source | Budget) under "Budget / Other sources", row 5 "All
        other sources"``: enough for a reader to find the cell."""
        text = f"table {self.number} ({' | '.join(self.header)})"
        if self.section:
            text += f' under "{self.section}"'
        if row is not None:
            text += f', row {row + 1} "{self.rows[row][0].text}"'
        return text


@dataclass(frozen=True)
class Amount:
    """A printed amount: ``EUR 2,053,000.50`` is ``Amount(Decimal("2053000.50"), "EUR")``."""

    value: Decimal
    unit: str
    """A three-letter currency code, ``%`` for a percentage, or ``""`` for a plain number."""

    def __str__(self) -> str:
        if self.unit == "%":
            return f"{self.value:,} %"
        return f"{self.unit} {self.value:,}".strip()


# -- reading -----------------------------------------------------------------------------------


def _is_bold(run: etree._Element) -> bool:
    rpr = run.find("w:rPr", NS)
    if rpr is None:
        return False
    style = rpr.find("w:rStyle", NS)
    if style is not None and style.get(_W + "val") in ("Strong", "StrongEmphasis"):
        return True
    b = rpr.find("w:b", NS)
    return b is not None and b.get(_W + "val", "true") not in ("0", "false", "off")


def _paragraph_text(p: etree._Element) -> tuple[str, list[bool]]:
    """The text of one paragraph and, per run with text, whether it is bold."""
    parts: list[str] = []
    bolds: list[bool] = []
    for run in p.iter(_W + "r"):
        if _nearest(run, _W + "p") is not p:
            continue  # a run of a paragraph nested in this one (a text box)
        text = ""
        for node in run:
            if node.tag == _W + "t":
                text += node.text or ""
            elif node.tag in (_W + "tab", _W + "br", _W + "cr"):
                text += " "
            elif node.tag == _W + "noBreakHyphen":
                text += "-"
        if text.strip():
            bolds.append(_is_bold(run))
        parts.append(text)
    return "".join(parts), bolds


def _nearest(node: etree._Element, tag: str) -> etree._Element | None:
    parent = node.getparent()
    while parent is not None and parent.tag != tag:
        parent = parent.getparent()
    return parent


def _clean(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("\u00a0", " ").replace("\u202f", " ")).strip()


def _cell(tc: etree._Element) -> Cell:
    texts, bolds = [], []
    for p in tc.findall("w:p", NS):  # the cell's own paragraphs, not those of nested tables
        text, b = _paragraph_text(p)
        texts.append(_clean(text))
        bolds += b
    return Cell(" / ".join(t for t in texts if t), bool(bolds) and all(bolds))


def _rows(tbl: etree._Element) -> tuple[tuple[Cell, ...], ...]:
    rows = []
    for tr in tbl.findall("w:tr", NS):
        cells: list[Cell] = []
        for tc in tr.findall("w:tc", NS):
            span_el = tc.find("w:tcPr/w:gridSpan", NS)
            span = int(span_el.get(_W + "val", "1")) if span_el is not None else 1
            vmerge = tc.find("w:tcPr/w:vMerge", NS)
            if vmerge is not None and vmerge.get(_W + "val", "continue") == "continue":
                cells.append(Cell("", False, merged=True))
            else:
                cells.append(_cell(tc))
            cells += [Cell("", False, merged=True)] * (span - 1)
        rows.append(tuple(cells))
    return tuple(rows)


def _heading_level(p: etree._Element, names: dict[str, str]) -> int | None:
    style = p.find("w:pPr/w:pStyle", NS)
    if style is None:
        return None
    name = names.get(style.get(_W + "val", ""), style.get(_W + "val", ""))
    found = re.fullmatch(r"(?i)heading\s*(\d)", name)
    return int(found.group(1)) if found else None


def _style_names(archive: zipfile.ZipFile) -> dict[str, str]:
    if "word/styles.xml" not in archive.namelist():
        return {}
    root = etree.fromstring(archive.read("word/styles.xml"))
    names = {}
    for style in root.findall("w:style", NS):
        name = style.find("w:name", NS)
        if name is not None:
            names[style.get(_W + "styleId", "")] = name.get(_W + "val", "")
    return names


def read_tables(path: Path) -> list[Table]:
    """Every table of the document's body, in reading order, with the headings above it."""
    with zipfile.ZipFile(path) as archive:
        names = _style_names(archive)
        root = etree.fromstring(archive.read("word/document.xml"))
    tables: list[Table] = []
    headings: dict[int, str] = {}
    for node in root.iter(_W + "p", _W + "tbl"):
        if node.tag == _W + "p":
            level = _heading_level(node, names)
            if level is not None and _nearest(node, _W + "tbl") is None:
                headings = {k: v for k, v in headings.items() if k < level}
                headings[level] = _clean(_paragraph_text(node)[0])
            continue
        section = " / ".join(v for _, v in sorted(headings.items()) if v)
        tables.append(Table(len(tables) + 1, section, _rows(node)))
    return tables


# -- the same, in the handbook's other formats -------------------------------------------------

_HEADINGS = {"h1": 1, "h2": 2, "h3": 3, "h4": 4, "h5": 5, "h6": 6}


def _local(element: etree._Element) -> str:
    return etree.QName(element).localname if isinstance(element.tag, str) else ""


def _in_bold(text: Any, td: etree._Element) -> bool:
    """Whether a text node of cell ``td`` is inside <strong> or <b>."""
    element = text.getparent()
    if text.is_tail:
        element = element.getparent()
    while element is not None and element is not td:
        if _local(element) in ("strong", "b"):
            return True
        element = element.getparent()
    return False


def _markup_cell(td: etree._Element) -> Cell:
    """A cell of an HTML table; bold when all its text is inside <strong> or <b>."""
    nodes = [t for t in td.xpath(".//text()") if t.strip()]
    return Cell(_clean(" ".join(nodes)), bool(nodes) and all(_in_bold(t, td) for t in nodes))


def _own_rows(table: etree._Element) -> Iterator[etree._Element]:
    """The <tr> of ``table``, not those of the tables nested in it."""
    for tr in table.iter():
        if (
            _local(tr) == "tr"
            and next(a for a in tr.iterancestors() if _local(a) == "table") is table
        ):
            yield tr


def read_markup_tables(root: etree._Element) -> list[Table]:
    """Every table of an HTML or XHTML page, with the headings above it (colspan seen as
    merged cells)."""
    tables: list[Table] = []
    headings: dict[int, str] = {}
    for node in root.iter():
        tag = _local(node)
        if tag in _HEADINGS:
            level = _HEADINGS[tag]
            headings = {k: v for k, v in headings.items() if k < level}
            headings[level] = _clean(" ".join(node.itertext()))
        elif tag == "table":
            rows = []
            for tr in _own_rows(node):
                cells: list[Cell] = []
                for td in tr:
                    if _local(td) in ("td", "th"):
                        cells.append(_markup_cell(td))
                        span = int(td.get("colspan", "1") or "1")
                        cells += [Cell("", False, merged=True)] * (span - 1)
                rows.append(tuple(cells))
            section = " / ".join(v for _, v in sorted(headings.items()) if v)
            tables.append(Table(len(tables) + 1, section, tuple(rows)))
    return tables


_TABLE = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
_TEXT = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"


def read_odt_tables(path: Path) -> list[Table]:
    """Every table of an ODT's body, with the headings above it. Bold is a style there, not
    read: total rows are found by their label."""
    with zipfile.ZipFile(path) as archive:
        root = etree.fromstring(archive.read("content.xml"))
    tables: list[Table] = []
    headings: dict[int, str] = {}
    for node in root.iter(f"{{{_TEXT}}}h", f"{{{_TABLE}}}table"):
        if node.tag == f"{{{_TEXT}}}h":
            level = int(node.get(f"{{{_TEXT}}}outline-level", "1"))
            headings = {k: v for k, v in headings.items() if k < level}
            headings[level] = _clean("".join(node.itertext()))
            continue
        rows = []
        for tr in node.iter(f"{{{_TABLE}}}table-row"):
            if _nearest(tr, f"{{{_TABLE}}}table") is not node:
                continue
            cells: list[Cell] = []
            for td in tr:
                if td.tag == f"{{{_TABLE}}}covered-table-cell":
                    cells.append(Cell("", False, merged=True))
                elif td.tag == f"{{{_TABLE}}}table-cell":
                    texts = [_clean("".join(p.itertext())) for p in td.iter(f"{{{_TEXT}}}p")]
                    cells.append(Cell(" / ".join(t for t in texts if t), False))
            rows.append(tuple(cells))
        section = " / ".join(v for _, v in sorted(headings.items()) if v)
        tables.append(Table(len(tables) + 1, section, tuple(rows)))
    return tables


# -- amounts -----------------------------------------------------------------------------------

_AMOUNT = re.compile(
    r"(?:(?P<cur>[A-Z]{3}) )?"
    r"(?P<num>[-\u2212]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?)"
    r"(?: ?(?P<pct>%))?"
)


def parse_amounts(text: str) -> list[Amount] | None:
    """The amounts a cell prints, one per currency (``EUR 215,000; USD 47,000``), or ``None``
    when the text is not amounts only (a name, a date, ``not set``, an empty cell)."""
    text = _clean(text)
    if not text:
        return None
    amounts = []
    for part in text.split(";"):
        found = _AMOUNT.fullmatch(part.strip())
        if not found or (found.group("cur") and found.group("pct")):
            return None
        number = found.group("num").replace(",", "").replace("\u2212", "-")
        unit = found.group("cur") or found.group("pct") or ""
        amounts.append(Amount(Decimal(number), unit))
    units = [a.unit for a in amounts]
    if len(set(units)) != len(units):
        return None  # "EUR 1; EUR 2" is not a total of anything
    return amounts


# -- total rows --------------------------------------------------------------------------------

TOTAL_LABEL = re.compile(r"(?i)^(?:(?:grand|sub-?)\s*)?totals?\b|^all\b|^sum\b|^overall\b")
"""A first cell that says its row is a total."""

TOTAL_BUDGET = re.compile(r"^(?:Total budget|Budget in other currencies)\b")
"""The labels of an action plan's total budget lines ("Total budget of the action plan (not
counting cancelled)", and "Budget in other currencies …" when there are several), in its
summary table (header ``| Value``)."""

CROSS_TABLE_TOTALS: dict[tuple[tuple[str, ...], re.Pattern[str]], str] = {
    (("", "Value"), TOTAL_BUDGET): (
        "the action plan's total budget: the sum of the activities tables' Budget column, "
        "checked by test_totals.py::test_total_budget_is_the_sum_of_the_activities"
    ),
}
"""Total rows that add up other tables, not the rows above them: (header, label pattern) →
what checks them instead."""


def is_total_row(table: Table, index: int) -> bool:
    """Whether row ``index`` (not the header) reads as a total row."""
    if index == 0:
        return False
    row = table.rows[index]
    if TOTAL_LABEL.search(row[0].text):
        return True
    filled = [c for c in row if c.text]
    if filled and filled[0] is row[0] and len(filled) == 1 and len(row) > 1:
        return False  # a group heading within the table (an aspiration over its indicators)
    return bool(filled) and all(c.bold for c in filled)


def checked_elsewhere(table: Table, index: int) -> str | None:
    """What checks this total row, when it adds up other tables (see CROSS_TABLE_TOTALS)."""
    for (header, label), checker in CROSS_TABLE_TOTALS.items():
        if table.header == header and label.search(table.rows[index][0].text):
            return checker
    return None


@dataclass
class TotalCheck:
    """One printed total and the rows it adds up."""

    table: Table
    row: int
    column: int
    printed: list[Amount]
    parts: list[tuple[int, list[Amount]]] = field(default_factory=list)
    """(row index, amounts printed there) of every row the total covers."""

    def sums(self) -> dict[str, Decimal]:
        out: dict[str, Decimal] = defaultdict(Decimal)
        for _, amounts in self.parts:
            for a in amounts:
                out[a.unit] += a.value
        return dict(out)

    def problem(self) -> str | None:
        """Why the printed total is not the sum of its rows, or ``None`` when it is."""
        printed = {a.unit: a.value for a in self.printed}
        summed = self.sums()
        if printed == summed:
            return None
        column = self.table.header[self.column] if self.column < len(self.table.header) else ""
        shown = "; ".join(str(a) for a in self.printed)
        added = "; ".join(str(Amount(v, u)) for u, v in sorted(summed.items())) or "nothing"
        terms = " + ".join(
            f"{'; '.join(str(a) for a in amounts)} ({self.table.rows[r][0].text})"
            for r, amounts in self.parts
        )
        return (
            f"{self.table.where(self.row)}, column {self.column + 1} ({column}): prints "
            f"{shown} but the rows above add up to {added}: {terms or 'no rows'}"
        )


def check_totals(table: Table) -> tuple[list[TotalCheck], list[str]]:
    """Every total of the table that adds up the rows above it, and every problem met while
    reading them (a total row or a summed cell that is not an amount, nothing to add up).

    Total rows listed in :data:`CROSS_TABLE_TOTALS` are left to their own test."""
    checks: list[TotalCheck] = []
    problems: list[str] = []
    start = 1  # the first row of the current block (row 0 is the header)
    subtotals: list[int] = []  # the total rows a total right below other totals adds up
    for index in range(1, len(table.rows)):
        if not is_total_row(table, index):
            continue
        if checked_elsewhere(table, index):
            start = index + 1
            continue
        block = list(range(start, index))
        of_subtotals = not block and bool(subtotals)
        if of_subtotals:
            block = subtotals  # a grand total right below its subtotals
        row = table.rows[index]
        found_any = unreadable = False
        for col in range(1, len(row)):
            cell = row[col]
            if cell.merged or not cell.text:
                continue
            printed = parse_amounts(cell.text)
            if printed is None:
                problems.append(
                    f"{table.where(index)}, column {col + 1}: a total row whose cell "
                    f"{cell.text!r} is not an amount this test can read"
                )
                unreadable = True
                continue
            found_any = True
            check = TotalCheck(table, index, col, printed)
            for r in block:
                part = table.rows[r][col] if col < len(table.rows[r]) else Cell("", False)
                if part.merged:
                    continue
                amounts = parse_amounts(part.text)
                if amounts is None:
                    problems.append(
                        f"{table.where(index)}, column {col + 1}: the row it adds up, "
                        f'row {r + 1} "{table.rows[r][0].text}", prints {part.text!r}, '
                        "not an amount"
                    )
                    break
                check.parts.append((r, amounts))
            else:
                if not check.parts:
                    problems.append(f"{table.where(index)}: a total with no rows above it")
                checks.append(check)
        if not found_any and not unreadable:
            problems.append(
                f"{table.where(index)}: reads as a total row but prints no amount this test "
                f"can read: {' | '.join(c.text for c in row)!r}"
            )
        subtotals = [index] if of_subtotals else [*subtotals, index]
        start = index + 1
    return checks, problems


def total_problems(tables: Iterable[Table]) -> Iterator[str]:
    """Every way the tables' printed totals fail to add up, or could not be read."""
    for table in tables:
        checks, problems = check_totals(table)
        yield from problems
        for check in checks:
            problem = check.problem()
            if problem:
                yield problem


# -- the action plan's budget: totals of other tables ------------------------------------------


def _sums(cells: list[tuple[str, list[Amount]]]) -> dict[str, Decimal]:
    out: dict[str, Decimal] = defaultdict(Decimal)
    for _, amounts in cells:
        for a in amounts:
            out[a.unit] += a.value
    return {unit: value for unit, value in out.items() if value}  # nothing in a currency: 0


def _money(sums: dict[str, Decimal]) -> str:
    return "; ".join(str(Amount(v, u)) for u, v in sorted(sums.items())) or "nothing"


def _column(table: Table, name: str) -> int:
    return table.header.index(name)


def intro_total(table: Table) -> list[tuple[int, list[Amount] | None]]:
    """The rows and amounts of the action plan's total budget lines, if ``table`` has them."""
    if table.header != ("", "Value"):
        return []
    return [
        (index, parse_amounts(row[1].text))
        for index, row in enumerate(table.rows)
        if index and TOTAL_BUDGET.search(row[0].text)
    ]


def _plan_total(
    name: str, table: Table, problems: list[str]
) -> tuple[str, dict[str, Decimal]] | None:
    """The labels and the per-currency sums of the total budget lines of ``table``."""
    lines = intro_total(table)
    if not lines:
        return None
    printed: list[tuple[str, list[Amount]]] = []
    for row, amounts in lines:
        if amounts is None:
            problems.append(f"{name}: {table.where(row)}: not amounts this test can read")
        else:
            printed.append((table.rows[row][0].text, amounts))
    labels = " + ".join(f'"{label}"' for label, _ in printed)
    return labels + (" prints" if len(printed) == 1 else " print"), _sums(printed)


NO_BUDGET = re.compile(r"(?i)\bno budget\b|\bnot budgeted\b|\bwithout (?:a )?budget\b")
"""A Budget cell that says, in words, that the activity has no budget: not counted, and not a
leftover (an empty cell or "not set" is one)."""


def _is_activities(table: Table) -> bool:
    return bool(table.header) and table.header[0] == "Activity" and "Budget" in table.header


def total_budget_problems(name: str, tables: list[Table]) -> list[str]:
    """Where an action plan's "Total budget" line is not the sum of the Budget cells
    of its activities tables (rows that are not cancelled), per currency."""
    problems: list[str] = []
    for table in tables:
        found = _plan_total(name, table, problems)
        if found is None:
            continue
        labels, printed = found
        cells: list[tuple[str, list[Amount]]] = []
        for activities in filter(_is_activities, tables):
            status, budget = _column(activities, "Status"), _column(activities, "Budget")
            for r, cells_of_row in enumerate(activities.rows[1:], 1):
                if cells_of_row[status].text.startswith("cancelled"):
                    continue
                amounts = parse_amounts(cells_of_row[budget].text)
                if amounts is None and NO_BUDGET.search(cells_of_row[budget].text):
                    continue
                if amounts is None:
                    problems.append(
                        f"{name}: {activities.where(r)}: budget "
                        f"{cells_of_row[budget].text!r} is not an amount"
                    )
                    continue
                cells.append((cells_of_row[0].text, amounts))
        summed = _sums(cells)
        if printed != summed:
            problems.append(
                f"{name}: {table.where()}: {labels} {_money(printed)} but the "
                f"{len(cells)} activities that are not cancelled add up to {_money(summed)}"
            )
    return problems


SPLIT = ("Grant", "Own contribution", "Partner contribution", "Total")
"""The columns of the action plan's budget by funding source and by budget line."""
SPLIT_TABLES = {"Funding source": "All funding sources", "Budget line": "All budget lines"}
"""First column of each split table -> the label of its one grand total row."""


def funding_problems(name: str, tables: list[Table]) -> list[str]:
    """Where an action plan's grand total by funding source ("All funding sources") or by
    budget line ("All budget lines") is not the sum of its budget per aspiration, or not its
    "Total budget", in each currency those tables print; and where a row's grant + own
    contribution + partner contribution is not its total."""
    problems: list[str] = []
    by_source: list[tuple[str, list[Amount]]] = []
    by_line: list[tuple[str, list[Amount]]] = []
    by_aspiration: list[tuple[str, list[Amount]]] = []
    intro: tuple[str, dict[str, Decimal]] | None = None  # the total budget line: label, sums
    for table in tables:
        if intro_total(table):
            intro = _plan_total(name, table, [])
        elif table.header[1:] == SPLIT and table.header[0] in SPLIT_TABLES:
            label = SPLIT_TABLES[table.header[0]]
            found = by_source if table.header[0] == "Funding source" else by_line
            grand = [r for r in range(1, len(table.rows)) if table.rows[r][0].text == label]
            if len(grand) != 1:
                problems.append(f'{name}: {table.where()}: {len(grand)} rows "{label}", not 1')
            for r, row in enumerate(table.rows[1:], 1):
                cells = [parse_amounts(c.text) for c in row[1:]]
                if any(c is None for c in cells):
                    problems.append(f"{name}: {table.where(r)}: not amounts")
                    continue
                parts = _sums([("", c or []) for c in cells[:3]])
                if parts != _sums([("", cells[3] or [])]):
                    problems.append(
                        f"{name}: {table.where(r)}: grant + own + partner "
                        f"{_money(parts)} is not its total {row[4].text}"
                    )
                if r in grand:
                    found.append((label, cells[3] or []))
        elif table.header == ("Aspiration", "Budget"):
            for r, row in enumerate(table.rows[1:], 1):
                if is_total_row(table, r):
                    continue  # its own sum is test_every_total_row_adds_up's
                amounts = parse_amounts(row[1].text)
                if amounts is None:
                    problems.append(f"{name}: {table.where(r)}: not an amount")
                else:
                    by_aspiration.append((row[0].text, amounts))
    if _sums(by_line) != _sums(by_source):
        problems.append(
            f"{name}: the budget lines add up to {_money(_sums(by_line))}, the "
            f"funding sources to {_money(_sums(by_source))}"
        )
    sources, aspirations = _sums(by_source), _sums(by_aspiration)
    if sources != aspirations:
        problems.append(
            f"{name}: the funding-source totals ("
            + " + ".join(f"{label} {_money(_sums([('', a)]))}" for label, a in by_source)
            + f" = {_money(sources)}) differ from the sum of the budget per aspiration "
            f"({_money(aspirations)})"
        )
    for unit, value in sorted(sources.items()):
        if intro is None:
            problems.append(f"{name}: funding-source totals but no total budget line")
            break
        if intro[1].get(unit) != value:
            problems.append(
                f"{name}: the funding-source totals add up to {Amount(value, unit)} but "
                f"{intro[0]} {_money(intro[1])}"
            )
    return problems


def budget_problems(path: Path) -> list[str]:
    """Every total of one document that does not add up: its total rows, and for an action
    plan its "Total budget" line and its funding-source totals."""
    tables = read_tables(path)
    return [
        *(f"{path.name}: {p}" for p in total_problems(tables)),
        *total_budget_problems(path.name, tables),
        *funding_problems(path.name, tables),
    ]


# -- editing the sample data (hostile cases) ---------------------------------------------------


def edit_csv(path: Path, edit: Callable[[dict[str, str]], bool]) -> None:
    """Rewrite a CSV of the sample network: ``edit`` may change a row in place and returns
    whether to keep it. The file keeps its byte-order mark and its columns."""
    raw = path.read_bytes()
    bom = raw.startswith(b"\xef\xbb\xbf")
    with open(path, encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        columns = list(reader.fieldnames or [])
        rows = [row for row in reader if edit(row)]
    with open(path, "w", encoding="utf-8-sig" if bom else "utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, columns, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def half_euro_budgets(path: Path) -> None:
    """Give every other budget of ``activities.csv`` fifty cents more: rounded row by row the
    rows would no longer add up to their rounded total. The first budget line of each such
    activity changes by as much, so its lines still add up to its budget."""
    count = 0
    more: dict[str, Decimal] = {}

    def add_cents(row: dict[str, str]) -> bool:
        nonlocal count
        if row["budget"].strip():
            count += 1
            if count % 2:
                old = Decimal(row["budget"])
                new = old.to_integral_value() + Decimal("0.50")
                row["budget"] = str(new)
                more[row["id"]] = new - old
        return True

    edit_csv(path, add_cents)
    lines = path.parent / "budget_lines.csv"
    if lines.is_file():

        def first_line_too(row: dict[str, str]) -> bool:
            if row["activity"] in more:
                row["amount"] = str(Decimal(row["amount"]) + more.pop(row["activity"]))
            return True

        edit_csv(lines, first_line_too)


def prune_dependants(folder: Path) -> None:
    """After activities were removed or lost their budget in the network ``folder``: drop the
    budget lines, RACI rows and milestones that would now point at nothing (or at an activity
    without a budget), as a secretariat editing the data would."""
    budgets: dict[str, bool] = {}

    def note(row: dict[str, str]) -> bool:
        budgets[row["id"]] = bool(row["budget"].strip())
        return True

    edit_csv(folder / "activities.csv", note)
    for name, keep in (
        ("budget_lines.csv", lambda row: budgets.get(row["activity"], False)),
        ("raci.csv", lambda row: row["activity"] in budgets),
        ("milestones.csv", lambda row: not row["activity"] or row["activity"] in budgets),
    ):
        if (folder / name).is_file():
            edit_csv(folder / name, keep)
