"""``netdocs data``: check, summarise, snapshot and export the network's live data."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click

from ..errors import UsageError, ValidationError
from .common import (
    SourcesOption,
    as_of_option,
    data_option,
    echo_json,
    is_quiet,
    json_option,
    settings,
    source_phrases,
)

CTX = {"help_option_names": ["-h", "--help"]}

timeout_option = click.option(
    "--timeout",
    type=click.FloatRange(min=0.1),
    default=10.0,
    show_default=True,
    metavar="SECONDS",
    help="Deadline for reading an http(s) or database source, or writing to a database: the "
    "whole transfer, not each read.",
)


def _metavar() -> str:
    from ..network.sources import metavar

    return metavar()


def _load(ctx: click.Context, data_source: str | None, timeout: float) -> Any:
    """Load the data chosen by --data, netdocs.toml, or else the bundled sample."""
    from ..network import load_network

    # settings fall back to the bundled project (and its sample network) outside a project
    return load_network(settings(ctx, data=data_source).data, timeout=timeout)


class _DataGroup(click.Group):
    """``netdocs data``, whose help names the kinds of data source from their table when shown
    (see :class:`~pipeline.commands.common.SourcesOption`)."""

    def format_help_text(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        from ..network.sources import phrases

        self.help = (self.callback.__doc__ or "").format(sources=phrases("detail"))
        super().format_help_text(ctx, formatter)


COUNTED = {
    "organisations": "organisations",
    "clusters": "clusters",
    "activities": "activities",
    "partnerships": "partnerships",
    "risks": "risks",
    "milestones": "milestones",
    "budget_lines": "budget lines",
    "raci": "RACI rows",
    "periods": "reporting periods",
    "narratives": "narratives",
    "documents": "document statuses",
    "practices": "practices",
}
"""Records ``data check`` counts (``--json``: every key; the text: each one there is, and the
first four always)."""
ALWAYS_COUNTED = ("organisations", "clusters", "activities", "partnerships")


@click.group(cls=_DataGroup, context_settings=CTX)
def data() -> None:
    """Check, summarise, snapshot and export the network's live data.

    The data (members, clusters, strategy, activities, partnerships) is read from --data
    SOURCE, else from 'data' in netdocs.toml, else from the bundled sample in kb/network/.
    A source is {sources}.
    """


@data.command(
    "check", context_settings=CTX, short_help="Validate the data; report every problem at once."
)
@data_option
@timeout_option
@click.option("--strict", is_flag=True, help="Fail on warnings too (exit 1).")
@json_option
@click.pass_context
def check_cmd(
    ctx: click.Context, data_source: str | None, timeout: float, strict: bool, as_json: bool
) -> None:
    """Validate the network data and report every problem at once.

    Each problem names where it is (FILE:ROW:COLUMN, SHEET!CELL, table ... id=..., or a JSON
    path) and what to fix. Exit status: 0 when valid, 1 on errors (or on warnings with
    --strict); nothing is ever loaded from data with errors.

    \b
    Example:
      netdocs data check
      netdocs data check --data network.xlsx --strict
      netdocs data check --data sqlite:///network.db --json
    """
    try:
        snap = _load(ctx, data_source, timeout)
    except ValidationError as exc:
        if not as_json:
            raise
        echo_json({"ok": False, "problems": [p.as_dict() for p in exc.problems]})
        ctx.exit(1)
    warnings = list(snap.warnings)
    failed = strict and bool(warnings)
    net = snap.network
    counts = {key: len(getattr(net, key)) for key in COUNTED}
    if as_json:
        echo_json(
            {
                "ok": not failed,
                **snap.provenance(),
                "counts": counts,
                "problems": [p.as_dict() for p in warnings],
            }
        )
    else:
        for problem in warnings:
            click.echo(str(problem), err=True)
        if not is_quiet(ctx) or not failed:
            listed = ", ".join(
                f"{n} {COUNTED[k]}" for k, n in counts.items() if n or k in ALWAYS_COUNTED
            )
            state = "failed (strict)" if failed else "ok"
            click.echo(
                f"{state}: {net.network.short_name}, {listed}; {len(warnings)} warning(s); "
                f"sha256 {snap.sha256[:12]}"
            )
    ctx.exit(1 if failed else 0)


def _figures(ctx: click.Context, data_source: str | None, timeout: float, as_of: Any) -> Any:
    """The snapshot and the edition's figures, as the documents compute them."""
    from ..documents.common import edition_figures

    chosen = settings(ctx, data=data_source, as_of=as_of)
    snap = _load(ctx, data_source, timeout)
    return snap, edition_figures(chosen, snap)


