"""``netdocs kb``: lint, list and create knowledge-base articles."""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

import click

from ..errors import UsageError
from ..kb import ARTICLE_TYPES, KnowledgeBase, read_kb
from .common import echo_json, json_option, kb_option, review_as_of_option, settings

CTX = {"help_option_names": ["-h", "--help"]}


def load_kb(ctx: click.Context, kb_dir: Path | None) -> KnowledgeBase:
    """Read the knowledge base chosen by --kb or the project settings."""
    root = settings(ctx, kb=kb_dir).kb
    if not root.is_dir():
        raise UsageError(
            f"no knowledge-base folder at {root}: pass --kb DIR or set 'kb' in netdocs.toml"
        )
    return read_kb(root)


@click.group(context_settings=CTX)
def kb() -> None:
    """Lint, list and create knowledge-base articles.

    The knowledge base is a folder of Markdown files with YAML front matter (see kb/README.md).
    """


@kb.command("lint", context_settings=CTX)
@kb_option
@review_as_of_option
@click.option("--strict", is_flag=True, help="Fail on warnings too (exit 1).")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="Output format.",
)
@click.pass_context
def lint_cmd(
    ctx: click.Context, kb_dir: Path | None, as_of: str | None, strict: bool, fmt: str
) -> None:
    """Check every article and report every problem at once.

    Each problem is printed as PATH:LINE: LEVEL: MESSAGE, saying what to fix. Exit status:
    0 when clean, 1 on errors (or on warnings with --strict), 2 on a usage error. Reviews
    are due as of the edition's as-of day (as_of in netdocs.toml, else today), as publish
    checks them.

    \b
    Example:
      netdocs kb lint --strict
      netdocs kb lint --kb ~/handbook --format json
    """
    from ..kb.lint import lint

    day = settings(ctx, kb=kb_dir, as_of=as_of).as_of_for(date.today())
    report = lint(load_kb(ctx, kb_dir), today=day)
    failed = report.failed(strict)
    if fmt == "json":
        echo_json(
            {
                "ok": not failed,
                "articles": report.articles,
                "errors": report.errors,
                "warnings": report.warnings,
                "problems": [p.as_dict() for p in report.problems],
            }
        )
    else:
        for problem in report.problems:
            click.echo(str(problem))
        click.echo(
            f"{report.articles} articles: {report.errors} error(s), "
            f"{report.warnings} warning(s)" + (" (strict)" if strict else ""),
            err=True,
        )
    ctx.exit(1 if failed else 0)


@kb.command("list", context_settings=CTX)
@kb_option
@click.option("--type", "kind", type=click.Choice(ARTICLE_TYPES), help="Only this type.")
@json_option
@click.pass_context
def list_cmd(ctx: click.Context, kb_dir: Path | None, kind: str | None, as_json: bool) -> None:
    """List the articles: id, type, roadmap step, title and path.

    \b
    Example:
      netdocs kb list --type lesson
      netdocs kb list --json | jq '.[].id'
    """
    base = load_kb(ctx, kb_dir)
    articles = [a for a in base.articles if kind is None or a.type == kind]
    order = {t: i for i, t in enumerate(ARTICLE_TYPES)}
    articles.sort(key=lambda a: (order.get(a.type, 99), a.meta.step, a.path))
    if as_json:
        echo_json(
            [
                {
                    "id": a.id,
                    "title": a.title,
                    "type": a.type,
                    "step": list(a.meta.step),
                    "audience": list(a.meta.audience),
                    "tags": list(a.meta.tags),
                    "summary": a.meta.summary,
                    "path": a.path,
                    "updated": a.meta.updated.isoformat() if a.meta.updated else None,
                }
                for a in articles
            ]
        )
        return
    if not articles:
        click.echo("no articles" + (f" of type {kind}" if kind else ""), err=True)
        return
    id_w = max(len(a.id) for a in articles)
    type_w = max(len(a.type) for a in articles)
    for a in articles:
        step = ",".join(str(n) for n in a.meta.step) or "-"
        click.echo(f"{a.id:<{id_w}}  {a.type:<{type_w}}  {step:<5}  {a.title}  ({a.path})")
    click.echo(f"{len(articles)} article(s)", err=True)


@kb.command("new", context_settings=CTX)
@click.argument("kind", metavar="TYPE", type=click.Choice(ARTICLE_TYPES))
@click.argument("title")
@click.option(
    "--step",
    "steps",
    type=click.IntRange(1, 7),
    multiple=True,
    help="Roadmap step (repeatable for lessons and practices; a roadmap-step gets the "
    "first free step when omitted).",
)
@kb_option
@click.pass_context
def new_cmd(
    ctx: click.Context, kind: str, title: str, steps: tuple[int, ...], kb_dir: Path | None
) -> None:
    """Create an article of TYPE with valid front matter and print its path.

    The file goes to the type's folder (roles/, lessons/, ...), named after its id. An
    existing file is never overwritten.

    \b
    Example:
      netdocs kb new lesson "Start with a baseline audit" --step 1 --step 5
      netdocs kb new glossary "Peer learning"
    """
    from ..kb.scaffold import new_article

    path = new_article(load_kb(ctx, kb_dir), kind, title, tuple(steps))
    click.echo(str(path))
    if kind in ("lesson", "practice") and not steps:
        click.echo("note: tie it to roadmap steps: edit 'step: []' (e.g. step: [1, 5])", err=True)
    sys.stdout.flush()
