"""Check a knowledge base as a whole: every problem at once, each located and actionable."""

from __future__ import annotations

import difflib
import re
from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from ..errors import Problem
from .model import ROADMAP_STEPS, KnowledgeBase
from .reader import display


@dataclass(frozen=True)
class LintReport:
    """The outcome of linting a knowledge base."""

    problems: list[Problem]
    """Every problem, in file and line order."""
    articles: int
    """How many articles were read."""

    @property
    def errors(self) -> int:
        return sum(p.level == "error" for p in self.problems)

    @property
    def warnings(self) -> int:
        return sum(p.level == "warning" for p in self.problems)

    def failed(self, strict: bool = False) -> bool:
        return self.errors > 0 or (strict and self.warnings > 0)


def lint(kb: KnowledgeBase, today: date | None = None) -> LintReport:
    """Report every problem of ``kb``: reading problems plus the checks across articles."""
    today = today or date.today()
    problems = list(kb.problems)
    problems += _duplicate_ids(kb)
    problems += _links_and_images(kb)
    problems += _roadmap(kb)
    problems += _references(kb)
    problems += _reviews(kb, today)
    return LintReport(sorted(problems, key=_order), len(kb.articles))


def _at(kb: KnowledgeBase, path: str, line: int) -> str:
    return f"{display(kb.root / path)}:{line}"


def _duplicate_ids(kb: KnowledgeBase) -> list[Problem]:
    first: dict[str, str] = {}
    out: list[Problem] = []
    for a in kb.articles:
        if a.id in first:
            out.append(
                Problem(
                    _at(kb, a.path, a.line_of("id")),
                    "error",
                    f"duplicate id '{a.id}': already used by {first[a.id]}; "
                    "give this article another id",
                )
            )
        else:
            first[a.id] = display(kb.root / a.path)
    return out


def _links_and_images(kb: KnowledgeBase) -> list[Problem]:
    by_path = kb.by_path()
    out: list[Problem] = []
    for a in kb.articles:
        for link in a.links:
            if link.external or link.path is None:
                continue
            where = _at(kb, a.path, link.line)
            if link.outside:
                out.append(
                    Problem(where, "error", f"link '{link.href}' points outside the knowledge base")
                )
                continue
            target = by_path.get(link.path)
            if target is None:
                if link.path.lower().endswith(".md") or not (kb.root / link.path).exists():
                    out.append(
                        Problem(
                            where,
                            "error",
                            f"broken link '{link.href}': no file {link.path}"
                            + _suggest_path(link.path, list(by_path)),
                        )
                    )
                continue
            if link.anchor and link.anchor not in target.anchors:
                near = difflib.get_close_matches(link.anchor, sorted(target.anchors), n=1)
                hint = f"; did you mean '#{near[0]}'?" if near else ""
                out.append(
                    Problem(
                        where,
                        "error",
                        f"broken anchor '#{link.anchor}' in link '{link.href}': "
                        f"{target.path} has no such heading{hint}",
                    )
                )
        for image in a.images:
            if image.external or image.path is None:
                continue
            where = _at(kb, a.path, image.line)
            if image.outside:
                out.append(
                    Problem(
                        where,
                        "error",
                        f"image '{image.src}' points outside the knowledge base: "
                        "copy it into the KB (e.g. images/) and link it from there",
                    )
                )
            elif not (kb.root / image.path).is_file():
                out.append(
                    Problem(
                        where,
                        "error",
                        f"image '{image.src}' does not exist (looked for {image.path})",
                    )
                )
            elif not image.alt.strip():
                out.append(
                    Problem(
                        where,
                        "warning",
                        f"image '{image.src}' has no alt text: describe it in ![...] "
                        "for readers who cannot see it",
                    )
                )
    return out


def _suggest_path(path: str, known: list[str]) -> str:
    near = difflib.get_close_matches(path, known, n=1, cutoff=0.6)
    return f"; did you mean {near[0]}?" if near else ""


def _roadmap(kb: KnowledgeBase) -> list[Problem]:
    steps = kb.of_type("roadmap-step")
    if not steps:
        return []
    seen: dict[int, list[str]] = defaultdict(list)
    out: list[Problem] = []
    for a in steps:
        for n in a.meta.step:
            if seen[n]:
                out.append(
                    Problem(
                        _at(kb, a.path, a.line_of("step")),
                        "error",
                        f"roadmap step {n} is already covered by {seen[n][0]}: "
                        "each step 1-7 has exactly one article",
                    )
                )
            seen[n].append(a.path)
    missing = [n for n in ROADMAP_STEPS if not seen[n]]
    if missing:
        names = ", ".join(str(n) for n in missing)
        folder = kb.root / "roadmap"
        out.append(
            Problem(
                display(folder if folder.is_dir() else kb.root) + "/",
                "error",
                f"roadmap step{'s' if len(missing) > 1 else ''} {names} "
                "missing: the roadmap needs one roadmap-step article for each "
                'of steps 1 to 7 (netdocs kb new roadmap-step "...")',
            )
        )
    return out


def _references(kb: KnowledgeBase) -> list[Problem]:
    roles = sorted(a.id for a in kb.of_type("role"))
    steps = {n for a in kb.of_type("roadmap-step") for n in a.meta.step}
    out: list[Problem] = []
    for a in kb.articles:
        for role in a.meta.audience:
            if role not in roles:
                near = difflib.get_close_matches(role, roles, n=1)
                hint = f"did you mean '{near[0]}'? " if near else ""
                known = ", ".join(roles) if roles else "none: add role articles first"
                out.append(
                    Problem(
                        _at(kb, a.path, a.line_of("audience")),
                        "error",
                        f"audience '{role}' names no role article; {hint}role ids: {known}",
                    )
                )
        if a.type in ("lesson", "practice") and steps:
            for n in a.meta.step:
                if n not in steps:
                    out.append(
                        Problem(
                            _at(kb, a.path, a.line_of("step")),
                            "error",
                            f"step {n} names no roadmap-step article",
                        )
                    )
    return out


def _reviews(kb: KnowledgeBase, today: date) -> list[Problem]:
    out: list[Problem] = []
    for a in kb.articles:
        due = a.meta.review_by
        if due is not None and due < today:
            out.append(
                Problem(
                    _at(kb, a.path, a.line_of("review_by")),
                    "warning",
                    f"review was due on {due.isoformat()}: review the article, "
                    "then move review_by forward",
                )
            )
    return out


_WHERE_RE = re.compile(r"^(.*):(\d+)$")


def _order(p: Problem) -> tuple[str, int, str]:
    m = _WHERE_RE.match(p.where)
    if m:
        return (m.group(1), int(m.group(2)), p.message)
    return (p.where, 0, p.message)
