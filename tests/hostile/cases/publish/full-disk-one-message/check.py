from pathlib import Path


def check(root: Path, result) -> None:
    said = result.stdout + result.stderr
    assert said.count("error:") == 1, said
    assert not list((root / "outputs").glob(".2026-annual-meeting.staging-*")), "staging left"
