"""Word bookmark names for link target keys.

A Word bookmark name has at most 40 characters, starts with a letter and holds only letters,
digits and underscores; Word "repairs" a file that breaks these rules. Link target keys are
free text (``roles/convener.md#duties``), so every key goes through :func:`bookmark_name`, which
keeps a valid key as it is and otherwise slugs it and adds a short hash so that two different
keys never share a name.
"""

from __future__ import annotations

import hashlib
import re

MAX_LENGTH = 40
_VALID = re.compile(r"[A-Za-z][A-Za-z0-9_]{0,39}")


def bookmark_name(key: str) -> str:
    """The Word bookmark name for the target key ``key`` (deterministic, unique per key)."""
    if _VALID.fullmatch(key):
        return key
    slug = re.sub(r"[^A-Za-z0-9]+", "_", key).strip("_")
    if not slug or not slug[0].isalpha():
        slug = "b_" + slug
    digest = hashlib.sha1(key.encode("utf-8")).hexdigest()[:8]
    return f"{slug[: MAX_LENGTH - 9]}_{digest}"
