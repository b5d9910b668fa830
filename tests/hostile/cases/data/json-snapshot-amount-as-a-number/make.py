"""The sample network as a snapshot whose act-007 budget is a JSON number with 3 decimals."""

import json
from pathlib import Path


def make(root: Path) -> None:
    from pipeline.network import load_network

    doc = json.loads(load_network(root / "kb" / "network").to_json())
    del doc["sha256"]
    assert doc["data"]["activities"][6]["id"] == "act-007"
    doc["data"]["activities"][6]["budget"] = "@@"
    text = json.dumps(doc).replace('"@@"', "37000.505")
    (root / "snapshot.json").write_text(text, encoding="utf-8")
