"""Tables -> the nested shape of :class:`NetworkData`, remembering where every row came from."""

from __future__ import annotations

import difflib
from collections.abc import Callable
from typing import Any

from ..errors import Problem
from .places import Loc, Places
from .tables import NETWORK_KEYS, RECORD_TABLES, Raw, RawTable

Doc = tuple[dict[str, Any] | None, Callable[[Loc], str]]
"""A nested part read from YAML: its data (``None`` if unreadable) and how to locate in it."""


def _table_resolver(table: RawTable) -> Callable[[Loc], str]:
    def resolve(rest: Loc) -> str:
        row = rest[0] if rest and isinstance(rest[0], int) else None
        column = (
            next((p for p in rest[1:] if isinstance(p, str)), None) if row is not None else None
        )
        return table.place(row, column)

    return resolve


def assemble(
    tables: dict[str, RawTable],
    fallback: Callable[[Loc], str],
    network_doc: Doc | None = None,
    strategy_doc: Doc | None = None,
) -> Raw:
    """Build the raw network from entity tables plus either YAML parts or strategy tables."""
    places = Places(fallback)
    problems: list[Problem] = []
    data: dict[str, Any] = {}

    if network_doc is not None and strategy_doc is not None:
        for key, (doc, resolve) in (("network", network_doc), ("strategy", strategy_doc)):
            data[key] = doc if doc is not None else {}
            places.add((key,), resolve)
    else:
        data["network"], data["strategy"] = _network_table(tables, places, problems)
        data["strategy"]["aspirations"] = _aspirations(tables, places, problems)

    for name in ("organisations", "activities", *(spec.name for spec in RECORD_TABLES)):
        table = tables.get(name)
        data[name] = table.rows if table else []
        if table:
            places.add((name,), _table_resolver(table))
    data["clusters"] = _clusters(tables, places, problems)
    return Raw(data, places, problems)


def _network_table(
    tables: dict[str, RawTable], places: Places, problems: list[Problem]
) -> tuple[dict[str, Any], dict[str, Any]]:
    network: dict[str, Any] = {}
    strategy: dict[str, Any] = {}
    table = tables.get("network")
    if table is None:
        return network, strategy
    places.add(("network",), lambda rest: table.place(None, None))
    places.add(("strategy",), lambda rest: table.place(None, None))
    seen: dict[str, int] = {}
    for index, row in enumerate(table.rows):
        key = str(row.get("key", "")).strip()
        if not key:
            continue
        where = table.place(index, "key")
        if key not in NETWORK_KEYS:
            close = difflib.get_close_matches(key, NETWORK_KEYS, n=1)
            hint = f" (did you mean '{close[0]}'?)" if close else ""
            problems.append(Problem(where, "error", f"unknown key '{key}'{hint}"))
            continue
        if key in seen:
            first = table.place(seen[key], "key")
            problems.append(Problem(where, "error", f"key '{key}' given twice (also at {first})"))
            continue
        seen[key] = index
        path: tuple[str, ...] = tuple(key.split("."))
        target = network
        if path[0] == "strategy":
            target, path = strategy, path[1:]
        elif path[0] == "meeting":
            target = network.setdefault("meeting", {})
            path = path[1:]
        if "value" in row:
            target[path[0]] = row["value"]
        full = ("strategy",) + path if target is strategy else ("network",) + tuple(key.split("."))
        places.add(full, _row_resolver(table, index, "value"))
    return network, strategy


def _aspirations(
    tables: dict[str, RawTable], places: Places, problems: list[Problem]
) -> list[dict[str, Any]]:
    table = tables.get("aspirations")
    if table is None:
        return []
    aspirations = [dict(row) for row in table.rows]
    places.add(("strategy", "aspirations"), _table_resolver(table))
    index_of: dict[str, int] = {}
    for i, row in enumerate(aspirations):
        index_of.setdefault(str(row.get("id")), i)
    for part in ("objectives", "kpis"):
        child = tables.get(part)
        if child is None:
            continue
        for row_index, row in enumerate(child.rows):
            parent = str(row.get("aspiration", ""))
            at = index_of.get(parent)
            if at is None:
                what = f"aspiration '{parent}' does not exist" if parent else "no aspiration given"
                problems.append(Problem(child.place(row_index, "aspiration"), "error", what))
                continue
            items = aspirations[at].setdefault(part, [])
            item = {k: v for k, v in row.items() if k != "aspiration"}
            loc: Loc = ("strategy", "aspirations", at, part, len(items))
            places.add(loc, _row_resolver(child, row_index))
            items.append(item)
    return aspirations


def _row_resolver(table: RawTable, row: int, column: str | None = None) -> Callable[[Loc], str]:
    def resolve(rest: Loc) -> str:
        name = column or next((p for p in rest if isinstance(p, str)), None)
        return table.place(row, name)

    return resolve


def _clusters(
    tables: dict[str, RawTable], places: Places, problems: list[Problem]
) -> list[dict[str, Any]]:
    table = tables.get("clusters")
    if table is None:
        return []
    clusters = [dict(row) for row in table.rows]
    members = tables.get("cluster_members")
    member_rows: dict[int, list[int]] = {}
    table_resolve = _table_resolver(table)

    def resolve(rest: Loc) -> str:
        # ("clusters", i, "members", j) points at a row of cluster_members, not of clusters
        if members is not None and len(rest) >= 3 and rest[1] == "members":
            at, j = rest[0], rest[2]
            rows = member_rows.get(at if isinstance(at, int) else -1, [])
            if isinstance(j, int) and j < len(rows):
                return members.place(rows[j], "organisation")
        return table_resolve(rest)

    places.add(("clusters",), resolve)
    if members is None:
        return clusters
    index_of: dict[str, int] = {}
    for i, row in enumerate(clusters):
        index_of.setdefault(str(row.get("id")), i)
        row["members"] = []
    for row_index, row in enumerate(members.rows):
        cluster_id = row.get("cluster")
        at = index_of.get(cluster_id if type(cluster_id) is str else str(cluster_id))
        organisation = row.get("organisation")
        if at is None or organisation is None:
            _member_problem(members, row_index, cluster_id, organisation, index_of, problems)
            continue
        clusters[at]["members"].append(organisation)
        member_rows.setdefault(at, []).append(row_index)
    return clusters


def _member_problem(
    members: RawTable,
    row_index: int,
    cluster_id: Any,
    organisation: Any,
    index_of: dict[str, int],
    problems: list[Problem],
) -> None:
    if cluster_id is None:
        where, what = members.place(row_index, "cluster"), "'cluster' is required"
    elif str(cluster_id) not in index_of:
        where = members.place(row_index, "cluster")
        what = f"cluster '{cluster_id}' does not exist{_hint(str(cluster_id), index_of)}"
    else:
        where, what = members.place(row_index, "organisation"), "'organisation' is required"
    problems.append(Problem(where, "error", what))


def _hint(value: str, known: dict[str, Any]) -> str:
    if len(known) > 2000:
        return ""
    close = difflib.get_close_matches(value, list(known), n=1)
    return f" (did you mean '{close[0]}'?)" if close else ""