@data.command(
    "summary",
    context_settings=CTX,
    short_help="Members, clusters (and their ids), activities, budgets, KPIs.",
)
@data_option
@timeout_option
@as_of_option
@click.option(
    "--days",
    type=click.IntRange(min=0),
    metavar="N",
    default=90,
    show_default=True,
    help="Renewals due within this many days are listed.",
)
@json_option
@click.pass_context
def summary_cmd(
    ctx: click.Context,
    data_source: str | None,
    timeout: float,
    as_of: Any,
    days: int,
    as_json: bool,
) -> None:
    """Summarise the network: members, clusters, activities, budgets, renewals, KPIs.

    Prints members per region and cluster, activities per status and aspiration, budget per
    funding source, renewals due in the next --days days, overdue activities, clusters
    without a coordinator (regional) or convener (thematic) and the current value of every
    KPI. Clusters are listed regional first, then thematic, each by name, with the id that
    --cluster takes under each name. Every number is the one the edition's documents print
    (the same figures, the same rounding: amounts exactly, percentages half up to a whole
    percent); --json keeps exact values (money and percentages as decimal strings), and
    lists the clusters as objects with their id and name, for scripts to loop over.

    \b
    Example:
      netdocs data summary
      netdocs data summary --as-of 2026-11-23 --days 30
      netdocs data summary --json | jq -r '.clusters[].id'
    """
    from ..network.summary import summarise

    snap, figures = _figures(ctx, data_source, timeout, as_of)
    result = summarise(snap, figures, days)
    if as_json:
        echo_json(result.model_dump(mode="json"))
        return
    _render_summary(result, figures, days, snap.network.strategy.aspirations)


@data.command(
    "figures", context_settings=CTX, short_help="The figures an article can cite, with values."
)
@data_option
@timeout_option
@as_of_option
@json_option
@click.pass_context
def figures_cmd(
    ctx: click.Context, data_source: str | None, timeout: float, as_of: Any, as_json: bool
) -> None:
    """List the figures an article can cite, with their values and definitions.

    An article states a number the data owns by citing the figure's name, as
    [[figure:NAME]] (for example "VETNoN tracks [[figure:kpis]] key performance
    indicators"). Every document, format and search snippet prints the value below in its
    place; `netdocs kb lint` reports an unknown name. A citation inside code is left as
    written.

    \b
    Example:
      netdocs data figures
      netdocs data figures --as-of 2026-10-31 --json
    """
    snap, figures = _figures(ctx, data_source, timeout, as_of)
    if as_json:
        echo_json({"as_of": figures.as_of.isoformat(), "sha256": snap.sha256,
                   "figures": [f.as_dict() for f in figures.network.values()]})  # fmt: skip
        return
    from rich.console import Console
    from rich.markup import escape
    from rich.table import Table

    from ..network.figures import DEFINITIONS

    t = Table(title=f"Figures as of {figures.as_of.isoformat()}", title_justify="left",
              title_style="bold")  # fmt: skip
    for name, justify in (("name", "left"), ("value", "right"), ("definition", "left")):
        t.add_column(name, justify=justify)  # type: ignore[arg-type]
    for name, definition in DEFINITIONS.items():
        figure = figures.network.get(name)
        value = figure.text if figure else "cannot be computed from this data"
        t.add_row(escape(f"[[figure:{name}]]"), escape(value),
                  escape(f"{definition.label}: {definition.definition}"))  # fmt: skip
    Console(highlight=False).print(t)


@data.command(
    "snapshot",
    context_settings=CTX,
    short_help="Freeze the data in a JSON snapshot (a source too).",
)
@data_option
@timeout_option
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path, allow_dash=True),
    default="-",
    show_default=True,
    help="File to write the snapshot to ('-' for standard output).",
)
@click.pass_context
def snapshot_cmd(ctx: click.Context, data_source: str | None, timeout: float, output: Path) -> None:
    """Freeze the network data in a JSON snapshot: data, source, read time and sha256.

    A snapshot is itself a valid --data source, so a past edition can be rebuilt from
    exactly the data it was built on. The sha256 covers the normalised data only, not the
    read time; set SOURCE_DATE_EPOCH to fix the read time for reproducible builds.

    \b
    Example:
      netdocs data snapshot -o outputs/network-2026.json
      netdocs data summary --data outputs/network-2026.json
    """
    snap = _load(ctx, data_source, timeout)
    if str(output) == "-":
        sys.stdout.write(snap.to_json())
        return
    from ..network.sources.writers import write_snapshot

    write_snapshot(snap, output)
    if not is_quiet(ctx):
        click.echo(f"wrote {output} (sha256 {snap.sha256[:12]})", err=True)


