"""Fetch the network as JSON from an ``http(s)://`` URL, with a timeout and clear errors."""

from __future__ import annotations

import logging
import urllib.error
import urllib.request
from typing import Any

from ... import __version__
from ...errors import DataError

log = logging.getLogger(__name__)

MAX_BYTES = 512 * 1024 * 1024
"""Largest answer accepted (a network of 10,000 organisations is about 10 MB)."""


def fetch_json_text(url: str, timeout: float) -> str:
    """The body of ``url`` as text, or a :class:`DataError` saying why it is not the network."""
    request = urllib.request.Request(
        url,
        headers={"Accept": "application/json", "User-Agent": f"netdocs/{__version__}"},
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
            content_type = response.headers.get("Content-Type", "")
            body: bytes = response.read(MAX_BYTES + 1)
            charset = response.headers.get_content_charset() or "utf-8"
    except urllib.error.HTTPError as exc:
        raise DataError(
            f"{url} answered {exc.code} {exc.reason}: expected the network as JSON "
            "(check the address and whether the service is up)"
        ) from exc
    except urllib.error.URLError as exc:
        if isinstance(exc.reason, TimeoutError):
            raise _timeout(url, timeout) from exc
        raise DataError(f"cannot reach {url}: {exc.reason}") from exc
    except TimeoutError as exc:
        raise _timeout(url, timeout) from exc
    except (ConnectionError, OSError) as exc:
        raise DataError(f"cannot read {url}: {exc}") from exc
    if len(body) > MAX_BYTES:
        raise DataError(f"{url}: answer larger than {MAX_BYTES // 2**20} MB")
    _check_kind(url, content_type, body)
    try:
        text = body.decode(charset)
    except (UnicodeDecodeError, LookupError) as exc:
        raise DataError(f"{url}: answer is not {charset} text ({exc})") from exc
    log.info("fetched %d bytes from %s", len(body), url)
    return text.removeprefix("\ufeff")


def _timeout(url: str, timeout: float) -> DataError:
    return DataError(
        f"{url} did not answer within {timeout:g} s; try again later or raise the timeout"
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
