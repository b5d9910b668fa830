"""Build each document of the bundled project once per test session."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from pipeline.config import load_settings
from pipeline.documents.build import Built, build_document, load_inputs
from tests.conftest import REPO

EPOCH = "1790000000"  # 2026-09-21 14:13 UTC: a fixed "read time" makes the documents reproducible


@pytest.fixture(scope="session")
def project(tmp_path_factory: pytest.TempPathFactory) -> Any:
    old = os.environ.get("SOURCE_DATE_EPOCH")
    os.environ["SOURCE_DATE_EPOCH"] = EPOCH
    settings = load_settings(cwd=REPO)
    kb, snapshot = load_inputs(settings)
    out = tmp_path_factory.mktemp("docs")
    yield settings, kb, snapshot, out
    if old is None:
        os.environ.pop("SOURCE_DATE_EPOCH", None)
    else:
        os.environ["SOURCE_DATE_EPOCH"] = old


@pytest.fixture(scope="session")
def built(project: Any) -> dict[str, Built]:
    settings, kb, snapshot, out = project
    docs = {}
    for kind, cluster in [
        ("strategy", None),
        ("action-plan", None),
        ("handbook", None),
        ("progress-report", "africa"),
        ("action-plan", "africa"),
    ]:
        key = kind if cluster is None else f"{kind}:{cluster}"
        docs[key] = build_document(
            kind,
            settings,
            kb,
            snapshot,
            cluster=cluster,
            output=out / f"{key.replace(':', '-')}.docx",
        )
    return docs


def headings(path: Path, level: int = 1) -> list[str]:
    from docx import Document

    doc = Document(str(path))
    return [
        p.text for p in doc.paragraphs if p.style is not None and p.style.name == f"Heading {level}"
    ]
