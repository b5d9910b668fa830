"""The round trip: the bundled handbook built, imported into an empty KB, and each article it
prints compared, word for word, with the article it was made from.

What is compared is the article's body (its text after its ``# title``: a part heading may
replace the title), as words (case, punctuation and Markdown markup aside; footnotes left
out, as the import keeps them beside the paragraph that cites them). A figure citation
(``[[figure:kpis]]``) matches the number the handbook printed. What the import adds around the
articles (the cover page, the generated parts: "Lessons learned for step 1", the network
directory, what changed) is not in any article and is not compared; the table of contents is
left out by the import.
"""

from __future__ import annotations

import json
import os
import re
import unicodedata
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from pipeline.config import load_settings
from pipeline.documents.build import Built, build_document, load_inputs
from pipeline.kb import KnowledgeBase
from pipeline.kb.docx_import import ImportPlan
from pipeline.kb.docx_import_ast import stringify
from pipeline.render.pandoc import MARKDOWN_FORMAT, run_pandoc
from tests.conftest import REPO
from tests.kb_import.conftest import import_into

EPOCH = "1790000000"
FIGURE = "ndfigure"
_FIGURE_RE = re.compile(r"\[\[\s*figure:[^\]]*\]\]")
_SPLIT = "ndroundtripsplit"
_ELSEWHERE_RE = re.compile(r" ?\((?:see the )?\w+, section '[^']*'\)")
"""What a document prints after a link to an article it does not hold (``STEAM skills
(handbook, section 'Glossary')``, :mod:`pipeline.render.model`): the handbook holds every
article it links to, glossary terms included, so it never prints this."""


@pytest.fixture(scope="module")
def round_trip(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[tuple[Built, KnowledgeBase, ImportPlan, Path]]:
    old = os.environ.get("SOURCE_DATE_EPOCH")
    os.environ["SOURCE_DATE_EPOCH"] = EPOCH
    try:
        settings = load_settings(cwd=REPO)
        kb, snapshot = load_inputs(settings)
        out = tmp_path_factory.mktemp("round-trip")
        built = build_document("handbook", settings, kb, snapshot, output=out / "handbook.docx")
        plan = import_into(out / "kb", built.path)
        yield built, kb, plan, out / "kb"
    finally:
        if old is None:
            os.environ.pop("SOURCE_DATE_EPOCH", None)
        else:
            os.environ["SOURCE_DATE_EPOCH"] = old


def words_of(markdowns: list[str]) -> list[list[str]]:
    """The words of each Markdown text, read by pandoc in one run."""
    joined = "\n\n".join(f"{_SPLIT}\n\n{m}" for m in markdowns)
    raw, _warnings = run_pandoc(["-f", MARKDOWN_FORMAT, "-t", "json"], "", stdin=joined.encode())
    out: list[list[str]] = []
    for block in json.loads(raw)["blocks"]:
        if block.get("t") == "Para" and block["c"] == [{"t": "Str", "c": _SPLIT}]:
            out.append([])
        elif out:
            out[-1] += words(stringify(block))
    return out


def words(text: str) -> list[str]:
    return re.findall(r"\w+", unicodedata.normalize("NFKC", text).lower())


def body(markdown: str) -> str:
    """An article file's text after its front matter and its ``# title`` line."""
    text = markdown.split("\n---\n", 1)[1] if markdown.startswith("---\n") else markdown
    lines = text.lstrip("\n").split("\n")
    if lines and lines[0].startswith("# "):
        lines = lines[1:]
    return _FIGURE_RE.sub(f" {FIGURE} ", "\n".join(lines))


def matched(original: list[str], imported: list[str], start: int) -> int:
    """How many words of ``original`` match ``imported`` from ``start`` (a figure matches the
    digits printed for it)."""
    i = start
    for n, word in enumerate(original):
        if word == FIGURE:
            if i >= len(imported) or not imported[i].isdigit():
                return n
            while i < len(imported) and imported[i].isdigit():
                i += 1
            continue
        if i >= len(imported) or imported[i] != word:
            return n
        i += 1
    return len(original)


def first_difference(original: list[str], imported: list[str]) -> tuple[int, int]:
    """(words matched, where in ``imported``) at the best-matching place."""
    best = (0, -1)
    for start, word in enumerate(imported):
        if word == original[0] or original[0] == FIGURE:
            best = max(best, (matched(original, imported, start), start))
    return best


def test_every_article_of_the_handbook_comes_back_word_for_word(round_trip: Any) -> None:
    built, kb, plan, root = round_trip
    assert built.source is not None
    by_path = kb.by_path()
    blocks = [b for b in built.source.map.blocks if b.path is not None]
    assert len(blocks) > 40
    originals = [body((kb.root / b.path).read_text(encoding="utf-8")) for b in blocks]
    imported_texts = [body((root / a.path).read_text(encoding="utf-8")) for a in plan.articles]
    elsewhere = [m.group() for t in imported_texts for m in _ELSEWHERE_RE.finditer(t)]
    assert elsewhere == [], "links to articles the handbook holds are not internal links"
    *original_words, imported_words = words_of(originals + ["\n\n".join(imported_texts)])
    failures = []
    for block, article_words in zip(blocks, original_words, strict=True):
        if not article_words:
            continue
        done, at = first_difference(article_words, imported_words)
        if done < len(article_words):
            title = by_path[block.path].title
            failures.append(
                f"{block.path} ({title}): word {done + 1} of {len(article_words)} differs: "
                f"the article has {' '.join(article_words[max(0, done - 5) : done + 8])!r}, "
                f"the import {' '.join(imported_words[max(0, at + done - 5) : at + done + 8])!r}"
            )
    assert failures == [], "\n".join(failures)


def test_the_import_is_one_article_per_part_and_lints_clean(round_trip: Any) -> None:
    from pipeline.kb import read_kb
    from pipeline.kb.lint import lint
    from tests.kb_import.conftest import TODAY

    built, _kb, plan, root = round_trip
    assert plan.split_level == 1
    parts = [a.title for a in plan.articles]
    assert parts[:4] == ["Handbook", "Introduction", "How to use this handbook",
                         "The roadmap in seven steps"]  # fmt: skip
    assert any(n.startswith("the table of contents") for n in plan.notes)
    report = lint(read_kb(root), today=TODAY)
    # the handbook prints the network's figures as numbers: lint asks to cite them instead
    others = [
        str(p) for p in report.problems if "states a count the network data owns" not in p.message
    ]
    assert others == []
    roadmap = (root / "pages/the-roadmap-in-seven-steps.md").read_text(encoding="utf-8")
    # a cross reference between articles of the handbook is a link between imported articles
    assert "](roles-in-the-network.md#" in roadmap or "](guiding-principles.md#" in roadmap
