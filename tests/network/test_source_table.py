"""A kind of data source is one record in ``network.sources.SOURCES``: adding one (a reader
defined here, one table line) makes ``load_network``, ``export_network``, the messages and the
CLI's help know it, with no other edit."""

from __future__ import annotations

import tempfile
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from pipeline.cli import cli
from pipeline.errors import NotFoundError, UsageError
from pipeline.network import (
    BUNDLED_SAMPLE,
    Snapshot,
    export_network,
    load_network,
    source_kind,
    sources,
)
from pipeline.network.sources import Source
from pipeline.network.sources.folder import read_folder
from pipeline.network.sources.writers import write_folder
from pipeline.network.tables import Raw


def _read_zip(source: str, timeout: float) -> tuple[Raw, None]:
    with tempfile.TemporaryDirectory() as tmp:
        with zipfile.ZipFile(source) as archive:
            archive.extractall(tmp)
        return read_folder(Path(tmp)), None


def _write_zip(snapshot: Snapshot, target: str, overwrite: bool, timeout: float) -> str:
    path = Path(target)
    if path.exists() and not overwrite:
        raise UsageError(f"{path} already exist(s); pass --force to replace")
    with tempfile.TemporaryDirectory() as tmp:
        write_folder(snapshot.network, Path(tmp))
        with zipfile.ZipFile(path, "w") as archive:
            for file in sorted(Path(tmp).iterdir()):
                archive.write(file, file.name)
    return str(path)


ZIP = Source(
    "zip",
    "a zipped folder of CSV/YAML",
    ".zip",
    lambda text: text.lower().endswith(".zip"),
    _read_zip,
    _write_zip,
    "FILE.zip",
)

DEMO = Source(
    "demo",
    "a demo: name",
    "URL",
    lambda text: text.startswith("demo:"),
    lambda source, timeout: (read_folder(BUNDLED_SAMPLE), None),
    url=True,
    label=lambda text: text.upper(),
)


@pytest.fixture
def with_zip(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sources, "SOURCES", (*sources.SOURCES, ZIP))


def test_a_registered_kind_is_read_and_written(
    with_zip: None, tmp_path: Path, sample: Snapshot
) -> None:
    target = tmp_path / "network.zip"
    assert source_kind(target) == "zip"
    assert export_network(sample, target) == str(target)
    assert zipfile.ZipFile(target).namelist()[0].endswith((".csv", ".yaml"))
    loaded = load_network(target)
    assert loaded.network == sample.network
    assert loaded.sha256 == sample.sha256
    assert loaded.source == str(target)
    with pytest.raises(UsageError, match="already exist"):
        export_network(sample, target)


def test_without_its_line_the_kind_is_unknown(tmp_path: Path, sample: Snapshot) -> None:
    target = tmp_path / "network.zip"
    assert source_kind(target) == "folder"
    target.write_bytes(b"PK")
    with pytest.raises(UsageError, match=r"network\.zip: not a folder, \.xlsx, \.json or URL$"):
        load_network(target)


def test_the_messages_list_a_registered_kind(with_zip: None, tmp_path: Path) -> None:
    with pytest.raises(NotFoundError) as info:
        load_network(tmp_path / "missing.zip")
    assert str(info.value) == (
        f"{tmp_path / 'missing.zip'}: no such data source (a folder, .xlsx, .json, URL or .zip)"
    )
    with pytest.raises(UsageError) as refused:
        export_network(load_network(BUNDLED_SAMPLE), "https://example.org/network")
    assert str(refused.value).startswith("https://example.org/network: cannot export to an http")
    assert str(refused.value).endswith("(sqlite:///network.db) or a zipped folder of CSV/YAML")


def _help(*argv: str) -> str:
    """The help of ``netdocs ARGV``, its lines joined (click wraps them)."""
    return " ".join(CliRunner().invoke(cli, [*argv, "--help"]).output.split())


def test_the_help_lists_a_registered_kind(with_zip: None) -> None:
    export = _help("data", "export")
    assert "--to DIR|FILE.xlsx|FILE.json|URL|FILE.zip " in export
    assert "database URL (sqlite:///network.db) or a zipped folder of CSV/YAML." in export
    assert "an http(s) URL or a zipped folder of CSV/YAML (default: kb/network/)." in export
    group = _help("data")
    assert "answers with the network as JSON or a zipped folder of CSV/YAML." in group


def test_the_help_without_it_is_the_built_in_list() -> None:
    export = _help("data", "export")
    assert "--to DIR|FILE.xlsx|FILE.json|URL " in export
    assert "zip" not in export


def test_a_read_only_url_kind(monkeypatch: pytest.MonkeyPatch, sample: Snapshot) -> None:
    monkeypatch.setattr(sources, "SOURCES", (*sources.SOURCES, DEMO))
    loaded = load_network("demo:sample")  # a URL kind is not looked for on disk
    assert loaded.network == sample.network
    assert loaded.source == "DEMO:SAMPLE"  # shown through its label
    with pytest.raises(UsageError) as info:
        export_network(sample, "demo:sample")
    assert str(info.value) == (
        "DEMO:SAMPLE: cannot export to a demo: name; export to a folder of CSV/YAML, an .xlsx "
        "workbook, a snapshot .json or a database URL (sqlite:///network.db)"
    )


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("kb/network", "folder"),
        ("network.XLSX", "xlsx"),
        ("snap.json", "json"),
        ("sqlite:///network.db", "sql"),
        ("sqlite:network.db", "sql"),
        ("postgresql://u@h/network.json", "sql"),
        ("https://example.org/network.json", "http"),
        ("HTTP://example.org/network.xlsx", "http"),
    ],
)
def test_the_last_entry_that_claims_a_text_wins(text: str, kind: str) -> None:
    assert source_kind(text) == kind
