"""Charts and pictures as docxtpl ``InlineImage`` values with alt text.

python-docx writes a picture's ``wp:docPr`` with a file name only; screen readers read its
``descr`` attribute, so :class:`AltInlineImage` sets ``descr`` (and ``title``) from the alt text.
Charts are drawn with matplotlib's Agg backend into PNG bytes without the ``Software`` metadata
so that the bytes depend on the figure only. :class:`InlinePictures` puts several pictures in one
paragraph, a line each (a Gantt chart in parts).

After the merge, :func:`fit_pictures` shrinks every picture wider or taller than the text area
of its section (a landscape section's or a portrait one's), keeping its aspect, and
:func:`split_picture_lines` makes each picture of such a paragraph a paragraph of its own, and
:func:`keep_chart_intros` keeps the paragraph that introduces a picture on the picture's page.
"""

from __future__ import annotations

import copy
import io
from pathlib import Path
from typing import Any

from docx.shared import Mm
from docxtpl import DocxTemplate, InlineImage
from lxml import etree

from ..errors import RenderError
from ..kb.resources import IMAGE_KINDS, IMAGE_SIGNATURES
from . import tables
from .values import Chart, Picture, Pictures

WP = "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"
PIC = "http://schemas.openxmlformats.org/drawingml/2006/picture"
A = "http://schemas.openxmlformats.org/drawingml/2006/main"
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"

EMU_PER_TWIP = 635
EMU_PER_CM = 360_000
CAPTION_ROOM_CM = 2.0
"""Height a picture leaves free in its section's text area, for the caption line under it."""


