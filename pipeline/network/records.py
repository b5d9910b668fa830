"""Checks of the plan and reporting records: risks, milestones, budget lines, RACI, periods,
narratives, document status, practices, and the KPIs' objectives and owners.

Like :mod:`.checks`, they run on the raw data, so every problem is located in its source
(``risks.csv:3:owner``, ``budget_lines!C4``, ``table raci activity=act-006 role=convener
column assignment``, ``$.narratives[2].period``) even when other records failed validation;
references into tables that could not be read in full are not checked.
"""

from __future__ import annotations

import difflib
from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import date
from decimal import Decimal
from typing import Any

from ..errors import Problem
from .checks import _SUGGEST_LIMIT, _Anything, _ids, _items, _Refs
from .content import _number
from .currencies import MINOR_UNITS, is_currency, minor_unit_problem
from .model import ROLES, decimal_text
from .places import Loc, Places

_ROLE_LIST = ", ".join(ROLES)


def check_records(
    data: dict[str, Any], places: Places, incomplete: Iterable[str] = ()
) -> list[Problem]:
    """Every cross-record problem of the plan and reporting records (see the module)."""
    skip = set(incomplete)
    strategy = data.get("strategy") if isinstance(data.get("strategy"), dict) else {}
    aspirations = _items(strategy or {}, "aspirations")
    activities = _items(data, "activities")

    def known(name: str, items: Sequence[dict[str, Any]], key: str = "id") -> dict[str, Loc]:
        if name in skip:
            return _Anything()
        return {str(item[key]): (name, i) for i, item in enumerate(items) if key in item}

    orgs = known("organisations", _items(data, "organisations"))
    clusters = known("clusters", _items(data, "clusters"))
    acts = known("activities", activities)
    asps = known("aspirations", aspirations)
    periods = known("periods", _items(data, "periods"))

    problems: list[Problem] = []
    for name, what in (("risks", "risk"), ("milestones", "milestone"), ("periods", "period"),
                       ("practices", "practice")):  # fmt: skip
        problems += _ids((((name, i), r) for i, r in enumerate(_items(data, name))), places, what)[
            1
        ]
    refs = _Refs(places)
    owners = _Owners(places, orgs, refs.problems)

    for i, a in enumerate(aspirations):
        objectives = [str(o.get("id")) for o in _items(a, "objectives") if "id" in o]
        for j, kpi in enumerate(_items(a, "kpis")):
            loc: Loc = ("strategy", "aspirations", i, "kpis", j)
            owners.check(loc + ("owner",), kpi.get("owner"))
            where = places(loc + ("objective",))
            _objective(kpi.get("objective"), a, objectives, aspirations, where, refs.problems)
    for i, r in enumerate(_items(data, "risks")):
        owners.check(("risks", i, "owner"), r.get("owner"))
        refs.check(("risks", i, "aspiration"), r.get("aspiration"), asps, "aspiration")
        refs.check(("risks", i, "cluster"), r.get("cluster"), clusters, "cluster")
    for i, m in enumerate(_items(data, "milestones")):
        owners.check(("milestones", i, "owner"), m.get("owner"))
        refs.check(("milestones", i, "activity"), m.get("activity"), acts, "activity")
    for i, b in enumerate(_items(data, "budget_lines")):
        refs.check(("budget_lines", i, "activity"), b.get("activity"), acts, "activity")
    for i, p in enumerate(_items(data, "practices")):
        refs.check(("practices", i, "organisation"), p.get("organisation"), orgs, "organisation")
        refs.check(("practices", i, "cluster"), p.get("cluster"), clusters, "cluster")
    for i, n in enumerate(_items(data, "narratives")):
        refs.check(("narratives", i, "cluster"), n.get("cluster"), clusters, "cluster")
        refs.check(("narratives", i, "period"), n.get("period"), periods, "reporting period")

    problems += refs.problems
    problems += _twice(data, "narratives", ("cluster", "period"), places, "a narrative")
    problems += _twice(data, "documents", ("document",), places, "a status")
    problems += _twice(data, "budget_lines", ("activity", "line"), places, "a budget line")
    problems += _raci(data, places, acts, refs)
    problems += _budget_lines(data, places, activities, skip)
    if "periods" not in skip:
        problems += _overlaps(_items(data, "periods"), places)
    return problems


