"""The tabular form of the network, shared by CSV folders, workbooks and databases.

One table per entity. Lists are written in one cell, separated by ``|``; the network's own
fields and the strategy's vision and mission go in a two-column ``network`` table of keys and
values (``meeting.date``), the strategy's aspirations, objectives and KPIs in three tables.
A folder keeps the two nested parts as YAML instead (``network.yaml``, ``strategy.yaml``).
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from pydantic import BaseModel

from ..errors import Problem
from .model import (
    KPI,
    LIST_SEPARATOR,
    Activity,
    Aspiration,
    Assignment,
    BudgetLine,
    Cluster,
    DocumentStatus,
    Milestone,
    Narrative,
    NetworkData,
    Objective,
    Organisation,
    Partnership,
    Practice,
    ReportingPeriod,
    Risk,
)
from .places import Places


@dataclass(frozen=True)
class TableSpec:
    """The columns of one table."""

    name: str
    """Table, sheet or file stem: ``organisations``."""
    columns: tuple[str, ...]
    """Columns in the order they are written."""
    required: frozenset[str]
    """Columns a table must have (their cells may still be checked by the model)."""
    lists: frozenset[str] = frozenset()
    """Columns holding a ``|``-separated list."""
    key: tuple[str, ...] = ("id",)
    """Columns that identify a row, used to name it in a database."""
    dates: frozenset[str] = frozenset()
    """Columns holding dates."""
    numbers: frozenset[str] = frozenset()
    """Columns holding numbers."""
    integers: frozenset[str] = frozenset()
    """Those of ``numbers`` that hold whole numbers (a risk's 1-5 ratings)."""


def _spec(
    name: str,
    model: type[BaseModel],
    exclude: Iterable[str] = (),
    parent: str | None = None,
    key: tuple[str, ...] = (),
) -> TableSpec:
    fields = {k: v for k, v in model.model_fields.items() if k not in set(exclude)}
    columns = ((parent,) if parent else ()) + tuple(fields)
    required = {k for k, v in fields.items() if v.is_required()} | ({parent} if parent else set())
    lists = {k for k, v in fields.items() if "list[" in str(v.annotation)}
    dates = {k for k, v in fields.items() if "datetime.date" in str(v.annotation)}
    numbers = {
        k
        for k, v in fields.items()
        if any(t in str(v.annotation) for t in ("Decimal", "float")) or v.annotation is int
    }
    integers = {k for k, v in fields.items() if v.annotation is int}
    key = key or ((parent, "id") if parent else ("id",))
    return TableSpec(
        name, columns, frozenset(required), frozenset(lists), key, frozenset(dates),
        frozenset(numbers), frozenset(integers),
    )  # fmt: skip


NETWORK = TableSpec("network", ("key", "value"), frozenset({"key", "value"}), key=("key",))
ASPIRATIONS = _spec("aspirations", Aspiration, exclude=("objectives", "kpis"))
OBJECTIVES = _spec("objectives", Objective, parent="aspiration")
KPIS = _spec("kpis", KPI, parent="aspiration")
ORGANISATIONS = _spec("organisations", Organisation)
CLUSTERS = _spec("clusters", Cluster, exclude=("members",))
CLUSTER_MEMBERS = TableSpec(
    "cluster_members",
    ("cluster", "organisation"),
    frozenset({"cluster", "organisation"}),
    key=("cluster", "organisation"),
)
ACTIVITIES = _spec("activities", Activity)
PARTNERSHIPS = _spec("partnerships", Partnership)
RISKS = _spec("risks", Risk)
MILESTONES = _spec("milestones", Milestone)
BUDGET_LINES = _spec("budget_lines", BudgetLine, key=("activity", "line"))
RACI = _spec("raci", Assignment, key=("activity", "role"))
PERIODS = _spec("periods", ReportingPeriod)
NARRATIVES = _spec("narratives", Narrative, key=("cluster", "period"))
DOCUMENTS = _spec("documents", DocumentStatus, key=("document",))
PRACTICES = _spec("practices", Practice)

RECORD_TABLES = (
    PARTNERSHIPS, RISKS, MILESTONES, BUDGET_LINES, RACI, PERIODS, NARRATIVES, DOCUMENTS, PRACTICES
)  # fmt: skip
"""Tables whose rows are the records of one list of :class:`NetworkData` as they are (the
list has the table's name), all optional."""
ENTITY_TABLES = (ORGANISATIONS, CLUSTERS, CLUSTER_MEMBERS, ACTIVITIES, *RECORD_TABLES)
"""Tables every medium stores as tables (a folder as CSV files)."""
STRATEGY_TABLES = (NETWORK, ASPIRATIONS, OBJECTIVES, KPIS)
"""Tables a workbook or database uses for what a folder keeps in YAML."""
ALL_TABLES = STRATEGY_TABLES + ENTITY_TABLES
OPTIONAL_TABLES = frozenset(spec.name for spec in RECORD_TABLES)
"""Tables that may be absent (read as empty)."""

NETWORK_KEYS = (
    "name",
    "short_name",
    "secretariat",
    "edition",
    "website",
    "meeting.date",
    "meeting.venue",
    "meeting.city",
    "meeting.country",
    "strategy.period",
    "strategy.vision",
    "strategy.mission",
)
"""Keys of the ``network`` table; ``strategy.*`` ones belong to the strategy."""

PlaceFn = Callable[[int | None, str | None], str]


@dataclass
class RawTable:
    """Rows of one table as read, before validation, and how to name their cells."""

    spec: TableSpec
    """Which table this is."""
    rows: list[dict[str, Any]]
    """One dict per row: column -> value; empty cells left out, lists already split."""
    place: PlaceFn
    """``(row index, column)`` -> where that cell is in the source."""


@dataclass
class Raw:
    """The whole network as read: plain data, where each part came from, reading problems."""

    data: dict[str, Any]
    """Plain dicts and lists in the shape of :class:`NetworkData`."""
    places: Places
    """Path in ``data`` -> place in the source."""
    problems: list[Problem] = field(default_factory=list)
    """Problems found while reading (bad headers, encodings, missing tables...)."""
    incomplete: set[str] = field(default_factory=set)
    """Tables not read in full: references to their ids are not checked (no false alarms)."""


def normal_header(name: str) -> str:
    """Spreadsheet-friendly header -> column name: ``Renewal due`` -> ``renewal_due``."""
    return name.strip().lower().replace(" ", "_").replace("-", "_")


def check_header(spec: TableSpec, header: list[str], where: str) -> list[Problem]:
    """Problems with a table's header: missing required, unknown or repeated columns."""
    problems = []
    seen: set[str] = set()
    for name in header:
        if name in seen:
            problems.append(Problem(where, "error", f"column '{name}' appears twice"))
        seen.add(name)
        if name and name not in spec.columns:
            close = difflib.get_close_matches(name, spec.columns, n=1)
            hint = f" (did you mean '{close[0]}'?)" if close else ""
            problems.append(
                Problem(
                    where,
                    "error",
                    f"unknown column '{name}'{hint}; columns of {spec.name}: "
                    + ", ".join(spec.columns),
                )
            )
    missing = [c for c in spec.columns if c in spec.required and c not in seen]
    if missing:
        problems.append(
            Problem(where, "error", "missing column(s) " + ", ".join(f"'{c}'" for c in missing))
        )
    return problems


def row_dict(spec: TableSpec, header: list[str], values: Iterable[Any]) -> dict[str, Any]:
    """One row as a dict: empty cells left out, list cells split on ``|``."""
    row = {
        column: value
        for column, value in zip(header, values, strict=False)
        if value is not None and (not isinstance(value, str) or (value and not value.isspace()))
    }
    for column in spec.lists.intersection(row):
        value = row[column]
        if isinstance(value, str):
            row[column] = [item.strip() for item in value.split(LIST_SEPARATOR) if item.strip()]
    return row


# --- model -> tables ------------------------------------------------------------------------


def to_tables(data: NetworkData, with_strategy: bool = True) -> dict[str, list[dict[str, Any]]]:
    """The network as rows of typed values (dates, decimals, lists), table by table."""
    tables: dict[str, list[dict[str, Any]]] = {}
    if with_strategy:
        info = data.network.model_dump(exclude={"meeting"})
        kv = [(k, v) for k, v in info.items()]
        kv += [(f"meeting.{k}", v) for k, v in data.network.meeting.model_dump().items()]
        strategy = data.strategy
        kv += [
            ("strategy.period", strategy.period),
            ("strategy.vision", strategy.vision),
            ("strategy.mission", strategy.mission),
        ]
        tables["network"] = [{"key": k, "value": v} for k, v in kv if v is not None]
        tables["aspirations"] = [
            a.model_dump(exclude={"objectives", "kpis"}) for a in strategy.aspirations
        ]
        tables["objectives"] = [
            {"aspiration": a.id, **o.model_dump()}
            for a in strategy.aspirations
            for o in a.objectives
        ]
        tables["kpis"] = [
            {"aspiration": a.id, **k.model_dump()} for a in strategy.aspirations for k in a.kpis
        ]
    tables["organisations"] = [o.model_dump() for o in data.organisations]
    tables["clusters"] = [c.model_dump(exclude={"members"}) for c in data.clusters]
    tables["cluster_members"] = [
        {"cluster": c.id, "organisation": m} for c in data.clusters for m in c.members
    ]
    tables["activities"] = [a.model_dump() for a in data.activities]
    for spec in RECORD_TABLES:
        tables[spec.name] = [r.model_dump() for r in getattr(data, spec.name)]
    return tables


def cell_text(value: Any) -> str:
    """A typed value as the text of a CSV cell."""
    if value is None:
        return ""
    if isinstance(value, list):
        return LIST_SEPARATOR.join(str(v) for v in value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, Decimal):
        return format(value, "f")  # exact, never in exponent notation
    return str(value)
