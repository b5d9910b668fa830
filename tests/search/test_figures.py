"""Search snippets show a cited figure's value (or its label before any figures were given),
never ``[[figure:...]]``; a change of figures re-indexes only the articles that cite one."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from pipeline.search.index import current_dir, open_current, refresh
from pipeline.search.query import search
from tests.conftest import article, run

CITING = article(
    "kpi-page",
    body="# KPIs\n\nThe strategy has [[figure:kpis]] indicators, monitored yearly.\n\n"
    "## Syntax\n\nCite it as `[[figure:kpis]]` in an article.\n",
)
PLAIN = article("plain", body="# Plain\n\nNothing monitored here, but indicators all the same.\n")


def _snippets(cache: Path, root: Path, query: str) -> dict[str, str]:
    ix = open_current(cache, root)
    try:
        return {h.id: h.snippet for h in search(ix, query).hits}
    finally:
        ix.close()


def _cited(cache: Path, root: Path) -> list[str]:
    gen = current_dir(cache, root)
    assert gen is not None
    data = json.loads((gen / "manifest.json").read_text(encoding="utf-8"))
    cited: list[str] = data["cited"]
    return cited


def test_without_figures_a_citation_shows_the_figures_label(write_kb: Any, tmp_path: Path) -> None:
    root = write_kb({"a.md": CITING, "b.md": PLAIN})
    cache = tmp_path / "cache"
    refresh(cache, root)
    snippet = _snippets(cache, root, "monitored")["kpi-page"]
    assert "Key performance indicators indicators" in snippet.replace("**", "")
    assert "[[figure:kpis]]" not in snippet
    assert _cited(cache, root) == ["a.md"]


def test_with_figures_the_value_is_indexed_and_code_keeps_the_citation(
    write_kb: Any, tmp_path: Path
) -> None:
    root = write_kb({"a.md": CITING, "b.md": PLAIN})
    cache = tmp_path / "cache"
    refresh(cache, root, figures={"kpis": "8"})
    assert "has 8 indicators" in _snippets(cache, root, "monitored")["kpi-page"].replace("**", "")
    code = _snippets(cache, root, "cite article")["kpi-page"]
    assert "[[figure:kpis]]" in code


def test_new_figures_reindex_only_the_citing_articles_and_are_kept(
    write_kb: Any, tmp_path: Path
) -> None:
    root = write_kb({"a.md": CITING, "b.md": PLAIN})
    cache = tmp_path / "cache"
    refresh(cache, root, figures={"kpis": "8"})
    same = refresh(cache, root, figures={"kpis": "8"})
    assert same.touched == 0 and same.unchanged == 2
    changed = refresh(cache, root, figures={"kpis": "9"})
    assert (changed.changed, changed.added, changed.rebuilt) == (["a.md"], [], False)
    assert "has 9 indicators" in _snippets(cache, root, "monitored")["kpi-page"].replace("**", "")
    # a refresh without figures (netdocs search) keeps the values, also for a new article
    (root / "c.md").write_text(
        article("new", body="# New\n\nAlso [[figure:kpis]] monitored things.\n"),
        encoding="utf-8",
    )
    later = refresh(cache, root)
    assert later.added == ["c.md"] and later.changed == []
    snippets = _snippets(cache, root, "monitored")
    assert "Also 9 monitored" in snippets["new"].replace("**", "")
    assert "has 9 indicators" in snippets["kpi-page"].replace("**", "")
    assert _cited(cache, root) == ["a.md", "c.md"]


def test_netdocs_search_shows_the_label_of_a_cited_figure(
    write_kb: Any, tmp_path: Path, monkeypatch: Any
) -> None:
    root = write_kb({"a.md": CITING, "b.md": PLAIN})
    monkeypatch.chdir(tmp_path)
    result = run("search", "monitored", "--kb", str(root), "--json")
    assert result.exit_code == 0, result.output
    (hit,) = [h for h in json.loads(result.stdout) if h["id"] == "kpi-page"]
    assert "Key performance indicators" in hit["snippet"]
    assert "[[figure:" not in hit["snippet"]


def test_figures_given_before_any_article_cites_one_are_kept_for_later_articles(
    write_kb: Any, tmp_path: Path
) -> None:
    root = write_kb({"b.md": PLAIN})
    cache = tmp_path / "cache"
    refresh(cache, root)
    assert refresh(cache, root, figures={"kpis": "8"}).touched == 0
    (root / "a.md").write_text(CITING, encoding="utf-8")
    assert refresh(cache, root).added == ["a.md"]
    assert "has 8 indicators" in _snippets(cache, root, "monitored")["kpi-page"].replace("**", "")
