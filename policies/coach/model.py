"""A second opinion: a small logistic model over word and word-class n-grams.

The grammar is precise but knows only the shapes it was written for. This model reads
each sentence as n-grams of its words, their crude stems and their classes in the
lexicon (an artefact noun becomes ``<art>``, "my"/"our" ``<my>``, a reading verb
``<read>``, an observer ``<obs>``, a tool ``<tool>``, a guess ``<guess>``, a word met too
seldom in training ``<rare>``, whose character 4-grams are read instead), class pairs
one word apart, and which classes co-occur, so "did you get to the <art>" generalises
over artefacts it never saw and "<tool> ... <act>" over tools and word orders. It is
trained by ``bench/train_lint_model.py`` on every labelled split but the held-out one,
and ships as package data (``lint_model.json``: weights, the words it knows and a
threshold per kind, chosen on strangers' sets each left out of a model in turn): it
needs nothing at run time but this module. A sentence is flagged by the model alone
only from :func:`threshold` on, so the lint's precision is kept.
"""

from __future__ import annotations

import itertools
import json
import math
import re
from collections.abc import Iterable
from functools import cache, lru_cache
from importlib import resources
from typing import Any

from policies.coach.lexicon import ARTEFACT, KEY_WORDS, TOOL_BRAND, TOOL_NAME

__all__ = ["features", "forget", "probability", "score", "threshold", "warm"]

_TOKEN = re.compile(r"[a-z0-9@]+(?:'[a-z]+)?|[?]")
_CLASSES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("<art>", re.compile(rf"^{ARTEFACT}$")),
    ("<tool>", re.compile(rf"^(?:{TOOL_BRAND}|{TOOL_NAME})$")),
    ("<my>", re.compile(r"^(?:my|our|me|i|i've|i'd|we|we've)$")),
    ("<you>", re.compile(r"^(?:you|u|ya|your|ur|you've|you'd|you're|you'll|yours)$")),
    (
        "<read>",
        re.compile(
            r"^(?:read|reading|seen|saw|see|look|looked|looking|review|reviewed|reviewing|"
            r"open|opened|opening|watch|watched|watching|check|checked|skim|skimmed|digest|"
            r"received|receive|got|get|go|gone|went|listen|listened|finish|finished|glance|"
            r"glanced|peruse|perused|perusing|examine|examined|consider|considered|explore|"
            r"explored|exploring|clock|clocked|scan|scanned|squiz|flick|browse|browsed|study|"
            r"studied|digested|arrive|arrived|reached|land|landed)$"
        ),
    ),
    (
        "<obs>",
        re.compile(
            r"^(?:noticed|notice|spotted|saw|shows|showed|says|said|sez|tells|told|flagged|"
            r"indicates|looks|seems|appears|apparently|tracker|tracking|according|ping|pinged|"
            r"notified|alert|alerted|notification|receipt|receipts|log|logs|stats|lit|fired|"
            r"registered|lookup)$"
        ),
    ),
    (
        "<act>",
        re.compile(
            r"^(?:clicked|visited|viewed|downloaded|forwarded|spent|scrolled|paused|stopped|"
            r"returned|revisited|browsing|accessed|opens|clicks|views|visits|reopened|played|"
            r"printed|unopened|skipped|halfway|replayed|rewatched|shared)$"
        ),
    ),
    ("<prt>", re.compile(r"^(?:through|thru|over|into|round|around|across|off)$")),
    ("<chance>", re.compile(r"^(?:chance|opportunity|time|moment|able|manage|managed|bandwidth)$")),
    ("<num>", re.compile(r"^(?:\d+|twice|two|three|four|five|several|few|once|zero)$")),
    (
        "<guess>",
        re.compile(
            r"^(?:probably|presumably|likely|guess|guessing|assume|bet|suppose|"
            r"imagine|reckon|surely|suspect|expect|feeling|thinking)$"
        ),
    ),
    ("<neg>", re.compile(r"^(?:not|never|haven't|hasn't|hadn't|didn't|no|yet|n't)$")),
    ("<key>", re.compile(rf"^{KEY_WORDS}$")),
)
_SUFFIX = re.compile(r"(?:'s|s|ed|ing|es)$")


@lru_cache(maxsize=16384)
def _classify(token: str) -> str:
    """The token's class in the lexicon, the token itself if the model knows it, else
    ``<rare>``: a word met too seldom in training to have learnt anything from (a new
    artefact, a name), so "did you <read> the <rare> <rare>?" shares weights with every
    such question."""
    for name, pattern in _CLASSES:
        if pattern.match(token):
            return name
    return token if token in _vocabulary() else "<rare>"


@lru_cache(maxsize=16384)
def _stem(token: str) -> str:
    """A crude lemma ("reviewed", "reviewing" -> "review"), enough to share weights."""
    return _SUFFIX.sub("", token) if len(token) > 4 else token


