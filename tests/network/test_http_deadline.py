"""The HTTP source against hostile servers (issue 10.8): a trickling server meets the deadline,
redirects go to http(s) only and to another port with a warning, credentials are never echoed."""

from __future__ import annotations

import base64
import json
import logging
import threading
import time
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from pipeline.errors import DataError, UsageError
from pipeline.network import Snapshot, load_network

Action = Callable[[BaseHTTPRequestHandler], None]


class Server:
    """A real HTTP server on 127.0.0.1 whose paths run the given actions."""

    def __init__(self) -> None:
        self.actions: dict[str, Action] = {}
        self.seen: list[tuple[str, str | None]] = []  # (path, Authorization header)
        owner = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 - http.server's naming
                owner.seen.append((self.path, self.headers.get("Authorization")))
                action = owner.actions.get(self.path)
                try:
                    if action is None:
                        self.send_error(404)
                    else:
                        action(self)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up: what the deadline tests want

            def log_message(self, format: str, *args: object) -> None:  # noqa: A002
                return

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.port = self.httpd.server_address[1]
        self.thread = threading.Thread(target=self.httpd.serve_forever, args=(0.05,), daemon=True)

    def url(self, path: str, userinfo: str = "") -> str:
        return f"http://{userinfo}127.0.0.1:{self.port}{path}"


@pytest.fixture
def servers() -> Iterator[Callable[[], Server]]:
    started: list[Server] = []

    def start() -> Server:
        server = Server()
        server.thread.start()
        started.append(server)
        return server

    yield start
    for server in started:
        server.httpd.shutdown()
        server.httpd.server_close()


def answer(body: bytes, content_type: str) -> Action:
    def act(h: BaseHTTPRequestHandler) -> None:
        h.send_response(200)
        h.send_header("Content-Type", content_type)
        h.send_header("Content-Length", str(len(body)))
        h.end_headers()
        h.wfile.write(body)

    return act


def json_body(body: bytes) -> Action:
    return answer(body, "application/json")


html_page = answer(b"<html>", "text/html")


def redirect(location: str, code: int = 302) -> Action:
    def act(h: BaseHTTPRequestHandler) -> None:
        h.send_response(code)
        h.send_header("Location", location)
        h.send_header("Content-Length", "0")
        h.end_headers()

    return act


def trickle_body(h: BaseHTTPRequestHandler) -> None:
    """Headers at once, then a body of 100 bytes at one byte every 0.1 s: each read answers."""
    h.send_response(200)
    h.send_header("Content-Type", "application/json")
    h.send_header("Content-Length", "100")
    h.end_headers()
    for _ in range(100):
        h.wfile.write(b" ")
        h.wfile.flush()
        time.sleep(0.1)


def trickle_headers(h: BaseHTTPRequestHandler) -> None:
    """The status line and an endless header, one byte every 0.1 s."""
    for byte in b"HTTP/1.0 200 OK\r\nX-Slow: " + b"a" * 200:
        h.wfile.write(bytes([byte]))
        h.wfile.flush()
        time.sleep(0.1)


@pytest.fixture(scope="module")
def network_json(sample: Snapshot) -> bytes:
    return json.dumps(sample.network.model_dump(mode="json")).encode()


@pytest.mark.parametrize("action", [trickle_body, trickle_headers], ids=["body", "headers"])
def test_a_trickling_server_is_cut_off_at_the_deadline(
    servers: Callable[[], Server], action: Action
) -> None:
    server = servers()
    server.actions["/slow"] = action
    start = time.monotonic()
    with pytest.raises(DataError, match=r"did not answer within 0.8 s \(a deadline for the whole"):
        load_network(server.url("/slow"), timeout=0.8)
    assert time.monotonic() - start < 3.0  # a per-read timeout would wait 10 s or more


