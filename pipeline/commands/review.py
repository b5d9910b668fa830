"""``netdocs review``: bring reviewers' Word comments and tracked changes back to the KB."""

from __future__ import annotations

from pathlib import Path

import click

from .common import echo_json, is_quiet, json_option, kb_option, settings

CTX = {"help_option_names": ["-h", "--help"]}


@click.group(context_settings=CTX)
def review() -> None:
    """Bring reviewers' Word comments and tracked changes back to the articles.

    Reviewers comment on, or edit with track changes, a document netdocs published (the
    handbook, the strategy, an action plan) in Word or LibreOffice; `review import` says which
    article, section and line each comment or change concerns, and can write them into the
    articles as suggestions (CriticMarkup) for editors to accept or reject.
    """


@review.command("import", context_settings=CTX)
@click.argument(
    "reviewed",
    metavar="REVIEWED.docx",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
)
@click.option(
    "--edition",
    metavar="NAME",
    help="The edition folder under the outputs folder the document comes from (default: the "
    "one the document names; another one is refused). Needed for a copy that lost its netdocs "
    "document properties.",
)
@json_option
@click.option(
    "--apply",
    "apply_",
    is_flag=True,
    help="Write the comments and changes into the articles as CriticMarkup suggestions "
    "(only articles unchanged since the edition; never with uncommitted changes in git).",
)
@kb_option
@click.pass_context
def import_cmd(
    ctx: click.Context,
    reviewed: Path,
    edition: str | None,
    as_json: bool,
    apply_: bool,
    kb_dir: Path | None,
) -> None:
    """Map every comment and tracked change of REVIEWED.docx to its article and line.

    REVIEWED.docx is a .docx netdocs published, commented on or edited with track changes in
    Word or LibreOffice. For each comment, insertion and deletion it prints the article id,
    PATH:LINE, author, date, the comment or the change and the text it is anchored to. Text
    made from the network data (a member table, an activity row) is reported "from the data"
    with the record's id: change it at the source. What cannot be placed (bookmarks deleted,
    text retyped) is listed as unmapped, never left out.

    With --apply, the comments and changes are written into the articles as CriticMarkup
    ({++inserted++} {--deleted--} {~~old~>new~~} {==text==}{>>comment<<}) with their authors
    and dates; `netdocs kb lint` lists them and `netdocs publish` refuses them until an
    editor accepts or rejects each. An article changed since the edition is not touched; in a
    git work tree, uncommitted changes to an article to touch stop the whole apply.

    \b
    Example:
      netdocs review import handbook-reviewed.docx
      netdocs review import strategy-ana.docx --json
      netdocs review import handbook-reviewed.docx --apply
    """
    from ..review.report import summary
    from ..review.run import review_document

    chosen = settings(ctx, kb=kb_dir)
    result = review_document(reviewed, chosen.outputs, chosen.kb, edition, root=chosen.root)
    if as_json:
        out = result.as_dict()
        if apply_:
            from ..review.apply import apply_review

            out["applied"] = apply_review(result).as_dict()
        echo_json(out)
        return
    _print(result, summary(result.items), quiet=is_quiet(ctx))  # the report before any write
    if apply_:
        from ..review.apply import apply_review

        _print_applied(apply_review(result))


def _print(result: object, line: str, *, quiet: bool) -> None:
    from rich.console import Console

    from ..review.report import table
    from ..review.run import Review

    assert isinstance(result, Review)
    console = Console(highlight=False, soft_wrap=False)
    if result.items:
        console.print(table(result.items))
    if not quiet or not result.items:
        of = ", ".join(x for x in (result.edition.name, result.document, result.cluster) if x)
        click.echo(f"{result.docx.name} ({of}): {line}")


def _print_applied(applied: object) -> None:
    from ..review.apply import Applied

    assert isinstance(applied, Applied)
    for path, numbers in applied.written.items():
        listed = ", ".join(f"#{n}" for n in numbers)
        click.echo(f"wrote {len(numbers)} item(s) into {path} as suggestions: {listed}")
    for number, why in applied.skipped:
        click.echo(f"not applied #{number}: {why}")
    for number, note in applied.notes:
        click.echo(f"note #{number}: {note}")
    for problem in applied.problems:
        click.echo(str(problem))
    if not applied.written:
        click.echo("nothing written")
