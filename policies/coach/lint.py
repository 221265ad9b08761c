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
   word and word-class n-grams, may still flag the sentence from its threshold (a trap
   after a reveal: only the words after the reveal's clause).
5. A statement whose trap words lie in a reveal's clause is the reveal only ("You opened
   it but haven't replied").

A trap's span is its whole closed question; a reveal's is the clause that tells it,
from the observer to the end of the clause; where the model alone flags a sentence, the clause it is surest of (to the end of
the sentence for a trap).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, Literal

from policies.coach import model, spelling
from policies.coach.grammar import OBSERVED, OWN_ACT, Gated
from policies.coach.model import probability, threshold
from policies.coach.reveals import (
    GUESSES,
    NOT_OPENED_STATED,
    NOT_TRACKING,
    OPENED_A_PLACE,
    SOURCE_ASIDES,
    SURVEILLANCE_PATTERNS,
    TOLD_ME,
    an_audience,
    describes_product,
)
from policies.coach.spans import (
    clause_before,
    clause_end,
    clauses,
    opens_with_wh,
    sentences,
    trim,
)
from policies.coach.spelling import Normalised, normalise
from policies.coach.traps import (
    AFTER_REVEAL_PATTERNS,
    AFTER_REVEAL_STATED,
    CONDITION,
    ERRAND,
    GOT_IT_DONE,
    PROMISE,
    RECEIPT_CHECKS,
    REQUEST,
    SAID_SO,
    THEIRS,
    TRAP_EXCUSED,
    TRAP_PATTERNS,
    YET_TO_COME,
    YOUR_OWN,
)

__all__ = ["Finding", "candidates", "lint", "model_may", "warm", "without_quoted_lines"]

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


# What may be left after a reveal's clause that holds no words.
_TAIL_EDGE = " \t\n,.;:!?-()\u2013\u2014\"'"
_LEAD = re.compile(r"[\s,;:\-\u2013\u2014(!]*")
# "..., but did you read it?": the question starts after the conjunction.
# A line quoted from an earlier message of the thread ("> Did you get my email?"): the
# prospect's words, or the rep's own already sent, never what the rep is writing now.
_QUOTED_LINE = re.compile(r"^[ \t]*>.*$", re.MULTILINE)


def without_quoted_lines(text: str) -> str:
    """``text`` with each quoted line blanked out, every other character where it was,
    so that spans found in the rest are offsets into ``text`` itself."""
    if ">" not in text:
        return text
    return _QUOTED_LINE.sub(lambda line: " " * len(line.group()), text)


_CONJUNCTION = re.compile(r"\s*(?:(?:but|and|so|also|well|ok|okay|oh|then)\b[\s,]*)+")


def _excused(sentence: str, start: int) -> bool:
    """Whether a closed-question match at ``start`` is no trap: an open (wh-) question, a
    reveal ("Noticed you haven't opened it", "You haven't opened it, according to our
    portal" are surveillance), a condition ("If you haven't
    had time to read it, no worries") or a promise not to ask."""
    before = clause_before(sentence, start)
    # A statement of what tracking showed ("... yet, according to our portal"), or a
    # question in the clause of an observer ("Noticed you haven't opened it yet?"), unless
    # the observer's clause ends before the question starts ("I saw it got opened this
    # morning so just checking you were able to read it").
    offset = 0 if "?" not in sentence else start - len(before)
    for observer in OBSERVED.finditer(sentence if "?" not in sentence else before):
        at = offset + observer.start()
        if at >= start or clause_end(sentence, offset + observer.end()) > start:
            return True
    return (
        opens_with_wh(sentence, start)
        or GOT_IT_DONE.search(sentence, start) is not None
        or TRAP_EXCUSED.search(before) is not None
        # "You said on Tuesday you hadn't had a chance to read it": their words.
        or SAID_SO.search(before) is not None
    )


_AS_YOU_SAID = re.compile(
    r"\bas\s+(?:you|u|they|he|she|your\s+[a-z]+)\s+(?:said|mentioned|told\s+(?:me|us)|wrote|confirmed)\b"
)


def _told(sentence: str, start: int) -> bool:
    """Whether the prospect said it themselves ("You mentioned you'd read the case study"),
    or the sentence describes a product ("The dashboard shows which documents prospects
    viewed") rather than what the prospect did."""
    return (
        TOLD_ME.search(clause_before(sentence, start)) is not None
        # "As you said in your email, the board read the deck on Monday".
        or _AS_YOU_SAID.search(sentence, 0, start) is not None
        or describes_product(sentence)
        # "The listing has had 300 views this week": an audience, not the prospect.
        or an_audience(sentence)
    )


def model_may(kind: Kind, sentence: str) -> bool:
    """Whether the second opinion may flag the sentence: not where the grammar knows it
    to be honest (the prospect's own words, the rep's own reading, an errand, a condition,
    a promise not to ask, someone else's document, a request to read, a statement that reports tracking, which
    is a reveal; a guess,
    a product described or a place opened is never a reveal)."""
    if TOLD_ME.search(sentence) or OWN_ACT.search(sentence):
        return False
    if kind == "trap" and (
        ERRAND.search(sentence)
        or CONDITION.search(sentence)
        or YET_TO_COME.search(sentence)
        or PROMISE.search(sentence)
        or YOUR_OWN.search(sentence)
        or THEIRS.search(sentence)  # "the board minutes", "the landlord's email"
        or REQUEST.search(sentence)  # "could you look over the contract?"
        or ("?" not in sentence and OBSERVED.search(sentence))  # a reveal, not a question
    ):
        return False
    return not (
        kind == "surveillance"
        and (
            GUESSES.search(sentence)
            or describes_product(sentence)
            or an_audience(sentence)  # "the listing has had 300 views this week"
            or OPENED_A_PLACE.search(sentence)  # "you haven't opened the Leeds office yet"
            or NOT_TRACKING.search(sentence)  # no reply, a delivery, a visit in person
        )
    )


def _inside_reveal(sentence: str, reveal: re.Match[str] | None, trap: re.Match[str] | None) -> bool:
    """Whether a statement's trap words lie in the clause of a reveal: "You opened it but
    haven't replied." tells what tracking showed; it does not presume. ("You opened it
    twice, but I'm guessing you haven't read it" is both: the guess is a clause of its own.)"""
    if reveal is None or "?" in sentence:
        return False
    end = clause_end(sentence, reveal.end())
    return trap is None or reveal.start() <= trap.start() < end


def _model_span(kind: Kind, sentence: str) -> tuple[int, int]:
    """Where in a sentence the model alone flagged the finding lies: the clause it is
    surest of; for a trap, from there to the end of the question."""
    parts = clauses(sentence)
    if len(parts) == 1:  # nothing to choose between: spare the model a second reading
        start, end = parts[0]
    else:
        start, end = max(parts, key=lambda c: probability(kind, sentence[c[0] : c[1]]))
    return start, len(sentence) if kind == "trap" else end


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


# A texted question with its "?" dropped opens with the auxiliary: "did u see the SSO bit".
_ASKS = re.compile(r"\s*(?:did|have|has|had)\s+(?:you|u|ya|ye)\b").match


def _after_reveal(
    sentence: str, patterns: list[re.Pattern[str] | Gated] = AFTER_REVEAL_PATTERNS
) -> re.Match[str] | None:
    """A closed reading question that needs no artefact of its own, once a reveal has
    named what was sent ("... - did it answer your questions?")."""
    return next(
        (
            m
            for p in patterns
            for m in p.finditer(sentence)
            if not _excused(sentence, _word_start(m))
        ),
        None,
    )


def _word_start(match: re.Match[str]) -> int:
    """Where a match's first word starts: past the punctuation a clause start may match
    ("...CFO; has she had time"), so the excuses look at the match's own clause."""
    lead = _LEAD.match(match.group(0))
    return match.start() + (lead.end() if lead else 0)


def _clause_words(sentence: str, start: int) -> str:
    """The words of the clause before ``start``, past its lead-in punctuation and any
    conjunction ("Hi Sam, since you've opened it (thanks, Mixmax)" -> "since you've
    opened it ")."""
    before = clause_before(sentence, start)
    lead = _LEAD.match(before)
    return before[lead.end() if lead else 0 :]


def _suggestion(kind: Kind, excerpt: str, repaired: str) -> str:
    """An open question about what was sent, named as the rep wrote it in ``excerpt``
    ("the ROI model"), or as repaired ("propsal" -> "the proposal")."""
    thing = _THING.search(excerpt) or _THING.search(repaired)
    noun = f"the {thing.group(1)}" if thing else "the information I sent over"
    return SUGGESTIONS[kind].format(thing=noun)


def candidates(normal: Normalised) -> Iterator[tuple[Kind, int, str, re.Match[str] | None]]:
    """Per sentence of the folded, repaired text and per kind: the grammar's match, or
    ``None`` where only the model may still flag it (if :func:`model_may`; asked only
    once the model is sure enough, as that is rare). The trainer reads these too, to
    score the whole lint at many thresholds at once. Yields the kind, where the sentence
    starts in the repaired text, the sentence and the match."""
    kinds: tuple[Kind, ...] = ("trap", "surveillance")
    revealed = False  # whether an earlier sentence told what tracking showed
    for sentence_start, sentence_end in sentences(normal.text):
        sentence = normal.text[sentence_start:sentence_end]
        reveal = _first_match("surveillance", sentence)
        for kind in kinds:
            match = reveal if kind == "surveillance" else _first_match(kind, sentence)
            if (
                match is not None
                and kind == "trap"
                and reveal is not None
                and "?" not in sentence
                and match.re in RECEIPT_CHECKS
                and reveal.start() < match.start()
            ):
                # "…hasn't been opened, so I wanted to make sure it didn't end up in
                # spam": the reveal's reason, not a question of its own.
                match = None
            if (
                match is not None
                and kind == "trap"
                and reveal is not None
                and reveal.re is NOT_OPENED_STATED.pattern
                and reveal.start() <= match.start() < clause_end(sentence, reveal.end())
            ):
                # "Hey, you've not opened the email from Thursday, everything ok?": the
                # unopened email is told, not presumed; the question after it is its own.
                match = None
            if kind == "trap" and match is None and reveal is not None and "?" not in sentence:
                # A statement's tail after the reveal's clause, for the grammar only:
                # "saw it was opened - just wanted to check you'd had a proper look".
                rest = clause_end(sentence, reveal.end())
                after = _after_reveal(sentence[rest:], AFTER_REVEAL_STATED)
                if after is not None:
                    yield kind, sentence_start + rest, sentence[rest:], after
                continue
            if kind == "trap" and _inside_reveal(sentence, reveal, match):
                continue
            if kind == "trap" and match is None and reveal is not None:
                # The reveal's clause is told already: what follows it is read on its own,
                # so "u read the contract 2x, need anything?" is no trap and "…nobody's
                # watched the replay yet - did the invite even get through?" is one.
                rest = clause_end(sentence, reveal.end())
                tail = sentence[rest:]
                if tail.strip(_TAIL_EDGE):
                    yield kind, sentence_start + rest, tail, _after_reveal(tail)
                continue
            if (
                kind == "trap"
                and match is None
                and revealed
                and ("?" in sentence or _ASKS(sentence))
            ):
                match = _after_reveal(sentence)
            yield kind, sentence_start, sentence, match
        revealed = revealed or reveal is not None


def lint(text: str) -> list[Finding]:
    """Every trap question and surveillance reveal in ``text``, in order of appearance.

    Spans are offsets into ``text`` itself; ``excerpt == text[start:end]``. Each finding
    carries a suggestion that passes the lint. Lines quoted from earlier messages of a
    thread (starting with ``>``) are not the rep's words and are not linted.
    """
    normal = normalise(without_quoted_lines(text))
    findings: list[Finding] = []
    for kind, sentence_start, sentence, match in candidates(normal):
        if match is not None and kind == "trap":
            # A trap is the whole closed question, from the start of its clause: "Would
            # you be able to tell me whether you have had a chance to read it?".
            word = _word_start(match)
            clause = word - len(clause_before(sentence, word))
            lead = _CONJUNCTION.match(sentence, clause)
            first = sentence_start + (lead.end() if lead and lead.end() <= word else clause)
            last = len(sentence)
        elif match is not None:
            # A reveal is the clause that tells it, from the observer to its end; where
            # the match is the source beside it ("(thanks, DocSend!)"), the whole clause.
            first = sentence_start + match.start()
            if match.re in SOURCE_ASIDES:
                first -= len(_clause_words(sentence, match.start()))
            last = clause_end(sentence, match.end())
        elif probability(kind, sentence) >= threshold(kind) and model_may(kind, sentence):
            first, last = _model_span(kind, sentence)
            first += sentence_start
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


def warm() -> None:
    """Read what the first lint would otherwise read: the model (3 MB of JSON), the words
    it knows, and the typo repair's targets and near words, so a caller that can afford
    it at a quiet moment spares its first lint that cost. Not called at import: every
    ``candor serve`` imports the lint, and on a loaded machine reading the model there
    adds seconds to every start-up."""
    model.warm()
    spelling.warm()
