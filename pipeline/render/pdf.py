"""PDF from .docx: a conversion step through a named engine (LibreOffice), not a writer.

Many files go through **one** headless LibreOffice (starting one costs about 2 s), driven over
UNO by a small worker script (:mod:`.uno_worker`) that runs under a Python able to
``import uno`` (Debian: the system ``python3`` with ``python3-uno``). For each file LibreOffice
loads the .docx hidden, **updates the table of contents** (``soffice --convert-to pdf`` would
print the stored entries without page numbers), exports the PDF and reports the page number of
every entry and heading. Those numbers are then written into the .docx's own TOC entries
(:func:`.toc.number_toc_file`: deterministic, only ``word/document.xml`` changes, and the
stored page count of the footers' ``NUMPAGES``), so the published .docx and .pdf show the same
table.

Library API::

    with PdfConverter() as conv:                      # finds soffice and a Python with uno
        result = conv.convert(Path("out/handbook.docx"))   # -> out/handbook.pdf
        result.pages, result.toc, result.page_map, result.seconds, result.toc_numbered
        batch = conv.convert_many([Path("a.docx"), (Path("b.docx"), Path("pdf/b.pdf"))])
        batch.results, batch.errors                   # a failed file does not stop the batch

- :class:`PdfConverter` ``(*, soffice=None, python=None, timeout=120, number_docx_toc=True,
  require_toc_pages=False, heading_pages=False)``: ``soffice`` / ``python`` override the tools
  found (also through ``NETDOCS_SOFFICE`` / ``NETDOCS_UNO_PYTHON``); ``timeout`` is per file;
  with ``number_docx_toc`` the page numbers go into the .docx too; ``heading_pages`` asks for
  the physical page of every heading, not only of those in the TOC (slower: about 2 ms a
  heading). LibreOffice starts in the background when the ``with`` block is entered, so it
  gets ready while the caller renders the .docx files (:attr:`PdfConverter.starts` counts the
  starts). It is restarted once when it dies during a file (that file is tried again); a file
  that times out or kills it twice fails alone, and the next file starts a fresh one. Leaving
  the ``with`` block, also on Ctrl-C, stops LibreOffice and removes its private profile.
- :meth:`PdfConverter.convert` returns a :class:`PdfResult` or raises :class:`RenderError`
  naming the file; :meth:`PdfConverter.convert_many` returns a :class:`PdfBatch`.
- :func:`convert_to_pdf` ``(docx, pdf=None)``: one file, the .docx left as it is.

Missing tools: no LibreOffice is a :class:`ToolMissingError` with the install command
(:data:`INSTALL_HINT`). LibreOffice without ``python3-uno`` still makes PDFs: the converter
falls back to one ``soffice --convert-to pdf`` process for all files of a batch, whose tables
of contents list the headings without page numbers (:attr:`PdfConverter.notice` says so and how
to install ``python3-uno``); ``require_toc_pages=True`` makes that a :class:`ToolMissingError`.

PDFs are written next to their final name and renamed into place, so a failed conversion
leaves nothing behind.
"""

from __future__ import annotations

import logging
import os
import re
import shutil
import tempfile
import time
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType
from typing import Any, Literal

from ..errors import RenderError, ToolMissingError
from ..fs import move_into_place
from . import libreoffice
from .libreoffice import Office, OfficeGone, OfficeTimeout, convert_batch, uno_python
from .toc import TocEntry, number_toc_file, toc_levels

log = logging.getLogger(__name__)

INSTALL_HINT = (
    "LibreOffice is needed to make PDFs: install it with "
    "'apt-get install --no-install-recommends libreoffice-writer-nogui' (Debian/Ubuntu), "
    "'brew install --cask libreoffice' (macOS) or from https://www.libreoffice.org"
)
UNO_APT = "apt-get install -y --no-install-recommends python3-uno"
UNO_HINT = (
    "python3-uno (LibreOffice's Python bridge) is needed for page numbers in the tables of "
    f"contents: install it with '{UNO_APT}' (Debian/Ubuntu; the LibreOffice packages from "
    "libreoffice.org include it), or name a Python that can 'import uno' in NETDOCS_UNO_PYTHON"
)
TIMEOUT_SECONDS = 120.0
"""Default time one file may take (loading, updating the TOC, exporting)."""

