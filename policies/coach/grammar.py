"""The lint's grammar: named parts built from the lexicon, and the patterns made of them.

The patterns run over one folded sentence at a time (see :mod:`policies.coach.spans`).
Each part names a role in the sentence rather than a phrasing: who is asked about
(``SUBJECT``, ``ACTOR``), what the rep sent (``SENT_THING``), reading verbs (``READ``),
opportunity phrases (``CHANCE``), presumption and observation markers, and tracking
evidence (``TRACKED``, ``COUNT``, ``WHEN``, ``DEVICE``).
"""

from __future__ import annotations

import re

from policies.coach.lexicon import (
    ARTEFACT,
    HEDGE,
    NOT,
    PEOPLE,
    REPORTS,
    THIRD_PARTY,
    TOOL_BRAND,
    TOOL_NAME,
    WEB_PLACE,
    YOU,
    any_of,
    words,
)

# ---------------------------------------------------------------------------------------
# Who. The prospect, as reps address them: "you", text-speak, groups and colleagues.
# ---------------------------------------------------------------------------------------
SUBJECT = any_of(
    rf"{YOU}(?:\s+(?:guys|all|two|folks|both))?(?:\s+and\s+(?:your|the|ur)\s+[a-z]+)?",
    r"y'?all\b",
    rf"(?:your|ur|the)\s+(?:[a-z]+\s+)?{PEOPLE}",
    r"(?:any|some)(?:one|body)\s+(?:on|at|from|in)\s+(?:your|ur)\s+[a-z]+",
)
# Someone tracking could have seen: the prospect, their colleagues, "someone at Globex".
ACTOR = any_of(
    rf"{SUBJECT}(?:\s+[a-z]+(?=\s+(?:has|had|just|also|clicked|opened|viewed|visited|downloaded)\b))?",
    r"(?:(?:multiple|several|a\s+few|two|three|some|many)\s+)?"
    r"(?:someone|somebody|people|persons|a\s+person|one\s+of\s+your\s+[a-z]+)\s+(?:at|from|on|in)\s+(?:[a-z0-9&.'-]+\s*){1,2}?",
)
# "you've", "you'd", "u have": the perfect after a subject, written every which way.
PERFECT = r"(?:\s*'?\s*(?:ve|d)\b|\s+(?:have|had|hav|hv)\b)"
# Adverbs a closed question carries without changing what it asks.
ADVERBS = (
    r"(?:(?:ever|already|yet|even|actually|maybe|perhaps|possibly|just|finally|quickly|"
    r"properly|briefly|not|by\s+any\s+chance|at\s+all|also|both)\s+){0,3}"
)
TO = r"(?:to|2)\b"

# ---------------------------------------------------------------------------------------
# What the rep sent. Possessives ("my email", "our latest deck") take any modifier;
# "the"/"that" only known modifiers ("the revised quote", not "the Gartner report"),
# unless a relative clause says the rep sent it ("the numbers I sent").
# ---------------------------------------------------------------------------------------
NOT_THEIRS = (
    r"(?!(?:\s+[a-z]+){0,2}?\s+(?:of\s+(?:your|ur|the|his|her|their|a|an)\b|(?:from|by)\s+(?!(?:me|us|my|our\s+(?:side|end|team)|"
    r"last|this|yesterday|earlier|monday|tuesday|wednesday|thursday|friday|saturday|sunday|the\s+other)\b)))"
    # "the launch video Apple put out": made by someone else.
    r"(?!(?:\s+(?:that|which))?\s+(?!(?:i|we|me|us)\b)[a-z0-9&'-]+(?:\s+[a-z0-9&'-]+)?\s+"
    r"(?:put\s+out|published|released|posted|wrote|made|produced|launched|announced|ran)\b)"
)
# "get the invoice paid", "get the contract signed": an errand, not a reading.
NOT_DONE = (
    r"(?!\s+(?:paid|signed|approved|processed|sorted|done|fixed|set\s+up|booked|renewed|"
    r"countersigned|over\s+the\s+line|back|published|finali[sz]ed))"
)
SENT_BY_ME = (
    r"(?:that\s+|which\s+)?(?:i|we)(?:\s*'(?:ve|d)|\s+have|\s+had)?\s+"
    r"(?:(?:just|recently|already|also)\s+)?"
    r"(?:sent|shared|emailed|e-mailed|mailed|attached|forwarded|linked|mentioned|dropped|"
    r"put\s+together|prepared|included|posted|left|texted|promised|pinged|passed\s+on)\b"
)
_SENT_THING = any_of(
    rf"(?:my|our|me)\s+(?:[a-z'-]+\s+){{0,2}}?{ARTEFACT}",
    rf"(?:the|that|this|those|these)\s+(?!{THIRD_PARTY})(?:[a-z0-9&'-]+\s+){{0,3}}?{ARTEFACT}{NOT_THEIRS}{NOT_DONE}",
    rf"(?:the|that|this|those|these|a|an|some)\s+(?:[a-z'-]+\s+){{0,3}}?[a-z'-]+\s+{SENT_BY_ME}",
    rf"(?:what|anything|everything|all|the\s+stuff|the\s+things?)\s+{SENT_BY_ME}",
    r"(?:my|our)\s+(?:last|previous|latest|earlier)\b",
    r"(?:it|them)\b",
    r"(?:that|this)\b(?!\s+[a-z])",
    r"the\s+(?:rest|remainder)\b",
)
# "all of it", "the rest of the deck".
SENT_THING = (
    r"(?:(?:all|most|any|some|much|half|parts?|the\s+rest|the\s+whole|the\s+end)\s+of\s+)?"
    + _SENT_THING
)
# The same, as the subject of "did ... come through", "... got buried".
ARTEFACT_SUBJECT = any_of(
    rf"(?:my|our)\s+(?:[a-z'-]+\s+){{0,2}}?{ARTEFACT}",
    rf"(?:the|that|this)\s+(?!{THIRD_PARTY})(?:[a-z0-9&'-]+\s+){{0,3}}?{ARTEFACT}",
)

