"""The edition's figures: every number a document, the landing page or ``data summary`` prints.

They are computed once per edition, from the data snapshot and the edition's as-of date, into
one typed :class:`Figures` object. Writers take numbers from it and never count on their own,
so the same label prints the same number everywhere. Each figure has a name (what an editor
cites in the knowledge base as ``[[figure:NAME]]``), a label (what a table prints), a definition
(what it counts, and on which basis) and a unit.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from ..figure_defs import DEFINITIONS, FigureDef
from .currencies import MINOR_UNITS
from .currencies import is_currency as _is_iso_currency
from .model import KPI, Activity, Cluster, NetworkData, Organisation

__all__ = ["DEFINITIONS", "FigureDef", "Figures", "compute_figures"]


# -- printing: one rule for every number ------------------------------------------------------

_WHOLE = Decimal(1)
_CENT = Decimal("0.01")


def percent_text(value: Decimal | None) -> str:
    """A percentage as printed everywhere: rounded once, half up, to a whole percent."""
    if value is None:
        raise ValueError("a percentage that cannot be computed is never printed")
    return f"{value.quantize(_WHOLE, ROUND_HALF_UP):,} %"


def has_cents(amount: Decimal) -> bool:
    """Whether ``amount`` has a fraction of the currency's main unit."""
    return amount != amount.to_integral_value()


def money_text(amount: Decimal, currency: str, cents: bool | None = None) -> str:
    """An amount exactly as it is: ``EUR 189,000`` or, with cents, ``EUR 37,000.50``.

    ``cents`` forces the currency's minor unit (two decimals for EUR, three for BHD, none for
    JPY), so a column of amounts can print alike; an amount is never rounded."""
    places = MINOR_UNITS.get(currency, 2)
    show = places > 0 and (has_cents(amount) or bool(cents))
    digits = amount.quantize(Decimal(10) ** -places) if show else amount.quantize(_WHOLE)
    if digits != amount:  # finer than the minor unit: print every digit rather than round
        return f"{currency} {amount:,f}"
    return f"{currency} {digits:,}"


def money_column(amounts: Sequence[Decimal], currency: str) -> list[str]:
    """A column of amounts printed alike: with cents when any of them has cents."""
    cents = any(has_cents(a) for a in amounts)
    return [money_text(a, currency, cents) for a in amounts]


def number_text(value: Decimal | int, unit: str = "") -> str:
    """A count or measure: whole numbers as such, others with one decimal (half up); money
    and percentages by their own rules when ``unit`` is a currency code or ``%``."""
    value = Decimal(value)
    if unit == "%":
        return percent_text(value)
    if is_currency(unit):
        return money_text(value, unit)
    if value == value.to_integral_value():
        return f"{value.quantize(_WHOLE):,}"
    return f"{value.quantize(Decimal('0.1'), ROUND_HALF_UP):,}"


def is_currency(unit: str) -> bool:
    """Whether ``unit`` is an ISO 4217 currency code (a KPI in "NGO" or "MOU" is not money)."""
    return _is_iso_currency(unit)


def exact_percent(part: int | Decimal, whole: int | Decimal) -> Decimal | None:
    """``100 * part / whole`` at full Decimal precision (``None`` when ``whole`` is 0)."""
    if not whole:
        return None
    return Decimal(100) * Decimal(part) / Decimal(whole)


def json_number(value: Decimal | int | None) -> str | int | None:
    """A value for ``--json``: ints as numbers, Decimals as exact decimal strings."""
    if value is None or isinstance(value, int):
        return value
    return format(value.normalize(), "f") if value == value.to_integral_value() else str(value)


# -- the figures --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Figure:
    """One figure of the network as a whole, with its value for this edition."""

    definition: FigureDef
    value: int | Decimal
    currency: str = ""
    """For money: the currency of ``value``."""

    @property
    def name(self) -> str:
        return self.definition.name

    @property
    def label(self) -> str:
        return self.definition.label

    @property
    def unit(self) -> str:
        return self.currency or self.definition.unit

    @property
    def text(self) -> str:
        """The value as every document prints it."""
        if self.definition.kind == "money":
            return money_text(Decimal(self.value), self.currency)
        if self.definition.kind == "percent":
            return percent_text(Decimal(self.value))
        return f"{self.value:,}"

    def as_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "label": self.label,
            "definition": self.definition.definition,
            "unit": self.unit,
            "value": json_number(self.value),
            "text": self.text,
        }