Engine = Literal["uno", "batch"]


@dataclass(frozen=True)
class HeadingPage:
    """A heading of the document and the page it is on."""

    level: int
    """Outline level (1 for Heading 1)."""
    text: str
    """The heading text."""
    page: int
    """Page the heading starts on: the physical page of the PDF (1-based) with
    ``heading_pages``, else the number its TOC entry prints (the same for netdocs' templates,
    which number pages from the cover)."""


@dataclass
class PdfResult:
    """One converted file."""

    docx: Path
    """The input .docx."""
    pdf: Path
    """The PDF written."""
    pages: int | None
    """Pages of the PDF."""
    toc: tuple[TocEntry, ...] = ()
    """The table of contents as printed in the PDF, page numbers included (empty without
    UNO or without a TOC)."""
    headings: tuple[HeadingPage, ...] = ()
    """The headings with their page: those in the TOC, or with ``heading_pages`` every
    ``Heading n`` paragraph (empty without UNO)."""
    seconds: float = 0.0
    """Time spent on this file (a share of the batch in the fallback)."""
    toc_numbered: int = 0
    """TOC entries of the .docx given their page number."""

    @property
    def page_map(self) -> dict[str, int]:
        """Heading text → page (the first heading of that text when several share it)."""
        pages: dict[str, int] = {}
        for heading in self.headings:
            pages.setdefault(heading.text, heading.page)
        return pages


@dataclass
class PdfBatch:
    """What :meth:`PdfConverter.convert_many` made: the PDFs and the files that failed."""

    results: list[PdfResult] = field(default_factory=list)
    """One result per converted file, in input order."""
    errors: list[RenderError] = field(default_factory=list)
    """One error per failed file, naming it."""
    seconds: float = 0.0
    """Wall time of the batch."""

    def raise_errors(self) -> None:
        """Raise one :class:`RenderError` listing every failed file, if any failed."""
        if self.errors:
            lines = "\n".join(f"  {e.format_message()}" for e in self.errors)
            raise RenderError(f"{len(self.errors)} file(s) not converted to PDF:\n{lines}")


Job = Path | tuple[Path, Path | None]


