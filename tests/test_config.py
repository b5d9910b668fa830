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


# -- the edition's dates and names ---------------------------------------------------------------


def test_the_bundled_project_sets_its_edition_dates_and_title(tmp_path: Path) -> None:
    from datetime import date

    from pipeline.config import BUNDLED_ROOT

    for where in (BUNDLED_ROOT, tmp_path):  # in the project, or anywhere without a kb/
        s = load_settings(cwd=where)
        assert s.config_file == BUNDLED_ROOT / "netdocs.toml"
        assert (s.edition, s.title) == ("2026-annual-meeting", "2026 Annual Meeting")
        assert (s.meeting_date, s.as_of) == (date(2026, 10, 6), date(2026, 10, 31))
        assert s.kb == BUNDLED_ROOT / "kb" and s.data == str(BUNDLED_ROOT / "kb" / "network")


def test_title_defaults_to_the_slug_and_follows_another_edition(tmp_path: Path) -> None:
    from pipeline.config import title_from_slug

    assert title_from_slug("2026-annual-meeting") == "2026 Annual Meeting"
    assert title_from_slug("2027_TVET-forum") == "2027 TVET Forum"
    (tmp_path / "kb").mkdir()
    s = load_settings(cwd=tmp_path)
    assert (s.title, s.meeting_date, s.as_of) == ("2026 Annual Meeting", None, None)
    (tmp_path / "netdocs.toml").write_text(
        'edition = "2026-annual-meeting"\ntitle = "Lisbon 2026"\n', encoding="utf-8"
    )
    assert load_settings(cwd=tmp_path).title == "Lisbon 2026"
    assert load_settings(cwd=tmp_path, edition="2026-annual-meeting").title == "Lisbon 2026"
    # the file's title names the file's edition: another slug gets its own title
    other = load_settings(cwd=tmp_path, edition="2027-annual-meeting")
    assert other.title == "2027 Annual Meeting"
    assert load_settings(cwd=tmp_path).with_edition("2027-x").title == "2027 X"
    named = load_settings(cwd=tmp_path, edition="2027-x", title="Seoul 2027")
    assert named.title == "Seoul 2027" and named.with_edition("2028-x").title == "Seoul 2027"


def test_dates_as_toml_dates_or_text_and_the_as_of_override(tmp_path: Path) -> None:
    from datetime import date

    (tmp_path / "netdocs.toml").write_text(
        'meeting_date = 2027-05-04\nas_of = "2027-05-31"\n', encoding="utf-8"
    )
    s = load_settings(cwd=tmp_path)
    assert (s.meeting_date, s.as_of) == (date(2027, 5, 4), date(2027, 5, 31))
    assert s.as_of_for(date(2030, 1, 1)) == date(2027, 5, 31)
    s2 = load_settings(cwd=tmp_path, as_of="2027-06-15")
    assert s2.as_of == date(2027, 6, 15) and s2.overrides == {"as_of": "2027-06-15"}
    assert load_settings(cwd=tmp_path, as_of=date(2027, 7, 1)).as_of == date(2027, 7, 1)
    (tmp_path / "netdocs.toml").write_text("edition = 'x'\n", encoding="utf-8")
    assert load_settings(cwd=tmp_path).as_of_for(date(2030, 1, 1)) == date(2030, 1, 1)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            'as_of = "31/10/2026"\n',
            "key 'as_of' (date the figures are computed for) must be a day written "
            "YYYY-MM-DD, such as 2026-10-31; got '31/10/2026'",
        ),
        (
            'as_of = "2026-02-30"\n',
            "key 'as_of' (date the figures are computed for) must be a day written YYYY-MM-DD",
        ),
        (
            "meeting_date = 2026-10-06T09:00:00\n",
            "key 'meeting_date' (date of the annual meeting) must be a day such as 2026-10-31, "
            "not a date and time (2026-10-06T09:00:00)",
        ),
        (
            "meeting_date = 20261006\n",
            "key 'meeting_date' (date of the annual meeting) must be a date such as "
            "2026-10-31 or text in quotes, got int 20261006",
        ),
        ('title = ""\n', "key 'title' (display name of the edition) must be one line of text"),
        ('title = "a\\nb"\n', "key 'title' (display name of the edition) must be one line"),
        ("title = 2026\n", "key 'title' (display name of the edition) must be text in quotes"),
    ],
)
def test_bad_dates_and_titles_name_the_file_and_key(
    tmp_path: Path, text: str, message: str
) -> None:
    (tmp_path / "netdocs.toml").write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        load_settings(cwd=tmp_path)
    assert info.value.message.startswith(f"{tmp_path / 'netdocs.toml'}: ")
    assert message in info.value.message


def test_a_bad_as_of_override_names_the_option(tmp_path: Path) -> None:
    (tmp_path / "kb").mkdir()
    with pytest.raises(ConfigError) as info:
        load_settings(cwd=tmp_path, as_of="yesterday")
    assert info.value.message == (
        "--as-of must be a day written YYYY-MM-DD, such as 2026-10-31; got 'yesterday'"
    )
    assert info.value.exit_code == 2


# -- one declaration, every mistake at once --------------------------------------------------


def test_the_keys_and_their_descriptions_come_from_the_settings_declaration() -> None:
    from dataclasses import fields

    from pipeline.config import KEYS, Settings

    internal = {"root", "config_file", "overrides", "explicit", "period"}  # period: --period only
    assert list(KEYS) == [f.name for f in fields(Settings) if f.name not in internal]
    assert KEYS["as_of"] == "date the figures are computed for"