class _Owners:
    """Checks that an ``owner`` is a known organisation id or one of the network's roles."""

    def __init__(self, places: Places, orgs: dict[str, Loc], out: list[Problem]) -> None:
        self.places = places
        self.orgs = orgs
        self.out = out
        self._choices: list[str] | None = None

    def check(self, loc: Loc, value: Any) -> None:
        if value is None or not isinstance(value, str | int):
            return  # missing or of the wrong type: the model reports it
        text = str(value)
        if text in ROLES or text in self.orgs:
            return
        if self._choices is None:
            self._choices = list(ROLES) + (list(self.orgs) if len(self.orgs) <= _SUGGEST_LIMIT
                                           else [])  # fmt: skip
        close = difflib.get_close_matches(text, self._choices, n=1)
        if not close:
            close = difflib.get_close_matches(text.lower(), self._choices, n=1)
        hint = f" (did you mean '{close[0]}'?)" if close else ""
        self.out.append(
            Problem(
                self.places(loc),
                "error",
                f"owner '{text}' is neither an organisation nor a role{hint}: give the id of a "
                f"member organisation or a role ({_ROLE_LIST})",
            )
        )


def _objective(
    value: Any,
    aspiration: dict[str, Any],
    objectives: list[str],
    aspirations: list[dict[str, Any]],
    where: str,
    out: list[Problem],
) -> None:
    if value is None or not isinstance(value, str | int) or str(value) in objectives:
        return
    owner = next(
        (a.get("id") for a in aspirations
         if any(str(o.get("id")) == str(value) for o in _items(a, "objectives"))),
        None,
    )  # fmt: skip
    listed = ", ".join(objectives) or "none"
    elsewhere = f" (it is an objective of aspiration '{owner}')" if owner is not None else ""
    out.append(
        Problem(
            where,
            "error",
            f"objective '{value}' is not an objective of aspiration '{aspiration.get('id')}'"
            f"{elsewhere}: a KPI measures one of its own aspiration's objectives ({listed})",
        )
    )


def _key(item: dict[str, Any], keys: tuple[str, ...]) -> tuple[str, ...] | None:
    values = [item.get(k) for k in keys]
    if any(not isinstance(v, str | int) for v in values):
        return None
    return tuple(str(v) for v in values)


def _twice(
    data: dict[str, Any], table: str, keys: tuple[str, ...], places: Places, what: str
) -> list[Problem]:
    """Rows of ``table`` whose ``keys`` repeat an earlier row's."""
    first: dict[tuple[str, ...], int] = {}
    out = []
    for i, item in enumerate(_items(data, table)):
        key = _key(item, keys)
        if key is None:
            continue
        if key in first:
            named = " and ".join(f"{k} '{v}'" for k, v in zip(keys, key, strict=True))
            earlier = places((table, first[key], keys[-1]))
            out.append(
                Problem(
                    places((table, i, keys[-1])),
                    "error",
                    f"{named} already has {what} (at {earlier}): merge the two rows or remove one",
                )
            )
        else:
            first[key] = i
    return out


def _raci(data: dict[str, Any], places: Places, acts: dict[str, Loc], refs: _Refs) -> list[Problem]:
    """Unknown activities, a role twice for one activity, and not exactly one Accountable."""
    out: list[Problem] = []
    rows = _items(data, "raci")
    by_activity: dict[str, list[int]] = defaultdict(list)
    seen: dict[tuple[str, str], int] = {}
    for i, row in enumerate(rows):
        activity = row.get("activity")
        refs_before = len(refs.problems)
        refs.check(("raci", i, "activity"), activity, acts, "activity")
        out += refs.problems[refs_before:]
        del refs.problems[refs_before:]
        if not isinstance(activity, str | int):
            continue
        by_activity[str(activity)].append(i)
        role = row.get("role")
        if isinstance(role, str):
            key = (str(activity), role)
            if key in seen:
                out.append(
                    Problem(
                        places(("raci", i, "role")),
                        "error",
                        f"role '{role}' is given twice for activity '{activity}' (first at "
                        f"{places(('raci', seen[key], 'role'))}): one letter per role and "
                        "activity",
                    )
                )
            else:
                seen[key] = i
    for activity, indexes in by_activity.items():
        if activity not in acts:
            continue  # reported as unknown
        accountable = [i for i in indexes if _letter(rows[i]) == "A"]
        if not accountable:
            out.append(
                Problem(
                    places(("raci", indexes[0], "assignment")),
                    "error",
                    f"activity '{activity}' has RACI rows but no Accountable: give exactly one "
                    "role the letter A (or remove its rows to follow the rule)",
                )
            )
        for i in accountable[1:]:
            first = accountable[0]
            out.append(
                Problem(
                    places(("raci", i, "assignment")),
                    "error",
                    f"activity '{activity}' has two Accountables, '{rows[first].get('role')}' "
                    f"(at {places(('raci', first, 'assignment'))}) and '{rows[i].get('role')}': "
                    "exactly one role is Accountable; make the other R, C or I",
                )
            )
    return out


