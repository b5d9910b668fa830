"""Every .docx of the edition records what it was built from (``source/<stem>.md`` and
``source/<stem>.map.json``, listed in the manifest) and names its edition in its custom
properties, so that a reviewed copy can be traced back to the articles and lines it came from."""

from __future__ import annotations

import json
import re
import zipfile
from pathlib import Path

from pipeline.documents.source import MARKER_RE, read_source_map, source_paths
from pipeline.kb import read_kb
from pipeline.render.custom_props import read_custom_properties
from tests.edition.conftest import Edition


def _bookmarks(docx: Path) -> list[str]:
    xml = zipfile.ZipFile(docx).read("word/document.xml").decode("utf-8")
    return re.findall(r'<w:bookmarkStart [^>]*w:name="([^"]+)"', xml)


def test_every_document_has_its_source_in_the_manifest(edition: Edition) -> None:
    edition.require_published()
    manifest = json.loads((edition.folder / "manifest.json").read_text(encoding="utf-8"))
    entries = {f["path"]: f for f in manifest["files"]}
    for docx in edition.docx:
        rel = edition.name(docx)
        markdown, mapping = source_paths(rel)
        for path, fmt in ((markdown, "markdown"), (mapping, "source-map")):
            assert path in entries, f"{rel}: {path} is not in the manifest"
            assert entries[path]["format"] == fmt
            assert entries[path]["key"] == entries[rel]["key"], f"{path}: not {rel}'s key"
            assert (edition.folder / path).is_file()


def test_each_block_of_the_map_starts_at_a_bookmark_of_the_docx(edition: Edition) -> None:
    edition.require_published()
    for docx in edition.docx:
        rel = edition.name(docx)
        source_map = read_source_map(edition.folder / source_paths(rel)[1])
        assert source_map.docx == rel
        assert source_map.edition == edition.folder.name
        marks = _bookmarks(docx)
        blocks = [b.bookmark for b in source_map.blocks]
        assert blocks, f"{rel}: no block in its source map"
        missing = [b for b in blocks if b not in marks]
        assert not missing, f"{rel}: block bookmarks not in the docx: {missing[:5]}"
        # in document order
        positions = [marks.index(b) for b in blocks]
        assert positions == sorted(positions), f"{rel}: the map's blocks are out of order"


def test_generated_text_and_articles_are_told_apart(edition: Edition) -> None:
    edition.require_published()
    folder = edition.folder
    strategy = read_source_map(folder / "source/strategy.map.json")
    keys = {b.key: b for b in strategy.blocks}
    assert keys["pages/foreword.md"].article == "foreword"
    membership = keys["block:membership"]
    assert membership.article is None and membership.path is None
    assert membership.part_heading == "Membership overview"

    handbook = read_source_map(folder / "source/handbook.map.json")
    convener = next(b for b in handbook.blocks if b.article == "convener")
    kb = read_kb(folder.parents[1] / "kb")
    article = kb.by_id()["convener"]
    lines = article.source.read_text(encoding="utf-8").split("\n")
    assert convener.path == "roles/convener.md" and convener.line == article.body_line
    assert convener.sections, "the convener's sections are not in the map"
    marks = set(_bookmarks(folder / "handbook.docx"))
    for section in convener.sections:
        assert lines[section.line - 1].lstrip("#").strip() == section.title
        assert section.bookmark in marks, f"{section.title}: no bookmark {section.bookmark}"


def test_the_markdown_holds_every_block_after_its_marker(edition: Edition) -> None:
    edition.require_published()
    folder = edition.folder
    text = (folder / "source/handbook.md").read_text(encoding="utf-8")
    source_map = read_source_map(folder / "source/handbook.map.json")
    lines = text.split("\n")
    assert [m.group("key") for m in MARKER_RE.finditer(text)] == [b.key for b in source_map.blocks]
    for block in source_map.blocks:
        assert lines[block.markdown_line - 1] == f"<!-- netdocs-block: {block.key} -->"
    # the articles' headings shifted as the document prints them, a part's heading on top
    assert text.startswith("# Introduction\n")
    assert "\n## Convener\n" in text
    assert "[[figure:" not in text, "figure citations are recorded unresolved"


def test_each_docx_names_its_edition_document_and_cluster(edition: Edition) -> None:
    edition.require_published()
    for docx in edition.docx:
        props = read_custom_properties(docx)
        rel = edition.name(docx)
        assert props.get("netdocs-edition") == edition.folder.name, rel
        kind = props.get("netdocs-document")
        assert kind and rel.split("/")[-1].startswith(kind), f"{rel}: document {kind!r}"
        if rel.startswith("clusters/"):
            assert props.get("netdocs-cluster") and rel.endswith(
                f"-{props['netdocs-cluster']}.docx"
            ), rel
        else:
            assert "netdocs-cluster" not in props, rel
