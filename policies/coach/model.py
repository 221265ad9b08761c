"""A second opinion: a small logistic model over word and word-class n-grams.

The grammar is precise but knows only the shapes it was written for. This model reads
each sentence as n-grams of its words and of their classes in the lexicon (an artefact
noun becomes ``<art>``, "my"/"our" ``<my>``, a reading verb ``<read>``, an observer
``<obs>``), so "did you get to the <art>" generalises over artefacts it never saw. It is
trained by ``bench/train_lint_model.py`` on the corpus and the train split only, and
ships as package data (``lint_model.json``, a few thousand weights): it needs nothing
at run time but this module. A sentence is flagged by the model alone only when it is
very sure (:data:`THRESHOLD`), so the grammar's precision is kept.
"""

from __future__ import annotations

import itertools
import json
import math
import re
from collections.abc import Iterable
from functools import cache, lru_cache
from importlib import resources

from policies.coach.lexicon import ARTEFACT, KEY_WORDS, TOOL_BRAND, TOOL_NAME

__all__ = ["THRESHOLD", "features", "probability"]

# First 0.7, chosen on the dev split; raised to 0.85 when a set of hard honest
# look-alikes ("Did you get a chance to look at flights for the summit?") drew false
# alarms from the model at 0.7 and none at 0.85. Never chosen on the blind test split.
THRESHOLD = 0.85
_TOKEN = re.compile(r"[a-z0-9@]+(?:'[a-z]+)?|[?]")
_CLASSES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("<art>", re.compile(rf"^{ARTEFACT}$")),
    ("<tool>", re.compile(rf"^(?:{TOOL_BRAND}|{TOOL_NAME})$")),
    ("<my>", re.compile(r"^(?:my|our|me)$")),
    ("<you>", re.compile(r"^(?:you|u|ya|your|ur|you've|you'd|you're)$")),
    (
        "<read>",
        re.compile(
            r"^(?:read|reading|seen|saw|see|look|looked|looking|review|reviewed|reviewing|"
            r"open|opened|opening|watch|watched|watching|check|checked|skim|skimmed|digest|"
            r"received|receive|got|get|go|gone|went|listen|listened|finish|finished)$"
        ),
    ),
    (
        "<obs>",
        re.compile(
            r"^(?:noticed|notice|spotted|saw|shows|showed|says|said|tells|told|flagged|"
            r"indicates|looks|seems|appears|apparently|tracker|tracking)$"
        ),
    ),
    (
        "<act>",
        re.compile(
            r"^(?:clicked|visited|viewed|downloaded|forwarded|spent|scrolled|paused|stopped|"
            r"returned|revisited|browsing|accessed|opens|clicks|views|visits)$"
        ),
    ),
    ("<chance>", re.compile(r"^(?:chance|opportunity|time|moment|able|manage|managed)$")),
    ("<num>", re.compile(r"^(?:\d+|twice|two|three|four|five|several|few)$")),
    ("<key>", re.compile(rf"^{KEY_WORDS}$")),
)


@lru_cache(maxsize=16384)
def _classify(token: str) -> str:
    for name, pattern in _CLASSES:
        if pattern.match(token):
            return name
    return token


@lru_cache(maxsize=1024)
def features(sentence: str) -> tuple[str, ...]:
    """The n-gram features of one folded sentence (cached: both kinds read them)."""
    tokens = _TOKEN.findall(sentence)
    classes = [_classify(t) for t in tokens]
    out = ["bias"]
    out += [f"w:{t}" for t in tokens]
    out += [f"w2:{a} {b}" for a, b in itertools.pairwise(tokens)]
    out += [f"c2:{a} {b}" for a, b in itertools.pairwise(classes)]
    out += [f"c3:{a} {b} {c}" for a, b, c in zip(classes, classes[1:], classes[2:], strict=False)]
    return tuple(out)


@cache
def _weights() -> dict[str, dict[str, float]]:
    listing = resources.files("policies.coach").joinpath("lint_model.json")
    data: dict[str, dict[str, float]] = json.loads(listing.read_text(encoding="utf-8"))
    return data


def score(weights: dict[str, float], feats: Iterable[str]) -> float:
    """The logistic probability of ``feats`` under ``weights``."""
    z = sum(weights.get(f, 0.0) for f in feats)
    return 1.0 / (1.0 + math.exp(-max(min(z, 30.0), -30.0)))


def probability(kind: str, sentence: str) -> float:
    """How sure the model is that the folded ``sentence`` holds a finding of ``kind``."""
    return score(_weights()[kind], features(sentence))