# ---------------------------------------------------------------------------------------
# Reading it. Verbs for taking in what was sent, prepositions folded in.
# ---------------------------------------------------------------------------------------
A_LOOK = (
    r"(?:a|an)\s+(?:(?:quick|proper|good|close|brief|first|little|long|real|full)\s+)?"
    r"(?:look|peek|glance|gander|read|skim|listen|once-over|squiz)(?:\s+(?:at|of|through|over|to|into))?"
)
READ = (
    any_of(
        r"(?:read|readed|reed|red)(?:\s+(?:through|thru|over))?",
        r"(?:see|saw|seen|c)",
        r"open(?:ed)?(?:\s+up)?",
        r"review(?:ed)?",
        r"look(?:ed)?\s+(?:at|over|through|thru|into)",
        rf"(?:take|took|taken|have|had|get|got|gotten)\s+{A_LOOK}",
        r"(?:go|went|gone|get|got|gotten|been|work|worked|make|made)\s+(?:it\s+)?(?:through|thru|over)",
        r"check(?:ed)?(?:\s+(?:out|over))?",
        r"glance[d]?\s+(?:at|over|through)",
        r"skim(?:med)?(?:\s+(?:through|over))?",
        r"peruse[d]?",
        r"(?:flick|flicked|leaf|leafed|thumb|thumbed|browse[d]?|scan|scanned)\s+(?:through|over)",
        r"digest(?:ed)?",
        r"(?:dig|dug)\s+into",
        r"(?:receive[ds]?|recieve[ds]?|recive[ds]?)",
        r"(?:get|got|gotten)",
        r"(?:catch|caught|notice[d]?)",
        r"watch(?:ed)?",
        r"finish(?:ed)?",
        r"listen(?:ed)?\s+to",
        r"download(?:ed)?",
        r"visit(?:ed)?",
        r"access(?:ed)?",
        r"click(?:ed)?(?:\s+(?:on|through))?",
        r"play(?:ed)?",
    )
    + r"\b"
)
READING = (
    any_of(
        r"reading(?:\s+(?:through|thru|over))?",
        r"(?:seeing|opening|reviewing|checking(?:\s+out)?|watching|digesting|skimming|downloading)",
        r"looking\s+(?:at|over|through|into)",
        r"(?:going|getting|working)\s+(?:through|thru|over)",
        r"(?:taking|having|getting)\s+" + A_LOOK,
        r"listening\s+to",
        r"digging\s+into",
    )
    + r"\b"
)
# "get a chance to", "had time to", "get round to", "were able to": the polite wrapper.
CHANCE = any_of(
    r"(?:get|got|gotten|getting|had|have|has|having|find|found|take|took)\s+(?:a\s+|the\s+|any\s+|some\s+|an\s+)?"
    r"(?:quick\s+|spare\s+|free\s+)?(?:chance|change|moment|minute|min|sec|second|time|opportunity|opp|mo)\s+"
    rf"(?:{TO}|for\b)",
    r"(?:get|got|gotten|getting)\s+(?:a\s+)?(?:round|around)\s+to\b",
    r"(?:get|got|gotten)\s+to\b",
    rf"manage[d]?\s+{TO}",
    r"happen(?:ed)?\s+to\b",
    r"(?:been\s+|be\s+)?able\s+to\b",
    r"end(?:ed)?\s+up\b",  # "did you end up watching the recording"
)
# "had a chance" with nothing after it: a presumption only when the clause ends there.
CHANCE_NAMED = r"(?:(?:had|got|gotten|get|have|found)\s+)?(?:a\s+|the\s+|any\s+)?(?:chance|time|minute|moment)\b"
# Either a reading verb, or an opportunity phrase then (maybe) one: "got round to the deck".
# "received and reviewed": two reading verbs, coordinated.
TAKE_IN = (
    rf"(?:(?:{CHANCE}\s+){{1,2}}{ADVERBS}(?:(?:{READ}|{READING})\s+)?|"
    rf"(?:{READ}\s+(?:and|or|&)\s+(?:(?:then|also)\s+)?)?{READ}\s+)"
)
# Nothing follows the verb but the end of the clause: "Have you seen it yet?".
CLAUSE_END = r"(?=\s*(?:yet|already|at\s+all|either|properly|now|too)?\s*(?:[,.?!;:\-]|$))"
# A closed-question tag: "..., right?", "..., didn't you?".
TAG = rf"(?:right|yes|yeah|yea|correct|no|ok|okay|surely|(?:did|didn'?t|have|haven'?t|had|hadn'?t)\s+{YOU})"

# Where a clause starts: sentence start, after punctuation, or after a greeting.
CLAUSE_START = r"(?:^\s*|[,;:\-\u2013\u2014(]\s*|\b(?:hey|hi|hello|morning|so|and|but|ok|okay|well|oh)\b[\s,!]*)"

# ---------------------------------------------------------------------------------------
# Trap questions.
# ---------------------------------------------------------------------------------------
QUESTION_AUX = any_of(
    words(
        "did didn't didnt have haven't havent hv has hasn't hasnt had hadn't hadnt were "
        "weren't was wasn't any_chance"
    )
    + rf"\s+{SUBJECT}{PERFECT}?",
    # Non-native "Could you already check my offer?" asks whether it has happened.
    rf"(?:could|can)\s+{YOU}(?=\s+already\b)",
)
# Whoever asks "whether you saw it" is asking if you saw it.
ASK_IF = any_of(
    r"(?:see|check|know|wonder|wondering|wondered|curious|ask|asking|confirm|sure|certain|"
    r"find\s+out|tell\s+me|hear|unsure|idea|clear|checking|check\s+in|learn|understand|"
    r"letting\s+me\s+know|let\s+me\s+know|confirming|knowing|to\s+know|to\s+hear|to\s+learn)\s+"
    r"(?:if|whether)",
    r"(?:confirmation|to\s+confirm|to\s+hear|to\s+know|a\s+quick\s+(?:yes|note|word))\s+(?:that|whether|if)",
    r"(?:confirm(?:ing)?|making\s+sure|make\s+sure|double[-\s]?check(?:ing)?|verify(?:ing)?|"
    r"ensure|ensuring|check(?:ing)?)(?:\s+that)?(?=\s+(?:you|u)\b)",
    # "I'm not sure you've seen it": the doubt is the question, "if" or not.
    r"(?:not|n'?t)\s+(?:sure|certain)(?=\s+(?:you|u)\b)",
)
# "I'm guessing", "I'd imagine", "chances are": the rep presumes, inviting agreement.
PRESUME = any_of(
    r"(?:i|we)(?:\s*'m|\s+am|m|\s*'d|\s+would|\s+can|\s+could)?\s+(?:assume|assuming|guess|guessing|imagine|"
    r"imagining|bet|betting|suppose|supposing|figure[d]?|figuring|suspect|expect|presume|"
    r"reckon|think|thinking|going\s+to\s+guess|gonna\s+guess|take\s+it|sure|certain)",
    r"(?:i'?m|im|i\s+am)\s+(?:sure|certain)",
    r"(?:chances|odds)\s+are",
    r"my\s+(?:guess|hunch|feeling|sense|bet|suspicion)\s+is(?:\s+that)?",
    r"(?:i|we)\s+(?:have\s+a\s+feeling|fear)|(?:i'?m|i\s+am)\s+afraid",
    r"(?:i|we)(?:\s*'m|\s+am)?\s+(?:going\s+to|gonna|will|'ll)\s+(?:guess|assume|bet|presume)",
    r"presumably|no\s+doubt",
)
DOUBT = r"(?:i|we)\s+(?:doubt|don'?t\s+(?:suppose|imagine|expect|think|know\s+if))"
# Where what was sent ends up unread.
LOST = any_of(
    r"(?:got|gotten|get|been|was|went|ended\s+up|end\s+up|slipped|fell|fallen|landed|disappeared|"
    r"'s|is|are|'re)\s+(?:(?:probably|likely|just)\s+)?"
    r"(?:lost|buried|(?:in|into|to)\s+(?:your|ur|the)\s+(?:spam|junk|promotions|clutter|trash)|"
    r"through\s+the\s+cracks|under\s+the\s+radar|stuck|caught\s+in|filtered|missed|overlooked)",
    r"(?:ended\s+up|end\s+up|went|go|gone|landed|land)\s+(?:in|into|to)\s+(?:spam|junk)",
    r"(?:sitting\s+)?(?:unread|unopened)",
    # No reading verb, still a presumption: "still sitting on your to-do list".
    r"(?:still\s+)?sitting\s+(?:on|in|at|around)\s+(?:your|ur|the)\b",
    r"(?:on|at)\s+(?:the\s+bottom\s+of\s+)?(?:your|ur)\s+(?:[a-z'-]+\s+)?(?:to-?do|todo|reading)\s+(?:list|pile)",
    r"(?:on\s+the\s+)?back\s+burner",
    r"(?:slipped|slip|slid|got|gone|went|passed|flew|fell)\s+(?:right\s+)?(?:past|by)\s+(?:you|u)\b",
    r"(?:escaped|missed)\s+your\s+(?:notice|attention|radar|inbox)",
    r"(?:flew|slipped|went|gone)\s+under\s+(?:your|the)\s+radar",
    r"(?:hasn'?t|haven'?t|has\s+not|have\s+not|not|didn'?t|never)\s+(?:quite\s+|yet\s+)?(?:made\s+it|make\s+it|got|gotten|risen|reached)"
    r"\s+(?:to|onto|up)\s+(?:the\s+top\s+of\s+)?(?:your|ur)\b",
)
# What may stand between "my email" and "got lost": "may have", "probably just".
MAYBE = (
    r"(?:(?:probably|likely|may|might|must|could|would|have|has|had|just|already|somehow|did|didn'?t|"
    r"not|never|hopefully|maybe|possibly|simply|accidentally|still|is|are|'ve|'s)(?:\s+|(?='))){0,3}"
)
INBOX = (
    r"\s+(?:in|among|under|into|to)\s+(?:your|ur|the|all\s+your)\s+(?:[a-z]+\s+)?"
    r"(?:inbox|e-?mails?|mail|spam|junk|shuffle|pile|noise|messages|folder)"
)
# "it" alone is what was sent only when it is lost somewhere an email goes.
LOST_AT = any_of(
    LOST + INBOX,
    r"(?:got|gotten|get|been|was|went|ended\s+up|end\s+up|landed)\s+(?:in|into|to)\s+(?:your|ur|the)\s+"
    r"(?:spam|junk|promotions|clutter|trash)",
)
# "my note about the pilot": what it was about, before what became of it.
ABOUT = (
    r"(?:\s+(?:about|on|re|regarding|with|from|for)(?:\s+[a-z0-9'-]+){1,3}?|"
    r"\s+(?:that\s+|which\s+)?(?:i|we)(?:\s*'ve|\s+have)?\s+(?:sent|shared|emailed|attached|forwarded|"
    r"mentioned|promised|put\s+together|prepared|dropped)(?:\s+[a-z0-9'-]+){0,4}?)?"
)
ARRIVE = any_of(
    r"make\s+it|made\s+it|arrive[d]?|come\s+through|came\s+through|go\s+through|went\s+through",
    r"reach(?:ed)?(?:\s+you)?|land(?:ed)?|get\s+(?:to\s+you|through)|got\s+(?:to\s+you|through)",
)

