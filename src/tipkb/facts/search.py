"""Word-based, ranked search over short texts in every language of the KB: word forms in English and Russian.

A text becomes a list of terms: words lowercased, ё folded to е, British spellings folded to American
ones, then stemmed with Snowball (PyStemmer; Russian for Cyrillic words, English otherwise), so "торговля" finds
"торговли", "приюты" finds "приют" and "forced labor" finds "forced labour". Every query term must match
(AND); entries whose labels hold the terms come before those whose definitions do, and a phrase before
scattered words. A query word that is no word of the index at all (typed partly, e.g. "идентиф") matches
the words it begins. Kazakh, Kyrgyz, Tajik, Turkmen and Uzbek texts are indexed too, without a stemmer of their
own (Snowball has none for them; their words go through the stemmer of their script, which rarely changes
them), so a word of theirs finds the texts holding it in that form ("баспаналар").
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

import Stemmer

LABEL = 3
"""The weight of a term found in a label, alternative label or short code."""
TEXT = 1
"""The weight of a term found in a definition, title or note."""

MAX_WORDS = 32
"""The words of a query that count: enough for any question, few enough to keep every search quick."""

_WORD = re.compile(r"[^\W_]+")
_CYRILLIC = re.compile(r"[а-я]")
_EN = Stemmer.Stemmer("english")  # PyStemmer: the Snowball stemmers compiled; a stemmer holds state while
_RU = Stemmer.Stemmer("russian")  # it works, so calls go one at a time
_STEMMING = threading.Lock()

# British spellings folded to American ones before stemming, because the English Snowball stemmer
# conflates -ize/-ization forms but not -ise/-isation ones; index and query are folded alike, so the
# direction only matters to the stemmer. A root applies with one of the endings that follow it.
_ROOTS = {
    "labour": "labor", "behaviour": "behavior", "neighbour": "neighbor", "favour": "favor",
    "honour": "honor", "colour": "color", "harbour": "harbor", "rumour": "rumor", "endeavour": "endeavor",
    "centre": "center", "programme": "program", "catalogue": "catalog", "dialogue": "dialog",
    "defence": "defense", "offence": "offense", "licence": "license", "practise": "practice",
    "judgement": "judgment", "counsell": "counsel", "travell": "travel", "labell": "label",
    "modell": "model", "cancell": "cancel", "enrolment": "enrollment", "fulfil": "fulfill",
    "paediatric": "pediatric", "anaesthe": "anesthe", "manoeuvre": "maneuver", "mould": "mold",
    "cheque": "check", "grey": "gray", "ageing": "aging", "acknowledgement": "acknowledgment",
}
_ENDINGS = ("", "s", "d", "ed", "ing", "er", "ers", "ment", "ments", "al", "ally", "less")
# -ise, -isation, -yse: verbs spelt with s in British English; these words keep their s in both.
_ISE = re.compile(r"(?<=[a-z]{2})(is|ys)(e|es|ed|ing|er|ers|ation|ations|ational)$")
_KEEP_S = frozenset({
    "advise", "advised", "advises", "advising", "adviser", "advisers", "arise", "arises", "comprise",
    "comprises", "comprised", "compromise", "compromised", "concise", "demise", "despise", "devise",
    "devised", "disguise", "enterprise", "enterprises", "exercise", "exercised", "exercises", "expertise",
    "franchise", "improvise", "otherwise", "paradise", "premise", "premises", "precise", "promise",
    "promised", "promises", "raise", "raised", "raises", "revise", "revised", "revises", "supervise",
    "supervised", "supervises", "supervising", "surprise", "surprised", "televise", "wise", "noise",
    "praise", "cruise", "bruise", "excise", "incise", "reprise", "chastise", "merchandise", "advertise",
    "advertised", "advertising", "rise", "rises", "poise", "apprise", "likewise", "clockwise",
})

# Words that carry no meaning of their own in a query; dropped from it unless it has nothing else.
_STOP = frozenset({
    "a", "an", "and", "are", "as", "at", "be", "by", "for", "from", "in", "into", "is", "it", "its", "of", "on",
    "or", "the", "to", "with", "without", "not", "no", "nor",
    "и", "в", "во", "на", "с", "со", "к", "ко", "по", "о", "об", "от", "до", "за", "из", "у", "для", "при", "без",
    "не", "ни", "или", "а", "но", "что", "как", "это", "же", "ли", "бы", "то", "их", "его", "её", "ее",
})


@lru_cache(maxsize=65536)
def _american(word: str) -> str:
    for root, us in _ROOTS.items():
        if word.startswith(root) and word[len(root):] in _ENDINGS:
            return us + word[len(root):]
    if word in _KEEP_S:
        return word
    return _ISE.sub(lambda m: ("iz" if m.group(1) == "is" else "yz") + m.group(2), word)


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """Return the search term of one lowercased word: ё folded, British spelling folded, Snowball stem."""
    word = word.replace("ё", "е")
    if word.isdigit():
        return word.lstrip("0") or "0"
    cyrillic = bool(_CYRILLIC.search(word))
    with _STEMMING:
        return _RU.stemWord(word) if cyrillic else _EN.stemWord(_american(word))


def words(text: str) -> list[str]:
    """Return the words of a text, lowercased, with ё folded to е (hyphens and punctuation split words)."""
    return [w.replace("ё", "е") for w in _WORD.findall(text.casefold())]


def terms(text: str) -> list[str]:
    """Return the search terms of a text in order."""
    return [stem(w) for w in words(text)]


@dataclass(frozen=True)
class _Field:
    weight: int
    words: tuple[str, ...]
    terms: tuple[str, ...]
    content: tuple[str, ...]  # the terms without stop words, for phrase matches


def _content(ws: Sequence[str]) -> tuple[str, ...]:
    return tuple(stem(w) for w in ws if w not in _STOP)


def _field(weight: int, text: str) -> _Field:
    ws = words(text)
    return _Field(weight, tuple(ws), tuple(stem(w) for w in ws), _content(ws))


def _query_words(query: str) -> list[str]:
    """Return a query's distinct words without stop words (unless it has nothing else), at most MAX_WORDS."""
    ws = words(query)
    return list(dict.fromkeys([w for w in ws if w not in _STOP] or ws))[:MAX_WORDS]


