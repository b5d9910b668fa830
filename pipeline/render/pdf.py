"""PDF from .docx: a conversion step through a named engine (LibreOffice), not a writer.

``soffice --headless --convert-to pdf`` runs with a private, throw-away user profile so that it
works while a LibreOffice window is open and never touches the user's settings. The PDF is
written to a temporary folder and moved into place, so a failed conversion leaves nothing.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from ..errors import RenderError, ToolMissingError

INSTALL_HINT = (
    "LibreOffice is needed to make PDFs: install it with "
    "'apt-get install --no-install-recommends libreoffice-writer-nogui' (Debian/Ubuntu), "
    "'brew install --cask libreoffice' (macOS) or from https://www.libreoffice.org"
)
TIMEOUT_SECONDS = 300


def soffice_path() -> str | None:
    """The LibreOffice executable, or ``None`` when it is not installed."""
    for name in ("soffice", "libreoffice"):
        found = shutil.which(name)
        if found:
            return found
    mac = Path("/Applications/LibreOffice.app/Contents/MacOS/soffice")
    return str(mac) if mac.is_file() else None


def convert_to_pdf(docx: Path, pdf: Path | None = None) -> Path:
    """Convert ``docx`` to PDF with LibreOffice headless; returns the PDF path.

    ``pdf`` defaults to ``docx`` with the suffix ``.pdf``. Raises :class:`ToolMissingError`
    when LibreOffice is not installed and :class:`RenderError` when the conversion fails.
    """
    soffice = soffice_path()
    if soffice is None:
        raise ToolMissingError(INSTALL_HINT)
    if not docx.is_file():
        raise RenderError(f"{docx}: no such file to convert to PDF")
    target = pdf or docx.with_suffix(".pdf")
    with tempfile.TemporaryDirectory(prefix="netdocs-pdf-") as tmp:
        folder = Path(tmp)
        profile = (folder / "profile").as_uri()
        command = [
            soffice,
            f"-env:UserInstallation={profile}",
            "--headless",
            "--norestore",
            "--convert-to",
            "pdf",
            "--outdir",
            str(folder / "out"),
            str(docx.resolve()),
        ]
        try:
            done = subprocess.run(
                command,
                capture_output=True,
                timeout=TIMEOUT_SECONDS,
                check=False,
                env={**os.environ, "HOME": tmp},
            )
        except subprocess.TimeoutExpired as exc:
            raise RenderError(
                f"{docx}: LibreOffice did not finish the PDF within {TIMEOUT_SECONDS} s"
            ) from exc
        produced = folder / "out" / (docx.stem + ".pdf")
        if done.returncode != 0 or not produced.is_file():
            detail = (done.stderr or done.stdout).decode("utf-8", "replace").strip()
            raise RenderError(f"{docx}: LibreOffice could not convert it to PDF: {detail}")
        target.parent.mkdir(parents=True, exist_ok=True)
        staged = target.with_name(f".{target.name}.tmp")
        shutil.move(str(produced), staged)
        os.replace(staged, target)
    return target