# Verbs that, asked about, are nearly always about something sent: "review the X",
# "go through the X". Any noun phrase after "the" will do ("the pen test findings").
STRONG_READ = (
    any_of(
        r"review(?:ed)?",
        r"(?:read|look(?:ed)?|go|went|gone|get|got|gotten|work(?:ed)?)\s+(?:through|thru|over)",
        r"look(?:ed)?\s+at",
        r"(?:skim(?:med)?|digest(?:ed)?|peruse[d]?)(?:\s+(?:through|over))?",
        r"(?:dig|dug)\s+into",
        r"(?:sit|sat)\s+down\s+with",
        rf"(?:take|took|taken|have|had|get|got|gotten)\s+{A_LOOK}",
    )
    + r"\b"
)
ANY_THE = rf"(?:the|that|this|those|these)\s+(?!{THIRD_PARTY}|(?:news|game|match|weather|headlines?)\b)[a-z0-9&'-]+(?:\s+[a-z0-9&'-]+){{0,3}}?{NOT_DONE}\b"
TRAP_PATTERNS = [
    # Did you read my email? Have you had a chance to look at the proposal? Did u c it?
    re.compile(rf"\b{QUESTION_AUX}\s+{ADVERBS}{TAKE_IN}{ADVERBS}{SENT_THING}"),
    # Have you seen it yet? Did you get a chance to take a look? (nothing named)
    re.compile(
        rf"\b{QUESTION_AUX}\s+{ADVERBS}(?:(?:{CHANCE}\s+){{1,2}}{ADVERBS})?"
        rf"(?:read|seen|see|saw|opened|open|reviewed|review|looked|look|checked|"
        rf"(?:take|have|had|get|give\s+it)\s+{A_LOOK}|go\s+through|dig\s+in)\b"
        rf"(?:\s+(?:yet|already|at\s+all|over\s+the\s+weekend))?\s*(?:\?|$)"
    ),
    # Did you give the proposal a read?
    re.compile(
        rf"\b{QUESTION_AUX}\s+{ADVERBS}(?:{CHANCE}\s+)?(?:give|gave|given)\s+{SENT_THING}\s+"
        rf"(?:a|an)\s+(?:quick\s+|proper\s+)?(?:read|look|glance|skim|once-over|listen)"
    ),
    # Questions with no auxiliary, closed by "?" or a tag: "You have read my proposal?",
    # "Hey Sam, you get a chance to read my email?", "You did get my email, right?".
    re.compile(
        rf"{CLAUSE_START}{SUBJECT}{PERFECT}?\s+(?:(?:did|didn'?t|didnt|have|haven'?t|havent|"
        rf"had|got|never|already|probably|surely)\s+)?{ADVERBS}{TAKE_IN}{ADVERBS}{SENT_THING}"
        rf"[^.?!,]*(?:,\s*{TAG})?\s*\?"
    ),
    # "Had a chance to read my email?", "Seen my deck?", "Any luck reading through the deck?"
    re.compile(
        rf"{CLAUSE_START}(?:(?:{CHANCE}\s+){{1,2}}(?:{READ}\s+)?|(?:seen|saw|read|got|get|see|c)\s+)"
        rf"(?:{SENT_THING}\s*)?(?:yet|already)?\s*\?"
    ),
    re.compile(rf"\bany\s+luck\s+(?:with\s+)?(?:{READING}\s+)?{SENT_THING}"),
    # Did my email come through? Has the proposal reached you? Did my note get buried?
    re.compile(
        rf"\b(?:did|has|have|had)\s+(?:{ARTEFACT_SUBJECT}{ABOUT}|it)\s+(?:(?:ever|actually|already|all)\s+)?"
        rf"(?:{ARRIVE}|(?:get|got|gotten|been|go|end\s+up)\s+(?:lost|buried|missed|stuck|overlooked|"
        rf"(?:in|into|to)\s+(?:your|the)\s+(?:spam|junk)))\b"
    ),
    # Asked indirectly: "Just checking whether you read my email", "Let me know if you got it",
    # "Not sure if my last note reached you", "No worries if you haven't had a chance".
    re.compile(
        rf"\b{ASK_IF}\s+{SUBJECT}{PERFECT}?\s+(?:(?:have|had|did|were|ever|already|got|been|"
        rf"managed|happened|not|haven'?t|havent|didn'?t|didnt|never)\s+){{0,2}}{ADVERBS}"
        rf"(?:{TAKE_IN}{ADVERBS}(?:{SENT_THING}|{CLAUSE_END})|{CHANCE_NAMED}{CLAUSE_END})"
    ),
    re.compile(
        rf"\b(?:(?:sure|wonder(?:ing)?|curious|check(?:ing)?|see|confirm|certain)\s+(?:(?:if|whether|that)\s+)?|"
        rf"know\s+(?:if|whether)\s+)(?:{ARTEFACT_SUBJECT}|it)\s+(?:(?:ever|actually|even)\s+)?{ARRIVE}\b"
    ),
    # Feigned ignorance: "You haven't read my email yet, have you?", "I'm guessing you
    # haven't looked", "You've probably not had time to read it", "Probably haven't...".
    re.compile(
        rf"(?:\b{SUBJECT}{PERFECT}?\s+(?:{HEDGE}\s+)?|{CLAUSE_START}(?:{HEDGE}\s+)?)"
        rf"{NOT}\s+(?:{HEDGE}\s+)?(?:have\s+)?(?:even\s+|yet\s+|actually\s+|really\s+)?"
        rf"(?:{TAKE_IN}{ADVERBS}(?:{SENT_THING}|{CLAUSE_END})|{CHANCE_NAMED}{CLAUSE_END}|look(?:ed)?{CLAUSE_END})"
    ),
    re.compile(
        rf"\b{DOUBT}\s+(?:(?:that|if|whether)\s+)?{SUBJECT}{PERFECT}?\s+(?:(?:have|had|did|ever)\s+)?"
        rf"(?:{TAKE_IN}{ADVERBS}(?:{SENT_THING}|{CLAUSE_END})|{CHANCE_NAMED}{CLAUSE_END})"
    ),
    # "I figured you were too busy to read it", "I know you're swamped, so you likely missed it".
    re.compile(
        rf"\b{SUBJECT}\s*(?:were|was|are|'re|re|'ve\s+been|have\s+been|must\s+be|must\s+have\s+been)\s+"
        rf"(?:(?:probably|likely|just|so|too|way\s+too|pretty|really)\s+){{0,2}}"
        rf"(?:busy|swamped|slammed|snowed\s+under|flat\s+out|buried)\s+(?:to|for)\s+(?:{READ}\b|{SENT_THING})"
    ),
    re.compile(
        rf"\b{SUBJECT}{PERFECT}?\s+(?:(?:{HEDGE}|must|may|might|could|must'?ve|might'?ve|may'?ve|"
        rf"could'?ve|have)\s+){{0,2}}(?:missed|overlooked|skipped|passed\s+over|lost\s+track\s+of)\s+"
        rf"{SENT_THING}"
    ),
    re.compile(
        rf"\bin\s+case\s+{SUBJECT}{PERFECT}?\s+(?:missed|overlooked|skipped|{NOT}\s+(?:seen|see|got|get|"
        rf"read|received|opened))"
    ),
    # "I'm guessing it got lost in your inbox", "It probably ended up in your spam folder",
    # "I imagine my email got buried".
    re.compile(
        rf"\b(?:{ARTEFACT_SUBJECT}{ABOUT}\s+{MAYBE}{LOST}|(?:it|they)(?:\s+{MAYBE}|\s*(?=')){LOST_AT})"
    ),
    re.compile(
        rf"\b{PRESUME}\s+(?:that\s+)?(?:{ARTEFACT_SUBJECT}{ABOUT}|it|they)\s+{MAYBE}"
        rf"(?:{LOST}|(?:{NOT}|never)\s+(?:{ARRIVE}|got\s+to\s+you))"
    ),
]

