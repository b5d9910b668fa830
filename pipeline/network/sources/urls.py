"""Source URLs as messages and snapshots may show them: never with their password.

The password is found in the raw text, not by a URL parser: a parser ends the host part at the
first ``/``, ``?`` or ``#``, so a password written with one of them unencoded
(``https://bob:s3cr/et@host/``) would slip through as a "host" or a "path". Everything between
the ``:`` after the user name and the *last* ``@`` of the URL is hidden. When a path or query
also holds an ``@``, more than the password is hidden, never less.
"""

from __future__ import annotations

import re

_USERINFO = re.compile(
    r"(?P<head>[A-Za-z][A-Za-z0-9+.-]*://)(?P<user>[^:/?#]*):(?P<rest>.*)@", re.DOTALL
)
"""``scheme://user:`` then anything up to the last ``@`` (``.*`` is greedy)."""


def redact(url: str) -> str:
    """``url`` with its password (if any) replaced by ``***``: ``scheme://user:***@host...``."""
    match = _USERINFO.match(url)
    if match is None:
        return url
    return f"{match['head']}{match['user']}:***@{url[match.end() :]}"


def password_text(url: str) -> str | None:
    """The password of ``url`` exactly as written (``None`` without one), as :func:`redact`
    finds it: for removing it from a message that quotes the URL."""
    match = _USERINFO.match(url)
    return match["rest"] if match else None