def chart_png(chart: Chart) -> bytes:
    """The PNG bytes of a chart's figure (Agg backend, no time-dependent metadata)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    figure = chart.figure
    if getattr(figure, "canvas", None) is None or not hasattr(figure, "savefig"):
        raise RenderError("a Chart needs a matplotlib Figure")
    FigureCanvasAgg(figure)  # draw with Agg whatever the global backend is
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=chart.dpi, metadata={"Software": None})
    return buffer.getvalue()


class AltInlineImage(InlineImage):  # type: ignore[misc]
    """An ``InlineImage`` whose picture carries alt text for screen readers."""

    def __init__(self, tpl: DocxTemplate, data: bytes, alt: str, width_mm: float | None) -> None:
        width = Mm(width_mm) if width_mm else None
        super().__init__(tpl, io.BytesIO(data), width=width)
        self.alt = alt

    def _insert_image(self) -> str:
        self.image_descriptor.seek(0)
        xml: str = super()._insert_image()
        start = xml.index("<w:drawing>") + len("<w:drawing>")
        end = xml.index("</w:drawing>")
        inline = etree.fromstring(xml[start:end])
        for el in inline.iter(f"{{{WP}}}docPr", f"{{{PIC}}}cNvPr"):
            el.set("descr", self.alt)
            el.set("title", self.alt)
        inner = etree.tostring(inline, encoding="unicode")
        return xml[:start] + inner + xml[end:]


def picture_bytes(value: Chart | Picture, where: str) -> tuple[bytes, str]:
    """The image bytes of ``value`` and their kind as a file extension (``png``, ``jpg``,
    ``gif``), for every format: a chart drawn to PNG, a picture read from its file or bytes.
    A picture needs alt text, a readable file and the signature of a PNG, JPEG or GIF image;
    each :class:`RenderError` names ``where`` (the context field) and the fix."""
    if not value.alt.strip():
        raise RenderError(f"{where}: a picture needs alt text for screen readers; give it alt=...")
    if isinstance(value, Chart):
        return chart_png(value), "png"
    data = value.source if isinstance(value.source, bytes) else _read(value.source, where)
    for ext, signatures in IMAGE_SIGNATURES.items():
        if data.startswith(signatures):
            return data, "jpg" if ext == ".jpeg" else ext[1:]
    raise RenderError(
        f"{where}: a picture must be a {IMAGE_KINDS} image, and these bytes are not one; "
        "save it again as one of these"
    )


def inline_image(tpl: DocxTemplate, value: Chart | Picture, where: str) -> AltInlineImage:
    """The docxtpl value embedding ``value`` (field path ``where`` names it in errors)."""
    data, _kind = picture_bytes(value, where)
    return AltInlineImage(tpl, data, value.alt, value.width_mm)


class InlinePictures:
    """Several pictures in one paragraph of the template, each on a line of its own (a line
    break between two), so that Word and LibreOffice may break the page between them."""

    def __init__(self, images: list[AltInlineImage]) -> None:
        self.images = images

    def __html__(self) -> str:
        line_break = '</w:t></w:r><w:r><w:br/></w:r><w:r><w:t xml:space="preserve">'
        return line_break.join(image._insert_image() for image in self.images)

    __str__ = __html__


def inline_pictures(tpl: DocxTemplate, value: Pictures, where: str) -> InlinePictures:
    """The docxtpl value embedding each picture of ``value``, one per line."""
    return InlinePictures(
        [inline_image(tpl, item, f"{where}[{i}]") for i, item in enumerate(value.items)]
    )


# -- after the merge: pictures fit their section's text area ----------------------------------


def text_area(sect_pr: etree._Element) -> tuple[int, int] | None:
    """Width and height in EMU of the text area of the section ``sect_pr`` describes
    (:func:`.tables.text_area`, in EMU); ``None`` without a page size."""
    area = tables.text_area(sect_pr)
    if area is None:
        return None
    return area[0] * EMU_PER_TWIP, area[1] * EMU_PER_TWIP


def sections(body: etree._Element) -> list[tuple[list[etree._Element], etree._Element | None]]:
    """The drawings (``wp:inline`` and ``wp:anchor``) of each section of ``body``, in order,
    with the section's properties: a paragraph's ``w:sectPr`` ends its section (the drawings
    in that paragraph included), the body's own last one is the final section's."""
    found: list[tuple[list[etree._Element], etree._Element | None]] = []
    pending: list[etree._Element] = []
    for child in body:
        if child.tag == f"{{{W}}}sectPr":
            found.append((pending, child))
            pending = []
            continue
        pending.extend(child.iter(f"{{{WP}}}inline", f"{{{WP}}}anchor"))
        sect_pr = child.find(f"{{{W}}}pPr/{{{W}}}sectPr") if child.tag == f"{{{W}}}p" else None
        if sect_pr is not None:
            found.append((pending, sect_pr))
            pending = []
    if pending:
        found.append((pending, None))
    return found


def fit_pictures(body: etree._Element, caption_room_cm: float = CAPTION_ROOM_CM) -> int:
    """Shrink, keeping its aspect, every drawing of ``body`` wider than its section's text
    area or taller than that area less ``caption_room_cm``; return how many were shrunk. The
    drawing's extent (``wp:extent``) and its picture's (``a:ext`` in ``pic:spPr``) change
    together."""
    shrunk = 0
    for drawings, sect_pr in sections(body):
        area = text_area(sect_pr) if sect_pr is not None else None
        if area is None:
            continue
        width, height = area[0], area[1] - int(caption_room_cm * EMU_PER_CM)
        for drawing in drawings:
            shrunk += _fit(drawing, width, height)
    return shrunk


def _fit(drawing: etree._Element, width: int, height: int) -> int:
    extent = drawing.find(f"{{{WP}}}extent")
    if extent is None:
        return 0
    cx, cy = int(extent.get("cx", "0")), int(extent.get("cy", "0"))
    if cx <= 0 or cy <= 0 or (cx <= width and cy <= height):
        return 0
    scale = min(width / cx, height / cy)
    new_cx, new_cy = int(cx * scale), int(cy * scale)
    extent.set("cx", str(new_cx))
    extent.set("cy", str(new_cy))
    for ext in drawing.iterfind(f".//{{{PIC}}}spPr/{{{A}}}xfrm/{{{A}}}ext"):
        ext.set("cx", str(new_cx))
        ext.set("cy", str(new_cy))
    return 1


def split_picture_lines(body: etree._Element) -> int:
    """Make each line of a paragraph holding only pictures on lines of their own (as
    :class:`InlinePictures` writes them) a paragraph of its own, with the same properties, so
    that every application may break the page between two; only the last keeps "keep with
    next" (its caption follows it) and a section break. Return how many paragraphs were
    split."""
    split = 0
    for paragraph in list(body.iterchildren(f"{{{W}}}p")):
        lines = _picture_lines(paragraph)
        if lines is None or len(lines) < 2:
            continue
        ppr = paragraph.find(f"{{{W}}}pPr")
        for i, line in enumerate(lines):
            new = etree.Element(f"{{{W}}}p")
            if ppr is not None:
                props = copy.deepcopy(ppr)
                if i < len(lines) - 1:
                    for name in ("keepNext", "sectPr"):
                        for found in props.findall(f"{{{W}}}{name}"):
                            props.remove(found)
                new.append(props)
            new.extend(line)
            paragraph.addprevious(new)
        body.remove(paragraph)
        split += 1
    return split


def _picture_lines(paragraph: etree._Element) -> list[list[etree._Element]] | None:
    """The runs of each line of ``paragraph`` when its lines hold pictures only (no text)
    and are parted by runs holding just a line break; ``None`` for any other paragraph."""
    lines: list[list[etree._Element]] = [[]]
    for child in paragraph:
        if child.tag == f"{{{W}}}pPr":
            continue
        if child.tag != f"{{{W}}}r":
            return None
        if "".join(child.itertext()).strip():
            return None
        kinds = {etree.QName(c).localname for c in child} - {"rPr", "t"}
        if kinds == {"br"} and child.find(f"{{{W}}}br").get(f"{{{W}}}type") is None:
            lines.append([])
        elif kinds <= {"drawing"}:
            lines[-1].append(child)
        else:
            return None
    if not all(any(r.find(f"{{{W}}}drawing") is not None for r in line) for line in lines):
        return None
    return lines


def keep_chart_intros(body: etree._Element) -> int:
    """Give "keep with next" to each paragraph of text just before a paragraph of pictures
    (the introduction of a chart, after its heading), so that it is not left on the page
    before the picture; return how many."""
    kept = 0
    for paragraph in body.iterchildren(f"{{{W}}}p"):
        if paragraph.find(f".//{{{WP}}}inline") is None:
            continue
        before = tables.neighbour(paragraph, after=False)  # past the blocks' bookmark ends
        if (
            before is not None
            and before.tag == f"{{{W}}}p"
            and before.find(f".//{{{WP}}}inline") is None
            and before.find(f"{{{W}}}pPr/{{{W}}}sectPr") is None
            and "".join(before.itertext()).strip()
        ):
            kept += tables.keep_with_next(before)
    return kept


def _read(path: Any, where: str) -> bytes:
    try:
        data: bytes = Path(path).read_bytes()
    except OSError as exc:
        raise RenderError(
            f"{where}: cannot read picture {path}: {exc.strerror or exc}; check the path"
        ) from exc
    return data
