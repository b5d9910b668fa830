"""Generate a large synthetic network for benchmarks and scale tests.

    .venv/bin/python bench/gen_network.py --out bench/.data/network-10000
    .venv/bin/python bench/gen_network.py --out /tmp/net.xlsx --orgs 2000

Defaults: 10,000 organisations, 300 clusters (5 regional, the rest thematic), 5,000
activities. The output is any export target: a folder, an .xlsx, a .json or a database URL.
The same seed always gives the same network.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from pipeline.network import NetworkData, Snapshot, export_network  # noqa: E402
from pipeline.network.countries import COUNTRIES  # noqa: E402
from pipeline.network.model import CATEGORIES  # noqa: E402

REGIONS = [
    "Africa",
    "Arab States",
    "Asia-Pacific",
    "Europe and North America",
    "Latin America and the Caribbean",
]
TYPES = ["vet-provider"] * 6 + ["ministry", "agency", "national-network", "research"]
FUNDING = ["Erasmus+ KA2", "Erasmus+ KA3", "national", "own resources", "ESF+"]
STATUSES = ["planned", "ongoing", "done", "done", "cancelled"]


def generate(
    orgs: int = 10_000, clusters: int = 300, activities: int = 5_000, seed: int = 1
) -> NetworkData:
    """A valid synthetic network of the given size."""
    rng = random.Random(seed)
    countries = sorted(COUNTRIES)
    organisations: list[dict[str, Any]] = []
    for i in range(1, orgs + 1):
        joined = date(2010, 1, 1) + timedelta(days=rng.randrange(5000))
        organisations.append(
            {
                "id": f"org-{i:05d}",
                "name": f"Synthetic Vocational Institute No. {i} & Partners",
                "country": rng.choice(countries),
                "region": REGIONS[i % 5],
                "type": rng.choice(TYPES),
                "status": "active" if rng.random() < 0.85 else rng.choice(["inactive", "pending"]),
                "joined": joined,
                "renewal_due": joined + timedelta(days=365 * 3 + rng.randrange(2000)),
                "website": f"https://org-{i:05d}.example.org",
                "contact_name": f"Contact Person {i}",
                "contact_email": f"contact{i}@example.org",
            }
        )
    ids = [o["id"] for o in organisations]
    cluster_rows: list[dict[str, Any]] = []
    for c in range(clusters):
        regional = c < 5
        members = (
            [o["id"] for o in organisations if o["region"] == REGIONS[c]]
            if regional
            else sorted(rng.sample(ids, min(len(ids), rng.randrange(20, 120))))
        )
        cluster_rows.append(
            {
                "id": f"region-{c}" if regional else f"theme-{c:03d}",
                "name": f"{REGIONS[c]} cluster" if regional else f"Thematic cluster {c}",
                "kind": "regional" if regional else "thematic",
                "coordinator": members[0] if members else None,
                "convener": f"Convener {c}",
                "focus_areas": [f"Focus {c}-1", f"Focus {c}-2"],
                "priorities": [f"Priority {c}"],
                "members": members,
            }
        )
    aspirations = [
        {
            "id": f"a{n}",
            "title": f"Aspiration {n}",
            "objectives": [{"id": f"a{n}-o1", "text": "An objective."}],
            "kpis": [
                {
                    "id": f"a{n}-k1",
                    "name": "Activities done",
                    "unit": "activities",
                    "baseline": 0,
                    "target": 100,
                    "metric": "activities-done",
                    "objective": f"a{n}-o1",
                    "owner": "secretariat",
                    "source": "activity reports of the clusters",
                    "frequency": "yearly",
                },
            ],  # fmt: skip
        }
        for n in range(1, 5)
    ]
    acts: list[dict[str, Any]] = []
    for i in range(1, activities + 1):
        start = date(2025, 1, 1) + timedelta(days=rng.randrange(1000))
        cluster = rng.choice(cluster_rows)
        acts.append(
            {
                "id": f"act-{i:05d}",
                "title": f'Activity {i}: peer learning on <topic> "{i % 17}"',
                "aspiration": f"a{1 + i % 4}",
                "cluster": cluster["id"],
                "lead": rng.choice(ids),
                "partners": rng.sample(ids, 3),
                "start": start,
                "end": start + timedelta(days=rng.randrange(1, 400)),
                "status": rng.choice(STATUSES),
                "budget": Decimal(rng.randrange(100_000, 50_000_000)) / 100,
                "currency": "EUR",
                "funding": rng.choice(FUNDING),
                "outputs": ["Report", "Toolkit"],
            }
        )
    more = random.Random(seed * 7919 + 13)  # the records added later: the rest stays the same
    for act in acts:
        act["category"] = more.choice(CATEGORIES)
    records = _records(more, ids, cluster_rows, acts)
    return NetworkData.model_validate(
        {
            "network": {
                "name": "Synthetic Network of Networks",
                "short_name": "SynNoN",
                "secretariat": "Synthetic Secretariat",
                "edition": "bench",
                "meeting": {
                    "date": date(2026, 10, 6),
                    "venue": "Bench Hall",
                    "city": "Lisbon",
                    "country": "PT",
                },  # fmt: skip
            },
            "strategy": {
                "period": "2025-2029",
                "vision": "A synthetic vision.",
                "mission": "A synthetic mission.",
                "aspirations": aspirations,
            },
            "organisations": organisations,
            "clusters": cluster_rows,
            "activities": acts,
            "partnerships": [
                {
                    "id": f"p-{i:03d}",
                    "partner": f"Partner {i}",
                    "scope": "Scope",
                    "since": date(2024, 1, 1),
                }  # fmt: skip
                for i in range(1, 21)
            ],
            **records,
        }
    ).normalised()


def _records(
    rng: random.Random,
    ids: list[str],
    clusters: list[dict[str, Any]],
    acts: list[dict[str, Any]],
) -> dict[str, list[dict[str, Any]]]:
    """Risks, milestones, budget lines, RACI rows, periods, narratives (every section of every
    cluster for the edition's period, 2025-26), document status and practices."""
    risks = [
        {
            "id": f"r-{i:03d}",
            "risk": f"Risk {i}: partners' co-financing not secured",
            "likelihood": rng.randint(1, 5),
            "impact": rng.randint(1, 5),
            "mitigation": "Co-financing agreed in writing before submission",
            "owner": rng.choice(["secretariat", "focal-point", rng.choice(ids)]),
            "status": rng.choice(["open", "monitored", "closed"]),
            "aspiration": f"a{1 + i % 4}" if i % 2 else None,
            "cluster": rng.choice(clusters)["id"] if i % 3 == 0 else None,
        }
        for i in range(1, 31)
    ]
    as_of = date(2026, 10, 31)
    milestones, lines, raci = [], [], []
    for n, act in enumerate(acts):
        if n % 10 == 0:
            span = (act["end"] - act["start"]).days
            due = act["start"] + timedelta(days=rng.randrange(span + 1))
            milestones.append(
                {
                    "id": f"m-{n:05d}",
                    "title": f"Milestone of {act['id']}",
                    "kind": rng.choice(["milestone", "deliverable"]),
                    "activity": act["id"],
                    "due": due,
                    "owner": act["lead"],
                    "status": "planned" if due > as_of else rng.choice(["achieved", "missed"]),
                }
            )
        if act["end"] >= date(2026, 1, 1) and act["start"] <= date(2027, 12, 31):
            budget: Decimal = act["budget"]
            staff = (budget * Decimal("0.6")).quantize(Decimal("0.01"))
            own = (staff / 3).quantize(Decimal("0.01")) if n % 3 == 0 else Decimal(0)
            lines += [
                {"activity": act["id"], "line": "Staff costs", "amount": staff,
                 "cofinancing": own, "cofinanced_by": "own" if own else None},
                {"activity": act["id"], "line": "Travel and subsistence",
                 "amount": budget - staff},
            ]  # fmt: skip
        if n % 20 == 0:
            raci += [
                {"activity": act["id"], "role": role, "assignment": letter}
                for role, letter in (("secretariat", "A"), ("centre-coordinator", "R"),
                                     ("cluster-coordinator", "C"), ("convener", "C"),
                                     ("focal-point", "I"))
            ]  # fmt: skip
    text = "Paragraph with **bold** text.\n\n- a first point\n- a second point"
    narratives = [
        {"cluster": c["id"], "period": "2025-26", "achievements": text, "impact": text,
         "challenges": text, "lessons": text, "next_steps": text}
        for c in clusters
    ]  # fmt: skip
    practices = [
        {
            "id": f"pp-{i:04d}",
            "title": f"Promising practice {i}",
            "organisation": rng.choice(ids),
            "cluster": rng.choice(clusters)["id"],
            "submitted": date(2024, 10, 1) + timedelta(days=rng.randrange(730)),
            "summary": "What the practice is, in a sentence.",
        }
        for i in range(1, 301)
    ]
    return {
        "risks": risks,
        "milestones": milestones,
        "budget_lines": lines,
        "raci": raci,
        "periods": [
            {"id": "2024-25", "start": date(2024, 10, 1), "end": date(2025, 9, 30)},
            {"id": "2025-26", "start": date(2025, 10, 1), "end": date(2026, 9, 30)},
        ],
        "narratives": narratives,
        "documents": [
            {"document": "strategy", "status": "adopted", "adopted": date(2025, 10, 8)},
            {"document": "action-plan", "status": "draft"},
        ],
        "practices": practices,
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", required=True, help="folder, .xlsx, .json or database URL")
    parser.add_argument("--orgs", type=int, default=10_000)
    parser.add_argument("--clusters", type=int, default=300)
    parser.add_argument("--activities", type=int, default=5_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--force", action="store_true", help="replace an existing output")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    data = generate(args.orgs, args.clusters, args.activities, args.seed)
    written = export_network(Snapshot.of(data, "bench/gen_network.py"), args.out,
                             overwrite=args.force)  # fmt: skip
    print(f"wrote {written} in {time.perf_counter() - started:.1f} s")


if __name__ == "__main__":
    main()
