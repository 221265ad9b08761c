"""Where findings start and end: sentences, clauses and the edges of a span.

A finding is the part of the text a rep would rewrite. A trap is the whole closed
question, from the start of its clause to the end of its sentence. A surveillance
reveal is the clause that tells what tracking showed: from the observer ("I noticed",
"Our CRM shows") to the end of the clause, so "I noticed you opened the proposal twice,
so I wanted to follow up" yields "I noticed you opened the proposal twice", not just "I
noticed you opened".
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator

__all__ = ["clause_before", "clause_end", "clauses", "opens_with_wh", "sentences", "trim"]

# A title's full stop ends no sentence: "Has Dr. Okafor had a chance to review it?"
_SENTENCE = re.compile(
    r"(?:[^.?!\n]|"
    + "(?:"
    + "|".join(
        rf"(?<=\b{t})"
        for t in ("dr", "mr", "mrs", "ms", "mx", "prof", "st", "sr", "jr", "rev", "hon")
    )
    + r")\.(?=\s+[a-z]))+(?:[.?!]+|\n|$)"
)
# An open question: a wh-word earlier in the same clause ("Which parts did you read?").
_WH = re.compile(r"\b(?:what|which|how|where|when|who|whom|why)\b")
# An emoji ends a clause in chat, as a comma would.
_CLAUSE_BREAK = re.compile(r"[,;:\-\u2013\u2014]\s|[\u2600-\u27bf\U0001f300-\U0001faff]+\s*")
# Where a reveal's clause ends: a hard break, or a comma that starts another clause.
_CLAUSE_STOP = re.compile(
    r"\s*(?:[;:\u2013\u2014]|\s-\s|,\s*(?:so|and|but|which|and\s+so|because|as|since|if|"
    r"thought|figured|wanted|hence|therefore|meaning|i|we|let|any|can|could|would|do|did|"
    r"have|has|are|is|what|which|how|when|where|who|why|may|might|will|should|"
    # "..., you even get to the part about blackouts?": a new clause, addressed.
    r"(?:you|u)\s+(?:even|ever|actually|also|get|got|did|manage|managed|make|made|see|saw|have|had)\b|"
    # Round 10: "..., everything ok?": a check on them, a clause of its own.
    r"(?:all|everything|everything's|all's)\s+(?:good|ok|okay|alright|well|fine)\b)\b|[.?!]|\n|$"
    # "I saw the proposal got opened this morning so just checking you read it": a new clause.
    r"|\s+(?:and\s+)?so\s+(?=(?:just|i|i'm|i'd|we|we're|wanted|thought|figured|checking|hoping|wondering)\b)"
    # An emoji ends a clause in chat: "saw u watched half the loom 😅 did u get to the end?"
    r"|[\u2600-\u27bf\U0001f300-\U0001faff])"
)
# "... opened this morning so just checking you read it": a new clause without a comma.
_SOFT_BREAK = re.compile(
    r"\s(?:and\s+)?so\s+(?=(?:just|i|i'm|i'd|we|we're|wanted|thought|figured|checking|hoping|wondering)\b)"
)
_EDGE_START = " \t\n,.;:!?-(\u2013\u2014\"'"
_EDGE_END = " \t\n,;:-(\u2013\u2014"


def sentences(text: str) -> Iterator[tuple[int, int]]:
    """The (start, end) of each non-blank sentence of ``text``."""
    for match in _SENTENCE.finditer(text):
        if match.group(0).strip():
            yield match.start(), match.end()


def clause_before(sentence: str, start: int) -> str:
    """The words of the clause in which ``start`` falls that come before it."""
    before = sentence[:start]
    breaks = list(_CLAUSE_BREAK.finditer(before))
    before = before[breaks[-1].end() :] if breaks else before
    if " so " in before:
        soft = list(_SOFT_BREAK.finditer(before))
        if soft:
            before = before[soft[-1].end() :]
    return before


def opens_with_wh(sentence: str, start: int) -> bool:
    """Whether the clause in which ``start`` falls is already an open (wh-) question.

    Only that clause counts, so "Hi, how are things, did you read it?" is still closed.
    """
    return _WH.search(clause_before(sentence, start)) is not None


def clauses(sentence: str) -> list[tuple[int, int]]:
    """The (start, end) of each clause of ``sentence``, cut at commas, colons, semicolons
    and dashes: where the model alone flags a sentence, the clause it is surest of is the
    span ("Mixmax has you down as opening the rate card", not the greeting before it)."""
    cuts = [0, *(m.end() for m in _CLAUSE_BREAK.finditer(sentence)), len(sentence)]
    return [(a, b) for a, b in itertools.pairwise(cuts) if sentence[a:b].strip(_EDGE_START)]


def clause_end(sentence: str, end: int) -> int:
    """The end of the clause in which offset ``end`` of ``sentence`` falls."""
    stop = _CLAUSE_STOP.search(sentence, end)
    return stop.start() if stop else len(sentence)


def trim(text: str, start: int, end: int) -> tuple[int, int]:
    """``start``/``end`` moved inwards past spaces and punctuation at the edges."""
    while start < end and text[start] in _EDGE_START:
        start += 1
    while end > start and text[end - 1] in _EDGE_END:
        end -= 1
    return start, end
