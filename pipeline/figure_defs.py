"""The names, labels and definitions of the edition's figures, independent of any data.

Light on purpose (no imports beyond the standard library): ``kb lint`` and the search index
check and show citations (``[[figure:NAME]]``) without loading the network model.
:mod:`pipeline.network.figures` computes the values.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class FigureDef:
    """What a figure is, independent of the data."""

    name: str
    """Stable name, cited in articles as ``[[figure:NAME]]``."""
    label: str
    """What a table or summary prints next to the value."""
    definition: str
    """What it counts, and on which basis."""
    unit: str
    """Unit of the value: ``members``, ``countries``, ``%``, ``EUR``..."""
    kind: str = "count"
    """``count`` (a whole number), ``money`` (a Decimal in the plan's currency) or ``percent``."""


def _defs(*items: FigureDef) -> dict[str, FigureDef]:
    return {d.name: d for d in items}


DEFINITIONS: dict[str, FigureDef] = _defs(
    FigureDef("members", "Member institutions (any status)",
              "organisations in the member list, whatever their status", "members"),
    FigureDef("members-active", "Active member institutions",
              "organisations whose membership status is active", "members"),
    FigureDef("members-pending", "Pending member institutions",
              "organisations whose membership is pending", "members"),
    FigureDef("members-inactive", "Inactive member institutions",
              "organisations whose membership status is inactive", "members"),
    FigureDef("countries-active", "Countries with an active member",
              "countries with at least one active member institution", "countries"),
    FigureDef("countries", "Countries with a member (any status)",
              "countries with at least one member institution, active, pending or inactive",
              "countries"),
    FigureDef("clusters", "Clusters", "regional and thematic clusters", "clusters"),
    FigureDef("clusters-regional", "Regional clusters", "clusters of one world region",
              "clusters"),
    FigureDef("clusters-thematic", "Thematic clusters", "clusters on one theme, open to "
              "members of every region", "clusters"),
    FigureDef("members-in-thematic-cluster", "Members in a thematic cluster",
              "member institutions (any status) that belong to at least one thematic cluster",
              "members"),
    FigureDef("members-in-regional-cluster", "Members in a regional cluster",
              "member institutions (any status) that belong to at least one regional cluster",
              "members"),
    FigureDef("aspirations", "Collective aspirations",
              "collective aspirations of the strategy", "aspirations"),
    FigureDef("kpis", "Key performance indicators",
              "key performance indicators of the strategy, over all its aspirations",
              "indicators"),
    FigureDef("activities", "Activities recorded (all years)",
              "activities in the network data, of every year and status", "activities"),
    FigureDef("activities-in-plan", "Activities in the action plan",
              "activities of the action plan's period (the meeting's year and the next), plus "
              "earlier ones still open", "activities"),
    FigureDef("activities-overdue", "Activities past their end date",
              "planned or ongoing activities of the action plan whose end date is before the "
              "as-of date", "activities"),
    FigureDef("budget-in-plan", "Total budget of the action plan (not counting cancelled)",
              "sum of the budgets of the action plan's activities that are not cancelled, in "
              "the plan's main currency", "EUR", "money"),
    FigureDef("partnerships", "Partnerships with other institutions",
              "partnerships of the network with institutions outside it", "partnerships"),
    FigureDef("member-participation", "Active members taking part in an activity",
              "share of active member institutions that lead or partner in an ongoing or "
              "completed activity", "%", "percent"),
    FigureDef("renewals-due", "Membership renewals due in the next 90 days",
              "active or pending members whose renewal falls within 90 days of the as-of date",
              "members"),
)  # fmt: skip
"""Every figure of the network as a whole, by name; these are the names an article can cite."""
