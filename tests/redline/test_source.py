"""Cutting an edition's source/<stem>.md into blocks, and what a redline reads of an edition."""

from __future__ import annotations

import json
from pathlib import Path

from pipeline.publish.redline_source import (
    part_heading_lines,
    read_edition,
    read_units,
    split_units,
)

from .conftest import NEW, make_edition, source_markdown


def test_blocks_and_part_headings_are_units_of_their_own() -> None:
    units = split_units(source_markdown(NEW))
    assert [u.key for u in units] == [
        "part:Introduction", "pages/foreword.md", "block:membership",
        "part:Roles", "roles/convener.md", "pages/online-services.md",
        "part:Glossary", "glossary/glossary-vet.md",
    ]  # fmt: skip
    convener = units[4]
    assert convener.text.startswith("## Convener\n") and "# Roles" not in units[2].text
    lines = source_markdown(NEW).splitlines()
    assert all(lines[u.line - 1].startswith(("<!-- netdocs-block", "# ")) for u in units)


def test_a_marker_inside_fenced_code_is_text() -> None:
    text = (
        "<!-- netdocs-block: pages/a.md -->\n\n## A\n\n```\n<!-- netdocs-block: fake -->\n"
        "# not a part\n```\n\n<!-- netdocs-block: pages/b.md -->\n\nB.\n"
    )
    units = split_units(text)
    assert [u.key for u in units] == ["pages/a.md", "pages/b.md"]
    assert "<!-- netdocs-block: fake -->" in units[0].text


def test_the_source_map_says_which_headings_are_parts(tmp_path: Path) -> None:
    text = (
        "# Part\n\n<!-- netdocs-block: block:data -->\n\n# Network data\n\n"
        "<!-- netdocs-block: pages/b.md -->\n\nB.\n"
    )
    (tmp_path / "doc.md").write_text(text, encoding="utf-8")
    blocks = [
        {"key": "block:data", "bookmark": "b1", "part": "intro", "part_heading": "Part",
         "name": "data", "article": None, "path": None, "line": None, "markdown_line": 3,
         "heading_offset": 0, "sections": []},
        {"key": "pages/b.md", "bookmark": "b2", "part": "intro", "part_heading": "Part",
         "name": "b", "article": "b", "path": "pages/b.md", "line": 5, "markdown_line": 7,
         "heading_offset": 1, "sections": []},
    ]  # fmt: skip
    source_map = {"format": 1, "edition": "e", "document": "handbook", "cluster": None,
                  "docx": "doc.docx", "blocks": blocks}  # fmt: skip
    (tmp_path / "doc.map.json").write_text(json.dumps(source_map), encoding="utf-8")
    assert part_heading_lines(tmp_path / "doc.map.json") == {1}
    mapped = read_units(tmp_path / "doc.md", part_heading_lines(tmp_path / "doc.map.json"))
    assert [u.key for u in mapped] == ["part:Part", "block:data", "pages/b.md"]
    assert mapped[1].text == "# Network data\n"  # a generated block's own heading stays its own
    guessed = read_units(tmp_path / "doc.md")
    assert [u.key for u in guessed] == ["part:Part", "block:data", "part:Network data",
                                        "pages/b.md"]  # fmt: skip
    (tmp_path / "bad.map.json").write_text("{", encoding="utf-8")
    assert part_heading_lines(tmp_path / "bad.map.json") is None


def test_the_edition_is_read_from_its_manifest_and_snapshot(tmp_path: Path) -> None:
    folder = make_edition(tmp_path, "2025-annual-meeting", {"handbook": NEW},
                          title="2025 Annual Meeting", as_of="2025-10-31")  # fmt: skip
    edition = read_edition(folder)
    assert (edition.name, edition.title, edition.as_of, edition.network_short) == (
        "2025-annual-meeting", "2025 Annual Meeting", "2025-10-31", "VETNoN")  # fmt: skip
    assert edition.titles["roles/convener.md"] == "Convener"
    (folder / "manifest.json").write_text("not json", encoding="utf-8")
    (folder / "data-snapshot.json").unlink()
    bare = read_edition(folder, "2026-annual-meeting")
    assert (bare.name, bare.title, bare.as_of, bare.network_short) == (
        "2026-annual-meeting", "2026 Annual Meeting", None, None)  # fmt: skip


def test_an_unreadable_source_record_is_an_error_naming_it(tmp_path: Path) -> None:
    import pytest

    from pipeline.errors import NetdocsError, NotFoundError

    bad = tmp_path / "handbook.md"
    bad.write_bytes(b"# Part\n\xff\xfe\n")
    with pytest.raises(NetdocsError, match=rf"^{bad}: cannot be read \("):
        read_units(bad)
    with pytest.raises(NotFoundError, match=rf"^{tmp_path / 'none.md'}: not found$"):
        read_units(tmp_path / "none.md")
