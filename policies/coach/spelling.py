"""Typo tolerance: misspelt key words are repaired before the grammar reads the text.

Reps type fast: "chnace", "oppertunity", "propsal", "recieved". The grammar's patterns
are exact, so each word of the text that is not a word of the lexicon is compared with
the lexicon's longer words (:data:`policies.coach.lexicon.VOCABULARY`) by optimal string
alignment distance (rapidfuzz): one edit for words of five to seven letters, two from
eight, and never the first letter. Real English words that happen to lie that close to
a key word ("change" beside "chance", "preview" beside "review") are left alone: they
are listed in ``near_words.txt`` (package data, made by ``bench/lint_near_words.py``
from a dictionary), so an honest sentence is never rewritten into a flagged one.

The repaired text has its own length; :class:`Normalised` keeps, for each of its
characters, the offset of the original character it came from, so a span found in the
repaired text maps back onto the rep's own words.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources

from rapidfuzz import process
from rapidfuzz.distance import OSA

from policies.coach.lexicon import VOCABULARY

__all__ = ["Normalised", "normalise", "warm"]

# A word, but not the head of a "n't" contraction: "couldn't" is no typo of "could".
_WORD = re.compile(r"\b[a-z]+\b(?!'t\b)")
_QUOTES = str.maketrans(
    {"\u2019": "'", "\u2018": "'", "\u201c": '"', "\u201d": '"', "\u00b4": "'", "`": "'"}
)
_SHORTEST = 5
# Jamaican patois and like spellings of the grammar's small words ("Jus checkin if yuh get
# di quote mi sen yuh?"): read as English only where two or more of them occur, so a
# lone "Di" (a name) or "mi" (miles) stays as written.
_DIALECT = {"yuh": "you", "mi": "i", "di": "the", "seh": "that", "sen": "sent", "dem": "them"}
_DIALECT_WORD = re.compile(r"\b(?:yuh|mi|di|seh|sen|dem)\b")
# Round 11: the small words' commonest slips, too short for the distance repair.
_SLIPS = {
    "teh": "the",
    "hte": "the",
    "yuo": "you",
    "yoru": "your",
    "fo": "of",
    # Round 12: "read trough the offer", "did you revue", "wether it reached you".
    "trough": "through",
    "revue": "review",
    "wether": "whether",
    "reconfirm": "confirm",
    "wat": "what",  # Round 14: "did u manage to look at wat I sent bout…"
    "bout": "about",  # Round 13: "Could you please reconfirm that you have gone through…"
}
# Round 12: slips that are words themselves, repaired only where the grammar's sense is
# plain and the length stays ("wandering weather you had chance", "did u git a chance",
# "did you manage to hive a look"), so the origin map needs no change.
_IN_CONTEXT = [
    (re.compile(r"\bwandering(?=\s+(?:weather|whether|if)\b)"), "wondering"),
    (
        re.compile(
            r"\b(wondering|wandering|wonder|checking|check|know|see|ask|asking|sure|confirm|advise)"
            r"(\s+)weather\b"
        ),
        r"\1\2whether",
    ),
    (
        re.compile(
            r"\bgit(?=\s+(?:a|the|any|some)\s+(?:chance|sec|second|min|minute|moment|look|read)\b)"
        ),
        "get",
    ),
    (re.compile(r"\bhive(?=\s+(?:a|another)\s+(?:look|read|peek|glance|listen|go)\b)"), "have"),
    # "lockout/tagout kit quote": a slash between words joins them as a hyphen would.
    (re.compile(r"(?<=[a-z])/(?=[a-z])"), "-"),
]
# Round 11: a dropped "g" ("just makin sure", "I'm guessin' you ain't had time"), restored
# only in the grammar's own -ing words, so "cabin" or "Robin" stays as written.
_G_DROPPED = frozenset(
    [
        "goin",
        "makin",
        "checkin",
        "guessin",
        "wonderin",
        "hopin",
        "followin",
        "lookin",
        "readin",
        "thinkin",
        "touchin",
        "askin",
        "reachin",
        "circlin",
        "chasin",
        "pingin",
        "tryin",
        "seein",
        "gettin",
    ]
)


@dataclass(frozen=True)
class Normalised:
    """The text as the grammar reads it, and where each of its characters came from.

    ``origin[i]`` is the offset in the original text of character ``i`` of ``text``;
    ``origin[len(text)]`` is the original length, so an end offset maps too.
    """

    text: str
    origin: tuple[int, ...]

    def span(self, start: int, end: int) -> tuple[int, int]:
        """The original span of ``text[start:end]``."""
        if end <= start:
            return self.origin[start], self.origin[start]
        return self.origin[start], self.origin[end - 1] + 1


def fold(text: str) -> str:
    """Lower case with plain quotes, one character for one, so offsets stay the same."""
    folded = text.translate(_QUOTES)
    lowered = folded.lower()
    if len(lowered) != len(folded):  # rare: an "İ" that lowers to two characters
        lowered = "".join(c.lower() if len(c.lower()) == 1 else c for c in folded)
    for pattern, word in _IN_CONTEXT:
        lowered = pattern.sub(word, lowered)
    return lowered


@cache
def _targets() -> dict[tuple[str, int], tuple[str, ...]]:
    """The key words long enough to repair towards, by first letter and by the length of
    the word to repair: only those whose length differs from it by no more than its edit
    budget can lie within it (an edit changes the length by one at most), so the
    comparison skips the rest. Each group keeps the sorted order, so the word chosen is
    the one a search over every word of that letter would choose."""
    by_letter: dict[str, list[str]] = {}
    for word in sorted(VOCABULARY):
        if len(word) >= _SHORTEST and word.isalpha():
            by_letter.setdefault(word[0], []).append(word)
    groups: dict[tuple[str, int], tuple[str, ...]] = {}
    longest = max((len(w) for group in by_letter.values() for w in group), default=0)
    for letter, group in by_letter.items():
        for length in range(_SHORTEST, longest + 3):
            budget = _budget(length)
            groups[letter, length] = tuple(w for w in group if abs(len(w) - length) <= budget)
    return groups


def _budget(length: int) -> int:
    """Edits allowed for a word of ``length`` letters: one up to eight, two from nine."""
    return 1 if length < 9 else 2


@cache
def _near_words() -> frozenset[str]:
    listing = resources.files("policies.coach").joinpath("near_words.txt")
    lines = listing.read_text(encoding="utf-8").splitlines()
    return frozenset(line.strip() for line in lines if line.strip() and not line.startswith("#"))


def warm() -> None:
    """Build the repair targets and read the near words now rather than at the first lint."""
    _targets()
    _near_words()


@lru_cache(maxsize=8192)
def repair(word: str) -> str:
    """``word`` itself, or the key word it is a typo of."""
    if word in _G_DROPPED:
        return word + "g"
    if word in _SLIPS:
        return _SLIPS[word]
    if len(word) < _SHORTEST or word in VOCABULARY or word in _near_words():
        return word
    budget = _budget(len(word))
    candidates = _targets().get((word[0], len(word)), ())
    if not candidates:
        return word
    best = process.extractOne(word, candidates, scorer=OSA.distance, score_cutoff=budget)
    return best[0] if best else word


def normalise(text: str) -> Normalised:
    """``text`` folded, with the typos of key words repaired, and its origin map."""
    folded = fold(text)
    dialect = len(set(_DIALECT_WORD.findall(folded))) >= 2
    pieces: list[str] = []
    origin: list[int] = []
    cursor = 0
    for match in _WORD.finditer(folded):
        word = match.group(0)
        fixed = _DIALECT.get(word, word) if dialect else word
        fixed = repair(word) if fixed == word else fixed
        if fixed == word:
            continue
        pieces.append(folded[cursor : match.start()])
        origin.extend(range(cursor, match.start()))
        pieces.append(fixed)
        last = match.end() - 1
        origin.extend(min(match.start() + i, last) for i in range(len(fixed)))
        cursor = match.end()
    pieces.append(folded[cursor:])
    origin.extend(range(cursor, len(folded) + 1))
    return Normalised("".join(pieces), tuple(origin))
