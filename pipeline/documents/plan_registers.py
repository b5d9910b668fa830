"""The action plan's registers: milestones and deliverables, the RACI matrix, the risks.

Each is chosen for the plan's scope: a cluster's plan has the milestones of its activities,
the RACI of its activities and its own risks with the network-wide ones; the network's plan
has every activity's milestones and the network's own, and the whole risk register.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..network.model import ROLES, Milestone, Risk, raci_for
from . import common
from .common import by_score, long_date, md, org_name, short_date, table

if TYPE_CHECKING:
    from .action_plan import ActionPlan

ROLE_SHORT = {
    "secretariat": "SEC",
    "focal-point": "FP",
    "cluster-coordinator": "CC",
    "centre-coordinator": "CTR",
    "convener": "CON",
    "member-institution": "MI",
}
"""The RACI matrix's column heading of each role (the legend gives its full name)."""
RACI_LETTERS = (("R", "Responsible"), ("A", "Accountable"), ("C", "Consulted"), ("I", "Informed"))


def role_title(s: ActionPlan, role: str) -> str:
    """A role's name as the knowledge base gives it (its article's title), else from its id."""
    article = s.role_articles.get(role)
    return article.title if article else common.role_name(role)


def owner_name(s: ActionPlan, owner: str) -> str:
    """Who owns a milestone or a risk, as Markdown: a role's or an organisation's name, as
    every document prints it (:func:`~.common.owner_name`)."""
    return common.owner_name(s.orgs, owner)


# -- milestones --------------------------------------------------------------------------------


def plan_milestones(s: ActionPlan) -> list[Milestone]:
    """The plan's milestones by due date, then id: those of its activities and, in the
    network's plan, those of no activity due in its period or still planned from before."""
    ids = set(s.figures.activities)
    first, last = s.figures.first, s.figures.last

    def wanted(m: Milestone) -> bool:
        if m.activity is not None:
            return m.activity in ids
        if s.cluster is not None:
            return False
        return first <= m.due <= last or (m.due < first and m.status == "planned")

    return sorted((m for m in s.data.milestones if wanted(m)), key=lambda m: (m.due, m.id))


def is_late(s: ActionPlan, m: Milestone) -> bool:
    """Still planned and due before the as-of date."""
    return m.status == "planned" and m.due < s.today


def milestones_text(s: ActionPlan) -> str:
    found = s.milestones
    late = [m for m in found if is_late(s, m)]
    missed = sum(1 for m in found if m.status == "missed")
    intro = (
        f"What the plan's activities reach (milestones) and hand over (deliverables), by due "
        f"date. {len(found)} in all"
        + (
            f"; {len(late)} still planned though due before {long_date(s.today)} "
            "(marked **overdue**)"
            if late
            else f"; none still planned is overdue as of {long_date(s.today)}"
        )
        + (f"; {missed} {'was' if missed == 1 else 'were'} missed." if missed else ".")
    )
    rows = []
    for m in found:
        act = s.by_id.get(m.activity) if m.activity else None
        rows.append(
            (
                short_date(m.due),
                md(m.title),
                md(m.kind),
                f"{md(act.id)} {md(act.title)}" if act else "the whole network",
                owner_name(s, m.owner),
                md(m.status) + (" (**overdue**)" if is_late(s, m) else ""),
            )
        )
    if not rows:
        return "_No milestone or deliverable is recorded for this plan's activities._"
    return "\n\n".join(
        [intro, table(["Due", "Milestone or deliverable", "Kind", "Activity", "Owner", "Status"],
                      rows)]
    )  # fmt: skip


# -- RACI ----------------------------------------------------------------------------------------

RULE = (
    "the lead institution's centre coordinator is Responsible; the cluster's coordinator "
    "(regional cluster) or convener (thematic cluster) is Accountable, or the secretariat for "
    "an activity outside any cluster; the partner institutions (member institutions) are "
    "Consulted; the secretariat, when not Accountable, and the focal points are Informed"
)
"""The rule of :func:`~pipeline.network.model.raci_for`, in words, for the document."""


def raci_text(s: ActionPlan) -> str:
    """One row per activity of the plan, one column per role."""
    if not s.acts:
        return "_There are no activities in this plan._"
    recorded = {r.activity for r in s.data.raci}
    rows = []
    for a in s.acts:
        letters = raci_for(s.data, a)
        rows.append(
            (
                f"{md(a.id)} {md(a.title)}",
                *(letters.get(role, "") for role in ROLES),
                "recorded" if a.id in recorded else "rule",
                "; ".join(org_name(s.orgs, p) for p in a.partners) or "none",
            )
        )
    ruled = sum(a.id not in recorded for a in s.acts)
    legend = "; ".join(f"**{md(ROLE_SHORT[r])}** {md(role_title(s, r))}" for r in ROLES)
    meaning = ", ".join(f"**{k}** {v}" for k, v in RACI_LETTERS)
    note = (
        f"Who does what in each activity: {meaning}. Roles: {legend}. "
        "**Partners** are the activity's partner institutions. "
        f"The column **Basis** says whether the assignments are recorded in the network data "
        f"or follow the rule used for an activity without recorded ones"
        + (f" ({ruled} of {len(s.acts)} here)" if ruled else " (none here)")
        + f": {RULE}."
    )
    headers = ["Activity", *(ROLE_SHORT[r] for r in ROLES), "Basis", "Partners"]
    return "\n\n".join([note, table(headers, rows)])


# -- risks ---------------------------------------------------------------------------------------


def plan_risks(s: ActionPlan) -> list[Risk]:
    """The plan's risks, highest score first, then by id: a cluster's and the network-wide
    ones in a cluster's plan, all of them in the network's."""
    cluster = s.cluster
    found = [r for r in s.data.risks if cluster is None or r.cluster in (None, cluster.id)]
    return by_score(found)


def risks_text(s: ActionPlan) -> str:
    risks = s.risks
    if not risks:
        return "_No risk is recorded for this plan._"
    clusters = {c.id: c for c in s.data.clusters}
    scope = (
        f"the risks of the {md(s.cluster.name)} and those of the whole network"
        if s.cluster
        else "the network's risk register"
    )
    intro = (
        f"What could keep the plan from being delivered: {scope}, highest score first. "
        "**L** is the likelihood and **I** the impact, each from 1 (low) to 5 (high); the "
        "**score** is L × I, from 1 to 25."
    )
    rows = []
    for r in risks:
        where = clusters[r.cluster].name if r.cluster in clusters else r.cluster
        rows.append(
            (
                f"{md(r.id)} {md(r.risk)}" + (f" ({md(where)})" if where and not s.cluster else ""),
                str(r.likelihood),
                str(r.impact),
                str(r.score),
                md(r.mitigation),
                owner_name(s, r.owner),
                md(r.status),
            )
        )
    headers = ["Risk", "L", "I", "Score", "Mitigation", "Owner", "Status"]
    return "\n\n".join([intro, table(headers, rows, right=[1, 2, 3])])
