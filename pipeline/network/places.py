"""Where a value came from: turns a path inside the network data into a place in its source.

Validation reports problems against paths such as ``("organisations", 3, "country")``. Each
reader registers how such paths map back to its medium: ``organisations.csv:5:country``,
``organisations!D5``, ``table organisations id=org-004 column country``, ``$.organisations[3]``
or ``strategy.yaml:12 aspirations[0].kpis[1].target``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import yaml

Loc = tuple[str | int, ...]
Resolver = Callable[[Loc], str]


def json_path(loc: Sequence[str | int], root: str = "$") -> str:
    """``("a", 1, "b")`` -> ``$.a[1].b``."""
    parts = [root]
    for part in loc:
        parts.append(f"[{part}]" if isinstance(part, int) else f".{part}")
    return "".join(parts)


def dotted(loc: Sequence[str | int]) -> str:
    """``("aspirations", 0, "kpis", 1, "target")`` -> ``aspirations[0].kpis[1].target``."""
    return json_path(loc, "").lstrip(".")


class Places:
    """Maps data paths to source places by their longest registered prefix."""

    def __init__(self, fallback: Resolver) -> None:
        self._prefixes: dict[Loc, Resolver] = {}
        self._fallback = fallback

    def add(self, prefix: Loc, resolve: Resolver) -> None:
        """Resolve paths starting with ``prefix``; ``resolve`` gets the rest of the path."""
        self._prefixes[prefix] = resolve

    def __call__(self, loc: Sequence[str | int]) -> str:
        loc = tuple(loc)
        for size in range(len(loc), -1, -1):
            resolve = self._prefixes.get(loc[:size])
            if resolve is not None:
                return resolve(loc[size:])
        return self._fallback(loc)


class YamlPlaces:
    """Resolves paths inside one YAML document to ``file:line path``."""

    def __init__(self, name: str, text: str) -> None:
        self.name = name
        try:
            self._root: yaml.Node | None = yaml.compose(text, Loader=_LOADER)
        except yaml.YAMLError:
            self._root = None

    def __call__(self, loc: Loc) -> str:
        node = self._root
        line = 1 if node is None else node.start_mark.line + 1
        for part in loc:
            node = _child(node, part)
            if node is None:
                break
            line = node.start_mark.line + 1
        suffix = f" {dotted(loc)}" if loc else ""
        return f"{self.name}:{line}{suffix}"


_LOADER: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _child(node: yaml.Node | None, part: str | int) -> yaml.Node | None:
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            if key.value == part:
                return value  # type: ignore[no-any-return]
        return None
    if isinstance(node, yaml.SequenceNode) and isinstance(part, int) and part < len(node.value):
        return node.value[part]  # type: ignore[no-any-return]
    return None
