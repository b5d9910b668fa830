"""A full publish of the bundled project with this checkout against another revision.

Both publish the same copy of the bundled project (``--force``, their default formats, which
are the same work: Word and PDF for every document, the handbook also HTML, EPUB and ODT;
SOURCE_DATE_EPOCH
fixed, and cold: the project's ``.netdocs`` cache and the user cache are emptied before each
round), alternately, ``--rounds`` times each; the median of each and their ratio are printed.
Both must be asked for the same work: ``--formats`` applies to each revision as it understands
it (before issue 12, html/epub/odt meant the handbook only).
The other revision is checked out with ``git worktree`` into ``bench/.data/against-REV`` and
run with this checkout's virtualenv (its dependencies must be the same).

    python bench/against.py --against e14387f [--rounds 3] [--formats docx,pdf]

Not part of ``make bench`` (it needs a revision to compare with).
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent


def checkout(rev: str) -> Path:
    sha = subprocess.run(
        ["git", "rev-parse", "--short", rev], cwd=REPO, capture_output=True, text=True, check=True
    ).stdout.strip()
    folder = HERE / ".data" / f"against-{sha}"
    if not (folder / "pipeline").is_dir():
        shutil.rmtree(folder, ignore_errors=True)
        subprocess.run(["git", "worktree", "prune"], cwd=REPO, check=True)
        subprocess.run(
            ["git", "worktree", "add", "--detach", "-f", str(folder), sha], cwd=REPO, check=True
        )
    return folder


def project(code: Path, root: Path) -> Path:
    shutil.rmtree(root, ignore_errors=True)
    root.mkdir(parents=True)
    shutil.copytree(code / "kb", root / "kb")
    shutil.copytree(code / "templates", root / "templates")
    if (code / "netdocs.toml").is_file():
        shutil.copyfile(code / "netdocs.toml", root / "netdocs.toml")
    return root


def publish(code: Path, root: Path, formats: str | None) -> float:
    """One full publish, cold: no search index, no conversion cache left from a round before."""
    shutil.rmtree(root / ".netdocs", ignore_errors=True)
    cold = root.parent / f"{root.name}-user-cache"
    shutil.rmtree(cold, ignore_errors=True)
    env = dict(os.environ, SOURCE_DATE_EPOCH="1790000000", PYTHONPATH=str(code), CI="true",
               XDG_CACHE_HOME=str(cold))  # fmt: skip
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "pipeline", "publish", "--force"]
        + (["--formats", formats] if formats else []),
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    seconds = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"publish with {code} failed ({done.returncode}):\n{done.stderr[-2000:]}")
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--against", required=True, help="the revision to compare with")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--formats", default=None, help="default: each revision's own")
    args = parser.parse_args()
    other = checkout(args.against)
    roots = {
        "this": project(REPO, HERE / ".data" / "against-project-this"),
        "other": project(other, HERE / ".data" / "against-project-other"),
    }
    codes = {"this": REPO, "other": other}
    times: dict[str, list[float]] = {"this": [], "other": []}
    for _ in range(args.rounds):
        for name in ("other", "this"):
            times[name].append(publish(codes[name], roots[name], args.formats))
    this, then = statistics.median(times["this"]), statistics.median(times["other"])
    print(
        f"[against] full publish of the bundled project ({args.formats or 'default formats'}): "
        f"this checkout {this:.1f} s, {args.against} {then:.1f} s (medians of {args.rounds}): "
        f"{this / then:.2f}x (goal: no slower, <= 1.00x)",
        flush=True,
    )


if __name__ == "__main__":
    main()
