"""``netdocs review import`` as a user runs it: the table, --json, and a clear error (exit
code, message naming the file and the fix, nothing changed) for each bad input."""

from __future__ import annotations

import json
import shutil
import zipfile
from pathlib import Path

import pytest

from tests.conftest import run
from tests.review.conftest import EDITION, Published
from tests.review.reviewing import Change, Note, review

KEYS = {
    "number", "kind", "author", "date", "text", "anchor", "origin", "article", "path", "line",
    "where", "section", "block", "record", "record_kind", "record_source", "note", "mapped_by",
    "exact", "pair", "within_insertion",
}  # fmt: skip


@pytest.fixture(scope="module")
def reviewed(published: Published, tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("cli")
    return review(
        published.docx("handbook"),
        folder / "handbook-reviewed.docx",
        changes=[Change("A small secretariat runs", old="small", new="lean")],
        notes=[Note("Baseline audit.", "Which survey tool?", on="Collect structured information")],
    )


@pytest.fixture
def in_published(published: Published, monkeypatch: pytest.MonkeyPatch) -> Published:
    monkeypatch.chdir(published.root)  # read only: no --apply here
    return published


def test_the_table_fits_80_columns(in_published: Published, reviewed: Path) -> None:
    result = run("review", "import", str(reviewed))
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert max(len(line) for line in lines) <= 80
    text = run("review", "import", str(reviewed), env={"COLUMNS": "200"}).output  # unwrapped
    for expected in ("step-1-baseline", "roadmap/step-1-baseline.md:", "Which survey tool?",
                     "pages/introduction.md:", "deleted by Ana Silva, 2026-11-03: small",
                     "inserted (replacing #1)"):  # fmt: skip
        assert expected in text
    assert lines[-1] == (f"handbook-reviewed.docx ({EDITION}, handbook): 3 items: 3 in articles")


def test_json_is_a_list_of_items_with_stable_keys(in_published: Published, reviewed: Path) -> None:
    result = run("review", "import", str(reviewed), "--json")
    assert result.exit_code == 0
    data = json.loads(result.output)
    assert (data["edition"], data["document"], data["cluster"]) == (EDITION, "handbook", None)
    assert [set(i) for i in data["items"]] == [KEYS] * 3
    survey = data["items"][2]
    line = in_published.line_of("roadmap/step-1-baseline.md", "Collect structured information")
    assert survey["where"] == f"roadmap/step-1-baseline.md:{line}"
    assert (survey["article"], survey["line"]) == ("step-1-baseline", line)
    assert survey["kind"] == "comment"


def test_a_document_without_reviews_says_so(in_published: Published) -> None:
    result = run("review", "import", str(in_published.docx("handbook")))
    assert result.exit_code == 0
    assert result.output.strip() == (
        f"handbook.docx ({EDITION}, handbook): no comments or tracked changes"
    )


def test_another_edition_is_refused_naming_the_documents(
    in_published: Published, reviewed: Path
) -> None:
    result = run("review", "import", str(reviewed), "--edition", "2025-annual-meeting")
    assert result.exit_code == 2
    assert f"comes from the edition '{EDITION}', not '2025-annual-meeting'" in result.output
    assert f"--edition {EDITION}" in result.output


def _with_properties(source: Path, target: Path, **props: str | None) -> Path:
    import docx

    from pipeline.render.custom_props import set_custom_properties

    document = docx.Document(str(source))
    set_custom_properties(document, props)
    document.save(str(target))
    return target


def test_a_missing_edition_folder_says_how_to_fix_it(
    in_published: Published, reviewed: Path, tmp_path: Path
) -> None:
    old = _with_properties(reviewed, tmp_path / "old.docx", **{"netdocs-edition": "2024-old"})
    result = run("review", "import", str(old))
    assert result.exit_code == 2
    assert "comes from the edition '2024-old', but there is no edition folder" in result.output
    assert "publish that edition" in result.output


def test_an_edition_without_source_records_says_publish_again(
    published: Published, reviewed: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = tmp_path / "project"
    edition = root / "outputs" / EDITION
    edition.mkdir(parents=True)
    for name in ("manifest.json", "handbook.docx"):
        shutil.copy2(published.edition / name, edition / name)
    shutil.copy2(published.root / "netdocs.toml", root / "netdocs.toml")
    monkeypatch.chdir(root)
    result = run("review", "import", str(reviewed))
    assert result.exit_code == 2
    assert "has no record of what its documents were built from (source/ is missing" in (
        result.output
    )
    assert "publish the edition again (netdocs publish)" in result.output


def test_a_docx_netdocs_did_not_make(in_published: Published, tmp_path: Path) -> None:
    import docx

    plain = tmp_path / "letter.docx"
    document = docx.Document()
    document.add_paragraph("Dear reviewers,")
    document.save(str(plain))
    result = run("review", "import", str(plain))
    assert result.exit_code == 2
    assert "letter.docx was not made by netdocs" in result.output


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"just some text, not a document\n", "not a readable .docx"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, "password-protected"),
        (b"%PDF-1.7\n", "a PDF, not a Word document"),
    ],
    ids=["text", "encrypted", "pdf"],
)
def test_a_file_that_is_not_a_docx(
    in_published: Published, tmp_path: Path, content: bytes, message: str
) -> None:
    bad = tmp_path / "reviewed.docx"
    bad.write_bytes(content)
    result = run("review", "import", str(bad))
    assert result.exit_code == 1
    assert message in result.output and "reviewed.docx" in result.output
    assert "Traceback" not in result.output


def test_a_corrupt_docx(in_published: Published, reviewed: Path, tmp_path: Path) -> None:
    cut = tmp_path / "cut.docx"
    cut.write_bytes(reviewed.read_bytes()[: reviewed.stat().st_size // 2])
    broken = tmp_path / "broken.docx"
    with zipfile.ZipFile(reviewed) as zin, zipfile.ZipFile(broken, "w") as out:
        for info in zin.infolist():
            data = zin.read(info.filename)
            if info.filename == "word/document.xml":
                data = data[: len(data) // 2]
            out.writestr(info, data)
    for path, message in ((cut, "not a readable .docx"), (broken, "is damaged")):
        result = run("review", "import", str(path))
        assert result.exit_code == 1, result.output
        assert message in result.output and path.name in result.output
        assert "Traceback" not in result.output


def test_help_has_an_example() -> None:
    result = run("review", "import", "--help")
    assert result.exit_code == 0
    assert "Example:" in result.output and "--apply" in result.output
    assert "review" in run("--help").output
