"""The opener lint: trap questions and surveillance reveals, each with an honest rewrite.

- ``trap``: a closed question about whether the prospect read, saw, opened, reviewed or
  received what was sent ("Did you get a chance to read my email?"), or feigned
  ignorance ("you probably haven't had a chance to look, have you?"). Asked by someone
  who may know the answer from tracking, it invites a polite lie.
- ``surveillance``: telling the prospect what tracking showed: opens, clicks, visits,
  downloads, times, devices, counts ("I saw you opened it three times").

Open questions pass ("What did you think of the proposal?", "Which sections were most
relevant?"), and so do the same verbs about anything other than the outreach ("Did you
see the game?") or about the rep ("I read your article").

How it works: the text is folded to lower case with typographic quotes made plain, one
character for one character, so every match maps back to the original span. Each
sentence is matched against documented patterns that tolerate contractions, missing
apostrophes, common typos and text-speak ("u", "ur", "havent", "emial").
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, Literal

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

# Building blocks. Every alternative tolerates the usual typing shortcuts.
YOU = r"(?:you|u|ya|yu|yo)"
YOUVE = rf"(?:{YOU}\s*'?\s*ve|{YOU}\s+have|{YOU}\s+had|{YOU}\s*'d)"
NEG = r"(?:haven'?t|havent|have\s+not|hav\s*nt|didn'?t|didnt|did\s+not|hadn'?t|hadnt|had\s+not|not|never|weren'?t|wasn'?t|couldn'?t)"
CHANCE = (
    r"(?:(?:get|got|had|have|has|find|found|get\s+around|got\s+around)\s+(?:a\s+|the\s+|any\s+|some\s+)?"
    r"(?:chance|change|moment|minute|sec|second|time|opportunity|a\s+chance)\s+to|"
    r"(?:get|got|gotten|getting)\s+(?:a\s+)?(?:round|around)\s+to|"
    r"manage[d]?\s+to|be\s+able\s+to|been\s+able\s+to|able\s+to|happen(?:ed)?\s+to|get\s+to|got\s+to)"
)
READ_VERB = (
    r"(?:read|reed|red|see|seen|saw|open|opened|review|reviewed|look(?:ed)?\s+(?:at|over|through|into)|"
    r"(?:take|took|taken|have|had|get|got)\s+a\s+(?:quick\s+)?(?:look|peek|glance|gander|read)|give\s+it\s+a\s+(?:look|read)|"
    r"go\s+(?:through|over)|went\s+(?:through|over)|gone\s+(?:through|over)|check(?:ed)?\s+(?:out|it)|"
    r"check(?:ed)?|glance(?:d)?\s+(?:at|over)|skim(?:med)?|peruse[d]?|digest(?:ed)?|"
    r"receive[d]?|recieve[d]?|get|got|gotten|catch|caught|notice[d]?|dig\s+into|dug\s+into)"
)
OBJECT = (
    r"(?:(?:my|our|the|that|this|those|these|last|previous|earlier|latest|recent)\s+"
    r"(?:[a-z'-]+\s+){0,2}?"
    r"(?:e-?mail|emial|emails|emai|mail|message|msg|note|proposal|deck|slides?|document|doc|docs|pdf|"
    r"attachment|attachement|link|info|information|material|materials|quote|contract|one-pager|"
    r"case\s+study|whitepaper|white\s+paper|brochure|file|report|summary|recap|follow-?up|notes|"
    r"video|demo|presentation|overview|pricing|offer|proposition|letter|sheet|invoice|numbers|figures|terms|"
    r"estimate|spec|specs|requirements|timeline|roadmap|sample|samples|brief|ebook|e-book|guide|"
    r"stuff|thing|things|details|agreement|sow|rfp|outline|plan|draft|update)s?|"
    r"it|them|that|this|what\s+i\s+sent|what\s+we\s+sent|the\s+stuff\s+i\s+sent|my\s+last|"
    r"anything\s+i\s+sent|everything\s+i\s+sent)"
)
ENGAGED = (
    r"(?:open(?:ed|ing)?(?:\s+up)?|click(?:ed|ing)?(?:\s+on)?|view(?:ed|ing)?|visit(?:ed|ing)?|"
    r"read(?:ing)?|download(?:ed|ing)?|look(?:ed|ing)\s+at|check(?:ed|ing)\s+out|"
    r"watch(?:ed|ing)?|forward(?:ed|ing)?|shar(?:ed|ing)|spen[dt]|spending|brows(?:ed|ing)|"
    r"(?:had|taken|took|have)\s+a\s+(?:good\s+|long\s+|quick\s+|close\s+)?(?:look|peek|read)|"
    r"keep\s+(?:coming|going)\s+back|kept\s+(?:coming|going)\s+back|"
    r"research(?:ed|ing)?|went\s+(?:to|through|on)|"
    r"been\s+(?:on|to|looking|checking|reading|browsing|viewing|clicking|opening|going|spending|back|researching|digging|poking)|"
    r"were\s+(?:on|looking|checking|reading|browsing|viewing)|came\s+back|come\s+back|return(?:ed)?|"
    r"revisit(?:ed)?|scroll(?:ed)?|hover(?:ed)?|engag(?:ed|ing)\s+with|interact(?:ed)?\s+with|"
    r"pull(?:ed)?\s+up|access(?:ed)?|landed\s+on|hit|hitting)"
)
SAW = (
    r"(?:i|we|i'?ve|we'?ve|i\s+have|we\s+have|i\s+just|we\s+just)\s+(?:just\s+|can\s+|could\s+|did\s+|also\s+)?"
    r"(?:got\s+(?:pinged|notified|alerted)|was\s+(?:pinged|notified|alerted)|were\s+(?:pinged|notified|alerted)|"
    r"(?:saw|see|seen|noticed|notice|note[d]?|spotted|tracked|observed|can\s+tell|could\s+tell|know|knew|"
    r"realized|realised|picked\s+up|got\s+(?:a|an)\s+(?:notification|alert|ping|notice)|"
    r"received\s+(?:a|an)\s+(?:notification|alert|ping|notice)))"
    r"(?:\s+(?:from|on)\s+(?:my|our)\s+(?:end|side|dashboard|system|screen))?"
)
TOOL = (
    r"(?:my|our|the)\s+(?:email\s+)?(?:system|tool|tracker|tracking|software|analytics|crm|dashboard|"
    r"platform|app|hubspot|outreach|salesforce|salesloft|mixmax|yesware|pixel|data|logs?|stats|report|records?|"
    r"insights|activity\s+feed|notifications?)"
    r"\s+(?:shows?|showed|says|said|tells?|told|indicates?|indicated|notified|alerted|flagged|pinged|"
    r"lets?\s+me\s+know|let\s+me\s+know|registered|logged|recorded|tells\s+me)"
)
COUNT = (
    r"(?:\b(?:\d+|a\s+few|several|ten|five|twenty|thirty)\s*(?:minutes|mins|seconds|secs|hours|hrs)\b|\bhalf\s+an\s+hour\b|"
    r"\b(?:\d+|two|three|four|five|six|seven|eight|nine|ten|several|multiple|a\s+few|a\s+couple\s+of|"
    r"many|a\s+bunch\s+of|a\s+number\s+of|a\s+dozen)\s+(?:times|x)\b|\b\d+\s?x\b|\btwice\b|\bthrice\b|"
    r"\bagain\s+and\s+again\b|\bover\s+and\s+over\b|\brepeatedly\b|\bmore\s+than\s+once\b)"
)
WHEN = (
    r"(?:\bat\s+\d{1,2}(?::\d\d)?\s?(?:am|pm|a\.m\.|p\.m\.)?|\b\d{1,2}(?::\d\d)?\s?(?:am|pm)\b|"
    r"\blast\s+night\b|\bthis\s+morning\b|\blate\s+at\s+night\b|\bat\s+midnight\b|\bin\s+the\s+middle\s+of\s+the\s+night\b|"
    r"\bon\s+(?:the\s+)?(?:weekend|saturday|sunday)\b|\bearly\s+this\s+morning\b|\bright\s+after\s+i\s+sent\b|"
    r"\bwithin\s+(?:minutes|seconds|an\s+hour)\b|\bminutes\s+after\b)"
)
DEVICE = (
    r"(?:\bon\s+(?:your|an?|the|ur)\s+(?:iphone|phone|ipad|mobile|cell|android|laptop|desktop|tablet|mac|pc|"
    r"computer|device|work\s+computer)\b|\bfrom\s+(?:your|an?|ur)\s+(?:iphone|phone|ipad|mobile|android|laptop|"
    r"desktop|tablet|mac|pc|office|home|device)\b|\bfrom\s+(?:[a-z]+\s+)?(?:office|city|location)\b)"
)
ENGAGED_OBJECT = (
    r"(?:my|our|the|that|this|it|your|a\s+lot\s+of\s+our)\b|pricing|page|site|website|link|e-?mail|proposal|deck|whitepaper|"
    r"case\s+study|demo|video|doc|pdf"
)

_FLAGS = re.IGNORECASE

TRAP_PATTERNS = [
    # Did you read my email? Have you had a chance to look at the proposal? Were you able to review it?
    re.compile(
        rf"\b(?:did|do|have|had|has|were|are|was|got|any\s+chance|by\s+any\s+chance)\s+{YOU}\s+"
        rf"(?:(?:ever|already|yet|even|actually|maybe|perhaps|possibly|at\s+all|just)\s+)?"
        rf"(?:{CHANCE}\s+|(?:able|manage|managed)\s+to\s+find\s+(?:the\s+)?time\s+(?:to\s+|for\s+)?|find\s+(?:the\s+)?time\s+(?:to\s+|for\s+)?)?(?:(?:ever|already|actually|quickly|properly|briefly)\s+)?{READ_VERB}\b"
        rf"(?:\s+(?:at|over|through|into|out))?\s+(?:{OBJECT})\b",
        _FLAGS,
    ),
    # Did my email make it to your inbox? Has the proposal reached you?
    re.compile(
        r"\b(?:did|has|have)\s+(?:my|our|the)\s+(?:[a-z-]+\s+){0,2}?(?:e-?mail|message|note|proposal|deck|document|"
        r"doc|pdf|attachment|quote|contract|info|information|materials?|summary|recap|invite|file)s?\s+"
        r"(?:make\s+it|arrive|come\s+through|reach|land|get\s+to|find)",
        _FLAGS,
    ),
    # Did you give the proposal a read?
    re.compile(
        rf"\b(?:did|have|had|were|could)\s+{YOU}\s+(?:(?:get\s+to|manage\s+to|have\s+time\s+to)\s+)?"
        rf"(?:give|gave|given)\s+(?:{OBJECT})\s+a\s+(?:quick\s+)?(?:read|look|glance|skim|once-over)",
        _FLAGS,
    ),
    # You haven't read my email yet, have you? / You didn't get a chance to look?
    re.compile(
        rf"\b(?:{YOUVE}|{YOU})\s+{NEG}\s+(?:yet\s+|even\s+|actually\s+)?(?:had\s+(?:a|the|any)\s+(?:chance|time|minute|moment)|"
        rf"got(?:ten)?\s+(?:a\s+)?(?:chance|round|around)|read|seen|see|opened|open|looked|look|reviewed|gone\s+through|"
        rf"gotten\s+to|got\s+to|get\s+to|checked)\b",
        _FLAGS,
    ),
    # Had a chance to read my email? Got a chance to look at the deck? (no auxiliary, chat style)
    re.compile(
        rf"(?:^|[.!?,;:]\s*|\b(?:hey|hi|hello|so)\W+)(?:had|got|get|have|find|found)\s+(?:a\s+|the\s+|any\s+)?"
        rf"(?:chance|change|moment|minute|sec|time)\s+to\s+{READ_VERB}\b(?:\s+(?:at|over|through|into|out))?"
        rf"(?:\s+(?:{OBJECT})\b)?\s*(?:yet)?\s*\?",
        _FLAGS,
    ),
    # Just confirming you received the contract? / Making sure you got my email
    re.compile(
        rf"\b(?:confirm(?:ing)?|making\s+sure|make\s+sure|double[-\s]checking|checking)\s+(?:that\s+)?(?:{YOUVE}|{YOU})\s+"
        rf"(?:(?:have|had|did)\s+)?(?:received|recieved|got|gotten|saw|seen|read|opened|reviewed)\s+(?:{OBJECT})\b",
        _FLAGS,
    ),
    # Did my last message get buried / lost?
    re.compile(
        r"\b(?:did|has|have)\s+(?:my|our|the)\s+(?:[a-z-]+\s+){0,2}?(?:e-?mail|message|note|proposal|deck|"
        r"email|attachment|follow-?up)s?\s+(?:get|got|gotten|been)\s+(?:buried|lost|missed|stuck|overlooked)",
        _FLAGS,
    ),
    # Did you ever get around to the whitepaper?
    re.compile(
        rf"\b(?:did|have|had)\s+{YOU}\s+(?:ever\s+|already\s+)?(?:get|got|gotten)\s+(?:a\s+)?(?:round|around)\s+to\s+(?:{OBJECT})\b",
        _FLAGS,
    ),
    # Did you get a chance to look? Have you had time to take a look yet? (object implied)
    re.compile(
        rf"\b(?:did|have|had|were|could|any\s+chance)\s+{YOU}\s+(?:(?:ever|already|yet|maybe|perhaps)\s+)?"
        rf"{CHANCE}\s+(?:take|have|give\s+it|look|read|review|open|check|see|go\s+through|glance|skim|dig)"
        rf"(?:\s+(?:a\s+)?(?:look|read|glance|peek))?\s*(?:yet|at\s+all|over\s+the\s+weekend)?\s*\?",
        _FLAGS,
    ),
    # Have you read it? Did you see? HAVE YOU READ IT YET (short closed forms ending the sentence)
    re.compile(
        rf"\b(?:did|have|had)\s+{YOU}\s+(?:(?:ever|already|actually)\s+)?(?:read|seen|see|opened|open|reviewed|"
        rf"review|looked|received|recieved|gotten|get|got)\s*(?:it|them|that|this)?\s*(?:yet|already)?\s*(?:\?+|$)",
        _FLAGS,
    ),
    # You read it, right? You got my email, didn't you? You've seen the deck, yes?
    re.compile(
        rf"\b(?:{YOUVE}|{YOU})\s+(?:already\s+|probably\s+|surely\s+)?(?:read|seen|saw|opened|reviewed|looked\s+at|"
        rf"got|received|gone\s+through|went\s+through|checked\s+out)\s+(?:{OBJECT})\b[^.?!]*?,\s*"
        rf"(?:right|yes|yeah|correct|no|didn'?t\s+{YOU}|haven'?t\s+{YOU}|did\s+{YOU}|have\s+{YOU}|hadn'?t\s+{YOU})\s*\?",
        _FLAGS,
    ),
    # Just checking whether you read my email / Wanted to see if you had a chance to look at it
    re.compile(
        rf"\b(?:if|whether)\s+(?:{YOUVE}|{YOU})\s+(?:(?:have|had|were|got|did|ever|already|managed|happened)\s+)?"
        rf"(?:(?:a\s+)?(?:chance|time|moment)\s+to\s+|{CHANCE}\s+|been\s+able\s+to\s+|able\s+to\s+)?"
        rf"{READ_VERB}\b(?:\s+(?:at|over|through|into|out))?\s+(?:{OBJECT})\b",
        _FLAGS,
    ),
    # Feigned ignorance: you probably haven't had a chance to read it / I assume you didn't get to it
    re.compile(
        rf"\b(?:{YOU}\s+(?:probably|prob|prolly|likely|most\s+likely|maybe|perhaps|may|might|must)\s+{NEG}|"
        rf"(?:i|i'?m|i\s+am|we|i'?d|i\s+would|can\s+i|may\s+i|chances\s+are|odds\s+are|presumably)\s*(?:assume|assuming|guess|guessing|imagine|imagining|bet|suppose|figure[d]?|"
        rf"take\s+it|suspect|doubt|expect|presume|reckon|sure|certain|)\s*(?:that\s+)?{YOU}\s*(?:'ve|\s+have|\s+had)?\s*(?:probably\s+|likely\s+)?(?:{NEG}|"
        rf"(?:had|got|found)\s+(?:the\s+|a\s+|any\s+)?(?:time|chance|minute|moment)|"
        rf"(?:were|have\s+been|'ve\s+been|are)\s+(?:too\s+)?(?:busy|swamped|slammed)|missed|never)|"
        rf"(?:i|we)\s+don'?t\s+(?:suppose|imagine|expect|think)\s+{YOUVE}?\s*{YOU}?\s*(?:had|got|have|read|seen|looked|'ve)|"
        rf"(?:probably|prob|prolly|likely)\s+{NEG}\s+(?:had|got|seen|read|looked|opened|gotten|been\s+able)|"
        rf"not\s+sure\s+(?:if|whether)\s+{YOU}\s+(?:saw|seen|got|received|had|have|read|'ve|noticed|caught)|"
        rf"in\s+case\s+{YOU}\s+(?:missed|haven'?t\s+seen|didn'?t\s+see|did\s+not\s+see|overlooked)|"
        rf"(?:{YOU}|it)\s+(?:may|might|could)\s+(?:have\s+)?(?:missed|slipped|gotten\s+lost|got\s+lost|been\s+buried|"
        rf"not\s+have\s+(?:seen|read|got|gotten|received))|"
        rf"{YOU}\s+(?:likely|probably|prolly|must\s+have|may\s+have|might\s+have)\s+(?:missed|skipped|overlooked)|"
        rf"(?:i\s+know|knowing)\s+{YOU}(?:'re|\s+are|re)\s+(?:busy|swamped|slammed)[^.?!]{{0,40}}?"
        rf"(?:missed|didn'?t|haven'?t|not\s+had|no\s+time)|"
        rf"{YOUVE}\s+{NEG}\s+(?:had\s+)?(?:a\s+)?(?:chance|time|moment)[^.?!]{{0,40}}?,\s*(?:have|did|had)\s+{YOU}\b)",
        _FLAGS,
    ),
]

SURVEILLANCE_PATTERNS = [
    # I saw you opened my email / We noticed you've been on the pricing page
    re.compile(
        rf"\b{SAW}\s+(?:that\s+)?(?:{YOUVE}|{YOU}|someone\s+(?:at|from)\s+[a-z]+|your\s+(?:team|colleagues?|boss|cfo|ceo))\s+"
        rf"(?:(?:just|already|recently|also|finally|actually|has|have|had)\s+)?{ENGAGED}",
        _FLAGS,
    ),
    # I saw that my email was opened / I noticed the deck got viewed
    re.compile(
        rf"\b(?:{SAW}|(?:looks|seems|looked|seemed|appears)\s+(?:like|as\s+if|that)?)\s+(?:that\s+)?(?:my|our|the)\s+(?:[a-z-]+\s+){{0,2}}?(?:was|were|got|has\s+been|had\s+been)\s+"
        rf"(?:opened|clicked|viewed|read|downloaded|visited|forwarded|shared)",
        _FLAGS,
    ),
    # Noticed you forwarded my email / Saw you opened the proposal (no subject, chat style)
    re.compile(
        rf"(?:^|[.!?,;:]\s*|\b(?:hey|hi|hello|so|and)\W+)(?:just\s+)?(?:noticed|saw|spotted|seeing|see)\s+(?:that\s+)?"
        rf"(?:{YOUVE}|{YOU})\s+(?:(?:just|already|recently|also|finally)\s+)?{ENGAGED}",
        _FLAGS,
    ),
    # Looks like you've opened it / Seems you visited our pricing page
    re.compile(
        rf"\b(?:looks|seems|looked|seemed|appears|appeared)\s+(?:like|as\s+if|as\s+though|that)?\s*(?:{YOUVE}|{YOU})\s+"
        rf"(?:(?:just|already|recently|finally)\s+)?{ENGAGED}",
        _FLAGS,
    ),
    # My system shows you opened it / Our tracker tells me you clicked
    re.compile(rf"\b{TOOL}\b", _FLAGS),
    re.compile(
        r"\b(?:hubspot|salesforce|salesloft|outreach\.io|mixmax|yesware|mailtrack|streak|apollo|gong)\s+"
        r"(?:shows?|showed|says|said|tells?|told|indicates?|notified|alerted|flagged|pinged)\b",
        _FLAGS,
    ),
    # I got a notification that you opened my email
    re.compile(
        r"\b(?:i|we)\s+(?:got|received|get|had)\s+(?:a|an|the)\s+(?:e-?mail\s+|email\s+|quick\s+|little\s+)?(?:notification|alert|ping|notice|read\s+receipt)",
        _FLAGS,
    ),
    # Since you read my email / Now that you've seen the proposal / Thanks for opening my email
    re.compile(
        rf"\b(?:since|now\s+that|given\s+that|seeing\s+as|because)\s+(?:{YOUVE}|{YOU})\s+(?:already\s+|just\s+)?"
        rf"(?:read|opened|viewed|visited|clicked|downloaded|checked\s+out|looked\s+at|seen|been\s+(?:on|to|looking|reading|checking))\s+"
        rf"(?:(?:on|through|through\s+to|into)\s+)?(?:{OBJECT}|our\s+|the\s+|my\s+)",
        _FLAGS,
    ),
    re.compile(
        r"\bthanks?\s+(?:you\s+)?(?:so\s+much\s+)?for\s+(?:opening|reading|clicking|checking\s+out|visiting|viewing|downloading|"
        r"looking\s+at|taking\s+a\s+(?:look|peek|glance)\s+at|having\s+a\s+look\s+at|spending\s+time\s+on|"
        r"watching|coming\s+back\s+to)\s+(?:my|our|the|it|that)",
        _FLAGS,
    ),
    # You opened it three times / you viewed the deck at 11pm / you read it on your iPhone
    re.compile(
        rf"\b(?:{YOUVE}|{YOU})\s+(?:(?:already|just|also|even)\s+)?{ENGAGED}\b[^.?!]{{0,60}}?(?:{COUNT}|{WHEN}|{DEVICE})",
        _FLAGS,
    ),
    # We saw a visit to the pricing page from your company
    re.compile(
        rf"\b{SAW}\s+(?:a|an|one|some|two|three|several|multiple|\d+)\s+(?:visits?|clicks?|opens?|views?|downloads?)\b",
        _FLAGS,
    ),
    # three opens / 5 clicks / several visits (counted engagement as a noun)
    re.compile(
        r"\b(?:\d+|two|three|four|five|six|seven|eight|nine|ten|several|multiple|a\s+few|a\s+couple\s+of|many)\s+"
        r"(?:opens|clicks|visits|views|page\s*views|downloads)\b",
        _FLAGS,
    ),
    # You opened my email / you visited our pricing page (a tracked act stated as fact)
    re.compile(
        rf"(?:^|[.!?,;:]\s*|\b(?:and|so|but|hi|hey|hello)\s+(?:[a-z]+\s*,\s*)?)(?:{YOUVE}|{YOU})\s+(?:(?:already|just|recently|also|finally)\s+)?"
        rf"(?:opened|clicked(?:\s+on)?|viewed|visited|downloaded|been\s+(?:on|to|viewing|clicking|opening|browsing|reading|checking\s+out|looking\s+at)|"
        rf"spent\s+(?:\d+|some|a\s+lot\s+of|a\s+while|time)|came\s+back\s+to|returned\s+to|revisited|"
        rf"(?:keep|kept|keeps)\s+(?:coming|going)\s+back\s+to)\s+"
        rf"(?:{ENGAGED_OBJECT})",
        _FLAGS,
    ),
]

SUGGESTIONS = {
    "trap": "How useful was {thing}? Which parts would you like to talk through in more detail?",
    "surveillance": "What would be most useful to talk through about {thing}?",
}
_THING = re.compile(
    r"\b(?:my|our|the)\s+((?:pricing\s+)?(?:proposal|deck|slides|case\s+study|whitepaper|white\s+paper|quote|"
    r"contract|overview|one-pager|brochure|presentation|demo|video|report|summary|pricing))\b",
    re.IGNORECASE,
)
_SENTENCE = re.compile(r"[^.?!\n]+(?:[.?!]+|\n|$)")


def _fold(text: str) -> str:
    """Lower case with plain quotes, one character for one, so offsets stay the same."""
    table = str.maketrans(
        {"\u2019": "'", "\u2018": "'", "\u201c": '"', "\u201d": '"', "\u00b4": "'", "`": "'"}
    )
    folded = text.translate(table)
    return "".join(c.lower() if len(c.lower()) == 1 else c for c in folded)


def _sentences(text: str) -> Iterator[tuple[int, int]]:
    for match in _SENTENCE.finditer(text):
        if match.group(0).strip():
            yield match.start(), match.end()


_WH = re.compile(r"\b(?:what|which|how|where|when|who|whom|why)\b")


def _counts(kind: str, sentence: str, match: re.Match[str]) -> bool:
    """A closed-question match inside an open question ("Which parts did you read?") is fine."""
    return kind != "trap" or _WH.search(sentence[: match.start()]) is None


def _suggestion(kind: Kind, sentence: str) -> str:
    thing = _THING.search(sentence)
    noun = f"the {thing.group(1).lower()}" if thing else "the information I sent over"
    return SUGGESTIONS[kind].format(thing=noun)


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start] in " \t\n,.;:!?-":
        start += 1
    while end > start and text[end - 1] in " \t\n,;:-":
        end -= 1
    return start, end


def lint(text: str) -> list[Finding]:
    """Every trap question and surveillance reveal in ``text``, in order of appearance.

    Spans are offsets into ``text`` itself; ``excerpt == text[start:end]``. Each finding
    carries a suggestion that passes the lint.
    """
    folded = _fold(text)
    findings: list[Finding] = []
    for sentence_start, sentence_end in _sentences(folded):
        sentence = folded[sentence_start:sentence_end]
        for kind, patterns in (("trap", TRAP_PATTERNS), ("surveillance", SURVEILLANCE_PATTERNS)):
            match = next(
                (m for p in patterns for m in p.finditer(sentence) if _counts(kind, sentence, m)),
                None,
            )
            if match is None:
                continue
            start, end = _trim(text, sentence_start + match.start(), sentence_start + match.end())
            if kind == "trap":  # the whole closed question is the finding
                end = _trim(text, start, sentence_end)[1]
                if end < len(text) and text[end : end + 1] == "?":
                    end += 1
            findings.append(
                Finding(
                    kind=kind,  # type: ignore[arg-type]
                    start=start,
                    end=end,
                    excerpt=text[start:end],
                    why=WHY[kind],
                    suggestion=_suggestion(kind, sentence),  # type: ignore[arg-type]
                )
            )
    findings.sort(key=lambda f: (f.start, f.kind))
    return findings
