"""An article is one block across editions by its id, not by its file: a renamed or moved
article file is compared with its earlier text, not deleted whole and added again."""

from __future__ import annotations

import zipfile
from pathlib import Path

from lxml import etree

from pipeline.documents.source import SourceBlock, SourceMap
from pipeline.publish.redline import redline

from .conftest import KB, NEW, NEW_CONVENER, REPO, Blocks, W, make_edition, source_markdown

MOVED = "roles/thematic-convener.md"


def _renamed(blocks: Blocks, text: str | None = None) -> Blocks:
    """``blocks`` with roles/convener.md moved to :data:`MOVED` (its text ``text`` if given)."""
    return [
        (part, [(MOVED, text or t) if k == "roles/convener.md" else (k, t) for k, t in items])
        for part, items in blocks
    ]


def _write_map(edition: Path, blocks: Blocks, ids: dict[str, str]) -> None:
    """``source/handbook.map.json`` as publish writes it (``ids``: KB path -> article id)."""
    lines = source_markdown(blocks).splitlines()
    markers = iter(n for n, line in enumerate(lines, 1) if line.startswith("<!-- netdocs-block"))
    recorded = []
    for part, items in blocks:
        for key, _text in items:
            article = ids.get(key)
            recorded.append(
                SourceBlock(
                    key,
                    f"bm_{len(recorded)}",
                    part.lower(),
                    part,
                    article or key,
                    article,
                    key if article else None,
                    1 if article else None,
                    next(markers),
                    1,
                )  # fmt: skip
            )
    source = SourceMap(edition.name, "handbook", None, "handbook.docx", recorded)
    (edition / "source" / "handbook.map.json").write_text(source.to_json(), encoding="utf-8")


def _changes(docx: Path) -> int:
    """How many w:ins and w:del the document has."""
    with zipfile.ZipFile(docx) as zf:
        root = etree.fromstring(zf.read("word/document.xml"))
    return len(list(root.iter(f"{{{W}}}ins", f"{{{W}}}del")))


def test_a_renamed_article_with_the_same_text_is_unchanged(tmp_path: Path) -> None:
    outputs = tmp_path / "outputs"
    moved_kb = {**KB, "convener": ("Convener", MOVED)}
    old = make_edition(outputs, "2026-annual-meeting", {"handbook": NEW},
                       title="2026", as_of="2026-10-31")  # fmt: skip
    new = make_edition(outputs, "2027-annual-meeting", {"handbook": _renamed(NEW)},
                       title="2027", as_of="2027-10-31", kb=moved_kb)  # fmt: skip
    result = redline(old, new, "handbook", tmp_path / "r.docx", templates=REPO / "templates")
    assert result.changes == [] and (result.insertions, result.deletions) == (0, 0)
    assert _changes(tmp_path / "r.docx") == 0


def test_a_renamed_and_revised_article_is_revised_word_by_word(tmp_path: Path) -> None:
    """Paired by the source maps' article ids (the manifests here know nothing of it)."""
    outputs = tmp_path / "outputs"
    revised = NEW_CONVENER.replace("two years", "three years")
    old = make_edition(outputs, "2026-annual-meeting", {"handbook": NEW},
                       title="2026", as_of="2026-10-31", kb={})  # fmt: skip
    new_blocks = _renamed(NEW, revised)
    new = make_edition(outputs, "2027-annual-meeting", {"handbook": new_blocks},
                       title="2027", as_of="2027-10-31", kb={})  # fmt: skip
    ids = {p: i for i, (_t, p) in KB.items()}
    _write_map(old, NEW, ids)
    _write_map(new, new_blocks, {**ids, MOVED: "convener"})
    result = redline(old, new, "handbook", tmp_path / "r.docx")
    assert [(c.key, c.change) for c in result.changes] == [(MOVED, "revised")]
    assert (result.insertions, result.deletions) == (1, 1)  # "three" for "two"
