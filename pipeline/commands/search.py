"""``netdocs index``, ``netdocs search`` and ``netdocs show``: the KB from the terminal.

Imports stay light: Whoosh and the KB reader, never docx, matplotlib, pandoc or pydantic.
"""

from __future__ import annotations

import difflib
import re
from pathlib import Path
from typing import Any

import click

from ..errors import NetdocsError
from ..kb.model import ARTICLE_TYPES
from .common import echo_json, is_quiet, json_option, kb_option, settings

CTX = {"help_option_names": ["-h", "--help"]}
INDEX_WAIT = 60.0
"""Seconds `netdocs index` waits for another process to finish writing the index."""
SEARCH_WAIT = 2.0
"""Seconds a search or show waits for another process's write before it answers from the
index as it is (which is complete, only perhaps a moment behind the latest edits)."""


def _console(stderr: bool = False, wrap: bool | None = None) -> Any:
    """A rich console; lines are wrapped by rich in a terminal and left whole in a pipe."""
    import sys

    from rich.console import Console

    stream = sys.stderr if stderr else sys.stdout
    soft = not stream.isatty() if wrap is None else not wrap
    return Console(stderr=stderr, highlight=False, soft_wrap=soft)


def _citations(s: Any) -> dict[str, str] | None:
    """The edition's figure values for citations in articles, computed from the network data;
    ``None`` when the data cannot be read (the citations then show the figures' labels, and a
    note says why)."""
    from ..documents.common import edition_figures
    from ..network import load_network

    try:
        return edition_figures(s, load_network(s.data)).citations()
    except NetdocsError as exc:
        _console(stderr=True).print(
            "note: figures cited in articles show their labels, not their values: the network "
            f"data could not be read ({exc.format_message().splitlines()[0]}); "
            "see netdocs data check",
            markup=False,
        )
        return None


def _open(ctx: click.Context, kb_dir: Path | None, rebuild: bool = False) -> tuple[Any, Any]:
    """Refresh (incrementally) and open the index; say what happened on stderr."""
    from ..search.index import ensure_index

    s = settings(ctx, kb=kb_dir)
    ix, report = ensure_index(  # a search computes figures only if an article needs them
        s.cache, s.kb, rebuild=rebuild, wait=SEARCH_WAIT, load_figures=lambda: _citations(s)
    )
    err = _console(stderr=True)
    if report.rebuilt and report.reason not in ("no index yet", "asked to rebuild"):
        err.print(f"note: rebuilt the search index: {report.reason}")
    if report.skipped:
        err.print(f"note: {report.skipped}", markup=False)
    if report.read_only:
        err.print(
            f"warning: {report.read_only}; searching the index as it was last built, "
            "which may miss recent edits",
            markup=False,
        )
    return ix, report


@click.command("index", context_settings=CTX)
@kb_option
@click.option("--rebuild", is_flag=True, help="Throw the index away and build it anew.")
@click.pass_context
def index_cmd(ctx: click.Context, kb_dir: Path | None, rebuild: bool) -> None:
    """Build or update the search index of the knowledge base.

    Only articles added, changed or deleted since the last run are re-indexed. The index lives
    in the cache folder (.netdocs/ by default), one per knowledge-base folder; `netdocs search`
    updates it by itself. Figures cited in articles ([[figure:NAME]]) are indexed with their
    values, computed from the network data; a search keeps the values the index was built
    with, so run this after the data changes.

    \b
    Example:
      netdocs index
      netdocs index --rebuild --kb ~/other-handbook
    """
    from ..search.index import ensure_index

    s = settings(ctx, kb=kb_dir)
    from ..search.index import stored_figures

    cites = bool(stored_figures(s.cache, s.kb).cited)
    ix, report = ensure_index(  # fresh values when articles cite figures; else only if needed
        s.cache, s.kb, rebuild=rebuild, wait=INDEX_WAIT,
        figures=_citations(s) if cites else None, load_figures=lambda: _citations(s),
    )  # fmt: skip
    ix.close()
    if report.skipped:
        raise NetdocsError(report.skipped.split(";")[0] + "; try again in a moment")
    if report.read_only:
        raise NetdocsError(report.read_only)
    if report.rebuilt:
        reason = (
            "" if report.reason in ("no index yet", "asked to rebuild") else f" ({report.reason})"
        )
        msg = f"built the index of {len(report.added)} articles{reason}"
    elif report.touched:
        msg = (
            f"updated the index: {len(report.added)} added, {len(report.changed)} changed, "
            f"{len(report.deleted)} deleted, {report.unchanged} unchanged"
        )
    else:
        msg = f"the index is up to date ({report.unchanged} articles)"
    if not is_quiet(ctx):
        click.echo(f"{msg} in {report.seconds:.2f} s")


