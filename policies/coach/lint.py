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

How it works, in four steps:

1. :mod:`policies.coach.spelling` folds the text (lower case, plain quotes) and repairs
   typos of the lexicon's key words ("chnace", "propsal"), keeping for each character
   the offset it came from, so every span maps back onto the rep's own words.
2. :mod:`policies.coach.spans` cuts it into sentences.
3. Each sentence is matched against the patterns of :mod:`policies.coach.traps` and
   :mod:`policies.coach.reveals`, built from the named parts of
   :mod:`policies.coach.grammar` over the word lists of :mod:`policies.coach.lexicon`: who is
   asked about (you, "Legal", "you and Marcus"), what was sent (an open noun phrase
   with an artefact head: "the ROI model", "our onboarding guide", anything "I sent"),
   reading verbs and opportunity phrases, question shapes (direct, passive, indirect,
   "something you saw"), presumptions, observers ("I noticed", "DocSend says") and
   tracked acts. A closed question is excused in an open (wh-) question, a condition
   ("If you haven't had time, no worries"), beside a reveal, or a promise not to ask.
4. Where no pattern matches, :mod:`policies.coach.model`, a small logistic model over
   word and word-class n-grams, may still flag the sentence when it is very sure.

A trap's span is its whole closed question; a reveal's is the clause that tells it,
from the observer to the end of the clause; a sentence the model flags is the span.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Literal

from policies.coach.grammar import OBSERVED
from policies.coach.model import THRESHOLD, probability
from policies.coach.reveals import GUESSES, SURVEILLANCE_PATTERNS, TOLD_ME
from policies.coach.spans import clause_before, clause_end, opens_with_wh, sentences, trim
from policies.coach.spelling import normalise
from policies.coach.traps import CONDITION, ERRAND, TRAP_EXCUSED, TRAP_PATTERNS

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
# What the suggestion names, as the rep wrote it ("the ROI model"); a singular noun, so
# "How useful was {thing}?" reads right. Otherwise: "the information I sent over".
_THING = re.compile(
    r"\b(?:my|our|the)\s+((?:(?:pricing|roi|security|implementation|onboarding|product|demo|"
    r"webinar|revised|updated|latest)\s+)?(?:proposal|deck|case\s+study|whitepaper|white\s+paper|"
    r"quote|contract|overview|one-pager|brochure|presentation|demo|video|report|summary|pricing|"
    r"model|plan|guide|recording|tour|questionnaire|msa|sow|agreement|recap|walkthrough|"
    r"business\s+case))\b",
    re.IGNORECASE,
)


_LEAD = re.compile(r"[\s,;:\-\u2013\u2014(!]*")


def _excused(sentence: str, start: int) -> bool:
    """Whether a closed-question match at ``start`` is no trap: an open (wh-) question, a
    reveal ("Noticed you haven't opened it" is surveillance), a condition ("If you haven't
    had time to read it, no worries") or a promise not to ask."""
    before = clause_before(sentence, start)
    return opens_with_wh(sentence, start) or TRAP_EXCUSED.search(before) is not None


def _told(sentence: str, start: int) -> bool:
    """Whether the prospect said it themselves ("You mentioned you'd read the case study")."""
    return TOLD_ME.search(clause_before(sentence, start)) is not None


def _model_says(kind: Kind, sentence: str) -> bool:
    """The second opinion, outside what the grammar knows to be honest."""
    if TOLD_ME.search(sentence):
        return False
    if kind == "trap" and (
        ERRAND.search(sentence)
        or CONDITION.search(sentence)
        or ("?" not in sentence and OBSERVED.search(sentence))  # a reveal, not a question
    ):
        return False
    if kind == "surveillance" and GUESSES.search(sentence):
        return False
    return probability(kind, sentence) >= THRESHOLD


def _first_match(kind: Kind, sentence: str) -> re.Match[str] | None:
    """The first pattern match of ``kind`` that its excuses leave standing."""
    patterns = TRAP_PATTERNS if kind == "trap" else SURVEILLANCE_PATTERNS
    excused = _excused if kind == "trap" else _told
    return next(
        (
            m
            for p in patterns
            for m in p.finditer(sentence)
            if not excused(sentence, _word_start(m))
        ),
        None,
    )


def _word_start(match: re.Match[str]) -> int:
    """Where a match's first word starts: past the punctuation a clause start may match
    ("...CFO; has she had time"), so the excuses look at the match's own clause."""
    lead = _LEAD.match(match.group(0))
    return match.start() + (lead.end() if lead else 0)


def _suggestion(kind: Kind, excerpt: str, repaired: str) -> str:
    """An open question about what was sent, named as the rep wrote it in ``excerpt``
    ("the ROI model"), or as repaired ("propsal" -> "the proposal")."""
    thing = _THING.search(excerpt) or _THING.search(repaired)
    noun = f"the {thing.group(1)}" if thing else "the information I sent over"
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
                last = (
                    clause_end(sentence, match.end()) if kind == "surveillance" else len(sentence)
                )
            elif _model_says(kind, sentence):
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
                    suggestion=_suggestion(kind, text[start:end], sentence),
                )
            )
    findings.sort(key=lambda f: (f.start, f.kind))
    return findings
