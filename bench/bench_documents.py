"""Benchmark (issue 6): the four documents of the bundled project, and --all-clusters action
plans for the generated 300-cluster network on 1 and 2 processes (goal: >= 1.6x speed-up on
2 cores), with peak memory.

    python bench/bench_documents.py [--clusters N]
"""

from __future__ import annotations

import argparse
import resource
import shutil
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

from gen_network import generate  # noqa: E402

from pipeline.config import load_settings  # noqa: E402
from pipeline.documents.build import build_document, build_for_clusters, load_inputs  # noqa: E402
from pipeline.network import Snapshot, export_network, load_network  # noqa: E402


def peak_mb() -> tuple[float, float]:
    me = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    kids = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return me, kids


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clusters", type=int, default=300, help="clusters to build")
    args = parser.parse_args()
    out = HERE / ".data" / "documents"
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir(parents=True)
    settings = load_settings(cwd=HERE.parent)
    kb, snapshot = load_inputs(settings)
    total = 0.0
    for kind, cluster in [
        ("strategy", None),
        ("action-plan", None),
        ("handbook", None),
        ("progress-report", "africa"),
    ]:
        start = time.perf_counter()
        build_document(kind, settings, kb, snapshot, cluster=cluster, output=out / f"{kind}.docx")
        took = time.perf_counter() - start
        total += took
        print(f"[documents] bundled {kind}: {took:.2f} s")
    print(f"[documents] bundled, all four: {total:.2f} s")

    data_file = HERE / ".data" / "network-300.json"
    if not data_file.exists():
        export_network(Snapshot.of(generate(), "bench/gen_network.py"), str(data_file))
    big = load_network(str(data_file))
    ids = [c.id for c in big.network.clusters][: args.clusters]
    rates = {}
    for jobs in (1, 2):
        folder = out / f"clusters-{jobs}"
        start = time.perf_counter()
        results = build_for_clusters(
            "action-plan",
            settings,
            kb,
            big,
            clusters=ids,
            outputs=lambda cid, f=folder: f / f"{cid}.docx",
            jobs=jobs,
        )
        took = time.perf_counter() - start
        failed = [r for r in results if not hasattr(r, "path")]
        assert not failed, failed[:3]
        rates[jobs] = len(ids) / took
        me, kids = peak_mb()
        print(
            f"[documents] --all-clusters action plans, {len(ids)} clusters, {jobs} process(es): "
            f"{took:.1f} s = {rates[jobs]:.2f} documents/s (peak memory: main {me:.0f} MB, "
            f"largest worker {kids:.0f} MB)"
        )
    print(f"[documents] speed-up on 2 processes: {rates[2] / rates[1]:.2f}x (goal >= 1.6x)")


if __name__ == "__main__":
    main()
