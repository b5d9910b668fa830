"""A light English stemmer: word forms meet, words that mean different things stay apart.

Porter's stemmer (and Snowball's) strips derivational endings, so *mobility* and
*mobilisation* both become ``mobil``, *university* and *universe* ``univers``, *general* and
*generous* ``gener`` (Porter), *policy* and *police* nearly so. In a handbook these are different
subjects. This stemmer only undoes inflection, the endings grammar adds to one word:

- plurals and the third person: *policies* → policy, *classes* → class, *members* → member;
- *-ed* and *-ing*: *organised*, *organising* → organis(e), *planning* → plan,
  *applied* → apply;
- a final *e*, so *organise* and *organising* meet, as do *coordinate* and *coordinating*;
- and one derivation that names the act of a verb: *-isation*/*-ization* and *-ation* meet
  their verb (*organisation* → organis(e), *coordination* → coordinat(e)).

It runs on lower-case words after :func:`~.analysis.normalise_spelling` (so *-ise* is already
*-ize*); words with digits or punctuation are left as they are.
"""

from __future__ import annotations

_VOWELS = frozenset("aeiouy")
_KEEP_DOUBLE = frozenset("lsfz")
"""Doubled final letters that belong to the word (fill, class, staff, buzz), not to -ing/-ed."""

EXCEPTIONS: dict[str, str] = {
    # -s that is no plural
    **dict.fromkeys(("news",), "news"),
    **dict.fromkeys(("series",), "series"),
    **dict.fromkeys(("species",), "species"),
    **dict.fromkeys(("always",), "always"),
    **dict.fromkeys(("perhaps",), "perhaps"),
    **dict.fromkeys(("sometimes",), "sometimes"),
    **dict.fromkeys(("politics",), "politics"),
    **dict.fromkeys(("economics",), "economics"),
    **dict.fromkeys(("ethics",), "ethics"),
    **dict.fromkeys(("physics",), "physics"),
    **dict.fromkeys(("mathematics",), "mathematics"),
    **dict.fromkeys(("lens", "lenses"), "lens"),
    **dict.fromkeys(("bias", "biases"), "bias"),
    **dict.fromkeys(("gas", "gases"), "gas"),
    **dict.fromkeys(("canvas", "canvases"), "canvas"),
    **dict.fromkeys(("campus", "campuses"), "campus"),
    **dict.fromkeys(("bonus", "bonuses"), "bonus"),
    **dict.fromkeys(("status", "statuses"), "status"),
    **dict.fromkeys(("focus", "focuses", "focused", "focusing", "focussed", "focussing"), "focus"),
    **dict.fromkeys(("process", "processes", "processed", "processing"), "process"),
    **dict.fromkeys(("access", "accesses", "accessed", "accessing"), "access"),
    **dict.fromkeys(("analysis", "analyses"), "analysis"),
    **dict.fromkeys(("basis", "bases"), "basis"),
    **dict.fromkeys(("crisis", "crises"), "crisis"),
    **dict.fromkeys(("thesis", "theses"), "thesis"),
    **dict.fromkeys(("criterion", "criteria"), "criterion"),
    **dict.fromkeys(("phenomenon", "phenomena"), "phenomenon"),
    **dict.fromkeys(("curriculum", "curricula", "curriculums"), "curriculum"),
    **dict.fromkeys(("datum", "data"), "data"),
    # irregular plurals and verbs people ask with
    **dict.fromkeys(("child", "children"), "child"),
    **dict.fromkeys(("person", "people", "persons"), "person"),
    **dict.fromkeys(("man", "men"), "man"),
    **dict.fromkeys(("woman", "women"), "woman"),
    **dict.fromkeys(("life", "lives"), "life"),
    **dict.fromkeys(("leaf", "leaves"), "leaf"),
    **dict.fromkeys(("half", "halves"), "half"),
    **dict.fromkeys(("pay", "pays", "paid", "paying"), "pay"),
    **dict.fromkeys(("spend", "spends", "spent", "spending"), "spend"),
    **dict.fromkeys(("send", "sends", "sent", "sending"), "send"),
    **dict.fromkeys(("lead", "leads", "led", "leading"), "lead"),
    **dict.fromkeys(("meet", "meets", "met"), "meet"),
    **dict.fromkeys(("write", "writes", "wrote", "written", "writing"), "writ"),
    **dict.fromkeys(("choose", "chooses", "chose", "chosen", "choosing"), "choos"),
    **dict.fromkeys(("take", "takes", "took", "taken", "taking"), "tak"),
    **dict.fromkeys(("give", "gives", "gave", "given", "giving"), "giv"),
    **dict.fromkeys(("buy", "buys", "bought", "buying"), "buy"),
    **dict.fromkeys(("find", "finds", "found", "finding", "findings"), "find"),
    **dict.fromkeys(("hold", "holds", "held", "holding"), "hold"),
    **dict.fromkeys(("begin", "begins", "began", "begun", "beginning"), "begin"),
    # -ation words that are no act of a verb, and -ing/-ed words that are no verb form
    **dict.fromkeys(("nation", "nations"), "nation"),
    **dict.fromkeys(("station", "stations"), "station"),
    **dict.fromkeys(("ration", "rations"), "ration"),
    **dict.fromkeys(("thing",), "thing"),
    **dict.fromkeys(("during",), "during"),
    **dict.fromkeys(("morning", "mornings"), "morning"),
    **dict.fromkeys(("evening", "evenings"), "evening"),
    **dict.fromkeys(("ceiling", "ceilings"), "ceiling"),
    **dict.fromkeys(("need", "needs", "needed", "needing"), "need"),
    **dict.fromkeys(("speed", "speeds", "speeding"), "speed"),
    **dict.fromkeys(("bed", "beds"), "bed"),
    **dict.fromkeys(("use", "uses", "used", "using"), "use"),
    **dict.fromkeys(("go", "goes", "going", "gone", "went"), "go"),
    **dict.fromkeys(("make", "makes", "made", "making"), "mak"),
    **dict.fromkeys(("do", "does", "did", "done", "doing"), "do"),
    **dict.fromkeys(("red",), "red"),
    **dict.fromkeys(("hundred", "hundreds"), "hundred"),
}
"""Words whose stem no rule below gives (irregular forms) or that a rule would damage."""


