"""Where each bookmark of a .docx is: the heading it marks or the section it falls in.

pandoc keeps a bookmark that sits inside a paragraph (an empty span with its name) but drops
one placed between paragraphs, as Word does for a heading's bookmark when the heading was
inserted after it, and as netdocs does for the start of every article. Cross references to
such a bookmark would be lost; :func:`bookmark_headings` reads them from the main document
part itself (``word/document.xml``, or the part ``_rels/.rels`` names) and names, for each,
the heading it starts or falls under, as (text, occurrence): the heading's text and how many
headings with that same text came before it, which is how
:class:`~pipeline.kb.docx_import_ast.Cleaner` finds it again in pandoc's document.
"""

from __future__ import annotations

import io
import re
import zipfile

from lxml import etree

from ..docx_file import main_part

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_HEADING = re.compile(r"^heading [1-9]$", re.IGNORECASE)
_PARSER = etree.XMLParser(resolve_entities=False, huge_tree=False)


def heading_key(text: str, occurrence: int) -> str:
    """The anchor key of the ``occurrence``-th (0-based) heading whose text is ``text``."""
    return f"heading:{occurrence}:{' '.join(text.split()).lower()}"


def bookmark_headings(data: bytes) -> dict[str, str]:
    """Bookmark name -> :func:`heading_key` of the heading it marks (it is in it, or just
    before it) or, for one inside a section's text, of the heading above it."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        names = set(archive.namelist())
        main = main_part(archive)
        if main is None:
            return {}
        document = archive.read(main)
        styles = archive.read("word/styles.xml") if "word/styles.xml" in names else b""
    headings = _heading_styles(styles)
    body = etree.fromstring(document, parser=_PARSER).find(f"{{{W}}}body")
    if body is None:
        return {}
    out: dict[str, str] = {}
    pending: list[str] = []
    seen: dict[str, int] = {}
    current: str | None = None
    for element in body.iter(f"{{{W}}}p", f"{{{W}}}bookmarkStart"):
        if element.tag == f"{{{W}}}bookmarkStart":
            if not _in_paragraph(element):
                pending.append(element.get(f"{{{W}}}name", ""))
            continue
        inside = [b.get(f"{{{W}}}name", "") for b in element.iter(f"{{{W}}}bookmarkStart")]
        style = element.find(f"{{{W}}}pPr/{{{W}}}pStyle")
        style_id = style.get(f"{{{W}}}val", "") if style is not None else ""
        if style_id in headings:
            text = "".join(t.text or "" for t in element.iter(f"{{{W}}}t"))
            fold = " ".join(text.split()).lower()
            current = heading_key(text, seen.get(fold, 0))
            seen[fold] = seen.get(fold, 0) + 1
        if current is not None:
            for name in pending + inside:
                if name:
                    out.setdefault(name, current)
        pending = []
    return out


def _in_paragraph(element: etree._Element) -> bool:
    parent = element.getparent()
    while parent is not None:
        if parent.tag == f"{{{W}}}p":
            return True
        parent = parent.getparent()
    return False


def _heading_styles(styles: bytes) -> set[str]:
    """The ids of the paragraph styles named "heading 1" ... "heading 9"."""
    if not styles:
        return {f"Heading{n}" for n in range(1, 10)}
    root = etree.fromstring(styles, parser=_PARSER)
    out = set()
    for style in root.iter(f"{{{W}}}style"):
        name = style.find(f"{{{W}}}name")
        if name is not None and _HEADING.match(name.get(f"{{{W}}}val", "")):
            out.add(style.get(f"{{{W}}}styleId", ""))
    return out
