"""Check a knowledge base as a whole: every problem at once, each located and actionable."""

from __future__ import annotations

import difflib
import heapq
import posixpath
import re
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from ..errors import UNFINISHED, Problem
from . import critic
from .citations import citation_problems, stated_figures
from .glyphs import FONT_PACKAGES, Coverage, describe, installed, uncovered
from .model import ROADMAP_STEPS, Article, KnowledgeBase
from .reader import display
from .resources import check_image
from .sanitize import URL_SCHEMES, Scan, scan
from .unfinished import unfinished


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
    scans = {a.path: scan(a.body, a.body_line) for a in kb.articles}
    problems += _links_and_images(kb, scans)
    problems += _html_only(kb, scans)
    problems += _roadmap(kb)
    problems += _orders(kb)
    problems += _references(kb)
    problems += _reviews(kb, today)
    problems += _articles(kb, {p.where for p in kb.problems})
    problems += _glyphs(kb)
    problems += _suggestions(kb)
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


def _links_and_images(kb: KnowledgeBase, scans: dict[str, Scan]) -> list[Problem]:
    by_path = kb.by_path()
    suggest = PathSuggester(list(by_path))
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
                            f"broken link '{link.href}': no file {link.path}" + suggest(link.path),
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
        out += _images(kb, a, scans[a.path])
    return out


def _images(kb: KnowledgeBase, a: Article, found: Scan) -> list[Problem]:
    """Every image of ``a``, vetted as the converters vet it (:mod:`.resources`)."""
    folder = posixpath.dirname(a.path)
    images = [(i.line, i.src, i.alt) for i in a.images]
    seen = {(line, src) for line, src, _alt in images}
    images += [i for i in found.images if (i[0], i[1]) not in seen]
    out: list[Problem] = []
    for line, src, alt in sorted(images, key=lambda i: i[0]):
        where = _at(kb, a.path, line)
        checked = check_image(src, folder, kb.root)
        if checked.problem is not None:
            out.append(Problem(where, "error", checked.problem))
        elif not alt.strip() and checked.path is not None:
            out.append(
                Problem(
                    where,
                    "warning",
                    f"image '{src}' has no alt text: describe it in ![...] "
                    "for readers who cannot see it",
                )
            )
    return out


def _html_only(kb: KnowledgeBase, scans: dict[str, Scan]) -> list[Problem]:
    """Raw HTML and link schemes the HTML outputs remove (:mod:`.sanitize`), one per line."""
    schemes = ", ".join(f"{s}:" for s in sorted(URL_SCHEMES))
    out: list[Problem] = []
    for a in kb.articles:
        by_line: dict[int, list[str]] = defaultdict(list)
        for item in scans[a.path].unsafe:
            by_line[item.line].append(item.what)
        for line, whats in by_line.items():
            links = [w for w in whats if w.startswith("link ")]
            html = [w for w in whats if not w.startswith("link ")]
            if html:
                out.append(
                    Problem(
                        _at(kb, a.path, line),
                        "warning",
                        f"raw HTML the HTML handbook and EPUB remove: {'; '.join(html)} "
                        "(scripts, frames, event handlers and <img> are not allowed): "
                        "write it in Markdown",
                    )
                )
            for what in links:
                out.append(
                    Problem(
                        _at(kb, a.path, line),
                        "warning",
                        f"{what} is removed from the HTML handbook and EPUB: links may be "
                        f"relative or start with {schemes}",
                    )
                )
    return out


