"""Fixtures for the network data tests: the bundled sample, editable copies, a local HTTP server."""

from __future__ import annotations

import shutil
import threading
import time
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from pipeline.network import BUNDLED_SAMPLE, Snapshot, load_network


@pytest.fixture(scope="session")
def sample() -> Snapshot:
    """The bundled VETNoN sample, loaded once."""
    return load_network(BUNDLED_SAMPLE)


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """A copy of the sample folder that a test may break."""
    target = tmp_path / "network"
    shutil.copytree(BUNDLED_SAMPLE, target)
    return target


Route = tuple[int, str, bytes, float]
"""HTTP status, content type, body, seconds to wait before answering."""


class _Handler(BaseHTTPRequestHandler):
    routes: dict[str, Route] = {}

    def do_GET(self) -> None:  # noqa: N802 - http.server's naming
        status, kind, body, delay = self.routes.get(self.path, (404, "text/plain", b"no", 0.0))
        if delay:
            time.sleep(delay)
        try:
            self.send_response(status)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up (timeout test)

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        return


@pytest.fixture
def http_server() -> Iterator[Callable[[str, Route], str]]:
    """A real HTTP server on 127.0.0.1; call ``serve(path, route)`` to get a URL for it."""
    routes: dict[str, Route] = {}
    handler = type("Handler", (_Handler,), {"routes": routes})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()

    def serve(path: str, route: Route) -> str:
        routes[path] = route
        return f"http://127.0.0.1:{server.server_address[1]}{path}"

    try:
        yield serve
    finally:
        server.shutdown()
        server.server_close()
