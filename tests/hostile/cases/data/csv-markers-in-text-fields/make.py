"""Markers in a title, an output, a cluster priority and a partnership's scope."""

from pathlib import Path

from tests.hostile.edits import set_cell


def make(root: Path) -> None:
    network = root / "kb" / "network"
    set_cell(
        network / "activities.csv",
        "act-004",
        "title",
        "Career guidance toolkit for teachers <draft>",
    )
    set_cell(network / "activities.csv", "act-004", "outputs", "Toolkit for teachers|TODO")
    set_cell(
        network / "clusters.csv", "africa", "priorities", "Lorem ipsum dolor|Peer learning visits"
    )
    set_cell(network / "partnerships.csv", "p-02", "scope", "TBD")
