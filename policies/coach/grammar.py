"""The lint's shared grammar: named parts both kinds of finding are built from.

Each part names a role in a sentence rather than a phrasing: who is asked about
(``SUBJECT``, ``ASKED``, ``ACTOR``), what the rep sent (``SENT_THING``, an open noun phrase
with an artefact head), reading verbs and opportunity phrases (``READ``, ``CHANCE``,
``TAKE_IN``), where clauses start and end, and who tells what tracking showed
(``OBSERVER``: the rep, their tool, a bare "saw"). The patterns made of them are in
:mod:`policies.coach.traps` and :mod:`policies.coach.reveals`; they run over one folded
sentence at a time (see :mod:`policies.coach.spans`).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from policies.coach.lexicon import (
    ARTEFACT,
    PEOPLE,
    REPORTS,
    THIRD_PARTY,
    TOOL_BRAND,
    TOOL_NAME,
    YOU,
    any_of,
)

# Who. The prospect, as reps address them: "you", text-speak, groups and colleagues.
SUBJECT = any_of(
    rf"{YOU}(?:\s+(?:guys|all|two|folks|both))?(?:\s+and\s+(?:(?:dr|mr|mrs|ms|mx|prof)\.?\s+)?"
    # "you and a couple of the nurses", "you and one of your partners".
    r"(?:(?:a\s+couple|a\s+few|some|one|two|three|several|the\s+rest)\s+of\s+)?"
    r"(?:(?:your|the|ur)\s+)?(?!i\b|we\b)[a-z\u00e0-\u00ff]+"
    # "you and Principal sir", "you and Anil ji": an honorific after the name.
    r"(?:\s+(?:sir|ma'?am|madam|ji|po|mam))?"
    # "you and your colleagues in the litigation support team".
    r"(?:\s+(?:in|at|from|on)\s+(?:(?:the|your|ur)\s+)?(?:[a-z-]+\s+){0,2}?(?:team|department|dept|office|side|group|unit|practice|division))?)?",
    # "you and your supporter care colleagues": a longer description of the colleagues.
    rf"{YOU}\s+and\s+(?:your|ur|the)\s+(?:[a-z-]+\s+){{1,2}}?{PEOPLE}",
    r"y'?all\b",
    # "your colleague in Singapore", "the team at head office": where they sit, too.
    rf"(?:your|ur|the)\s+(?:[a-z]+\s+)?{PEOPLE}(?:\s+(?:in|at|from)\s+(?!(?:the|a|an|my|our)\b)[a-z]+)?",
    r"(?:every|any)(?:one|1|body)\b",
    r"(?:any|some)(?:one|1|body)\s+(?:on|at|from|in)\s+(?:your|ur)\s+[a-z]+",
    # Round 10: "anybody on the evaluation committee".
    rf"(?:any|some)(?:one|1|body)\s+(?:on|at|from|in)\s+the\s+(?:[a-z-]+\s+)?{PEOPLE}",
)
# Someone tracking could have seen: the prospect, their colleagues, "someone at Globex".
ACTOR = any_of(
    # Text-speak "ur" for "you": "ur opened my email on iphone".
    r"ur(?=\s+(?:opened|clicked|viewed|visited|downloaded|watched|read|been|spent|checked|still|back)\b)",
    # (A name after the subject, not an adverb: "your colleague Dermot spent", not "you only watched".)
    rf"{SUBJECT}(?:\s+(?!(?:only|just|also|never|already|all|both|probably|really|actually|even|still|then)\b)"
    r"[a-z\u00e0-\u00ff]+(?=\s+(?:has|had|just|also|clicked|opened|viewed|visited|downloaded|forwarded|spent|watched)\b))?",
    # "you and two other folks from Pilsen Brewing", "a couple of your engineers",
    # "Priyanka from your finance team": more of them, counted or named.
    rf"{YOU}\s+and\s+(?:(?:a\s+couple|a\s+few|some|one|two|three|four|several)\s+(?:of\s+)?)?(?:other\s+|more\s+)?"
    r"(?:folks|people|colleagues|others|guys|members|users)(?:\s+(?:from|at|in|on)\s+(?:[a-z&'-]+\s+){0,2}?[a-z&'-]+)?",
    r"(?:a\s+couple|a\s+few|some|two|three|four|several|one|many|most|all)\s+of\s+(?:your|ur|the)\s+(?:[a-z-]+\s+)?[a-z-]+",
    r"[a-z\u00e0-\u00ff-]+\s+(?:from|at|in|on)\s+(?:your|ur|the)\s+(?:[a-z-]+\s+){0,2}?(?:team|department|dept|office|side|group)\b",
    r"(?:(?:multiple|several|a\s+few|two|three|some|many)\s+)?"
    r"(?:someone|somebody|people|persons|a\s+person|one\s+of\s+your\s+[a-z]+)\s+(?:at|from|on|in)\s+(?:[a-z0-9&.'-]+\s*){1,3}?",
    # Round 14: "opened by four different people on your side".
    r"(?:\d+|two|three|four|five|six|several|multiple|a\s+few|many)\s+(?:different\s+|separate\s+)?"
    r"(?:people|users|viewers|colleagues|devices)\s+(?:on|at|in|from)\s+(?:your|ur)\s+(?:[a-z-]+\s+)?[a-z]+",
    # Round 11: the address that gives them away ("your company's IP", "your office network").
    r"(?:your|ur)\s+(?:[a-z-]+(?:'s)?\s+)?(?:ip|ip\s+address|ips|network|domain)\b",
)
# "you've", "you'd", "u have": the perfect after a subject, written every which way.
PERFECT = r"(?:\s*'?\s*(?:ve|d)\b|\s+(?:have|had|hav|hv|has)\b|\s+don\b(?=\s+[a-z]))"  # Pidgin "you don see"
# Adverbs a closed question carries without changing what it asks.
ADVERBS = (
    r"(?:(?:ever|already|yet|even|actually|maybe|perhaps|possibly|just|finally|quickly|"
    r"properly|briefly|not|by\s+any\s+chance|at\s+all|also|both|na|po|well|correctly|now|since)\s+){0,3}"
)
TO = r"(?:to|2)\b"
# Round 10: "the deck Competitor X pitched you", "the brochure the other supplier left
# with you": handed over by someone else (not "the deck I pitched you").
HANDED_BY_OTHERS = (
    r"(?:\s+(?:that|which))?\s+(?!(?:i|we|me|us|my|our)\b)(?:[a-z0-9&'-]+\s+){0,2}?[a-z0-9&'-]+\s+"
    r"(?:pitched|left|gave|handed|showed|presented|brought|quoted|offered)\s+(?:you|u|ye|ya|with|to|over|in)\b"
)
# What the rep sent: a possessive ("my email", "our latest deck") or "the"/"that" with up
# to three words of any kind before an artefact head ("the MSA redlines", "the ROI
# model"), not a third party's ("the Gartner report"); or anything "I sent".
NOT_THEIRS = (
    r"(?!(?:\s+[a-z]+){0,2}?\s+(?:of\s+(?:your|ur|the|his|her|their|a|an)\b|(?:from|by)\s+(?!(?:me|us|my|our|"
    r"now|last|this|yesterday|earlier|monday|tuesday|wednesday|thursday|friday|saturday|sunday|the\s+other\s+(?:day|week|night|morning|afternoon|evening))\b)"
    # "the call recording from the pilot review": when it was made, not by whom.
    r"(?!the\s+(?:[a-z0-9'-]+\s+){0,2}?(?:call|meeting|review|session|demo|webinar|workshop|pilot|visit|event|"
    r"conference|kick-?off|presentation|walkthrough|briefing|onboarding)s?\b)))"
    # "the launch video Apple put out": made by someone else.
    r"(?!(?:\s+(?:that|which))?\s+(?!(?:i|we|me|us)\b)[a-z0-9&'-]+(?:\s+[a-z0-9&'-]+)?\s+"
    r"(?:put\s+out|published|released|posted|wrote|made|produced|launched|announced|ran)\b)"
    # Round 10: handed over by someone else ("the deck Competitor X pitched you").
    rf"(?!{HANDED_BY_OTHERS})"
    # "the Chamber of Mines report that came out on Monday": news, not what was sent.
    r"(?!(?:\s+(?:that|which))?\s+(?:came\s+out|was\s+(?:published|released|put\s+out)|went\s+live|dropped\s+(?:on|last|this))\b)"
    # "the fraud thing on the news", "the piece in the paper": the media's.
    r"(?!(?:\s+[a-z]+){0,2}?\s+(?:on|in)\s+the\s+(?:news|paper|papers|press|telly|tv|radio)\b)"
    # "the new sponsor licence rules": a regulator's, the artefact word a modifier.
    r"(?!\s+(?:rules|regulations|regs|regime|legislation|laws?|reforms?)\b)"
)
# "get the invoice paid", "get the contract signed": an errand, not a reading.
NOT_DONE = (
    r"(?!\s+(?:paid|signed|approved|processed|sorted|done|fixed|set\s+up|booked|renewed|"
    r"countersigned|over\s+the\s+line|back|published|finali[sz]ed|delivered|shipped|installed|"
    r"printed|translated|to\s+(?:your|ur|the|our|my)\b|in\s+one\s+piece))"
)
# How reps say they sent it: "sent", "lodged", "whatsapped", "flicked through", "put together".
SENT_VERB = (
    r"(?:sent|send|shared|emailed|e-mailed|mailed|attached|forwarded|linked|mentioned|dropped|"
    r"put\s+(?:together|in|into|on|up)|prepared|included|posted|left|texted|promised|pinged|passed\s+on|built|"
    r"lodged|submitted|uploaded|drafted|created|provided|issued|enclosed|couriered|whatsapped|"
    r"flicked|messaged|recorded|compiled|wrote|filmed|dm'?d|circulated|dispatched|dropped\s+off)\b"
)
SENT_BY_ME = (
    r"(?:that\s+|which\s+|wey\s+)?(?:i|we)(?:\s*'(?:ve|d)|\s+have|\s+had)?\s+"
    r"(?:(?:just|recently|already|also)\s+)?" + SENT_VERB
)
# Someone else's, before the artefact head: "the landlord's email", "the hospital's
# tender notice" (a possessive), a talk at an event ("the panel on dynamic pricing"), the
# prospect's governance papers ("the board minutes").
OTHERS = any_of(
    r"(?:[a-z0-9&-]+\s+)?[a-z]+'s?\s",
    r"(?:[a-z0-9&'-]+\s+){0,2}?(?:panel|talk|keynote|fireside|conference|summit|podcast|interview|"
    r"segment|episode|speech|lecture|debate)\s+(?:on|about|at|with)\b",
    r"(?:[a-z0-9&'-]+\s+)?(?:board|trustees?|committee|council|agm|governors?)\s+(?:meeting\s+)?minutes\b",
)
NOT_OTHERS = rf"(?!{OTHERS})"
# What reps post or hand over as examples of a product: "the samples of the new twine".
SAMPLE_HEAD = (
    r"(?:samples?|swatch(?:es)?|brochures?|leaflets?|flyers?|copies|catalogues?|specimens?|tasters?|"
    # "the six-minute walkthrough of the advising module": a tour of the product.
    r"walkthroughs?|walk-throughs?|overviews?|breakdowns?|mock-?ups?|renders?|flyovers?|fly-throughs?|screencasts?)"
)
# "I" or "we" within the next five words, or nothing "I sent" can follow: a cheap test
# that spares most "the"s the tries of what follows.
I_SOON = r"(?:[a-z0-9&'-]+\s+){1,5}?(?:that\s+|which\s+)?(?:i|we)\b"
_SENT_THING = any_of(
    rf"(?:my|our|me)\s+(?:[a-z'-]+\s+){{0,2}}?{ARTEFACT}{NOT_DONE}",  # not "my invoice paid"
    # The rep's own remarks: "my comments in the brief doc" (not "the comments Sarah left").
    r"(?:my|our)\s+(?:[a-z'-]+\s+)?(?:comments|suggestions|thoughts|remarks|annotations)\b",
    rf"(?:the|that|this|those|these)\s+(?!{THIRD_PARTY}){NOT_OTHERS}(?:[a-z0-9&'-]+\s+){{0,3}}?{ARTEFACT}{NOT_THEIRS}{NOT_DONE}",
    # "the revised scheme for the children's ward": a revision is what the rep sent back,
    # whatever its noun (not "the updated guidance from HMRC": someone else's).
    rf"(?:the|that|this|those|these)\s+{NOT_OTHERS}(?:revised|updated|amended|redlined|marked-up|reworked)\s+"
    r"(?!(?:[a-z0-9&'-]+\s+)?(?:guidance|guidelines|rules|regulations|regs|laws?|legislation|standards?|forecast|news|"
    r"timetable|rota|menu)\b)(?:(?!(?:from|by|of|for|to|on|in|with)\b)[a-z0-9&'-]+\s+)?(?!(?:from|by|of|for|to|on|in|with)\b)"
    rf"[a-z0-9&'-]+\b{NOT_THEIRS}{NOT_DONE}",
    # "the samples of the new nasal spray", "the brochures of the new antibiotic": what was
    # sent, named by the product it shows ("X of the Y" is otherwise someone else's).
    rf"(?:the|my|our|those|these)\s+(?:[a-z0-9&'-]+\s+){{0,2}}?{SAMPLE_HEAD}\s+of\s+(?:the|our|my)\s+(?:[a-z0-9&'-]+\s+){{0,3}}?[a-z0-9&'-]+\b",
    rf"(?:the|that|this|those|these|them|a|an|some)\s+(?={I_SOON})(?:[a-z0-9'-]+\s+){{0,4}}?[a-z0-9'-]+\s+{SENT_BY_ME}",
    # Round 13: what was sent with no article, as learners write it ("Did you manage to
    # look at proposal?", "Did you find time to watch recording from webinar?").
    r"(?<=\s)(?:proposal|quotation|quote|offer|deck|contract|recording|brochure|catalogue|catalog|presentation|"
    r"attachment|documentation|pdf)\b(?!\s+(?:is|was|are|were)\b)",
    rf"(?:what|anything|everything|all|the\s+stuff|the\s+things?)\s+{SENT_BY_ME}",
    r"(?:my|our)\s+(?:last|previous|latest|earlier)\b",
    rf"(?:it|them)\b{NOT_DONE}",
    r"(?:that|this)\b(?!\s+[a-z])",
    r"the\s+(?:rest|remainder)\b",
    r"the\s+same\b",  # "Hope you have received the same"
    # "did you receive both files okay?"
    rf"(?:both|all|the\s+two|all\s+three)\s+(?:of\s+)?(?:(?:the|my|our)\s+)?(?:[a-z'-]+\s+){{0,2}}?{ARTEFACT}",
)
# "all of it", "the rest of the deck".
# "the last page of the SOW", "slide 12 of the deck", "the pricing section of the plan".
PART_OF = (
    r"(?:(?:the|a|all)\s+)?(?:[a-z0-9'-]+\s+)?"
    r"(?:page|pages|section|sections|part|bit|bits|slide|slides|chapter|chapters|appendix|"
    r"clause|clauses|annex|tab|schedule|half|third|quarter|"
    # Round 10: "the second version of the proposal", "the two hard copies of our bid".
    r"version|versions|copy|copies|edition|draft)(?:\s+(?:\d+[a-z]?|one|two|three|four|five|six|seven|eight|nine|ten))?\s+(?:of|in|on)\s+"
)
SENT_THING = (
    r"(?:(?:all|most|any|some|much|half|parts?|the\s+rest|the\s+whole|the\s+end)\s+of\s+|"
    + PART_OF
    + r")?"
    + _SENT_THING
)
# The same, as the subject of "did ... come through", "... got buried".
ARTEFACT_SUBJECT = any_of(
    rf"(?:my|our)\s+(?:[a-z'-]+\s+){{0,2}}?{ARTEFACT}",
    rf"(?:the|that|this)\s+(?!{THIRD_PARTY})(?:[a-z0-9&'-]+\s+){{0,3}}?{ARTEFACT}",
    # Anything "I sent", whatever its noun: "the references I sent across".
    rf"(?:the|that|this|those|these|them)\s+(?={I_SOON})(?:[a-z0-9&'-]+\s+){{0,3}}?[a-z0-9'-]+(?=\s+{SENT_BY_ME})",
)
# Reading it. Verbs for taking in what was sent, prepositions folded in.
A_LOOK = (
    r"(?:a|an)\s+(?:(?:quick|proper|good|close|brief|first|little|long|real|full|wee|decent|"
    r"careful|thorough|closer|fresh|second|cheeky|nice|good\s+old)\s+){0,2}"
    r"(?:look|peek|glance|gander|read|skim|listen|once-over|squiz|nosey|nosy|nose|dekko|shufti|"
    # Round 12: Cockney "a butcher's" (hook: look), "a good dig through".
    r"look-in|read-through|look-through|butchers|butcher's|dig|rummage|browse)(?:\s+(?:at|of|through|over|to|into|around|round))?"
)
READ = (
    any_of(
        r"(?:read|readed|reed|red)(?:\s+(?:through|thru|over))?",
        r"(?:see|saw|seen|c)",
        r"open(?:ed)?(?:\s+up)?",
        r"(?:crack|cracked)\s+open",
        r"view(?:ed)?",
        r"review(?:ed)?",
        r"look(?:ed)?\s+(?:at|over|through|thru|into|pon|upon)",
        rf"(?:take|took|taken|have|had|get|got|gotten)\s+{A_LOOK}",
        r"(?:go|went|gone|get|got|gotten|been|work|worked|make|made)\s+(?:it\s+)?(?:through|thru|over)",
        r"(?:check(?:ed)?|chek|chk|chekd)(?:\s+(?:out|over))?(?!\s+(?:back|in)\b)",  # not "check back in Q3"
        r"clock(?:ed)?",  # British: "Not sure if you've clocked the revised itinerary"
        r"glance[d]?\s+(?:at|over|through)",
        r"skim(?:med)?(?:\s+(?:through|over))?",
        r"peruse[d]?",
        # Round 11: "did u peep the deck?", "a chance to peek at that renewal summary".
        r"(?:peep|peeped|peek|peeked)(?:\s+(?:at|into|through|over))?",
        # "has your team been able to study the proposal?" (what was sent after it).
        r"stud(?:y|ied)(?=\s+(?:it|them|my|our|the|this|that)\b)",
        # Learner English: "did you have opportunity to look the catalogue I send".
        r"look(?:ed)?(?=\s+(?:my|our|the|this|that)\b)",
        # Round 12, German "bekommen" (to get): "I hope you have become my email".
        r"become(?=\s+(?:my|our)\b)",
        # Round 13: "had time to mull over the plans", "the possibility to evaluate our
        # price offer", "did you ever make it to the financing slide?"
        r"mull(?:ed)?\s+(?:over|through)",
        # Round 14: "let me know if you were able to consult the offer", "get a chance to
        # discuss the leaflet I sent over".
        r"consult(?:ed)?(?=\s+(?:it|them|my|our|the|this|that)\b)",
        r"discuss(?:ed)?(?=\s+(?:the|my|our|it|them)\b[^.?!]*\b(?:i|we)\s+(?:sent|shared|emailed|dropped|left|attached))",
        r"(?:evaluate[d]?|assess(?:ed)?|examine[d]?)(?=\s+(?:it|them|my|our|the|this|that)\b)",
        r"(?:make|made)\s+it\s+to\s+the\s+(?:[a-z-]+\s+)?(?:slide|page|section|part|bit|end|chapter|appendix)\b",
        r"(?:flick|flicked|flip|flipped|leaf|leafed|thumb|thumbed|browse[d]?|scan|scanned)\s+(?:through|over)",
        r"digest(?:ed)?",
        r"analy[sz]e[d]?",
        r"(?:dig|dug)\s+into",
        r"(?:receive[ds]?|recieve[ds]?|recive[ds]?|recd|rec'd|rcvd|rcv'd|recvd|recv'd)",
        r"(?:have|had|has|get|got|gotten)\s+(?:(?:a|any)\s+)?sight\s+of",
        r"(?:get|got|gotten)",
        # "Have you had five minutes with the performance report yet?": time spent with it.
        r"(?:had|have|has|get|got|spent|spend|found)\s+(?:a\s+few|a\s+spare|five|ten|\d+|a|some)\s+"
        r"(?:minutes?|mins?|moments?|time)\s+with",
        r"(?:catch|caught|notice[d]?)",
        r"watch(?:ed)?",
        # Round 10: "Has Legal finished reading our addendum?"
        r"finish(?:ed)?(?:\s+(?:reading|reviewing|going\s+(?:through|over)|looking\s+(?:at|over|through)|watching|listening\s+to))?",
        # Round 10, learner English (Spanish, Portuguese): "revise" is review ("Did you
        # revise the offer I send you?"), with what was sent after it.
        r"revise[d]?(?=\s+(?:it|them|my|our|the|this|that)\b)",
        r"listen(?:ed)?\s+to",
        r"download(?:ed)?",
        r"visit(?:ed)?",
        r"access(?:ed)?",
        r"click(?:ed)?(?:\s+(?:on|through))?",
        r"play(?:ed)?",
        # "get eyes on the deck", "made it to page 4 of", "reach slide 12 of".
        r"(?:get|got|gotten|had|have|has|put|cast)\s+(?:(?:an?\s+)?(?:(?:quick|fresh|second)\s+)?(?:set\s+of\s+)?)?eyes?\s+(?:on|over)",
        rf"(?:made|make)\s+it\s+(?:to|through)(?=\s+{PART_OF})",
        # Round 11: how far they got: "Did you get as far as the pricing section?", "Did you
        # make it to the end of the demo video?"
        r"(?:get|got|gotten|make\s+it|made\s+it)\s+(?:as\s+far\s+as|to\s+the\s+end\s+of|past\s+(?:the\s+)?(?:first|intro|opening))",
        rf"reach(?:ed)?(?=\s+{PART_OF})",
        # "considered the fee proposal", not "considered the options for the venue".
        r"consider(?:ed)?(?=\s+(?:my|our|the\s+(?:[a-z0-9&'-]+\s+){0,2}?(?:proposal|proposals|offer|quote|"
        r"quotation|bid|tender|terms|application|submission|pitch|response|letter|rfp)\b|"
        # "had the opportunity to consider the implementation plan I circulated".
        rf"(?:my|our|the)\s+(?:[a-z0-9&'-]+\s+){{0,2}}?(?!options\b){ARTEFACT}|"
        # "whether you had been able to consider it in any detail".
        r"(?:it|them)\s+(?:in\s+(?:any|some|more|great|much)\s+detail|properly|fully|carefully|in\s+depth)))",
        r"look(?:ed)?(?=\s+(?:it|them)\s+(?:over|through)\b)",
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
    r"(?:get|got|gotten|getting|had|have|has|having|find|found|take|took)\s+(?:yet\s+|already\s+)?(?:a\s+|the\s+|any\s+|some\s+|an\s+)?"
    r"(?:quick\s+|spare\s+|free\s+)?(?:chance|change|moment|minute|min|sec|second|time|opportunity|opp|mo|occasion|possibility)\s+"
    rf"(?:{TO}|for\b)",
    r"(?:get|got|gotten|getting)\s+(?:a\s+)?(?:round|around)\s+to\b",
    rf"(?<![a-z]\s)(?<![a-z])any\s+(?:chance|opportunity|opp)\s+{TO}",  # "Any opportunity to cast an eye over it?"
    # Irish English, inverted: "Had you an opportunity to go over the contract?"
    rf"(?:(?<=had\syou\s)|(?<=had\su\s)|(?<=had\sye\s))(?:a|an|any)\s+(?:chance|opportunity|opp|moment|minute)\s+{TO}",
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
# Nothing follows the verb but the end of the clause: "Have you seen it yet?".
CLAUSE_END = r"(?=\s*(?:yet|already|at\s+all|either|properly|now|too)?\s*(?:[,.?!;:\-]|$))"
# Verbs of taking in a document that may end the clause with nothing after them ("Not
# sure if you already had time to look through?"); not "see" or "catch", which end
# honest lead-ins ("Not sure if you saw, but we've opened in Leeds").
READ_ALONE = any_of(
    r"read(?:\s+(?:through|thru|over))?",
    # "I'm guessing you haven't had a chance to look yet?"
    r"look(?:ed)?",
    rf"(?:take|took|taken|have|had|get|got)\s+{A_LOOK}",
    r"review(?:ed)?",
    r"look(?:ed)?\s+(?:through|thru|over)",
    r"(?:go|went|gone|get|got|gotten)\s+(?:through|thru|over)",
    r"(?:skim(?:med)?|digest(?:ed)?|peruse[d]?)",
)
TAKE_IN = (
    rf"(?:(?:{CHANCE}\s+){{1,2}}{ADVERBS}(?:(?:{READ}|{READING})\s+|{READ_ALONE}{CLAUSE_END})?|"
    rf"(?:{READ}\s+(?:and|or|&)\s+(?:(?:then|also)\s+)?)?(?:{READ}\s+|{READ_ALONE}{CLAUSE_END}))"
)
# A closed-question tag: "..., right?", "..., didn't you?".
TAG = (
    r"(?:right|yes|yeah|yea|correct|no|ok|okay|surely|(?:did|didn'?t|have|haven'?t|had|hadn'?t|has|hasn'?t)"
    rf"\s+(?:{YOU}|they|he|she))"
)
# Where a clause starts: sentence start, after punctuation, or after a greeting.
# (The greetings as a trie behind a test of their first letter: this part is tried at
# every position of most patterns.)
CLAUSE_START = (
    r"(?:^\s*|[,;:\-\u2013\u2014(\u2600-\u27bf\U0001f300-\U0001faff]\s*|\b(?=[abefhlmopswy])"
    # Not the "and" of "you and your team": one subject, not a new clause.
    r"(?:h(?:ey(?:a)?|i(?:ya)?|ello|aha|m+)|morning|so|(?<!you\s)(?<!\bu\s)and|but|o(?:k(?:ay)?|h)|well|ayy?|yo|fyi|btw|ps|lol|"
    r"wah|wow|whoa|eh|ey|oi|"
    r"bro|mate|boss|fam)"
    r"\b[\s,!]*)"
)
# "my note about the pilot": what it was about, before what became of it.
# "the bid documents and company profile forwarded to your office", "my email from
# Tuesday with the LOI": another thing sent beside it, and what was sent when, to whom.
ABOUT = (
    rf"(?:\s+(?:and|&)\s+(?:(?:the|our|my)\s+)?(?:[a-z0-9'-]+\s+){{0,2}}?{ARTEFACT})?"
    # "the recording of Tuesday's session", "my email about the box office setup for the
    # eisteddfod" (not "of your ...": theirs).
    # (Round 14: a time before it: "my email yesterday about the Stormont dinner".)
    r"(?:(?:\s+(?:yesterday|today|this\s+morning|last\s+week|on\s+[a-z]+day))?"
    r"\s+(?:about|on|re|regarding|with|wid|from|for|to|dated|number|no\.|ref|reference|of(?!\s+(?:your|ur|their|his|her)\b))(?:\s+[a-z0-9'()/-]+){1,7}?|"
    r"\s+(?:sent|forwarded|submitted|shared|emailed|attached|lodged|couriered)\s+"
    r"(?:to|over|across|on|via|through|by|last|yesterday)(?:\s+[a-z0-9'-]+){0,4}?|"
    r"\s+(?:that\s+|which\s+)?(?:i|we)(?:\s*'ve|\s+have|\s*'d|\s+had)?\s+(?:(?:just|also)\s+)?"
    + SENT_VERB
    + r"(?:\s+[a-z0-9'-]+){0,4}?)?"
)
TOOL = any_of(
    rf"(?:my|our|the)\s+(?:[a-z0-9-]+\s+){{0,2}}?{TOOL_NAME}",
    r"your\s+(?:email|mail)\s+client",  # Round 13: "Your email client says you read my message"
    rf"{TOOL_BRAND}(?:\s+{TOOL_NAME})?",
    # Round 11: "our Qwilr page says", "the DocSend link shows".
    rf"(?:my|our|the)\s+{TOOL_BRAND}(?:\s+[a-z-]+)?",
    # Microsoft Teams, not "our teams": only where no word comes before it.
    r"(?<![a-z]\s)(?<![a-z])teams\b",
    r"(?<![a-z]\s)(?<![a-z])(?:tracking|tracker|analytics|crm|dashboard|stats|logs|system)\b",
)
# The tool reports it, in any tense: "our system shows", "the CRM is showing",
# "my tracker's telling me".
TOOL_SAYS = (
    rf"{TOOL}(?:\s+(?:on|for|of|in|from)\s+(?:the|my|our|that)\s+(?:[a-z0-9-]+\s+){{0,2}}?[a-z0-9-]+)?"
    rf"(?:\s+(?:is|was|has\s+been|keeps|just)|'s)?(?:\s+po)?\s+{REPORTS}"
)
# Whoever a question asks about: "you", "Marcus", "you and Priya", "Sarah in finance",
# "your InfoSec folks". Only used where a reading phrase must follow.
ASKED = any_of(
    SUBJECT,
    r"(?!(?:a|an|it|this|that|to|been|got|had|have|not|ever|any|some|time|chance|moment|minute|"
    r"opportunity|enough|no|much|plenty|lots|maybe|perhaps|probably|possibly)\b)"
    # "Has Dr. Okafor had...", "Has Prof Lee...": a title before the name.
    r"(?:(?:dr|mr|mrs|ms|mx|prof)\.?\s+)?"
    r"(?:(?:your|ur|the)\s+)?(?![a-z]+'(?:d|ll)\b)[a-z@\u00e0-\u00ff][a-z0-9'@\u00e0-\u00ff-]*"
    # "let me know if you'd like to go over it": a wish, not a reading.
    r"(?:\s+(?!(?:like|love|want|wanna|prefer|need|wish|would|'d)\b)[a-z][a-z'\u00e0-\u00ff-]*){0,2}"
    r"(?:\s+(?:and|in|from|on|at|of|for|over|&)\s+(?:(?:your|ur|the)\s+)?[a-z][a-z'-]*(?:\s+(?:team|dept|department|side|group|office))?)?",
)
# "has the deck been reviewed", "did the answers get reviewed", "was the proposal read".
READ_DONE = (
    r"(?:a\s+(?:quick\s+|proper\s+|first\s+)?(?:look|read|glance|once-over|skim)|reviewed|read|re-read|looked\s+(?:at|over|through)|seen|opened|checked(?:\s+out)?|"
    r"gone\s+(?:through|over)|received|watched|viewed|digested|skimmed|gone\s+over|considered|"
    r"evaluated|assessed|examined|perused|studied|looked\s+into|listened\s+to)\b"
)
# Who tells what tracking showed: the rep, their tool, or a bare "saw".
# Where a word or a clause may start: not inside a word. A cheap test that spares the
# positions inside words the alternatives of the parts below, tried at every position.
# (An opening quote starts a word: "'I can see…'"; a contraction's quote does not.)
WORD_EDGE = r"(?:(?<![a-z0-9])(?<![a-z0-9]')|(?=[,;:\-\u2013\u2014(]))"
OBSERVER = WORD_EDGE + any_of(
    r"\b(?:i|we)(?:\s*'ve|\s+have|\s*'d|\s+had)?\s+(?:(?:just|also|can|could|did|do|already|recently|"
    r"actually|definitely|only|clearly|happened\s+to|happen\s+to)\s+){0,2}(?:see|saw|seen|seeing|notice[d]?|noticing|spotted|spot|"
    r"observed|tracked|noted|c|caught|picked\s+up(?:\s+on)?)\b(?!\s+(?:if|whether)\b)",
    r"\b(?:it\s+)?(?:looks|looked)\s+(?:like|as\s+if|as\s+though)",
    r"\b(?:it\s+)?(?:seems|seemed|appears|appeared)(?:\s+(?:like|as\s+if|as\s+though|that))?",
    r"\bit\s+(?:looks|looked)\b",
    r"\bapparently",
    r"\b(?:it|this|that)\s+says\s+(?:here|that)\b|\bsays\s+here\b",
    r"\b(?:glad|great|good|nice|happy|lovely|pleased|awesome|cool|exciting|thrilled)\s+to\s+(?:see|notice)",
    r"\b(?:glad|great|good|nice|happy|pleased|thrilled)\s+(?:that\s+)?(?=(?:the|my|our|you|your)\b)",
    rf"\b{TOOL_SAYS}",
    rf"\b(?:according\s+to|judging\s+by|from|per)\s+{TOOL}",
    r"\b(?:i|we)\s+(?:just\s+)?(?:got|received|get|had)\s+(?:a|an|the|one\s+of\s+(?:those|these|the|our|my))\s+"
    r"(?:[a-z-]+\s+){0,2}?(?:notification|alert|ping|notice|read\s+receipt)s?",
    rf"{CLAUSE_START}(?:just\s+|also\s+)?(?:noticed|noticing|saw|spotted|seeing|seen|observed|caught\s+that)",
    # Round 10: "Just got the notification u viewed the floor plans" (no "I").
    rf"{CLAUSE_START}(?:just\s+)?(?:got|received|had)\s+(?:a|an|the)\s+(?:[a-z-]+\s+){{0,2}}?(?:notification|alert|ping|read\s+receipt)s?(?:\s+that)?",
    # "I could tell from my email analytics", "word on my dashboard is".
    rf"\b(?:i|we)\s+(?:can|could)\s+(?:tell|see)\s+(?:from|on|in|via|through)\s+{TOOL}",
    rf"\bword\s+(?:on|from|in)\s+{TOOL}\s+is",
    r"\binteresting\s+(?:to\s+see\s+)?that(?=\s+(?:you|u|your|ur)\b|\s*$)",
    # "I can tell you haven't opened the lease yet" (not "I can tell you more about it").
    r"\b(?:i|we)\s+(?:can|could)\s+tell(?=\s+(?:that\s+)?(?:you|u|your|ur)\b)(?!\s+(?:you|u)\s+(?:that|about|more|how|what|why)\b)",
    # Taglish: "Nakita ko po that you opened the catalog" (I saw).
    r"\bnakita\s+(?:ko|namin)(?:\s+po)?(?:\s+(?:that|na))?",
)
# The acts a tracker reports, once someone says they saw them.
NEGATED = (
    r"(?:still\s+)?(?:hasn'?t|haven'?t|has\s+not|have\s+not|not|never|didn'?t|wasn'?t|weren'?t|"
    r"hasnt|havent|didnt)\s+(?:(?:yet|been|actually|even|really|once)\s+){0,2}"
)
OBSERVED = re.compile(OBSERVER)


class Needles:
    """Literal pieces, one of which a sentence must hold for some patterns to be tried.

    Several patterns share a set (every observer pattern shares ``OBSERVER_NEEDLES``) and
    are tried one after another on the same sentence, so the answer for the last sentence
    is kept: the test runs once per sentence and set, not once per pattern."""

    __slots__ = ("_answer", "_text", "words")

    def __init__(self, words: tuple[str, ...]) -> None:
        self.words = words
        self._text: str | None = None
        self._answer = False

    def held_by(self, text: str) -> bool:
        """Whether ``text``, read with a space before it (so a needle " from ", a word's
        start, holds at its start too), holds one of the words."""
        if text is not self._text:
            padded = " " + text
            self._answer = any(map(padded.__contains__, self.words))
            self._text = text
        return self._answer


_NEEDLES: dict[tuple[str, ...], Needles] = {}


class Gated:
    """A pattern tried only in a sentence holding one of its literal words ("now" for
    "…by now"). A substring test costs far less than a regular expression that fails at
    every word; a regex gate does not (see docs/coach.md, Latency). A needle that starts
    with a space stands for a word's start. ``also``: a second set, one of which the
    sentence must hold too (a presumption needs a presuming word and a perfect)."""

    __slots__ = ("also", "needles", "pattern")

    def __init__(self, pattern: str, *needles: str, also: tuple[str, ...] = ()) -> None:
        self.pattern = re.compile(pattern)
        self.needles = _NEEDLES.setdefault(needles, Needles(needles))
        self.also = _NEEDLES.setdefault(also, Needles(also)) if also else None

    def finditer(self, text: str) -> Iterator[re.Match[str]]:
        """The pattern's matches, or none where no needle occurs."""
        if self.needles.held_by(text) and (self.also is None or self.also.held_by(text)):
            return self.pattern.finditer(text)
        return iter(())


