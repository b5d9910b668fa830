"""What every document module shares: its inputs, Markdown helpers, formatting, sources.

Data values enter Markdown only through :func:`md` (every ASCII punctuation character
backslash-escaped, which CommonMark guarantees to print literally), so a member called
``*Stars* & <Co> [1]`` prints exactly so and never becomes formatting or a link.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from .. import __version__
from ..config import Settings
from ..errors import KBError, TemplateError
from ..fs import sha256_text
from ..kb.model import Article, KnowledgeBase, listing_key
from ..kb.resources import IMAGE_KINDS, IMAGE_SIGNATURES
from ..network import Snapshot
from ..network.figures import (
    Figures,
    compute_figures,
    is_currency,
    money_column,
    money_text,
    number_text,
    percent_text,
)
from ..network.model import ROLES, Activity, Cluster, NetworkData, Organisation, Risk
from ..render import MarkdownBlock, Picture
from ..typography import MAX_YEARS as MAX_YEARS
from ..typography import ranged as ranged
from .articles import article_block as article_block
from .articles import link_resolver as link_resolver
from .deps import Dependencies, RecordedKB, Recorder

_PUNCT = re.compile(r"([!-/:-@\[-`{-~])")


class Inputs:
    """Everything a document is built from, and the only way a document reaches it.

    The knowledge base (:attr:`kb`, a :class:`~pipeline.documents.deps.RecordedKB`), the data
    (:attr:`data`, :attr:`snapshot`, :attr:`cluster`), the figures (:attr:`fig`), the edition's
    dates (:attr:`today`, :attr:`meeting`), its display name (:attr:`title`) and the changes
    text (:attr:`changes`) are noted as they are read; :meth:`dependencies` is the record, the
    document's rebuild key (:mod:`pipeline.documents.deps`).
    """

    def __init__(
        self,
        kb: KnowledgeBase,
        snapshot: Snapshot,
        settings: Settings,
        template: Path,
        cluster: Cluster | None = None,
        changes: str = "",
        figures: Figures | None = None,
    ) -> None:
        self._record = Recorder()
        self._kb = kb
        self._snapshot = snapshot
        self.settings = settings
        """Project settings (paths; read the edition's values through this object)."""
        self.template = template
        """The template the document is rendered with."""
        self._cluster = cluster
        self._changes = changes
        self._figures = figures or edition_figures(settings, snapshot)

    def dependencies(self) -> Dependencies:
        """What the document read so far, with the values it had."""
        return self._record.freeze()

    @property
    def kb(self) -> RecordedKB:
        """The knowledge base; every article reached is noted."""
        return RecordedKB(self._kb, self._record)

    def _data(self) -> None:
        self._record.data = self._snapshot.sha256

    @property
    def snapshot(self) -> Snapshot:
        """The network data as read, with its provenance."""
        self._data()
        return self._snapshot

    @property
    def data(self) -> NetworkData:
        self._data()
        return self._snapshot.network

    @property
    def cluster(self) -> Cluster | None:
        """The cluster a per-cluster document is restricted to (part of the data)."""
        if self._cluster is not None:
            self._data()
        return self._cluster

    @property
    def changes(self) -> str:
        """Markdown describing what changed since the last edition ('' when there is none)."""
        self._record.changes = sha256_text(self._changes)
        return self._changes

    @property
    def today(self) -> date:
        """The edition's as-of date: every figure, overdue flag and renewal is computed for it."""
        self._record.as_of = self._figures.as_of.isoformat()
        return self._figures.as_of

    @property
    def fig(self) -> Figures:
        """The edition's figures: computed from the data for the as-of and meeting days."""
        self._data()
        self._record.as_of = self._figures.as_of.isoformat()
        self._record.meeting = self._meeting().isoformat()
        return self._figures

    figures = fig

    def _meeting(self) -> date:
        return self.settings.meeting_date or self._snapshot.network.network.meeting.date

    @property
    def meeting(self) -> date:
        """The edition's meeting date (``netdocs.toml``, else the data)."""
        day = self._meeting()
        self._record.meeting = day.isoformat()
        return day

    @property
    def title(self) -> str:
        """The edition's display name."""
        self._record.title = self.settings.title
        return self.settings.title

    def kb_file(self, rel: str) -> None:
        """Note that the document reads the KB file ``rel`` (an image) besides articles."""
        self._record.file(self._kb.root, rel)


def edition_figures(settings: Settings, snapshot: Snapshot) -> Figures:
    """The figures of the edition ``settings`` describe, from ``snapshot``."""
    as_of = settings.as_of_for(snapshot.read_at.date())
    meeting = settings.meeting_date or snapshot.network.network.meeting.date
    return compute_figures(snapshot.network, as_of, snapshot.sha256, meeting)


@dataclass
class Plan:
    """A document's context and what it was made from."""

    context: dict[str, Any]
    """Plain values, Markdown blocks and charts for the template."""
    articles: list[Article] = field(default_factory=list)
    """KB articles the document uses, in order."""
    properties: dict[str, str] = field(default_factory=dict)
    """Its docx core properties besides the title (the context's ``running_title``) and the
    dates: ``subject`` and ``keywords``, for :func:`~pipeline.render.output.
    set_core_properties` (:meth:`~.types.DocumentType.properties`)."""


# -- Markdown ----------------------------------------------------------------------------------


def md(value: object) -> str:
    """Data as literal Markdown text: punctuation escaped, line breaks folded.

    Never called with a missing value: each caller says in words what a missing one means."""
    if value is None:
        raise ValueError("md() of a missing value: say what it means instead")
    text = " ".join(str(value).split())
    return _PUNCT.sub(r"\\\1", text)


def md_or(value: object, missing: str) -> str:
    """``md(value)``, or the Markdown ``missing`` when the value is absent or empty."""
    return missing if value is None or not str(value).strip() else md(value)


def table(
    headers: Sequence[str], rows: Iterable[Sequence[object]], right: Sequence[int] = ()
) -> str:
    """A pipe table; cells are already Markdown (use :func:`md` for data)."""
    aligns = ["---:" if i in right else "---" for i in range(len(headers))]
    lines = ["| " + " | ".join(headers) + " |", "| " + " | ".join(aligns) + " |"]
    count = 0
    for row in rows:
        lines.append("| " + " | ".join(str(c).replace("\n", " ") for c in row) + " |")
        count += 1
    if not count:
        return "_None._"
    return "\n".join(lines)


def bullets(items: Iterable[str], empty: str = "_None._") -> str:
    lines = [f"- {item}" for item in items]
    return "\n".join(lines) if lines else empty


# -- formatting --------------------------------------------------------------------------------


@dataclass(frozen=True)
class DateStyle:
    """How one language prints a day, in prose and in tables."""

    months: tuple[str, ...]
    """The months' names, January first ("October")."""
    abbreviations: tuple[str, ...]
    """The months' names in tables, January first ("Oct")."""
    pattern: str = "{day} {month} {year}"
    """The order of day, month and year ("31 October 2026")."""
    first: str = ""
    """How the first day of a month is written, when not as a number ("1er" in French)."""


DATE_STYLES: dict[str, DateStyle] = {
    "en": DateStyle(
        months=("January", "February", "March", "April", "May", "June", "July", "August",
                "September", "October", "November", "December"),
        abbreviations=("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct",
                       "Nov", "Dec"),
    ),
    "fr": DateStyle(
        months=("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août",
                "septembre", "octobre", "novembre", "décembre"),
        abbreviations=("janv.", "févr.", "mars", "avr.", "mai", "juin", "juil.", "août",
                       "sept.", "oct.", "nov.", "déc."),
        first="1er",
    ),
}  # fmt: skip
"""Language code -> its date style. Every document prints a day one way per language: day,
month, year ("31 October 2026") in prose and with the month abbreviated ("1 Nov 2025") in
tables, where a full month would widen a date column by half (and "30 September 2026" wrap);
ISO days (2026-10-31) appear only in machine parts (the sources appendix's time the data was
read, file names, JSON). Month names come from this table, never from the machine's locale."""

DOCUMENT_LANGUAGE = "en"
"""The language the documents' own words are written in, and so their dates: a date must read
like the sentence around it, whatever the knowledge base's languages."""


def date_style(language: str = DOCUMENT_LANGUAGE) -> DateStyle:
    """The date style of ``language`` (``en``, ``fr``, ``en-GB``: its first part), English for a
    language the table does not know."""
    return DATE_STYLES.get(language.split("-")[0].casefold(), DATE_STYLES["en"])


def _day(value: date, months: tuple[str, ...], style: DateStyle) -> str:
    day = style.first if value.day == 1 and style.first else str(value.day)
    return style.pattern.format(day=day, month=months[value.month - 1], year=value.year)


def long_date(value: date, language: str = DOCUMENT_LANGUAGE) -> str:
    """A day in prose: "31 October 2026"."""
    style = date_style(language)
    return _day(value, style.months, style)


def short_date(value: date, language: str = DOCUMENT_LANGUAGE) -> str:
    """A day in a table cell: "1 Nov 2025", held on one line by no-break spaces."""
    style = date_style(language)
    return _day(value, style.abbreviations, style).replace(" ", "\u00a0")


def date_range(start: date, end: date, short: bool = False) -> str:
    """Two days as a range, joined by a spaced en dash: "1 October 2025 – 30 September 2026"
    (``short``: "24 Apr 2026 – 27 Jan 2027", for a table)."""
    shown = short_date if short else long_date
    return f"{shown(start)} \u2013 {shown(end)}"


def read_time(when: dt.datetime) -> str:
    """When the data was read, as a table prints it: "1 Dec 2026, 20:26 UTC" (the day in the
    table style of :func:`short_date`, the time in UTC to the minute)."""
    utc = when.astimezone(dt.UTC) if when.tzinfo is not None else when
    return f"{short_date(utc.date())}, {utc:%H:%M}\u00a0UTC"


def money(amount: Decimal, currency: str = "EUR", cents: bool | None = None) -> str:
    """An amount exactly as it is (:func:`~pipeline.network.figures.money_text`), its currency
    held to the number by a no-break space (a narrow column never wraps "EUR" alone)."""
    return money_text(amount, currency, cents).replace(" ", "\u00a0", 1)


def number(value: Decimal | int, unit: str = "") -> str:
    """A value in ``unit`` (:func:`~pipeline.network.figures.number_text`), kept on one line."""
    return number_text(value, unit).replace(" ", "\u00a0", 1)


def values_in(unit: str, *values: Decimal) -> list[str]:
    """Values of one table row in ``unit``, printed alike (amounts all with cents when one has
    cents)."""
    if is_currency(unit):
        return [m.replace(" ", "\u00a0", 1) for m in money_column(list(values), unit)]
    return [number(v, unit) for v in values]


def percent(value: Decimal) -> str:
    """A percentage, rounded once, half up, to a whole percent."""
    return percent_text(value).replace(" ", "\u00a0")


# -- the network -------------------------------------------------------------------------------


def strategy_period(data: NetworkData) -> str:
    """The strategy's period as documents print it, plain text: "2025–2029" (the data's
    ``2025-2029`` with an en dash, :func:`ranged`)."""
    return ranged(data.strategy.period)


def organisations(data: NetworkData) -> dict[str, Organisation]:
    return {o.id: o for o in data.organisations}


def org_name(data: NetworkData | dict[str, Organisation], org_id: str) -> str:
    """Escaped name of an organisation (its id when it is not a member)."""
    orgs = data if isinstance(data, dict) else organisations(data)
    org = orgs.get(org_id)
    return md(org.name if org else org_id)


def role_name(role: str) -> str:
    """A role of :data:`~pipeline.network.model.ROLES` as printed: ``Cluster coordinator``."""
    return role.replace("-", " ").capitalize()


def owner_name(data: NetworkData | dict[str, Organisation], owner: str | None) -> str:
    """Escaped name of who owns a KPI, risk or milestone: a role's name (``Secretariat``), an
    organisation's name, else the id as written; "not recorded" when there is none."""
    if not owner:
        return "not recorded"
    if owner in ROLES:
        return md(role_name(owner))
    return org_name(data, owner)


def by_score(risks: Iterable[Risk]) -> list[Risk]:
    """Risks as every register prints them: highest score first, then the likelier, then by
    id."""
    return sorted(risks, key=lambda r: (-r.score, -r.likelihood, r.id))


def cluster_activities(data: NetworkData, cluster: Cluster | None) -> list[Activity]:
    """Activities of ``cluster`` (all activities when None), sorted by start and id."""
    acts = [a for a in data.activities if cluster is None or a.cluster == cluster.id]
    return sorted(acts, key=lambda a: (a.start, a.id))


def leader_line(data: NetworkData, cluster: Cluster) -> str:
    """Who leads the cluster, as plain text for a cover (not Markdown)."""
    orgs = organisations(data)
    if cluster.coordinator and cluster.coordinator in orgs:
        return f"coordinated by {orgs[cluster.coordinator].name}"
    if cluster.convener:
        return f"convened by {cluster.convener}"
    return "without a coordinator or convener"


# -- KB articles -------------------------------------------------------------------------------


def cited(inputs: Inputs, text: str, markdown: bool = True) -> str:
    """``text`` with its figure citations replaced by the edition's values; the figures (and
    so the data and the edition's dates) are read only when it cites one."""
    from ..kb.figrefs import find_citations, substitute

    if not find_citations(text):
        return text
    return substitute(text, inputs.fig.citations(), markdown=markdown)


def plain_text(inputs: Inputs, text: str) -> str:
    """Plain text taken from an article (a glossary definition, a summary) with its figure
    citations replaced by the edition's values, unescaped (pass it through :func:`md`)."""
    return cited(inputs, text, markdown=False)


def block(text: str, name: str, level: int = 2) -> MarkdownBlock:
    """Generated Markdown whose ``#`` headings become headings of ``level``."""
    return MarkdownBlock(text, heading_offset=level - 1, name=name)


def pick(kb: KnowledgeBase, *ids: str) -> list[Article]:
    """The articles with these ids that exist, in the order given."""
    if isinstance(kb, RecordedKB):
        return kb.pick(*ids)
    by_id = kb.by_id()
    return [by_id[i] for i in ids if i in by_id]


def of_type(kb: KnowledgeBase, kind: str) -> list[Article]:
    """The articles of type ``kind`` in the KB's listing order: by step, then ``order``,
    then title (:func:`~pipeline.kb.model.listing_key`)."""
    return sorted(kb.of_type(kind), key=listing_key)


# -- cover and sources -------------------------------------------------------------------------


LOGO = "logo.png"
"""File name of the network's logo, in ``templates/`` (a designer's) or the KB's ``images/``."""


def cover(
    inputs: Inputs,
    title: str,
    subtitle: str,
    document: str,
    period: str = "",
) -> dict[str, Any]:
    """The variables every template's cover, header and footer use (:data:`~pipeline.render.
    catalog.COMMON`): the network, the edition, the document's ``title`` and ``subtitle``, the
    ``period`` it covers ('' for none), the status of the document type ``document``
    (:func:`status_line`) and the network's logo (:func:`logo`)."""
    net = inputs.data.network
    return {
        "network_name": net.name,
        "network_short": net.short_name,
        "edition": inputs.title,
        "title": title,
        "running_title": title,
        "subtitle": subtitle,
        "date": long_date(inputs.meeting),
        "period": period,
        "status": status_line(inputs, document),
        "logo": logo(inputs),
    }


def status_line(inputs: Inputs, document: str) -> str:
    """The cover's status of the document type ``document``: "Adopted on 8 October 2025"
    when the data records it adopted, else "Draft for the annual meeting in Lisbon,
    6 October 2026" (a document with no status recorded is a draft)."""
    data = inputs.data
    recorded = data.document_status(document) if document else None
    if recorded is not None and recorded.status == "adopted" and recorded.adopted is not None:
        return f"Adopted on {long_date(recorded.adopted)}"
    return (
        f"Draft for the annual meeting in {data.network.meeting.city}, {long_date(inputs.meeting)}"
    )


def logo(inputs: Inputs) -> Picture | str:
    """The network's logo for the cover: ``templates/logo.png`` when a designer put one there,
    else the knowledge base's ``images/logo.png``, else '' (a cover without a logo). Both
    places are noted among the document's dependencies, so adding, changing or removing a
    logo rebuilds it. Raises :class:`~pipeline.errors.TemplateError` (``templates/``) or
    :class:`~pipeline.errors.KBError` naming the file when it is unreadable or not a PNG, JPEG
    or GIF image."""
    kb_root = inputs.kb.root
    designed = inputs.settings.templates / LOGO
    inputs.kb_file(_relative(designed, kb_root))
    if designed.is_file():
        path = designed
    else:
        inputs.kb_file(f"images/{LOGO}")
        path = kb_root / "images" / LOGO
        if not path.is_file():
            return ""
    error = TemplateError if path == designed else KBError
    shown = shown_source(str(path), inputs.settings.root)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise error(
            f"{shown}: cannot read the logo ({exc.strerror or exc}); make it readable, or "
            "remove it to print covers without a logo"
        ) from exc
    if not any(data.startswith(sig) for sigs in IMAGE_SIGNATURES.values() for sig in sigs):
        raise error(
            f"{shown}: the logo is not a {IMAGE_KINDS} image; save it again as a PNG, or "
            "remove it to print covers without a logo"
        )
    return Picture(data, alt=f"{inputs.data.network.short_name} logo", width_mm=LOGO_WIDTH_MM)


LOGO_WIDTH_MM = 60.0
"""Width of the logo on the cover."""


def _relative(path: Path, root: Path) -> str:
    """``path`` relative to ``root`` (with ``..`` when outside it), as the dependency record
    keys files; absolute when there is no relative path (another drive)."""
    try:
        return Path(os.path.relpath(path.resolve(), root.resolve())).as_posix()
    except ValueError:
        return path.resolve().as_posix()


def sources(inputs: Inputs, articles: Sequence[Article], note: str = "") -> MarkdownBlock:
    """The sources appendix: KB articles used, data snapshot, template and netdocs version."""
    snap = inputs.snapshot
    seen: set[str] = set()
    rows = []
    for a in articles:
        if a.id in seen:
            continue
        seen.add(a.id)
        updated = short_date(a.meta.updated) if a.meta.updated else "no date recorded"
        rows.append((md(a.id), md(a.title), updated, md(a.path)))
    parts = []
    if note:
        parts.append(note)
    parts += [
        "# Knowledge-base articles used",
        table(["Id", "Title", "Last updated", "File"], rows),
        "# Network data",
        table(
            ["Source", "Read at", "SHA-256"],
            [
                (
                    md(shown_source(snap.source, inputs.settings.root)),
                    md(read_time(snap.read_at)),
                    md(snap.sha256),
                )
            ],
        ),
        "# Template and tool",
        table(
            ["Template", "netdocs version"],
            [(md(inputs.template.name), md(__version__))],
        ),
    ]
    return block("\n\n".join(parts), "sources", level=2)


def shown_source(source: str, root: Path) -> str:
    """A data source as readers should see it: relative to the project when inside it, so that
    no output names a folder of the build machine."""
    try:
        return Path(source).resolve().relative_to(root.resolve()).as_posix()
    except (ValueError, OSError):
        return source
