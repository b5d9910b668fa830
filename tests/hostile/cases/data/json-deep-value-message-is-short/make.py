"""The sample network as JSON, with the network's name nested 900 lists deep."""

import json
from pathlib import Path


def make(root: Path) -> None:
    from pipeline.network import load_network

    doc = load_network(root / "kb" / "network").network.model_dump(mode="json")
    doc["network"]["name"] = "@@"
    text = json.dumps(doc).replace('"@@"', "[" * 900 + "]" * 900, 1)
    (root / "mid.json").write_text(text)
