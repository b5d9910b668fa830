"""The one check of what an article may embed (pipeline.kb.resources), and KB walks that
never follow a symlinked folder (a loop cannot make them hang or repeat articles)."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.kb.paths import iter_markdown, stat_markdown
from pipeline.kb.resources import check_image

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 16


@pytest.fixture
def kb(tmp_path: Path) -> Path:
    root = tmp_path / "kb"
    (root / "pages").mkdir(parents=True)
    (root / "images").mkdir()
    (root / "images" / "ok.png").write_bytes(PNG)
    (root / "images" / "inner.png").symlink_to(root / "images" / "ok.png")
    (tmp_path / "out.png").write_bytes(PNG)
    (root / "images" / "out.png").symlink_to(tmp_path / "out.png")
    (root / "images" / "gif.png").write_bytes(b"GIF89a....")
    (root / "images" / "self.png").symlink_to(root / "images" / "self.png")
    return root


@pytest.mark.parametrize(
    ("src", "problem"),
    [
        ("../images/out.png", "is a symlink to"),
        ("../images/self.png", "is a symlink loop"),
        ("../images/gif.png", "content is not a PNG image"),
        ("../images", "is not a file"),
        ("../../out.png", "points outside the knowledge base"),
        ("file:///etc/passwd", "file: URLs are not embedded"),
        ("data:image/png;base64,iVBORw0KGgo=", "data: URLs are not embedded"),
        ("javascript:alert(1)", "javascript: URLs are not embedded"),
        ("/etc/passwd", "does not exist (looked for etc/passwd"),
        ("", "names no file"),
        ("a%00b.png", "not a valid file name"),
        ("x" * 5000 + ".png", "does not exist"),
    ],
)
def test_refused_images_say_why(kb: Path, src: str, problem: str) -> None:
    checked = check_image(src, "pages", kb)
    assert checked.path is None and checked.url is None
    assert checked.problem is not None and problem in checked.problem


def test_vetted_images_resolve_inside_the_kb(kb: Path) -> None:
    real = (kb / "images" / "ok.png").resolve()
    assert check_image("../images/ok.png", "pages", kb).path == real
    assert check_image("/images/ok.png", "pages", kb).path == real  # '/' is the KB's root
    assert check_image("../images/inner.png", "pages", kb).path == real  # a link inside is fine
    assert check_image("../images/ok%2Epng?x=1#y", "pages", kb).path == real
    remote = check_image("https://example.org/a.png", "pages", kb)
    assert remote.url == "https://example.org/a.png" and remote.path is None


def test_walks_do_not_follow_a_folder_loop(kb: Path) -> None:
    (kb / "pages" / "a.md").write_text("# A\n", encoding="utf-8")
    (kb / "pages" / "again").symlink_to(kb)
    assert [p.name for p in iter_markdown(kb)] == ["a.md"]
    assert list(stat_markdown(kb)) == ["pages/a.md"]