@pytest.mark.parametrize(
    "location", ["ftp://127.0.0.1/network.json", "file:///etc/passwd", "gopher://x/"]
)
def test_redirects_go_to_http_only(servers: Callable[[], Server], location: str) -> None:
    server = servers()
    server.actions["/api"] = redirect(location)
    url = server.url("/api")
    with pytest.raises(DataError) as info:
        load_network(url, timeout=5)
    assert info.value.format_message() == (
        f"{url} redirects to {location}: only http(s) redirects are followed, not "
        f"{location.split(':')[0]} ones; give the final http(s) address of the API instead"
    )


def test_a_redirect_to_another_port_is_followed_with_a_warning_and_without_credentials(
    servers: Callable[[], Server], network_json: bytes, caplog: pytest.LogCaptureFixture
) -> None:
    first, second = servers(), servers()
    second.actions["/network"] = json_body(network_json)
    first.actions["/api"] = redirect(second.url("/network"), 301)
    caplog.set_level(logging.WARNING, logger="pipeline.network.sources.http")
    snap = load_network(first.url("/api", "alice:s3cret@"), timeout=5)
    assert len(snap.network.organisations) == 84
    auth = "Basic " + base64.b64encode(b"alice:s3cret").decode()
    assert first.seen == [("/api", auth)]
    assert second.seen == [("/network", None)]  # the credentials stay with the first host
    assert [r.getMessage() for r in caplog.records] == [
        f"http://alice:***@127.0.0.1:{first.port}/api redirected to another port: "
        f"{second.url('/network')} (following it; the credentials are not sent there)"
    ]
    assert "s3cret" not in snap.source


def test_a_redirect_on_the_same_server_keeps_the_credentials_and_says_nothing(
    servers: Callable[[], Server], network_json: bytes, caplog: pytest.LogCaptureFixture
) -> None:
    server = servers()
    server.actions["/old"] = redirect("/new", 308)
    server.actions["/new"] = json_body(network_json)
    caplog.set_level(logging.WARNING, logger="pipeline.network.sources.http")
    load_network(server.url("/old", "bob:pw%40x@"), timeout=5)
    auth = "Basic " + base64.b64encode(b"bob:pw@x").decode()
    assert server.seen == [("/old", auth), ("/new", auth)]
    assert caplog.records == []


def test_credentials_are_never_echoed(servers: Callable[[], Server]) -> None:
    server = servers()
    server.actions["/html"] = html_page
    messages = []
    for url in (
        server.url("/missing", "carol:hunter2@"),
        server.url("/html", "carol:hunter2@"),
        server.url("/slow", "carol:hunter2@"),
        "http://carol:hunter2@127.0.0.1:notaport/x",
    ):
        server.actions["/slow"] = trickle_body
        with pytest.raises((DataError, UsageError)) as info:
            load_network(url, timeout=0.5)
        messages.append(info.value.format_message())
    assert all("hunter2" not in m and "carol:***@" in m for m in messages), messages
    assert "answered 404" in messages[0]
    assert "returned HTML" in messages[1]
    assert "did not answer within 0.5 s" in messages[2]
    assert "is not a valid URL" in messages[3]


def test_a_401_after_the_credentials_were_left_behind_says_so(
    servers: Callable[[], Server], caplog: pytest.LogCaptureFixture
) -> None:
    first, second = servers(), servers()
    first.actions["/api"] = redirect(second.url("/network"), 301)
    second.actions["/network"] = lambda h: h.send_error(401)
    url = first.url("/api", "alice:s3cret@")
    with pytest.raises(DataError) as info:
        load_network(url, timeout=5)
    assert second.seen == [("/network", None)]
    assert info.value.format_message() == (
        f"http://alice:***@127.0.0.1:{first.port}/api answered 401 Unauthorized after a redirect "
        f"to {second.url('/network')}: the credentials in the URL were not sent there (another "
        "host, port or scheme); give that address, with the credentials, as the source"
    )


def test_a_401_without_a_redirect_is_the_plain_message(servers: Callable[[], Server]) -> None:
    server = servers()
    server.actions["/api"] = lambda h: h.send_error(401)
    with pytest.raises(DataError, match=r"answered 401 Unauthorized: expected the network"):
        load_network(server.url("/api", "alice:s3cret@"), timeout=5)
