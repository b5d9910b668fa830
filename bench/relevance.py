"""Relevance harness (issue 15): hit@3 and MRR of netdocs and of SQLite FTS5 on real corpora.

Each corpus is a folder of Markdown files indexed as a knowledge base, plus a
``questions.tsv`` (``question<TAB>id[,id]<TAB>tune|holdout``; ``#`` starts a comment) in
``tests/search/corpora/<name>/``. The corpus ``bundled`` is the project's own ``kb/``: its
questions are ``corpora/bundled/questions.tsv`` plus ``tests/search/relevance.tsv`` (read as
``tune``).

For every question, netdocs answers through ``pipeline.search.query.search(ix, q, limit=10)``
on an index built with ``pipeline.search.index.ensure_index`` in a temporary cache; the
baseline is the same articles (title, summary, body, as netdocs' reader gives them) in an
in-memory SQLite FTS5 table (``tokenize='porter'``, ``bm25()`` with the title weighted 2), the
question's words OR-ed, each quoted, stop words kept. hit@3: an expected id is in the top 3;
MRR: 1/rank of the first expected id in the top 10 (0 if none). A question netdocs refuses
(an error of ``pipeline.errors``) is a miss.

    python bench/relevance.py                      # every corpus, tune/holdout/all rows
    python bench/relevance.py --corpus mkdocs --split holdout --show-misses
    python bench/relevance.py --engine netdocs --json

It imports the code of the checkout it lives in (``bench/..``), whatever is installed.
"""

from __future__ import annotations

import argparse
import functools
import json
import re
import sqlite3
import sys
import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path[:1]:
    sys.path.insert(0, str(REPO))

from pipeline.errors import NetdocsError  # noqa: E402

if TYPE_CHECKING:
    from pipeline.kb.model import Article

CORPORA = REPO / "tests" / "search" / "corpora"
"""Where the corpora live: one folder per corpus."""
BUNDLED = "bundled"
"""The corpus whose articles are the project's own kb/."""
SPLITS = ("tune", "holdout")
ENGINES = ("netdocs", "fts5")
TOP = 10
"""How many results each engine returns per question (the depth MRR looks at)."""
FTS5_WEIGHTS = (0.0, 2.0, 1.0, 1.0)
"""bm25() column weights: id (not indexed), title, summary, body."""
_WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class Question:
    """One line of a questions file."""

    text: str
    expected: tuple[str, ...]
    """Ids of the articles that answer it (any of them in the top 3 is a hit)."""
    split: str
    """'tune' (engineers may look at it) or 'holdout' (reported on, never tuned on)."""
    line: int = 0
    """Line in its file (for messages)."""


@dataclass(frozen=True)
class Corpus:
    """A folder of articles and the questions asked of it."""

    name: str
    kb: Path
    """Folder indexed as a knowledge base."""
    questions: tuple[Question, ...]


@dataclass
class Outcome:
    """How each engine answered one question."""

    corpus: str
    question: Question
    ranking: dict[str, list[str]] = field(default_factory=dict)
    """Engine -> ids of its top results, best first."""
    error: dict[str, str] = field(default_factory=dict)
    """Engine -> message, when the engine refused the question."""

    def rank(self, engine: str) -> int | None:
        """1-based rank of the first expected id in ``engine``'s results, None if absent."""
        for i, found in enumerate(self.ranking.get(engine, [])[:TOP], 1):
            if found in self.question.expected:
                return i
        return None


@dataclass(frozen=True)
class Metrics:
    """Figures of one engine over a set of questions."""

    n: int
    hit3: float
    """Share of questions with an expected id in the top 3."""
    mrr: float
    """Mean of 1/rank of the first expected id in the top 10 (0 when absent)."""