# ---------------------------------------------------------------------------------------
# Surveillance reveals.
# ---------------------------------------------------------------------------------------
ON_OUR = rf"(?:on|to)\s+(?:(?:our|my)\b|the\s+(?:[a-z-]+\s+){{0,2}}?{WEB_PLACE})"
# Acts that only tracking sees; they need no object to give the game away.
TRACKED_ALWAYS = any_of(
    r"click(?:ed|ing)?\b(?!\s+with\b)(?:\s+(?:on|through|thru))?",  # not "clicked with the team"
    r"download(?:ed|ing)?",
    r"view(?:ed|ing)",
    r"forward(?:ed|ing)",
    rf"(?:been|were|was|are|'re|re)\s+(?:{ON_OUR}|back\s+{ON_OUR}|viewing|clicking|opening|browsing|reading|"
    r"checking|looking|going\s+through|spending|researching|digging|poking|comparing|exploring|"
    r"studying|hanging\s+out|scrolling|visiting|watching|downloading|returning|revisiting)",
    r"(?:came|come|coming|went|gone|going)\s+back",
    rf"back\s+{ON_OUR}",  # "good to see you back on our site"
    r"(?:been|were|was|are|'re|re)\s+all\s+over\s+(?:our|my|the)\b",
    r"(?:keep|kept|keeps)\s+(?:coming|going|clicking|checking|looking|opening)",
    r"return(?:ed|ing)|revisit(?:ed|ing)",
    # "spent 10 minutes", "spent a long time", "spending ages": time on the page.
    r"spen(?:[dt]|ding)\s+(?:[a-z0-9]+\s+){0,3}?(?:time|minutes?|mins?|hours?|hrs?|while|ages|seconds?|secs?|"
    r"a\s+lot|a\s+bit)\b",
    r"brows(?:ed|ing)|compar(?:ed|ing)\s+(?:our|the|my)|research(?:ed|ing)\s+(?:our|the|my)",
    r"scroll(?:ed|ing)|hover(?:ed|ing)|(?:engag|interact)(?:ed|ing)\s+with|landed\s+on|pull(?:ed)?\s+up",
    r"access(?:ed|ing)",
)
# Acts that are tracking only when their object is ours: "opened the deck", not "opened an office".
TRACKED_IF_OURS = any_of(
    r"open(?:ed|ing)?(?:\s+up)?",
    r"read(?:ing)?(?:\s+(?:through|over))?",
    r"look(?:ed|ing)?\s+(?:at|over|through|into)",
    r"check(?:ed|ing)?(?:\s+out)?",
    r"watch(?:ed|ing)?",
    r"visit(?:ed|ing)?",
    r"shar(?:ed|ing)",
    r"seen|saw",
    r"(?:went|gone|got)\s+(?:to|through|into)",
    r"(?:had|taken|took|have|got|gotten)\s+" + A_LOOK,
    r"(?:dug|dig|digging)\s+into",
    r"hit|hitting",
)
OUR_THING = any_of(
    rf"(?:my|our|the|that|this|those|these)\s+(?:[a-z0-9'-]+\s+){{0,3}}?(?:{WEB_PLACE}|{ARTEFACT})",
    r"(?:every|each|all|several|some|both|one|two|three|four|five)\b",
    r"(?:a\s+few|a\s+couple|most|half|much|parts?|\d+\s*%)\s+of\b",
    r"(?:it|them)\b",
    rf"[a-z-]+\s+{WEB_PLACE}",
)
TRACKED = any_of(
    TRACKED_ALWAYS,
    rf"{TRACKED_IF_OURS}(?=\s+(?:(?:on|to|through|thru|at|into|in)\s+)?{OUR_THING})",
)
# What the actor carries before the act: "you've just", "your team has also".
ACT_AUX = r"(?:\s*'(?:ve|d|s)\b|\s+(?:have|has|had|just|already|recently|also|finally|actually|even|obviously|clearly|again)\b)*(?:\s+|(?='))"