@dataclass(frozen=True)
class KpiFigure:
    """A key performance indicator of the strategy with its current value and progress."""

    aspiration: str
    id: str
    name: str
    unit: str
    metric: str
    baseline: Decimal
    target: Decimal
    current: Decimal | None
    """``None`` when it cannot be computed (see ``reason``)."""
    progress: Decimal | None
    """Share of the way from baseline to target, exact percent (may exceed 100)."""
    reason: str = ""
    """Why ``current`` or ``progress`` is missing, as a sentence's end."""

    def text(self, value: Decimal) -> str:
        return number_text(value, self.unit)

    def as_dict(self) -> dict[str, Any]:
        return {
            "aspiration": self.aspiration, "id": self.id, "name": self.name, "unit": self.unit,
            "metric": self.metric, "baseline": json_number(self.baseline),
            "target": json_number(self.target), "current": json_number(self.current),
            "progress": json_number(self.progress), "reason": self.reason or None,
        }  # fmt: skip


@dataclass(frozen=True)
class ClusterKpi:
    """A KPI's network value and this cluster's part of it."""

    kpi: KpiFigure
    network: Decimal
    cluster: Decimal
    share: Decimal | None
    """The cluster's part as exact percent of the network value; ``None`` for rates."""


@dataclass(frozen=True)
class ClusterFigures:
    """The figures of one cluster, for its progress report and its action plan."""

    id: str
    name: str
    kind: str
    members: int
    """Member institutions of the cluster, any status."""
    active_members: int
    """Active member institutions of the cluster."""
    contributing: int
    """Members that lead or partner in at least one of the cluster's activities (any year or
    status)."""
    activities: int
    """Activities the cluster runs (any year or status)."""
    per_status: dict[str, int]
    led: dict[str, int]
    """Member id -> activities of the cluster it leads."""
    partnered: dict[str, int]
    """Member id -> activities of the cluster it is a partner in."""
    not_active: int
    """Members whose status is inactive or pending (or that are not in the member list)."""
    kpis: tuple[ClusterKpi, ...]
    """KPIs that have a value for the cluster."""
    kpis_left_out: tuple[tuple[KpiFigure, str], ...]
    """KPIs without a cluster value, and why (as a sentence's end)."""


@dataclass(frozen=True)
class PlanFigures:
    """The figures of an action plan: the whole network's (``cluster`` None) or one cluster's."""

    cluster: str | None
    first: date
    last: date
    activities: tuple[str, ...]
    """Ids of the plan's activities, by start date then id."""
    per_status: dict[str, int]
    currencies: tuple[str, ...]
    main_currency: str
    budget_by_currency: dict[str, Decimal]
    """Budgets of activities that are not cancelled, per currency."""
    budget_by_source: dict[str, Decimal]
    """Main currency only, per funding source ('' when none is named)."""
    budget_by_aspiration: dict[str, Decimal]
    """Main currency only, per aspiration id."""
    overdue: tuple[str, ...]
    """Planned or ongoing activities whose end is before the as-of date."""


@dataclass(frozen=True)
class Renewal:
    organisation: str
    due: date
    days_left: int
    """Days from the as-of date (negative when past)."""


