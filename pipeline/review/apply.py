"""``--apply``: write a review's comments and tracked changes into the articles as CriticMarkup
suggestions (:mod:`pipeline.kb.critic`), for editors to accept or reject.

Before anything is written: in a git work tree, an article the review concerns with
uncommitted changes stops the whole apply, naming the files, and nothing is written (so does
a git that cannot say: dubious ownership, a broken repository); then each article to touch
must be as it was in the edition (its content hash against the manifest's ``kb`` record),
else it is left alone and the report says why. A deletion and the insertion right beside it
become one substitution; a comment on a text highlights it, a comment on a point is written
there (an empty one is not written). A word typed before another goes after the space before
it; a paragraph inserted whole (its paragraph mark tracked) is written on lines of its own,
one deleted whole with its heading or list marker; a change to the title heading tells the
editor to change the front matter's ``title:`` too. An item whose text was not found whole
in the article, or that overlaps another one, is not written (the report lists it with its
line, to do by hand). Data and template items are never applied: their text is not in the
KB. Files are written atomically (their line endings kept), then linted.
"""

from __future__ import annotations

import re
import subprocess
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import Problem, UsageError
from .model import ReviewItem
from .run import Review

_LINK_END = re.compile(r"[^\[\]\n]*\]\([^)\n]*\)")
_MARKUP = "*_`"
_SPECIAL = re.compile(r"([\\`*_\[\]<>#|~!])")
"""What a reviewer may type that Markdown would read as markup anywhere in a line."""
_ENTITY = re.compile(r"&(?=#?\w+;)")
_TYPOGRAPHY = re.compile(r"-{2,}|\.{3,}")
"""What smart typography would print otherwise: ``--`` as an en dash, ``...`` as an
ellipsis (a reviewer's literal text stays literal)."""
_LINE_START = re.compile(r"(?m)^([ \t]*)(?:([-+=:])|(\d+)([.)]))")
"""What would start a list, a heading underline or a definition at a line's start (a
suggestion at a paragraph's start is there once accepted)."""


@dataclass
class Applied:
    """What ``--apply`` did."""

    written: dict[str, list[int]] = field(default_factory=dict)
    """KB path -> the numbers of the items written into it."""
    skipped: list[tuple[int, str]] = field(default_factory=list)
    """Item number and why it was not written."""
    problems: list[Problem] = field(default_factory=list)
    """What lint says of the articles written (the suggestions are warnings)."""
    notes: list[tuple[int, str]] = field(default_factory=list)
    """Item number and what else to do by hand (a title changed: its front matter too)."""

    def as_dict(self) -> dict[str, object]:
        return {
            "written": {path: numbers for path, numbers in self.written.items()},
            "skipped": [{"number": n, "why": why} for n, why in self.skipped],
            "lint": [p.as_dict() for p in self.problems],
            "notes": [{"number": n, "note": note} for n, note in self.notes],
        }


@dataclass(frozen=True)
class _Edit:
    start: int
    end: int
    text: str
    number: int
    also: int | None = None
    """The number of the deletion a substitution writes too."""


def apply_review(review: Review) -> Applied:
    """Write ``review``'s items into its KB (see the module docstring)."""
    from ..kb.reader import read_kb
    from ..publish.manifest import read_manifest

    kb_root = review.kb_root
    applied = Applied()
    manifest = read_manifest(review.edition)
    if manifest is None:
        raise UsageError(
            f"{review.edition}/manifest.json is missing or unreadable: nothing applied; "
            "publish the edition again"
        )
    kb = read_kb(kb_root)
    by_path = kb.by_path()
    groups: dict[str, list[ReviewItem]] = {}
    for item in review.items:
        why = _not_applicable(item)
        if why:
            applied.skipped.append((item.number, why))
        else:
            assert item.path is not None
            groups.setdefault(item.path, []).append(item)
    _refuse_uncommitted(kb_root, sorted(p for p in groups if (kb_root / p).is_file()))
    to_touch: dict[str, list[ReviewItem]] = {}
    for path, items in groups.items():
        article = by_path.get(path)
        record = manifest.kb.get(article.id) if article is not None else None
        if article is None:
            why = f"{path} is no longer in the KB: not touched"
        elif record is None or record.sha256 != article.content_hash:
            why = f"{path} changed since the edition {review.edition.name}: not touched"
        else:
            placed = [i for i in items if i.position]
            applied.skipped += [(i.number, _by_hand(i)) for i in items if not i.position]
            if placed:
                to_touch[path] = placed
            continue
        applied.skipped += [(i.number, f"{why} (apply it by hand at {i.where})") for i in items]
    texts: dict[str, str] = {}
    for path, items in to_touch.items():
        with open(kb_root / path, encoding="utf-8", newline="") as fh:
            text = fh.read()
        new, numbers, skipped = _write_into(text, items)
        applied.skipped += skipped
        applied.notes += _title_notes(text, items, numbers, by_path[path])
        if numbers:
            texts[path] = new
            applied.written[path] = numbers
    from ..fs import atomic_write_text

    for path, text in texts.items():
        atomic_write_text(kb_root / path, text)
    if texts:
        applied.problems = _lint(kb_root, set(texts))
    applied.skipped.sort()
    return applied


