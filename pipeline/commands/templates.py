"""``netdocs templates``: check the Word templates against their documents' contexts."""

from __future__ import annotations

from pathlib import Path

import click

from ..errors import NotFoundError, ValidationError
from .common import echo_json, is_quiet, json_option, settings

CONTEXT_SETTINGS = {"help_option_names": ["-h", "--help"]}


@click.group(context_settings=CONTEXT_SETTINGS)
def templates() -> None:
    """Check and build the Word templates in templates/.

    \b
    Example:
      netdocs templates check                      check every template
      netdocs templates check templates/strategy.docx
      netdocs templates build                      create missing templates
    """


@templates.command("check", context_settings=CONTEXT_SETTINGS)
@click.argument("files", nargs=-1, type=click.Path(dir_okay=False, path_type=Path))
@json_option
@click.pass_context
def check_cmd(ctx: click.Context, files: tuple[Path, ...], as_json: bool) -> None:
    """Check templates against the variables their document type provides.

    Reports Jinja syntax errors (with the text around them), variables the context does not
    provide (with the closest names), Markdown blocks not placed as {{p name }}, {% include %},
    {% import %} and {% extends %} (not allowed), constants and nested loops over the limits
    of the sandbox, and files too large once unpacked, each with its part and paragraph.
    Checks every .docx in the templates folder when no FILE is given; exits 1 on a problem.

    \b
    Example:
      netdocs templates check
      netdocs templates check templates/handbook.docx --json
    """
    from ..documents.templates import specs
    from ..render.preflight import check_templates

    paths = list(files)
    if not paths:
        folder = settings(ctx).templates
        paths = sorted(p for p in folder.glob("*.docx") if not p.name.startswith("~$"))
        if not paths:
            raise NotFoundError(f"{folder}: no .docx templates found")
    for path in paths:
        if not path.is_file():
            raise NotFoundError(f"{path}: no such template")
    results = check_templates(paths, specs())
    problems = [p for found in results.values() for p in found]
    if as_json:
        echo_json(
            {
                "templates": [
                    {
                        "template": str(path),
                        "ok": not found,
                        "problems": [p.as_dict() for p in found],
                    }
                    for path, found in results.items()
                ]
            }
        )
    elif not is_quiet(ctx):
        for path, found in results.items():
            if not found:
                click.echo(f"ok     {path}")
    if any(p.level == "error" for p in problems):
        bad = sum(1 for found in results.values() if found)
        if as_json:
            ctx.exit(1)
        raise ValidationError(f"{bad} of {len(results)} templates have problems", problems)


def _build_help() -> str:
    from ..documents.templates import designs

    names = [Path(d.file).stem for d in designs()]
    listed = ", ".join(names[:-1]) + " and " + names[-1] if len(names) > 1 else names[0]
    return f"""Create the bundled templates in the templates folder.

    Writes {listed} .docx files. A template edited since it was generated is never
    overwritten without --force.

    \b
    Example:
      netdocs templates build
      netdocs templates build --force   replace edited templates
    """


@templates.command("build", context_settings=CONTEXT_SETTINGS, help=_build_help())
@click.option("--force", is_flag=True, help="Overwrite templates a designer has edited.")
@click.pass_context
def build_cmd(ctx: click.Context, force: bool) -> None:
    from ..documents.templates import build_templates

    folder = settings(ctx).templates
    for name, state in build_templates(folder, force).items():
        if not is_quiet(ctx):
            click.echo(f"{state:9} {folder / name}")