# The literal pieces one of which every observer, tool report or data report holds
# (OBSERVER, the reveals' OBSERVE and BARE_OBSERVE, TOOL_SAYS, DATA_SAYS): the patterns
# that start with one are tried only in a sentence that holds one of these. A gate may
# let through a sentence its pattern then fails on; it never stops one it would match.
OBSERVER_NEEDLES = (
    " see", " saw", " seen", " notic", " spot", " observ", " track", " noted", " caught",
    " picked", " c ", " c u", " c you", " looks", " looked", " seem", " appear", " apparently", " glad",
    " great", " good", " nice", " happy", " pleased", " thrill", " lovely", " awesome",
    " cool", " excit", " fantastic", " show", " say", " said", " tell", " told", " indicat",
    " notif", " alert", " flag", " ping", " let", " regist", " logged", " record", " confirm",
    " suggest", " report", " whisper", " hint", " lit ", " spill", " tattl", " according",
    " judging", " from ", " per ", " receipt", " word ", " know", " knew", " realis",
    " realiz", " down", " nakita", " inform", " interesting", " tell",
    # Round 11.
    " wonderful", " brilliant", " delighted", " stoked", " amazing", " grand", " help ", " sez",
)  # fmt: skip
# Every closed-question auxiliary the open-subject shapes start with ("Has Marcus had…").
AUX_NEEDLES = (" did", " has", " hav", " had", " was", " were")

# The rep's own doing, not the prospect's: "I opened your website this morning",
# "We reviewed them and the word count is 18,000" ("I saw you..." is an observer).
OWN_ACT = re.compile(
    # ("Dr. Osei, I've been through the audit data you shared": after a name, too.)
    r"^\W*(?:(?:hi|hey|so|and|also|yes|ok|okay|well)\W+)?(?:(?:(?:dr|mr|mrs|ms|prof)\.?\s+)?[a-z\u00e0-\u00ff'-]+(?:\s+[a-z\u00e0-\u00ff'-]+)?,\s*)?(?:i|we)"
    r"(?:\s*'ve|\s+have|\s+had|\s+just|\s+also|\s+already|\s+finally|\s+recently)*\s+"
    r"(?:opened|read|reviewed|went\s+through|gone\s+through|been\s+through|looked\s+(?:at|over|through)|"
    r"watched|visited|checked|downloaded|viewed|skimmed|listened\s+to|clicked(?:\s+(?:through|on))?|tested|tried)\b"
    r"(?!\s+(?:that\s+|how\s+)?(?:you|u|someone|somebody)\b)"
)
