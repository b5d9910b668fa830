"""Charts and pictures as docxtpl ``InlineImage`` values with alt text.

python-docx writes a picture's ``wp:docPr`` with a file name only; screen readers read its
``descr`` attribute, so :class:`AltInlineImage` sets ``descr`` (and ``title``) from the alt text.
Charts are drawn with matplotlib's Agg backend into PNG bytes without the ``Software`` metadata
so that the bytes depend on the figure only.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

from docx.shared import Mm
from docxtpl import DocxTemplate, InlineImage
from lxml import etree

from ..errors import RenderError
from ..kb.resources import IMAGE_KINDS, IMAGE_SIGNATURES
from .values import Chart, Picture

WP = "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"
PIC = "http://schemas.openxmlformats.org/drawingml/2006/picture"


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


def _read(path: Any, where: str) -> bytes:
    try:
        data: bytes = Path(path).read_bytes()
    except OSError as exc:
        raise RenderError(
            f"{where}: cannot read picture {path}: {exc.strerror or exc}; check the path"
        ) from exc
    return data
