"""Reproducible, atomic writing of .docx files.

python-docx stamps every zip entry with the current time; :func:`reproducible_zip` rewrites the
archive with one fixed time (and fixed attributes) so the same inputs give the same bytes.
:func:`atomic_write` (from :mod:`pipeline.fs`, re-exported here) writes next to the destination,
fsyncs and renames, so an interrupted build never leaves a half-written document behind. The
fallback time comes from :mod:`pipeline.repro`.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile

from docx.document import Document

from .. import repro
from ..fs import atomic_write as atomic_write  # re-exported: render writes through it

DEFAULT_TIMESTAMP = repro.FALLBACK
"""Used when neither the caller nor ``SOURCE_DATE_EPOCH`` gives a time."""


def timestamp_for(edition: str | None = None) -> dt.datetime:
    """The time stamped into a document: from the edition name, else ``SOURCE_DATE_EPOCH``.

    ``2026-05-14-meeting`` gives 2026-05-14, ``2026-annual-meeting`` gives 2026-01-01.
    """
    if edition:
        full = re.match(r"(\d{4})-(\d{2})-(\d{2})", edition)
        if full:
            try:
                year, month, day = (int(x) for x in full.groups())
                return dt.datetime(year, month, day, tzinfo=dt.UTC)
            except ValueError:
                pass
        only_year = re.match(r"(\d{4})\b", edition)
        if only_year:
            return dt.datetime(int(only_year.group(1)), 1, 1, tzinfo=dt.UTC)
    return repro.build_time()


def set_core_properties(
    document: Document,
    when: dt.datetime,
    title: str | None,
    subject: str | None = None,
    keywords: str | None = None,
) -> None:
    """Fix the dates and revision python-docx would take from the clock or the template, and
    describe the document: its ``title`` (the running title, which LibreOffice makes the PDF's
    title), ``subject`` (the kind of document and, for a per-cluster one, its cluster: "Action
    plan — Africa cluster") and ``keywords`` ("VETNoN; action plan; Africa cluster"); each
    ``None`` keeps the template's value."""
    props = document.core_properties
    naive = when.astimezone(dt.UTC).replace(tzinfo=None)
    props.created = naive
    props.modified = naive
    props.last_printed = naive
    props.revision = 1
    props.last_modified_by = "netdocs"
    if title is not None:
        props.title = title
    if subject is not None:
        props.subject = subject
    if keywords is not None:
        props.keywords = keywords


def document_bytes(document: Document, when: dt.datetime) -> bytes:
    """The .docx bytes of ``document`` with every zip entry dated ``when``."""
    raw = io.BytesIO()
    document.save(raw)
    return reproducible_zip(raw.getvalue(), when)


def reproducible_zip(data: bytes, when: dt.datetime) -> bytes:
    """Rewrite a zip archive with fixed entry times and attributes (entry order kept)."""
    stamp = when.astimezone(dt.UTC)
    date_time = (
        max(stamp.year, 1980),
        stamp.month,
        stamp.day,
        stamp.hour,
        stamp.minute,
        stamp.second,
    )
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=date_time)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.create_system = 0
            entry.external_attr = 0o644 << 16
            dst.writestr(entry, src.read(info.filename), compresslevel=6)
    return out.getvalue()
