"""Stop words per language: words too common to say what a text or a question is about.

Each language has its own list, never a union: "die" is a German article and an English verb,
"son" French for "his" and an English noun, "fin" Spanish for "end" and an English word, "a"
an English article and a Portuguese one. A language without a list keeps every word.

The lists start from the Snowball lists Whoosh ships (:mod:`whoosh.lang.stopwords`), checked
by hand: content words they hold are taken out (Spanish "estado", "sentido": "state",
"meaning"; German "machen", "weg"), and the question words people type are added
("how do I", "comment faire", "cómo", "wie kann ich").
"""

from __future__ import annotations

from whoosh.analysis import STOP_WORDS
from whoosh.lang.stopwords import stoplists


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


ENGLISH = (
    frozenset(STOP_WORDS)
    | stoplists["en"]
    - _words(
        # particles and words that carry the question: "time off", "sign up", "opt out",
        # "who owns", "before the deadline", "no show"
        "s t don own off out up down over under above below before after between against "
        "again further once few no nor"
    )
) | _words(
    # questions and the words around them ("what should I do if", "how can we get")
    "what what's whats how how's who who's whom whose why where where's which "
    "would could shall must might ought can't cannot couldn't won't wouldn't shouldn't "
    "don't doesn't didn't isn't aren't wasn't weren't haven't hasn't hadn't "
    "i'm i've i'd i'll you're you've you'd you'll we're we've we'd we'll they're they've "
    "it's that's there's here's let's "
    "also just very really please any anyone anything anybody something someone somebody "
    "get gets getting got thing things much many every either neither whether though "
    "etc e.g i.e"
)
"""Whoosh's own list, the Snowball list without the words that can carry a question ("how
much time off"), and what questions add."""

FRENCH = (stoplists["fr"] - _words("eu eue eues")) | _words(
    "les cet cette cettes ceux celle celles celui ceci cela ça là y a ne pas plus "
    "comment quoi quel quelle quels quelles où pourquoi quand combien qu est-ce "
    "dois doit doivent peut peuvent puis peux faut fait faire "
    "très aussi donc alors ainsi si tout tous toute toutes chaque"
)
"""Snowball's French list ("eu" is also the EU) and question words."""

SPANISH = (
    stoplists["es"]
    - _words("estado estados sentid sentida sentidas sentido sentidos siente sintiendo")
) | _words(
    "cómo como qué cuál cuáles cuándo dónde quién quiénes cuánto cuánta cuántos cuántas "
    "puedo puede pueden debo debe deben hacer hago"
)
"""Snowball's Spanish list without its content words ("estado", "sentido") plus questions."""

PORTUGUESE = stoplists["pt"] | _words(
    "como quê qual quais quando onde quem quanto quanta quantos quantas porquê "
    "posso pode podem devo deve devem fazer faço"
)
"""Snowball's Portuguese list and question words."""

GERMAN = (stoplists["de"] - _words("machen weg weiter")) | _words(
    "warum wann wer wen wem wessen wieso weshalb woher wohin kann können muss müssen "
    "soll sollen darf dürfen"
)
"""Snowball's German list without "machen", "weg", "weiter" ("make", "way", "further") plus
questions."""

BY_LANGUAGE: dict[str, frozenset[str]] = {
    "en": ENGLISH,
    "fr": FRENCH,
    "es": SPANISH,
    "pt": PORTUGUESE,
    "de": GERMAN,
    **{
        code: frozenset(words)
        for code, words in stoplists.items()
        if code in ("da", "nl", "fi", "hu", "it", "no", "ru", "sv", "tr")
    },
}
"""Stop words per two-letter language code."""


def base_language(lang: str | None) -> str:
    """``en`` for ``en``, ``en-GB``, ``en_US``, ``EN``; ``en`` when no language is given."""
    if not lang:
        return "en"
    return lang.replace("_", "-").split("-", 1)[0].lower() or "en"
