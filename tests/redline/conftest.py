"""Two hand-written editions (``source/handbook.md`` as netdocs publish records it, a minimal
manifest and data snapshot) and the redline between them, made once for the whole folder."""

from __future__ import annotations

import json
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pytest
from lxml import etree

from pipeline.publish.redline import RedlineResult, redline

REPO = Path(__file__).resolve().parents[2]
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NS = {"w": W}

Blocks = list[tuple[str, list[tuple[str, str]]]]
"""Parts in order: (part heading, [(block key, block Markdown)])."""

FOREWORD = """## Foreword

The network was built from the grass roots. It serves its members.

A second paragraph with a [link to the convener](../roles/convener.md) and *some emphasis*.
"""
GLOSSARY = "## VET\n\nVocational education and training.\n"
OLD_MEMBERS = """## Members

| Member | Country | Since |
|---|---|---|
| Alpha College | Kenya | 2019 |
| Beta Institute | Ghana | 2020 |
| Delta Centre | Peru | 2018 |
"""
NEW_MEMBERS = """## Members

| Member | Country | Since |
|---|---|---|
| Alpha College | Kenya | 2019 |
| Beta Institute | Ghana | 2021 |
| Gamma Academy | Togo | 2026 |
"""
OLD_CONVENER = """## Convener

Each thematic cluster has a convener. The convener is usually a member institution with
recognised expertise in the theme.

### Benefits

- Leadership and visibility on a theme.
- Access to practitioners in every region.

Conveners serve two years.[^1]

[^1]: The term is renewable once.
"""
NEW_CONVENER = """## Convener

Each thematic cluster has one convener. The convener is normally a member institution with
recognised expertise in the theme.

### Benefits

- Leadership and visibility on a theme.
- Privileged access to practitioners in every region.
- A seat on the advisory body.

Conveners serve two years.[^1]

[^1]: The term is renewable twice.
"""
FOCAL_POINT = "## Focal point\n\nEach cluster has a focal point in the secretariat.\n"
NEW_PAGE = "## Online services\n\nThe portal opens in 2027 for every member.\n"

OLD: Blocks = [
    ("Introduction", [("pages/foreword.md", FOREWORD), ("block:membership", OLD_MEMBERS)]),
    ("Roles", [("roles/convener.md", OLD_CONVENER), ("roles/focal-point.md", FOCAL_POINT)]),
    ("Glossary", [("glossary/glossary-vet.md", GLOSSARY)]),
]
NEW: Blocks = [
    ("Introduction", [("pages/foreword.md", FOREWORD), ("block:membership", NEW_MEMBERS)]),
    ("Roles", [("roles/convener.md", NEW_CONVENER), ("pages/online-services.md", NEW_PAGE)]),
    ("Glossary", [("glossary/glossary-vet.md", GLOSSARY)]),
]
KB = {
    "foreword": ("Foreword", "pages/foreword.md"),
    "convener": ("Convener", "roles/convener.md"),
    "focal-point": ("Focal point", "roles/focal-point.md"),
    "online-services": ("Online services", "pages/online-services.md"),
}


def source_markdown(blocks: Blocks) -> str:
    """``source/<stem>.md`` as netdocs publish writes it."""
    lines: list[str] = []
    for heading, items in blocks:
        lines += [f"# {heading}", ""]
        for key, text in items:
            lines += [f"<!-- netdocs-block: {key} -->", "", *text.strip("\n").split("\n"), ""]
    return "\n".join(lines).rstrip("\n") + "\n"


def make_edition(
    outputs: Path,
    name: str,
    documents: dict[str, Blocks] | None,
    *,
    title: str,
    as_of: str,
    short: str | None = "VETNoN",
    kb: dict[str, tuple[str, str]] | None = None,
) -> Path:
    """An edition folder: ``source/<stem>.md`` of each document (none: an edition published
    by an older netdocs), manifest.json (``kb``: article id -> (title, KB path), default
    :data:`KB`) and data-snapshot.json."""
    folder = outputs / name
    folder.mkdir(parents=True)
    for stem, blocks in (documents or {}).items():
        path = folder / "source" / f"{stem}.md"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(source_markdown(blocks), encoding="utf-8")
    articles = KB if kb is None else kb
    manifest = {
        "edition": name, "title": title, "as_of": as_of, "netdocs": "0.2.0", "files": [],
        "kb": {i: {"title": t, "path": p, "sha256": "0" * 64} for i, (t, p) in articles.items()},
    }  # fmt: skip
    (folder / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    network = {"name": "Network", **({"short_name": short} if short else {})}
    (folder / "data-snapshot.json").write_text(
        json.dumps({"data": {"network": network}}), encoding="utf-8"
    )
    return folder


@dataclass
class Made:
    """The two editions and the redline between them."""

    old: Path
    new: Path
    result: RedlineResult
    docx: Path

    def part(self, name: str = "word/document.xml") -> etree._Element:
        with zipfile.ZipFile(self.docx) as zf:
            return etree.fromstring(zf.read(name))


@pytest.fixture(scope="session")
def made(tmp_path_factory: pytest.TempPathFactory) -> Made:
    outputs = tmp_path_factory.mktemp("redline") / "outputs"
    old = make_edition(outputs, "2025-annual-meeting", {"handbook": OLD},
                       title="2025 Annual Meeting", as_of="2025-10-31")  # fmt: skip
    new = make_edition(outputs, "2026-annual-meeting", {"handbook": NEW},
                       title="2026 Annual Meeting", as_of="2026-10-31")  # fmt: skip
    target = outputs.parent / "handbook-redline.docx"
    result = redline(old, new, "handbook", target, templates=REPO / "templates")
    return Made(old, new, result, target)


# -- reading the Word XML ----------------------------------------------------------------------


def inside(el: etree._Element, tag: str) -> bool:
    """Is ``el`` inside a ``w:<tag>`` (within its paragraph)?"""
    parent = el.getparent()
    while parent is not None and parent.tag != f"{{{W}}}p":
        if parent.tag == f"{{{W}}}{tag}":
            return True
        parent = parent.getparent()
    return False


def mark(p: etree._Element) -> str:
    """``ins``/``del`` when the paragraph's mark is tracked, else ''."""
    for kind in ("ins", "del"):
        if p.find(f"w:pPr/w:rPr/w:{kind}", NS) is not None:
            return kind
    return ""


def text(p: etree._Element, *, side: str = "both") -> str:
    """The paragraph's text: ``new`` (Accept All), ``old`` (Reject All) or ``both``."""
    out: list[str] = []
    for el in p.iter(f"{{{W}}}t", f"{{{W}}}delText"):
        if side == "new" and (inside(el, "del") or el.tag.endswith("delText")):
            continue
        if side == "old" and inside(el, "ins"):
            continue
        out.append(el.text or "")
    return "".join(out)


def paragraphs(root: etree._Element) -> list[etree._Element]:
    return list(root.iter(f"{{{W}}}p"))


def accepted(root: etree._Element, side: str) -> list[str]:
    """The non-empty paragraph texts after Accept All (``new``) or Reject All (``old``),
    done on the XML: a paragraph whose mark is tracked as deleted (inserted) goes."""
    gone = "del" if side == "new" else "ins"
    rows = [tr for tr in root.iter(f"{{{W}}}tr") if tr.find(f"w:trPr/w:{gone}", NS) is not None]
    out = []
    for p in paragraphs(root):
        if mark(p) == gone or any(tr in p.iterancestors(f"{{{W}}}tr") for tr in rows):
            continue
        t = " ".join(text(p, side=side).split())
        if t:
            out.append(t)
    return out
