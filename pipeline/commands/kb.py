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
@click.option("--json", "as_json", is_flag=True, help="Print JSON (the same as --format json).")
@click.pass_context
def lint_cmd(
    ctx: click.Context,
    kb_dir: Path | None,
    as_of: str | None,
    strict: bool,
    fmt: str,
    as_json: bool,
) -> None:
    """Check every article and report every problem at once.

    Each problem is printed as PATH:LINE: LEVEL: MESSAGE, saying what to fix. Exit status:
    0 when clean, 1 on errors (or on warnings with --strict), 2 on a usage error. Reviews
    are due as of the edition's as-of day (as_of in netdocs.toml, else today), as publish
    checks them. Reviewers' suggestions (CriticMarkup, written by `netdocs review import
    --apply`) are warnings until an editor accepts or rejects them: publish refuses them.

    \b
    Example:
      netdocs kb lint --strict
      netdocs kb lint --kb ~/handbook --format json
    """
    from ..kb.lint import lint

    day = settings(ctx, kb=kb_dir, as_of=as_of).as_of_for(date.today())
    report = lint(load_kb(ctx, kb_dir), today=day)
    failed = report.failed(strict)
    if fmt == "json" or as_json:
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


@kb.command("import", context_settings=CTX)
@click.argument("source", metavar="FILE.docx", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--type",
    "kind",
    type=click.Choice(ARTICLE_TYPES),
    default="page",
    show_default=True,
    help="Type of the articles (and so their folder).",
)
@click.option(
    "--split-level",
    type=click.IntRange(1, 6),
    help="Heading level that starts an article [default: the highest level with more than "
    "one heading].",
)
@click.option(
    "--step",
    "steps",
    type=click.IntRange(1, 7),
    multiple=True,
    help="Roadmap step of lesson and practice articles (repeatable).",
)
@kb_option
@click.option(
    "--dry-run",
    is_flag=True,
    help="Print what would be created; write nothing (files that exist are refused, as the "
    "import would refuse them, unless --force).",
)
@click.option("--force", is_flag=True, help="Replace files that already exist.")
@json_option
@click.pass_context
def import_cmd(
    ctx: click.Context,
    source: Path,
    kind: str,
    split_level: int | None,
    steps: tuple[int, ...],
    kb_dir: Path | None,
    dry_run: bool,
    force: bool,
    as_json: bool,
) -> None:
    """Turn a Word guide (FILE.docx) into articles and print what was created.

    One article per section at the split level (headings above it start articles too when
    they have text of their own; deeper ones stay inside as ##, ###). Text before the first
    heading becomes an article titled by the document's title. Front matter: id from the
    heading (unique, the same document gives the same ids), title, summary (first sentence),
    type, updated (the document's last-modified date). Pictures go to images/<document>/;
    tables, lists, footnotes, links and Word's quote, emphasis and code styles are kept;
    the table of contents is left out.

    Tracked changes are imported as accepted (the text as Word shows it with No Markup);
    comments never become text. Both are listed, with author, date, text and article, so
    nothing is dropped silently. Existing files are never overwritten: the import refuses,
    naming them, unless --force.

    \b
    Example:
      netdocs kb import partner-guide.docx --dry-run
      netdocs kb import partner-guide.docx --split-level 2
      netdocs kb import lessons.docx --type lesson --step 3 --json
    """
    from ..kb.docx_import import check_writable, plan_import, write_import
    from ..kb.model import KnowledgeBase

    root = settings(ctx, kb=kb_dir).kb
    base = read_kb(root) if root.is_dir() else KnowledgeBase(root=root, articles=[], problems=[])
    plan = plan_import(source, base, kind, split_level, tuple(steps))
    if dry_run:
        check_writable(plan, force=force)
    else:
        write_import(plan, force=force)
    if as_json:
        echo_json(plan.as_dict() | {"dry_run": dry_run, "written": not dry_run})
        return
    verb = "would create" if dry_run else "created"
    replaced = {str(p) for p in plan.existing}
    for path in [a.path for a in plan.articles] + [i.path for i in plan.images]:
        full = root / path
        mark = " (replaced)" if str(full) in replaced else ""
        click.echo(f"{verb}: {full}{mark}")
    for remark in plan.remarks:
        where = (
            f"{remark['article']} ({remark['path']})"
            if remark["path"]
            else f"section '{remark.get('section', '')}', not imported"
        )
        who = ", ".join(x for x in (remark["author"], remark["date"]) if x) or "unknown"
        line = f"{remark['kind']} ({who}) in {where}: {remark['text']!r}"
        if remark.get("anchor"):
            line += f" on {remark['anchor']!r}"
        click.echo(line, err=True)
    for note in plan.notes:
        click.echo(f"note: {note}", err=True)
    for warning in plan.warnings:
        click.echo(f"warning: {warning}", err=True)
    click.echo(
        f"{len(plan.articles)} article(s), {len(plan.images)} picture(s), "
        f"{len(plan.remarks)} comment(s) and tracked change(s)"
        + (" (dry run: nothing written)" if dry_run else ""),
        err=True,
    )
