"""An article that is a symlink to a file outside kb/, with a word found nowhere else."""

from pathlib import Path


def make(root: Path) -> None:
    outside = root / "outside.md"
    outside.write_text(
        "---\nid: outside\ntitle: Outside\ntype: page\nsummary: Not in the KB.\n---\n\n"
        "Zanzibarquux secret text.\n",
        encoding="utf-8",
    )
    (root / "kb" / "pages" / "linked.md").symlink_to(outside)