class PathSuggester:
    """'did you mean' for a path that does not exist, among ``known`` paths, without comparing
    it with every known path: candidates are the paths with the same file name or one letter
    away from it, those in the same (not too big) folder, and those whose names share the rarer
    trigrams; difflib picks among them as it would among all."""

    FOLDER_LIMIT = 200
    """Same-folder candidates are used when the folder holds at most this many files."""
    CANDIDATES = 8
    """Trigram candidates compared with difflib."""

    def __init__(self, known: Sequence[str]) -> None:
        self.order = {p: i for i, p in enumerate(known)}
        self.by_name: dict[str, list[str]] = defaultdict(list)
        self.by_folder: dict[str, list[str]] = defaultdict(list)
        self.by_gram: dict[str, list[str]] = defaultdict(list)
        self.by_deletion: dict[str, list[str]] = defaultdict(list)
        """A file name with one letter deleted -> the paths: finds one-letter typos directly."""
        for p in known:
            folder, name = posixpath.split(p)
            self.by_name[name.lower()].append(p)
            self.by_folder[folder].append(p)
            for g in _grams(name):
                self.by_gram[g].append(p)
            for variant in _deletions(name):
                self.by_deletion[variant].append(p)
        self.common = max(20, len(known) // 40)
        """A trigram shared by more paths than this says little and is skipped."""

    def candidates(self, path: str) -> list[str]:
        folder, name = posixpath.split(path)
        found = set(self.by_name.get(name.lower(), ()))
        for variant in _deletions(name):
            found.update(self.by_deletion.get(variant, ())[: self.CANDIDATES])
        same = self.by_folder.get(folder, [])
        if len(same) <= self.FOLDER_LIMIT:
            found.update(same)
        score: Counter[str] = Counter()
        for g in _grams(name):
            posting = self.by_gram.get(g, [])
            if len(posting) <= self.common:
                score.update(posting)
        if len(score) > self.CANDIDATES:  # a typo usually keeps the folder
            for p in [p for p in score if p.startswith(folder + "/")] if folder else ():
                if "/" not in p[len(folder) + 1 :]:
                    score[p] += 2
        ranked = heapq.nsmallest(
            self.CANDIDATES,
            score,
            key=lambda p: (-score[p], abs(len(p) - len(path)), self.order[p]),
        )
        found.update(ranked)
        return sorted(found, key=self.order.__getitem__)

    def __call__(self, path: str) -> str:
        near = difflib.get_close_matches(path, self.candidates(path), n=1, cutoff=0.6)
        return f"; did you mean {near[0]}?" if near else ""


def _deletions(name: str) -> set[str]:
    """The stem of ``name`` and each variant of it with one letter deleted."""
    stem = name.lower().removesuffix(".md")
    return {stem} | {stem[:i] + stem[i + 1 :] for i in range(len(stem))}


def _grams(name: str) -> set[str]:
    stem = name.lower().removesuffix(".md")
    padded = f"^{stem}$"
    return {padded[i : i + 3] for i in range(max(1, len(padded) - 2))}


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


def _orders(kb: KnowledgeBase) -> list[Problem]:
    """Positions (``order``) within each type: none taken twice; an article without one among
    articles of its type that have one is listed after them (a warning)."""
    out: list[Problem] = []
    by_type: dict[str, list[Article]] = defaultdict(list)
    for a in kb.articles:
        by_type[a.type].append(a)
    for kind, articles in by_type.items():
        placed = [(a.meta.order, a) for a in articles if a.meta.order is not None]
        if not placed:
            continue
        after = max(n for n, _a in placed) + 1
        first: dict[int, str] = {}
        for n, a in placed:
            if n in first:
                out.append(
                    Problem(
                        _at(kb, a.path, a.line_of("order")),
                        "error",
                        f"order {n} is already used by {first[n]}: give each {kind} its own "
                        f"position (e.g. order: {after})",
                    )
                )
            else:
                first[n] = display(kb.root / a.path)
        for a in articles:
            if a.meta.order is None and "order" not in a.meta_lines:  # (written: an error)
                out.append(
                    Problem(
                        _at(kb, a.path, a.line_of("type")),
                        "warning",
                        f"no 'order' while {len(placed)} other {kind} articles have one, so it "
                        f"is listed after them: write its position, e.g. order: {after}",
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


def _articles(kb: KnowledgeBase, known: set[str]) -> list[Problem]:
    """The checks of one article at a time: unfinished material, figures and their citations."""
    out: list[Problem] = []
    for a in kb.articles:
        shown = display(kb.root / a.path)

        def where(line: int, shown: str = shown) -> str:
            return f"{shown}:{line}"

        out += unfinished(a, where, known)
        out += citation_problems(a, where)
        out += stated_figures(a, where)
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


def _glyphs(kb: KnowledgeBase, coverage: Coverage | None = None) -> list[Problem]:
    """Characters of a title or body no installed font has (a warning, one per line): the PDF
    would show an empty box. Checked only where PDFs are made (LibreOffice is installed) and
    fontconfig says what the fonts cover, unless ``coverage`` is given."""
    if coverage is None:
        from ..render.libreoffice import soffice_path

        coverage = installed() if soffice_path() is not None else None
        if coverage is None:
            return []
    out: list[Problem] = []
    for a in kb.articles:
        lines = [(a.line_of("title"), a.title)]
        lines += [(a.body_line + n, text) for n, text in enumerate(a.body.splitlines())]
        for line, text in lines:
            missing = uncovered(text, coverage)
            if missing:
                shown = ", ".join(describe(c) for c in missing[:5])
                more = f" and {len(missing) - 5} more" if len(missing) > 5 else ""
                out.append(
                    Problem(
                        _at(kb, a.path, line),
                        "warning",
                        f"no installed font has {shown}{more}: the PDF shows an empty box "
                        "instead and may garble the symbols after it; install the fallback "
                        f"fonts (make pdf-tools: {FONT_PACKAGES}) or a font that has it, or "
                        "write it another way",
                    )
                )
    return out


_RESOLVE = {
    "insertion": "accept or reject it in your editor, then lint again",
    "deletion": "accept or reject it in your editor, then lint again",
    "substitution": "accept or reject it in your editor, then lint again",
    "comment": "act on it and delete it in your editor, then lint again",
    "highlight": "act on its comment and remove the highlight in your editor, then lint again",
}


def _suggestions(kb: KnowledgeBase) -> list[Problem]:
    """CriticMarkup (:mod:`.critic`) in the bodies, titles and summaries: malformed markup is
    an error at its line; each suggestion still to accept or reject is a warning at the line
    it opens on. Both are material that must not print (``rule=UNFINISHED``): ``netdocs
    publish`` refuses them, listing each, and ``netdocs build`` drafts with a warning each."""
    out: list[Problem] = []
    for a in kb.articles:
        texts = [(a.body, a.body_line, "")]
        if a.has_front_matter:
            texts += [(a.title, a.line_of("title"), " in the title")]
            texts += [(a.meta.summary, a.line_of("summary"), " in the summary")]
        for text, first_line, where in texts:
            found = critic.scan(text, first_line)
            for line, message in found.problems:
                out.append(Problem(_at(kb, a.path, line), "error", message, rule=UNFINISHED))
            for s in found.suggestions:
                lines = f" (to line {s.end_line})" if s.end_line != s.line else ""
                by = f" by {s.author}" if s.author else ""
                out.append(
                    Problem(
                        _at(kb, a.path, s.line),
                        "warning",
                        f"unresolved {s.kind}{by}{where} '{s.excerpt()}'{lines}: "
                        f"{_RESOLVE[s.kind]}",
                        rule=UNFINISHED,
                    )
                )
    return out


_WHERE_RE = re.compile(r"^(.*):(\d+)$")


def _order(p: Problem) -> tuple[str, int, str]:
    m = _WHERE_RE.match(p.where)
    if m:
        return (m.group(1), int(m.group(2)), p.message)
    return (p.where, 0, p.message)