def _title_notes(
    text: str, items: list[ReviewItem], numbers: list[int], article: Any
) -> list[tuple[int, str]]:
    """A change written into the article's title heading (``# Title``, the front matter's
    title): the front matter's ``title:`` is the article's title everywhere else (links,
    contents, the site), so the editor is told to change it too."""
    lines = text.split("\n")
    title = " ".join(str(article.meta.title or "").split())
    out: list[tuple[int, str]] = []
    for item in items:
        start = item.position.get("start")
        if item.number not in numbers or item.kind == "comment" or not start or not title:
            continue
        line = lines[start[0] - 1] if 0 < start[0] <= len(lines) else ""
        m = re.match(r" {0,3}#[ \t]+(.*?)[ \t#]*$", line.rstrip("\r"))
        if m and " ".join(m.group(1).split()) == title and article.has_front_matter:
            at = article.line_of("title")
            note = (f"the title heading changed: when you accept it, change 'title: {title}' "
                    f"in the front matter too ({article.path}:{at})")  # fmt: skip
            out.append((item.number, note))
            break  # once per article
    return out


def _not_applicable(item: ReviewItem) -> str:
    if item.origin == "data":
        return f"{item.note}: not applied"
    if item.origin in ("generated", "template"):
        return "not KB text: not applied"
    if item.origin == "unmapped":
        return "not mapped: not applied"
    if item.within_insertion:
        return "deletes text inserted in review: nothing to change in the article"
    if item.kind != "comment" and not item.text.strip():
        return f"no text (a picture, a field or a line break): apply it by hand at {item.where}"
    return ""


def _by_hand(item: ReviewItem) -> str:
    return f"its text was not found in the article: apply it by hand at {item.where}"


def _refuse_uncommitted(kb_root: Path, paths: list[str]) -> None:
    """Stop, naming them, when any of ``paths`` has uncommitted changes in a git work tree.
    Fails closed: when the KB is in a work tree but git cannot say what changed, nothing is
    written either."""
    if not paths:
        return
    try:
        inside = _git(kb_root, "rev-parse", "--is-inside-work-tree")
    except OSError as exc:
        if _has_git_folder(kb_root):
            raise UsageError(
                f"not applied: {kb_root} is in a git work tree but git cannot run ({exc}), so "
                "uncommitted changes to the articles cannot be checked: install git or put it "
                "on the PATH, then run this again; nothing was written"
            ) from None
        return  # no git and no repository: nothing to compare with
    if inside.returncode != 0:
        said = " ".join(inside.stderr.split())
        if "not a git repository" in said.casefold():
            return
        raise _unknown(kb_root, said or f"git rev-parse exited with {inside.returncode}")
    if inside.stdout.strip() != "true":
        return  # inside a .git folder: not a work tree
    status = _git(kb_root, "status", "--porcelain=v1", "-z", "--", *paths)
    if status.returncode != 0:
        said = " ".join(status.stderr.split())
        raise _unknown(kb_root, said or f"git status exited with {status.returncode}")
    dirty = porcelain_paths(status.stdout)
    if dirty:
        listed = ", ".join(dirty)
        raise UsageError(
            f"not applied: uncommitted changes to {listed} (the articles the review would "
            "change): commit or discard them first (git commit / git restore), then run this "
            "again; nothing was written"
        )


def _git(kb_root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["git", "-C", str(kb_root), *args], capture_output=True,
                          text=True, check=False, encoding="utf-8", errors="replace")  # fmt: skip


def _has_git_folder(folder: Path) -> bool:
    return any((p / ".git").exists() for p in (folder.resolve(), *folder.resolve().parents))


def _unknown(kb_root: Path, said: str) -> UsageError:
    return UsageError(
        f"not applied: git cannot say whether the articles in {kb_root} have uncommitted "
        f"changes ({said}): fix what git says (for 'dubious ownership': git config --global "
        "--add safe.directory PATH), then run this again; nothing was written"
    )


def porcelain_paths(out: str) -> list[str]:
    """The paths ``git status --porcelain=v1 -z`` lists (a rename's both paths: new, old)."""
    entries = out.split("\0")
    found: list[str] = []
    i = 0
    while i < len(entries):
        entry = entries[i]
        i += 1
        if len(entry) < 4:
            continue
        code, path = entry[:2], entry[3:]
        found.append(path)
        if "R" in code or "C" in code:  # the next entry is the path it came from
            if i < len(entries) and entries[i]:
                found.append(entries[i])
            i += 1
    return found


