"""Current values of the strategy's KPIs, computed from the network data."""

from __future__ import annotations

from decimal import Decimal

from pydantic import BaseModel

from .model import KPI, Aspiration, NetworkData

_COUNTED = ("ongoing", "done")
"""Activity statuses that count as taking part or as funding mobilised."""


class KpiValue(BaseModel):
    """A KPI with its current value."""

    aspiration: str
    """Id of the aspiration the KPI belongs to."""
    id: str
    """Id of the KPI."""
    name: str
    """What is measured."""
    unit: str
    """Unit of the values."""
    metric: str
    """How ``current`` was obtained."""
    baseline: float
    """Value at the start of the strategy period."""
    target: float
    """Value to reach."""
    current: float | None
    """Value now, from the data (``None`` if it cannot be computed)."""
    progress: float | None
    """Share of the way from baseline to target, in percent (may exceed 100)."""


def participating(data: NetworkData) -> set[str]:
    """Ids of organisations leading or partnering in an ongoing or done activity."""
    ids: set[str] = set()
    for activity in data.activities:
        if activity.status in _COUNTED:
            ids.add(activity.lead)
            ids.update(activity.partners)
    return ids


def current_value(kpi: KPI, aspiration: Aspiration, data: NetworkData) -> float | None:
    """The KPI's current value according to its ``metric``."""
    active = [o for o in data.organisations if o.status == "active"]
    if kpi.metric == "manual":
        return kpi.current
    if kpi.metric == "active-members":
        return float(len(active))
    if kpi.metric == "countries":
        return float(len({o.country for o in active}))
    if kpi.metric == "member-participation":
        if not active:
            return None
        involved = participating(data)
        return round(100 * sum(o.id in involved for o in active) / len(active), 1)
    if kpi.metric == "activities-done":
        return float(
            sum(a.status == "done" and a.aspiration == aspiration.id for a in data.activities)
        )
    if kpi.metric == "funding-mobilised":
        currency = kpi.unit.upper() if len(kpi.unit) == 3 and kpi.unit.isalpha() else None
        total = Decimal(0)
        for a in data.activities:
            if a.budget is None or a.status not in _COUNTED:
                continue
            if kpi.funding and a.funding not in kpi.funding:
                continue
            if currency and a.currency != currency:
                continue
            total += a.budget
        return float(total)
    if kpi.metric == "partnerships":
        return float(len(data.partnerships))
    return None


def kpi_values(data: NetworkData) -> list[KpiValue]:
    """Every KPI of every aspiration, with its current value and progress."""
    values = []
    for aspiration in data.strategy.aspirations:
        for kpi in aspiration.kpis:
            current = current_value(kpi, aspiration, data)
            progress = None
            if current is not None and kpi.target != kpi.baseline:
                progress = round(100 * (current - kpi.baseline) / (kpi.target - kpi.baseline), 1)
            values.append(
                KpiValue(
                    aspiration=aspiration.id,
                    id=kpi.id,
                    name=kpi.name,
                    unit=kpi.unit,
                    metric=kpi.metric,
                    baseline=kpi.baseline,
                    target=kpi.target,
                    current=current,
                    progress=progress,
                )
            )
    return values
