"""UNO worker: drives one headless LibreOffice for :class:`.pdf.PdfConverter`.

This file runs as a script under a Python interpreter that can ``import uno`` (on Debian the
system ``/usr/bin/python3`` with ``python3-uno``), never inside netdocs' own environment, so it
imports nothing but the standard library and ``uno``. :class:`.pdf.PdfConverter` starts
LibreOffice itself (it owns the process and its profile) and then this script with the name of
the pipe LibreOffice accepts connections on::

    /usr/bin/python3 -I uno_worker.py --pipe NAME --connect-timeout 60

Protocol: JSON lines. The worker writes ``{"event": "ready"}`` once connected, then reads one
request per line from stdin and answers each with one line on its original stdout (anything
else that would print goes to stderr):

- ``{"id": 1, "op": "convert", "docx": PATH, "pdf": PATH, "headings": BOOL}`` loads ``docx``
  hidden, with macros and links off, updates every document index (the table of contents),
  exports ``pdf`` with ``writer_pdf_Export`` and answers ``{"id": 1, "ok": true, "pages": N,
  "toc": [[text, page], ...], "headings": [[level, text, page], ...], "timing": {...}}``:
  the entries of the updated table of contents with the page number each prints, with
  ``headings`` the physical page of each ``Heading n`` paragraph (in document order), and the
  seconds each step took. On failure: ``{"id": 1, "ok": false, "error": TEXT, "fatal": BOOL}``;
  ``fatal`` means the connection to LibreOffice is lost (the converter restarts it).
- ``{"op": "quit"}`` (or the end of stdin) asks LibreOffice to terminate and ends the worker.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from typing import Any

import uno  # type: ignore[import-not-found]  # only under LibreOffice's Python

PropertyValue: Any = uno.getClass("com.sun.star.beans.PropertyValue")
DisposedException: Any = uno.getClass("com.sun.star.lang.DisposedException")
RuntimeException: Any = uno.getClass("com.sun.star.uno.RuntimeException")
NoConnectException: Any = uno.getClass("com.sun.star.connection.NoConnectException")

_UPDATE_ROUNDS = 3
"""An index update can move what follows it (a longer table pushes the text down): update
again while the table's end moves, at most this many times. Everything after an unmoved end
keeps its layout, so the page numbers printed are those of the final layout."""


def _props(**values: Any) -> tuple[Any, ...]:
    result = []
    for name, value in values.items():
        prop = PropertyValue()
        prop.Name = name
        prop.Value = value
        result.append(prop)
    return tuple(result)


def _connect(pipe: str, timeout: float) -> Any:
    local = uno.getComponentContext()
    resolver = local.ServiceManager.createInstanceWithContext(
        "com.sun.star.bridge.UnoUrlResolver", local
    )
    deadline = time.monotonic() + timeout
    while True:
        try:
            ctx = resolver.resolve(f"uno:pipe,name={pipe};urp;StarOffice.ComponentContext")
            break
        except NoConnectException:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.05)
    return ctx.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", ctx)


def _toc_lines(index: Any) -> list[list[str]]:
    """``[text, page]`` of each line of an updated content index (one call over the bridge)."""
    lines = []
    for line in index.getAnchor().getString().split("\n"):
        text, tab, page = line.rpartition("\t")
        if tab and page.strip():
            lines.append([text.strip(), page.strip()])
    return lines


def _headings(doc: Any, levels: int = 9) -> list[list[Any]]:
    """``[level, text, physical page]`` of each paragraph in a ``Heading n`` style."""
    cursor = doc.getCurrentController().getViewCursor()
    search = doc.createSearchDescriptor()
    search.SearchStyles = True
    found: list[tuple[int, int, list[Any]]] = []
    for level in range(1, levels + 1):
        search.SearchString = f"Heading {level}"
        ranges = doc.findAll(search)
        for i in range(ranges.getCount()):
            found_range = ranges.getByIndex(i)
            text = found_range.getString().strip()
            if not text:
                continue
            cursor.gotoRange(found_range.getStart(), False)
            position = (cursor.getPage(), cursor.getPosition().Y)
            found.append((*position, [level, text, position[0]]))
    found.sort(key=lambda item: (item[0], item[1]))
    return [item[2] for item in found]


def _content_index(indexes: Any) -> Any | None:
    for i in range(indexes.getCount()):
        index = indexes.getByIndex(i)
        if index.supportsService("com.sun.star.text.ContentIndex"):
            return index
    return None


def _end_of(cursor: Any, index: Any | None) -> tuple[int, int] | None:
    """Where ``index`` ends on the laid-out pages (page, vertical position)."""
    if index is None:
        return None
    cursor.gotoRange(index.getAnchor().getEnd(), False)
    return (cursor.getPage(), cursor.getPosition().Y)


def convert(desktop: Any, docx: str, pdf: str, want_headings: bool = False) -> dict[str, Any]:
    clock = time.monotonic()
    timing: dict[str, float] = {}

    def lap(step: str) -> None:
        nonlocal clock
        now = time.monotonic()
        timing[step] = round(timing.get(step, 0.0) + now - clock, 3)
        clock = now

    url = uno.systemPathToFileUrl(os.path.abspath(docx))
    doc = desktop.loadComponentFromURL(
        url,
        "_blank",
        0,
        _props(Hidden=True, ReadOnly=True, MacroExecutionMode=0, UpdateDocMode=0),
    )
    if doc is None:
        raise ValueError("LibreOffice could not open it (not a readable Word document)")
    lap("load")
    try:
        if not doc.supportsService("com.sun.star.text.TextDocument"):
            raise ValueError("LibreOffice did not open it as a text document")
        indexes = doc.getDocumentIndexes()
        toc_index = _content_index(indexes)
        cursor = doc.getCurrentController().getViewCursor()
        for _round in range(_UPDATE_ROUNDS):
            before = _end_of(cursor, toc_index)
            for i in range(indexes.getCount()):
                indexes.getByIndex(i).update()
            if _end_of(cursor, toc_index) == before:
                break  # what follows the table did not move: its page numbers hold
        lap("update")
        toc = _toc_lines(toc_index) if toc_index is not None else []
        headings = _headings(doc) if want_headings else []
        lap("headings")
        pages = doc.getCurrentController().PageCount
        doc.storeToURL(
            uno.systemPathToFileUrl(os.path.abspath(pdf)),
            _props(FilterName="writer_pdf_Export"),
        )
        lap("export")
        return {"ok": True, "pages": pages, "toc": toc, "headings": headings, "timing": timing}
    finally:
        doc.close(True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pipe", required=True)
    parser.add_argument("--connect-timeout", type=float, default=60.0)
    parser.add_argument("--parent", type=int, help="netdocs' process id: end with it")
    parser.add_argument("--office-group", type=int, help="LibreOffice's process group")
    args = parser.parse_args()
    if args.parent:
        _watch_parent(args.parent, args.office_group)
    out = os.fdopen(os.dup(sys.stdout.fileno()), "w", encoding="utf-8", buffering=1)
    sys.stdout = sys.stderr  # only protocol lines go to the real stdout

    def send(message: dict[str, Any]) -> None:
        out.write(json.dumps(message) + "\n")
        out.flush()

    desktop = _connect(args.pipe, args.connect_timeout)
    send({"event": "ready"})
    for line in sys.stdin:
        request = json.loads(line)
        if request.get("op") == "quit":
            break
        answer: dict[str, Any]
        try:
            answer = convert(
                desktop, request["docx"], request["pdf"], bool(request.get("headings"))
            )
        except (DisposedException, RuntimeException) as exc:
            answer = {"ok": False, "fatal": not _alive(desktop), "error": _message(exc)}
        except Exception as exc:  # noqa: BLE001 - every failure is reported to the converter
            answer = {"ok": False, "fatal": False, "error": _message(exc)}
        answer["id"] = request.get("id")
        send(answer)
        if answer.get("fatal"):
            return 3
    try:
        desktop.terminate()
    except (DisposedException, RuntimeException):
        pass  # LibreOffice is already gone
    return 0


def _watch_parent(parent: int, office_group: int | None) -> None:
    """When netdocs dies (even by kill -9), end LibreOffice and this worker: nothing outlives
    the publish that started it."""
    import signal
    import threading
    import time

    def watch() -> None:
        while True:
            time.sleep(0.5)
            try:
                os.kill(parent, 0)
                if os.getppid() == parent:
                    continue
            except ProcessLookupError:
                pass
            except PermissionError:
                pass  # the id now belongs to another user's process: ours is gone
            if office_group:
                try:
                    os.killpg(office_group, signal.SIGKILL)
                except (ProcessLookupError, PermissionError):
                    pass  # LibreOffice is already gone
            os._exit(4)

    threading.Thread(target=watch, name="parent-watch", daemon=True).start()


def _alive(desktop: Any) -> bool:
    """Does LibreOffice still answer (a runtime error may be the file's, not a crash)?"""
    try:
        desktop.getFrames()
    except (DisposedException, RuntimeException):
        return False
    return True


def _message(exc: BaseException) -> str:
    text = getattr(exc, "Message", "") or str(exc)
    return f"{type(exc).__name__}: {text}".strip()


if __name__ == "__main__":
    sys.exit(main())