def _write_into(text: str, items: list[ReviewItem]) -> tuple[str, list[int], list[tuple[int, str]]]:
    """``text`` with ``items`` written in, the numbers written and those skipped (with why)."""
    from ..kb import critic

    starts = [0]
    for line in text.split("\n"):
        starts.append(starts[-1] + len(line) + 1)

    def offset(point: list[int]) -> int:
        return starts[point[0] - 1] + point[1]

    by_number = {i.number: i for i in items}
    paired = {i.pair for i in items if i.kind == "insertion" and i.pair in by_number}
    edits: list[_Edit] = []
    skipped: list[tuple[int, str]] = []
    comments: list[ReviewItem] = []
    for item in items:
        pos = item.position
        if item.kind == "comment":
            comments.append(item)
            continue
        if item.kind == "deletion" and item.number in paired:
            continue  # written with its insertion
        if item.kind == "insertion" and item.pair in by_number:
            deletion = by_number[item.pair]
            if not deletion.position.get("whole"):
                why = f"its text was not found whole: apply it by hand at {item.where}"
                skipped += [(item.number, why), (deletion.number, why)]
                continue
            s, e = _widen(text, offset(deletion.position["start"]),
                          offset(deletion.position["end"]), deletion.text)  # fmt: skip
            markup = critic.substitution(text[s:e], as_markdown(item.text))
            edits.append(_Edit(s, e, markup, item.number, also=deletion.number))
            continue
        if not pos.get("whole"):
            why = f"its text was not found whole: apply it by hand at {item.where}"
            skipped.append((item.number, why))
            continue
        if item.kind == "deletion":
            s, e = _widen(text, offset(pos["start"]), offset(pos["end"]), item.text)
            if pos.get("paragraph"):
                s, e = _lines_of(text, s, e)  # a heading's or list item's marker with it
            edits.append(_Edit(s, e, critic.deletion(text[s:e]), item.number))
        elif pos.get("paragraph"):  # a new paragraph: on lines of its own
            p = _paragraph_end(text, offset(pos["point"]))
            newline = "\r\n" if "\r\n" in text else "\n"  # the file's line endings
            markup = newline * 2 + critic.insertion(as_markdown(item.text))
            edits.append(_Edit(p, p, markup, item.number))
        else:
            p = _advance(text, offset(pos["point"]), pos)
            edits.append(_Edit(p, p, critic.insertion(as_markdown(item.text)), item.number))
    kept = _without_overlaps(edits, skipped, by_number)
    day = {i.number: i.date[:10] for i in items}
    for item in comments:
        pos = item.position
        if not item.text.strip():
            skipped.append((item.number, "an empty comment: nothing to write"))
            continue
        if pos["span"]:
            s, e = _widen(text, offset(pos["start"]), offset(pos["end"]), item.anchor)
            if pos["whole"] and not _clashes(s, e, kept):
                markup = critic.highlight(text[s:e], item.text, item.author,
                                          day[item.number])  # fmt: skip
                kept.append(_Edit(s, e, markup, item.number))
                continue
            point = max([e, *(k.end for k in kept if k.start < e and k.end > s)])
        elif pos["whole"]:
            point = _advance(text, offset(pos["point"]), pos)
        else:
            why = f"its place was not found whole: apply it by hand at {item.where}"
            skipped.append((item.number, why))
            continue
        point = max([point, *(k.end for k in kept if k.start < point < k.end)])
        markup = critic.comment(item.text, item.author, day[item.number])
        kept.append(_Edit(point, point, markup, item.number))
    kept.sort(key=lambda k: (k.start, k.end, k.number))
    out: list[str] = []
    cursor = 0
    for edit in kept:
        out.append(text[cursor : edit.start])
        out.append(edit.text)
        cursor = edit.end
    out.append(text[cursor:])
    numbers = sorted({n for k in kept for n in (k.number, k.also) if n is not None})
    return "".join(out), numbers, skipped


def as_markdown(text: str) -> str:
    """A reviewer's plain ``text`` (typed in Word) as CommonMark that prints exactly it: every
    character Markdown would read as markup escaped with a backslash (``*``, ``_``, ``[``,
    a backtick, ``<``, ``#``, ``|``, ``~``, an entity's ``&``; ``-``, ``+``, ``1.`` at a line's
    start). The CriticMarkup writers escape their own delimiters on top of this."""
    text = _SPECIAL.sub(r"\\\1", text)
    text = _ENTITY.sub(r"\\&", text)
    text = _TYPOGRAPHY.sub(lambda m: "".join("\\" + c for c in m.group()), text)

    def line_start(m: re.Match[str]) -> str:
        if m.group(2):
            return f"{m.group(1)}\\{m.group(2)}"
        return f"{m.group(1)}{m.group(3)}\\{m.group(4)}"

    return _LINE_START.sub(line_start, text)


