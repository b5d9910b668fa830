"""Benchmark (issues 7 and 12): publish of the bundled project and of a generated project
(1,000 KB articles, the 300-cluster network): seconds per stage; a no-op publish as a share of
the full one (goal <= 2%); one changed article (goal <= 25%), with the documents it rebuilt
(those whose recorded dependencies name it). The PDF stage against one soffice per file is
measured by bench_pdf.py.

    python bench/bench_publish.py [--skip-generated]
"""

from __future__ import annotations

import argparse
import shutil
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

from gen_kb import generate as generate_kb  # noqa: E402
from gen_network import generate as generate_network  # noqa: E402

from pipeline.config import load_settings  # noqa: E402
from pipeline.network import Snapshot, export_network  # noqa: E402
from pipeline.publish.manifest import read_manifest  # noqa: E402
from pipeline.publish.run import publish  # noqa: E402

REPO = HERE.parent


def project(root: Path, kb: Path | None = None, data: Path | None = None) -> Path:
    shutil.rmtree(root, ignore_errors=True)
    root.mkdir(parents=True)
    shutil.copytree(kb or REPO / "kb", root / "kb")
    shutil.copytree(REPO / "templates", root / "templates")
    if data is not None:
        shutil.rmtree(root / "kb" / "network", ignore_errors=True)
        export_network(Snapshot.of(data, "bench"), str(root / "kb" / "network"))
    (root / "netdocs.toml").write_text('edition = "bench"\n', encoding="utf-8")
    return root


def timed(settings, **kw):  # type: ignore[no-untyped-def]
    start = time.perf_counter()
    report = publish(settings, **kw)
    return report, time.perf_counter() - start


def stages(label: str, report, seconds: float) -> None:  # type: ignore[no-untyped-def]
    parts = ", ".join(
        f"{s.name} {s.seconds:.1f} s ({s.built} built, {s.skipped} skipped)" for s in report.stages
    )
    print(f"[publish] {label}: {seconds:.1f} s: {parts}")
    for note in report.notes:
        print(f"[publish]   note: {note}")


def docx_hashes(folder: Path) -> dict[str, str]:
    manifest = read_manifest(folder)
    return {e.path: e.sha256 for e in manifest.files if e.format == "docx"} if manifest else {}


def rebuilt(folder: Path, before: dict[str, str]) -> set[str]:
    """The .docx files whose bytes changed since ``before``."""
    return {p for p, sha in docx_hashes(folder).items() if before.get(p) != sha}


def bundled() -> None:
    root = project(HERE / ".data" / "publish-bundled")
    settings = load_settings(cwd=root)
    full, full_s = timed(settings, force=True)
    stages("bundled, full", full, full_s)
    _noop, noop_s = timed(settings)
    print(
        f"[publish] bundled, no-op: {noop_s:.2f} s = {100 * noop_s / full_s:.1f}% of the full "
        "publish (goal <= 2%)"
    )
    before = docx_hashes(full.folder)
    article = root / "kb" / "glossary" / "glossary-kpi.md"  # in the strategy and the handbook
    article.write_text(
        article.read_text(encoding="utf-8") + "\nEdited for the bench.\n", encoding="utf-8"
    )
    one, one_s = timed(settings)
    stages("bundled, one article changed", one, one_s)
    print(f"[publish]   rebuilt: {', '.join(sorted(rebuilt(one.folder, before)))}")
    print(
        f"[publish] bundled, one article changed: {100 * one_s / full_s:.1f}% of the full "
        "publish (goal <= 25%)"
    )


def generated() -> None:
    kb = generate_kb(HERE / ".data" / "publish-kb-1000", 1000, 300)
    root = project(HERE / ".data" / "publish-generated", kb=kb, data=generate_network())
    settings = load_settings(cwd=root)
    full, full_s = timed(settings, force=True)
    stages("generated (1,000 articles, 300 clusters), full", full, full_s)
    _noop, noop_s = timed(settings)
    print(
        f"[publish] generated, no-op: {noop_s:.2f} s = {100 * noop_s / full_s:.1f}% of the "
        "full publish (goal <= 2%)"
    )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--skip-generated", action="store_true")
    args = parser.parse_args()
    bundled()
    if not args.skip_generated:
        generated()
