"""Read Markdown files into the knowledge-base model.

markdown-it-py (with front matter, footnotes, tables and definition lists) parses each file; its
tokens are turned here into :class:`Article` objects and never leave this module. Problems met
while reading (bad encoding, invalid YAML, schema violations) are collected, not raised, so a
linter can report all of them at once; a file that cannot be read at all yields no article.
"""

from __future__ import annotations

import os
import posixpath
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import yaml
from markdown_it import MarkdownIt
from markdown_it.token import Token
from mdit_py_plugins.deflist import deflist_plugin
from mdit_py_plugins.footnote import footnote_plugin
from mdit_py_plugins.front_matter import front_matter_plugin

from ..errors import Problem
from ..fs import sha256_bytes
from .model import Article, Image, KnowledgeBase, Link, Section, id_from_path, slugify
from .paths import display, iter_markdown
from .resources import inside, real_root
from .schema import Meta, check_meta

MAX_BYTES = 2 * 1024 * 1024
"""Largest article read; larger files are reported, not parsed."""
MAX_LIST_DEPTH = 9
"""Deepest list nesting Word can number (levels 0-8)."""
MAX_ALIAS_VALUES = 1000
"""Most values one front-matter key may expand to through YAML aliases (``*name``): a few
aliases are harmless, a chain of them (a "billion laughs") would expand to billions."""

_BaseLoader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Loader(_BaseLoader):  # type: ignore[misc,valid-type]
    """Safe loader that leaves dates as text, so the schema can report bad ones by key."""


_Loader.add_constructor(
    "tag:yaml.org,2002:timestamp", lambda loader, node: loader.construct_scalar(node)
)
_KEY_RE = re.compile(r"^([^\s#:][^:]*?)\s*:(?:\s|$)")
_SCHEME_RE = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.\-]*:")
_FENCE_RE = re.compile(r"^---[ \t]*\r?$")


def _parser() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"maxNesting": 20})
    md.enable("table")
    md.use(front_matter_plugin).use(footnote_plugin).use(deflist_plugin)
    return md


_MD = _parser()


def read_kb(root: Path) -> KnowledgeBase:
    """Read every article below ``root``. Never raises for bad content: see ``.problems``."""
    root = Path(root)
    articles: list[Article] = []
    problems: list[Problem] = []
    for file in iter_markdown(root):
        article, found = read_article(file, root)
        problems.extend(found)
        if article is not None:
            articles.append(article)
    return KnowledgeBase(root=root, articles=articles, problems=problems)