@data.command(
    "export", context_settings=CTX, short_help="Write the data to a workbook, database or files."
)
@data_option
@timeout_option
@click.option(
    "--to",
    "target",
    required=True,
    cls=SourcesOption,
    help_text=lambda: f"Where to write: {source_phrases(writable=True)}.",
    metavar_text=lambda: _metavar(),
)
@click.option("--force", is_flag=True, help="Replace existing files or database tables.")
@click.pass_context
def export_cmd(
    ctx: click.Context, data_source: str | None, timeout: float, target: str, force: bool
) -> None:
    """Write the network data to another kind of source, validated first.

    Lets a secretariat move from files to a workbook or a database without retyping. Files
    are written atomically; existing files or tables are kept unless --force is given.

    \b
    Example:
      netdocs data export --to network.xlsx
      netdocs data export --to sqlite:///network.db
      netdocs data export --data network.xlsx --to kb/network --force
    """
    from ..network import export_network

    if not target.strip():
        raise UsageError(f"--to must name {source_phrases(writable=True)}")
    snap = _load(ctx, data_source, timeout)
    written = export_network(snap, target, overwrite=force, timeout=timeout)
    if not is_quiet(ctx):
        net = snap.network
        click.echo(
            f"wrote {written}: {len(net.organisations)} organisations, {len(net.clusters)} "
            f"clusters, {len(net.activities)} activities"
        )


def _render_summary(result: Any, figures: Any, days: int, aspirations_of: Any) -> None:
    """Print a :class:`~pipeline.network.summary.Summary` as tables, with the documents' words
    and numbers (:class:`~pipeline.network.figures.Figures`)."""
    from rich.console import Console
    from rich.table import Table

    from ..network.figures import money_text, number_text

    console = Console(highlight=False)
    fig = figures

    numeric = {"members", "active", "all", "activities", "days left", "days late", "baseline",
               "current", "target", "progress", "budget", "due", "end", "value"}  # fmt: skip

    def table(title: str, *columns: str) -> Table:
        t = Table(title=title, title_justify="left", title_style="bold")
        for name in columns:
            t.add_column(name, justify="right" if name in numeric else "left")
        return t

    console.print(
        f"[bold]{result.network}[/bold] ({result.short_name}), {result.edition}: figures as of "
        f"{result.as_of} (sha256 {result.sha256[:12]})"
    )
    glance = table("The network at a glance", "figure", "value")
    for f in fig.network.values():
        glance.add_row(f.label, f.text)
    console.print(fit(console, glance))
    regions = table("Members per region", "region", "active", "all")
    for region, (active, every) in fig.members_per_region.items():
        regions.add_row(region, str(active), str(every))
    console.print(fit(console, regions))
    console.print(_cluster_table(console, result.clusters, table))
    statuses = table("Activities of every year, per status", "status", "activities")
    for status, n in result.activities_per_status.items():
        statuses.add_row(status, str(n))
    console.print(fit(console, statuses))
    aspirations = table("Activities of every year, per aspiration", "aspiration", "activities")
    titles = {a.id: a.title for a in aspirations_of}
    for aid, per in result.activities_per_aspiration.items():
        aspirations.add_row(f"{titles.get(aid, aid)} ({aid})", str(sum(per.values())))
    console.print(fit(console, aspirations))
    budget = table(
        "Budget per funding source (activities of every year, not cancelled)", "funding", "budget"
    )
    for funding, by_currency in fig.budget_by_funding.items():
        amounts = ", ".join(money_text(v, c) for c, v in by_currency.items())
        budget.add_row(funding or "no source named", amounts)
    console.print(fit(console, budget))
    renewals = table(f"Renewals due in the next {days} days", "organisation", "due", "days left")
    for r in result.renewals_due:
        renewals.add_row(f"{r.name} ({r.organisation}, {r.country})", str(r.renewal_due),
                         str(r.days_left))  # fmt: skip
    console.print(
        fit(console, renewals)
        if result.renewals_due
        else f"No renewals due in the next {days} days."
    )
    if result.renewals_overdue:
        late = table("Renewals overdue", "organisation", "due", "days late")
        for r in result.renewals_overdue:
            late.add_row(f"{r.name} ({r.organisation})", str(r.renewal_due), str(-r.days_left))
        console.print(fit(console, late))
    if result.overdue_activities:
        overdue = table("Overdue activities", "activity", "status", "end", "days late")
        for a in result.overdue_activities:
            overdue.add_row(f"{a.title} ({a.id})", a.status, str(a.end), str(a.days_overdue))
        console.print(fit(console, overdue))
    if result.clusters_without_lead:
        names = ", ".join(f"{c.name} ({c.id})" for c in result.clusters_without_lead)
        console.print(
            f"[bold]Clusters without a coordinator (regional) or convener (thematic):[/bold] "
            f"{names}"
        )
    else:
        console.print("Every regional cluster has a coordinator, every thematic one a convener.")
    kpis = table("KPIs", "KPI", "baseline", "current", "target", "progress")
    for k in fig.kpis:
        kpis.add_row(
            f"{k.name} ({k.id})", number_text(k.baseline, k.unit),
            "not computed" if k.current is None else number_text(k.current, k.unit),
            number_text(k.target, k.unit),
            "" if k.progress is None else number_text(k.progress, "%"),
        )  # fmt: skip
    console.print(fit(console, kpis))


