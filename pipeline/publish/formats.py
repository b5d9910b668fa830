"""The handbook in other formats, through pandoc: an HTML site, EPUB and ODT."""

from __future__ import annotations

import json
import logging
import os
import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import Any

from ..errors import RenderError
from ..kb.sanitize import clean_html, clean_tag, safe_attribute, safe_url
from ..render.media import MEDIA_FILTER, MEDIA_KEY, Base, Vetting, vet
from ..render.pandoc import MARKDOWN_FORMAT, pandoc_path
from .landing import CSP_META
from .markdown import BASE_ATTRIBUTE, read_bases

log = logging.getLogger(__name__)

FORMATS = ("docx", "pdf", "html", "epub", "odt")
"""Formats ``netdocs publish --formats`` accepts (html, epub, odt: the handbook only)."""


def _run(args: list[str], what: str, stdin: bytes | None = None) -> bytes:
    """pandoc, always in ``--sandbox``: it reads no file but its input and filters."""
    env = dict(os.environ, SOURCE_DATE_EPOCH=os.environ.get("SOURCE_DATE_EPOCH", "1767225600"))
    result = subprocess.run(
        [pandoc_path(), "--sandbox", *args],
        input=stdin,
        capture_output=True,
        env=env,
        timeout=600,
        check=False,
    )
    if result.returncode != 0:
        err = result.stderr.decode("utf-8", "replace").strip()[-800:]
        raise RenderError(f"pandoc could not make {what}: {err}")
    for line in result.stderr.decode("utf-8", "replace").splitlines():
        if line.strip():
            log.warning("%s: %s", what, line.strip())
    return result.stdout


def safe_document(markdown: Path, what: str) -> tuple[dict[str, Any], Vetting]:
    """The handbook's Markdown as pandoc's JSON model, made safe for every output: images
    vetted (:mod:`pipeline.render.media`), raw HTML cleaned to the allow-list and other raw
    formats dropped, unsafe links and attributes removed (:mod:`pipeline.kb.sanitize`),
    metadata replaced. This is the one place the HTML, EPUB and ODT outputs are sanitised."""
    doc = json.loads(_run(["-f", MARKDOWN_FORMAT, str(markdown), "-t", "json"], what))
    token, bases = read_bases(markdown)

    def base_of(div: dict[str, Any]) -> Base | None:
        for key, value in div["c"][0][2]:
            if key == BASE_ATTRIBUTE and token and value.startswith(token + "-"):
                number = value[len(token) + 1 :]
                if number.isdigit() and int(number) < len(bases):
                    return bases[int(number)]
        return None

    vetting = vet(doc, base_of)
    for warning in vetting.warnings:
        log.warning("%s: %s", what, warning)
    media = doc["meta"][MEDIA_KEY]
    doc["meta"] = {MEDIA_KEY: media}
    doc["blocks"] = _clean(doc["blocks"])
    return doc, vetting


_DROP = object()
"""What :func:`_clean` returns for a node to remove from its list."""


def _clean(node: Any) -> Any:
    if isinstance(node, list):
        if _is_attr(node):
            return [node[0], node[1], [kv for kv in node[2] if safe_attribute(kv[0])]]
        out: list[Any] = []
        for item in node:
            if isinstance(item, dict) and item.get("t") == "Div" and _wrapper(item):
                out.extend(_clean(item["c"][1]))  # the block's content, without the wrapper
                continue
            cleaned = _clean(item)
            if cleaned is not _DROP:
                out.append(cleaned)
        return out
    if not isinstance(node, dict):
        return node
    kind = node.get("t")
    if kind in ("RawBlock", "RawInline"):
        fmt, text = node["c"]
        if fmt.lower() != "html":
            return _DROP  # openxml, opendocument, latex...: never written into an output
        node["c"] = [fmt, clean_html(text) if kind == "RawBlock" else clean_tag(text)]
        return node
    if kind == "Link" and not safe_url(node["c"][2][0]):
        return {"t": "Span", "c": [_clean(node["c"][0]), _clean(node["c"][1])]}
    if "c" in node:
        node["c"] = _clean(node["c"])
    return node


def _is_attr(node: list[Any]) -> bool:
    return (
        len(node) == 3
        and isinstance(node[0], str)
        and isinstance(node[1], list)
        and isinstance(node[2], list)
        and all(isinstance(c, str) for c in node[1])
        and all(isinstance(kv, list) and len(kv) == 2 for kv in node[2])
    )


def _wrapper(div: dict[str, Any]) -> bool:
    return any(key == BASE_ATTRIBUTE for key, _value in div["c"][0][2])


def _convert(markdown: Path, to: str, target: Path, title: str, what: str, *extra: str) -> None:
    doc, _vetting = safe_document(markdown, what)
    with tempfile.TemporaryDirectory(prefix="netdocs-formats-") as tmp:
        media_lua = Path(tmp) / "media.lua"
        media_lua.write_text(MEDIA_FILTER, encoding="utf-8")
        _run(
            [
                "-f",
                "json",
                "-t",
                to,
                "--lua-filter",
                str(media_lua),
                "--toc",
                "--toc-depth=2",
                "--metadata",
                f"title={title}",
                "--variable",
                f"header-includes={CSP_META}",
                *extra,
                "-o",
                str(target),
            ],
            what,
            json.dumps(doc, ensure_ascii=False).encode("utf-8"),
        )


def html_site(markdown: Path, folder: Path, title: str) -> Path:
    """A multi-page HTML site: index.html with the contents, one page per part and section,
    images copied in, internal links across pages working."""
    with tempfile.TemporaryDirectory(dir=folder.parent) as tmp:
        built = Path(tmp) / "site"
        _convert(markdown, "chunkedhtml", built, title, "the HTML site", "--split-level=2")
        if folder.exists():
            shutil.rmtree(folder)
        os.replace(built, folder)
    return folder / "index.html"


def epub(markdown: Path, target: Path, title: str) -> Path:
    _convert(markdown, "epub3", target, title, "the EPUB", "--split-level=2")
    return target


def odt(markdown: Path, target: Path, title: str) -> Path:
    _convert(markdown, "odt", target, title, "the ODT")
    return target
