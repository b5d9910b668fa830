"""``netdocs index``, ``netdocs search`` and ``netdocs show``: the KB from the terminal.

Every call into the search engine goes through :mod:`pipeline.search.engine`. Imports stay
light: ``search`` loads the engine and click only (its lines are laid out by
:mod:`.screen`, without rich); ``show`` adds the KB reader and rich for the article's
Markdown; none of them loads docx, matplotlib or pandoc.
"""

from __future__ import annotations

import difflib
import re
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from ..errors import NetdocsError, QueryTooGeneralError
from ..kb.model import ARTICLE_TYPES
from .common import (
    echo_json,
    folders,
    is_quiet,
    json_option,
    kb_option,
    progress_bar,
    settings,
)
from .screen import Part, Screen

if TYPE_CHECKING:
    from ..search.engine import RelatedGroup, SearchIndex, SearchResult

CTX = {"help_option_names": ["-h", "--help"]}
INDEX_WAIT = 60.0
"""Seconds `netdocs index` waits for another process to finish writing the index."""
SEARCH_WAIT = 2.0
"""Seconds a search or show waits for another process's write before it answers from the
index as it is (which is complete, only perhaps a moment behind the latest edits)."""
RELATED_SHOWN = 6
"""Related articles `netdocs show` lists per group; the rest are counted ("and 12 more")."""


def _citations(s: Any) -> dict[str, str] | None:
    """The edition's figure values for citations in articles, computed from the network data;
    ``None`` when the data cannot be read (the citations then show the figures' labels, and a
    note says why)."""
    from ..documents.common import edition_figures
    from ..network import load_network

    try:
        return edition_figures(s, load_network(s.data)).citations()
    except NetdocsError as exc:
        Screen(stderr=True).say(
            "note: figures cited in articles show their labels, not their values: the network "
            f"data could not be read ({exc.format_message().splitlines()[0]}); "
            "see netdocs data check"
        )
        return None


def _open(ctx: click.Context, kb_dir: Path | None) -> tuple[SearchIndex, Any]:
    """Refresh (incrementally) and open the index; say what happened on stderr. Returns the
    index and the folders (``.kb``, ``.cache``)."""
    from ..search.engine import SearchIndex, check_engine

    found = folders(ctx, kb_dir)  # the full settings only if an article cites a figure
    index = SearchIndex.open(
        found.cache, found.kb, wait=SEARCH_WAIT,
        load_figures=lambda: _citations(settings(ctx, kb=kb_dir)),
    )  # fmt: skip
    _report_refresh(index.report, check_engine())
    return index, found


def _report_refresh(report: Any, engine_warning: str) -> None:
    err = Screen(stderr=True)
    if engine_warning:
        err.say(f"warning: {engine_warning}")
    if report.rebuilt and report.reason not in ("no index yet", "asked to rebuild"):
        err.say(f"note: rebuilt the search index: {report.reason}")
    if report.skipped:
        err.say(f"note: {report.skipped}")
    if report.read_only:
        err.say(
            f"warning: {report.read_only}; searching the index as it was last built, "
            "which may miss recent edits"
        )


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
    with, so run this after the data changes. Searches running meanwhile answer from the
    previous index until the new one is complete.

    \b
    Example:
      netdocs index
      netdocs index --rebuild --kb ~/other-handbook
    """
    from ..search.engine import check_engine, refresh, stored_figures

    s = settings(ctx, kb=kb_dir)
    if not s.kb.is_dir():
        raise NetdocsError(f"no knowledge-base folder at {s.kb}")
    cites = bool(stored_figures(s.cache, s.kb).cited)
    from rich.console import Console

    # a bar on the terminal while articles are read and indexed (none in a pipe or with -q)
    with progress_bar(is_quiet(ctx) or not sys.stderr.isatty(), Console(stderr=True)) as bar:
        task: Any = None

        def progress(done: int, total: int) -> None:
            nonlocal task
            if task is None:
                task = bar.add_task("indexing", total=total)
            bar.update(task, completed=done)

        report = refresh(  # fresh values when articles cite figures; else only if needed
            s.cache, s.kb, rebuild=rebuild, wait=INDEX_WAIT, progress=progress,
            figures=_citations(s) if cites else None, load_figures=lambda: _citations(s),
        )  # fmt: skip
    if warning := check_engine():
        Screen(stderr=True).say(f"warning: {warning}")
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


def snippet_parts(snippet: str) -> list[Part]:
    """A snippet's text, its matched words (``**word**``) marked to stand out."""
    out, last = [], 0
    for m in _MARK.finditer(snippet):
        out.append(Part(snippet[last : m.start()]))
        out.append(Part(m.group(1), "match"))
        last = m.end()
    out.append(Part(snippet[last:]))
    return [p for p in out if p.text]


