"""Every CommonMark specification example goes through the engine and yields a .docx that reopens.

All 652 examples are converted in one pandoc run (as the engine does for a document's blocks);
each is then merged into its own copy of the base template, saved and reopened with python-docx.
"""

from __future__ import annotations

import io
import json
from pathlib import Path

import docx
import pytest
from docx.oxml.parser import parse_xml

from pipeline.render import MarkdownBlock
from pipeline.render.merge import Merger
from pipeline.render.pandoc import PandocOutput, convert_blocks

from .helpers import FIXTURES, TEMPLATES

SPEC = json.loads((FIXTURES / "commonmark" / "commonmark.json").read_text(encoding="utf-8"))
BASE = TEMPLATES / "base.docx"
BASE_BYTES = BASE.read_bytes()
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


@pytest.fixture(scope="module")
def converted() -> tuple[list[MarkdownBlock], PandocOutput]:
    blocks = [
        MarkdownBlock(
            case["markdown"],
            folder=FIXTURES,
            heading_offset=1,
            anchor=f"example-{case['example']}",
            name=f"example {case['example']}",
        )
        for case in SPEC
    ]
    return blocks, convert_blocks(blocks, BASE)


def test_the_spec_is_complete() -> None:
    assert len(SPEC) == 652
    assert [case["example"] for case in SPEC] == list(range(1, 653))


@pytest.mark.parametrize("index", range(len(SPEC)), ids=lambda i: f"example-{i + 1}")
def test_example_renders_to_a_docx_that_reopens(
    index: int, converted: tuple[list[MarkdownBlock], PandocOutput]
) -> None:
    blocks, output = converted
    document = docx.Document(io.BytesIO(BASE_BYTES))
    slot = parse_xml(f'<w:p xmlns:w="{W}"><w:r><w:t>slot</w:t></w:r></w:p>')
    document.element.body.insert(0, slot)
    merger = Merger(document, output, blocks)
    merger.insert(index, slot)
    merger.finish()
    saved = io.BytesIO()
    document.save(saved)  # (reproducible zip times are tested elsewhere)
    data = saved.getvalue()
    reopened = docx.Document(io.BytesIO(data))
    texts = [p.text for p in reopened.paragraphs]
    assert "slot" not in texts
    expected = sum(1 for el in output.fragments[index] for _ in el.iter(f"{{{W}}}p"))
    found = sum(1 for _ in reopened.element.body.iter(f"{{{W}}}p"))
    assert found >= expected  # every paragraph of the example (cells and lists included) is there


def test_whole_spec_in_one_document(tmp_path: Path) -> None:
    from pipeline.render import render_document

    from .helpers import base_context, loop_template

    template = loop_template(BASE, tmp_path / "loop.docx")
    blocks = [MarkdownBlock(case["markdown"], heading_offset=1) for case in SPEC]
    context = base_context(articles=blocks)
    del context["body"]
    out = tmp_path / "spec.docx"
    render_document(template, context, out)
    assert len(docx.Document(str(out)).paragraphs) > 652