_MARK = re.compile(r"\*\*(.+?)\*\*")


def _rich_snippet(snippet: str) -> str:
    from rich.markup import escape

    out, last = [], 0
    for m in _MARK.finditer(snippet):
        out.append(escape(snippet[last : m.start()]))
        out.append(f"[bold yellow]{escape(m.group(1))}[/]")
        last = m.end()
    out.append(escape(snippet[last:]))
    return "".join(out)


@click.command("search", context_settings=CTX)
@click.argument("query", nargs=-1, required=True)
@kb_option
@click.option("--type", "kind", type=click.Choice(ARTICLE_TYPES), help="Only this type.")
@click.option("--tag", help="Only articles with this tag.")
@click.option("--audience", metavar="ROLE", help="Only articles for this role id.")
@click.option("--step", type=click.IntRange(1, 7), help="Only articles of this roadmap step.")
@click.option("--lang", metavar="L", help="Only articles in this language (en, fr...).")
@click.option(
    "--limit",
    type=click.IntRange(1, 1000),
    default=10,
    show_default=True,
    help="How many results to show.",
)
@json_option
@click.pass_context
def search_cmd(
    ctx: click.Context,
    query: tuple[str, ...],
    kb_dir: Path | None,
    kind: str | None,
    tag: str | None,
    audience: str | None,
    step: int | None,
    lang: str | None,
    limit: int,
    as_json: bool,
) -> None:
    """Search the knowledge base and show the best-matching section of each article.

    Words are stemmed (organise finds organising and organisation) and British and American
    spellings find each other (mobilise/mobilize, centre/center). Title and summary weigh more
    than the body. A misspelt word gets a "did you mean". The query language also has
    "quoted phrases", AND / OR / NOT, fields (title:funding, type:lesson, tags:funding) and
    wildcards (coord*).

    --json prints a list of objects with the keys id, title, type, path, anchor, section,
    score and snippet (matched words in **bold**), and nothing else. Exit status: 0 when
    something was found, 1 when nothing was, 2 on a usage error.

    \b
    Example:
      netdocs search "what does a convener do"
      netdocs search mobilise resources --type practice
      netdocs search '"baseline audit" NOT survey' --json
    """
    from ..search.query import search

    ix, _report = _open(ctx, kb_dir)
    try:
        result = search(
            ix,
            " ".join(query),
            type=kind,
            tag=tag,
            audience=audience,
            step=step,
            lang=lang,
            limit=limit,
        )
    finally:
        ix.close()
    err = _console(stderr=True)
    for note in result.notes:
        err.print(f"note: {note}", markup=False)
    if result.corrected:
        err.print(
            f"no results for {' '.join(query)!r}; showing results for "
            f"{result.suggestion!r} (did you mean: {result.suggestion})",
            markup=False,
        )
    elif result.suggestion:
        err.print(f"did you mean: {result.suggestion}", markup=False)
    if as_json:
        echo_json([h.as_dict() for h in result.hits])
    else:
        from rich.padding import Padding
        from rich.text import Text

        out = _console()
        if not result.hits:
            err.print("no results", markup=False)
        for n, hit in enumerate(result.hits, 1):
            target = hit.path + (f"#{hit.anchor}" if hit.anchor else "")
            out.print(
                f"[bold]{n}. {_esc(hit.title)}[/]  [dim]{hit.type}[/]  [cyan]{_esc(target)}[/]"
            )
            if hit.section and hit.section != hit.title:
                out.print(f"   [italic]{_esc(hit.section)}[/]")
            if hit.snippet and out.soft_wrap:  # a pipe: one line per snippet
                out.print("   " + _rich_snippet(hit.snippet))
            elif hit.snippet:
                out.print(Padding(Text.from_markup(_rich_snippet(hit.snippet)), (0, 0, 0, 3)))
        if result.hits:
            facets = ", ".join(f"{k} {v}" for k, v in result.facets.items())
            shown = len(result.hits)
            more = f" (showing {shown})" if result.total > shown else ""
            out.print(
                f"\n{result.total} article{'s' if result.total != 1 else ''} "
                f"match{'es' if result.total == 1 else ''}{more}: {facets}"
            )
    ctx.exit(0 if result.hits else 1)


