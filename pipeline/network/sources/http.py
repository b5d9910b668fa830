"""Fetch the network as JSON from an ``http(s)://`` URL, within a deadline and with clear errors.

``timeout`` is a deadline for the whole fetch (connection, redirects, headers and body), not a
limit on each read: a server that trickles one byte a second is cut off when it runs out.
Redirects are followed to http(s) only, and to another host or port with a warning.
Credentials written in the URL (``https://user:password@host/...``) are sent as HTTP Basic
authentication, only to that host (and to its https upgrade on port 443), and never appear in a
message or a snapshot; a 401 after a redirect that left them behind says so.
"""

from __future__ import annotations

import base64
import http.client
import logging
import socket
import threading
import time
import urllib.error
import urllib.request
from functools import partial
from http.client import HTTPMessage
from typing import IO, Any
from urllib.parse import unquote, urljoin, urlsplit, urlunsplit

from ... import __version__
from ...errors import DataError, UsageError
from .urls import password_text, redact

log = logging.getLogger(__name__)

MAX_BYTES = 512 * 1024 * 1024
"""Largest answer accepted (a network of 10,000 organisations is about 10 MB)."""

_SCHEMES = ("http", "https")


def _scrub(text: str, url: str) -> str:
    """``text`` (a library's message) without the password of ``url``, should it quote it."""
    password = password_text(url)
    for secret in {password, unquote(password)} if password else ():
        text = text.replace(secret, "***")
    return text


def _origin(url: str) -> tuple[str, str, int | None]:
    parts = urlsplit(url)
    port = parts.port or (443 if parts.scheme.lower() == "https" else 80)
    return parts.scheme.lower(), (parts.hostname or "").lower(), port