# The rep tells what they observed.
OBSERVE = any_of(
    r"(?:i|we)(?:\s*'ve|\s+have|\s*'d|\s+had)?\s+(?:(?:just|also|can|could|did|do|already|recently|"
    r"actually|definitely)\s+){0,2}(?:see|saw|seen|seeing|notice[d]?|noticing|spotted|spot|observed|"
    r"tracked|noted|tell|know|knew|realised|realized|c|picked\s+up(?:\s+on)?)",
    r"(?:i|we)\s+(?:was|were|got|get|have\s+been|'ve\s+been|just\s+got)\s+(?:pinged|notified|alerted|told)",
    r"(?:it\s+)?(?:looks|seems|looked|seemed|appears|appeared)(?:\s+(?:like|as\s+if|as\s+though|that))?",
    r"apparently",
    r"(?:glad|great|good|nice|happy|lovely|pleased|awesome|cool|exciting|thrilled|fantastic)"
    r"(?:\s+(?:to\s+(?:see|notice|know)|that))?",
)
# Chat style, with no "I": "Saw you opened the deck", "Hey! Noticed you clicked".
BARE_OBSERVE = (
    rf"{CLAUSE_START}(?:just\s+)?(?:noticed|noticing|saw|spotted|seeing|see|seen|observed)"
)
FROM_MY_END = (
    rf"(?:\s+(?:from|on|in|via|through)\s+(?:my|our)\s+(?:[a-z-]+\s+)?(?:end|side|screen|{TOOL_NAME}))?"
    # "that you opened", "when you opened", "the moment you clicked".
    r"\s+(?:(?:that|when|as\s+soon\s+as|the\s+moment|the\s+second|once|how)\s+)?"
)
TOOL = any_of(
    rf"(?:my|our|the)\s+(?:[a-z0-9-]+\s+){{0,2}}?{TOOL_NAME}",
    rf"{TOOL_BRAND}(?:\s+{TOOL_NAME})?",
)
# What was sent or a page of ours, possibly narrowed: "the link in my email".
PASSIVE_SUBJECT = any_of(
    ARTEFACT_SUBJECT, r"it\b", rf"(?:my|our|the)\s+(?:[a-z-]+\s+){{0,2}}?{WEB_PLACE}"
) + (r"(?:\s+(?:in|from|on|of)\s+(?:my|our|the)\s+(?:[a-z-]+\s+){0,2}?[a-z-]+)?")
BE_DONE = r"(?:was|were|got|gets|has\s+been|had\s+been|'s\s+been|have\s+been|being)\s+(?:(?:just|already|recently|finally)\s+)?"
PASSIVE_TRACKED = (
    BE_DONE
    + r"(?:opened|clicked|viewed|read|downloaded|visited|forwarded|shared|accessed|watched)\b"
)
# Without an observer only acts the rep could not have done themselves count.
PASSIVE_TRACKED_ONLY = (
    BE_DONE + r"(?:opened|clicked(?:\s+on)?|viewed|downloaded|visited|accessed|watched)\b"
)
COUNT = any_of(
    r"\b(?:\d+|a\s+few|several|ten|five|twenty|thirty|fifteen)\s*(?:minutes|mins|seconds|secs|hours|hrs)\b",
    r"\bhalf\s+an\s+hour\b|\ban\s+hour\b",
    r"\b(?:\d+|two|three|four|five|six|seven|eight|nine|ten|several|multiple|a\s+few|quite\s+a\s+few|"
    r"a\s+couple\s+of|a\s+couple|many|so\s+many|a\s+bunch\s+of|a\s+number\s+of|a\s+dozen|dozens\s+of)\s+(?:times|x)\b",
    r"\b\d+\s?x\b|\btwice\b|\bthrice\b|\bagain\s+and\s+again\b|\bover\s+and\s+over\b|\brepeatedly\b",
    r"\bmore\s+than\s+once\b|\b(?:quite\s+)?a\s+lot\b|\b(?:loads|heaps|a\s+ton|tons|non-?stop)\b|\bevery\s+(?:day|morning|night|week)\b|\bdaily\b",
    r"\bagain\b",
)
WHEN = any_of(
    r"\bat\s+\d{1,2}(?::\d\d)?\s?(?:am|pm|a\.m\.|p\.m\.)?",
    r"\b\d{1,2}(?::\d\d)?\s?(?:am|pm)\b",
    r"\b(?:last|yesterday|this|sunday|saturday|friday)\s+(?:night|evening|morning|afternoon)\b",
    r"\blate\s+(?:at\s+night|last\s+night)\b|\bat\s+(?:midnight|lunch)\b|\bin\s+the\s+middle\s+of\s+the\s+night\b",
    r"\bon\s+(?:the\s+)?(?:weekend|saturday|sunday|monday|tuesday|wednesday|thursday|friday)\b",
    r"\bover\s+the\s+weekend\b|\byesterday\b|\btoday\b|\bright\s+after\s+i\s+sent\b",
    r"\bwithin\s+(?:minutes|seconds|an\s+hour)\b|\bminutes\s+after\b",
)
DEVICE = any_of(
    r"\b(?:on|from|using)\s+(?:your|an?|the|ur)\s+(?:[a-z]+\s+)?(?:iphone|phone|ipad|mobile|cell|android|laptop|"
    r"desktop|tablet|mac|pc|computer|device)\b",
    r"\bfrom\s+(?:your|ur)\s+(?:[a-z]+\s+)?(?:office|home|hotel|location)\b",
    r"\bfrom\s+(?:[a-z]+\s+)?(?:office|city|location)\b",
    r"\bfrom\s+(?:munich|london|berlin|paris|new\s+york)\b",
)
EVIDENCE = any_of(COUNT, WHEN, DEVICE)
# Engagement counted as a noun: "three opens", "your visits to our site".
ENGAGEMENT_NOUN = (
    r"(?:opens|clicks|visits|views|page\s*views|pageviews|downloads|sessions|click-throughs)\b"
)