def summary_line(result: SearchResult, written: bool = False) -> str:
    """What the numbers mean: how many articles match every word of the query (the
    ``total``; with ``written``, a query in the query language, those matching it as
    written), and that the hits are the best matches, whether or not they match all."""
    shown, total = len(result.hits), result.total
    best = "the best match" if shown == 1 else f"the {shown} best matches"
    what = "the query as written" if written else "every word"
    if total == 0:
        return f"no article matches {what}; showing {best}"
    counted = f"{total:,} article{'s' if total != 1 else ''} match{'es' if total == 1 else ''}"
    kinds = ""
    if result.facets and sum(result.facets.values()) == total:
        kinds = " (" + ", ".join(f"{k} {v}" for k, v in result.facets.items()) + ")"
    return f"{counted} {what}{kinds}; showing {best}"


def print_hits(out: Screen, result: SearchResult, written: bool = False) -> None:
    """The hits as numbered entries: title, type and path (never broken: on a line of its own
    when it does not fit), the best section, the snippet; then :func:`summary_line`."""
    for n, hit in enumerate(result.hits, 1):
        target = hit.path + (f"#{hit.anchor}" if hit.anchor else "")
        out.line(
            [Part(f"{n}. {hit.title}", "title"), Part("  "), Part(hit.type, "dim"),
             Part("  "), Part(target, "path", whole=True)],
            hang=3,
        )  # fmt: skip
        if hit.section and hit.section != hit.title:
            out.line([Part(hit.section, "section")], indent=3)
        if hit.snippet:
            out.line(snippet_parts(hit.snippet), indent=3)
    if result.hits:
        out.say("")
        out.say(summary_line(result, written))


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

    The results are the best matches, best first; the last line counts the articles that
    match every word of the query. --json prints a list of objects with the keys id, title,
    type, path, anchor, section, score and snippet (matched words in **bold**), and nothing
    else. Exit status: 0 when something was found, 1 when nothing was or the query has only
    common words ("how do I"), 2 on a usage error.

    \b
    Example:
      netdocs search "what does a convener do"
      netdocs search mobilise resources --type practice
      netdocs search '"baseline audit" NOT survey' --json
    """
    index, _s = _open(ctx, kb_dir)
    with index:
        try:
            result = index.query(
                " ".join(query), type=kind, tag=tag, audience=audience, step=step, lang=lang,
                limit=limit,
            )  # fmt: skip
        except QueryTooGeneralError:
            if as_json:  # a pipe always gets JSON: no results, the error on stderr
                echo_json([])
            raise
    err = Screen(stderr=True)
    for note in result.notes:
        err.say(f"note: {note}")
    if result.corrected:
        err.say(
            f"no results for {' '.join(query)!r}; showing results for "
            f"{result.suggestion!r} (did you mean: {result.suggestion})"
        )
    elif result.suggestion:
        err.say(f"did you mean: {result.suggestion}")
    if as_json:
        echo_json([h.as_dict() for h in result.hits])
    elif not result.hits:
        err.say("no results")
    else:
        from ..search.engine import has_syntax

        print_hits(Screen(), result, has_syntax(result.query))
    ctx.exit(0 if result.hits else 1)


def print_related(out: Screen, groups: list[RelatedGroup], shown: int = RELATED_SHOWN) -> None:
    """Each group of related articles under its heading, at most ``shown`` of each
    ("and 12 more" counts the rest); ids are never broken across lines."""
    for group in groups:
        out.line([Part(group.label, "heading")])
        for item in group.items[:shown]:
            out.line([Part(item.id, "path", whole=True), Part("  "), Part(item.title, "dim")],
                     indent=2, hang=4)  # fmt: skip
        if len(group.items) > shown:
            out.line([Part(f"and {len(group.items) - shown} more", "dim")], indent=2)


def _meta_rows(article: Any) -> list[tuple[str, str, bool]]:
    """(label, value, whole) of the metadata `show` prints; ``whole`` values are one path."""
    meta = article.meta
    rows = [
        ("id", meta.id, True),
        ("type", meta.type, True),
        ("path", article.path, True),
        ("summary", meta.summary, False),
        ("step", ", ".join(str(n) for n in meta.step), False),
        ("audience", ", ".join(meta.audience), False),
        ("tags", ", ".join(meta.tags), False),
        ("updated", meta.updated.isoformat() if meta.updated else "", True),
        ("review by", meta.review_by.isoformat() if meta.review_by else "", True),
        ("owner", meta.owner or "", False),
    ]
    return [r for r in rows if r[1]]


@click.command("show", context_settings=CTX)
@click.argument("article_id", metavar="ID")
@kb_option
@click.option("--raw", is_flag=True, help="Print the Markdown source as it is.")
@click.pass_context
def show_cmd(ctx: click.Context, article_id: str, kb_dir: Path | None, raw: bool) -> None:
    """Show one article with its metadata and related articles.

    Related articles come in groups: those the article links to, those of the same roadmap
    step, for a role those written for it, those for the same readers, and those that link
    to it; each article is listed once, and each group shows its first few with a count of
    the rest.

    \b
    Example:
      netdocs show cluster-coordinator
      netdocs show step-1-baseline --raw
    """
    from ..kb.reader import read_article

    index, s = _open(ctx, kb_dir)
    with index:
        doc = index.document(article_id)
        if doc is None:
            ids = index.ids()
            near = difflib.get_close_matches(article_id, ids, n=5, cutoff=0.5)
            if not near:
                near = [i for i in ids if article_id.lower() in i][:5]
            hint = (
                f"; closest ids: {', '.join(near)}" if near else "; netdocs kb list shows all ids"
            )
            raise NetdocsError(f"no article '{article_id}'{hint}")
        groups = index.related(article_id)
    article, problems = read_article(s.kb / doc.path, s.kb)
    if article is None:
        raise NetdocsError(f"{doc.path} cannot be read any more: run netdocs kb lint")
    err = Screen(stderr=True)
    for problem in problems:
        if problem.level == "error":
            err.say(str(problem))
    if raw:
        click.echo((s.kb / doc.path).read_text(encoding="utf-8-sig"), nl=False)
        return
    from rich.console import Console
    from rich.markdown import Markdown

    from ..kb.figrefs import substitute
    from ..search.engine import stored_figures

    out = Screen(wrap=True)
    rows = _meta_rows(article)
    key_width = max(len(k) for k, _v, _w in rows) + 2
    for key, value, whole in rows:
        out.line(
            [Part(key.ljust(key_width), "dim"), Part(value, "path" if whole else "", whole=whole)],
            hang=key_width,
        )
    console = Console(highlight=False, width=out.width, no_color=not out.styled)
    out.rule()
    stored = stored_figures(s.cache, s.kb)  # the values searches show; else from the data
    stored.loader = lambda: _citations(settings(ctx, kb=kb_dir))
    body = substitute(article.body, stored.shown()) if "[[" in article.body else article.body
    if not body.lstrip().startswith("# "):
        body = f"# {article.meta.title}\n\n{body}"
    console.print(Markdown(body))
    if groups:
        out.rule("related")
        print_related(out, groups)