@dataclass(frozen=True)
class Figures:
    """Every figure of one edition, computed once from the data snapshot and the as-of date."""

    as_of: date
    sha256: str
    """Of the data the figures were computed from."""
    network: dict[str, Figure]
    kpis: tuple[KpiFigure, ...]
    members_per_region: dict[str, tuple[int, int]]
    """Region -> (active members, members of any status)."""
    clusters: dict[str, ClusterFigures]
    plans: dict[str, PlanFigures]
    """Action-plan figures: '' for the whole network, else a cluster id."""
    activities_per_status: dict[str, int]
    """All activities recorded (every year)."""
    activities_per_aspiration: dict[str, dict[str, int]]
    """All activities recorded, per aspiration id, per status."""
    budget_by_funding: dict[str, dict[str, Decimal]]
    """All activities recorded that are not cancelled: funding source -> currency -> total."""
    renewals: tuple[Renewal, ...]
    """Active or pending members with a renewal date, by date."""
    days_overdue: dict[str, int] = field(default_factory=dict)
    """Activity id -> days from its end to the as-of date, for every planned or ongoing
    activity whose end is past."""
    uncomputed: dict[str, str] = field(default_factory=dict)
    """Figures this data gives no value for (name -> why): an article citing one is refused."""

    def __getitem__(self, name: str) -> Figure:
        return self.network[name]

    def plan(self, cluster: str | None = None) -> PlanFigures:
        return self.plans[cluster or ""]

    def citations(self) -> dict[str, str]:
        """Figure name -> printed value, for ``[[figure:NAME]]`` in articles."""
        return {name: f.text for name, f in self.network.items()}

    def renewals_within(self, days: int) -> list[Renewal]:
        return [r for r in self.renewals if 0 <= r.days_left <= days]

    def kpi(self, kpi_id: str) -> KpiFigure:
        return next(k for k in self.kpis if k.id == kpi_id)


# -- computing them -----------------------------------------------------------------------------

COUNTED = ("ongoing", "done")
"""Activity statuses that count as taking part, or as funding mobilised."""
STATUSES = ("planned", "ongoing", "done", "cancelled")
RENEWAL_DAYS = 90
"""Renewals within this many days of the as-of date are due (``renewals-due``)."""


def _dec(value: float | Decimal | int | None) -> Decimal | None:
    if value is None:
        return None
    return Decimal(repr(value)) if isinstance(value, float) else Decimal(value)


def plan_period(meeting: date) -> tuple[date, date]:
    """First and last day of the action plan: the meeting's year and the next."""
    return date(meeting.year, 1, 1), date(meeting.year + 1, 12, 31)


def overdue(activity: Activity, as_of: date) -> bool:
    """Planned or ongoing and past its end date."""
    return activity.end < as_of and activity.status not in ("done", "cancelled")


def in_plan(activity: Activity, first: date, last: date, as_of: date) -> bool:
    """In the plan's period, or still open from before it."""
    return (activity.end >= first and activity.start <= last) or overdue(activity, as_of)


def participating(data: NetworkData) -> set[str]:
    """Ids of organisations leading or partnering in an ongoing or done activity."""
    ids: set[str] = set()
    for activity in data.activities:
        if activity.status in COUNTED:
            ids.add(activity.lead)
            ids.update(activity.partners)
    return ids


def _kpi_value(
    kpi: KPI, aspiration: str, data: NetworkData, acts: Sequence[Activity],
    members: Sequence[Organisation] | None, involved: set[str],
) -> tuple[Decimal | None, str]:  # fmt: skip
    """(value, why missing) of ``kpi`` over ``acts`` and ``members`` (``None``: the network);
    ``involved`` is :func:`participating` of ``data``, computed once by the caller."""
    network = members is None
    active = [o for o in (data.organisations if network else members or ()) if o.status == "active"]
    metric = kpi.metric
    if metric == "manual":
        if not network:
            return None, "it is entered by the secretariat for the network as a whole"
        value = _dec(kpi.current)
        return value, "" if value is not None else "no current value has been entered"
    if metric == "partnerships":
        if not network:
            return None, "partnerships are the network's, not a cluster's"
        return Decimal(len(data.partnerships)), ""
    if metric == "active-members":
        return Decimal(len(active)), ""
    if metric == "countries":
        return Decimal(len({o.country for o in active})), ""
    if metric == "member-participation":
        share = exact_percent(sum(o.id in involved for o in active), len(active))
        return share, "" if share is not None else "it has no active members"
    if metric == "activities-done":
        done = sum(
            a.status == "done"
            and a.aspiration == aspiration
            and (kpi.category is None or a.category == kpi.category)
            for a in acts
        )
        return Decimal(done), ""
    if metric == "funding-mobilised":
        currency = kpi.unit if is_currency(kpi.unit) else None
        total = Decimal(0)
        for a in acts:
            if a.budget is None or a.status not in COUNTED:
                continue
            if (kpi.funding and a.funding not in kpi.funding) or (
                currency and a.currency != currency
            ):
                continue
            total += a.budget
        return total, ""
    return None, f"its metric '{metric}' is not known"


