import importlib.util
from pathlib import Path
from typing import Any


def check(root: Path, result: Any) -> None:
    """Both are listed in the one refusal, each at its place, as errors."""
    make_py = Path(__file__).with_name("make.py")
    spec = importlib.util.spec_from_file_location("unfinished_make", make_py)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    at_kb, at_data = module.where(root)
    lines = result.stderr.splitlines()
    assert lines[0].startswith("error: publish stopped before writing anything: "), lines[0]
    assert sum(line.startswith("error: ") for line in lines) == 1  # one refusal
    assert any(line.startswith(f"  {at_kb}: error: ") and "'TODO'" in line for line in lines)
    assert any(at_data in line and ": error: " in line and "Dr. Amara Placeholder" in line
               for line in lines)  # fmt: skip