def test_every_mistake_in_the_file_is_reported_at_once(tmp_path: Path) -> None:
    config = tmp_path / "netdocs.toml"
    config.write_text(
        'as_of = "31/10/2026"\nkbb = "x"\nedition = 2027\nlanguages = "en"\n', encoding="utf-8"
    )
    with pytest.raises(ConfigError) as info:
        load_settings(cwd=tmp_path)
    lines = info.value.message.splitlines()
    assert lines[0] == f"{config}: 4 mistakes, each to be fixed:"
    assert lines[1:] == [
        f"  {config}: unknown key 'kbb' (did you mean 'kb'?). Known keys: as_of, cache, data, "
        "edition, kb, languages, meeting_date, outputs, templates, title",
        f"  {config}: key 'edition' (edition name) must be text in quotes, got int 2027",
        f"  {config}: key 'as_of' (date the figures are computed for) must be a day written "
        "YYYY-MM-DD, such as 2026-10-31; got '31/10/2026'",
        f"  {config}: key 'languages' (list of language codes) must be a list such as "
        "[\"en\"], got str 'en'",
    ]
    assert info.value.exit_code == 2


def test_every_mistake_in_the_options_is_reported_at_once(tmp_path: Path) -> None:
    (tmp_path / "kb").mkdir()
    with pytest.raises(ConfigError) as info:
        load_settings(cwd=tmp_path, as_of="yesterday", edition="../up", title="a\nb")
    assert info.value.message.splitlines() == [
        "the command-line options: 3 mistakes, each to be fixed:",
        "  --edition: edition name '../up' must be a plain folder name such as "
        '"2026-annual-meeting": letters, digits, ".", "_" and "-", starting with a letter or '
        "digit, at most 100 characters, no / and no ..",
        '  --title must be one line of text of 1 to 120 characters, such as "2026 Annual '
        "Meeting\"; got 'a\\nb'",
        "  --as-of must be a day written YYYY-MM-DD, such as 2026-10-31; got 'yesterday'",
    ]


def test_a_language_list_must_hold_codes_and_settings_made_in_code_are_checked_too(
    tmp_path: Path,
) -> None:
    from dataclasses import replace
    from datetime import date

    (tmp_path / "netdocs.toml").write_text('languages = ["en", 3]\n', encoding="utf-8")
    with pytest.raises(ConfigError, match=r"key 'languages' .* must hold language codes"):
        load_settings(cwd=tmp_path)
    (tmp_path / "netdocs.toml").write_text('languages = ["en", "fr"]\nkb = "docs"\n')
    s = load_settings(cwd=tmp_path)
    moved = replace(s, as_of=date(2027, 1, 1))  # the tests' way to vary settings
    assert (moved.as_of, moved.kb, moved.languages) == (date(2027, 1, 1), s.kb, ("en", "fr"))
    assert s.explicit == {"languages", "kb"}


def test_the_quick_reader_knows_the_same_keys() -> None:
    from pipeline.config import KEYS
    from pipeline.config_file import KEY_NAMES

    assert KEY_NAMES == set(KEYS)


@pytest.mark.parametrize(
    ("text", "kb"),
    [
        (None, None),  # no netdocs.toml: kb/ and .netdocs/ of the current folder
        ("", None),
        ('kb = "guides"\ncache = "../state"\n', None),
        ('[netdocs]\nkb = "./guides/"\nedition = "2027-meeting"\n', None),
        ('kb = "guides"\n', "elsewhere/kb"),  # --kb, relative to the current folder
        (None, "elsewhere/kb"),
    ],
)
def test_the_quick_reader_finds_the_folders_load_settings_finds(
    tmp_path: Path, text: str | None, kb: str | None
) -> None:
    from pipeline.config_file import folders

    project = tmp_path / "project"
    (project / "kb").mkdir(parents=True)
    cwd = project / "sub"
    cwd.mkdir()
    if text is not None:
        (project / "netdocs.toml").write_text(text, encoding="utf-8")
    else:
        cwd = project
    found = folders(cwd=cwd, kb=kb)
    full = load_settings(cwd=cwd, kb=kb)
    assert found is not None and (found.kb, found.cache) == (full.kb, full.cache)


@pytest.mark.parametrize(
    "text",
    ["kb = 3\n", 'kbb = "guides"\n', "kb = [\n", 'cache = ["a"]\n'],
    ids=["not-text", "unknown-key", "not-toml", "cache-not-text"],
)
def test_the_quick_reader_leaves_a_file_it_cannot_vouch_for_to_the_full_load(
    tmp_path: Path, text: str
) -> None:
    from pipeline.config_file import folders

    (tmp_path / "kb").mkdir()
    (tmp_path / "netdocs.toml").write_text(text, encoding="utf-8")
    assert folders(cwd=tmp_path) is None
    with pytest.raises(ConfigError, match="netdocs.toml"):
        load_settings(cwd=tmp_path)


def test_search_reports_a_bad_settings_file_like_every_command(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "kb").mkdir()
    (tmp_path / "netdocs.toml").write_text('kbb = "guides"\n', encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    result = run("search", "convener")
    assert result.exit_code == 2
    assert "unknown key 'kbb' (did you mean 'kb'?)" in result.output
