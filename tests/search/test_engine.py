"""The engine stays behind pipeline/search/: nothing else imports whoosh, the commands use only
the facade (pipeline.search.engine), and the installed Whoosh is one netdocs is tested with."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from pipeline.search import engine
from pipeline.search.engine import SUPPORTED_WHOOSH, Document, SearchIndex, check_engine
from tests.conftest import REPO, article

SEARCH = REPO / "pipeline" / "search"


def _imports(path: Path) -> list[tuple[int, str]]:
    """(line, absolute module name) of every import in ``path``, relative ones resolved."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    package = ".".join(path.relative_to(REPO).with_suffix("").parts[:-1])
    out = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")
                parts = parts[: len(parts) - node.level + 1]
                base = ".".join([*parts, base] if base else parts)
            out += [
                (node.lineno, f"{base}.{alias.name}" if base else alias.name)
                for alias in node.names
            ]
    return out


def _outside_search() -> list[Path]:
    files = [p for p in (REPO / "pipeline").rglob("*.py") if SEARCH not in p.parents]
    return files + sorted((REPO / "bench").glob("*.py"))


def test_nothing_outside_the_search_package_imports_whoosh() -> None:
    files = _outside_search()
    assert len(files) > 50 and REPO / "pipeline" / "commands" / "search.py" in files
    found = [
        f"{p.relative_to(REPO)}:{line}: {name}"
        for p in files
        for line, name in _imports(p)
        if name == "whoosh" or name.startswith("whoosh.")
    ]
    assert found == [], "import Whoosh only inside pipeline/search/:\n" + "\n".join(found)


def test_the_import_walk_sees_whoosh_where_it_is() -> None:
    """The walk itself works: it finds the imports the search package does have."""
    names = {name for _line, name in _imports(SEARCH / "related.py")}
    assert "whoosh.query" in names and "pipeline.kb.model.ARTICLE_TYPES" in names


def test_the_commands_use_only_the_facade() -> None:
    path = REPO / "pipeline" / "commands" / "search.py"
    used = {name for _line, name in _imports(path) if name.startswith("pipeline.search")}
    assert used and {n.rsplit(".", 1)[0] for n in used} == {"pipeline.search.engine"}, used


def test_the_installed_whoosh_is_a_tested_version() -> None:
    assert check_engine() == "", check_engine()


def test_the_package_requires_the_tested_whoosh_range() -> None:
    import tomllib

    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    low, high = (".".join(map(str, v)) for v in SUPPORTED_WHOOSH)
    assert f"whoosh-reloaded>={low},<{high}" in project["dependencies"]


@pytest.mark.parametrize(
    ("version", "supported"),
    [((2, 7, 5), True), ((2, 7, 9), True), ((2, 7, 4), False), ((2, 8, 0), False), ((3, 0), False)],
)
def test_an_untested_whoosh_is_named_with_the_fix(
    version: tuple[int, ...], supported: bool
) -> None:
    said = check_engine(version)
    if supported:
        assert said == ""
    else:
        low, high = (".".join(map(str, v)) for v in SUPPORTED_WHOOSH)
        shown = ".".join(map(str, version))
        assert said.startswith(f"whoosh-reloaded {shown} is installed, but netdocs is tested")
        assert f"pip install 'whoosh-reloaded>={low},<{high}'" in said


def test_the_facade_answers_without_whoosh_objects(write_kb, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    root = write_kb(
        {
            "roles/convener.md": article(
                "convener",
                "role",
                "step: [1]\naudience: [convener]\n",
                "# Convener\n\nThe convener chairs the [cluster](../pages/cluster.md).\n",
            ),
            "pages/cluster.md": article(
                "cluster",
                extra="step: [1]\n",
                body="# Cluster\n\nSee the [convener](../roles/convener.md).\n",
            ),
            "pages/other.md": article("other", extra="audience: [convener]\n", body="Quokkas.\n"),
        }
    )
    cache = tmp_path / "cache"
    report = engine.refresh(cache, root)
    assert report.rebuilt and sorted(report.added) == [
        "pages/cluster.md",
        "pages/other.md",
        "roles/convener.md",
    ]
    with SearchIndex.open(cache, root) as index:
        assert index.report.touched == 0 and index.report.unchanged == 3
        assert index.ids() == ["cluster", "convener", "other"] and len(index) == 3
        doc = index.document("convener")
        assert doc == Document(
            id="convener",
            title="Title of convener",
            type="role",
            path="roles/convener.md",
            lang="en",
            summary="Summary of convener.",
            audience=("convener",),
            step=(1,),
            links=("pages/cluster.md",),
        )
        assert index.document("nobody") is None
        first = index.query("quokkas")
        assert [h.id for h in first.hits] == ["other"]
        searcher = index._searcher
        assert [h.id for h in index.query("quokkas").hits] == ["other"]
        assert index._searcher is searcher, "one searcher serves every call"
        assert index.suggest("quokkaz") == "quokkas"
        groups = {g.key: [r.id for r in g.items] for g in index.related("convener")}
        assert groups == {"links-out": ["cluster"], "for-role": ["other"]}
        labels = [g.label for g in index.related("cluster")]
        assert labels == ["links to"]  # convener: linked both ways, shown once
    assert index._ix is None and index._searcher is None