def _clashes(start: int, end: int, edits: list[_Edit]) -> bool:
    return any((start < k.end and k.start < end) or (start < k.start < end) for k in edits)


def _without_overlaps(
    edits: list[_Edit], skipped: list[tuple[int, str]], items: dict[int, ReviewItem]
) -> list[_Edit]:
    kept: list[_Edit] = []
    for edit in sorted(edits, key=lambda k: (k.start, k.end, k.number)):
        if _clashes(edit.start, edit.end, kept):
            why = f"overlaps another change: apply it by hand at {items[edit.number].where}"
            skipped += [(n, why) for n in (edit.number, edit.also) if n is not None]
            continue
        kept.append(edit)
    return kept


def _widen(text: str, start: int, end: int, needle: str) -> tuple[int, int]:
    """``[start, end)`` (letters and digits matched) widened to the needle's own punctuation
    and white space on either side, and to whole links."""
    lead = needle[: len(needle) - len(needle.lstrip(_NOT_WORD))] if needle else ""
    trail = needle[len(needle.rstrip(_NOT_WORD)) :] if needle else ""
    i = len(lead) - 1
    while i >= 0 and start > 0 and text[start - 1] == lead[i] and text[start - 1] != "\n":
        start, i = start - 1, i - 1
    for c in trail:
        if end < len(text) and text[end] == c and c != "\n":
            end += 1
        else:
            break
    span = text[start:end]
    if span.count("[") > span.count("]"):
        m = _LINK_END.match(text, end)
        if m:
            end = m.end()
    elif span.count("]") > span.count("["):
        opening = text.rfind("[", 0, start)
        if opening >= 0:
            start = opening
    if span.count("](") and not re.search(r"\]\([^)]*\)", text[start:end]):
        m = re.compile(r"[^)\n]*\)").match(text, end)
        if m:
            end = m.end()
    return start, end


_NOT_WORD = "".join(chr(c) for c in range(0x2000, 0x206F)) + " \t\n.,;:!?'\"()[]-–—…«»“”‘’"


def _advance(text: str, point: int, pos: dict[str, Any]) -> int:
    """The place of an insertion just after the text before it: past closing markup (``**``,
    a link's target) and the punctuation that text ends with (``pos["trail"]``)."""
    if pos["point"] == pos["start"]:
        return point  # placed before the text after it
    trail = pos.get("trail", "")
    while True:
        if point < len(text) and text[point] in _MARKUP:
            point += 1
            continue
        m = re.compile(r"\]\([^)\n]*\)").match(text, point)
        if m:
            point = m.end()
            continue
        break
    for c in trail:
        if point < len(text) and text[point] == c and c != "\n":
            point += 1
        elif c.isspace() and point < len(text) and text[point] in " \t":
            point += 1
        elif c.isspace() and text[point : point + 1] == "\n" and _continues(text, point + 1):
            point += 1  # the space is a line break of the paragraph: the next line's start
        else:
            break
    return point


def _continues(text: str, at: int) -> bool:
    """Does the line at ``at`` go on the paragraph above (text, not a blank line, a list
    item, a heading, a quote or a table row)?"""
    end = text.find("\n", at)
    line = text[at : end if end >= 0 else len(text)]
    return bool(line.strip()) and not re.match(r"[ \t]*(?:[-+*>#|]|\d+[.)])", line)


def _lines_of(text: str, start: int, end: int) -> tuple[int, int]:
    """``[start, end)`` widened to its whole lines (without the last line break)."""
    start = text.rfind("\n", 0, start) + 1
    stop = text.find("\n", end)
    return start, (len(text) if stop < 0 else stop)


def _paragraph_end(text: str, point: int) -> int:
    """The end of the paragraph the text at ``point`` is in (before its closing line break;
    a CR of a CRLF line kept with it)."""
    while True:
        stop = text.find("\n", point)
        if stop < 0:
            return len(text)
        if not _continues(text, stop + 1):
            return stop - 1 if stop > 0 and text[stop - 1] == "\r" else stop
        point = stop + 1


def _lint(kb_root: Path, paths: set[str]) -> list[Problem]:
    from ..kb.lint import lint
    from ..kb.reader import read_kb

    def written(where: str) -> bool:
        location = where.rsplit(":", 1)[0]
        return any(location == path or location.endswith("/" + path) for path in paths)

    return [p for p in lint(read_kb(kb_root)).problems if written(p.where)]
