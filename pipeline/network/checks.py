"""Checks across records: unique ids and references to organisations, clusters, aspirations.

They run on the raw data, so they report even when some records failed validation, and every
problem is located through the source's :class:`~pipeline.network.places.Places`.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from typing import Any

from ..errors import Problem
from .places import Loc, Places

_SUGGEST_LIMIT = 2000


def _items(data: dict[str, Any], key: str) -> list[dict[str, Any]]:
    value = data.get(key)
    return [v if isinstance(v, dict) else {} for v in value] if isinstance(value, list) else []


def _ids(
    items: Iterable[tuple[Loc, dict[str, Any]]], places: Places, what: str
) -> tuple[dict[str, Loc], list[Problem]]:
    first: dict[str, Loc] = {}
    problems = []
    for loc, item in items:
        value = item.get("id")
        if not isinstance(value, str | int):
            continue
        key = str(value)
        if key in first:
            problems.append(
                Problem(
                    places(loc + ("id",)),
                    "error",
                    f"duplicate {what} id '{key}' (first at {places(first[key] + ('id',))})",
                )
            )
        else:
            first[key] = loc
    return first, problems


class _Anything(dict[str, Loc]):
    """Stands for a table that could not be read in full: every id may exist in it."""

    def __contains__(self, key: object) -> bool:
        return True


class _Refs:
    def __init__(self, places: Places) -> None:
        self.places = places
        self.problems: list[Problem] = []

    def check(self, loc: Loc, value: Any, known: dict[str, Loc], what: str) -> None:
        if value is None or (value in known if type(value) is str else str(value) in known):
            return
        if not isinstance(value, str | int):
            return  # a wrong type is reported by the model
        hint = ""
        if len(known) <= _SUGGEST_LIMIT:
            close = difflib.get_close_matches(str(value), list(known), n=1)
            hint = f" (did you mean '{close[0]}'?)" if close else ""
        self.problems.append(
            Problem(self.places(loc), "error", f"{what} '{value}' does not exist{hint}")
        )


def check_references(
    data: dict[str, Any], places: Places, incomplete: Iterable[str] = ()
) -> list[Problem]:
    """Duplicate ids and dangling references in the raw network data.

    References into the ``incomplete`` tables (some rows unreadable) are not checked.
    """
    skip = set(incomplete)
    organisations = _items(data, "organisations")
    clusters = _items(data, "clusters")
    activities = _items(data, "activities")
    strategy = data.get("strategy") if isinstance(data.get("strategy"), dict) else {}
    aspirations = _items(strategy or {}, "aspirations")

    orgs, problems = _ids(
        ((("organisations", i), o) for i, o in enumerate(organisations)), places, "organisation"
    )
    cls, more = _ids(((("clusters", i), c) for i, c in enumerate(clusters)), places, "cluster")
    problems += more
    problems += _ids(
        ((("activities", i), a) for i, a in enumerate(activities)), places, "activity"
    )[1]
    problems += _ids(
        ((("partnerships", i), p) for i, p in enumerate(_items(data, "partnerships"))),
        places,
        "partnership",
    )[1]
    asp_base: Loc = ("strategy", "aspirations")
    asps, more = _ids(
        ((asp_base + (i,), a) for i, a in enumerate(aspirations)), places, "aspiration"
    )
    problems += more
    for part, what in (("objectives", "objective"), ("kpis", "KPI")):
        problems += _ids(
            (
                (asp_base + (i, part, j), item)
                for i, a in enumerate(aspirations)
                for j, item in enumerate(_items(a, part))
            ),
            places,
            what,
        )[1]

    if "organisations" in skip:
        orgs = _Anything()
    if "clusters" in skip:
        cls = _Anything()
    if "aspirations" in skip:
        asps = _Anything()
    refs = _Refs(places)
    for i, a in enumerate(aspirations):
        for j, kpi in enumerate(_items(a, "kpis")):
            if kpi.get("metric") == "manual" and kpi.get("current") is None:
                loc = asp_base + (i, "kpis", j, "current")
                refs.problems.append(
                    Problem(places(loc), "error", "metric 'manual' needs a 'current' value")
                )
    known_members = "cluster_members" not in skip
    for i, c in enumerate(clusters):
        refs.check(("clusters", i, "coordinator"), c.get("coordinator"), orgs, "organisation")
        members = c.get("members")
        members = [str(m) for m in members] if isinstance(members, list) else []
        for j in [j for j, m in enumerate(members) if m not in orgs]:  # fast path: all known
            refs.check(("clusters", i, "members", j), members[j], orgs, "organisation")
        seen = set(members)
        if len(seen) != len(members):
            _twice(c, members, i, places, refs.problems)
        coordinator = c.get("coordinator")
        if (
            known_members
            and coordinator is not None
            and str(coordinator) in orgs
            and str(coordinator) not in seen
        ):
            refs.problems.append(
                Problem(
                    places(("clusters", i, "coordinator")),
                    "warning",
                    f"coordinator '{coordinator}' is not a member of cluster '{c.get('id')}'",
                )
            )
    for i, a in enumerate(activities):
        refs.check(("activities", i, "aspiration"), a.get("aspiration"), asps, "aspiration")
        refs.check(("activities", i, "cluster"), a.get("cluster"), cls, "cluster")
        refs.check(("activities", i, "lead"), a.get("lead"), orgs, "organisation")
        partners = a.get("partners")
        if isinstance(partners, list):
            for j in [j for j, p in enumerate(partners) if type(p) is not str or p not in orgs]:
                refs.check(("activities", i, "partners", j), partners[j], orgs, "organisation")
    return problems + refs.problems


def _twice(
    cluster: dict[str, Any], members: list[str], index: int, places: Places, out: list[Problem]
) -> None:
    seen: set[str] = set()
    for j, member in enumerate(members):
        if member in seen:
            out.append(
                Problem(
                    places(("clusters", index, "members", j)),
                    "warning",
                    f"organisation '{member}' is listed twice in cluster '{cluster.get('id')}'",
                )
            )
        seen.add(member)
