"""The sample network as a snapshot, edited by hand (its sha256 removed to accept the edits)."""

import json
from pathlib import Path


def make(root: Path) -> None:
    from pipeline.network import load_network

    doc = json.loads(load_network(root / "kb" / "network").to_json())
    del doc["sha256"]
    data = doc["data"]
    data["activities"][3]["outputs"][0] = "Toolkit <draft> for teachers"
    data["organisations"][5]["name"] = "Fictional Ministry of Labour and Skills"
    data["strategy"]["mission"] = "TBD"
    (root / "snapshot.json").write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