def read_article(file: Path, root: Path) -> tuple[Article | None, list[Problem]]:
    """Read one file. Returns the article (None when unreadable) and the problems found."""
    rel = Path(os.path.relpath(file, root)).as_posix()
    shown = display(file)

    def at(line: int) -> str:
        return f"{shown}:{line}"

    if not inside(Path(os.path.realpath(file)), real_root(root)):
        return None, [
            Problem(
                at(1),
                "error",
                "the article is a symlink to a file outside the knowledge base: "
                "copy the file into the KB instead of linking it (it is not read)",
            )
        ]
    try:
        raw = file.read_bytes()
    except OSError as exc:
        return None, [Problem(at(1), "error", f"cannot read the file: {exc.strerror}")]
    text, problem = _decode(raw, len(raw))
    if problem is not None:
        return None, [Problem(at(problem[0]), "error", problem[1])]
    assert text is not None
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    tokens = _MD.parse(text)
    problems: list[Problem] = []
    fm_token = tokens[0] if tokens and tokens[0].type == "front_matter" else None
    data: dict[str, Any] | None = None
    lines: dict[str, int] = {"": 1}
    body_line = 1
    if fm_token is not None:
        assert fm_token.map is not None
        body_line = fm_token.map[1] + 1
        lines.update(_key_lines(fm_token.content))
        data, yaml_problem = _load_yaml(fm_token.content)
        if yaml_problem is not None:
            problems.append(Problem(at(yaml_problem[0]), "error", yaml_problem[1]))
        tokens = tokens[1:]
    elif text.startswith("---\n") and _FENCE_RE.match(text.split("\n", 1)[0]):
        problems.append(
            Problem(
                at(1),
                "error",
                "front matter opened with '---' is never closed: "
                "add a line with '---' after the last key",
            )
        )
    walk = _walk(tokens, rel)
    body = text.split("\n", body_line - 1)[-1] if body_line > 1 else text
    if walk.list_depth > MAX_LIST_DEPTH:
        problems.append(
            Problem(
                at(walk.list_line),
                "warning",
                f"list nested more than {MAX_LIST_DEPTH} levels deep; Word numbers at most "
                f"{MAX_LIST_DEPTH} levels, so deeper items lose their numbering: flatten it",
            )
        )
    fallback = id_from_path(rel)
    if data is not None:
        meta, schema_problems = check_meta(data, lines, at, fallback)
        problems.extend(schema_problems)
    else:
        meta = _derived_meta(walk, rel, fallback)
        if fm_token is None and not text.startswith("---\n"):
            problems.append(
                Problem(
                    at(1),
                    "warning",
                    f"no front matter: read as a page titled '{meta.title}' with id "
                    f"'{meta.id}'; add front matter to set its type and summary "
                    "(see kb/README.md)",
                )
            )
    sections = walk.sections(meta.title, body_line)
    article = Article(
        path=rel,
        source=file.resolve(),
        meta=meta,
        body=body,
        body_line=body_line,
        sections=sections,
        links=walk.links,
        images=walk.images,
        content_hash=sha256_bytes(raw),
        has_front_matter=data is not None,
        meta_lines=lines,
    )
    return article, problems


def _decode(raw: bytes, size: int) -> tuple[str | None, tuple[int, str] | None]:
    if size > MAX_BYTES:
        return None, (
            1,
            f"file is {size / 1_048_576:.1f} MB; articles over "
            f"{MAX_BYTES // 1_048_576} MB are not read: split it into several articles",
        )
    if b"\x00" in raw:
        return None, (
            1,
            "binary file, not Markdown text (it contains NUL bytes): "
            "remove it or give it another extension",
        )
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        return None, (
            line,
            f"not UTF-8 text (byte 0x{raw[exc.start]:02x} at line {line}): save the file as UTF-8",
        )
    if not text.strip():
        return None, (1, "empty file: write the article or delete the file")
    return text, None


def _key_lines(content: str) -> dict[str, int]:
    out: dict[str, int] = {}
    for i, line in enumerate(content.split("\n")):
        m = _KEY_RE.match(line)
        if m:
            out.setdefault(m.group(1).strip("'\""), i + 2)
    return out


def _load_yaml(content: str) -> tuple[dict[str, Any] | None, tuple[int, str] | None]:
    loader = _Loader(content)
    try:
        # Compose first (aliases stay shared nodes, so this is linear in the text), refuse
        # alias chains that would expand, and only then build Python values.
        node = loader.get_single_node()
        alias_problem = _alias_problem(node) if node is not None else None
        if alias_problem is not None:
            return None, alias_problem
        data = loader.construct_document(node) if node is not None else None
    except yaml.constructor.ConstructorError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = 2 + (mark.line if mark else 0)
        tag = exc.problem.split("'")[1] if exc.problem and "'" in exc.problem else "tag"
        return None, (
            line,
            f"YAML tag '{tag}' is not allowed: front matter holds plain "
            "values only (remove the '!!...' tag)",
        )
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = 2 + (mark.line if mark else 0)
        what = exc.problem or "cannot be parsed"
        ctx = ""
        if exc.context:
            opened = exc.context_mark
            since = f" started at line {2 + opened.line}" if opened is not None else ""
            ctx = f" ({exc.context}{since})"
        return None, (line, f"invalid YAML in front matter: {what}{ctx}")
    except yaml.YAMLError as exc:
        return None, (2, f"invalid YAML in front matter: {exc}")
    except (TypeError, ValueError, RecursionError) as exc:
        return None, (2, f"front matter cannot be read as keys and values: {exc}")
    finally:
        loader.dispose()
    if data is None:
        return {}, None
    if not isinstance(data, dict):
        return None, (
            2,
            "front matter must be keys and values (id: ..., title: ...), "
            f"not {type(data).__name__}",
        )
    return {str(k): v for k, v in data.items()}, None


