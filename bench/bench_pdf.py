"""Benchmark: the PDF stage (one LibreOffice for all files) against one soffice per file.

Renders about 12 handbooks of realistic size from the bundled knowledge base (one per KB
folder, a few combinations and the whole KB), then times, on the same files:

(a) one ``soffice --headless --convert-to pdf`` process per file (what a script would do; its
    profile is created once before timing, so start-up is the only cost it pays per file);
(b) :class:`pipeline.render.pdf.PdfConverter`: one LibreOffice for the batch, the tables of
    contents updated with page numbers and written back into the .docx files, profile
    creation and start-up included.

Prints the seconds of each and the ratio (goal: (b) at least 3x faster than (a)).

    .venv/bin/python bench/bench_pdf.py [--repeat 1] [--keep DIR]
"""

from __future__ import annotations

import argparse
import logging
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from pipeline.kb import read_kb  # noqa: E402
from pipeline.render import MarkdownBlock, render_document  # noqa: E402
from pipeline.render.libreoffice import soffice_path  # noqa: E402
from pipeline.render.pdf import PdfConverter  # noqa: E402

TEMPLATE = ROOT / "templates" / "base.docx"
"""The neutral template (cover, contents, one ``body`` block) every document type derives from."""
DOCUMENTS: dict[str, list[str]] = {
    "lessons": ["lessons"],
    "practices": ["practices"],
    "roles": ["roles"],
    "principles": ["principles"],
    "roadmap": ["roadmap"],
    "pages": ["pages"],
    "glossary": ["glossary"],
    "lessons-practices": ["lessons", "practices"],
    "roles-principles": ["roles", "principles"],
    "roadmap-pages": ["roadmap", "pages"],
    "operations": ["roles", "roadmap", "pages"],
    "whole-kb": ["lessons", "practices", "roles", "principles", "roadmap", "pages", "glossary"],
}


def build(folder: Path) -> list[Path]:
    """Render the benchmark documents into ``folder``; returns their paths."""
    kb = read_kb(ROOT / "kb")
    by_folder: dict[str, list[str]] = {}
    for article in sorted(kb.articles, key=lambda a: a.path):
        by_folder.setdefault(article.path.split("/")[0], []).append(article.body)
    paths = []
    for name, folders in DOCUMENTS.items():
        text = "\n\n".join(body for f in folders for body in by_folder.get(f, []))
        context = {
            "network_name": "Global VET Network of Networks",
            "network_short": "VETNoN",
            "edition": "2026-annual-meeting",
            "title": f"Handbook: {name}",
            "subtitle": "For members and conveners",
            "date": "14 May 2026",
            "body": MarkdownBlock(text, folder=ROOT / "kb" / folders[0], name=name),
        }
        out = folder / f"{name}.docx"
        render_document(TEMPLATE, context, out)
        paths.append(out)
    return paths


def per_file_soffice(soffice: str, files: list[Path], out: Path, profile: Path) -> float:
    """Seconds for one ``soffice --convert-to pdf`` process per file."""
    started = time.perf_counter()
    for file in files:
        subprocess.run(
            [
                soffice,
                f"-env:UserInstallation={profile.as_uri()}",
                "--headless",
                "--norestore",
                "--convert-to",
                "pdf",
                "--outdir",
                str(out),
                str(file),
            ],
            check=True,
            capture_output=True,
        )
    return time.perf_counter() - started


def one_office(files: list[Path], out: Path) -> tuple[float, int]:
    """Seconds for :class:`PdfConverter` on all files, and the TOC entries it numbered."""
    started = time.perf_counter()
    with PdfConverter() as converter:
        batch = converter.convert_many([(f, out / f"{f.stem}.pdf") for f in files])
    batch.raise_errors()
    return time.perf_counter() - started, sum(r.toc_numbered for r in batch.results)


def pdf_pages(pdf: Path) -> str:
    done = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=False)
    for line in done.stdout.splitlines():
        if line.startswith("Pages:"):
            return line.split()[1]
    return "?"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=1, help="runs of each; the best is kept")
    parser.add_argument("--keep", type=Path, help="keep the documents and PDFs in this folder")
    args = parser.parse_args()
    logging.basicConfig(level=logging.ERROR)
    soffice = soffice_path()
    if soffice is None:
        print("LibreOffice (soffice) is not installed", file=sys.stderr)
        return 1
    with tempfile.TemporaryDirectory(prefix="netdocs-bench-pdf-") as tmp:
        work = args.keep or Path(tmp)
        docs = work / "docx"
        docs.mkdir(parents=True, exist_ok=True)
        files = build(docs)
        profile = Path(tmp) / "profile"
        per_file_soffice(soffice, files[:1], Path(tmp) / "warm", profile)  # profile, untimed
        a_runs, b_runs = [], []
        numbered = 0
        for _ in range(args.repeat):
            a_runs.append(per_file_soffice(soffice, files, work / "pdf-a", profile))
            b, numbered = one_office(files, work / "pdf-b")
            b_runs.append(b)
        a, b = min(a_runs), min(b_runs)
        print(f"{len(files)} documents, pages per document (b):", end=" ")
        print(", ".join(pdf_pages(work / "pdf-b" / f"{f.stem}.pdf") for f in files))
        print(f"(a) one soffice --convert-to pdf per file: {a:7.2f} s")
        print(f"(b) PdfConverter, one LibreOffice (TOC pages): {b:7.2f} s  ({numbered} entries)")
        print(f"ratio (a)/(b): {a / b:.2f}x  (goal >= 3x)")
        if args.keep is None:
            shutil.rmtree(work / "pdf-a", ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
