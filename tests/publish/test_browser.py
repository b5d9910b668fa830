"""The site and the landing page in a real browser (issue 14, item 6): headless Chromium takes
screenshots at a desktop width and a narrow one, and prints a page to PDF. The screenshots are
not blank, are the size asked for, show the sidebar beside the page when wide and above it
when narrow; the landing page's column is centred when wide and fills a narrow screen; print
leaves out the navigation and prints external links' addresses only.

Skipped, saying why, where Chromium is not installed (Debian: ``apt-get install
--no-install-recommends chromium``; CI installs it)."""

from __future__ import annotations

import re
import shutil
import subprocess
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from pipeline.network.model import Cluster
from pipeline.publish.landing import Row, landing_page, meeting_line
from pipeline.render.writers import STYLESHEET
from tests.render.test_site import build_site

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = pytest.mark.skipif(
    CHROMIUM is None,
    reason="Chromium is not installed (apt-get install --no-install-recommends chromium): "
    "no browser screenshots of the site and the landing page",
)

HEIGHT = 900
WIDE, NARROW = 1280, 400


def _colour(name: str) -> tuple[int, int, int]:
    """A colour of the stylesheet's ``:root`` (``--panel: #F6F6F6``)."""
    found = re.search(rf"--{name}: #([0-9A-Fa-f]{{6}});", STYLESHEET.read_text(encoding="utf-8"))
    assert found, name
    value = found.group(1)
    return (int(value[0:2], 16), int(value[2:4], 16), int(value[4:6], 16))


PANEL = _colour("panel")
"""The sidebar's background."""
WHITE = (255, 255, 255)


def _chromium(profile: Path, *args: str) -> None:
    assert CHROMIUM is not None
    done = subprocess.run(
        [CHROMIUM, "--headless", "--disable-gpu", "--no-sandbox", "--no-first-run",
         "--hide-scrollbars", f"--user-data-dir={profile}", *args],
        capture_output=True, timeout=120, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr.decode("utf-8", "replace")[-2000:]


def shoot(page: Path, width: int, out: Path) -> Any:
    """A screenshot of ``page`` in a ``width`` × :data:`HEIGHT` window, as an RGB image."""
    from PIL import Image

    _chromium(out.parent / "profile", f"--screenshot={out}", f"--window-size={width},{HEIGHT}",
              page.as_uri())  # fmt: skip
    assert out.is_file() and out.read_bytes().startswith(b"\x89PNG"), out
    return Image.open(out).convert("RGB")


@pytest.fixture(scope="module")
def shots(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """Screenshots of a site page and of the landing page at both widths, and a page printed."""
    root = tmp_path_factory.mktemp("browser")
    index = build_site(root / "project")
    clusters = [Cluster(id="africa", name="Africa cluster", kind="regional"),
                Cluster(id="greening-tvet", name="Greening TVET", kind="thematic")]  # fmt: skip
    rows = [Row("Handbook", "The handbook.", [("HTML site", "guide-html/index.html", 1 << 20)],
                "Network documents")]  # fmt: skip
    rows += [Row(f"Action plan: {c.name}", "The cluster's plan for the next two years.",
                 [("HTML site", "guide-html/index.html", 1 << 20)], "Cluster documents", c.id)
             for c in clusters]  # fmt: skip
    landing = index.parent.parent / "index.html"
    landing.write_text(
        landing_page("Global VET Network", "2026 Annual Meeting",
                     meeting_line("Lisbon", date(2026, 10, 6)), rows, "Figures as of …", clusters),
        encoding="utf-8",
    )  # fmt: skip
    out = root / "shots"
    out.mkdir()
    page = index.parent / "step-1.html"
    found = {
        f"{name}-{width}": shoot(path, width, out / f"{name}-{width}.png")
        for name, path in (("site", page), ("landing", landing))
        for width in (WIDE, NARROW)
    }
    pdf = out / "step-2.pdf"
    _chromium(out / "profile", f"--print-to-pdf={pdf}", "--no-pdf-header-footer",
              (index.parent / "step-2.html").as_uri())  # fmt: skip
    found["print"] = pdf
    return found


def _column(image: Any, x: int, top: int, bottom: int) -> list[tuple[int, int, int]]:
    return [image.getpixel((x, y)) for y in range(top, bottom)]


def test_the_screenshots_are_the_size_asked_for_and_not_blank(shots: Any) -> None:
    from PIL import ImageStat

    for name in ("site", "landing"):
        for width in (WIDE, NARROW):
            image = shots[f"{name}-{width}"]
            assert image.size == (width, HEIGHT), name
            grey = image.convert("L")
            assert ImageStat.Stat(grey).stddev[0] > 8, f"{name}-{width} looks blank"  # blank: 0
            colours = image.getcolors(maxcolors=1 << 20)
            assert colours is not None and len(colours) > 50, f"{name}-{width}: no text drawn"


def test_the_sidebar_is_beside_the_page_when_wide_and_above_it_when_narrow(shots: Any) -> None:
    wide, narrow = shots[f"site-{WIDE}"], shots[f"site-{NARROW}"]
    # wide: the sidebar's panel runs down the left column (its right padding, 17.5rem wide)
    # to the footer, however short the page
    assert set(_column(wide, 272, 100, HEIGHT - 80)) == {PANEL}, "no sidebar beside the page"
    assert set(_column(wide, WIDE - 40, 100, HEIGHT - 80)) == {WHITE}
    # narrow: the panel spans the whole width at the top, the page is below it
    rows = [y for y in range(60, HEIGHT) if narrow.getpixel((3, y)) == PANEL
            and narrow.getpixel((NARROW - 4, y)) == PANEL]  # fmt: skip
    assert rows, "no sidebar across the narrow screen"
    assert max(rows) < HEIGHT - 200, "the sidebar leaves no room for the page"
    below = _column(narrow, 3, max(rows) + 5, HEIGHT)
    assert PANEL not in below, "the sidebar is beside the page on a narrow screen"


def test_the_landing_page_is_centred_when_wide_and_fills_a_narrow_screen(shots: Any) -> None:
    wide, narrow = shots[f"landing-{WIDE}"], shots[f"landing-{NARROW}"]
    accent = (0x1F, 0x4E, 0x79)
    for image in (wide, narrow):
        assert image.getpixel((image.size[0] // 2, 2)) == accent  # the accent rule on top
    assert set(_column(wide, 60, 20, HEIGHT)) == {WHITE}  # a margin beside the column
    assert accent in _column(wide, WIDE // 2, 20, HEIGHT)  # the tables' header rows
    assert set(_column(narrow, 24, 20, HEIGHT)) != {WHITE}  # the content reaches the edge


def test_print_leaves_out_the_navigation(shots: Any) -> None:
    import pdfplumber

    with pdfplumber.open(shots["print"]) as pdf:
        text = " ".join((p.extract_text() or "") for p in pdf.pages)
    text = " ".join(text.split())
    assert "Step 2 — Stratégie" in text and "See step 1 and the web" in text
    assert "(https://example.org/)" in text  # an external link prints its address
    assert "step-1.html" not in text  # an internal one does not
    for navigation in ("Previous", "Next", "The roadmap", "Directory"):
        assert navigation not in text, navigation  # no pager, breadcrumbs nor sidebar