def fit(console: Any, table: Any) -> Any:
    """``table``, narrowed by :func:`fits` where it has to be."""
    fits(console, table)
    return table


def fits(console: Any, table: Any) -> bool:
    """Give ``table`` column widths that fit the terminal without cutting a word, if it can
    have them: the widest columns are narrowed first, none below its longest word (rich, left
    alone, narrows a column below it and cuts the word with "…"). False (the table left to
    rich) when its words cannot fit however it is narrowed."""
    from rich.measure import Measurement

    unbounded = console.options.update_width(10 * console.options.max_width + 1000)
    columns = table.columns
    sizes = [
        [Measurement.get(console, unbounded, cell) for cell in (c.header, *c.cells)]
        for c in columns
    ]
    lows = [max(m.minimum for m in found) for found in sizes]
    widths = [max(m.maximum for m in found) for found in sizes]
    # each column is padded by a space either side, with a rule before each and after the last
    room = console.options.max_width - 3 * len(columns) - 1
    if sum(widths) <= room:
        return True
    if sum(lows) > room:
        return False
    while sum(widths) > room:
        widest = max((i for i, w in enumerate(widths) if w > lows[i]), key=widths.__getitem__)
        widths[widest] -= 1
    for column, width in zip(columns, widths, strict=True):
        column.width = width
    return True


CLUSTERS_TITLE = "Clusters (under each name, the id that --cluster takes)"


def _cluster_table(console: Any, clusters: list[Any], table: Any) -> Any:
    """The clusters, regional ones then thematic ones, each under its name with its id whole
    on a line of its own (what a coordinator copies for ``--cluster``): a table with a column
    per number where that fits the terminal without cutting a word, else two columns, the
    numbers in words. (An id is one word: :func:`fits` never narrows a column below it.)"""
    from rich.text import Text

    def cluster(c: Any) -> Text:
        return Text.assemble(c.name, "\n", (c.id, "cyan"))

    def lead(c: Any) -> str:
        return c.coordinator_name or (f"{c.convener} (convener)" if c.convener else "")

    def rows(t: Any, cells: Any) -> Any:
        t.columns[0].overflow = "fold"  # a terminal too narrow even so: folded, never cut
        for kind in ("regional", "thematic"):
            group = [c for c in clusters if c.kind == kind]
            if not group:
                continue
            t.add_row(Text(kind, style="bold italic"))
            for i, c in enumerate(group):
                t.add_row(cluster(c), *cells(c), end_section=i == len(group) - 1)
        return t

    wide = rows(
        table(CLUSTERS_TITLE, "cluster", "members", "active", "activities",
              "coordinator or convener"),
        lambda c: (str(c.members), str(c.active_members), str(c.activities),
                   Text(lead(c)) if lead(c) else Text("none", style="red")),
    )  # fmt: skip
    if fits(console, wide):
        return wide

    def about(c: Any) -> Text:
        said = Text(f"{c.members} members ({c.active_members} active), {c.activities} activities; ")
        who = lead(c).removesuffix(" (convener)")
        role = "coordinator" if c.kind == "regional" else "convener"
        return said + (Text(f"{role} {who}") if who else Text(f"no {role}", style="red"))

    narrow = rows(table(CLUSTERS_TITLE, "cluster", "members, activities, lead"),
                  lambda c: (about(c),))  # fmt: skip
    return fit(console, narrow)
