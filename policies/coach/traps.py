"""Trap questions: closed questions about whether the prospect read what was sent.

``TRAP_PATTERNS`` find them: direct ("Did you read my email?"), without an auxiliary but
with "?" or a tag, passive ("Has the deck been reviewed?"), indirect ("checking whether
you saw it"), "something you got to watch", presumptions ("I'm guessing my email got
buried") and feigned ignorance. ``TRAP_EXCUSED`` (the clause before a match) and
``CONDITION``/``ERRAND``/``PROMISE`` (a whole sentence, for the model) say when such words are no trap.
"""

from __future__ import annotations

import re

from policies.coach.grammar import (
    A_LOOK,
    ABOUT,
    ADVERBS,
    ARTEFACT_SUBJECT,
    ASKED,
    AUX_NEEDLES,
    CHANCE,
    CHANCE_NAMED,
    CLAUSE_END,
    CLAUSE_START,
    HANDED_BY_OTHERS,
    I_SOON,
    NEGATED,
    NOT_DONE,
    OTHERS,
    PERFECT,
    READ,
    READ_ALONE,
    READ_DONE,
    READING,
    SENT_BY_ME,
    SENT_THING,
    SUBJECT,
    TAG,
    TAKE_IN,
    Gated,
)
from policies.coach.lexicon import (
    ARTEFACT,
    HEDGE,
    NOT,
    PEOPLE,
    THIRD_PARTY,
    YOU,
    any_of,
    words,
)

