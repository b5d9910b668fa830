"""The sample network as a SQLite database, with markers and placeholder names."""

import sqlite3
from pathlib import Path


def make(root: Path) -> None:
    from pipeline.network import export_network, load_network

    db = root / "network.db"
    export_network(load_network(root / "kb" / "network"), f"sqlite:///{db}")
    with sqlite3.connect(db) as conn:
        conn.execute("UPDATE activities SET title = title || ' <draft>' WHERE id = 'act-004'")
        conn.execute("UPDATE clusters SET convener = 'Ms. Jane Doe' WHERE id = 'youth-employment'")
        conn.execute("UPDATE kpis SET name = 'TODO' WHERE id = 'a2-k1'")
        conn.execute(
            "UPDATE partnerships SET partner = partner || ' (fictional)' WHERE id = 'p-01'"
        )