SURVEILLANCE_PATTERNS = [
    # I saw you opened my email / We noticed you've been on the pricing page / Looks like you
    # opened the proposal / Glad to see you opened it / I saw someone from your team clicked.
    re.compile(
        rf"(?:\b{OBSERVE}|{BARE_OBSERVE}){FROM_MY_END}{ACTOR}{ACT_AUX}"
        rf"(?:(?:had|got|found|get|took)\s+(?:a|the)\s+(?:chance|time|moment)\s+to\s+)?{TRACKED}"
    ),
    # My system shows you opened it / Our tool shows the deck was opened 6 times.
    re.compile(
        rf"\b{TOOL}\s+{REPORTS}\s+(?:(?:that|me)\s+)?(?:{ACTOR}{ACT_AUX}"
        rf"(?:{TRACKED}|{TRACKED_IF_OURS}|visit(?:ed)?|open(?:ed)?)|"
        rf"{PASSIVE_SUBJECT}\s+{PASSIVE_TRACKED}|(?:\w+\s+){{0,2}}{ENGAGEMENT_NOUN})"
    ),
    # I saw that my email was opened / Looks like the proposal was opened by someone.
    re.compile(
        rf"\b(?:{OBSERVE}|{TOOL}\s+{REPORTS}){FROM_MY_END}"
        rf"{PASSIVE_SUBJECT}\s+{PASSIVE_TRACKED}"
    ),
    # The proposal has been viewed 14 times by your team / My email was opened on an iPhone.
    re.compile(
        rf"{CLAUSE_START}{PASSIVE_SUBJECT}(?:\s+|(?=')){PASSIVE_TRACKED_ONLY}[^.?!]{{0,60}}?"
        rf"(?:{EVIDENCE}|\bby\s+(?:{ACTOR}))"
    ),
    # Judging by your clicks / Going by your visits: the evidence named as the reason.
    re.compile(
        r"\b(?:judging|going)\s+(?:by|from|off)\s+(?:all\s+)?(?:your|ur|the)\s+(?:[a-z-]+\s+){0,2}?"
        rf"(?:{ENGAGEMENT_NOUN}|click|visit|open|activity|engagement|browsing|behaviou?r)"
    ),
    # You seem really interested in our pricing page: interest inferred from page views.
    re.compile(
        rf"\b{ACTOR}\s+(?:seem|seems|seemed|appear|appears|appeared)\s+(?:to\s+be\s+)?"
        r"(?:(?:really|very|quite|so|super|pretty)\s+)?(?:interested\s+in|keen\s+on|into)\s+"
        r"(?:my|our|the)\s+(?:[a-z-]+\s+){0,2}?(?:page|pages|site|website|blog|docs|portal|homepage)\b"
    ),
    # You seem to have opened the proposal.
    re.compile(
        rf"\b{ACTOR}\s+(?:seem|seems|seemed|appear|appears|appeared)\s+to\s+(?:have\s+)?{TRACKED}"
    ),
    # I got a notification that you opened my email / I got a read receipt.
    re.compile(
        r"\b(?:i|we)\s+(?:just\s+)?(?:got|received|get|had|have|saw)\s+(?:a|an|the)\s+"
        r"(?:[a-z-]+\s+){0,2}?(?:notification|alert|ping|notice|read\s+receipt)"
    ),
    # You opened it three times / You read my email on Saturday morning / on your iPhone.
    re.compile(
        rf"{CLAUSE_START}{ACTOR}{ACT_AUX}(?:re-?|[a-z]+-)?(?:{TRACKED}|{TRACKED_IF_OURS}|spen[dt])\b[^.?!]{{0,60}}?{EVIDENCE}"
    ),
    # You opened my email / Your company visited our pricing page / Someone at Globex has
    # been on our site (a tracked act stated as a fact at the start of a clause).
    re.compile(
        rf"{CLAUSE_START}{ACTOR}{ACT_AUX}(?:{TRACKED_ALWAYS}|"
        rf"(?:open(?:ed)?|view(?:ed)?|visit(?:ed)?|watch(?:ed)?)(?=\s+(?:(?:on|to|through|at)\s+)?{OUR_THING}))"
    ),
    # Since you read my email / Now that you've seen the proposal.
    re.compile(
        rf"\b(?:since|now\s+that|given\s+that|seeing\s+(?:as|that)|because|after)\s+{ACTOR}{ACT_AUX}"
        rf"(?:{TRACKED}|seen\s+{SENT_THING})"
    ),
    # Thanks for opening my email / Thanks for checking out our pricing page.
    re.compile(
        r"\b(?:thanks?\s+(?:you\s+)?(?:so\s+much\s+|again\s+)?for|appreciate[d]?\s+(?:you|u|your))\s+(?:opening|reading|clicking|checking\s+out|visiting|"
        r"viewing|downloading|looking\s+at|(?:taking|having)\s+"
        + A_LOOK
        + r"|spending\s+time\s+on|"
        r"watching|coming\s+back\s+to|forwarding|sharing)\s+(?:on\s+|through\s+)?" + OUR_THING
    ),
    # Welcome back to the proposal / to our pricing page.
    re.compile(rf"\bwelcome\s+back\s+to\s+(?:the|our|my)\s+(?:[a-z-]+\s+){{0,2}}?{WEB_PLACE}"),
    # Three opens / 5 clicks / several visits / your visits to our site.
    re.compile(
        r"\b(?:\d+|two|three|four|five|six|seven|eight|nine|ten|several|multiple|a\s+few|a\s+couple\s+of|many|"
        rf"repeat(?:ed)?|recent|your\s+(?:recent\s+|latest\s+|last\s+|many\s+)?)\s+{ENGAGEMENT_NOUN}"
        r"(?!\s+to\s+(?:our|the)\s+(?:office|booth|stand|event|hq|headquarters))"
    ),
    re.compile(
        r"\byour\s+(?:recent\s+|latest\s+|last\s+)?(?:visit|click|open|view|download)s?\s+(?:to|on|of)\s+"
        rf"(?:our|my|the)\s+(?:[a-z-]+\s+){{0,2}}?{WEB_PLACE}"
    ),
    re.compile(
        rf"\b{OBSERVE}{FROM_MY_END}(?:a|an|one|some|\d+|two|three|several|multiple|a\s+few)\s+"
        rf"(?:visits?|clicks?|opens?|views?|downloads?)\b"
    ),
]