def _esc(text: str) -> str:
    from rich.markup import escape

    return escape(text)


@click.command("show", context_settings=CTX)
@click.argument("article_id", metavar="ID")
@kb_option
@click.option("--raw", is_flag=True, help="Print the Markdown source as it is.")
@click.pass_context
def show_cmd(ctx: click.Context, article_id: str, kb_dir: Path | None, raw: bool) -> None:
    """Show one article with its metadata and related articles.

    Related articles are those of the same roadmap step, for the same audience, and those the
    article links to or is linked from.

    \b
    Example:
      netdocs show cluster-coordinator
      netdocs show step-1-baseline --raw
    """
    from ..kb.reader import read_article
    from ..search.related import all_ids, related

    s = settings(ctx, kb=kb_dir)
    ix, _report = _open(ctx, kb_dir)
    try:
        with ix.searcher() as searcher:
            doc = searcher.document(id=article_id)
        if doc is None:
            ids = all_ids(ix)
            near = difflib.get_close_matches(article_id, ids, n=5, cutoff=0.5)
            if not near:
                near = [i for i in ids if article_id.lower() in i][:5]
            hint = (
                f"; closest ids: {', '.join(near)}" if near else "; netdocs kb list shows all ids"
            )
            raise NetdocsError(f"no article '{article_id}'{hint}")
        links = related(ix, article_id)
    finally:
        ix.close()
    article, problems = read_article(s.kb / doc["path"], s.kb)
    if article is None:
        raise NetdocsError(f"{doc['path']} cannot be read any more: run netdocs kb lint")
    for problem in problems:
        if problem.level == "error":
            _console(stderr=True).print(str(problem), markup=False)
    if raw:
        click.echo((s.kb / doc["path"]).read_text(encoding="utf-8-sig"), nl=False)
        return
    from rich.markdown import Markdown
    from rich.table import Table

    out = _console(wrap=True)
    meta = article.meta
    table = Table.grid(padding=(0, 2))
    table.add_column(style="dim")
    table.add_column()
    rows = [
        ("id", meta.id),
        ("type", meta.type),
        ("path", article.path),
        ("summary", meta.summary),
        ("step", ", ".join(str(n) for n in meta.step)),
        ("audience", ", ".join(meta.audience)),
        ("tags", ", ".join(meta.tags)),
        ("updated", meta.updated.isoformat() if meta.updated else ""),
        ("review by", meta.review_by.isoformat() if meta.review_by else ""),
        ("owner", meta.owner or ""),
    ]
    for key, value in rows:
        if value:
            table.add_row(key, _esc(value))
    out.print(table)
    out.rule()
    from ..kb.figrefs import substitute
    from ..search.index import stored_figures

    stored = stored_figures(s.cache, s.kb)  # the values searches show; else from the data
    stored.loader = lambda: _citations(s)
    body = substitute(article.body, stored.shown()) if "[[" in article.body else article.body
    if not body.lstrip().startswith("# "):
        body = f"# {meta.title}\n\n{body}"
    out.print(Markdown(body))
    if links:
        out.rule("related")
        for label, items in links.items():
            out.print(f"[bold]{label}[/]")
            for rid, title, _path in items:
                out.print(f"  {_esc(rid)}  [dim]{_esc(title)}[/]")
