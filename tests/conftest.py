"""Shared fixtures for the netdocs test suite."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from pipeline.cli import cli

REPO = Path(__file__).resolve().parent.parent
BUNDLED_KB = REPO / "kb"


def run(*args: str, **kwargs: object) -> Result:
    """Invoke the netdocs CLI in-process, as a user would from a terminal."""
    return CliRunner().invoke(
        cli, list(args), prog_name="netdocs", catch_exceptions=False, **kwargs
    )  # type: ignore[arg-type]


@pytest.fixture
def write_kb(tmp_path: Path):  # type: ignore[no-untyped-def]
    """Write a small knowledge base: ``write_kb({"roles/a.md": "..."})`` returns its folder."""

    def _write(files: dict[str, str | bytes]) -> Path:
        root = tmp_path / "kb"
        for rel, content in files.items():
            path = root / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(content, bytes):
                path.write_bytes(content)
            else:
                path.write_text(content, encoding="utf-8")
        root.mkdir(exist_ok=True)
        return root

    return _write


def article(ident: str, kind: str = "page", extra: str = "", body: str = "") -> str:
    """Text of an article with valid front matter."""
    return (
        f"---\nid: {ident}\ntitle: Title of {ident}\ntype: {kind}\n"
        f"summary: Summary of {ident}.\n{extra}---\n{body}"
    )
