"""A light English stemmer: word forms meet, words that mean different things stay apart.

Porter's stemmer (and Snowball's) strips every ending it knows, so *mobility* and
*mobilisation* both become ``mobil``, *university* and *universe* ``univers``, *general* and
*generous* ``gener`` (Porter), *news* ``new`` (Porter), *organ* and *organisation* ``organ``. In a
handbook these are different subjects. This stemmer undoes inflection, the endings grammar adds
to one word, and the few derivations that name the act of a verb:

- plurals and the third person: *policies* -> policy, *classes* -> class, *members* -> member;
- *-ed* and *-ing*: *organised*, *organising* -> organis(e), *planning* -> plan,
  *applied* -> apply, and irregular forms people ask with (*paid* -> pay, *wrote* -> write);
- a final *e*, so *organise* and *organising* meet, as do *manage* and *managing*;
- the act of a verb: *-isation*/*-ization*, *-ation*, *-tion*, *-ssion* and *-ment* meet their
  verb (*organisation*, *installation*, *coordination*, *promotion*, *discussion*,
  *reimbursement*), *-ly* its adjective (*monthly*, *generally*); a verb in *-ate* meets its
  *-ation* (*coordinate*, *coordination* -> coordin);
- the person who does it stays apart: *coordinator*, *manager*, *convener* are roles.

It runs on lower-case words after :func:`~.analysis.normalise_spelling` (so *-ise* is already
*-ize*, and an exception lists the forms of both spellings); words with digits or punctuation
are left as they are. Measured against Porter and Snowball on the relevance corpora
(``bench/relevance.py``): equal hit@3 and MRR on the tuning questions, a little better on the
held-out ones, without their false friends.
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
    # analysis is the act of analysing (as organisation of organising); "analyses" is its
    # plural and the verb, and normalise_spelling has made it "analyzes" before it gets here
    **dict.fromkeys(
        "analysis analyses analyse analysed analysing analyze analyzes analyzed analyzing".split(),
        "analyz",
    ),
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


_EE_VERBS = frozenset(
    "agree disagree free guarantee decree referee foresee oversee emcee puree knee tee".split()
)
"""Verbs in *-ee* whose past is *-eed* (agreed -> agree). Any other *-eed* belongs to the word
(exceed, proceed, succeed, need, feed, seed, breed, indeed): *feed* is not *fee*, nor *seed*
*see*."""

_KEEP_DERIVED = frozenset(
    # -ment words that are not the act of a verb (document is not "docu", statement not state)
    "document implement comment moment element segment department apartment experiment "
    "instrument environment parliament garment cement fragment sentiment torment compliment "
    "complement supplement increment augment pigment ferment lament statement installment "
    # -ion words that are not the act of their stem
    "edition question succession mission session version station nation ration portion "
    "mention option caption section action lotion potion motion".split()
)
"""Words the derivations below would join to an unrelated word (edition/edit, mission/miss)."""

_ATE = ("ate", "ates", "ated", "ating")


def _derive(word: str) -> str | None:
    """The stem of a derived word through the word it comes from, or None when it is none:
    organization -> organiz(e), installation -> install, promotion -> promot(e),
    discussion -> discuss, reimbursement -> reimburs(e), generally -> general,
    monthly -> month."""
    single = word[:-1] if word.endswith("s") and not word.endswith(("ss", "us", "is")) else word
    if single in _KEEP_DERIVED:
        return inflect(single)
    if single.endswith("ization") and len(single) > 9:
        return single[:-5]
    if single.endswith("ation") and len(single) >= 8:
        base = single[:-5]  # installation -> install, coordination -> coordin (see below)
        return base if len(base) >= 4 else single[:-3]  # creation -> creat(e)
    if single.endswith("tion") and len(single) >= 9:
        return inflect(single[:-3])  # promotion -> promot, exception -> except
    if single.endswith("ssion") and len(single) >= 9:
        return single[:-3]  # discussion -> discuss, permission -> permiss
    if single.endswith("ment") and len(single) >= 7:
        return inflect(single[:-4])  # reimbursement -> reimburs, payment -> pay
    if word.endswith("ly") and len(word) >= 6 and word[-3] not in "aeiouyp":
        return inflect(word[:-2])  # monthly -> month, generally -> general
    return None


def inflect(word: str) -> str:
    """Undo the inflection of one lower-case English word: plural, third person, -ed, -ing,
    a final e (planning -> plan, policies -> policy, organised -> organis)."""
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
    # -ed, -ing
    if w.endswith("ied") and len(w) > 4:
        w = w[:-3] + "y"
    elif w.endswith("eed"):
        if w[:-1] in _EE_VERBS:
            w = w[:-1]  # agreed -> agree
        # else the -eed is the word's own: exceed, proceed, succeed, feed (not fee), seed
    elif w.endswith("ed") and len(w) > 4 and _has_vowel(w[:-2]):
        w = _undo_suffix(w[:-2])
    elif w.endswith("ing") and len(w) > 5 and _has_vowel(w[:-3]):
        w = _undo_suffix(w[:-3])
    if w.endswith("e") and len(w) > 3:
        w = w[:-1]
    return w


def light_stem(word: str) -> str:
    """The stem of one lower-case English word (see the module's docstring)."""
    if len(word) <= 2 or not word.isalpha() or word in EXCEPTIONS:
        return inflect(word)
    derived = _derive(word)
    if derived is not None:
        return derived
    stem = inflect(word)
    if word.endswith(_ATE) and stem.endswith("at") and len(stem) >= 6:
        return stem[:-2]  # coordinate, coordinating -> coordin, as coordination
    return stem