@dataclass
class Evaluation:
    """Every question's outcome and the figures per corpus and split."""

    outcomes: list[Outcome]
    engines: tuple[str, ...]
    table: dict[str, dict[str, dict[str, Metrics]]]
    """Corpus name (and 'overall') -> split ('tune', 'holdout', 'all') -> engine -> figures."""

    def as_dict(self) -> dict[str, Any]:
        return {
            "engines": list(self.engines),
            "table": {
                c: {s: {e: asdict(m) for e, m in row.items()} for s, row in splits.items()}
                for c, splits in self.table.items()
            },
            "misses": [_miss_dict(o) for o in self.outcomes if not _hit3(o, "netdocs")]
            if "netdocs" in self.engines
            else [],
        }


class QuestionsError(ValueError):
    """A questions file is malformed."""


def read_questions(path: Path, default_split: str | None = None) -> list[Question]:
    """Questions of one file. Two columns are allowed only with ``default_split``."""
    out: list[Question] = []
    for n, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not raw.strip() or raw.lstrip().startswith("#"):
            continue
        cols = [c.strip() for c in raw.split("\t")]
        if len(cols) == 2 and default_split is not None:
            cols.append(default_split)
        if len(cols) != 3 or not all(cols):
            raise QuestionsError(
                f"{path}:{n}: expected 'question<TAB>id[,id]<TAB>tune|holdout', got {raw!r}"
            )
        text, ids, split = cols
        if split not in SPLITS:
            raise QuestionsError(f"{path}:{n}: split {split!r} is not one of {SPLITS}")
        expected = tuple(i.strip() for i in ids.split(",") if i.strip())
        out.append(Question(text, expected, split, n))
    return out


def corpus_names(root: Path = CORPORA) -> list[str]:
    """Every corpus under ``root`` (folders with a questions.tsv), the bundled KB last."""
    names = sorted(p.parent.name for p in root.glob("*/questions.tsv"))
    return [n for n in names if n != BUNDLED] + ([BUNDLED] if BUNDLED in names else [])


def load_corpus(name: str, root: Path = CORPORA) -> Corpus:
    """The corpus ``name``: its KB folder and its questions."""
    folder = root / name
    questions = read_questions(folder / "questions.tsv")
    if name == BUNDLED:
        extra = REPO / "tests" / "search" / "relevance.tsv"
        if extra.is_file():
            seen = {q.text.casefold() for q in questions}
            questions += [
                q
                for q in read_questions(extra, default_split="tune")
                if q.text.casefold() not in seen
            ]
        return Corpus(name, REPO / "kb", tuple(questions))
    return Corpus(name, folder, tuple(questions))


@functools.cache
def read_articles(kb: Path) -> tuple[Article, ...]:
    """The articles netdocs' reader gives for ``kb`` (read once per run)."""
    from pipeline.kb.reader import read_kb

    return tuple(read_kb(kb).articles)


def fts5_words(text: str) -> str:
    """The FTS5 MATCH expression of a question: every word quoted, OR-ed ('' if none)."""
    return " OR ".join(f'"{w}"' for w in _WORD.findall(text))


class Fts5:
    """The baseline: the corpus' articles in an in-memory FTS5 table."""

    def __init__(self, kb: Path) -> None:
        self.db = sqlite3.connect(":memory:")
        self.db.execute(
            "CREATE VIRTUAL TABLE docs USING fts5(id UNINDEXED, title, summary, body, "
            "tokenize='porter')"
        )
        rows = [(a.meta.id, a.meta.title, a.meta.summary or "", a.body) for a in read_articles(kb)]
        self.db.executemany("INSERT INTO docs VALUES (?, ?, ?, ?)", rows)

    def search(self, text: str, limit: int = TOP) -> list[str]:
        match = fts5_words(text)
        if not match:
            return []
        weights = ", ".join(str(w) for w in FTS5_WEIGHTS)
        sql = f"SELECT id FROM docs WHERE docs MATCH ? ORDER BY bm25(docs, {weights}) LIMIT ?"
        return [r[0] for r in self.db.execute(sql, (match, limit))]

    def close(self) -> None:
        self.db.close()