class _Deadline:
    """The end of the fetch: every socket it opened is shut down when time runs out."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.end = time.monotonic() + seconds
        self.expired = False
        self._sockets: list[socket.socket] = []
        self._lock = threading.Lock()
        self._timer = threading.Timer(seconds, self._expire)
        self._timer.daemon = True

    def __enter__(self) -> _Deadline:
        self._timer.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._timer.cancel()
        with self._lock:
            self._sockets.clear()

    def remaining(self) -> float:
        return max(0.01, self.end - time.monotonic())

    def create_connection(
        self, address: tuple[str, int], timeout: Any = None, source_address: Any = None
    ) -> socket.socket:
        """``socket.create_connection`` whose socket is cut when the deadline passes."""
        sock = socket.create_connection(address, self.remaining(), source_address)
        with self._lock:
            self._sockets.append(sock)
            expired = self.expired
        if expired:
            _shut(sock)
        return sock

    def _expire(self) -> None:
        with self._lock:
            self.expired = True
            sockets = list(self._sockets)
        for sock in sockets:
            _shut(sock)


def _shut(sock: socket.socket) -> None:
    try:
        sock.shutdown(socket.SHUT_RDWR)
    except OSError:
        pass  # already closed by the other side: nothing left to cut


class _HTTPConnection(http.client.HTTPConnection):
    def __init__(self, *args: Any, deadline: _Deadline, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._create_connection = deadline.create_connection


class _HTTPSConnection(http.client.HTTPSConnection):
    def __init__(self, *args: Any, deadline: _Deadline, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._create_connection = deadline.create_connection


class _HTTPHandler(urllib.request.HTTPHandler):
    def __init__(self, deadline: _Deadline) -> None:
        super().__init__()
        self.deadline = deadline

    def http_open(self, req: urllib.request.Request) -> http.client.HTTPResponse:
        return self.do_open(partial(_HTTPConnection, deadline=self.deadline), req)


class _HTTPSHandler(urllib.request.HTTPSHandler):
    def __init__(self, deadline: _Deadline) -> None:
        super().__init__()
        self.deadline = deadline

    def https_open(self, req: urllib.request.Request) -> http.client.HTTPResponse:
        return self.do_open(partial(_HTTPSConnection, deadline=self.deadline), req)


class _RedirectHandler(urllib.request.HTTPRedirectHandler):
    """Follows redirects to http(s) only; a change of host or port is logged as a warning.

    The credentials go only to the first address's scheme, host and port, or to the same host
    upgraded from http (port 80) to https (port 443); a redirect anywhere else is followed
    without them, and :attr:`dropped_at` remembers where, for the message of a 401."""

    def __init__(self, start: str, authorization: str | None) -> None:
        super().__init__()
        self.start = start
        self.authorization = authorization
        self.home = _origin(start)
        self.dropped_at: str | None = None

    def http_error_302(  # type: ignore[override]
        self, req: urllib.request.Request, fp: IO[bytes], code: int, msg: str, headers: HTTPMessage
    ) -> Any:
        location = headers.get("location") or headers.get("uri") or ""
        target = urljoin(req.full_url, location.strip())
        scheme = urlsplit(target).scheme.lower()
        if scheme not in _SCHEMES:
            fp.close()
            raise DataError(
                f"{redact(self.start)} redirects to {redact(target)}: only http(s) redirects "
                f"are followed, not {scheme or 'a relative'} ones; give the final http(s) "
                "address of the API instead"
            )
        return super().http_error_302(req, fp, code, msg, headers)

    http_error_301 = http_error_303 = http_error_307 = http_error_308 = http_error_302  # type: ignore[assignment]

    def redirect_request(
        self,
        req: urllib.request.Request,
        fp: IO[bytes],
        code: int,
        msg: str,
        headers: HTTPMessage,
        newurl: str,
    ) -> urllib.request.Request | None:
        new = super().redirect_request(req, fp, code, msg, headers, newurl)
        if new is None:
            return None
        after = _origin(newurl)
        upgrade = self.home == ("http", after[1], 80) and after == ("https", after[1], 443)
        if self.authorization and (after == self.home or upgrade):
            new.add_unredirected_header("Authorization", self.authorization)
            self.dropped_at = None
            return new
        if self.authorization:
            self.dropped_at = newurl
        before = _origin(req.full_url)
        if before[1:] != after[1:]:
            log.warning(
                "%s redirected to another %s: %s (following it%s)",
                redact(self.start),
                "host" if before[1] != after[1] else "port",
                redact(newurl),
                "; the credentials are not sent there" if self.authorization else "",
            )
        return new


def _split_credentials(url: str) -> tuple[str, str | None]:
    """``url`` without its ``user:password@`` part, and the Basic authorization it gives."""
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises ValueError for a port that is not a number
    except ValueError as exc:  # its text may quote the password: not shown
        password = password_text(url) or ""
        hint = (
            "write / ? # or @ in the user name or password percent-encoded, as %2F %3F %23 %40"
            if any(c in password for c in "/?#@")
            else "check the host and the port (a number)"
        )
        raise UsageError(f"{redact(url)} is not a valid URL: {hint}") from exc
    if parts.username is None and parts.password is None:
        return url, None
    host = parts.netloc.rsplit("@", 1)[1]
    pair = f"{unquote(parts.username or '')}:{unquote(parts.password or '')}"
    token = base64.b64encode(pair.encode("utf-8")).decode("ascii")
    return urlunsplit(parts._replace(netloc=host)), f"Basic {token}"


def fetch_json_text(url: str, timeout: float) -> str:
    """The body of ``url`` as text, or a :class:`DataError` saying why it is not the network.

    ``timeout`` bounds the whole fetch, however slowly the server answers.
    """
    label = redact(url)
    address, authorization = _split_credentials(url)
    request = urllib.request.Request(
        address,
        headers={"Accept": "application/json", "User-Agent": f"netdocs/{__version__}"},
    )
    if authorization:
        request.add_unredirected_header("Authorization", authorization)
    redirects = _RedirectHandler(url, authorization)
    with _Deadline(timeout) as deadline:
        opener = urllib.request.build_opener(
            _HTTPHandler(deadline), _HTTPSHandler(deadline), redirects
        )
        try:
            with opener.open(request, timeout=timeout) as response:
                content_type = response.headers.get("Content-Type", "")
                body: bytes = response.read(MAX_BYTES + 1)
                charset = response.headers.get_content_charset() or "utf-8"
        except urllib.error.HTTPError as exc:
            if deadline.expired:
                raise _timeout(label, timeout) from exc
            if exc.code == 401 and redirects.dropped_at:
                raise DataError(
                    f"{label} answered 401 {_scrub(str(exc.reason), url)} after a redirect to "
                    f"{redact(redirects.dropped_at)}: the credentials in the URL were not sent "
                    "there (another host, port or scheme); give that address, with the "
                    "credentials, as the source"
                ) from exc
            raise DataError(
                f"{label} answered {exc.code} {_scrub(str(exc.reason), url)}: expected the "
                "network as JSON (check the address and whether the service is up)"
            ) from exc
        except urllib.error.URLError as exc:
            if deadline.expired or isinstance(exc.reason, TimeoutError):
                raise _timeout(label, timeout) from exc
            raise DataError(f"cannot reach {label}: {_scrub(str(exc.reason), url)}") from exc
        except (TimeoutError, http.client.HTTPException, OSError) as exc:
            if deadline.expired or isinstance(exc, TimeoutError):
                raise _timeout(label, timeout) from exc
            why = _scrub(str(exc), url) or type(exc).__name__
            raise DataError(f"cannot read {label}: {why}") from exc
        if deadline.expired:  # the body ended because the deadline cut the connection
            raise _timeout(label, timeout)
    if len(body) > MAX_BYTES:
        raise DataError(f"{label}: answer larger than {MAX_BYTES // 2**20} MB")
    _check_kind(label, content_type, body)
    try:
        text = body.decode(charset)
    except (UnicodeDecodeError, LookupError) as exc:
        raise DataError(f"{label}: answer is not {charset} text ({exc})") from exc
    log.info("fetched %d bytes from %s", len(body), label)
    return text.removeprefix("\ufeff")


def _timeout(label: str, timeout: float) -> DataError:
    return DataError(
        f"{label} did not answer within {timeout:g} s (a deadline for the whole answer, "
        "not for each read); try again later or raise --timeout"
    )


def _check_kind(url: str, content_type: str, body: bytes) -> None:
    start = body.lstrip()[:100].lower()
    if "html" in content_type.lower() or start.startswith((b"<!doctype", b"<html", b"<")):
        raise DataError(
            f"{url} returned HTML ({content_type or 'no content type'}), not the network as "
            "JSON: is this the API address (not the portal's web page), and does it need a login?"
        )


def is_http(source: Any) -> bool:
    """Whether ``source`` is an http(s) URL."""
    return isinstance(source, str) and source.lower().startswith(("http://", "https://"))
