"""Run every hostile case of ``cases/`` (see README.md): the real command, in a subprocess with
a time and memory limit, in a fresh project; exit status, message and untouched files checked."""

from __future__ import annotations

import hashlib
import importlib.util
import os
import resource
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import REPO
from tests.publish.conftest import first_edition

CASES_DIR = Path(__file__).parent / "cases"
CASES = sorted(p.parent for p in CASES_DIR.glob("*/*/case.toml"))
ALWAYS_FORBIDDEN = ("internal error", "Traceback (most recent call last)")
KNOWN_KEYS = {
    "issue", "title", "project", "argv", "exit", "output", "not_output", "keep", "absent",
    "present", "timeout", "env", "skip_without",
}  # fmt: skip
MEMORY_LIMIT = 3 * 1024**3
"""Address-space limit of the command: a bomb fails with MemoryError instead of eating the
machine (pandoc and LibreOffice are separate processes and get the same limit)."""


def _load(case: Path) -> dict[str, Any]:
    spec = tomllib.loads((case / "case.toml").read_text(encoding="utf-8"))
    unknown = set(spec) - KNOWN_KEYS
    assert not unknown, f"{case}/case.toml: unknown keys {sorted(unknown)}"
    for key in ("issue", "title", "argv", "exit"):
        assert key in spec, f"{case}/case.toml: '{key}' is required"
    return spec


def _module(path: Path, name: str) -> Any:
    spec = importlib.util.spec_from_file_location(f"hostile_{path.parent.name}_{name}", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return getattr(module, name)


def make_project(root: Path, kind: str, tmp_path_factory: pytest.TempPathFactory) -> None:
    if kind.startswith("published:"):
        formats = tuple(kind.removeprefix("published:").split(","))
        shutil.copytree(first_edition(tmp_path_factory, formats), root, symlinks=True)
        return
    root.mkdir(parents=True)
    if kind == "sample":
        shutil.copytree(REPO / "kb", root / "kb")
        shutil.copytree(REPO / "templates", root / "templates")
        shutil.copyfile(REPO / "netdocs.toml", root / "netdocs.toml")  # edition, title, dates
    else:
        assert kind == "empty", f"unknown project kind {kind!r}"


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _limit_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))


def test_the_catalogue_is_not_empty() -> None:
    assert len(CASES) >= 1


@pytest.mark.parametrize("case", CASES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_hostile_case(case: Path, tmp_path: Path, tmp_path_factory: pytest.TempPathFactory) -> None:
    spec = _load(case)
    for tool in spec.get("skip_without", []):
        if shutil.which(tool) is None:
            pytest.skip(f"needs {tool}, which is not installed")
    root = tmp_path / "project"
    try:
        _run_case(case, spec, root, tmp_path_factory)
    finally:
        if (case / "cleanup.py").is_file():
            _module(case / "cleanup.py", "cleanup")(root)


def _run_case(
    case: Path, spec: dict[str, Any], root: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    make_project(root, spec.get("project", "sample"), tmp_path_factory)
    if (case / "files").is_dir():
        shutil.copytree(case / "files", root, dirs_exist_ok=True, symlinks=True)
    if (case / "make.py").is_file():
        _module(case / "make.py", "make")(root)
    keep = {rel: _digest(root / rel) for rel in spec.get("keep", [])}

    def fill(text: str) -> str:
        return text.replace("{root}", str(root))

    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST")}
    env.update({k: fill(str(v)) for k, v in spec.get("env", {}).items()})
    env.setdefault("SOURCE_DATE_EPOCH", "1790000000")
    env["CI"] = "true"  # no progress bars
    argv = [sys.executable, "-m", "pipeline.cli", *map(fill, spec["argv"])]
    try:
        result = subprocess.run(
            argv,
            cwd=root,
            env=env,
            capture_output=True,
            text=True,
            errors="replace",
            timeout=spec.get("timeout", 120),
            preexec_fn=_limit_memory,
            stdin=subprocess.DEVNULL,
        )
    except subprocess.TimeoutExpired as exc:
        pytest.fail(f"{spec['title']}: no answer within {exc.timeout} s (a hang)")
    said = result.stdout + result.stderr
    where = f"{spec['title']} ({spec['issue']})\n--- output ---\n{said}"
    assert result.returncode == spec["exit"], where
    for text in spec.get("output", []):
        assert fill(text) in said, f"expected {fill(text)!r} in the output of {where}"
    for text in (*ALWAYS_FORBIDDEN, *spec.get("not_output", [])):
        assert fill(text) not in said, f"did not expect {fill(text)!r} in {where}"
    for rel, digest in keep.items():
        assert (root / rel).is_file(), f"{rel} was deleted by {where}"
        assert _digest(root / rel) == digest, f"{rel} was changed by {where}"
    for rel in spec.get("absent", []):
        assert not (root / rel).exists(), f"{rel} exists after {where}"
    for rel in spec.get("present", []):
        assert (root / rel).exists(), f"{rel} is missing after {where}"
    if (case / "check.py").is_file():
        _module(case / "check.py", "check")(root, result)