# ---------------------------------------------------------------------------------------
# Wider shapes: subjects as a class, the passive, "something you saw", and reveals in
# which the observer and the tracked act stand several words apart.
# ---------------------------------------------------------------------------------------
# Whoever a question asks about: "you", "Marcus", "you and Priya", "Sarah in finance",
# "your InfoSec folks". Only used where a reading phrase must follow.
ASKED = any_of(
    SUBJECT,
    r"(?!(?:a|an|it|this|that|to|been|got|had|have|not|ever|any|some|time|chance|moment|minute|"
    r"opportunity|enough|no|much|plenty|lots)\b)"
    r"(?:(?:your|ur|the)\s+)?[a-z@][a-z0-9'@-]*(?:\s+[a-z][a-z'-]*)?"
    r"(?:\s+(?:and|in|from|on|at|of|for|over|&)\s+(?:(?:your|ur|the)\s+)?[a-z][a-z'-]*(?:\s+(?:team|dept|department|side|group|office))?)?",
)
OPEN_QUESTION_AUX = words(
    "did didn't didnt has hasn't hasnt have haven't havent had hadn't were weren't was wasn't"
)
# "Has Marcus had...": "was"/"were" take only "you" ("Were you able to"), or "I was
# alerted you clicked" would read as a question about "alerted".
ASKING_AUX = words("did didn't didnt has hasn't hasnt have haven't havent had hadn't")
# The auxiliary opens the clause when the subject is open ("Has Marcus had..."); with
# "you" it may stand anywhere ("@Ravi did you...").
ASKED_BY_AUX = any_of(
    rf"{CLAUSE_START}{ASKING_AUX}\s+{ASKED}",
    rf"\b{ASKING_AUX}\s+{SUBJECT}",
)
# "has the deck been reviewed", "did the answers get reviewed", "was the proposal read".
READ_DONE = (
    r"(?:a\s+(?:quick\s+|proper\s+|first\s+)?(?:look|read|glance|once-over|skim)|reviewed|read|re-read|looked\s+(?:at|over|through)|seen|opened|checked(?:\s+out)?|"
    r"gone\s+(?:through|over)|received|watched|viewed|digested|skimmed|gone\s+over)\b"
)
PASSIVE_READ = (
    rf"{CLAUSE_START}{OPEN_QUESTION_AUX}\s+(?:{ARTEFACT_SUBJECT}|it|they){ABOUT}\s+"
    r"(?:(?:ever|already|actually|yet|been|get|got|gotten|be|even|properly|all)\s+){0,3}"
    + READ_DONE
)
# "Was the product tour something you got to watch?"
SOMETHING_YOU = (
    rf"{CLAUSE_START}(?:was|is|were|are)\s+(?:{ARTEFACT_SUBJECT}|it){ABOUT}\s+(?:[a-z'-]+\s+){{0,2}}?"
    rf"(?:something|anything)\s+(?:that\s+)?{ASKED}{PERFECT}?\s+"
    rf"(?:(?:have|had|did|were|ever|already|been|managed|actually)\s+){{0,2}}"
    rf"(?:{TAKE_IN}|{READ}|{READING})"
)
TRAP_PATTERNS += [
    # Has Marcus had a look at the ROI model? Did your CFO get a chance to read the case?
    re.compile(rf"{ASKED_BY_AUX}{PERFECT}?\s+{ADVERBS}{TAKE_IN}{ADVERBS}{SENT_THING}"),
    re.compile(PASSIVE_READ),
    re.compile(SOMETHING_YOU),
]

