"""A draft built while reviewers' suggestions (CriticMarkup) are still in an article shows them
as Word tracked changes, each with its own id, never as raw markup (publish refuses them)."""

from __future__ import annotations

import re
import shutil
import zipfile
from pathlib import Path
from typing import Any

from pipeline.documents.build import build_document
from pipeline.kb import read_kb


def test_suggestions_are_tracked_changes_in_a_draft(project: Any, tmp_path: Path) -> None:
    settings, _kb, snapshot, _out = project
    kb_dir = tmp_path / "kb"
    shutil.copytree(settings.kb, kb_dir)
    foreword = kb_dir / "pages" / "foreword.md"
    text = foreword.read_text(encoding="utf-8")
    paragraph = next(p for p in text.split("\n\n") if p[:1].isalpha() and len(p) > 80)
    words = paragraph.split(" ")
    changed = " ".join([words[0], "{++truly ++}" + words[1], *words[2:5], "{--" + words[5] + "--}",
                        *words[6:]])  # fmt: skip
    foreword.write_text(text.replace(paragraph, changed, 1) + "\nA {~~first~>second~~} try.\n",
                        encoding="utf-8")  # fmt: skip
    built = build_document(
        "strategy", settings, read_kb(kb_dir), snapshot, output=tmp_path / "strategy.docx"
    )
    xml = zipfile.ZipFile(built.path).read("word/document.xml").decode("utf-8")
    plain = re.sub(r"<[^>]+>", "", xml)
    assert "{++" not in plain and "{--" not in plain and "~>" not in plain
    inserted = [re.sub(r"<[^>]+>", "", m) for m in re.findall(r"<w:ins [^>]*>(.*?)</w:ins>", xml)]
    deleted = re.findall(r"<w:delText[^>]*>([^<]*)</w:delText>", xml)
    assert "truly " in inserted and "second" in inserted, inserted
    assert words[5] in deleted and "first" in deleted, deleted
    ids = re.findall(r"<w:(?:ins|del) [^>]*w:id=\"(\d+)\"", xml)
    assert len(ids) == len(set(ids)) >= 4, f"tracked changes share ids: {ids}"