QUESTION_AUX = any_of(
    words(
        "did didn't didnt have haven't havent hv has hasn't hasnt had hadn't hadnt were "
        "weren't was wasn't any_chance"
    )
    + rf"\s+{SUBJECT}{PERFECT}?",
    # Round 10, formal: "Was it possible for you to look into the file I sent?"
    rf"(?:(?:was|is)\s+it|has\s+it\s+been)\s+possible\s+for\s+{SUBJECT}\s+to",
    # Non-native "Could you already check my offer?" asks whether it has happened.
    rf"(?:could|can)\s+{YOU}(?=\s+already\b)",
    # Learner English: "Do you could see the presentation I send you?", "do you have read the offer?"
    rf"(?:do|did)\s+{YOU}\s+(?:could|can)",
    rf"do\s+{YOU}\s+have(?=\s+(?:already\s+)?(?:read|seen|looked|gone|had|reviewed|watched|opened|received|got)\b)",
    # "Will you have read the proposal by Thursday?"
    rf"will\s+{SUBJECT}\s+have(?=\s+(?:already\s+)?(?:read|seen|looked|gone|been|had|reviewed|watched|opened|got|received)\b)",
)
# Whoever asks "whether you saw it" is asking if you saw it.
ASK_IF = any_of(
    r"(?:see|check|know|wonder|wondering|wondered|curious|ask|asking|confirm|sure|certain|"
    r"find\s+out|tell\s+me|hear|unsure|idea|clear|checking|check\s+in|learn|understand|"
    r"letting\s+me\s+know|let\s+me\s+know|confirming|knowing|to\s+know|to\s+hear|to\s+learn|"
    # Formal and Indian English: "kindly revert if", "could you advise whether".
    r"revert|advise|inform\s+(?:me|us)|update\s+(?:me|us)|tell|say|"
    # Text-speak: "lmk if u saw the quote", "lemme know if".
    r"lmk|lemme\s+know|let\s+me\s+kno|pls\s+confirm|plz\s+confirm|pls\s+advise)\s+"
    r"(?:if|whether)",
    # "I wanted to ask, if you have maybe already looked into the documents" (not "to say, if").
    r"(?:ask|asking|wonder|wondering),\s+(?:if|whether)",
    # Spoken, with a filler: "I just wondered, um, whether it had landed".
    r"(?:ask|asking|wonder|wondering|wondered|wonderin'?|checking|see),?\s+(?:um+|uh+|er+|erm+|like|you\s+know),?\s+(?:if|whether)",
    # Learner English: "Could you please confirm me that you have read the offer?"
    r"(?:confirm|inform|assure)\s+(?:me|us)\s+(?:that|whether|if)",
    r"(?:confirmation|confirm|to\s+hear|to\s+know|a\s+quick\s+(?:yes|note|word)|"
    r"let\s+(?:me|us)\s+know|tell\s+(?:me|us))\s+(?:that|whether|if)",
    r"(?:confirm(?:ing)?|making\s+sure|make\s+sure|double[-\s]?check(?:ing)?|verify(?:ing)?|"
    r"ensure|ensuring|check(?:ing)?)(?:\s+that)?(?=\s+(?:you|u|every(?:one|body|1))\b)",
    # Spoken: "I'm just ringing on the off chance that you've had a moment to look".
    r"on\s+the\s+off[-\s]chance(?:\s+that)?(?=\s+(?:you|u)\b)",
    # "can you confirm the panel has read it": someone on their side, then the perfect.
    r"(?<!for\s)(?:confirm(?:ing)?|double[-\s]?check(?:ing)?|verify(?:ing)?)(?:\s+that)?"
    r"(?=\s+(?:your|ur|the)\s+(?:[a-z-]+\s+)?[a-z]+\s+(?:has|have|had)\b)",
    # "Hope you have received the catalogue and gone through it": a presumption.
    r"(?:(?:i|we)\s+)?(?:hope|hoping|trust|trusting)(?:\s+that)?(?=\s+(?:you|u)\b)",
    # "I'm not sure you've seen it": the doubt is the question, "if" or not.
    r"(?:not|n'?t)\s+(?:sure|certain)(?=\s+(?:you|u)\b)",
    # "Are you sure you got it?", "lmk u got it".
    r"(?:are|r)\s+(?:you|u)\s+(?:sure|certain)(?:\s+that)?(?=\s+(?:you|u)\b)",
    r"(?:lmk|pls\s+confirm|plz\s+confirm)(?=\s+(?:you|u)\b)",
    # Round 12: "I want to be sure that you received", "Any chance your procurement lead
    # has gone through…", "I would like to ask you if", "Any news on whether", "Hopefully
    # you've had a chance".
    r"be\s+(?:sure|certain)(?:\s+that)?(?=\s+(?:you|u)\b)",
    r"any\s+chance(?:\s+that)?(?=\s+(?:you|u|your|ur)\b)",
    r"ask\s+(?:you|u)\s+(?:if|whether)",
    r"(?:any\s+)?(?:news|word|update)\s+(?:on|about)\s+(?:whether|if)",
    r"hopefully(?=\s+(?:you|u)\b)",
    # Round 13: "inquire whether the committee has studied…", "may I follow up if your
    # office has reviewed…", "just seein if you had a chance".
    r"(?:inquire|enquire|enquiring|inquiring)\s+(?:as\s+to\s+)?(?:if|whether)",
    r"follow(?:ing)?\s+up\s+(?:on\s+)?(?:if|whether)",
    r"seeing\s+(?:if|whether)",
    # Round 14: "Checking in on whether…", "Hoping the board had the chance to…".
    r"(?:checking|check)\s+in\s+(?:on\s+)?(?:if|whether)",
    r"(?:hope|hoping)(?:\s+that)?(?=\s+(?:the|your)\s+(?:[a-z-]+\s+)?(?:board|team|committee|panel|trustees)\b)",
)
# "I'm guessing", "I'd imagine", "chances are": the rep presumes, inviting agreement.
PRESUME = any_of(
    r"(?:i|we)(?:\s*'m|\s+am|m|\s*'d|\s+would|\s+can|\s+could)?\s+(?:assume|assuming|guess|guessing|imagine|"
    r"imagining|bet|betting|suppose|supposing|figure[d]?|figuring|suspect|expect|presume|"
    r"reckon|think|thinking|going\s+to\s+guess|gonna\s+guess|take\s+it|sure|certain|believe|gather)",
    r"(?:i'?m|im|i\s+am)\s+(?:sure|certain)",
    r"(?:chances|odds)\s+are",
    r"my\s+(?:guess|hunch|feeling|sense|bet|suspicion)\s+is(?:\s+that)?",
    r"(?:i|we)\s+(?:have\s+a\s+feeling|fear)|(?:i'?m|i\s+am)\s+afraid",
    r"(?:i|we)(?:\s*'m|\s+am)?\s+(?:going\s+to|gonna|will|'ll)\s+(?:guess|assume|bet|presume)",
    r"presumably|no\s+doubt",
    r"let\s+me\s+guess,?",  # Round 13
    r"(?:fair|safe|reasonable)\s+to\s+(?:assume|say|guess|presume)",
    # (Round 13: not a presumption denied: "I'm not assuming anyone has read it yet".)
    r"(?:^|(?<=[\s,]))(?<!not\s)(?<!n't\s)(?:assume|assuming|guess|guessing|presuming|reckon|bet|betting|take\s+it)(?:\s+that\s+means)?",
    r"may\s+(?:i|we)\s+(?:assume|take\s+it|presume)",
    r"(?:(?:i|we)\s*(?:'ve|\s+have)?\s+)?(?:got|get|have)\s+a\s+(?:feeling|hunch|sneaking\s+suspicion)",
)
DOUBT = r"(?:i|we)\s+(?:doubt|don'?t\s+(?:suppose|imagine|expect|think|know\s+if))"
# Where what was sent ends up unread.
LOST = any_of(
    r"(?:got|gotten|get|been|was|went|ended\s+up|end\s+up|slipped|fell|fallen|landed|disappeared|"
    r"'s|is|are|'re)\s+(?:(?:probably|likely|just|still|straight|right|directly|somewhere)\s+){0,2}"
    r"(?:lost|buried|(?:in|into|to)\s+(?:your|ur|the)\s+(?:spam|junk|promotions|clutter|trash)|"
    r"through\s+the\s+cracks|under\s+the\s+radar|stuck|caught\s+in|filtered|missed|overlooked|"
    # "maybe it got stripped by your filters?"
    r"(?:stripped|blocked|quarantined|eaten|caught)(?:\s+(?:out|up))?\s+(?:by|in)\s+(?:your|ur|the)\s+(?:[a-z-]+\s+)?"
    r"(?:filters?|firewall|spam|security|mail\s+server|system|it))",
    r"(?:ended\s+up|end\s+up|went|go|gone|landed|land)\s+(?:(?:straight|right|directly)\s+)?(?:in|into|to)\s+(?:spam|junk)",
    r"(?:sitting\s+)?(?:unread|unopened)",
    # Round 10: "I'm sure the contract is hiding somewhere at the bottom of your inbox!"
    r"(?:hiding|lurking|languishing|gathering\s+dust)(?:\s+(?:somewhere|away|out))?\s+(?:(?:at|near)\s+the\s+bottom\s+of|in|under|on)\s+(?:your|ur)\b",
    # No reading verb, still a presumption: "still sitting on your to-do list".
    r"(?:still\s+)?sitting\s+(?:somewhere\s+|around\s+)?(?:on|in|at|around)\s+(?:your|ur|the)\b",
    r"(?:on|at)\s+(?:the\s+bottom\s+of\s+)?(?:your|ur)\s+(?:[a-z'-]+\s+)?(?:to-?do|todo|reading)\s+(?:list|pile)",
    # "still somewhere on your to-do list", "near the bottom of your inbox", "in the queue".
    r"(?:(?:still\s+)?(?:(?:sitting|sat|lying|languishing|gathering\s+dust)\s+)?somewhere\s+|still\s+(?:(?:sitting|sat|lying|languishing|gathering\s+dust)\s+)?|"
    r"(?:sitting|sat|lying|languishing|gathering\s+dust)\s+)(?:on|at|near|in)\s+"
    r"(?:(?:the\s+)?(?:very\s+)?(?:bottom|back|end)\s+of\s+)?"
    r"(?:your|ur|the)\s+(?:[a-z'-]+\s+)?(?:(?:to-?do|todo|reading)\s+)?(?:list|pile|stack|queue|heap|in-?tray|inbox)\b",
    r"(?:on|at|near|in)\s+(?:the\s+)?(?:very\s+)?(?:bottom|back|end)\s+of\s+(?:your|ur|the)\s+(?:[a-z'-]+\s+)?"
    r"(?:(?:to-?do|todo|reading)\s+)?(?:list|pile|stack|queue|heap|in-?tray|inbox)\b",
    r"(?:on\s+the\s+)?back\s+burner",
    # Round 13: "still sitting with your legal folks", "still with your wife for review",
    # "still in the 'to read' folder".
    r"still\s+(?:sitting\s+|somewhere\s+)?(?:with|in\s+front\s+of)\s+(?:your|ur)\b",
    r"still\s+in\s+(?:the|your|ur)\s+[\"']?to[\s-]?(?:read|do|review)\b",
    r"(?:slipped|slip|slid|got|gone|went|passed|flew|fell)\s+(?:right\s+)?(?:past|by)\s+(?:you|u)\b",
    r"(?:escaped|missed)\s+your\s+(?:notice|attention|radar|inbox)",
    r"(?:flew|slipped|went|gone)\s+under\s+(?:your|the)\s+radar",
    r"(?:hasn'?t|haven'?t|has\s+not|have\s+not|not|didn'?t|never)\s+(?:quite\s+|yet\s+)?(?:made\s+it|make\s+it|got|gotten|risen|reached)"
    r"\s+(?:to|onto|up)\s+(?:the\s+top\s+of\s+)?(?:your|ur|the\s+(?=(?:pile|list|stack|queue|inbox|heap)\b))",
)
# What may stand between "my email" and "got lost": "may have", "probably just".
MAYBE = (
    r"(?:(?:probably|likely|may|might|must|could|would|have|has|had|just|already|somehow|did|didn'?t|"
    r"not|never|hopefully|maybe|possibly|simply|accidentally|still|is|are|'ve|'s|been)(?:\s+|(?='))){0,3}"
)
INBOX = (
    r"\s+(?:in|among|under|into|to)\s+(?:your|ur|the|all\s+your)\s+(?:[a-z]+\s+)?"
    r"(?:inbox|e-?mails?|mail|spam|junk|shuffle|pile|noise|messages|folder)"
)
# "it" alone is what was sent only when it is lost somewhere an email goes.
LOST_AT = any_of(
    LOST + INBOX,
    r"(?:got|gotten|get|been|was|were)\s+(?:stripped|blocked|quarantined|eaten|caught)(?:\s+(?:out|up))?\s+(?:by|in)\s+"
    r"(?:your|ur|the)\s+(?:[a-z-]+\s+)?(?:filters?|firewall|spam|security|mail\s+server)",
    r"(?:got|gotten|get|been|was|went|ended\s+up|end\s+up|landed)\s+(?:in|into|to)\s+(?:your|ur|the)\s+"
    r"(?:spam|junk|promotions|clutter|trash)",
)
ARRIVE = any_of(
    r"make\s+it|made\s+it|arrive[d]?|(?:come|came|go|went)\s+(?:through|thru)",
    r"reach(?:ed)?(?:\s+you)?|land(?:ed)?|get\s+(?:to\s+you|through|thru)|got\s+(?:to\s+you|through|thru)",
    # Round 11: "did my voice note send??" (not "did the deck ever go out?": the rep's
    # own outbox).
    r"send(?=\s*(?:\?|ok|okay|properly|alright|$))",
    # "Did the brochure get to your wife okay?": someone on their side.
    r"(?:get|got|make\s+it|made\s+it)\s+to\s+(?:your|ur)\s+[a-z]+",
    # "Did the proposal end up reaching Sarah in procurement?"
    r"end(?:ed)?\s+up\s+(?:reaching|getting\s+to|with|in\s+front\s+of)",
    # "has the proposal made its way to Dr. Okafor?", "get in front of your finance director".
    r"(?:made|make|found|find)\s+(?:its|it's|their)\s+way\s+(?:to|into|through|over\s+to|round|around)",
    # Round 12: "Did that make it to the top of the pile yet?", "has been received at your end".
    r"(?:make|made|making)\s+it\s+(?:to\s+the\s+top\s+of|off|out\s+of)\s+(?:the|your|ur)\s+(?:[a-z-]+\s+)?"
    r"(?:pile|list|inbox|queue|desk|stack|radar|reading\s+list|to-do\s+list)",
    r"been\s+(?:safely\s+|duly\s+|properly\s+)?received",
    # Round 13: "were duly received by your department", "has come to your attention",
    # "had reached the top of your reading list".
    r"(?:was|were)\s+(?:duly\s+|safely\s+|properly\s+)?received",
    r"come\s+to\s+your\s+attention",
    r"reach(?:ed)?\s+the\s+top\s+of\s+(?:your|ur|the)\b",
    # Round 10: "Did the countersigned NDA get back to you OK?"
    r"(?:get|got|come|came|make\s+it|made\s+it)\s+back\s+to\s+(?:you|u|ye)",
    r"(?:get|got|gotten)\s+in\s+front\s+of",
    # "Did the contract get over to Legal OK?", learner "was reached to you safely".
    r"(?:get|got|gotten|make\s+it|made\s+it)\s+(?:over|across|round)\s+to",
    r"(?:was|were|been)\s+reached\s+(?:to\s+)?(?:you|u)",
)
# Arrived, in a receipt check: "making sure my email from Tuesday with the LOI made it
# through" (what was sent may be described at length before it).
ARRIVED = (
    r"(?:made\s+it(?:\s+(?:through|thru|to\s+you|to\s+u))?|reach(?:ed)?\s+(?:you|u)|landed|arrived|"
    r"came\s+(?:through|thru)|got\s+(?:through|thru|to\s+you))\b"
)
# A name that opens a texted question with no comma ("gary u get a chance…"): not a
# verb, an auxiliary or an observer ("could you review…", "saw u opened it").
NAME_ALONE = (
    r"(?!(?:could|can|would|will|should|shall|may|might|must|r|are|do|does|did|have|has|had|were|was|is|if|"
    r"when|once|and|but|so|thank|thanks|let|tell|ask|as|after|before|until|since|because|that|what|how|why|"
    r"where|who|which|saw|seen|see|noticed|notice|spotted|looks|glad|hope|hoping|wonder|wondering|guess|"
    r"guessing|bet|think|sure|not|whether|unless)\b)[a-z\u00e0-\u00ff]+"
)
# Received, as reps and their prospects spell it: asked, it is a receipt check of
# whatever noun follows (round 9).
RECEIVED = r"(?:receive[ds]?|recieve[ds]?|recive[ds]?|recd|rec'd|rcvd|rcv'd|recvd|recv'd)\b"
# What the prospect receives from anyone but the rep: money, a go-ahead, news.
NOT_SENT_NEWS = (
    r"(?:funding|grant|grants|approval|award|payment|payments|money|refund|go-?ahead|sign-?off|news|results?|"
    r"budget|funds|deposit|salary|bonus|diagnosis|promotion|feedback|complaint|complaints|votes?|referral)\b"
)
# Who arrives in person: "did the kids get to you okay" is no receipt check.
ARRIVING_PEOPLE = (
    r"(?:kids|children|guests|family|parents|wife|husband|partner|team|staff|crew|engineers?|technicians?|"
    r"drivers?|couriers?|movers|visitors|delegates|students|interns?|hires?|candidates?|builders?|plumbers?|"
    r"electricians?|rain|storm|snow|weather|sun|heat|results|offer|loan|mortgage|visa|permits?|"
    # Round 12: whoever answers: "Did the insurer come back to you about the requirement?"
    r"insurers?|underwriters?|brokers?|lenders?|banks?|suppliers?|vendors?|agents?|landlords?|clients?|"
    r"customers?|council|auditors?|assessors?|inspectors?|surveyors?|regulators?)\b"
)
RECEIVE_NEEDLES = ("receiv", "reciev", "reciv", "recd", "rec'd", "rcvd", "rcv'd", "recvd", "recv'd")
# Verbs that, asked about, are nearly always about something sent: "review the X",
# "go through the X". Any noun phrase after "the" will do ("the pen test findings").
# Not "look at" or "get through": "look at the venue", "get through the migration".
STRONG_READ = (
    any_of(
        r"review(?:ed)?",
        r"(?:read|look(?:ed)?|go|went|gone)\s+(?:through|thru|over)",
        r"(?:skim(?:med)?|digest(?:ed)?|peruse[d]?)(?:\s+(?:through|over))?",
        r"(?:dig|dug)\s+into",
        r"(?:sit|sat)\s+down\s+with",
    )
    + r"\b"
)
# Not people ("the candidates for the role") nor the prospect's own or a third party's
# ("the visitor numbers from your exhibition").
ANY_THE = (
    rf"(?:the|that|this|those|these)\s+(?!{THIRD_PARTY}|(?:news|game|match|weather|headlines?)\b)"
    # Nor the media's: "the piece in the paper", "the fraud thing on the news".
    r"(?!(?:[a-z0-9&'-]+\s+){1,4}?(?:on|in)\s+the\s+(?:news|paper|papers|press|telly|tv|radio)\b)"
    r"(?!(?:[a-z0-9&'-]+\s+){0,3}?(?:candidates?|applicants?|people|hires|interviewees|nominees)\b)"
    rf"[a-z0-9&'-]+(?:\s+(?!(?:of|from|by)\b)[a-z0-9&'-]+){{0,3}}?"
    r"(?!(?:\s+[a-z]+){0,2}?\s+(?:of|from|by)\s+(?:your|ur|their|his|her)\b)"
    rf"{NOT_DONE}\b"
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

# "did the first one come through?": what was sent, named by its place in the thread.
ONE_SENT = r"(?:(?:the|that)\s+(?:first|last|other|original|previous|earlier|old)\s+one|(?:this|that)\s+one|those|these)\b"
# A presumed reading, asked: "I assume you've had a chance to digest the case study?",
# "I take it the board has gone through our capability statement?".
PRESUMED_READ = (
    rf"\b{PRESUME}\s+(?:that\s+)?{ASKED}{PERFECT}?\s+(?:(?:has|have|had|already|all|both)\s+){{0,2}}"
    rf"{ADVERBS}{TAKE_IN}{ADVERBS}{SENT_THING}[^.?!]*\?"
)
# "the deck i send yesterday can open or not?", "your tech lead already went through or
# not yet?", "u see already?": a reading asked by its alternative (Singaporean, Malaysian).
OR_NOT = (
    r"\b(?:can\s+)?(?:read|see|seen|saw|open|opened|check|checked|finish|finished|watch|watched|review|reviewed|"
    r"(?:go|went|gone)\s+(?:through|thru|over)|look(?:ed)?\s+(?:through|thru|over|at\s+it)|download|downloaded|receive[d]?|get|got)"
    r"(?:\s+(?:it|them|already|liao|yet|ah|le))*\s*,?\s+or\s+not(?:\s+yet)?\s*\?"
    r"|\b(?:{YOU}\s+)?(?:see|read|open|check|watch|receive|got|get)\s+(?:already|liao)\s*\?"
).replace("{YOU}", YOU)
# What what was sent did, asked of it, presupposes it was taken in: "Was the webinar
# replay worth the 40 minutes?", "Did the renders I shared give your client a good
# feel?" (not "Did the demo on Tuesday answer the questions": an event, not a send).
EFFECT_OF_SENT = (
    rf"{CLAUSE_START}(?:was|were|is)\s+{ARTEFACT_SUBJECT}{ABOUT}\s+worth\s+(?:the|your|their)\s+"
    r"(?:\d+|few|extra|ten|twenty|thirty|forty)?\s*(?:minutes?|mins?|hours?|time|read|watch|listen)\b"
    # "Was it worth sitting through the full hour?"
    rf"|{CLAUSE_START}(?:was|were|is)\s+(?:it|{ARTEFACT_SUBJECT}{ABOUT})\s+worth\s+"
    r"(?:sitting|reading|watching|listening|wading|ploughing|plowing|getting)\s+(?:through|thru|to)\b"
    rf"|\b(?:did|does|do)\s+(?:the|my|our|those|these|that|this)\s+(?:[a-z0-9&'-]+\s+){{0,3}}?[a-z'-]+\s+{SENT_BY_ME}"
    r"(?:\s+[a-z0-9'-]+){0,3}?\s+(?:give|help|answer|make\s+sense|cover|clear\s+up|address)\b"
)

# Not an event the prospect attended ("Did the demo on Tuesday make sense?"), unless
# its recording was sent.
NOT_EVENT = (
    r"(?!(?:the|my|our|that|this|those|these)\s+(?:[a-z0-9&'-]+\s+){0,4}?"
    # (A virtual tour or a product demo video is sent, not attended.)
    r"(?<!virtual\s)(?<!3d\s)(?<!product\s)(?<!recorded\s)(?<!video\s)(?:demo|call|meeting|webinar|session|"
    r"presentation|workshop|tour|visit|event|pitch|trial|pilot|conversation|chat)s?\b"
    r"(?!\s+(?:recording|replay|video|deck|slides|notes|summary|recap)))"
)
# How what was sent was taken in, asked of it, presupposes it was taken in: "Was the
# pricing on page 6 clear?", "Were the redlines easy to follow?", "Did the tasting notes
# whet your appetite?", "Hope the proposal made for good bedtime reading". (Its value
# alone is no trap: "Was the proposal useful for your planning?" stays honest.)
# How it was taken in: clear, easy to follow, too technical; round 9: easy to open on
# their end (a receipt check), what they expected ("Was the pricing I sent in line with
# what you expected?").
TAKEN_IN = (
    r"(?:clear|(?:easy|hard|tough|difficult)\s+(?:enough\s+)?to\s+(?:follow|read|digest|understand|get\s+through|"
    r"open|access|download|play|view|navigate)|"
    r"(?:too|a\s+bit\s+too|a\s+little\s+too|overly|rather)\s+(?:technical|long|dense|detailed|much|heavy)|"
    r"enough\s+to\s+(?:get|give)|(?:detailed|clear)\s+enough|"
    r"(?:what|everything)\s+(?:you|u|your\s+[a-z]+|they)\s+(?:expected|were\s+expecting|had\s+in\s+mind|"
    r"were\s+looking\s+for|were\s+hoping\s+for)|in\s+line\s+with\s+(?:what\s+)?(?:you|u|your))\b"
)
RECEPTION_OF_SENT = (
    rf"{CLAUSE_START}(?:was|were)\s+{NOT_EVENT}{ARTEFACT_SUBJECT}{ABOUT}\s+(?:(?:all|both|also)\s+)?"
    r"(?:(?:useful|helpful|interesting|ok|okay|good)\s*,?\s+or\s+)?"
    + TAKEN_IN
    + rf"|\bdid\s+{NOT_EVENT}{ARTEFACT_SUBJECT}{ABOUT}\s+(?:(?:all|both|also|actually)\s+)?"
    r"(?:whet|live\s+up\s+to|read\s+well|hit\s+the\s+mark|make\s+sense)\b"
    # (Round 13: "Did the migration plan make sense when you went through it?" is a trap
    # too, as three hands marked it: the reading is presumed, not left to them to tell.)
)
# Round 11: its use, asked closed or hoped in the past tense, presupposes it was read:
# "Was the ROI calculator useful?", "Did your team find the spec sheets useful?", "Hope
# you found the cheat sheet handy!" Not its use for a purpose ("Was the proposal useful
# for your budget planning?"), an event ("Was the meeting with the Dean useful?"), an
# offer of another way ("..., or would a live session be better?"), nor the future ("I
# hope you find the guide useful": it is being sent now).
FOUND_USEFUL = (
    rf"(?:{CLAUSE_START}(?:was|were)\s+{NOT_EVENT}{ARTEFACT_SUBJECT}{ABOUT}\s+"
    rf"|\b(?:did|has|have)\s+{ASKED}\s+(?:find|found)\s+{NOT_EVENT}{ARTEFACT_SUBJECT}{ABOUT}\s+"
    rf"|\b(?:hope|hoping|trust)\s+(?:that\s+)?{ASKED}\s+found\s+{NOT_EVENT}{ARTEFACT_SUBJECT}{ABOUT}\s+)"
    r"(?:(?:at\s+all|really|actually|all|both|also)\s+)?"
    r"(?:useful|helpful|handy|valuable|any\s+(?:use|good|help)|of\s+(?:any\s+|some\s+)?(?:use|help|value))\b"
    r"(?!\s+(?:for|in|with)\s+(?:your|ur|the|their)\s+(?:[a-z-]+\s+){0,2}?(?:planning|plans?|budget|budgeting|"
    r"forecast|forecasting|review|meeting|board|decision|case|discussions?|prep|preparation)\b)"
    r"(?![^.?!]*,?\s+or\s+(?:would|should|shall|do|is|are)\b)"
)
HOPED_READING = (
    rf"\b(?:hope|hoping|hopefully|trust)\s+(?:that\s+)?{ARTEFACT_SUBJECT}{ABOUT}\s+(?:made\s+for|was|were|proved|made)\s+"
    r"(?:a\s+|an\s+|some\s+)?(?:[a-z]+\s+){0,2}?(?:reading|read|viewing|watching|listening|watch|listen)\b"
)
RECEPTION_NEEDLES = (
    "expect",
    " in line",
    " had in mind",
    " looking for",
    " hoping for",
    "clear",
    " easy",
    " hard",
    " tough",
    " difficult",
    "too ",
    "overly",
    " rather",
    "enough",
    " whet",
    "live up",
    "make sense",
    "read well",
    "the mark",
)

# Literal pieces one of which every match of ASK_IF holds, and every match of NOT: the
# patterns built on them are tried only where one occurs (see Gated).
ASK_IF_NEEDLES = (
    " if", " whether", " that", " confirm", " sure", " double", " verif", " ensur", " check",
    " hop", " trust", " certain", " lmk", " off chance", " off-chance", " chance", " ask",
    "quir", " follow", " seeing",
)  # fmt: skip
PRESUME_NEEDLES = (
    " assum", " guess", " imagin", " bet", " suppos", " figur", " suspect", " expect",
    " presum", " reckon", " think", " take", " sure", " certain", " chances", " odds",
    " hunch", " feeling", " sense", " suspicion", " fear", " afraid", " doubt", " say",
    " believ", " gather", " may i", " may we",
)  # fmt: skip
LOST_NEEDLES = (
    " stripp", " block", " quarant", " eaten",
    " lost", " buried", "spam", "junk", "promotions", "clutter", "trash", " crack", " radar",
    " stuck", " caught", " filter", " missed", " overlook", "unread", "unopened", " sitting",
    "to-do", "todo", " reading", " burner", " past", " by ", " escap", " made it",
    " make it", " got", " risen", " reach", " inbox", " pile", " list",
)  # fmt: skip
NOT_NEEDLES = ("n't", " not", " never", " havent", " hadnt", " didnt", " hav nt")

# "Just checking my email arrived", "not sure whether it has landed with you".
ARRIVAL_CHECKED = Gated(
    rf"\b(?:(?:sure|wonder(?:ing|ed)?|curious|(?:double[-\s]?)?check(?:ing)?|see|confirm|certain)(?:,?\s+(?:um+|uh+|er+|erm+),)?\s+(?:(?:if|whether|that)\s+)?|"
    rf"know\s+(?:if|whether)\s+|find\s+out\s+(?:if|whether)\s+|(?:hope|hoping|trust|trusting)\s+(?:that\s+)?)"
    # "whether it had landed with you": the perfect, too.
    rf"(?:(?:{ARTEFACT_SUBJECT}{ABOUT}|it)\s+(?:(?:has|had|have|ever|actually|even|safely|all)\s+){{0,2}}{ARRIVE}|"
    rf"{ARTEFACT_SUBJECT}(?:\s+[a-z0-9'-]+){{1,10}}?\s+{ARRIVED})\b",
    *(
        " sure",
        " wonder",
        " curious",
        " check",
        " see",
        " confirm",
        " certain",
        " know",
        " find",
        " hop",
        " trust",
        "-check",
    ),
)
# Arrival, asked indirectly or doubted: "may I ask if the study summary has arrived",
# "I wanted to make sure they reached you okay", "whether it has found its way to Mr
# Brereton", "revert whether the same has been reviewed by your team".
ARRIVAL_ASKED = Gated(
    rf"\b(?:{ASK_IF}|(?:make|making)\s+sure|ensure|confirm,?)\s+(?:that\s+)?(?:{ARTEFACT_SUBJECT}{ABOUT}|it|they|the\s+same)\s+"
    rf"(?:(?:has|had|have|ever|actually|even|safely|all|both)\s+){{0,2}}"
    # (Round 12: "Kindly advise whether the quotation dated 21/10 has been reviewed".)
    rf"(?:{ARRIVE}|been\s+(?:duly\s+|properly\s+|fully\s+)?{READ_DONE}|{READ_DONE}(?=\s+by\s+(?:your|ur|the|you)\b))",
    *ASK_IF_NEEDLES,
    " make sure",
    " making sure",
)
# Lost, asked or checked: "Not sure if it got buried?", "I wanted to check it didn't
# get lost over the summer", "did this one slip past you?"
LOST_CHECKED = Gated(
    rf"\b(?:{ASK_IF}|check|checking|(?:make|making)\s+sure|ensure)\s+(?:that\s+)?(?:it|they|this|{ARTEFACT_SUBJECT}{ABOUT})"
    rf"(?:\s+|(?=')){MAYBE}{LOST}"
    rf"|\bdid\s+(?:{ARTEFACT_SUBJECT}{ABOUT}|it|{ONE_SENT})\s+(?:(?:somehow|just)\s+)?(?:slip|get|go|fall)\s+"
    r"(?:past|by|through\s+the\s+(?:cracks|net))\b",
    *LOST_NEEDLES,
)
# Checks of receipt that a statement may follow a reveal with, as its reason: "Our
# system shows it hasn't been opened, so I wanted to make sure it didn't end up in spam"
# is the reveal only (see lint.candidates).
RECEIPT_CHECKS = frozenset({ARRIVAL_CHECKED.pattern, ARRIVAL_ASKED.pattern, LOST_CHECKED.pattern})

TRAP_PATTERNS: list[re.Pattern[str] | Gated] = [
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
    Gated(
        rf"{CLAUSE_START}{SUBJECT}{PERFECT}?\s+(?:(?:did|didn'?t|didnt|have|haven'?t|havent|"
        rf"had|got|never|already|probably|surely)\s+)?{ADVERBS}{TAKE_IN}{ADVERBS}{SENT_THING}"
        # (Round 10: not past a dash, a semicolon or "but": "You clicked the link but didn't
        # book - did none of the times work?" asks about the times.)
        rf"(?:(?!\s(?:but|-)\s)[^.?!,;\u2013\u2014])*(?:,\s*{TAG})?\s*\?",
        "?",
    ),
    # "Had a chance to read my email?", "Seen my deck?", "Had a squiz?", "Got the packs ok?"
    Gated(
        rf"{CLAUSE_START}(?:(?:{CHANCE}\s+){{1,2}}(?:{READ}\s+)?|(?:seen|saw|read|got|get|see|c)\s+|"
        rf"(?:had|have|taken|took|get|got)\s+{A_LOOK}\s*)"
        rf"(?:{SENT_THING}\s*)?(?:(?:yet|already|ok|okay|alright|safely|fine)\s*)?\?",
        "?",
    ),
    # "Quotation - seen?", "Proposal: read or not yet?": what was sent, then the question.
    Gated(
        rf"{CLAUSE_START}(?:(?:my|our|the)\s+)?(?:[a-z0-9'-]+\s+){{0,2}}?{ARTEFACT}\s*[-:\u2013\u2014,]+\s*"
        rf"(?:{READ_DONE}|seen|read|received|got\s+it|had\s+{A_LOOK})"
        rf"(?:\s*,?\s*(?:or\s+)?(?:{READ_DONE}|seen|read|skimmed|received))*"
        r"(?:[\s,]+(?:it|yet|already|or\s+not(?:\s+yet)?|at\s+all))*\s*\?",
        "?",
    ),
    re.compile(rf"\bany\s+(?:luck|joy)\s+(?:with\s+)?(?:{READING}\s+)?{SENT_THING}"),
    # Did my email come through? Has the proposal reached you? Did my note get buried?
    re.compile(
        # (Round 11: not what came from their side: "Did the email from your IT team go through?")
        rf"\b(?:did|has|have|had)\s+(?![^.?!]*\bfrom\s+(?:your|ur)\s)(?:{ARTEFACT_SUBJECT}{ABOUT}|it|{ONE_SENT}|(?:that|this)(?=\s+(?:make|made|get|got|arrive|reach|land|come|find)\b))\s+(?:(?:ever|actually|already|all|even|both|perhaps|maybe|possibly|not)\s+){{0,2}}"
        # "Did my email find you alright?" (not "Hope this email finds you well").
        rf"(?:{ARRIVE}|find\s+(?:you|u)\s+(?:ok|okay|alright|all\s+right|safely|fine)|"
        rf"(?:get|got|gotten|been|go|end\s+up)\s+(?:lost|buried|missed|stuck|overlooked|"
        rf"(?:in|into|to)\s+(?:(?:your|the)\s+)?(?:spam|junk)))\b"
    ),
    # Asked indirectly: "Just checking whether you read my email", "Let me know if you got it",
    # "Not sure if my last note reached you", "No worries if you haven't had a chance".
    Gated(
        rf"\b{ASK_IF}\s+{SUBJECT}{PERFECT}?\s+(?:(?:have|had|did|were|ever|already|got|been|"
        rf"managed|happened|not|haven'?t|havent|didn'?t|didnt|never)\s+){{0,2}}{ADVERBS}"
        rf"(?:{TAKE_IN}{ADVERBS}(?:{SENT_THING}|{CLAUSE_END})|{CHANCE_NAMED}{CLAUSE_END})",
        *ASK_IF_NEEDLES,
    ),
    # "Did they reach you ok? I sent both files on Friday.": "they" only where it reached you.
    re.compile(
        r"\b(?:did|have|had)\s+(?:they|both|both\s+of\s+them|the\s+two\s+of\s+them)\s+(?:(?:ever|actually|all)\s+)?"
        r"(?:reach(?:ed)?\s+(?:you|u)|come\s+through|get\s+(?:to\s+(?:you|u)|through)|make\s+it\s+to\s+(?:you|u))\b"
    ),
    # "Could you confirm receipt of the engagement letter we sent on Tuesday?"
    re.compile(
        rf"\b(?:confirm(?:ing)?|acknowledg(?:e|ing))\s+(?:(?:safe|the|your)\s+)?receipt\s+of\s+{SENT_THING}"
    ),
    ARRIVAL_CHECKED,
    # Feigned ignorance: "You haven't read my email yet, have you?", "I'm guessing you
    # haven't looked", "You've probably not had time to read it", "Probably haven't...".
    Gated(
        rf"(?:\b{SUBJECT}{PERFECT}?\s+(?:{HEDGE}\s+)?|{CLAUSE_START}(?:{HEDGE}\s+)?)"
        rf"{NOT}\s+(?:{HEDGE}\s+)?(?:have\s+)?(?:even\s+|yet\s+|actually\s+|really\s+)?"
        rf"(?:{TAKE_IN}{ADVERBS}(?:{SENT_THING}|{CLAUSE_END})|{CHANCE_NAMED}{CLAUSE_END}|look(?:ed)?{CLAUSE_END})",
        *NOT_NEEDLES,
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
        # "In case you didn't get to the replay, here are the takeaways": an offer, not a question.
        r"(?!\s+(?:to|round|around)\b)"
    ),
    # "I'm guessing it got lost in your inbox", "It probably ended up in your spam folder",
    # "I imagine my email got buried".
    Gated(
        rf"\b(?:{ARTEFACT_SUBJECT}{ABOUT}\s+{MAYBE}{LOST}|(?:it|they)(?:\s+{MAYBE}|\s*(?=')){LOST_AT})",
        *LOST_NEEDLES,
    ),
    Gated(
        rf"\b{PRESUME}\s+(?:that\s+)?(?:{ARTEFACT_SUBJECT}{ABOUT}|it|they)(?:\s+|(?=')){MAYBE}"
        rf"(?:{LOST}|(?:{NOT}|never)\s+(?:{ARRIVE}|got\s+to\s+you))",
        *PRESUME_NEEDLES,
    ),
    # Round 12: arrival presumed, of what was sent named ("I take it the rate sheet I sent
    # has made its way to your finance team?"; not "guessing it landed" after a reveal).
    Gated(
        rf"\b{PRESUME}\s+(?:that\s+)?{ARTEFACT_SUBJECT}{ABOUT}(?:\s+|(?='))"
        rf"(?:(?:has|have|had|'s)\s+)?(?:(?:already|now|safely|by\s+now)\s+)?{ARRIVE}\b",
        *PRESUME_NEEDLES,
    ),
    Gated(PRESUMED_READ, "?"),
    Gated(OR_NOT, " or not", "already", "liao"),
    # (One pattern, one gate: each pattern tried costs a call per sentence.)
    Gated(
        EFFECT_OF_SENT + "|" + RECEPTION_OF_SENT,
        "worth",
        "did ",
        "does ",
        " do ",
        *RECEPTION_NEEDLES,
        also=(" was", " were", " is ", "did ", "does ", " do "),
    ),
    # Round 13: the same question in the languages reps switch into mid-message: Tagalog
    # ("Nabasa niyo na po ba yung proposal?"), Indonesian ("sudah sempat baca proposal
    # yang saya kirim?"), Hindi ("proposal dekha kya?"), Spanish ("¿Pudo ver el estimado
    # que le mandé?").
    Gated(
        r"\b(?:nabasa|na-?basa|na-?check|na-?review|na-?open|napanood|natanggap|na-?receive)\s+(?:mo|niyo|nyo|ninyo|n'yo)\b"
        r"|(?=[^.!]*(?:\?|\bapakah\b))\b(?:sudah|udah|sdh)\s+(?:sempat\s+)?(?:di)?(?:baca|cek|check|lihat|terima|buka|review)\b"
        r"|\bdekh(?:a|i|e)\s+(?:kya|ki\s+nahi)\b|\baap(?:ne)?\b[^.?!]{0,40}\bdekh(?:a|i)\b|\bpadh(?:a|i)\s+kya\b"
        r"|\b(?:pudo|pudiste|alcanzó\s+a|alcanzaste\s+a)\s+(?:ver|leer|revisar|mirar)\b"
        r"|\b(?:recibió|recibiste|leyó|leíste|revisó|revisaste)\s+(?:el|la|los|las|mi|mis|nuestro|nuestra)\b",
        "nabasa",
        "na-",
        "napanood",
        "natanggap",
        "sudah",
        "udah",
        "sdh ",
        "dekh",
        "padh",
        "pudo",
        "pudiste",
        "alcanz",
        "recibi",
        "leyó",
        "leíste",
        "revisó",
        "revisaste",
    ),
    # Round 13: "Kindly confirm receipt", "please acknowledge receipt of the quotation".
    Gated(
        r"\b(?:kindly|please|pls|plz|could\s+you|can\s+you|would\s+you)\s+(?:re-?)?(?:confirm|acknowledge|ack)\s+(?:the\s+)?receipt\b"
        # Not of a payment: "Please confirm receipt of payment on your side."
        r"(?!\s+of\s+(?:the\s+|our\s+|my\s+)?(?:payment|funds|transfer|deposit|remittance|money|wire)\b)",
        "receipt",
    ),
    # Round 14: "any thoughts after reading the materials we dropped off?", "Is the
    # quality agreement still waiting for your review?", "Sent you the pricing yesterday -
    # did it make sense?"
    Gated(
        r"\bany\s+(?:thoughts|feedback|questions|comments|reactions|concerns)\s+(?:after|since|from)\s+"
        r"(?:reading|watching|going\s+through|looking\s+(?:at|through|over)|reviewing|listening\s+to|seeing)\b"
        rf"|\b(?:is|are)\s+{ARTEFACT_SUBJECT}{ABOUT}\s+still\s+(?:waiting|awaiting|pending|sitting)\s+(?:for\s+|on\s+)?"
        r"(?:your|ur)\s+(?:[a-z-]+\s+)?(?:review|read|attention|look|sign-?off)\b"
        r"|\b(?:sent|shared|emailed|attached|dropped|whatsapped)\b[^.?!]{0,80}?\b(?:did|does|has)\s+(?:it|they|that|this)\s+"
        r"(?:all\s+)?(?:make\s+sense|land|arrive|come\s+through|read\s+well)\b",
        "any ",
        "still",
        "sense",
        " land",
        "arrive",
        "come through",
    ),
    # Round 13: "Are you still working through the illustration?"
    re.compile(
        rf"\b(?:are|r)\s+(?:you|u|they)\s+(?:still\s+)?(?:working|going|reading|wading|ploughing|plowing|getting)\s+"
        rf"(?:through|thru)\s+{SENT_THING}"
    ),
    Gated(
        FOUND_USEFUL,
        "useful",
        "helpful",
        "handy",
        "valuable",
        "any use",
        "any good",
        "any help",
        "of use",
        "of any",
        "of some",
        "of help",
        "of value",
    ),
    # "Hope the proposal made for good bedtime reading": a hope, and a reading word.
    Gated(HOPED_READING, " hop", " trust", also=("read", "view", "watch", "listen")),
    # A presumed reading stated: "I'm sure you've already looked at the terms", "You'll
    # have seen from the deck that...", "Your team has probably gone through the guide",
    # "I believe by now you have looked at the proposal".
    Gated(
        rf"\b(?:{PRESUME}\s+(?:that\s+)?(?:by\s+now\s+)?{ASKED}{PERFECT}|"
        rf"{SUBJECT}(?:\s*'ll|\s+will|\s+must)\s+have|"
        rf"{SUBJECT}(?:\s*'ve|\s*'s|\s+(?:has|have))\s+(?:probably|prob|prolly|likely|most\s+likely|surely|no\s+doubt|doubtless))\s+"
        rf"(?:(?:all|both|already|by\s+now)\s+){{0,2}}{ADVERBS}(?:{TAKE_IN}{ADVERBS}(?:(?:from|in)\s+)?{SENT_THING}|"
        # Round 10: "You'll have seen by now that the licence count in the renewal has
        # gone up": what they saw, then where.
        rf"(?:seen|noticed|spotted|read)\s+(?:(?:by\s+now|already)\s+)?that\b[^.?!]{{0,80}}?\b(?:in|from|on)\s+{SENT_THING})"
        # Round 10: "As you no doubt noticed in the deck, …", "as you'll have seen in the
        # pack" (not "as you saw in the demo": a meeting, or "as you said").
        rf"|\bas\s+{SUBJECT}(?:\s*'ll\s+have|\s+will\s+have|\s+may\s+have|\s+might\s+have|\s+must\s+have|"
        r"\s+(?:no\s+doubt|doubtless|surely|undoubtedly|probably|likely)(?:\s*'ve|\s+have)?)\s+"
        rf"(?:seen|noticed|spotted|read)\s+(?:in|from|on)\s+{SENT_THING}"
        # "I gather Legal haven't got round to the order form yet?": a presumed unread
        # state, whoever it is about.
        rf"|\b{PRESUME}\s+(?:that\s+)?{ASKED}{PERFECT}?\s+(?:{HEDGE}\s+)?{NOT}\s+(?:{HEDGE}\s+)?"
        rf"(?:even\s+|yet\s+|actually\s+|really\s+|quite\s+)?"
        rf"(?:{TAKE_IN}{ADVERBS}(?:{SENT_THING}|{CLAUSE_END})|{CHANCE_NAMED}{CLAUSE_END})",
        *PRESUME_NEEDLES,
        "'ll have",
        " will have",
        " must have",
        "prob",
        "likely",
        "surely",
        "no doubt",
        "doubtless",
        # Each branch needs a perfect, a "have" or a negation as well.
        also=(
            "ve",
            "'d",
            " d ",
            "ud ",
            " had",
            " hav",
            " hv",
            "'s",
            " has",
            "n't",
            " not",
            " never",
            "nt ",
        ),
    ),
    # "Did the audio stems download OK on your end?": a receipt check.
    re.compile(
        r"\bdid\s+(?:(?:the|my|our|those|these|that|this)\s+(?:[a-z0-9&'-]+\s+){0,3}?[a-z0-9&'-]+\s+download"
        rf"|{ARTEFACT_SUBJECT}\s+(?:open|load))"
        r"(?=\s+(?:ok|okay|alright|fine|properly|correctly|all\s+right)\b)"
        # "Did the link to the 3D walkthrough work on your end?": the same check.
        rf"|\bdid\s+{ARTEFACT_SUBJECT}{ABOUT}\s+(?:(?:actually|all|even)\s+)?(?:work|open|load|play)"
        r"(?=\s+(?:ok|okay|alright|fine|properly|correctly|all\s+right|on\s+(?:your|ur)\s+(?:end|side)|"
        r"(?:for|with)\s+(?:you|u|your|ur)|at\s+(?:your|ur)\s+end)\b)"
    ),
    # Has Marcus had a look at the ROI model? Did your CFO get a chance to read the case?
    Gated(rf"{ASKED_BY_AUX}{PERFECT}?\s+{ADVERBS}{TAKE_IN}{ADVERBS}{SENT_THING}", *AUX_NEEDLES),
    Gated(PASSIVE_READ, *AUX_NEEDLES),
    # Learner English, the present passive: "is the offer read by your co-owner already?"
    Gated(
        rf"{CLAUSE_START}(?:is|are)\s+(?:{ARTEFACT_SUBJECT}|it|they){ABOUT}\s+(?:(?:already|all|yet)\s+)?"
        rf"{READ_DONE}\s+by\s+(?:your|ur|the|you|u|anyone|someone|any)\b",
        " by ",
    ),
    # Samples sent are taken in by trying them: "Has your lab had a chance to test the
    # resin samples we sent?", "you taste the Etna Rosso I dropped off or what?" (not "try
    # the sandbox" or "the new café": only samples, or what the rep says they sent).
    Gated(
        rf"(?:{ASKED_BY_AUX}{PERFECT}?\s+|{CLAUSE_START}{SUBJECT}\s+){ADVERBS}(?:(?:{CHANCE}\s+){{1,2}}{ADVERBS})?"
        r"(?:try|tried|test|tested|taste|tasted|sample|sampled|trial|trialled|trialed)\s+"
        rf"(?:(?:the|my|our|those|these|that|this)\s+(?:[a-z0-9&'-]+\s+){{0,3}}?samples?\b|"
        rf"(?:the|those|these|that|this)\s+(?={I_SOON})(?:[a-z0-9&'-]+\s+){{0,3}}?[a-z'-]+\s+{SENT_BY_ME})"
        r"[^.?!]*\?",
        "?",
    ),
    # "Did the course preview get watched by your L&D lead?": any noun, read by someone.
    Gated(
        rf"{CLAUSE_START}(?:did|has|have|had|was|were)\s+(?:the|my|our|that|this)\s+(?:[a-z0-9&'-]+\s+){{0,4}}?"
        r"[a-z0-9&'-]+\s+(?:(?:ever|actually|already|all)\s+)?(?:get|got|gotten|been|be)\s+"
        # "Has the pentest report been circulated and read by the dev team yet?"
        r"(?:(?:circulated|shared|passed\s+(?:round|around|on)|forwarded)\s+and\s+)?"
        r"(?:read|watched|looked\s+(?:at|over|through)|reviewed|viewed|opened|seen|listened\s+to|gone\s+through|"
        r"a\s+(?:(?:proper|quick|good|first|close)\s+)?(?:read|look|listen|once-over))\s+"
        r"(?:by|from)\s+(?:your|ur|the|you|anyone|someone|any)\b",
        *AUX_NEEDLES,
    ),
    re.compile(SOMETHING_YOU),
    # "Did the podcast episode I sent you get a listen?": what was sent, given a reading.
    Gated(
        rf"\b(?:did|has|have|had)\s+{ARTEFACT_SUBJECT}(?:\s+{SENT_BY_ME})?(?:\s+(?:you|u|over|across|through))?\s+(?:(?:ever|actually|already|even)\s+)?"
        r"(?:get|got|gotten|had)\s+(?:a|an|any)\s+(?:(?:quick|proper|good|first|close)\s+)?"
        r"(?:read|look|listen|watch|once-over|skim|glance|look-in)\b",
        " a ",
        " an ",
        " any ",
    ),
    # "I'm assuming the team's seen the rate card by now?", "You'll have seen the revised
    # quote by now": a presumed reading, "by now".
    Gated(
        rf"\b{SUBJECT}(?:\s*'s|\s*'ve|\s*'ll\s+have|\s+(?:will|must|would|should|has|have)(?:\s+have)?)\s+"
        rf"(?:(?:{HEDGE}|already|all)\s+)?{TAKE_IN}{ADVERBS}{SENT_THING}[^.?!]{{0,30}}?\bby\s+now\b",
        "now",
    ),
    # "Has your security lead been able to look over the pen test findings?"
    Gated(
        rf"{ASKED_BY_AUX}{PERFECT}?\s+{ADVERBS}(?:(?:{CHANCE}\s+){{1,2}}{ADVERBS})?"
        rf"{STRONG_READ}\s+{ADVERBS}{ANY_THE}",
        *AUX_NEEDLES,
    ),
    re.compile(
        rf"\b(?:were|was)\s+{YOU}\s+{ADVERBS}(?:(?:{CHANCE}\s+){{1,2}}{ADVERBS})?{STRONG_READ}\s+{ADVERBS}{ANY_THE}"
    ),
    # "Could you let me know whether the draft agreement has been reviewed?"
    Gated(
        rf"\b(?:{ASK_IF}|(?:confirm(?:ing)?|verify(?:ing)?|double[-\s]?check(?:ing)?)(?:\s+that)?)\s+"
        rf"(?:{ARTEFACT_SUBJECT}|it){ABOUT}\s+(?:has|have|had|was|were|is|got|'s)\s+"
        r"(?:(?:ever|already|actually|yet|been|got|gotten|properly|all)\s+){0,3}" + READ_DONE,
        *ASK_IF_NEEDLES,
    ),
    # "I'm guessing the contract hasn't been looked at yet": a presumed unread state; "I
    # trust the revised SOW has been reviewed by now?", "Presumably the guide has been read
    # by the whole team": a presumed reading, in the passive.
    Gated(
        rf"\b(?:{PRESUME}|(?:i|we)\s+trust)\s+(?:that\s+)?(?:{ARTEFACT_SUBJECT}{ABOUT}|it|they)(?:\s+{MAYBE}"
        rf"(?:{NEGATED}(?:been\s+)?{READ_DONE}|(?:is|are|'s|'re)\s+(?:still\s+)?(?:unopened|unread|untouched))|"
        rf"(?:\s+(?:has|have|had)|\s*'s)\s+(?:(?:already|all|probably|now|surely)\s+)?been\s+"
        rf"(?:(?:already|all|properly|fully)\s+)?{READ_DONE})",
        *PRESUME_NEEDLES,
        " trust",
    ),
    # "Could you let me know whether your counsel has had the opportunity to review them?"
    # "I would like to ask if you and your colleagues could already review the offer."
    Gated(
        rf"\b{ASK_IF}\s+{ASKED}{PERFECT}?\s+(?:(?:has|have|had|did|were|was|ever|already|got|been|"
        rf"managed|happened|(?:could|can)(?=\s+already))\s+){{0,2}}{ADVERBS}{TAKE_IN}{ADVERBS}(?:{SENT_THING}|{CLAUSE_END})",
        *ASK_IF_NEEDLES,
    ),
    # "I wanted to confirm whether the contracting team has had an opportunity to review
    # the revised technical volume": a strong reading verb takes any noun phrase.
    Gated(
        rf"\b{ASK_IF}\s+{ASKED}{PERFECT}?\s+(?:(?:has|have|had|did|were|was|already|been)\s+){{0,2}}"
        rf"{ADVERBS}(?:(?:{CHANCE}\s+){{1,2}}{ADVERBS})?{STRONG_READ}\s+{ADVERBS}{ANY_THE}",
        *ASK_IF_NEEDLES,
    ),
    # Round 9. Received, asked, takes any noun phrase: "just to check whether you received
    # the IFU and the product samples?", "checking everyone received the invite for the
    # kick-off?" (not the prospect's own news: funding, an approval, a payment).
    Gated(
        rf"(?:\b{QUESTION_AUX}\s+|\b{ASK_IF}\s+{ASKED}{PERFECT}?\s+(?:(?:has|have|had|did|already|all|both)\s+){{0,2}}|"
        rf"{CLAUSE_START}{SUBJECT}{PERFECT}?\s+(?:(?:all|both|already)\s+)?(?=[^?]*\?)){ADVERBS}{RECEIVED}\s+{ADVERBS}"
        rf"(?!(?:[a-z0-9&'-]+\s+){{0,3}}?{NOT_SENT_NEWS})(?:{ANY_THE}|(?:my|our)\s+[a-z0-9&'-]+)"
        # Not from someone else: "the new laptops from IT", "the invitation from the committee".
        r"(?![^?.!]*?\bfrom\s+(?!(?:me|us|my|our|now|last|this|yesterday|earlier|monday|tuesday|wednesday|thursday|"
        r"friday|saturday|sunday|the\s+other\s+day)\b))",
        *RECEIVE_NEEDLES,
    ),
    # What was sent named first, then the question with no auxiliary: "the quotation I
    # emailed, you received already right?", "The deck - you had a look?"
    Gated(
        rf"{CLAUSE_START}{SENT_THING}{ABOUT}\s*[,\-\u2013\u2014]+\s*{SUBJECT}{PERFECT}?\s+{ADVERBS}"
        rf"(?:{READ}|{READ_ALONE})(?:\s+(?:it|them|already|yet|ok|okay|safely|liao))*\s*(?:,?\s*{TAG})?\s*\?",
        "?",
    ),
    # Texted with the name and no comma: "gary u get a chance to look at the sprayer pricing??"
    Gated(
        rf"^\s*{NAME_ALONE}\s+(?:{YOU})\s+(?:(?:did|have|had|got|already|ever)\s+)?{ADVERBS}{TAKE_IN}{ADVERBS}{SENT_THING}[^.?!,]*\?",
        "?",
    ),
    ARRIVAL_ASKED,
    LOST_CHECKED,
    # Still on its way, asked: "are my emails even getting to you?"
    Gated(
        rf"{CLAUSE_START}(?:are|is)\s+(?:{ARTEFACT_SUBJECT}{ABOUT}|it|they)\s+(?:(?:even|actually|ever|still)\s+)?"
        r"(?:getting\s+(?:to\s+(?:you|u|your)|through)|reaching\s+(?:you|u|your)|coming\s+through|landing|arriving)\b",
        " getting",
        " reaching",
        " coming",
        " landing",
        " arriving",
    ),
    # A doubt that it arrived, stated: "I'm conscious the pitch document may not yet have
    # reached the partners' desks", "I'm worried my email went to spam".
    Gated(
        rf"\b(?:i'?m|i\s+am|we'?re|we\s+are)\s+(?:a\s+(?:little|bit)\s+)?(?:conscious|aware|worried|concerned|mindful|nervous)\s+"
        rf"(?:that\s+)?(?:{ARTEFACT_SUBJECT}{ABOUT}|it|they)(?:\s+|(?=')){MAYBE}"
        rf"(?:{LOST}|(?:{NOT}|never)\s+(?:(?:yet|quite|actually)\s+)?(?:have\s+)?(?:{ARRIVE}|got\s+to\s+you))",
        " conscious",
        " aware",
        " worried",
        " concerned",
        " mindful",
        " nervous",
    ),
    # A presumed reading with nothing named, "by now": "I'm sure you've had a look by now",
    # "Guessing you've watched the drone flyover of the site by now?"
    Gated(
        rf"\b{PRESUME}\s+(?:that\s+)?{ASKED}{PERFECT}\s+(?:(?:already|all|both|probably)\s+)?{ADVERBS}"
        rf"(?:{TAKE_IN}(?:(?:it|them)\s+)?|{READ}\s+{ANY_THE}[^.?!]{{0,30}}?\s)by\s+now\b",
        "by now",
    ),
    # How it was taken in, hoped or wondered: "I hope the quote was clear", "just
    # wondering if my voicemail made sense?"
    Gated(
        rf"\b(?:hope|hoping|hopefully|trust|{ASK_IF})\s+(?:that\s+)?{NOT_EVENT}{ARTEFACT_SUBJECT}{ABOUT}\s+"
        rf"(?:(?:was|were)\s+(?:(?:all|both|also)\s+)?{TAKEN_IN}|made\s+sense)",
        " hop",
        " trust",
        *ASK_IF_NEEDLES,
        also=(
            "clear",
            " easy",
            " hard",
            "difficult",
            "too ",
            "enough",
            "expect",
            " in line",
            "made sense",
        ),
    ),
    # Trouble opening it, asked: "did they struggle to open them?", "Did you have any
    # trouble downloading the drawings?"
    Gated(
        rf"\b(?:did|do|does|have|has|had)\s+(?:{SUBJECT}|they|he|she)\s+(?:(?:have|had|run\s+into|hit)\s+(?:any\s+)?"
        r"(?:trouble|issues?|problems?|difficulty|difficulties)|struggle)\s+(?:to\s+|with\s+|in\s+)?"
        rf"(?:open|download|access|view|play|load)(?:ing)?\s+(?:it|them|{SENT_THING})",
        " trouble",
        " issue",
        " problem",
        " difficult",
        " struggl",
    ),
    # Used what was sent, asked: "did you get a chance to run your numbers through it?"
    Gated(
        rf"\b{QUESTION_AUX}\s+{ADVERBS}(?:(?:{CHANCE}\s+){{1,2}}{ADVERBS})?(?:run|ran|put|plug|plugged)\s+"
        rf"(?:your|ur|the|some)\s+(?:own\s+)?(?:numbers|figures|data|costs)\s+(?:through|into)\s+(?:it|them|{SENT_THING})",
        " numbers",
        " figures",
        " data",
        " costs",
    ),
    # Arrival asked of any noun phrase, as only what was sent arrives by these verbs:
    # "Did the CDA come through okay?", "checking the roof survey pics came through?",
    # "Did the loan paperwork make it to the director's desk?" (not money, news or people).
    Gated(
        rf"(?:\b(?:did|has|have|had)\s+|\b(?:check(?:ing)?|wonder(?:ing|ed)?|sure|see)\s+(?:(?:if|whether|that)\s+)?)"
        rf"(?:the|my|our|those|these)\s+(?!(?:[a-z0-9&'-]+\s+){{0,3}}?(?:{NOT_SENT_NEWS}|{ARRIVING_PEOPLE}|{PEOPLE}))"
        # (Round 10: up to seven words: "the calendar invite for the site visit".)
        r"(?:[a-z0-9&'-]+\s+){0,6}?[a-z0-9&'-]+\s+(?:(?:has|have|ever|actually|all|even|both|safely)\s+)?"
        r"(?:(?:come|came)\s+(?:through|thru)|(?:make|made)\s+it\s+(?:to|through|over|across)|reach(?:ed)?\s+(?:you|u|ye)\b|"
        r"(?:get|got)\s+(?:to\s+(?:you|u|ye|ya)\b|over\s+to|across\s+to)|"
        # Round 10: "did the sample tiles land with ye alright?", "Did the
        # two hard copies of our bid reach County Hall…?", "Did the calendar invite show
        # up on your side?", "Did the countersigned NDA get back to you OK?".
        r"land(?:ed)?\s+(?:with|on|in)\s+(?:you|u|ye|ya|your|ur)\b|"
        r"reach(?:ed)?\s+(?!(?:a|an|the|any|some|its|their)?\s*(?:[a-z-]+\s+)?(?:decision|agreement|conclusion|consensus|"
        r"deal|settlement|milestone|target|stage|point|verdict|quorum|capacity|level|peak|limit|end|total|goal)s?\b)"
        r"(?:[a-z0-9&'.-]+\s+){0,5}?[a-z0-9&'.-]+\s+(?:before|by|in\s+time|ok|okay|safely|alright|yet|in\s+one\s+piece)\b|"
        r"reach(?:ed)?\s+(?:your|ur|the)\s+(?:[a-z&'-]+\s+){0,4}?(?:team|desk|office|department|dept|committee|board|inbox|reception)\b|"
        r"(?:show|showed|shown|turn|turned|pop|popped)\s+up\s+(?:on|in|at)\s+(?:your|ur|ye)\s+(?:[a-z]+\s+)?(?:side|end|inbox|calendar|diary|desk)\b|"
        r"(?:get|got|come|came|make\s+it|made\s+it)\s+back\s+to\s+(?:you|u|ye)\b)[^.?!]*\?",
        "?",
    ),
    # Round 10: arrived, of ours or of what only a rep sends: "Did our little care package
    # arrive?", "Did the demo unit arrive at the hospital in one piece?" (not "Did the
    # parcel arrive safely?", "Did the new laptops arrive?": anyone's).
    Gated(
        r"\b(?:did|has|have|had)\s+(?:(?:my|our)\s+(?:[a-z0-9&'-]+\s+){0,3}?[a-z0-9&'-]+|(?:the|those|these)\s+"
        r"(?:[a-z0-9&'-]+\s+){0,3}?(?:samples?|swatch(?:es)?|brochures?|catalogues?|catalogs?|demo\s+units?|"
        r"test\s+units?|loan\s+units?|prototypes?|tasters?|specimens?))\s+(?:(?:ever|actually|all|even|both|safely)\s+)?"
        r"arrived?\b[^.?!]*\?",
        " arriv",
    ),
    # A presumed pending state, whatever was sent: "I'm guessing the feasibility survey is
    # still on your to-do list?", "I imagine the procurement pack is still working its way
    # round your IT lot?", "I'm assuming the contract's still with your lawyers for review?"
    Gated(
        rf"\b{PRESUME}\s+(?:that\s+)?(?:the|my|our|it|they)\b(?:\s+[a-z0-9&'-]+){{0,4}}?(?:\s+|(?=')){MAYBE}"
        r"(?:still\s+)?(?:(?:on|at|near|in)\s+(?:the\s+bottom\s+of\s+)?(?:your|ur)\s+(?:[a-z'-]+\s+)?(?:to-?do|todo|reading)\s+(?:list|pile)|"
        r"(?:working|making|wending)\s+(?:its|their)\s+way\s+(?:round|around|through)|"
        # Round 10: "I take it the proposal has already made its way round your team?"
        r"(?:made|found)\s+(?:its|their)\s+way\s+(?:round|around|to|through)\s+(?:your|ur)\b|"
        r"with\s+(?:your|ur)\s+(?:[a-z'-]+\s+)?(?:lawyers?|legal|solicitors?|counsel|procurement|it|finance|board)(?:\s+(?:team|folks|people|lot))?\s+for\s+review)\b",
        *PRESUME_NEEDLES,
    ),
    # "I know you haven't read the lease yet": a presumed unread state.
    Gated(
        rf"\b(?:i|we)\s+know\s+(?:that\s+)?{SUBJECT}{PERFECT}?\s+{NOT}\s+(?:(?:yet|even|actually|really|quite)\s+)?"
        rf"(?:{TAKE_IN}{ADVERBS}(?:{SENT_THING}|{ANY_THE}|{CLAUSE_END})|{CHANCE_NAMED}{CLAUSE_END})",
        " know",
    ),
]

# Once a reveal has named what was sent, a closed reading question needs no artefact of
# its own: "noticed you viewed the deck - did it answer your questions?", "Looks like you
# watched the Loom - did you catch the bit on integrations?", a later "Did you get a
# chance to look at the catering menus at the back?". Tried only after a reveal.
# (Those that need a "?" apart from those a statement may hold, each behind a gate.)
AFTER_REVEAL_STATED: list[re.Pattern[str] | Gated] = [
    # "... has been opened 9 times, so I assume the committee has read it": presumed, stated.
    Gated(
        rf"\b{PRESUME}\s+(?:that\s+)?{ASKED}(?:{PERFECT}|\s+(?:has|have))\s+(?:(?:had|already|all|both|been)\s+){{0,3}}"
        # (Not "I reckon you've got questions".)
        rf"{ADVERBS}(?!(?:get|got|gotten)\s+(?!(?:a|the|any|round|around|to|through|thru)\b)){TAKE_IN}",
        *PRESUME_NEEDLES,
    ),
    # "..., so you've probably had a proper look at the packages by now".
    Gated(
        rf"\b{SUBJECT}(?:\s*'ve|\s+have|\s*'ll\s+have|\s+will\s+have|\s+must\s+have)\s+"
        rf"(?:probably|surely|likely|no\s+doubt|doubtless)\s+{ADVERBS}{TAKE_IN}",
        "probably",
        "surely",
        "likely",
        "no doubt",
        "doubtless",
    ),
    # "... - just wanted to check you'd had a proper look at the fees".
    # (Not a bare "got": "... - hope you got some rest!")
    Gated(
        rf"\b{ASK_IF}\s+{SUBJECT}{PERFECT}?\s+{ADVERBS}"
        rf"(?!(?:get|got|gotten)\s+(?!(?:a|the|any|round|around|to|through|thru)\b)){TAKE_IN}",
        *ASK_IF_NEEDLES,
    ),
]
AFTER_REVEAL_PATTERNS: list[re.Pattern[str] | Gated] = [
    Gated(rf"\b{QUESTION_AUX}\s+{ADVERBS}{TAKE_IN}[^?]*\?", "?"),
    # Texted, the question mark dropped: "... opened the deck. did u see the SSO bit at least".
    re.compile(rf"^\s*{QUESTION_AUX}\s+{ADVERBS}{TAKE_IN}[^?.!]*$"),
    # No auxiliary: "..., you even get to the part about blackouts?", "You get a chance to
    # read the part about the incentive?"
    Gated(
        rf"{CLAUSE_START}{SUBJECT}\s+(?:(?:even|actually|ever|already|also)\s+)?"
        rf"(?:(?:(?:{CHANCE}\s+){{1,2}}{ADVERBS})?{TAKE_IN}|"
        r"(?:get|got|make\s+it|made\s+it)\s+to\s+the\s+(?:[a-z0-9'-]+\s+)?(?:part|bit|section|end|slide|page)s?\b)[^?]*\?",
        "?",
    ),
    # How it was taken in: "Our portal shows the schedule was viewed. Was it clear enough?"
    Gated(
        rf"{CLAUSE_START}(?:was|were)\s+(?:it|they|that|this)\s+(?:(?:all|both|also)\s+)?"
        # ("Was it easy enough to use?": after the reveal, what was sent is named.)
        rf"(?:{TAKEN_IN}|(?:easy|simple|straightforward)\s+(?:enough\s+)?to\s+use\b)[^?]*\?",
        "?",
    ),
    # "..., but has Marcus had a look yet?", "... - did he get through the financials?"
    Gated(rf"{ASKED_BY_AUX}{PERFECT}?\s+{ADVERBS}{TAKE_IN}[^?]*\?", "?"),
    # Round 10: a reading in progress, asked: "… was downloaded again - is the board
    # reviewing it?", "are you and Sam going through it now?".
    Gated(
        rf"{CLAUSE_START}(?:is|are|r)\s+{ASKED}\s+(?:(?:still|now|already|all)\s+)?{READING}\s+"
        r"(?:through\s+|over\s+)?(?:it|them|this|that)\b[^?]*\?",
        "?",
    ),
    *AFTER_REVEAL_STATED,
    # "..., I assume you've read the bit about delivery windows?", "... - guess you and
    # your partner have been going through the numbers?", "..., may I assume Dr Singh has
    # read the results?": a presumed reading, asked.
    Gated(
        rf"\b{PRESUME}\s+(?:that\s+)?{ASKED}(?:{PERFECT}|\s+(?:has|have))\s+(?:(?:had|already|all|both|been)\s+){{0,3}}"
        rf"{ADVERBS}(?:{TAKE_IN}|{READING})[^?]*\?",
        "?",
    ),
    # "..., so you have had time to see the insurance part, no?"
    Gated(
        rf"\b{SUBJECT}{PERFECT}\s+(?:(?:already|all)\s+)?(?:had|got)\s+(?:the\s+|enough\s+|a\s+)?(?:time|chance)\s+to\s+{READ}[^?]*\?",
        "?",
    ),
    Gated(
        r"\b(?:did|has|have)\s+(?:it|they|that|this|the\s+[a-z]+)\s+(?:(?:actually|also|all)\s+)?"
        r"(?:answer|help|cover|address|make\s+sense|clear\s+up|give\s+(?:you|u|your|the))\b[^?]*\?",
        "?",
    ),
]

# "Whether or not you've had time to look", "even if you haven't opened it": no question.
CONCESSIVE = (
    r"(?:whether\s+or\s+not|even\s+if|regardless\s+of\s+whether|no\s+matter\s+(?:whether|if))"
)
# A trap is not a trap in a condition
# ("If you haven't had time to read it, no worries") or a promise not to ask.
TRAP_EXCUSED = re.compile(
    # "Should you not have had the opportunity to review it, ...": a condition, inverted.
    r"(?:^|[,;(])\s*should\s+$|"
    rf"(?:^|[\s,(])(?:if|unless|whenever|once|in\s+case|{CONCESSIVE})\s+"
    r"(?!(?:you|u)\s+(?:could|would|can|might|don'?t\s+mind)\b)(?:[a-z'@-]+\s+){0,3}$|"
    r"\b(?:not\s+going\s+to|won'?t|will\s+not|not\s+gonna|never\s+going\s+to|no\s+need\s+to)\s*$|"
    # Round 10: a request waived: "No need to reply to confirm you got this", "you don't
    # have to write back to confirm".
    r"\b(?:no\s+need|(?:you\s+|u\s+)?(?:don'?t|do\s+not|needn'?t|need\s+not)(?:\s+(?:need|have)\s+to)?)\s+(?:to\s+)?"
    r"(?:(?:reply|respond|answer|write\s+back|get\s+back(?:\s+to\s+(?:me|us))?)\s+(?:just\s+)?(?:to|and)\s+)?$|"
    # "Rather than ask if you've read it, let me give you the short version": no question.
    r"\b(?:rather\s+than|instead\s+of)(?:\s+(?:ask|asking|check|checking|chase|chasing)\s+(?:(?:you|u)\s+)?(?:if|whether)?)?\s*$|"
    # "I'm not ringing to ask whether...", "not writing to check...": a promise too.
    r"\b(?:not|n'?t)\s+(?:[a-z]+ing\s+|here\s+)(?:just\s+)?to\s*$|"
    # "Thanks for confirming you'd received the samples": the prospect told.
    r"\b(?:thanks?|thank\s+you|thx|grateful)\b(?:\s+[a-z]+){0,2}?\s+for\s+$"
)
# The prospect said it, before the trap words: "You said on Tuesday you hadn't had a
# chance to read it yet" (not "could you let me know": a request).
SAID_SO = re.compile(
    r"\b(?:you|u|they|he|she)\s+(?:said|mentioned|told\s+(?:me|us)|wrote|replied)\b"
)
# A promise not to ask, for the model: "I won't ask whether you've read it".
PROMISE = re.compile(
    r"\b(?:(?:not\s+going\s+to|won'?t|will\s+not|not\s+gonna|never\s+going\s+to|no\s+need\s+to)"
    r"|(?:not|n'?t)\s+(?:[a-z]+ing\s+|here\s+)(?:just\s+)?to|rather\s+than|instead\s+of)\s+(?:ask|check|chase)(?:ing)?\b"
    r"|\bno\s+need\s+to\s+(?:(?:reply|respond|answer|write\s+back)\s+(?:to|and)\s+)?(?:confirm|acknowledge|let\s+(?:me|us)\s+know)\b"
    # "Thanks for confirming the agreement was received": the prospect told.
    r"|\b(?:thanks?|thank\s+you|thx|grateful)\b(?:\s+[a-z]+){0,2}?\s+for\s+(?:confirming|letting\s+(?:me|us)\s+know)\b"
)
# An errand, not a reading: "Did you get everything sorted with the audit?"
ERRAND = re.compile(
    r"\b(?:get|got|gotten|getting)\s+(?:[a-z0-9'-]+\s+){1,4}?(?:sorted|signed|countersigned|paid|approved|done|"
    # (Round 13: "Were you able to get the security review scheduled?")
    r"fixed|set\s+up|booked|processed|raised|finali[sz]ed|over\s+the\s+line|scheduled|arranged|organi[sz]ed|"
    r"filed|submitted|lodged|returned)\b"
    # "Has Legal signed off on the MSA, or are they still reviewing it?": an approval.
    r"|\b(?:signed|sign|signing)\s+off\b"
    # "Did you get a chance to rest over the holidays?": a break, no reading.
    r"|\b(?:chance|time|opportunity|moment)\s+(?:to|for)\s+(?:(?:get\s+)?(?:some\s+)?(?:rest|relax|unwind|recharge|recover|"
    r"switch\s+off|breathe|sleep|a\s+break|a\s+holiday|a\s+vacation|time\s+off))\b"
    # "Have you checked whether your licence covers it?": the prospect finding something out.
    r"|\b(?:you|u)\b(?:\s+[a-z'-]+){0,2}?\s+(?:check|checked|look\s+into|looked\s+into|find\s+out|"
    r"found\s+out|confirm|confirmed|ask|asked|work\s+out|worked\s+out)\s+(?:whether|if|how|what|which)\b"
    # "Did you get the insurance quote from your agent yet?": a third party's, not the rep's.
    r"|\b(?:get|got|receive[d]?|hear)\s+(?:the|a|an|any)\s+"
    r"(?![^?]*?\b(?:look|read|flick|glance|skim|once-over|listen|review|going-over|peek|watch)\b)"
    r"(?:[a-z0-9'-]+\s+){0,3}?(?:back\s+)?from\s+"
    r"(?:your|ur|their|his|her)\s+[a-z]+"
    # "Tell me whether you'd prefer to go over the contract on Tuesday": a wish, not a reading.
    r"|\b(?:you|u)\s*(?:'d|would)\s+(?:like|love|prefer|rather|want)\b|\bwould\s+(?:you|u)\s+(?:like|prefer|rather)\b"
    # "You should have the policy documents by Friday": the rep announces a delivery.
    r"|\b(?:you|u)\s*(?:should|will|'ll|shall)\s+(?:have|get|receive|see)\s+(?!(?:received|got|gotten|seen|read|had|"
    r"looked|opened|been)\b)[^?]*?\b(?:by|within|shortly|soon|tomorrow|today|later|next|early|on\s+(?:monday|"
    r"tuesday|wednesday|thursday|friday))\b(?!\s+now\b)"
)
# Round 12: an errand done, asked ("Did you get the invoice for October paid?"): no
# reading, whatever the grammar read as what was sent.
GOT_IT_DONE = re.compile(
    r"\b(?:get|got|gotten|getting)\s+(?:[a-z0-9'-]+\s+){1,5}?(?:sorted|signed|countersigned|paid|approved|"
    r"fixed|processed|booked|renewed|finali[sz]ed|scheduled|arranged|organi[sz]ed|filed|submitted|lodged|returned)\b"
)
# A condition over the reading itself: "If you haven't had time to read it yet, ...".
CONDITION = re.compile(
    rf"(?:^\s*|[,;(]\s*)(?:if|unless|whenever|once|in\s+case|{CONCESSIVE}|should(?=\s+(?:you|u)\b))\s+(?:[a-z'@-]+\s+){{0,3}}?"
    r"(?:hasn'?t|haven'?t|have\s+not|has\s+not|didn'?t|did\s+not|not|had|have|has|get|got|need)\b"
)
# "Pls revert once you have gone through it", "let me know when your team has read it":
# a reading yet to come, anywhere in a sentence that asks nothing ("Let me know once
# you've read it - or have you already?" still asks).
YET_TO_COME = re.compile(
    r"^[^?]*\b(?:once|when|whenever|after|as\s+soon\s+as|until|till)\s+(?:[a-z@-]+\s+){0,3}?[a-z@-]+"
    r"(?:\s*'ve|\s+(?:has|have))\b[^?]*$"
)
# A request to read, for the model: "When you get a chance, could you look over the
# contract?" asks for a reading to come ("could you already check it?" asks whether).
REQUEST = re.compile(
    r"\b(?:could|can|would|will)\s+(?:you|u)\s+(?:please\s+|kindly\s+)?(?!already\b)"
    r"(?:take\s+a\s+(?:quick\s+)?look|have\s+a\s+(?:quick\s+)?look|look|review|read|go\s+(?:over|through)|check)\b"
)
# Someone else's document, for the model: "Did you read the board minutes before the
# meeting?", "you see the landlord's email about the sublease?" (unless the rep sent it).
THEIRS = re.compile(
    # Round 10: "the ABC report on…", "the deck Competitor X pitched you".
    rf"\b(?:{READ}|{READING})\s+(?:through\s+|over\s+)?(?:the|that|this)\s+(?:{OTHERS}|{THIRD_PARTY}|"
    rf"(?:[a-z0-9&'-]+\s+){{0,2}}?{ARTEFACT}{HANDED_BY_OTHERS})"
    r"(?![^?]*\b(?:i|we)\s*(?:'ve|\s+have)?\s+(?:sent|shared|emailed|attached|forwarded|prepared)\b)"
)
# The prospect's own document: "Have you finished reviewing your audit findings?"
YOUR_OWN = re.compile(
    rf"\b(?:{READ}|{READING})\s+(?:through\s+|over\s+)?(?:your|ur)\s+(?!(?:[a-z'-]+\s+){{0,2}}?(?:copy|hands?|desk|inbox|in-?tray)\b)"
    r"(?!.*\b(?:my|our|i|we)\b)"
)