def _letter(row: dict[str, Any]) -> str | None:
    value = row.get("assignment")
    return value.strip().upper() if isinstance(value, str) else None


def _budget_lines(
    data: dict[str, Any],
    places: Places,
    activities: list[dict[str, Any]],
    skip: set[str],
) -> list[Problem]:
    """Amounts finer than their activity's currency, and lines that do not add up to its
    budget (or belong to an activity without one)."""
    out: list[Problem] = []
    index: dict[str, int] = {}
    for i, a in enumerate(activities):
        index.setdefault(str(a.get("id")), i)
    totals: dict[str, Decimal] = defaultdict(Decimal)
    lines: dict[str, list[int]] = defaultdict(list)
    unsure: set[str] = set()  # an amount unreadable: the total is not known
    for i, row in enumerate(_items(data, "budget_lines")):
        activity = row.get("activity")
        at = index.get(str(activity)) if isinstance(activity, str | int) else None
        if at is None:
            continue
        currency = activities[at].get("currency", "EUR")
        currency = currency if isinstance(currency, str) and is_currency(currency) else None
        amount = _number(row.get("amount"))
        share = row.get("cofinancing")
        for column, value in (("amount", amount), ("cofinancing", share and _number(share))):
            problem = (
                minor_unit_problem(value, currency) if value is not None and currency else None
            )
            if problem:
                out.append(Problem(places(("budget_lines", i, column)), "error", problem))
                unsure.add(str(activity))
        key = str(activity)
        lines[key].append(i)
        if amount is None or amount < 0:
            unsure.add(key)
        else:
            totals[key] += amount
    if "budget_lines" in skip or "activities" in skip:
        return out
    for key, rows in lines.items():
        activity = activities[index[key]]
        budget = _number(activity.get("budget"))
        if budget is not None and key not in unsure and totals[key] == budget:
            continue  # the common case, without naming any place
        where = places(("budget_lines", rows[0], "amount"))
        budget_at = places(("activities", index[key], "budget"))
        currency = str(activity.get("currency", "EUR"))
        if activity.get("budget") is None:
            out.append(
                Problem(
                    where,
                    "error",
                    f"activity '{key}' has budget lines but no budget ({budget_at}): give it "
                    "the budget its lines add up to, or remove the lines",
                )
            )
            continue
        if budget is None or key in unsure or totals[key] == budget:
            continue
        if budget < 0 or not is_currency(currency) or minor_unit_problem(budget, currency):
            continue  # the budget itself is wrong: the model reports it
        total = totals[key]
        how = "exceed" if total > budget else "fall short of"
        out.append(
            Problem(
                where,
                "error",
                f"the {len(rows)} budget line(s) of activity '{key}' add up to "
                f"{_money(total, currency)}: they {how} its budget of {_money(budget, currency)} "
                f"({budget_at}) by {_money(abs(total - budget), currency)}; correct the lines "
                "or the budget so that they add up exactly",
            )
        )
    return out


def _money(amount: Decimal, currency: str) -> str:
    places = MINOR_UNITS.get(currency)
    if places is not None and not minor_unit_problem(amount, currency):
        amount = amount.quantize(Decimal(1).scaleb(-places))
    return f"{currency} {decimal_text(amount)}"


def _day(value: Any) -> date | None:
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        return None  # not a date: the model reports it


def _overlaps(periods: list[dict[str, Any]], places: Places) -> list[Problem]:
    """Reporting periods that overlap: which one an activity or practice belongs to would be
    ambiguous."""
    spans = []
    for i, p in enumerate(periods):
        start, end = _day(p.get("start")), _day(p.get("end"))
        if start is not None and end is not None and start <= end:
            spans.append((start, end, i))
    spans.sort()
    out = []
    latest: tuple[date, int] | None = None  # the latest end so far, and its period
    for start, end, j in spans:
        if latest is not None and start <= latest[0]:
            end_before, i = latest
            out.append(
                Problem(
                    places(("periods", j, "start")),
                    "error",
                    f"period '{periods[j].get('id')}' starts on {start}, before period "
                    f"'{periods[i].get('id')}' ends ({end_before}): reporting periods must "
                    "not overlap",
                )
            )
        if latest is None or end > latest[0]:
            latest = (end, j)
    return out