def kpi_figures(data: NetworkData, involved: set[str] | None = None) -> tuple[KpiFigure, ...]:
    """Every KPI of every aspiration, with its current value and progress."""
    involved = participating(data) if involved is None else involved
    out = []
    for aspiration in data.strategy.aspirations:
        for kpi in aspiration.kpis:
            current, reason = _kpi_value(kpi, aspiration.id, data, data.activities, None, involved)
            baseline, target = _dec(kpi.baseline) or Decimal(0), _dec(kpi.target) or Decimal(0)
            progress = None
            if current is not None:
                if target == baseline:
                    reason = "its target equals its baseline, so progress cannot be measured"
                else:
                    progress = exact_percent(current - baseline, target - baseline)
            out.append(
                KpiFigure(
                    aspiration.id,
                    kpi.id,
                    kpi.name,
                    kpi.unit,
                    kpi.metric,
                    baseline,
                    target,
                    current,
                    progress,
                    reason,
                )  # fmt: skip
            )
    return tuple(out)


def _plan(data: NetworkData, cluster: str | None, first: date, last: date, as_of: date
          ) -> PlanFigures:  # fmt: skip
    acts = sorted(
        (a for a in data.activities
         if (cluster is None or a.cluster == cluster) and in_plan(a, first, last, as_of)),
        key=lambda a: (a.start, a.id),
    )  # fmt: skip
    counted = [a for a in acts if a.status != "cancelled" and a.budget is not None]
    by_currency: dict[str, Decimal] = defaultdict(Decimal)
    for a in counted:
        by_currency[a.currency] += a.budget or Decimal(0)
    uses = Counter(a.currency for a in acts)
    currencies = tuple(sorted(uses, key=lambda c: (-uses[c], c)))
    main = currencies[0] if currencies else "EUR"
    by_source: dict[str, Decimal] = defaultdict(Decimal)
    by_aspiration: dict[str, Decimal] = defaultdict(Decimal)
    for a in counted:
        if a.currency == main:
            by_source[a.funding or ""] += a.budget or Decimal(0)
            by_aspiration[a.aspiration] += a.budget or Decimal(0)
    return PlanFigures(
        cluster, first, last, tuple(a.id for a in acts),
        {s: sum(a.status == s for a in acts) for s in STATUSES},
        currencies, main, dict(sorted(by_currency.items())), dict(sorted(by_source.items())),
        dict(sorted(by_aspiration.items())), tuple(a.id for a in acts if overdue(a, as_of)),
    )  # fmt: skip


def _cluster(
    data: NetworkData, cluster: Cluster, kpis: Sequence[KpiFigure], involved: set[str]
) -> ClusterFigures:
    orgs = {o.id: o for o in data.organisations}
    members = [orgs[m] for m in cluster.members if m in orgs]
    acts = [a for a in data.activities if a.cluster == cluster.id]
    involved = {a.lead for a in acts} | {p for a in acts for p in a.partners}
    kpi_defs = {k.id: (k, a.id) for a in data.strategy.aspirations for k in a.kpis}
    rows: list[ClusterKpi] = []
    left_out: list[tuple[KpiFigure, str]] = []
    for figure in kpis:
        kpi, aspiration = kpi_defs[figure.id]
        value, reason = _kpi_value(kpi, aspiration, data, acts, members, involved)
        if value is None or figure.current is None:
            left_out.append((figure, reason or figure.reason))
            continue
        if kpi.metric == "member-participation":
            rows.append(ClusterKpi(figure, figure.current, value, None))
        elif not figure.current:
            left_out.append((figure, "the network's value is 0, so there is no share to show"))
        else:
            rows.append(
                ClusterKpi(figure, figure.current, value, exact_percent(value, figure.current))
            )
    return ClusterFigures(
        cluster.id, cluster.name, cluster.kind, len(cluster.members),
        sum(o.status == "active" for o in members),
        sum(1 for m in cluster.members if m in involved), len(acts),
        {s: sum(a.status == s for a in acts) for s in STATUSES},
        {m: sum(a.lead == m for a in acts) for m in cluster.members},
        {m: sum(m in a.partners for a in acts) for m in cluster.members},
        sum(1 for m in cluster.members if m not in orgs or orgs[m].status != "active"),
        tuple(rows), tuple(left_out),
    )  # fmt: skip


