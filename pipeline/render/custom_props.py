"""Custom document properties (``docProps/custom.xml``): what a .docx says about itself.

netdocs names, in every .docx it renders, the edition, the document type and the cluster it
belongs to (:data:`EDITION`, :data:`DOCUMENT`, :data:`CLUSTER`), so that a document coming back
from reviewers can be traced to the edition it was published in. Word, LibreOffice and pandoc
keep custom properties when they save a document (File > Properties > Custom).

:func:`set_custom_properties` writes them into a python-docx document (keeping the template's
own); :func:`read_custom_properties` reads them from a file with the standard library only.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any
from xml.etree import ElementTree as ET

CUSTOM_PREFIX = "netdocs-"
"""Document properties handed to the renderer under a name with this prefix are custom
properties; the others (``subject``, ``keywords``) core properties."""
EDITION = "netdocs-edition"
"""The edition's folder name (``2026-annual-meeting``)."""
DOCUMENT = "netdocs-document"
"""The document type (``handbook``)."""
CLUSTER = "netdocs-cluster"
"""The cluster id of a per-cluster document (absent for the network's documents)."""

_NS = "http://schemas.openxmlformats.org/officeDocument/2006/custom-properties"
_VT = "http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"
_FMTID = "{D5CDD505-2E9C-101B-9397-08002B2CF9AE}"
PART = "docProps/custom.xml"
"""The part that holds them."""
CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.custom-properties+xml"
RELATIONSHIP = (
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships/custom-properties"
)


def parse_properties(xml: bytes) -> dict[str, str]:
    """Name -> text of each property of a ``custom.xml`` (non-text values as their text);
    :class:`ValueError` saying why when it is damaged or is no list of properties."""
    try:
        root = ET.fromstring(xml)
    except ET.ParseError as exc:
        raise ValueError(f"is damaged: {exc}") from exc
    if root.tag != f"{{{_NS}}}Properties":
        raise ValueError(f"is not a list of document properties ({root.tag})")
    out: dict[str, str] = {}
    for prop in root.findall(f"{{{_NS}}}property"):
        name = prop.get("name")
        if name:
            out[name] = "".join(prop.itertext()).strip()
    return out


def properties_xml(props: Mapping[str, str]) -> bytes:
    """The ``custom.xml`` holding ``props`` (each a text property, in order)."""
    ET.register_namespace("", _NS)
    ET.register_namespace("vt", _VT)
    root = ET.Element(f"{{{_NS}}}Properties")
    for pid, (name, value) in enumerate(props.items(), start=2):
        prop = ET.SubElement(root, f"{{{_NS}}}property", fmtid=_FMTID, pid=str(pid), name=name)
        ET.SubElement(prop, f"{{{_VT}}}lpwstr").text = value
    return b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n' + ET.tostring(root)


def set_custom_properties(document: Any, props: Mapping[str, str | None]) -> None:
    """Set ``props`` on the python-docx ``document`` (a ``None`` value removes the property),
    keeping the other custom properties its template has."""
    from docx.opc.packuri import PackURI
    from docx.opc.part import Part

    package = document.part.package
    part = next((r.target_part for r in package.rels.values()
                 if r.reltype == RELATIONSHIP and not r.is_external), None)  # fmt: skip
    try:
        current = parse_properties(part.blob) if part is not None else {}
    except ValueError:
        current = {}  # the template's damaged part: replaced by a readable one
    for name, value in props.items():
        if value is None:
            current.pop(name, None)
        else:
            current[name] = value
    blob = properties_xml(current)
    if part is None:
        part = Part(PackURI("/" + PART), CONTENT_TYPE, blob, package)
        package.relate_to(part, RELATIONSHIP)
    else:
        part._blob = blob


def read_custom_properties(path: Path | bytes) -> dict[str, str]:
    """The custom properties of the .docx ``path`` (or its bytes): empty when it has none or
    is no zip (check a file a user gives with :func:`pipeline.docx_file.read_docx` first)."""
    try:
        data = path.read_bytes() if isinstance(path, Path) else path
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            names = set(zf.namelist())
            if PART not in names:
                return {}
            return parse_properties(zf.read(PART))
    except (OSError, zipfile.BadZipFile, KeyError, ValueError):
        return {}
