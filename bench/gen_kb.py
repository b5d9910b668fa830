"""Generate a large synthetic knowledge base for benchmarks (deterministic).

    python bench/gen_kb.py --articles 10000 --words 300 --out bench/.data/kb-10000

Articles have valid front matter, headings, lists, links to other generated articles and
roughly ``--words`` words each, drawn from the words of the bundled knowledge base with their
real frequencies (so, as in real text, a few words are everywhere and most are rare).
"""

from __future__ import annotations

import argparse
import os
import random
import re
import shutil
from pathlib import Path

from pipeline.markers import unfinished_marker
from pipeline.network.model import ROLES as NETWORK_ROLES

VOCAB = (
    "network cluster coordinator centre secretariat focal point convener member institution "
    "vocational education training TVET VET strategy action plan handbook roadmap baseline "
    "audit survey leaders vision mission aspiration objective indicator target monitoring "
    "reporting renewal funding Erasmus programme partnership capacity building workshop "
    "webinar regional thematic digital greening youth employment skills teachers learners "
    "quality access equity policy dialogue ministry agency provider practice promising lesson "
    "learned governance roles responsibilities benefits communication mailing list portal "
    "database forum publication meeting annual agenda budget co-financing application deadline "
    "consortium mobility exchange peer learning organise organisation mobilise resources "
    "priorities focus areas gaps needs alignment consolidated contributions progress activity "
    "calendar timeline owner lead partner status planned ongoing done cancelled evaluation"
).split()
TYPES = ["role", "principle", "lesson", "practice", "glossary", "page"]
ROLES = list(NETWORK_ROLES)  # the network's roles, as the data model names them


_WORDS: list[str] = []
_WEIGHTS: list[int] = []


def _vocabulary() -> tuple[list[str], list[int]]:
    """Words of the bundled KB with their frequencies (a natural, Zipf-like distribution)."""
    if not _WORDS:
        counts: dict[str, int] = {}
        kb = Path(__file__).resolve().parent.parent / "kb"
        for path in sorted(kb.rglob("*.md")):
            if path.name == "README.md":  # documentation of the KB, not an article
                continue
            text = path.read_text(encoding="utf-8").split("\n---\n", 1)[-1]
            text = re.sub(r"\]\([^)]*\)|https?://\S+", " ", text)  # link targets, addresses
            for word in re.findall(r"[a-z][a-z']+", text.lower()):
                counts[word] = counts.get(word, 0) + 1
        for word in VOCAB:  # keep the domain words the benchmark queries use
            counts[word.lower()] = counts.get(word.lower(), 0) + 5
        for word, n in sorted(counts.items()):
            if unfinished_marker(word):  # "todo", "placeholder": a published KB has none
                continue
            _WORDS.append(word)
            _WEIGHTS.append(n)
    return _WORDS, _WEIGHTS


def sentence(rng: random.Random, n: int) -> str:
    words, weights = _vocabulary()
    return " ".join(rng.choices(words, weights, k=n)).capitalize() + "."


def paragraph(rng: random.Random, words: int) -> str:
    out, left = [], words
    while left > 0:
        n = min(left, rng.randint(8, 20))
        out.append(sentence(rng, n))
        left -= n
    return " ".join(out)


def article(i: int, total: int, words: int, rng: random.Random) -> tuple[str, str]:
    if i < 6:
        kind, ident = "role", ROLES[i]
    elif i < 13:
        kind, ident = "roadmap-step", f"step-{i - 5}"
    else:
        kind, ident = TYPES[i % len(TYPES)], f"a{i:05d}"
        if kind == "role":
            kind = "page"
    folder = {"roadmap-step": "roadmap"}.get(kind, kind + "s")
    title = sentence(rng, rng.randint(3, 7)).rstrip(".")
    fm = [
        "---",
        f"id: {ident}",
        f'title: "{title}"',
        f"type: {kind}",
        f'summary: "{sentence(rng, 16)}"',
        f"tags: [{rng.choice(VOCAB).lower()}, {rng.choice(VOCAB).lower()}]",
        f"audience: [{rng.choice(ROLES)}]",
    ]
    if kind == "roadmap-step":
        fm.append(f"step: {i - 5}")
    elif kind in ("lesson", "practice"):
        fm.append(f"step: [{rng.randint(1, 7)}, {rng.randint(1, 7)}]")
    fm += ["updated: 2026-10-01", "review_by: 2030-01-01", "---", f"# {title}", ""]
    body: list[str] = []
    sections = 4
    per = max(words // (sections + 1), 10)
    body.append(paragraph(rng, per))
    for s in range(sections):
        body += ["", f"## Section {s + 1} {rng.choice(VOCAB)}", ""]
        if s == 1:
            body += [f"- {sentence(rng, 6)}" for _ in range(3)]
            body.append(f"  - {sentence(rng, 5)}")
            body.append("")
        target = rng.randrange(total)
        body.append(
            paragraph(rng, per) + f" See [related](../{_folder_of(target)}/{_id_of(target)}.md)."
        )
    return f"{folder}/{ident}.md", "\n".join(fm + body) + "\n"


def _kind_of(i: int) -> str:
    if i < 6:
        return "role"
    if i < 13:
        return "roadmap-step"
    k = TYPES[i % len(TYPES)]
    return "page" if k == "role" else k


def _folder_of(i: int) -> str:
    k = _kind_of(i)
    return {"roadmap-step": "roadmap"}.get(k, k + "s")


def _id_of(i: int) -> str:
    if i < 6:
        return ROLES[i]
    if i < 13:
        return f"step-{i - 5}"
    return f"a{i:05d}"


def generate(out: Path, articles: int, words: int, seed: int = 42) -> Path:
    """Write the KB to ``out`` (replacing it) and return ``out``."""
    rng = random.Random(seed)
    if out.exists():
        shutil.rmtree(out)
    for i in range(articles):
        rel, text = article(i, articles, words, rng)
        path = out / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return out


def ensure(articles: int, words: int) -> Path:
    """The generated KB in bench/.data, generated once and reused."""
    out = Path(__file__).parent / ".data" / f"kb-{articles}-{words}-v3"
    if (out / ".complete").exists():
        return out
    # generated beside it and renamed into place: two runs never write into one folder, and
    # a KB that exists is complete
    staging = out.with_name(f"{out.name}.tmp-{os.getpid()}")
    generate(staging, articles, words)
    (staging / ".complete").write_text("ok")
    if (out / ".complete").exists():  # another run finished first: keep its KB
        shutil.rmtree(staging)
        return out
    shutil.rmtree(out, ignore_errors=True)  # an incomplete one from an older version
    try:
        staging.rename(out)
    except OSError:  # another run renamed its own into place meanwhile
        shutil.rmtree(staging)
    return out


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--words", type=int, default=300)
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args()
    path = (
        generate(args.out, args.articles, args.words)
        if args.out
        else ensure(args.articles, args.words)
    )
    print(path)
