"""Settings: netdocs.toml, defaults and command-line overrides."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.config import load_settings
from pipeline.errors import ConfigError
from tests.conftest import run


def test_defaults_serve_the_bundled_project(tmp_path: Path) -> None:
    from pipeline.config import BUNDLED_ROOT

    bundled = load_settings(cwd=tmp_path)  # no kb/ here: the bundled project
    assert bundled.kb == BUNDLED_ROOT / "kb" and bundled.kb.is_dir()
    assert bundled.data == str(BUNDLED_ROOT / "kb" / "network")
    (tmp_path / "kb").mkdir()
    s = load_settings(cwd=tmp_path)
    assert s.config_file is None
    assert (s.kb, s.outputs, s.cache) == (
        tmp_path / "kb",
        tmp_path / "outputs",
        tmp_path / ".netdocs",
    )
    assert s.data == str(tmp_path / "kb" / "network")
    assert s.edition == "2026-annual-meeting"


def test_file_then_overrides(tmp_path: Path) -> None:
    (tmp_path / "netdocs.toml").write_text(
        'kb = "docs"\nedition = "2027-meeting"\n'
        'data = "sqlite:///net.db"\nlanguages = ["en", "fr"]\n'
    )
    sub = tmp_path / "sub"
    sub.mkdir()
    s = load_settings(cwd=sub)  # found in a parent folder
    assert s.kb == tmp_path / "docs"
    assert (s.edition, s.data, s.languages) == ("2027-meeting", "sqlite:///net.db", ("en", "fr"))
    s2 = load_settings(cwd=sub, kb="other", edition=None)
    assert s2.kb == sub / "other" and s2.edition == "2027-meeting"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('kbb = "x"\n', "unknown key 'kbb' (did you mean 'kb'?)"),
        ("edition = 2027\n", "key 'edition' (edition name) must be text in quotes, got int 2027"),
        (
            'languages = "en"\n',
            "key 'languages' (list of language codes) must be a list such as [\"en\"]",
        ),
        ("kb = [\n", "invalid TOML"),
    ],
)
def test_bad_settings_name_the_key(tmp_path: Path, text: str, message: str) -> None:
    (tmp_path / "netdocs.toml").write_text(text)
    with pytest.raises(ConfigError) as info:
        load_settings(cwd=tmp_path)
    assert message in info.value.message
    assert str(tmp_path / "netdocs.toml") in info.value.message


def test_cli_reports_a_bad_settings_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "netdocs.toml").write_text('templats = "t"\n')
    monkeypatch.chdir(tmp_path)
    result = run("kb", "list")
    assert result.exit_code == 2
    assert "unknown key 'templats' (did you mean 'templates'?)" in result.output
