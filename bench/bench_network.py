"""Benchmark: load and validate a 10,000-organisation network from every kind of source.

    .venv/bin/python bench/bench_network.py [--orgs 10000] [--repeat 3]

For each source it prints the best wall-clock time of --repeat loads, the peak memory of one
load (tracemalloc, in a separate run so it does not slow the timing) and the ratio against
the floor: Python's csv module reading the same CSV files without any validation. The goal
is at most 3x for the CSV folder. Data is generated into bench/.data/ (git-ignored).
"""

from __future__ import annotations

import argparse
import csv
import gc
import sys
import threading
import time
import tracemalloc
from collections.abc import Callable
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from gen_network import generate  # noqa: E402

from pipeline.network import Snapshot, export_network, load_network  # noqa: E402

GOAL = 3.0


def csv_floor(folder: Path) -> int:
    """Read every CSV file of the folder with the csv module, nothing else."""
    rows = 0
    for path in sorted(folder.glob("*.csv")):
        with path.open(encoding="utf-8-sig", newline="") as handle:
            rows += len(list(csv.reader(handle)))
    return rows


def best_time(fn: Callable[[], Any], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        gc.collect()
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return min(times)


def peak_mb(fn: Callable[[], Any]) -> float:
    gc.collect()
    tracemalloc.start()
    fn()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak / 2**20


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
        return


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--orgs", type=int, default=10_000)
    parser.add_argument("--clusters", type=int, default=300)
    parser.add_argument("--activities", type=int, default=5_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)

    data_dir = ROOT / "bench" / ".data" / f"network-{args.orgs}"
    data_dir.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    snapshot = Snapshot.of(generate(args.orgs, args.clusters, args.activities), "bench")
    folder = data_dir / "folder"
    targets = {
        "csv folder": str(folder),
        "xlsx": str(data_dir / "network.xlsx"),
        "sqlite": f"sqlite:///{data_dir / 'network.db'}",
        "snapshot json": str(data_dir / "snapshot.json"),
    }
    for target in targets.values():
        export_network(snapshot, target, overwrite=True)
    net = snapshot.network
    members = sum(len(c.members) for c in net.clusters)
    print(
        f"network: {len(net.organisations)} organisations, {len(net.clusters)} clusters "
        f"({members} memberships), {len(net.activities)} activities; generated and exported "
        f"in {time.perf_counter() - started:.1f} s\n"
    )

    expected_sha = snapshot.sha256
    del snapshot, net  # measure in a process that does not also hold the generated network
    gc.collect()
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(_Quiet, directory=str(data_dir)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    targets["http json"] = f"http://127.0.0.1:{server.server_address[1]}/snapshot.json"

    floor = best_time(lambda: csv_floor(folder), args.repeat)
    floor_mem = peak_mb(lambda: csv_floor(folder))
    print(f"{'source':<15} {'seconds':>8} {'peak MB':>8} {'x floor':>8}")
    print(f"{'csv floor':<15} {floor:>8.3f} {floor_mem:>8.1f} {1.0:>8.2f}")
    results = {}
    for name, target in targets.items():
        repeat = 1 if name == "xlsx" else args.repeat
        sha = load_network(target).sha256
        assert sha == expected_sha, f"{name}: data differs after the round trip"
        seconds = best_time(lambda t=target: load_network(t), repeat)  # type: ignore[misc]
        memory = peak_mb(lambda t=target: load_network(t))  # type: ignore[misc]
        results[name] = seconds / floor
        print(f"{name:<15} {seconds:>8.3f} {memory:>8.1f} {seconds / floor:>8.2f}")
    server.shutdown()
    verdict = "met" if results["csv folder"] <= GOAL else "NOT met"
    print(f"\ngoal <= {GOAL:g}x the csv floor for the CSV folder: {verdict} "
          f"({results['csv folder']:.2f}x)")  # fmt: skip


if __name__ == "__main__":
    main()
