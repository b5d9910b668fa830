"""Which characters the fonts of this machine can draw, for the PDFs LibreOffice makes here.

LibreOffice draws a character no installed font has as an empty box, and may then garble the
symbols after it on the line. ``make pdf-tools`` installs fallback fonts for emoji and symbols
(Symbola), CJK (WenQuanYi Micro Hei) and Arabic (DejaVu Sans); :func:`uncovered` says which
characters of a text none of the installed fonts has, from fontconfig's own list of each font's
characters (``fc-list``), so that KB lint can warn before a PDF shows a box.
"""

from __future__ import annotations

import bisect
import functools
import shutil
import subprocess
import unicodedata

FONT_PACKAGES = "fonts-symbola fonts-wqy-microhei fonts-dejavu-core"
"""The Debian packages of the fallback fonts (``make pdf-tools`` and CI install them)."""


class Coverage:
    """The code points some installed font has, as sorted, merged ranges."""

    def __init__(self, ranges: list[tuple[int, int]]) -> None:
        merged: list[tuple[int, int]] = []
        for start, end in sorted(ranges):
            if merged and start <= merged[-1][1] + 1:
                merged[-1] = (merged[-1][0], max(merged[-1][1], end))
            else:
                merged.append((start, end))
        self._starts = [s for s, _ in merged]
        self._ends = [e for _, e in merged]

    def __contains__(self, code: int) -> bool:
        i = bisect.bisect_right(self._starts, code) - 1
        return i >= 0 and code <= self._ends[i]


def parse_charsets(text: str) -> Coverage:
    """The coverage of ``fc-list --format '%{charset}\\n'`` output: hex code points and
    ranges (``20-7e a0-17f 192``), a line per font."""
    ranges = []
    for word in text.split():
        first, _, last = word.partition("-")
        try:
            ranges.append((int(first, 16), int(last or first, 16)))
        except ValueError:
            continue
    return Coverage(ranges)


@functools.cache
def installed() -> Coverage | None:
    """What the installed fonts cover, or None when fontconfig cannot say (no ``fc-list``):
    then nothing is reported."""
    fc_list = shutil.which("fc-list")
    if fc_list is None:
        return None
    try:
        done = subprocess.run(
            [fc_list, "--format", "%{charset}\n"], capture_output=True, text=True, timeout=30
        )
    except (OSError, subprocess.SubprocessError):
        return None
    if done.returncode != 0 or not done.stdout.strip():
        return None
    return parse_charsets(done.stdout)


def _drawn(char: str) -> bool:
    """Whether ``char`` is drawn by a glyph of its own (not a control, format character,
    joiner or variation selector, which shape the characters around them)."""
    return unicodedata.category(char) not in ("Cc", "Cf", "Cs", "Mn", "Me", "Zl", "Zp")


def uncovered(text: str, coverage: Coverage) -> list[str]:
    """The characters of ``text`` that no font of ``coverage`` has, each once, in order."""
    if text.isascii():
        return []
    out: dict[str, None] = {}
    for char in text:
        if ord(char) > 0x7F and _drawn(char) and ord(char) not in coverage:
            out[char] = None
    return list(out)


def describe(char: str) -> str:
    """``'🫠' (U+1FAE0 MELTING FACE)``."""
    name = unicodedata.name(char, "")
    return f"'{char}' (U+{ord(char):04X}{' ' + name if name else ''})"