@lru_cache(maxsize=16384)
def _grams(token: str) -> tuple[str, ...]:
    """The character 4-grams of a word, its edges marked: a word the model does not know
    ("rewatched", "chcked", "dossiers") shares pieces with the words it resembles."""
    if len(token) < 4 or not token.isalpha():
        return ()
    padded = f"^{token}$"
    return tuple(f"g:{padded[i : i + 4]}" for i in range(len(padded) - 3))


@lru_cache(maxsize=2048)
def features(sentence: str) -> tuple[str, ...]:
    """The n-gram features of one folded sentence (cached: both kinds read them).

    Words, their stems, their classes, and the character 4-grams of the words the
    model does not know (``<rare>``); word and class
    bigrams, class trigrams and class pairs one word apart (so "did you <read> the
    <art>" and "did you ever <read> <my> <art>" share a feature); the classes present,
    in pairs (an observer and a tracked act anywhere in a sentence); the first two
    classes (how it opens); and whether it is a question. Each feature once.
    """
    tokens = _TOKEN.findall(sentence)
    classes = [_classify(t) for t in tokens]
    out = ["bias"]
    out += [f"w:{t}" for t in tokens]
    out += [f"s:{_stem(t)}" for t in tokens]
    out += [g for t, c in zip(tokens, classes, strict=True) if c == "<rare>" for g in _grams(t)]
    out += [f"w2:{a} {b}" for a, b in itertools.pairwise(tokens)]
    out += [f"c2:{a} {b}" for a, b in itertools.pairwise(classes)]
    out += [f"c3:{a} {b} {c}" for a, b, c in zip(classes, classes[1:], classes[2:], strict=False)]
    out += [f"k:{a} _ {c}" for a, c in zip(classes, classes[2:], strict=False)]
    present = sorted({c for c in classes if c.startswith("<")})
    out += [f"has:{c}" for c in present]
    out += [f"co:{a} {b}" for a, b in itertools.combinations(present, 2)]
    out.append(f"start:{' '.join(classes[:2])}")
    out.append("question" if "?" in tokens else "statement")
    return tuple(dict.fromkeys(out))


@cache
def _model() -> dict[str, Any]:
    listing = resources.files("policies.coach").joinpath("lint_model.json")
    data: dict[str, Any] = json.loads(listing.read_text(encoding="utf-8"))
    return data


@cache
def _vocabulary() -> frozenset[str]:
    """The words the model was trained on often enough to know (shipped with it)."""
    return frozenset(_model().get("vocabulary", ()))


def warm() -> None:
    """Load the model, its vocabulary and its joint map now rather than at the first lint."""
    _vocabulary()
    _joint()


def forget() -> None:
    """Drop what was read from the model (for the trainer, after it installs weights)."""
    _vocabulary.cache_clear()
    _classify.cache_clear()
    features.cache_clear()
    _joint.cache_clear()
    _sums.cache_clear()


def score(weights: dict[str, float], feats: Iterable[str]) -> float:
    """The logistic probability of ``feats`` under ``weights``."""
    z = sum(map(weights.get, feats, itertools.repeat(0.0)))
    return 1.0 / (1.0 + math.exp(-max(min(z, 30.0), -30.0)))


def threshold(kind: str) -> float:
    """The probability from which the model alone flags a sentence of ``kind``: chosen by
    ``bench/train_lint_model.py`` on sets the model never saw, shipped with the weights."""
    value: float = _model()["thresholds"][kind]
    return value


@cache
def _joint() -> dict[str, tuple[float, float]]:
    """Each feature's (trap, surveillance) weights in one map: the lint asks both kinds of
    nearly every sentence, and one lookup per feature in one map costs about half of one
    in each of two (the maps are large; the lookups miss the processor's caches)."""
    weights = _model()["weights"]
    trap, surveillance = weights["trap"], weights["surveillance"]
    return {
        f: (trap.get(f, 0.0), surveillance.get(f, 0.0)) for f in trap.keys() | surveillance.keys()
    }


@lru_cache(maxsize=4096)
def _sums(sentence: str) -> tuple[float, float]:
    """The trap and surveillance sums of the sentence's weights, in feature order (so the
    same as :func:`score` would add them)."""
    found = [pair for pair in map(_joint().get, features(sentence)) if pair is not None]
    return sum(pair[0] for pair in found), sum(pair[1] for pair in found)


def probability(kind: str, sentence: str) -> float:
    """How sure the model is that the folded ``sentence`` holds a finding of ``kind``."""
    z = _sums(sentence)[0 if kind == "trap" else 1]
    return 1.0 / (1.0 + math.exp(-max(min(z, 30.0), -30.0)))
