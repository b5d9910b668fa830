import importlib.util
from pathlib import Path
from typing import Any


def check(root: Path, result: Any) -> None:
    """Each is one located warning line; one note says publish refuses them."""
    make_py = Path(__file__).with_name("make.py")
    spec = importlib.util.spec_from_file_location("unfinished_make", make_py)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    at_kb, at_data = module.where(root)
    lines = result.stderr.splitlines()
    assert any(line.startswith(f"warning: {at_kb}: ") and "'TODO'" in line for line in lines)
    assert any(line.startswith("warning: ") and at_data in line and "Dr. Amara Placeholder" in line
               for line in lines)  # fmt: skip
    notes = [line for line in lines if line.startswith("note: ")]
    assert len(notes) == 1 and "netdocs publish refuses them until they are fixed" in notes[0]
    assert not any(line.startswith("error") for line in lines)