def _has_phrase(seq: tuple[str, ...], phrase: tuple[str, ...]) -> bool:
    n = len(phrase)
    return any(seq[i:i + n] == phrase for i in range(len(seq) - n + 1))


class SearchIndex:
    """An index of entries, each a key with weighted texts, answering word queries with ranked keys."""

    def __init__(self, entries: Iterable[tuple[str, Iterable[tuple[int, str]]]]):
        self._keys: list[str] = []
        self._fields: list[tuple[_Field, ...]] = []
        self._postings: dict[str, dict[int, int]] = {}
        self._words: dict[str, set[str]] = {}
        for key, texts in entries:
            n = len(self._keys)
            fields = tuple(_field(weight, text) for weight, text in texts if text)
            self._keys.append(key)
            self._fields.append(fields)
            for f in fields:
                for w, term in zip(f.words, f.terms, strict=True):
                    best = self._postings.setdefault(term, {})
                    best[n] = max(best.get(n, 0), f.weight)
                    self._words.setdefault(w, set()).add(term)

    def _expand(self, word: str, term: str) -> set[str]:
        """Return the index terms a query word stands for: its own, or those of the words it begins."""
        if term in self._postings or len(word) < 3:
            return {term}
        return {t for w, ts in self._words.items() if w.startswith(word) for t in ts} or {term}

    def terms_of(self, query: str) -> frozenset[str]:
        """Return the index terms a query looks for (its meaningful words, each with the words it begins)."""
        return frozenset(t for w in _query_words(query) for t in self._expand(w, stem(w)))

    def search(self, query: str) -> list[str]:
        """Return the keys of the entries holding every word of the query (none without a word), best first."""
        meaningful = _query_words(query)
        if not meaningful:
            return []
        scores: dict[int, int] | None = None
        for w in meaningful:
            found: dict[int, int] = {}
            for term in self._expand(w, stem(w)):
                for n, weight in self._postings.get(term, {}).items():
                    found[n] = max(found.get(n, 0), weight)
            scores = found if scores is None else {n: s + found[n] for n, s in scores.items() if n in found}
            if not scores:
                return []
        phrase = _content(meaningful)
        ranked = []
        for n, score in scores.items():
            if len(phrase) > 1:
                score += max((f.weight for f in self._fields[n] if _has_phrase(f.content, phrase)), default=0)
            ranked.append((-score, n))
        return [self._keys[n] for _, n in sorted(ranked)]


def pieces(text: str, wanted: frozenset[str]) -> list[tuple[str, bool]]:
    """Return the text cut into pieces in order, each with whether it is a word whose term is wanted."""
    out: list[tuple[str, bool]] = []
    at = 0
    for m in _WORD.finditer(text):
        if stem(m.group().casefold()) in wanted:
            if m.start() > at:
                out.append((text[at:m.start()], False))
            out.append((m.group(), True))
            at = m.end()
    if at < len(text):
        out.append((text[at:], False))
    return out