def _alias_problem(root: yaml.Node) -> tuple[int, str] | None:
    """A located problem when an alias (``*name``) expands too far or refers to itself.

    Walks the composed node graph once (each shared node is counted once, its expanded size
    saturating at :data:`MAX_ALIAS_VALUES` + 1), without recursion, so a bomb costs no more
    than its own text.
    """
    sizes: dict[int, int] = {}
    cap = MAX_ALIAS_VALUES + 1
    if isinstance(root, yaml.MappingNode):
        items = [(k, v) for k, v in root.value]
    else:
        items = [(None, root)]
    for key, value in items:
        name = str(key.value) if isinstance(key, yaml.ScalarNode) else "front matter"
        line = 2 + (key or value).start_mark.line
        try:
            size, aliased = _expansion(value, sizes, cap)
        except _AliasCycle:
            return line, (
                f"'{name}' refers to itself through a YAML alias (*name): front matter holds "
                "plain values only (write the values out)"
            )
        if aliased and size >= cap:
            return line, (
                f"'{name}' expands through YAML aliases (*name) to more than "
                f"{MAX_ALIAS_VALUES:,} values: front matter holds plain values only "
                "(write the values out instead of repeating aliases)"
            )
    return None


class _AliasCycle(Exception):
    """A node contains itself through an alias."""


def _children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    if isinstance(node, yaml.MappingNode):
        return [n for pair in node.value for n in pair]
    return []


def _expansion(node: yaml.Node, sizes: dict[int, int], cap: int) -> tuple[int, bool]:
    """(values ``node`` expands to, capped at ``cap``; whether an alias was met below it)."""
    aliased = id(node) in sizes
    stack: list[tuple[yaml.Node, bool]] = [(node, False)]
    on_path: set[int] = set()
    while stack:
        current, done = stack.pop()
        key = id(current)
        if done:
            on_path.discard(key)
            total = 1 + sum(sizes[id(c)] for c in _children(current))
            sizes[key] = min(total, cap)
            continue
        if key in on_path:
            raise _AliasCycle
        if key in sizes:
            aliased = True
            continue
        on_path.add(key)
        stack.append((current, True))
        for child in _children(current):
            if id(child) in sizes:
                aliased = True
            else:
                stack.append((child, False))
    return sizes[id(node)], aliased


def _derived_meta(walk: _Walk, rel: str, fallback: str) -> Meta:
    title = walk.first_heading or Path(rel).stem.replace("-", " ").replace("_", " ").strip()
    summary = walk.first_paragraph
    if len(summary) > 240:
        summary = summary[:237].rsplit(" ", 1)[0] + "..."
    # made here, not read: nothing to validate (a page may have no paragraph to summarise)
    return Meta.model_construct(id=fallback, title=title or fallback, type="page", summary=summary)


@dataclass
class _Walk:
    """What one pass over the tokens collects."""

    rel: str
    links: list[Link] = field(default_factory=list)
    images: list[Image] = field(default_factory=list)
    heads: list[tuple[str, int, int]] = field(default_factory=list)  # title, level, line
    chunks: list[list[str]] = field(default_factory=lambda: [[]])
    first_heading: str = ""
    first_paragraph: str = ""
    list_depth: int = 0
    list_line: int = 1

    def sections(self, title: str, body_line: int) -> list[Section]:
        out: list[Section] = []
        seen: dict[str, int] = {}
        intro = "\n".join(self.chunks[0]).strip()
        if intro:
            out.append(Section(title=title, anchor="", level=0, line=body_line, text=intro))
        for (head, level, line), chunk in zip(self.heads, self.chunks[1:], strict=True):
            base = slugify(head) or "section"
            n = seen.get(base, 0)
            seen[base] = n + 1
            anchor = base if n == 0 else f"{base}-{n}"
            out.append(Section(head, anchor, level, line, "\n".join(chunk).strip()))
        return out


