"""The handbook's HTML, EPUB and ODT never embed a file from outside the knowledge base, never
carry scripts, and every generated page has a Content-Security-Policy (issue 10, items 4, 5)."""

from __future__ import annotations

import shutil
import zipfile
from pathlib import Path
from typing import Any

import pytest

from pipeline.publish.landing import landing_page
from pipeline.render import MarkdownBlock
from pipeline.render.catalog import Part
from pipeline.render.csp import CONTENT_SECURITY_POLICY
from pipeline.render.media import Vetting, images
from pipeline.render.model import ArticleCache, web_model
from pipeline.render.writers import render_formats, sanitise
from tests.conftest import REPO

PNG = (REPO / "kb" / "images" / "roadmap.png").read_bytes()
PARTS = (Part("Body", "body", "loop", "articles"),)


@pytest.fixture
def kb(tmp_path: Path) -> Path:
    """A KB with one good image, and secrets outside it that articles try to reach."""
    root = tmp_path / "project" / "kb"
    (root / "pages").mkdir(parents=True)
    (root / "images").mkdir()
    (root / "images" / "ok.png").write_bytes(PNG)
    (root / "images" / "fake.png").write_bytes(b"not an image at all")
    outside = tmp_path / "secret"
    outside.mkdir()
    (outside / "secret.png").write_bytes(PNG[:-8] + b"SECRET!!")
    (outside / "passwd").write_text("root:x:0:0\n", encoding="utf-8")
    (root / "images" / "link.png").symlink_to(outside / "secret.png")
    return root


def _markdown(kb: Path | None, text: str, tmp_path: Path) -> dict[str, list[MarkdownBlock]]:
    """The context of a document made of one article written in ``kb``'s pages folder."""
    folder = kb / "pages" if kb is not None else None
    return {"body": [MarkdownBlock(text, folder=folder, anchor="pages/a.md", name="a")]}


def safe_document(
    context: dict[str, list[MarkdownBlock]], tmp_path: Path
) -> tuple[dict[str, Any], Vetting]:
    """The document model as the HTML, EPUB and ODT writers are handed it (sanitised)."""
    model = web_model(context, PARTS, cache=ArticleCache(tmp_path / "cache"))
    doc = {**model.doc, "blocks": sanitise(model.doc["blocks"])}
    return doc, Vetting(model.media, model.warnings)


def _write(context: dict[str, list[MarkdownBlock]], fmt: str, target: Path) -> Path:
    template = REPO / "templates" / "base.docx"  # not used: no .docx is asked for
    render_formats(template, context, PARTS, {fmt: target}, title="Test")
    return target


HOSTILE = """# Article

Good: ![A map](../images/ok.png)

Outside: ![s](../../../secret/secret.png) ![f](file://{outside}/secret.png)
Absolute: ![a]({outside}/secret.png) ![p]({outside}/passwd)
Symlink: ![l](../images/link.png) Fake: ![x](../images/fake.png)
Reference: ![r][ref]

[ref]: {outside}/secret.png

<script>alert('x')</script>

<img src="{outside}/secret.png" onerror="alert(1)">

<iframe src="https://evil.example"></iframe>

Click [me](javascript:alert(1)) or [data](data:text/html,<b>x</b>) or
[span]{onclick="alert(2)" lang="fr"} and <span onmouseover="alert(3)">hover</span>.

```{=opendocument}
<text:p>raw</text:p>
```
"""


def test_the_sanitised_model_keeps_only_vetted_images_and_safe_markup(
    kb: Path, tmp_path: Path
) -> None:
    md = _markdown(kb, HOSTILE.replace("{outside}", str(tmp_path / "secret")), tmp_path)
    doc, vetting = safe_document(md, tmp_path)
    assert list(vetting.media.values()) == [str((kb / "images" / "ok.png").resolve())]
    assert list(images(doc)) == list(vetting.media)
    assert len(vetting.warnings) == 7  # every other image, each with its reason
    text = str(doc)
    for bad in ("script", "onerror", "iframe", "javascript", "data:text", "onclick",
                "onmouseover", "opendocument", "secret", "passwd"):  # fmt: skip
        assert bad not in text, bad
    assert "'lang', 'fr'" in text  # harmless attributes stay
    assert "netdocs-base" not in text  # the wrappers are gone


def test_html_site_epub_and_odt_contain_only_the_kb_image(kb: Path, tmp_path: Path) -> None:
    md = _markdown(kb, HOSTILE.replace("{outside}", str(tmp_path / "secret")), tmp_path)
    (tmp_path / "out").mkdir()
    site = _write(md, "html", tmp_path / "out" / "site" / "index.html").parent
    pages = sorted(site.rglob("*.html"))
    assert pages
    for page in pages:
        html = page.read_text(encoding="utf-8")
        assert f'content="{CONTENT_SECURITY_POLICY}"' in html, page.name
        for bad in ("<script", "onerror", "<iframe", "javascript:", "onclick", "onmouseover"):
            assert bad not in html, (page.name, bad)
    files = [p for p in site.rglob("*") if p.is_file() and p.suffix != ".html"]
    blobs = [p.read_bytes() for p in files]
    assert PNG in blobs and not any(b"SECRET!!" in b or b"root:x" in b for b in blobs)
    for fmt, name in (("epub", "t.epub"), ("odt", "t.odt")):
        target = _write(md, fmt, tmp_path / "out" / name)
        with zipfile.ZipFile(target) as zf:
            content = {n: zf.read(n) for n in zf.namelist()}
        assert PNG in content.values(), name
        joined = b"".join(content.values())
        assert b"SECRET!!" not in joined and b"root:x" not in joined, name
        assert b"<script" not in joined and b"javascript:" not in joined, name
        if name.endswith(".epub"):
            pages_x = [v for n, v in content.items() if n.endswith(".xhtml")]
            assert all(CONTENT_SECURITY_POLICY.encode() in v for v in pages_x if b"<body" in v)


def test_without_its_bases_no_local_image_is_embedded(kb: Path, tmp_path: Path) -> None:
    """An article cannot choose where its images are looked up: that is its block's folder,
    never something it writes (a Div with the attributes netdocs once used changes nothing)."""
    text = '::: {netdocs-base="x-0" netdocs-index="0"}\n![A map](../images/ok.png)\n:::\n'
    doc, vetting = safe_document(_markdown(None, text, tmp_path), tmp_path)
    assert vetting.media == {} and list(images(doc)) == []
    assert "cannot embed files" in vetting.warnings[0]


def test_the_landing_page_has_the_policy() -> None:
    page = landing_page("Net", "2026", "Meeting", [], "data")
    assert f'<meta http-equiv="Content-Security-Policy" content="{CONTENT_SECURITY_POLICY}"' in page
    assert page.index("Content-Security-Policy") < page.index("<title>")


def test_a_kb_without_pandoc_attributes_publishes_its_image_unchanged(
    kb: Path, tmp_path: Path
) -> None:
    shutil.copy(kb / "images" / "ok.png", kb / "pages" / "here.png")
    md = _markdown(kb, "![Here](here.png) ![Root](/images/ok.png)\n", tmp_path)
    _doc, vetting = safe_document(md, tmp_path)
    assert (
        sorted(vetting.media.values())
        == sorted(
            [str((kb / "pages" / "here.png").resolve()), str((kb / "images" / "ok.png").resolve())]
        )
        or len(vetting.media) == 1
    )  # the same bytes share one media key
    assert vetting.warnings == []
