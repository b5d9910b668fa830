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
        }
    ).normalised()


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