def _walk(tokens: list[Token], rel: str) -> _Walk:
    w = _Walk(rel)
    folder = posixpath.dirname(rel)
    depth = 0
    in_heading = 0
    para_pending = False
    for tok in tokens:
        t = tok.type
        if t == "heading_open":
            in_heading = int(tok.tag[1])
        elif t == "inline":
            line = (tok.map[0] + 1) if tok.map else 1
            plain = _inline(tok.children or [], line, folder, w)
            if in_heading:
                w.heads.append((plain, in_heading, line))
                w.chunks.append([])
                if not w.first_heading:
                    w.first_heading = plain
            else:
                w.chunks[-1].append(plain)
                if para_pending and not w.first_paragraph:
                    w.first_paragraph = plain.replace("\n", " ")
        elif t == "heading_close":
            in_heading = 0
        elif t == "paragraph_open":
            para_pending = depth == 0
        elif t in ("fence", "code_block"):
            w.chunks[-1].append(tok.content.rstrip("\n"))
        elif t in ("bullet_list_open", "ordered_list_open"):
            depth += 1
            if depth > w.list_depth:
                w.list_depth = depth
                if depth == MAX_LIST_DEPTH + 1:
                    w.list_line = (tok.map[0] + 1) if tok.map else 1
        elif t in ("bullet_list_close", "ordered_list_close"):
            depth -= 1
    return w


def _inline(children: list[Token], line: int, folder: str, w: _Walk) -> str:
    parts: list[str] = []
    link: tuple[str, int, int] | None = None  # href, line, start index in parts
    for child in children:
        t = child.type
        if t in ("text", "code_inline"):
            parts.append(child.content)
        elif t in ("softbreak", "hardbreak"):
            parts.append("\n" if t == "hardbreak" else " ")
            line += 1
        elif t == "link_open":
            link = (str(child.attrs.get("href", "")), line, len(parts))
        elif t == "link_close" and link is not None:
            href, at_line, start = link
            w.links.append(_link(href, "".join(parts[start:]), at_line, folder, w.rel))
            link = None
        elif t == "image":
            src = str(child.attrs.get("src", ""))
            alt = child.content
            parts.append(alt)
            w.images.append(_image(src, alt, line, folder))
    return "".join(parts)


def resolve(href: str, folder: str) -> tuple[str | None, str | None, bool, bool]:
    """Resolve a link target written in an article in ``folder`` (KB-relative).

    Returns (KB-relative path or None, anchor or None, external, outside the KB).
    """
    if _SCHEME_RE.match(href) or href.startswith("//"):
        return None, None, True, False
    target, _, anchor = href.partition("#")
    target = unquote(target.split("?", 1)[0])
    if not target:
        return None, anchor or None, False, False
    if target.startswith("/"):
        joined = posixpath.normpath(target.lstrip("/"))
    else:
        joined = posixpath.normpath(posixpath.join(folder, target))
    outside = joined == ".." or joined.startswith("../")
    return joined, anchor or None, False, outside


def _link(href: str, text: str, line: int, folder: str, rel: str) -> Link:
    path, anchor, external, outside = resolve(href, folder)
    if path is None and not external:
        path = rel  # '#anchor' points into the same article
    return Link(href, text, line, path, anchor, external, outside)


def _image(src: str, alt: str, line: int, folder: str) -> Image:
    path, _anchor, external, outside = resolve(src, folder)
    return Image(src, alt, line, path, external, outside)