class Netdocs:
    """netdocs itself: an index of the corpus built in ``cache``."""

    def __init__(self, kb: Path, cache: Path) -> None:
        from pipeline.search.index import ensure_index

        self.ix, _report = ensure_index(cache, kb)

    def search(self, text: str, limit: int = TOP) -> list[str]:
        from pipeline.search.query import search

        return [h.id for h in search(self.ix, text, limit=limit).hits]

    def close(self) -> None:
        self.ix.close()


def run_corpus(
    corpus: Corpus,
    cache: Path,
    engines: Sequence[str] = ENGINES,
    questions: Iterable[Question] | None = None,
) -> list[Outcome]:
    """Ask every question of ``corpus`` (or ``questions``) of each engine."""
    asked = list(corpus.questions if questions is None else questions)
    outcomes = [Outcome(corpus.name, q) for q in asked]
    for engine in engines:
        if engine == "netdocs":
            runner: Netdocs | Fts5 = Netdocs(corpus.kb, cache / corpus.name)
        elif engine == "fts5":
            runner = Fts5(corpus.kb)
        else:
            raise ValueError(f"unknown engine {engine!r} (one of {ENGINES})")
        try:
            for o in outcomes:
                try:
                    o.ranking[engine] = runner.search(o.question.text)
                except (NetdocsError, sqlite3.OperationalError) as exc:
                    o.ranking[engine] = []
                    o.error[engine] = f"{type(exc).__name__}: {exc}"
        finally:
            runner.close()
    return outcomes


def _hit3(o: Outcome, engine: str) -> bool:
    r = o.rank(engine)
    return r is not None and r <= 3


def metrics(outcomes: Sequence[Outcome], engine: str) -> Metrics:
    """hit@3 and MRR of ``engine`` over ``outcomes``."""
    if not outcomes:
        return Metrics(0, 0.0, 0.0)
    ranks = [o.rank(engine) for o in outcomes]
    hit3 = sum(1 for r in ranks if r is not None and r <= 3) / len(ranks)
    mrr = sum(1 / r for r in ranks if r is not None) / len(ranks)
    return Metrics(len(ranks), round(hit3, 4), round(mrr, 4))


def tabulate(
    outcomes: Sequence[Outcome], engines: Sequence[str], split: str = "all"
) -> dict[str, dict[str, dict[str, Metrics]]]:
    """Figures per corpus (and 'overall', all corpora pooled) and split."""
    splits = list(SPLITS) + ["all"] if split == "all" else [split]
    groups: dict[str, list[Outcome]] = {}
    for o in outcomes:
        groups.setdefault(o.corpus, []).append(o)
    if len(groups) > 1:
        groups["overall"] = list(outcomes)
    table: dict[str, dict[str, dict[str, Metrics]]] = {}
    for name, group in groups.items():
        table[name] = {}
        for s in splits:
            chosen = [o for o in group if s == "all" or o.question.split == s]
            table[name][s] = {e: metrics(chosen, e) for e in engines}
    return table


def evaluate(
    corpora: Iterable[str] | None = None,
    *,
    split: str = "all",
    engines: Sequence[str] = ENGINES,
    root: Path = CORPORA,
    cache: Path | None = None,
) -> Evaluation:
    """Run the questions of ``corpora`` (default: all) and give the figures.

    ``split`` is 'tune', 'holdout' or 'all' (rows for tune, holdout and all). ``cache`` is
    where netdocs' indexes are built (default: a temporary folder removed afterwards); an
    existing one is refreshed, not rebuilt.
    """
    if split not in (*SPLITS, "all"):
        raise ValueError(f"split {split!r} is not one of tune, holdout, all")
    names = list(corpora) if corpora is not None else corpus_names(root)
    loaded = [load_corpus(n, root) for n in names]
    outcomes: list[Outcome] = []
    with tempfile.TemporaryDirectory(prefix="netdocs-relevance-") as tmp:
        where = cache if cache is not None else Path(tmp)
        for c in loaded:
            asked = [q for q in c.questions if split == "all" or q.split == split]
            outcomes += run_corpus(c, where, engines, asked)
    return Evaluation(outcomes, tuple(engines), tabulate(outcomes, engines, split))


