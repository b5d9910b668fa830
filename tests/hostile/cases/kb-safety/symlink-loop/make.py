"""Symlink loops inside the KB: a folder linking to its parent, two articles linking to each
other, an image linking to itself."""

from pathlib import Path


def make(root: Path) -> None:
    kb = root / "kb"
    (kb / "pages" / "again").symlink_to(kb)
    (kb / "pages" / "l1.md").symlink_to(kb / "pages" / "l2.md")
    (kb / "pages" / "l2.md").symlink_to(kb / "pages" / "l1.md")
    (kb / "images" / "self.png").symlink_to(kb / "images" / "self.png")
    (kb / "pages" / "uses-loop.md").write_text(
        "---\nid: uses-loop\ntitle: Uses loop\ntype: page\nsummary: An image loop.\n---\n\n"
        "![Loop](../images/self.png)\n",
        encoding="utf-8",
    )