# Who tells what tracking showed: the rep, their tool, or a bare "saw".
OBSERVER = any_of(
    r"\b(?:i|we)(?:\s*'ve|\s+have|\s*'d|\s+had)?\s+(?:(?:just|also|can|could|did|do|already|recently|"
    r"actually|definitely|only|clearly)\s+){0,2}(?:see|saw|seen|seeing|notice[d]?|noticing|spotted|spot|"
    r"observed|tracked|noted|c|picked\s+up(?:\s+on)?)(?!\s+(?:if|whether)\b)",
    r"\b(?:it\s+)?(?:looks|looked)\s+(?:like|as\s+if|as\s+though)",
    r"\b(?:it\s+)?(?:seems|seemed|appears|appeared)(?:\s+(?:like|as\s+if|as\s+though|that))?",
    r"\bit\s+(?:looks|looked)\b",
    r"\bapparently",
    r"\b(?:glad|great|good|nice|happy|lovely|pleased|awesome|cool|exciting|thrilled)\s+to\s+(?:see|notice)",
    r"\b(?:glad|great|good|nice|happy|pleased|thrilled)\s+(?:that\s+)?(?=(?:the|my|our|you|your)\b)",
    rf"\b{TOOL}\s+{REPORTS}",
    rf"\b(?:according\s+to|judging\s+by|from|per)\s+{TOOL}",
    r"\b(?:i|we)\s+(?:just\s+)?(?:got|received|get|had)\s+(?:a|an|the)\s+(?:[a-z-]+\s+){0,2}?"
    r"(?:notification|alert|ping|notice|read\s+receipt)",
    rf"{CLAUSE_START}(?:just\s+|also\s+)?(?:noticed|noticing|saw|spotted|seeing|seen|observed)",
)
# The acts a tracker reports, once someone says they saw them.
NEGATED = (
    r"(?:still\s+)?(?:hasn'?t|haven'?t|has\s+not|have\s+not|not|never|didn'?t|wasn'?t|weren'?t|"
    r"hasnt|havent|didnt)\s+(?:(?:yet|been|actually|even|really|once)\s+){0,2}"
)
TRACKED_WIDE = any_of(
    TRACKED,
    rf"(?:[a-z]+-)?{TRACKED_IF_OURS}(?=\s+(?:(?:on|to|through|thru|at|into|in)\s+)?{OUR_THING})",
    r"re-?(?:read|opened|visited|watched|viewed)",
    rf"(?:grabb(?:ed|ing)|bookmark(?:ed|ing)|sav(?:ed|ing)|print(?:ed|ing)|fetch(?:ed|ing)|pull(?:ed|ing)\s+down)"
    rf"(?=\s+(?:a\s+copy\s+of\s+)?{OUR_THING})",
    r"(?:binge-)?watch(?:ed|ing)?\s+(?:up\s+to|until|till|to\s+the\s+end|for|most|half|all|the\s+whole)",
    r"(?:stopped|paused|dropped\s+off|skipped|bounced|lingered|stalled|stopping|pausing)\b",
    r"pop(?:ped|ping|s)?\s+(?:back\s+)?(?:in|into|onto|over|on|by)",
    r"(?:made|got|gotten|get|making|getting)\s+(?:it\s+)?(?:halfway|half\s+way|all\s+the\s+way|most\s+of\s+the\s+way|"
    r"as\s+far\s+as|to\s+the\s+end|to\s+slide|to\s+page|to\s+minute|part\s+way|partway)",
    NEGATED
    + r"(?:opened|open|clicked|click|viewed|view|read|watched|watch|downloaded|download|touched|"
    r"looked\s+at|accessed|been\s+(?:opened|viewed|clicked|touched|read|watched))\b",
    r"(?:was|were|got|gets|getting|has\s+been|had\s+been|'s\s+been|have\s+been|being|been|is\s+being)\s+"
    r"(?:(?:just|already|recently|finally|only|actually|all|also|now)\s+){0,2}(?:opened|clicked|viewed|read|"
    r"downloaded|visited|forwarded|shared|accessed|watched|touched|looked\s+at|skimmed|played)\b",
    r"(?:got|get|getting|had|has|gotten)\s+(?:some|a\s+lot\s+of|lots\s+of|the\s+most|plenty\s+of|a\s+few|loads\s+of|"
    r"a\s+bunch\s+of|real)\s+(?:time|attention|views|clicks|eyes|traffic|love|opens)",
    r"(?:looking|looked|reading|poking|clicking|scrolling)\s+(?:at|around|through|into)\s+(?:my|our|the)\b",
    r"(?:got|gotten|made\s+it|get|getting)\s+(?:about\s+|roughly\s+|around\s+)?(?:through|thru)\s+"
    r"(?:about\s+|roughly\s+|around\s+)?(?:half|most|two[\s-]thirds|a\s+third|a\s+quarter|\d+\s*%)",
    r"(?:getting|got|being|been|was|were|is)\s+(?:passed|shared|sent|forwarded)\s+(?:around|round|on|internally)",
    r"(?:is|are|was|were|'s|remains?|remained|went|gone|going|sitting|sat|still)\s+(?:still\s+|all\s+)?"
    r"(?:unopened|unread|unclicked|unviewed|unwatched|untouched)",
    r"circulat(?:ed|ing)\b",
    r"(?:doing|done|making|made)\s+the\s+rounds",
    r"(?:getting|got|gets|had|has)\s+(?:some|a\s+lot\s+of|lots\s+of|real|plenty\s+of)\s+(?:attention|traction|eyeballs|eyes)",
)
# Between the observer and the act: the actor and what was sent, never a new clause.
GAP = r"(?:\s+(?!(?:if|whether|so|but|because)\b)[a-z0-9'@&.-]+){0,7}?"
SURVEILLANCE_PATTERNS += [
    re.compile(rf"{OBSERVER}{GAP}(?:\s+|(?=')){TRACKED_WIDE}"),
    # The observer last: "You got through half the video, I see."
    re.compile(
        rf"{CLAUSE_START}{ACTOR}{ACT_AUX}{TRACKED_WIDE}[^.?!;]{{0,80}}?,\s*(?:i|we)\s+(?:can\s+)?"
        r"(?:see|notice|noticed|gather|saw|spotted)\b"
    ),
    # Thanks for taking the time to read through the proposal last night.
    re.compile(
        r"\b(?:thanks?|thank\s+you|appreciate[d]?)\s+(?:you\s+)?(?:so\s+much\s+)?for\s+(?:taking|finding|making)\s+"
        r"(?:the\s+)?time\s+to\s+(?:read|look|go|watch|review|check|dig|skim)\b[^.?!]{0,60}?"
        + any_of(COUNT, WHEN, DEVICE)
    ),
]
TRAP_PATTERNS += [
    # "Has your security lead been able to look over the pen test findings?"
    re.compile(
        rf"{ASKED_BY_AUX}{PERFECT}?\s+{ADVERBS}(?:(?:{CHANCE}\s+){{1,2}}{ADVERBS})?"
        rf"{STRONG_READ}\s+{ADVERBS}{ANY_THE}"
    ),
    re.compile(
        rf"\b(?:were|was)\s+{YOU}\s+{ADVERBS}(?:(?:{CHANCE}\s+){{1,2}}{ADVERBS})?{STRONG_READ}\s+{ADVERBS}{ANY_THE}"
    ),
    # "Could you let me know whether the draft agreement has been reviewed?"
    re.compile(
        rf"\b{ASK_IF}\s+(?:{ARTEFACT_SUBJECT}|it){ABOUT}\s+(?:has|have|had|was|were|is|got|'s)\s+"
        r"(?:(?:ever|already|actually|yet|been|got|gotten|properly|all)\s+){0,3}" + READ_DONE
    ),
]
# A trap is not a trap where the same clause reports what tracking showed
# ("Noticed you haven't opened the contract yet" is a reveal), nor in a condition
# ("If you haven't had time to read it, no worries") or a promise not to ask.
TRAP_EXCUSED = re.compile(
    rf"{OBSERVER}|(?:^|[\s,(])(?:if|unless|whenever|once|in\s+case)\s+"
    r"(?!(?:you|u)\s+(?:could|would|can|might|don'?t\s+mind)\b)(?:[a-z'@-]+\s+){0,3}$|"
    r"\b(?:not\s+going\s+to|won'?t|will\s+not|not\s+gonna|never\s+going\s+to|no\s+need\s+to)\s*$"
)
# What the prospect told the rep is no reveal: "You said you'd watched the recording".
TOLD_ME = re.compile(
    r"\b(?:you|u|they|he|she)\s+(?:said|mentioned|told\s+(?:me|us)|let\s+(?:me|us)\s+know|wrote|"
    r"replied|confirmed|asked)\b"
)
# An errand, not a reading: "Did you get everything sorted with the audit?"
ERRAND = re.compile(
    r"\b(?:get|got|gotten|getting)\s+(?:[a-z0-9'-]+\s+){1,4}?(?:sorted|signed|paid|approved|done|"
    r"fixed|set\s+up|booked|processed|raised|finali[sz]ed|over\s+the\s+line)\b"
)

TRAP_PATTERNS += [
    # "I'm guessing the contract hasn't been looked at yet": a presumed unread state.
    re.compile(
        rf"\b{PRESUME}\s+(?:that\s+)?(?:{ARTEFACT_SUBJECT}{ABOUT}|it|they)\s+{MAYBE}"
        rf"(?:{NEGATED}(?:been\s+)?{READ_DONE}|(?:is|are|'s|'re)\s+(?:still\s+)?(?:unopened|unread|untouched))"
    ),
]
# Words of presumption: a sentence that guesses is a trap, never a reveal.
GUESSES = re.compile(
    r"\b(?:guess|guessing|imagine|imagining|assume|assuming|suppose|suspect|bet|reckon|presumably|"
    r"chances\s+are|probably|i\s+doubt)\b"
)
# A condition over the reading itself: "If you haven't had time to read it yet, ...".
CONDITION = re.compile(
    r"(?:^\s*|[,;(]\s*)(?:if|unless|whenever|once|in\s+case)\s+(?:[a-z'@-]+\s+){0,3}?"
    r"(?:hasn'?t|haven'?t|have\s+not|has\s+not|didn'?t|did\s+not|not|had|have|has|get|got|need)\b"
)

TRAP_PATTERNS += [
    # "Could you let me know whether your counsel has had the opportunity to review them?"
    re.compile(
        rf"\b{ASK_IF}\s+{ASKED}{PERFECT}?\s+(?:(?:has|have|had|did|were|was|ever|already|got|been|"
        rf"managed|happened)\s+){{0,2}}{ADVERBS}{TAKE_IN}{ADVERBS}(?:{SENT_THING}|{CLAUSE_END})"
    ),
]

SURVEILLANCE_PATTERNS += [
    # "Your name popped up in my profile viewers"
    re.compile(
        r"\b(?:popped|showed|turned|came|pops|shows)\s+up\s+(?:in|on|among)\s+(?:my|our)\s+(?:[a-z-]+\s+){0,2}?"
        r"(?:viewers|visitors|views|notifications|alerts|dashboard|crm|feed|tracker|list|report)\b"
    ),
    # "You had the proposal open for 20 minutes"
    re.compile(
        rf"{CLAUSE_START}{ACTOR}{ACT_AUX}(?:had|kept|left|have|keep)\s+(?:my|our|the|it)(?:\s+[a-z0-9'-]+){{0,3}}?\s+open\b"
    ),
]
OBSERVED = re.compile(OBSERVER)