_WHY_NOT = {"member-participation": "there are no active members to take a share of"}


def compute_figures(data: NetworkData, as_of: date, sha256: str = "",
                    meeting: date | None = None) -> Figures:  # fmt: skip
    """Every figure of the edition, from ``data`` as of ``as_of``; the action plan covers the
    year of ``meeting`` (default: the data's meeting date) and the next."""
    first, last = plan_period(meeting or data.network.meeting.date)
    orgs = data.organisations
    active = [o for o in orgs if o.status == "active"]
    in_kind = {
        kind: {m for c in data.clusters if c.kind == kind for m in c.members}
        for kind in ("regional", "thematic")
    }
    known = {o.id for o in orgs}
    involved = participating(data)
    kpis = kpi_figures(data, involved)
    plans = {"": _plan(data, None, first, last, as_of)}
    plans.update({c.id: _plan(data, c.id, first, last, as_of) for c in data.clusters})
    whole = plans[""]
    renewals = sorted(
        (Renewal(o.id, o.renewal_due, (o.renewal_due - as_of).days)
         for o in orgs if o.renewal_due is not None and o.status != "inactive"),
        key=lambda r: (r.due, r.organisation),
    )  # fmt: skip
    participation = exact_percent(sum(o.id in involved for o in active), len(active))
    values: dict[str, int | Decimal | None] = {
        "members": len(orgs),
        "members-active": len(active),
        "members-pending": sum(o.status == "pending" for o in orgs),
        "members-inactive": sum(o.status == "inactive" for o in orgs),
        "countries-active": len({o.country for o in active}),
        "countries": len({o.country for o in orgs}),
        "clusters": len(data.clusters),
        "clusters-regional": sum(c.kind == "regional" for c in data.clusters),
        "clusters-thematic": sum(c.kind == "thematic" for c in data.clusters),
        "members-in-thematic-cluster": len(in_kind["thematic"] & known),
        "members-in-regional-cluster": len(in_kind["regional"] & known),
        "aspirations": len(data.strategy.aspirations),
        "kpis": len(kpis),
        "activities": len(data.activities),
        "activities-in-plan": len(whole.activities),
        "activities-overdue": len(whole.overdue),
        "budget-in-plan": whole.budget_by_currency.get(whole.main_currency, Decimal(0)),
        "partnerships": len(data.partnerships),
        "member-participation": participation,
        "renewals-due": sum(0 <= r.days_left <= RENEWAL_DAYS for r in renewals),
    }
    network = {
        name: Figure(DEFINITIONS[name], value,
                     whole.main_currency if DEFINITIONS[name].kind == "money" else "")
        for name, value in values.items()
        if value is not None
    }  # fmt: skip
    regions: dict[str, tuple[int, int]] = {}
    for region in sorted({o.region for o in orgs}):
        mine = [o for o in orgs if o.region == region]
        regions[region] = (sum(o.status == "active" for o in mine), len(mine))
    per_aspiration = {
        a.id: {s: sum(x.aspiration == a.id and x.status == s for x in data.activities)
               for s in STATUSES}
        for a in data.strategy.aspirations
    }  # fmt: skip
    funding: dict[str, dict[str, Decimal]] = defaultdict(lambda: defaultdict(Decimal))
    for act in data.activities:
        if act.budget is not None and act.status != "cancelled":
            funding[act.funding or ""][act.currency] += act.budget
    return Figures(
        as_of=as_of,
        sha256=sha256,
        network=network,
        kpis=kpis,
        members_per_region=regions,
        clusters={c.id: _cluster(data, c, kpis, involved) for c in data.clusters},
        plans=plans,
        activities_per_status={s: sum(a.status == s for a in data.activities) for s in STATUSES},
        activities_per_aspiration=per_aspiration,
        budget_by_funding={f: dict(sorted(v.items())) for f, v in sorted(funding.items())},
        renewals=tuple(renewals),
        days_overdue={a.id: (as_of - a.end).days for a in data.activities if overdue(a, as_of)},
        uncomputed={
            name: _WHY_NOT.get(name, "the data gives it no value")
            for name, value in values.items()
            if value is None
        },
    )
