"""No path of the build machine in any output of a publish (issue 12).

Every file of the published edition is read, and every member of its zip files (.docx, .epub,
.odt): none may hold the absolute path of the project it was built from, nor of the netdocs
checkout, in any spelling a writer might use (plain, URL-escaped, a ``file:`` URL, or with
backslashes escaped as JSON writes them).
"""

from __future__ import annotations

import urllib.parse
import zipfile
from pathlib import Path

from tests.conftest import REPO

from .conftest import Edition


def _spellings(path: Path) -> set[bytes]:
    text = str(path.resolve())
    forms = {text, urllib.parse.quote(text), "file://" + text, text.replace("/", "\\/")}
    return {f.encode("utf-8") for f in forms}


def _contents(path: Path) -> list[tuple[str, bytes]]:
    """(name, bytes) of a file, and of each member when it is a zip archive."""
    data = path.read_bytes()
    found = [(path.name, data)]
    if zipfile.is_zipfile(path):
        with zipfile.ZipFile(path) as archive:
            found += [(f"{path.name}!{m}", archive.read(m)) for m in archive.namelist()]
    return found


def test_no_output_holds_a_path_of_the_build_machine(edition: Edition) -> None:
    project = edition.folder.parents[1] if edition.refused is None else edition.folder.parent
    machine = _spellings(project) | _spellings(REPO)
    files = [p for p in sorted(edition.folder.rglob("*")) if p.is_file()]
    assert len(files) > len(edition.docx), "the edition holds more than its Word documents"
    leaks = []
    for path in files:
        for name, data in _contents(path):
            for spelling in machine:
                if spelling in data:
                    at = data.index(spelling)
                    context = data[max(0, at - 40) : at + len(spelling) + 20]
                    leaks.append(f"{edition.name(path)} ({name}): …{context!r}…")
                    break
    assert not leaks, f"{len(leaks)} output(s) name the build machine's paths:\n" + "\n".join(
        leaks[:20]
    )