class PdfConverter:
    """Converts .docx files to PDF through one LibreOffice process (see the module doc)."""

    def __init__(
        self,
        *,
        soffice: str | Path | None = None,
        python: str | Path | None = None,
        timeout: float = TIMEOUT_SECONDS,
        start_timeout: float = 60.0,
        number_docx_toc: bool = True,
        require_toc_pages: bool = False,
        heading_pages: bool = False,
    ) -> None:
        found = libreoffice.soffice_path(soffice)
        if found is None:
            named = soffice or os.environ.get(libreoffice.SOFFICE_ENV)
            where = f" (no executable at {named!r})" if named else ""
            raise ToolMissingError(f"{INSTALL_HINT}{where}")
        self.soffice: str = found
        self.python: str | None = uno_python(found, python)
        if self.python is None and (require_toc_pages or python is not None):
            raise ToolMissingError(UNO_HINT)
        self.engine: Engine = "uno" if self.python else "batch"
        """``uno`` (TOC page numbers) or ``batch`` (plain ``soffice --convert-to pdf``)."""
        self.notice: str | None = None if self.python else f"no page numbers in TOCs: {UNO_HINT}"
        """Why the PDFs lack something, for the user; ``None`` when nothing is missing."""
        self.timeout = timeout
        self.start_timeout = start_timeout
        self.number_docx_toc = number_docx_toc
        self.heading_pages = heading_pages
        self.starts = 0
        """How many times LibreOffice was started (1 for a batch, 2 after a restart)."""
        self._office: Office | None = None
        if self.notice:
            log.warning("%s", self.notice)

    def __enter__(self) -> PdfConverter:
        self.start()
        return self

    def start(self) -> None:
        """Start LibreOffice in the background (the first file waits for it to be ready).

        Entering the ``with`` block calls it, so LibreOffice starts while the caller is still
        rendering .docx files. Does nothing in the fallback (one process per batch there).
        """
        if self.engine == "uno" and self._office is None:
            assert self.python is not None
            self._office = Office(self.soffice, self.python, start_timeout=self.start_timeout)
            self.starts += 1

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        """Stop LibreOffice and remove its profile (safe to call twice)."""
        if self._office is not None:
            office, self._office = self._office, None
            office.stop()

    # -- conversion ----------------------------------------------------------------------------

    def convert(self, docx: Path, pdf: Path | None = None) -> PdfResult:
        """Convert ``docx`` to ``pdf`` (default: next to it, suffix ``.pdf``).

        Raises :class:`RenderError` naming the file when it cannot be converted.
        """
        if self.engine == "batch":
            batch = self.convert_many([(docx, pdf)])
            batch.raise_errors()
            return batch.results[0]
        source, target = _check_job(docx, pdf)
        started = time.monotonic()
        staged = target.with_name(f".{target.name}.{uuid.uuid4().hex[:8]}.tmp")
        target.parent.mkdir(parents=True, exist_ok=True)
        try:
            answer = self._request_with_restart(source, staged)
            if not answer.get("ok"):
                raise RenderError(
                    f"{source}: LibreOffice could not convert it to PDF: "
                    f"{answer.get('error', 'unknown error')}"
                )
            if not staged.is_file():
                raise RenderError(f"{source}: LibreOffice wrote no PDF")
            move_into_place(staged, target)
        finally:
            staged.unlink(missing_ok=True)
        if self.heading_pages:
            headings = tuple(
                HeadingPage(int(lv), str(t), int(p)) for lv, t, p in answer["headings"]
            )
            toc = _toc_with_levels(answer["toc"], [(h.level, h.text) for h in headings])
        else:
            toc = _toc_with_levels(answer["toc"], toc_levels(source) if answer["toc"] else [])
            headings = tuple(
                HeadingPage(e.level, e.text, int(e.page)) for e in toc if e.page.isdigit()
            )
        numbered = (
            number_toc_file(source, toc, pages=int(answer["pages"])) if self.number_docx_toc else 0
        )
        seconds = time.monotonic() - started
        log.debug("%s: LibreOffice steps %s", source, answer.get("timing"))
        log.info("%s: %d pages, %d TOC entries, %.2f s", target, answer["pages"], len(toc), seconds)
        return PdfResult(source, target, int(answer["pages"]), toc, headings, seconds, numbered)

    def convert_many(self, jobs: Iterable[Job]) -> PdfBatch:
        """Convert every job (a .docx, or a .docx and its PDF path); failures are collected."""
        started = time.monotonic()
        pairs = [job if isinstance(job, tuple) else (job, None) for job in jobs]
        if self.engine == "batch":
            batch = self._fallback(pairs)
        else:
            batch = PdfBatch()
            for docx, pdf in pairs:
                try:
                    batch.results.append(self.convert(docx, pdf))
                except RenderError as exc:
                    log.warning("%s", exc.format_message())
                    batch.errors.append(exc)
        batch.seconds = time.monotonic() - started
        return batch

    def _office_started(self) -> Office:
        self.start()
        assert self._office is not None
        try:
            self._office.wait_ready()
        except (OfficeGone, OfficeTimeout) as exc:
            detail = self._office.log_tail()
            self.close()
            raise RenderError(
                f"LibreOffice ({self.soffice}) did not start: {exc}"
                + (f"\n{detail}" if detail else "")
            ) from exc
        return self._office

    def _request_with_restart(self, source: Path, staged: Path) -> dict[str, Any]:
        message = {
            "op": "convert",
            "docx": str(source),
            "pdf": str(staged),
            "headings": self.heading_pages,
        }
        for attempt in (1, 2):
            office = self._office_started()
            try:
                return office.request(message, self.timeout)
            except OfficeTimeout as exc:
                self.close()
                raise RenderError(f"{source}: {exc} (LibreOffice was stopped)") from exc
            except OfficeGone as exc:
                detail = office.log_tail()
                self.close()
                if attempt == 2:
                    raise RenderError(
                        f"{source}: LibreOffice stopped twice while converting it: {exc}"
                        + (f"\n{detail}" if detail else "")
                    ) from exc
                log.warning("%s: LibreOffice stopped (%s); restarting it once", source, exc)
        raise AssertionError("unreachable")

    def _fallback(self, pairs: list[tuple[Path, Path | None]]) -> PdfBatch:
        """All files through ``soffice --convert-to pdf`` runs, one per group of unique names."""
        batch = PdfBatch()
        checked: list[tuple[Path, Path]] = []
        for docx, pdf in pairs:
            try:
                checked.append(_check_job(docx, pdf))
            except RenderError as exc:
                batch.errors.append(exc)
        groups: list[list[tuple[Path, Path]]] = []
        for pair in checked:
            group = next((g for g in groups if all(p[0].stem != pair[0].stem for p in g)), None)
            if group is None:
                groups.append(group := [])
            group.append(pair)
        for group in groups:
            self._fallback_group(group, batch)
        return batch

    def _fallback_group(self, group: list[tuple[Path, Path]], batch: PdfBatch) -> None:
        started = time.monotonic()
        with tempfile.TemporaryDirectory(prefix="netdocs-pdf-") as tmp:
            try:
                outcomes, printed = convert_batch(
                    self.soffice, [d for d, _ in group], Path(tmp), self.timeout * len(group)
                )
            except OfficeTimeout as exc:
                batch.errors.extend(RenderError(f"{d}: {exc}") for d, _ in group)
                return
            share = (time.monotonic() - started) / len(group)
            for (docx, target), outcome in zip(group, outcomes, strict=True):
                if outcome.pdf is None:
                    detail = _printed_about(printed, docx)
                    batch.errors.append(
                        RenderError(f"{docx}: LibreOffice could not convert it to PDF: {detail}")
                    )
                    continue
                target.parent.mkdir(parents=True, exist_ok=True)
                staged = target.with_name(f".{target.name}.{uuid.uuid4().hex[:8]}.tmp")
                try:
                    shutil.move(str(outcome.pdf), staged)
                    move_into_place(staged, target)
                finally:
                    staged.unlink(missing_ok=True)
                pages = _count_pages(target)
                batch.results.append(PdfResult(docx, target, pages, seconds=share))


