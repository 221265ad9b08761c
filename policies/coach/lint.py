"""The opener lint: trap questions and surveillance reveals, each with an honest rewrite.

- ``trap``: a closed question about whether the prospect read, saw, opened, reviewed,
  watched or received what the rep sent ("Did you get a chance to read my email?"), or a
  presumption that they did not ("you probably haven't had a chance to look, have you?",
  "I'm guessing my email got buried"). Asked by someone who may know the answer from
  tracking, it invites a polite lie.
- ``surveillance``: telling the prospect what tracking showed: opens, clicks, visits,
  downloads, views, time spent, times, devices, counts ("I saw you opened it three
  times", "Glad to see you opened the proposal", "Your company visited our pricing page").

Open questions pass ("What did you think of the proposal?", "Which sections were most
relevant?"), and so do the same verbs about anything the rep did not send ("Did you see
the game?", "Did you read the Gartner report?"), about the rep ("I opened the
conversation with our product team") or about facts that are not tracking ("I saw you're
expanding into Spain").

How it works: the text is folded to lower case with typographic quotes made plain, one
character for one character, so every match maps back to the original span. Each
sentence is matched against patterns built from a small grammar of named parts: who
(``SUBJECT``, ``ACTOR``), what was sent (``SENT_THING``, a possessive or a known
artefact noun, or anything "I sent"), reading verbs (``READ``), opportunity phrases
(``CHANCE``), presumption and observation markers, and tracking evidence (``TRACKED``,
``COUNT``, ``WHEN``, ``DEVICE``). The parts tolerate contractions, missing apostrophes,
common typos, non-native grammar ("Did you saw") and text-speak ("u", "ur", "2").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Literal

from policies.coach.grammar import SURVEILLANCE_PATTERNS, TRAP_EXCUSED, TRAP_PATTERNS
from policies.coach.model import THRESHOLD, probability
from policies.coach.spans import clause_before, clause_end, opens_with_wh, sentences, trim
from policies.coach.spelling import normalise

__all__ = ["Finding", "lint"]

Kind = Literal["trap", "surveillance"]


@dataclass(frozen=True)
class Finding:
    """One flagged span of the original text."""

    kind: Kind
    start: int
    end: int
    excerpt: str
    why: str
    suggestion: str

    def as_dict(self) -> dict[str, Any]:
        """The API shape: kind, start, end, excerpt, why, suggestion."""
        return {
            "kind": self.kind,
            "start": self.start,
            "end": self.end,
            "excerpt": self.excerpt,
            "why": self.why,
            "suggestion": self.suggestion,
        }



WHY = {
    "trap": (
        "A closed question about whether they read what you sent invites a polite lie, "
        "and costs trust on both sides if you already know the answer."
    ),
    "surveillance": (
        "Telling someone what tracking showed (opens, clicks, visits, times, devices) "
        "signals surveillance rather than interest."
    ),
}


SUGGESTIONS = {
    "trap": "How useful was {thing}? Which parts would you like to talk through in more detail?",
    "surveillance": "What would be most useful to talk through about {thing}?",
}
_THING = re.compile(
    r"\b(?:my|our|the)\s+((?:pricing\s+)?(?:proposal|deck|slides|case\s+study|whitepaper|white\s+paper|quote|"
    r"contract|overview|one-pager|brochure|presentation|demo|video|report|summary|pricing))\b",
    re.IGNORECASE,
)
def _excused(sentence: str, start: int) -> bool:
    """Whether a closed-question match at ``start`` is no trap: an open (wh-) question, a
    reveal ("Noticed you haven't opened it" is surveillance), a condition ("If you haven't
    had time to read it, no worries") or a promise not to ask."""
    before = clause_before(sentence, start)
    return opens_with_wh(sentence, start) or TRAP_EXCUSED.search(before) is not None


def _first_match(kind: Kind, sentence: str) -> re.Match[str] | None:
    """The first pattern match of ``kind``; a trap only outside an open (wh-) question."""
    patterns = TRAP_PATTERNS if kind == "trap" else SURVEILLANCE_PATTERNS
    return next(
        (
            m
            for p in patterns
            for m in p.finditer(sentence)
            if kind != "trap" or not _excused(sentence, m.start())
        ),
        None,
    )


def _suggestion(kind: Kind, sentence: str) -> str:
    thing = _THING.search(sentence)
    noun = f"the {thing.group(1).lower()}" if thing else "the information I sent over"
    return SUGGESTIONS[kind].format(thing=noun)


def lint(text: str) -> list[Finding]:
    """Every trap question and surveillance reveal in ``text``, in order of appearance.

    Spans are offsets into ``text`` itself; ``excerpt == text[start:end]``. Each finding
    carries a suggestion that passes the lint.
    """
    normal = normalise(text)
    findings: list[Finding] = []
    kinds: tuple[Kind, ...] = ("trap", "surveillance")
    for sentence_start, sentence_end in sentences(normal.text):
        sentence = normal.text[sentence_start:sentence_end]
        for kind in kinds:
            match = _first_match(kind, sentence)
            if match is not None:
                # A trap is the whole closed question; a reveal, the clause that tells it.
                first = sentence_start + match.start()
                last = clause_end(sentence, match.end()) if kind == "surveillance" else len(sentence)
            elif probability(kind, sentence) >= THRESHOLD:
                first, last = sentence_start, len(sentence)  # the model reads whole sentences
            else:
                continue
            start, end = normal.span(first, sentence_start + last)
            start, end = trim(text, start, end)
            findings.append(
                Finding(
                    kind=kind,
                    start=start,
                    end=end,
                    excerpt=text[start:end],
                    why=WHY[kind],
                    suggestion=_suggestion(kind, sentence),
                )
            )
    findings.sort(key=lambda f: (f.start, f.kind))
    return findings
