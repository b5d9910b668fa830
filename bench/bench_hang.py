"""Stress (issue 10, item 2): first publishes with documents and the HTML site at once, the
reproduction of the hang that forked workers hit about 3 times in 8 (a worker inherited a lock
held by the formats thread). Runs ``netdocs publish --formats docx,html -o freshN/ed`` in fresh
folders, each with a time limit, and counts the runs that did not finish.

    python bench/bench_hang.py [--runs 20] [--timeout 120]
"""

from __future__ import annotations

import argparse
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--timeout", type=float, default=120.0)
    args = parser.parse_args()
    env = {**os.environ, "CI": "true"}
    hangs, failures, seconds = 0, 0, []
    with tempfile.TemporaryDirectory(prefix="netdocs-hang-") as tmp:
        for i in range(1, args.runs + 1):
            target = Path(tmp) / f"fresh{i}" / "ed"
            started = time.perf_counter()
            process = subprocess.Popen(
                [sys.executable, "-m", "pipeline.cli", "-q", "publish"]
                + ["--formats", "docx,html", "-o", str(target)],
                cwd=REPO,
                env=env,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
                start_new_session=True,
            )
            try:
                _, stderr = process.communicate(timeout=args.timeout)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)  # the run and every worker it started
                process.communicate()
                hangs += 1
                print(f"run {i}: HUNG (no answer within {args.timeout:g} s)", flush=True)
                continue
            seconds.append(time.perf_counter() - started)
            if process.returncode != 0 or not (target / "manifest.json").is_file():
                failures += 1
                print(f"run {i}: failed ({process.returncode}): {stderr.strip()[-300:]}")
            else:
                print(f"run {i}: {seconds[-1]:.1f} s", flush=True)
    median = statistics.median(seconds) if seconds else float("nan")
    print(
        f"hang stress: {hangs} hung, {failures} failed, {args.runs - hangs - failures} "
        f"published, of {args.runs} first publishes (docx+html); median {median:.1f} s"
    )
    return 1 if hangs or failures else 0


if __name__ == "__main__":
    raise SystemExit(main())