def convert_to_pdf(docx: Path, pdf: Path | None = None) -> Path:
    """Convert ``docx`` to PDF with LibreOffice headless; returns the PDF path.

    ``pdf`` defaults to ``docx`` with the suffix ``.pdf``. The PDF's table of contents gets
    page numbers when ``python3-uno`` is installed; the .docx is not changed. Raises
    :class:`ToolMissingError` when LibreOffice is not installed and :class:`RenderError` when
    the conversion fails. For many files use :class:`PdfConverter` (one LibreOffice for all).
    """
    if libreoffice.soffice_path() is None:
        raise ToolMissingError(INSTALL_HINT)
    with PdfConverter(number_docx_toc=False) as converter:
        return converter.convert(docx, pdf).pdf


def _toc_with_levels(
    lines: list[list[str]], known: Sequence[tuple[int, str]]
) -> tuple[TocEntry, ...]:
    """TOC lines (text, page) with the level of the entry or heading of that text in ``known``
    (matched in order; 0 when none matches)."""
    entries = []
    position = 0
    for text, page in lines:
        level = 0
        wanted = " ".join(text.split())
        for i in range(position, min(position + 50, len(known))):
            if known[i][1] == wanted:
                level, position = known[i][0], i + 1
                break
        entries.append(TocEntry(level, text, page))
    return tuple(entries)


def _check_job(docx: Path, pdf: Path | None) -> tuple[Path, Path]:
    if not docx.is_file():
        raise RenderError(f"{docx}: no such file to convert to PDF")
    return docx.resolve(), (pdf or docx.with_suffix(".pdf")).resolve()


def _printed_about(printed: str, docx: Path) -> str:
    """What LibreOffice printed about ``docx`` (it names the file in its error lines)."""
    lines = [ln.strip() for ln in printed.splitlines() if ln.strip() and "javaldx" not in ln]
    about = [ln for ln in lines if docx.name in ln or "Error" in ln]
    return "; ".join(about or lines)[-400:] or "no PDF was produced (not a readable document?)"


def _count_pages(pdf: Path) -> int | None:
    """Pages of a PDF written by LibreOffice (its page objects are not compressed)."""
    try:
        data = pdf.read_bytes()
    except OSError:
        return None
    count = len(re.findall(rb"/Type\s*/Page\b", data))
    return count or None
