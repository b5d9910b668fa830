"""Checks of what the records say: unfinished text, placeholder names, roles, unmeasurable KPIs.

They run on the raw data, like :mod:`.checks`, so each warning is located in its source
(``activities.csv:5:title``, ``clusters!E2``, ``table clusters id=africa column convener``,
``$.clusters[0].convener``, ``strategy.yaml:30 aspirations[0].kpis[1].target``). Warnings of
unfinished material carry ``rule=UNFINISHED``: ``netdocs publish`` refuses them, ``netdocs
build`` prints them. The markers are the ones ``kb lint`` uses (:mod:`pipeline.markers`).
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from ..errors import UNFINISHED, Problem
from ..markers import placeholder_word, unfinished_marker
from .places import Loc, Places

ROLES = "roles"
"""``Problem.rule`` of a cluster without the role its kind needs (coordinator or convener)."""

NOT_TEXT = frozenset(
    {
        "id", "website", "contact_email", "country", "region", "type", "status", "kind",
        "metric", "currency", "coordinator", "lead", "partners", "members", "aspiration",
        "cluster", "joined", "renewal_due", "start", "end", "since", "date", "budget",
        "baseline", "target", "current", "category", "objective", "owner", "frequency",
        "likelihood", "activity", "due", "amount", "cofinancing", "cofinanced_by",
        "role", "assignment", "period", "document", "adopted", "organisation", "submitted",
    }
)  # fmt: skip
"""Fields that hold ids, codes, addresses, dates or numbers, not text a reader reads (a
risk's ``impact`` is a number, but a narrative's is text: it is read)."""

NAMES: dict[str, frozenset[str]] = {
    "organisations": frozenset({"name", "name_local", "contact_name"}),
    "clusters": frozenset({"convener"}),
    "partnerships": frozenset({"partner"}),
}
"""Fields of each table that name a person or an organisation."""

_WHO = {
    "name": "organisation name",
    "name_local": "local name",
    "contact_name": "contact name",
    "convener": "convener",
    "partner": "partner name",
}
_SEPARATOR = "\x00"
"""Joins a table's texts for one quick search; no marker can match across it."""


def _short(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else f"{text[: limit - 1]}…"


def _texts(value: Any, loc: Loc, out: list[tuple[Loc, str]]) -> list[tuple[Loc, str]]:
    """Every text in ``value`` with its path, outside the fields in :data:`NOT_TEXT`."""
    if isinstance(value, str):
        out.append((loc, value))
    elif isinstance(value, dict):
        for key, item in value.items():
            if key in NOT_TEXT:
                continue
            if isinstance(item, str):  # the common case, without a call
                out.append((loc + (key,), item))
            elif item is not None:
                _texts(item, loc + (key,), out)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            _texts(item, loc + (index,), out)
    return out


def _field(loc: Loc) -> str:
    return next((str(p) for p in reversed(loc) if isinstance(p, str)), "value")


def unfinished(data: dict[str, Any], places: Places) -> list[Problem]:
    """Unfinished-text markers in any text field, and names that read like placeholders."""
    problems: list[Problem] = []
    for part, value in data.items():
        if not isinstance(value, dict | list):
            continue
        found = _texts(value, (part,), [])
        names = NAMES.get(part, frozenset())
        named = {text for loc, text in found if len(loc) == 3 and loc[2] in names}
        # the common case, one search over the table's distinct texts: nothing to report
        if unfinished_marker(_SEPARATOR.join({text for _, text in found})) is None and (
            placeholder_word(_SEPARATOR.join(named)) is None
        ):
            continue
        for loc, text in found:
            field = _field(loc)
            word = placeholder_word(text) if len(loc) == 3 and field in names else None
            if word is not None:
                message = (
                    f"{_WHO[field]} '{_short(text)}' reads like a placeholder ('{word}'): "
                    "give the real name before publishing"
                )
            elif (marker := unfinished_marker(text)) is not None:
                message = (
                    f"unfinished text in {field}: '{marker}' in '{_short(text)}'; finish or "
                    "remove it before publishing"
                )
            else:
                continue
            problems.append(Problem(places(loc), "warning", message, rule=UNFINISHED))
    return problems


def roles(data: dict[str, Any], places: Places) -> list[Problem]:
    """Regional clusters without a coordinator, thematic clusters without a convener."""
    problems = []
    clusters = data.get("clusters")
    for index, cluster in enumerate(clusters if isinstance(clusters, list) else []):
        if not isinstance(cluster, dict):
            continue
        name = cluster.get("id")
        if cluster.get("kind") == "regional" and cluster.get("coordinator") is None:
            problems.append(
                Problem(
                    places(("clusters", index, "coordinator")),
                    "warning",
                    f"regional cluster '{name}' has no coordinator: give the id of the member "
                    "organisation that coordinates it",
                    rule=ROLES,
                )
            )
        if cluster.get("kind") == "thematic" and cluster.get("convener") is None:
            problems.append(
                Problem(
                    places(("clusters", index, "convener")),
                    "warning",
                    f"thematic cluster '{name}' has no convener: give the name of the person "
                    "who convenes it",
                    rule=ROLES,
                )
            )
    return problems


def _number(value: Any) -> Decimal | None:
    if isinstance(value, bool) or not isinstance(value, int | float | str | Decimal):
        return None
    try:
        number = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
    except (InvalidOperation, ValueError):
        return None  # not a number: the model reports it
    return number if number.is_finite() else None


def unmeasurable_kpis(data: dict[str, Any], places: Places) -> list[Problem]:
    """KPIs whose target equals their baseline: progress towards it cannot be measured."""
    problems = []
    strategy = data.get("strategy")
    aspirations = strategy.get("aspirations") if isinstance(strategy, dict) else None
    for i, aspiration in enumerate(aspirations if isinstance(aspirations, list) else []):
        kpis = aspiration.get("kpis") if isinstance(aspiration, dict) else None
        for j, kpi in enumerate(kpis if isinstance(kpis, list) else []):
            if not isinstance(kpi, dict):
                continue
            baseline, target = _number(kpi.get("baseline")), _number(kpi.get("target"))
            if baseline is None or target is None or baseline != target:
                continue
            problems.append(
                Problem(
                    places(("strategy", "aspirations", i, "kpis", j, "target")),
                    "warning",
                    f"KPI '{kpi.get('id')}': target equals baseline ({format(target, 'f')}), so "
                    "progress cannot be measured: set the target the strategy aims for",
                )
            )
    return problems


def check_content(data: dict[str, Any], places: Places) -> list[Problem]:
    """Every content warning of the raw network data (see the module's docstring)."""
    return unfinished(data, places) + roles(data, places) + unmeasurable_kpis(data, places)