def _miss_dict(o: Outcome) -> dict[str, Any]:
    return {
        "corpus": o.corpus,
        "question": o.question.text,
        "expected": list(o.question.expected),
        "split": o.question.split,
        "netdocs_top3": o.ranking.get("netdocs", [])[:3],
        "netdocs_error": o.error.get("netdocs"),
        "fts5_rank": o.rank("fts5") if "fts5" in o.ranking else None,
    }


def format_table(ev: Evaluation) -> str:
    """The figures as a plain-text table, netdocs and FTS5 side by side."""
    head = f"{'corpus':<18} {'split':<8} {'n':>3}"
    for e in ev.engines:
        head += f"  {e + ' hit@3':>13} {e + ' MRR':>11}"
    lines = [head, "-" * len(head)]
    for corpus, splits in ev.table.items():
        for s, row in splits.items():
            n = next(iter(row.values())).n
            line = f"{corpus:<18} {s:<8} {n:>3}"
            for e in ev.engines:
                line += f"  {row[e].hit3:>13.2f} {row[e].mrr:>11.2f}"
            lines.append(line)
    return "\n".join(lines)


def format_misses(ev: Evaluation) -> str:
    """The questions netdocs misses (not in its top 3), with its top 3 and FTS5's rank."""
    lines = []
    for o in ev.outcomes:
        if _hit3(o, "netdocs"):
            continue
        d = _miss_dict(o)
        got = d["netdocs_error"] or ", ".join(d["netdocs_top3"]) or "(nothing)"
        rank = o.rank("netdocs")
        fts = d["fts5_rank"] if "fts5" in o.ranking else "-"
        lines.append(
            f"[{o.corpus}/{o.question.split}] {o.question.text!r} -> want "
            f"{','.join(o.question.expected)}; netdocs rank {rank or '-'}, top 3: {got}; "
            f"fts5 rank {fts or '-'}"
        )
    return "\n".join(lines) if lines else "(netdocs misses nothing)"


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(
        description="hit@3 and MRR of netdocs and of SQLite FTS5 (porter, bm25, words OR-ed)\n"
        "on the relevance corpora in tests/search/corpora/, side by side.\n"
        "hit@3: an expected article is in the top 3; MRR: mean of 1/rank of the first\n"
        "expected article in the top 10 (0 if none). A question netdocs refuses is a miss.",
        epilog="examples:\n  python bench/relevance.py\n"
        "  python bench/relevance.py --corpus mkdocs --split holdout --show-misses\n"
        "  python bench/relevance.py --engine netdocs --json",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    ap.add_argument(
        "--corpus",
        action="append",
        metavar="NAME",
        help=f"only this corpus (repeatable; default all: {', '.join(corpus_names())})",
    )
    ap.add_argument(
        "--split",
        choices=(*SPLITS, "all"),
        default="all",
        help="only the questions of this split (default all: rows for tune, holdout and all)",
    )
    ap.add_argument("--engine", choices=(*ENGINES, "both"), default="both", help="default: both")
    ap.add_argument(
        "--show-misses",
        action="store_true",
        help="list the questions netdocs misses (not in its top 3), with its top 3 and FTS5's rank",
    )
    ap.add_argument("--json", action="store_true", help="print the figures and misses as JSON")
    args = ap.parse_args(argv)
    known = corpus_names()
    for name in args.corpus or []:
        if name not in known:
            ap.error(f"no corpus {name!r}; known: {', '.join(known)}")
    engines = ENGINES if args.engine == "both" else (args.engine,)
    if args.show_misses and "netdocs" not in engines:
        engines = ("netdocs", *engines)
    ev = evaluate(args.corpus, split=args.split, engines=engines)
    if args.json:
        print(json.dumps(ev.as_dict(), indent=2))
        return 0
    print(format_table(ev))
    if args.show_misses:
        print()
        print(format_misses(ev))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