def _has_vowel(word: str) -> bool:
    return any(c in _VOWELS for c in word)


def _short(stem: str) -> bool:
    """Ends consonant-vowel-consonant (plan, stop, commit): the doubled letter is -ing's."""
    return (
        len(stem) >= 3
        and stem[-1] not in _VOWELS
        and stem[-1] not in "wx"
        and stem[-2] in _VOWELS
        and stem[-3] not in _VOWELS
    )


def _undo_suffix(stem: str) -> str:
    """After -ing/-ed is removed: planning -> plann -> plan, but filling -> fill."""
    if len(stem) >= 4 and stem[-1] == stem[-2] and stem[-1] not in _VOWELS:
        if stem[-1] not in _KEEP_DOUBLE and _short(stem[:-1]):
            return stem[:-1]
    return stem


def light_stem(word: str) -> str:
    """The stem of one lower-case English word (see the module's docstring)."""
    if len(word) <= 2 or not word.isalpha():
        return word
    stem = EXCEPTIONS.get(word)
    if stem is not None:
        return stem
    w = word
    # plurals and the third person
    if w.endswith("ies") and len(w) > 4:
        w = w[:-3] + "y"
    elif w.endswith("sses"):
        w = w[:-2]
    elif w.endswith(("xes", "ches", "shes", "zzes")):
        w = w[:-2]
    elif w.endswith("s") and not w.endswith(("ss", "us", "is", "'s")):
        w = w[:-1]
    # -ation, -ization: the act of a verb
    if w.endswith("ization") and len(w) > 9:
        w = w[:-5]  # organization -> organiz(e)
    elif w.endswith("ation") and len(w) >= 8:
        w = w[:-3]  # coordination -> coordinat(e)
    # -ed, -ing
    elif w.endswith("ied") and len(w) > 4:
        w = w[:-3] + "y"
    elif w.endswith("eed"):
        w = w[:-1]  # agreed -> agree
    elif w.endswith("ed") and len(w) > 4 and _has_vowel(w[:-2]):
        w = _undo_suffix(w[:-2])
    elif w.endswith("ing") and len(w) > 5 and _has_vowel(w[:-3]):
        w = _undo_suffix(w[:-3])
    if w.endswith("e") and len(w) > 3:
        w = w[:-1]
    return w
