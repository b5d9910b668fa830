"""Passwords in source URLs are never shown (issue 10.8, review): not when they hold an
unencoded ``/``, ``?``, ``#`` or ``@`` that a URL parser takes for the end of the host."""

from __future__ import annotations

import base64
import urllib.request
from http.client import HTTPMessage
from io import BytesIO

import pytest

from pipeline.errors import DataError, NetdocsError, UsageError
from pipeline.network import load_network
from pipeline.network.sources.http import _RedirectHandler
from pipeline.network.sources.sql import describe_url
from pipeline.network.sources.urls import password_text, redact

SECRETS = ["Kx9/Vw4", "Kx9?Vw4", "Kx9#Vw4", "Kx9@Vw4", "Kx9/?#@Vw4"]
"""Passwords written unencoded; neither half may appear in any message."""


@pytest.mark.parametrize(
    ("url", "shown"),
    [
        ("https://bob:s3cr/et@api.example.org/x", "https://bob:***@api.example.org/x"),
        ("https://bob:a?b#c@d@h:8443/x?y=1", "https://bob:***@h:8443/x?y=1"),
        (
            "postgresql://bob:p@ss@db.example.org/network",
            "postgresql://bob:***@db.example.org/network",
        ),
        ("postgresql://bob:p%40ss@h:5432/network", "postgresql://bob:***@h:5432/network"),
        ("https://bob@corp:pw@h/", "https://bob@corp:***@h/"),
        ("https://bob@h/x", "https://bob@h/x"),
        ("https://h:8443/x", "https://h:8443/x"),
        ("https://a@h:8443/x", "https://a@h:8443/x"),
        ("sqlite:///data/a:b@c.db", "sqlite:///data/a:b@c.db"),
        ("kb/network", "kb/network"),
    ],
)
def test_redact_hides_everything_between_the_user_and_the_last_at(url: str, shown: str) -> None:
    assert redact(url) == shown
    assert describe_url(url) == shown


def test_password_text_is_the_raw_password() -> None:
    assert password_text("https://bob:a/b?c#d@e@h/x") == "a/b?c#d@e"
    assert password_text("https://h/x") is None


def _message(url: str, kind: type[NetdocsError] | tuple[type[NetdocsError], ...]) -> str:
    with pytest.raises(kind) as info:
        load_network(url, timeout=3)
    return info.value.format_message()


@pytest.mark.parametrize("secret", SECRETS)
def test_http_url_with_a_password_holding_url_delimiters(secret: str) -> None:
    url = f"https://bob:{secret}@127.0.0.1:9/network.json"
    message = _message(url, (UsageError, DataError))
    assert "Kx9" not in message and "Vw4" not in message, message
    assert "https://bob:***@127.0.0.1:9/network.json" in message, message


def test_http_url_that_cannot_be_parsed_says_how_to_write_the_password() -> None:
    message = _message("https://bob:s3cr/et@api.example.org/x", UsageError)
    assert message == (
        "https://bob:***@api.example.org/x is not a valid URL: write / ? # or @ in the user "
        "name or password percent-encoded, as %2F %3F %23 %40"
    )


@pytest.mark.parametrize("secret", SECRETS)
def test_postgresql_url_with_a_password_holding_url_delimiters(secret: str) -> None:
    url = f"postgresql://bob:{secret}@127.0.0.1:9/network"
    message = _message(url, (UsageError, DataError))
    assert "Kx9" not in message and "Vw4" not in message, message
    assert message.startswith("postgresql://bob:***@127.0.0.1:9/network: "), message
    if "@" in secret:  # the parser would take the rest of the password for the host
        assert "write '@' in the user name or password percent-encoded, as %40" in message
    else:
        assert "cannot connect" in message


def test_sqlite_missing_file_is_named_without_a_password() -> None:
    message = _message("sqlite://bob:Kx9/Vw4@/no/such/network.db", (UsageError, DataError))
    assert "Kx9" not in message and "Vw4" not in message, message


def _redirect(handler: _RedirectHandler, start: str, to: str) -> urllib.request.Request:
    headers = HTTPMessage()
    headers["Location"] = to
    new = handler.redirect_request(
        urllib.request.Request(start), BytesIO(), 301, "Moved", headers, to
    )
    assert new is not None
    return new


AUTH = "Basic " + base64.b64encode(b"bob:pw").decode()


@pytest.mark.parametrize(
    ("start", "to", "sent"),
    [
        ("http://api.example.org/x", "https://api.example.org/x", True),  # the usual upgrade
        ("http://api.example.org/x", "http://api.example.org/y", True),
        ("http://api.example.org:8080/x", "https://api.example.org:8443/x", False),
        ("https://api.example.org/x", "http://api.example.org/x", False),  # a downgrade
        ("http://api.example.org/x", "https://other.example.org/x", False),
    ],
)
def test_credentials_follow_only_the_same_host_or_its_https_upgrade(
    start: str, to: str, sent: bool
) -> None:
    handler = _RedirectHandler(start.replace("://", "://bob:pw@"), AUTH)
    new = _redirect(handler, start, to)
    assert (new.unredirected_hdrs.get("Authorization") == AUTH) is sent
    assert handler.dropped_at == (None if sent else to)


def test_credentials_never_come_back_to_another_host_after_a_hop() -> None:
    start = "http://api.example.org/x"
    handler = _RedirectHandler("http://bob:pw@api.example.org/x", AUTH)
    _redirect(handler, start, "http://cdn.example.org/a")
    new = _redirect(handler, "http://cdn.example.org/a", "http://cdn.example.org/b")
    assert "Authorization" not in new.unredirected_hdrs
