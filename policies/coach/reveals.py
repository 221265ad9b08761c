"""Surveillance reveals: telling the prospect what tracking showed.

``SURVEILLANCE_PATTERNS`` find an observer or a tool that reports a tracked act (opens,
clicks, views, visits, downloads, time, progress, devices, places, counts, and things
*not* opened), a tracked act stated as fact, a thank-you for one, or engagement counted
as a noun. ``TOLD_ME`` (the prospect said it) and ``GUESSES`` (a presumption is a trap,
not a reveal) say when such words are no reveal.
"""

from __future__ import annotations

import re

from policies.coach.grammar import (
    A_LOOK,
    ACTOR,
    ARTEFACT_SUBJECT,
    CLAUSE_START,
    NEGATED,
    OBSERVER,
    OBSERVER_NEEDLES,
    PERFECT,
    SENT_BY_ME,
    SENT_THING,
    SUBJECT,
    TOOL,
    TOOL_SAYS,
    WORD_EDGE,
    Gated,
)
from policies.coach.lexicon import (
    ARTEFACT,
    TOOL_BRAND,
    TOOL_NAME,
    WEB_PLACE,
    any_of,
)

# A place of ours on the web, not one you can walk into ("been to our Leeds office").
PHYSICAL = (
    r"(?!\s+(?:[a-z]+\s+){0,2}?(?:office|offices|hq|headquarters|stand|booth|factory|plant|event|"
    r"showroom|warehouse|store|shop|clinic|open\s+day|campus|site\s+visit|lab|studio)\b)"
)
# A place opened is news, not a document opened: "Saw you opened a second site in
# Kumasi", "you haven't opened the Johannesburg office yet".
A_PLACE = (
    r"\s+(?:(?:a|an|the|your|their|its|another|our|ur)\s+)?(?:[a-z0-9'-]+\s+){0,2}?"
    r"(?:office|store|branch|clinic|depot|warehouse|plant|factory|shop|restaurant|hotel|school|"
    r"showroom|outlet|campus|hq|headquarters|facility|practice|surgery|mine|terminal|venue|gym|"
    r"salon|account|position|role|vacancy|doors|market|line|route)(?:s|es)?"
    r"(?=\s*(?:[,.?!;:\-]|$|\s+(?:in|at|on|for|yet|last|this|next|today|soon|and|with|near|by|up|already)\b))"
    r"|\s+(?:a|an|another|its|their)\s+(?:new\s+|second\s+|third\s+|fourth\s+|[a-z]+\s+)?"
    r"(?:site|sites|location|locations|hub|lab|labs)\b"
)
NOT_A_PLACE = rf"(?!{A_PLACE})"
# For the model's veto: "I noticed you haven't opened the Manchester office yet" is news.
OPENED_A_PLACE = re.compile(rf"\bopen(?:ed|ing|s)?(?:\s+up)?(?:{A_PLACE})")
# Literal pieces one of which every tool or data report holds (REPORTS, DATA_SAYS), and
# one of which every passive tracked act holds: the patterns built on them are tried
# only where one occurs (see Gated).
REPORT_NEEDLES = (
    " inform", " show", " indicat", " flag", " logged", " record", " regist", " confirm", " report",
    " ping", " notif", " alert", " has me", " has you", " has u", " say", " said", " tell",
    " told", " let", " pick", " suggest", " whisper", " hint", " lit ", " spill", " tattl",
    " match", " detect", " identif", " caught", " sez",
)  # fmt: skip
ACT_NEEDLES = (
    "opened",
    "clicked",
    "viewed",
    "downloaded",
    "visited",
    "accessed",
    "watched",
    "played",
)
# A network or chat app is no tracker in an aside or after hearsay ("a little bird,
# LinkedIn, told me you got promoted" is news).
NOT_A_NETWORK = r"(?!(?:linkedin|whatsapp|imessage|messenger|telegram|wechat|slack|teams|microsoft\s+teams|ms\s+teams)\b)"
ON_OUR = rf"(?:on|to|in|into)\s+(?:(?:our|my)\b{PHYSICAL}|the\s+(?:[a-z-]+\s+){{0,2}}?{WEB_PLACE})"
# Acts that only tracking sees; they need no object to give the game away.
TRACKED_ALWAYS = any_of(
    r"click(?:ed|ing)?\b(?!\s+with\b)(?:\s+(?:on|through|thru))?",  # not "clicked with the team"
    # Not "the download link has expired": a noun, not an act.
    r"download(?:ed|ing)?(?!\s+(?:link|links|page|pages|button|url|speed|code|area|centre|center|"
    r"section|limit|size|window|folder|portal|instructions)\b)",
    r"view(?:ed|ing)",
    r"forward(?:ed|ing)(?!\s+(?:me|us|it\s+to\s+(?:me|us))\b)",  # not "forwarded me the agenda"
    rf"(?:been|were|was|are|'re|re)\s+(?:(?:busy|active|very\s+busy|super\s+active)\s+)?(?:{ON_OUR}|back\s+{ON_OUR}|viewing|clicking|"
    r"opening(?!\s+(?:a|an|up|new|another|two|three|several|more|your|their|its)\b)|browsing|reading|"
    r"checking|looking|going\s+through|spending|researching|digging|poking|comparing|exploring|"
    r"studying|hanging\s+out|scrolling|visiting|watching|downloading|returning|revisiting|testing|"
    # Round 11: "You've been re-reading the flood coverage section, I see".
    r"re-?(?:reading|watching|opening|viewing|visiting))",
    r"(?:came|come|coming|went|gone|going)\s+back(?!\s+to\s+(?:me|us)\b|\s+with\b)",  # not a reply
    rf"back\s+{ON_OUR}",  # "good to see you back on our site"
    r"been\s+back\s+(?:to|into|on|in)\s+(?:my|our|the|it|them|that|this|those)\b",  # "Ye've been back to the quote"
    r"(?:been|were|was|are|'re|re)\s+all\s+over\s+(?:our|my|the)\b",
    r"(?:been|were|was|are|'re|re)\s+in\s+and\s+out\s+of\s+(?:our|my|the)\b",
    r"(?:keep|kept|keeps)\s+(?:coming|going|clicking|checking|looking|opening)",
    r"return(?:ed|ing)|revisit(?:ed|ing)",
    # "since you've re-read the warranty section" (not "reviewed").
    r"(?:re-(?:read|opened|watched|viewed|played)|re(?:read|opened|watched|played))\b",
    # "spent 10 minutes", "spent a long time", "spending ages": time on the page.
    r"spen(?:[dt]|ding)\s+(?:[a-z0-9]+\s+){0,4}?(?:time|minutes?|mins?|hours?|hrs?|while|ages|seconds?|secs?|long|"
    r"a\s+lot|a\s+bit)\b",
    r"brows(?:ed|ing)|compar(?:ed|ing)\s+(?:our|the|my)|research(?:ed|ing)\s+(?:our|the|my)",
    r"scroll(?:ed|ing)|hover(?:ed|ing)|(?:engag|interact)(?:ed|ing)\s+with|landed\s+on|pull(?:ed)?\s+up",
    r"access(?:ed|ing)",
    r"(?:hit|hitting|pressed|pressing)\s+play",
    # Round 11: "The heatmap shows you zoomed into the cable routing diagram"; a basket
    # left ("saw u left the sample pack in ur basket"), a checkout not finished.
    r"zoom(?:ed|ing)\s+in(?:to|\s+on)?\b",
    # Round 12: a configurator used ("Saw you were building a RAV4 … on our site last
    # night"), a home on a page ("Your team's been living on our demo page"), a QR code
    # scanned.
    r"(?:building|configuring|customi[sz]ing|designing|speccing|pricing\s+up)\b"
    r"(?=[^.?!]{0,60}?\b(?:on|in)\s+(?:our|my)\s+(?:[a-z-]+\s+)?(?:site|website|configurator|builder|app|tool|page)\b)",
    rf"(?:(?:been|were|was|are|'re|re)\s+)?(?:living|camped|camping|parked)\s+(?:out\s+)?{ON_OUR}",
    r"scann(?:ed|ing)\s+(?:the|our|my)\s+qr\b",
    # Round 14: "You made it to slide 9 of the partnership deck".
    r"made\s+it\s+to\s+(?:slide|page|minute|section|chapter|part|module)\s+\d+\b",
    # Round 13: "attended the first twenty minutes of the webinar", "filled half of our
    # contact form", "got a workout from your IP".
    r"attended\s+(?:only\s+|just\s+)?(?:the\s+first|the\s+last|about|around|half)\b",
    r"fill(?:ed|ing)\s+(?:in\s+|out\s+)?(?:half|part|most|some)\s+of\s+(?:our|the|my)\b",
    r"(?:got|gets|getting|had)\s+(?:a\s+(?:real\s+|good\s+)?|quite\s+a\s+)workout\b",
    # Round 12: "You skipped the section on cold chain compliance in the deck".
    r"skipp(?:ed|ing)\s+(?:(?:straight|right)\s+)?(?:past\s+|over\s+|to\s+)?(?:the|our|my)\s+(?:[a-z0-9-]+\s+){0,3}?"
    r"(?:section|page|slide|part|chapter|bit|intro|video|clip|pricing|demo)s?\b",
    r"start(?:ed|ing)\s+(?:our|the|my|your)\s+(?:[a-z0-9'-]+\s+){0,3}?application\b(?=[^.?!]*\b(?:but|and\s+then)\b)",
    r"(?:swung|swing|swinging|stopped|dropped|popped|came|come|coming)\s+by\s+(?:our|my|the)\s+(?:[a-z-]+\s+)?"
    r"(?:site|website|page|pages|blog|portal|store|shop|webshop|listing)\b",
    r"left\s+(?:[a-z0-9'%-]+\s+){1,4}?in\s+(?:your|ur|the)\s+(?:basket|cart|trolley|bag)\b",
    r"abandon(?:ed|ing)\s+(?:your|ur|the)\s+(?:basket|cart|checkout|trolley)\b",
    r"(?:didn'?t|did\s+not|never)\s+(?:check\s+out|complete\s+(?:the\s+)?checkout)\b",
    # Round 10: leaving a session part-way, as its tool logs it ("left after ten minutes").
    r"(?:left|dropped\s+(?:off|out)|logged\s+off|bailed|tuned\s+out)\s+(?:after|at|halfway|before\s+the\s+end)\b",
    # Round 10: "you're back in the listing pack today".
    rf"(?:been|were|was|are|'re|re)\s+back\s+(?:in|into|on)\s+(?:the|my|our)\s+(?:[a-z-]+\s+){{0,2}}?{ARTEFACT}",
    # Progress: "you got 80% through the demo video", "made it halfway into the webinar".
    r"(?:got|gotten|made\s+it|get|getting)\s+(?:about\s+|around\s+|roughly\s+)?(?:\d+\s*%|half|halfway|"
    r"two[\s-]thirds|a\s+third|a\s+quarter|most\s+of\s+the\s+way)\s+(?:of\s+the\s+way\s+)?(?:through|thru|into)\b",
    # "you didn't get past page 3", "got as far as slide 12": progress by the page reached.
    r"(?:(?:didn'?t|did\s+not|never|not)\s+)?(?:get|got|gotten|getting|make\s+it|made\s+it|making\s+it)\s+"
    r"(?:past|beyond|as\s+far\s+as|up\s+to)\s+(?:the\s+)?(?:first\s+|second\s+|opening\s+)?"
    r"(?:page|slide|minute|section|chapter|part|intro|introduction)\b",
    # Profile views: "you looked me up on LinkedIn", "checked me out".
    r"(?:look(?:ed|ing)?\s+(?:me|us)\s+up|check(?:ed|ing)?\s+(?:me|us)\s+out|stalk(?:ed|ing)?\s+my)\b",
    # Text-speak: "saw u opnd the quote", "u clikd".
    r"(?:opnd|opend|clikd|clickd|clckd|clkd|dwnloaded|dl'?d)\b",
    # A login only the portal records: "you've logged in to the sample library twice".
    r"logged\s+(?:in|on)(?:\s*to)?\b|logged\s+into\b",
)
# Acts that are tracking only when their object is ours: "opened the deck", not "opened an office".
TRACKED_IF_OURS = any_of(
    r"open(?:ed|ing)?(?:\s+up)?" + NOT_A_PLACE,
    r"read(?:ing)?(?:\s+(?:through|over))?",
    r"look(?:ed|ing)?\s+(?:at|over|through|into)",
    r"check(?:ed|ing)?(?:\s+out)?",
    r"watch(?:ed|ing)?",
    r"visit(?:ed|ing)?",
    r"shar(?:ed|ing)",
    r"seen|saw",
    r"(?:went|gone|got|been)\s+(?:(?:straight|right|directly)\s+)?(?:to|through|thru|into|over|on|onto)",
    r"(?:been\s+)?(?:had|taken|took|have|got|gotten|having|taking)\s+" + A_LOOK,
    r"(?:dug|dig|digging)\s+into",
    r"listen(?:ed|ing)?\s+(?:in\s+|back\s+|again\s+)?to",
    # "looks like you played with the ROI calculator a fair bit".
    r"(?:play(?:ed|ing)|tinker(?:ed|ing)|fiddl(?:ed|ing)|mess(?:ed|ing))\s+(?:around\s+|about\s+)?with",  # "Gong shows you listened to the call recording"
    r"consult(?:ed|ing)",  # "our system shows that you have consulted the offer"
    r"(?:peek|peep)(?:ed|ing)?\s+(?:at|into|in\s+on|through|around)",  # "peeking at the draft"
    r"clock(?:ed)?",  # Round 11: "saw you clocked my story"
    r"(?:dip(?:ped|ping)?|delv(?:ed|ing)|flick(?:ed|ing)|leaf(?:ed|ing))\s+(?:in|into|through)",
    r"hit|hitting",
    # Round 12: "you played my voice note but only like 30 seconds", "Since you grabbed
    # the whitepaper".
    r"play(?:ed)?(?!\s+with\b)",
    r"grabb(?:ed|ing)(?:\s+a\s+copy\s+of)?",
)
OUR_THING = any_of(
    rf"(?:my|our|the|that|this|those|these)\s+(?:[a-z0-9'-]+\s+){{0,3}}?(?:{WEB_PLACE}|{ARTEFACT})",
    # Not "opening three new stores": a number of places is news, not what was sent.
    r"(?:every|each|all|several|some|both|one|two|three|four|five)\b"
    r"(?!\s+(?:new\s+|more\s+)?(?:stores|offices|branches|sites|locations|clinics|shops|restaurants|"
    r"plants|warehouses|hotels|schools|depots|factories)\b)",
    r"(?:(?:about|around|roughly|nearly|almost|over|just\s+over|only|like)\s+)?"
    r"(?:a\s+few|a\s+couple|most|half|much|parts?|\d+\s*%)\s+of\b",
    # Round 10: "only the first half of the video".
    r"(?:only\s+|just\s+)?the\s+(?:first|second|last|opening|final)\s+(?:half|third|quarter|part|few\s+minutes|section|page|pages|slide|slides)\s+of\b",
    r"(?:it|them)\b",
    # "ten of mine in a row", "three of my emails".
    r"(?:(?:about|around|roughly|nearly|almost|over|only)\s+)?(?:\d+|two|three|four|five|six|seven|eight|nine|ten|"
    r"eleven|twelve|a\s+dozen|several|all)\s+of\s+(?:mine|ours|my|our)\b",
    # "my article on crates", "our latest blog post": the rep's own writing.
    r"(?:my|our)\s+(?:[a-z0-9'-]+\s+){0,3}?(?:article|post|blog\s+post|newsletter|podcast|episode|story|stories|reel)s?\b",
    # "Saw you just opened this, perfect timing!": "this" alone, not "this new office".
    # Round 13, with no article: "I saw that you watched whole recording".
    rf"(?:whole|entire|full)\s+(?:[a-z-]+\s+)?(?:{WEB_PLACE}|{ARTEFACT})",
    r"(?:this|that)\b(?=\s*(?:[,.!?;:\-\u2013\u2014]|$|\s+(?:again|just|earlier|yesterday|today|"
    r"last|this|twice|already|right|a\s+few|a\s+couple|\d)))",
    rf"[a-z-]+\s+{WEB_PLACE}",
    # The rep's own profile: "checked out my LinkedIn" (not "the post on LinkedIn").
    r"my\s+linkedin\b",
)
# "you'd given the proposal a good read" (not "gave the team a good read on the market").
GIVEN_A_READ = (
    rf"(?:gave|given|give|giving)\s+{OUR_THING}(?:\s+[a-z0-9'-]+){{0,2}}?\s+"
    r"(?:a|an)\s+(?:[a-z]+\s+)?(?:read|look|once-over|skim|going-over|glance|watch|listen|read-through)\b"
)
TRACKED = any_of(
    TRACKED_ALWAYS,
    rf"{TRACKED_IF_OURS}(?=\s+(?:(?:on|to|through|thru|at|into|in)\s+)?{OUR_THING})",
    GIVEN_A_READ,
)
# What the actor carries before the act: "you've just", "your team has also".
ACT_AUX = r"(?:\s*'(?:ve|d|s)\b|\s+(?:have|has|had|just|already|recently|also|finally|actually|even|obviously|clearly|again|both|all|still|currently)\b)*(?:\s+|(?='))"
# The rep tells what they observed.
OBSERVE = WORD_EDGE + any_of(
    # "Notification just came in that the quote's been opened".
    r"(?:notification|alert|ping|notice)s?\s+(?:just\s+)?"
    r"(?:came\s+in|came\s+through|popped\s+up|arrived|went\s+off|fired)(?:\s+(?:that|saying))?",
    r"(?:i|we)(?:\s*'ve|\s+have|\s*'d|\s+had)?\s+(?:(?:just|also|can|could|did|do|already|recently|"
    r"actually|definitely|happened\s+to|happen\s+to)\s+){0,2}(?:see|saw|seen|seeing|notice[d]?|noticing|spotted|spot|observed|"
    r"tracked|noted|tell|know|knew|realised|realized|c|caught|picked\s+up(?:\s+on)?)",
    r"(?:i|we)\s+(?:was|were|got|get|have\s+been|'ve\s+been|just\s+got)\s+(?:pinged|notified|alerted|told)",
    # Round 11: "I couldn't help noticing", "I'm told by Marketo that", "I've been told by
    # our ops team that" (the rep's own side; not "told by your colleague").
    r"(?:i|we)\s+(?:couldn'?t|could\s+not|can'?t|cannot)\s+help\s+(?:but\s+)?(?:notic(?:e|ing)|see|seeing|spot(?:ting)?)",
    r"(?:i|we)(?:\s*'m|\s+am|\s*'ve\s+been|\s+have\s+been|\s+was|\s+were|\s*'re|\s+are)\s+told\s+by\s+"
    rf"(?:(?:our|my)\s+(?:[a-z-]+\s+){{0,2}}?[a-z-]+|{TOOL_BRAND}|the\s+{TOOL_NAME})(?:\s+that)?",
    r"(?:it\s+)?(?:looks|seems|looked|seemed|appears|appeared)(?:\s+(?:like|as\s+if|as\s+though|that))?",
    r"apparently",
    # "Interesting that you skipped the section on integrations".
    r"interesting\s+(?:to\s+see\s+)?that",
    r"(?:glad|great|good|nice|happy|lovely|pleased|awesome|cool|exciting|thrilled|fantastic|love|loving|"
    r"wonderful|brilliant|delighted|stoked|excited|amazing|grand)"
    r"(?:\s+(?:to\s+(?:see|notice|know|note|observe|learn)|that))?",
    # Round 14: "we note that you have accessed the portal", "our team saw that your lab
    # account viewed…", "it is seen from our end that the document has been viewed".
    r"(?:i|we)\s+(?:note|notice)(?:\s+that)?",
    r"(?:our|my)\s+(?:[a-z-]+\s+)?(?:team|colleagues?)\s+(?:saw|noticed|spotted|can\s+see|could\s+see)(?:\s+that)?",
    r"it\s+is\s+(?:seen|noted|observed)\s+(?:from\s+our\s+(?:end|side)\s+)?(?:that)?",
    # Round 13: the rep's own team as the source ("Our marketing team tells me you attended…").
    r"(?:our|my)\s+(?:[a-z-]+\s+){0,2}?(?:team|colleague|colleagues|sdr|bdr|ops|manager|boss|rep|analyst)s?\s+"
    r"(?:tells?|told|informs?|informed)\s+(?:me|us)(?:\s+that)?",
)
# Chat style, with no "I": "Saw you opened the deck", "Hey! Noticed you clicked".
BARE_OBSERVE = (
    rf"{CLAUSE_START}(?:just\s+|kinda\s+|kind\s+of\s+|sort\s+of\s+|(?:could|can)\s+)?(?:noticed|noticing|noted|saw|spotted|seeing|see|seen|observed|caught|"
    r"c(?=\s+(?:u|you|ur)\b))"
)
# "hey marcus saw you opened the OM": after a greeting and a name, texted without a comma.
GREETED_OBSERVE = (
    r"^\s*(?:hey+|hi+|hiya|hello|morning|yo)\s+[a-z\u00e0-\u00ff]+[\s,!]+(?:just\s+)?"
    r"(?:noticed|noted|saw|spotted|seen|c(?=\s+(?:u|you|ur)\b))"
)
FROM_MY_END = (
    rf"(?:\s+(?:from|on|in|via|through)\s+(?:(?:my|our)\s+(?:[a-z-]+\s+)?(?:end|side|screen|{TOOL_NAME})|{TOOL_BRAND}))?"
    # "that you opened", "when you opened", "the moment you clicked".
    r"\s+(?:(?:that|when|as\s+soon\s+as|the\s+moment|the\s+second|once|how)\s+)?"
)
# What was sent or a page of ours, possibly narrowed: "the link in my email".
PASSIVE_SUBJECT = (
    any_of(ARTEFACT_SUBJECT, r"it\b", rf"(?:my|our|the)\s+(?:[a-z-]+\s+){{0,2}}?{WEB_PLACE}")
    + r"(?:\s+(?:in|from|on|of|for|about|re|with|to)\s+(?:my|our|the|your|ur)\s+(?:[a-z0-9\u00e0-\u00ff-]+\s+){0,3}?[a-z\u00e0-\u00ff-]+)?"
    # "the video I sent you yesterday was played".
    + rf"(?:\s+{SENT_BY_ME}(?:\s+[a-z0-9-]+){{0,3}}?)?"
)
BE_DONE = (
    r"(?:was|were|got|gets|has\s+been|had\s+been|'s\s+been|have\s+been|being|been)\s+(?:(?:just|already|recently|finally|last|first|only)\s+)?"
    r"(?:(?:delivered|sent|received)\s+and\s+)?"  # Round 14: "was delivered and opened"
)
PASSIVE_TRACKED = (
    r"(?:"
    + BE_DONE
    + r"(?:opened|clicked|viewed|read|downloaded|visited|forwarded|shared|accessed|watched|played|consulted|"
    r"re-?(?:played|watched|opened|read|viewed)|"
    # "the sample request form on our site was started from your end but not submitted".
    r"(?:started|begun|abandoned)(?=\s+(?:from\s+(?:your|ur)|by\s+(?:you|u|someone|somebody)|but\s+(?:not|never))))\b"
    # "the group rates email popped open on your end".
    r"|(?:popped|pinged|flicked|sprang)\s+open\b)"
)
# Without an observer only acts the rep could not have done themselves count.
PASSIVE_TRACKED_ONLY = (
    BE_DONE
    + r"(?:opened|clicked(?:\s+on)?|viewed|downloaded|visited|accessed|watched|re-?(?:played|watched|opened|viewed))\b"
)
# Only the rep's tracking knows that something was NOT done: "My email hasn't been opened",
# "The link in my last email was never clicked", "the trial hasn't been logged into".
NOT_TRACKED = (
    r"(?:hasn'?t|has\s+not|haven'?t|have\s+not|wasn'?t|was\s+not|weren'?t|(?:was|were|has|have|'s)\s+never|"
    # Round 11: "My last three emails don't seem to have been opened", "my last email
    # didn't get opened".
    r"(?:doesn'?t|don'?t|didn'?t|does\s+not|do\s+not|did\s+not)\s+(?:seem|appear)\s+to\s+have|"
    r"(?:didn'?t|did\s+not|never)\s+(?:even\s+)?get|"
    # Round 13, telegraphic: "…and the email not opened", "delivered but never opened".
    r"(?:still\s+)?not|never)"
    r"(?:\s+(?:yet|even|once|actually))?(?:\s+been)?(?:\s+(?:yet|even|once|actually))?\s+"
    r"(?:opened|clicked(?:\s+on)?|viewed|downloaded|accessed|watched|played|logged\s+into)\b"
)
# A share of something watched or done, stated as fact: "You watched about 80% of the
# video", "You've completed three of the five training modules".
SHARE_DONE = (
    r"(?:\s*'ve|\s+have)?\s+(?:watched|completed|finished|viewed|got\s+through|made\s+it\s+through)"
    r"\s+(?:(?:about|around|roughly|nearly|almost|over|just\s+over|only)\s+)?"
    r"(?:\d+\s*%|(?:half|a\s+third|two-thirds|a\s+quarter|(?:one|two|three|four|five|\d+))\b)"
    # Round 11: "You watched about four minutes of the demo video".
    r"(?:\s+(?:minutes|mins|seconds|secs|pages|slides))?"
    r"(?:\s+of)?\s+(?:the|my|our|this|that)\s+(?:[a-z0-9-]+\s+){0,3}?"
    rf"(?:{WEB_PLACE}|{ARTEFACT}|modules?|courses?|lessons?|training|episodes?|sequence)"
)
COUNT = any_of(
    r"\b(?:\d+|a\s+few|several|ten|five|twenty|thirty|fifteen)\s*(?:minutes|mins|seconds|secs|hours|hrs)\b",
    r"\bhalf\s+an\s+hour\b|\ban\s+hour\b",
    r"\b(?:\d+|two|three|four|five|six|seven|eight|nine|ten|several|multiple|a\s+few|quite\s+a\s+few|a\s+good\s+few|"
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
    # Round 13: "You looked at the trust center page right after our call".
    r"\b(?:right|straight|just|minutes)\s+after\s+(?:our|the|my)\s+(?:call|meeting|demo|chat|webinar)\b",
)
DEVICE = any_of(
    r"\b(?:on|from|using)\s+(?:your|an?|the|ur)\s+(?:[a-z]+\s+)?(?:iphone|phone|ipad|mobile|cell|android|laptop|"
    r"desktop|tablet|mac|pc|computer|device)\b",
    r"\bfrom\s+(?:your|ur)\s+(?:[a-z]+\s+)?(?:office|home|hotel|location)\b",
    r"\bfrom\s+(?:[a-z]+\s+)?(?:office|city|location)\b",
    r"\bon\s+(?:mobile|desktop|a\s+(?:phone|tablet|laptop))\b",
    r"\bfrom\s+(?:munich|london|berlin|paris|new\s+york)\b",
)
EVIDENCE = any_of(COUNT, WHEN, DEVICE)
# Engagement counted as a noun: "three opens", "your visits to our site".
ENGAGEMENT_NOUN = r"(?:opens|clicks|visits|views|page\s*views|pageviews|downloads|sessions|click-throughs|plays|listens)\b"
TRACKED_WIDE = any_of(
    TRACKED,
    rf"(?:[a-z]+-)?{TRACKED_IF_OURS}(?=\s+(?:(?:on|to|through|thru|at|into|in)\s+)?{OUR_THING})",
    r"re-?(?:read|opened|visited|watched|viewed)",
    rf"(?:grabb(?:ed|ing)|bookmark(?:ed|ing)|sav(?:ed|ing)|print(?:ed|ing)|fetch(?:ed|ing)|pull(?:ed|ing)\s+down)"
    rf"(?=\s+(?:a\s+copy\s+of\s+)?{OUR_THING})",
    r"(?:binge-)?watch(?:ed|ing)?\s+(?:(?:about|around|roughly|like|only|just|over|nearly|almost)\s+)?"
    r"(?:up\s+to|until|till|to\s+the\s+end|for|most|half|all|the\s+whole)",
    # "watched a few minutes of the Loom", "listened to 10 minutes of the recording".
    r"(?:watch(?:ed|ing)?|listen(?:ed|ing)\s+to|read|sat\s+through|got\s+through)\s+(?:(?:about|around|only|just)\s+)?"
    r"(?:a\s+few|a\s+couple\s+of|several|\d+|two|three|four|five|ten|twenty|the\s+first)\s+"
    r"(?:minutes?|mins?|seconds?|secs?|pages?|slides?)\s+of\b",
    # (Not "corn prices bounced back": a market, not a page.)
    r"(?:stopped|paused|dropped\s+off|skipped|bounced(?!\s+back)|lingered|stalled|stopping|pausing)\b",
    r"pop(?:ped|ping|s)?\s+(?:back\s+)?(?:in|into|onto|over|on|by)",
    r"(?:made|got|gotten|get|making|getting)\s+(?:it\s+)?(?:halfway|half\s+way|all\s+the\s+way|most\s+of\s+the\s+way|"
    r"as\s+far\s+as|to\s+the\s+end|to\s+slide|to\s+page|to\s+minute|part\s+way|partway)",
    NEGATED
    + r"(?:opened|open|clicked|click|viewed|view|read|watched|watch|downloaded|download|touched|"
    r"looked\s+at|accessed|been\s+(?:opened|viewed|clicked|touched|read|watched))\b" + NOT_A_PLACE,
    r"(?:was|were|got|gets|getting|has\s+been|had\s+been|'s\s+been|have\s+been|being|been|is\s+being)\s+"
    r"(?:(?:just|already|recently|finally|only|actually|all|also|now)\s+){0,2}(?:opened|clicked|viewed|read|"
    r"downloaded|visited|forwarded|shared|accessed|watched|touched|looked\s+at|skimmed|played)\b",
    r"(?:got|get|getting|had|has|gotten)\s+(?:some|a\s+lot\s+of|lots\s+of|the\s+most|plenty\s+of|a\s+few|loads\s+of|"
    r"a\s+fair\s+few|a\s+good\s+few|quite\s+a\s+few|several|a\s+couple\s+of|"
    r"a\s+bunch\s+of|real)\s+(?:time|attention|views|clicks|eyes|traffic|love|opens)",
    r"(?:looking|looked|reading|poking|clicking|scrolling)\s+(?:at|around|through|into)\s+(?:my|our|the)\b",
    r"(?:got|gotten|made\s+it|get|getting)\s+(?:about\s+|roughly\s+|around\s+)?(?:through|thru)\s+"
    r"(?:about\s+|roughly\s+|around\s+)?(?:half|most|two[\s-]thirds|a\s+third|a\s+quarter|\d+\s*%|"
    r"(?:\d+|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)\s+of)",
    # "you passed my email on to procurement".
    r"pass(?:ed|ing)\s+(?:it|them|(?:my|our|the)\s+(?:[a-z0-9'-]+\s+){0,2}?[a-z0-9'-]+)\s+(?:on|along|around|round)\b",
    r"(?:getting|got|being|been|was|were|is)\s+(?:passed|shared|sent|forwarded)\s+(?:around|round|on|internally)",
    r"(?:is|are|was|were|'s|remains?|remained|went|gone|going|sitting|sat|still)\s+(?:still\s+|all\s+)?"
    r"(?:unopened|unread|unclicked|unviewed|unwatched|untouched)",
    r"circulat(?:ed|ing)\b",
    # Round 11: "Saw the video got about 40 seconds in before you dropped off", "my last
    # email went straight to trash unread".
    r"(?:got|made\s+it|get)\s+(?:about\s+|around\s+|roughly\s+|only\s+|just\s+)?(?:\d+|a\s+few|ten|twenty|thirty|forty|fifty)\s+"
    r"(?:seconds|secs|minutes|mins)\s+in\b",
    r"(?:went|gone|going|sent)\s+(?:straight\s+|right\s+|directly\s+)?(?:to|into)\s+(?:the\s+)?(?:trash|bin|spam|junk)\s+"
    r"(?:unread|unopened)\b",
    # "nobody's opened the joining instructions": only tracking knows that.
    r"(?:nobody|no\s*-?\s*one|none\s+of\s+(?:them|you|your\s+[a-z]+))"
    r"(?:\s+(?:from|at|on|in)\s+(?:your|ur|the)\s+[a-z]+)?(?:\s*'s|\s+has|\s+have)?\s+"
    r"(?:(?:yet|actually|even|ever)\s+)?(?:opened|clicked|viewed|read|watched|downloaded|accessed|looked\s+at)\b",
    r"(?:left|dropped|bailed|exited)\s+(?:off\s+)?(?:on|at|after|around)\s+(?:slide|page|minute|section|chapter)",
    # Round 12: "I noticed from the event platform that you left the session just before the Q&A".
    r"(?:left|exited|dropped\s+off)\s+(?:the\s+)?(?:session|webinar|stream|livestream|broadcast|call|demo)\s+"
    r"(?:just\s+|right\s+)?(?:before|after|early|halfway)",
    # "you've started the online donation form but not completed it".
    rf"(?:start(?:ed|ing)|complet(?:ed|ing)|finish(?:ed|ing)|fill(?:ed|ing)\s+(?:in|out)|abandon(?:ed|ing))(?=\s+{OUR_THING})",
    r"deleted\s+(?:without\s+(?:being\s+)?(?:read|opened)|unread|unopened)",
    r"(?:doing|done|making|made)\s+the\s+rounds",
    r"(?:getting|got|gets|had|has)\s+(?:some|a\s+lot\s+of|lots\s+of|real|plenty\s+of)\s+(?:attention|traction|eyeballs|eyes)",
)
# What a system reports, whatever its name ("Veeva shows", "the quote engine shows", "our
# badge scan data shows"): only data verbs, not speech ("my manager says" is hearsay).
DATA_SAYS = (
    r"(?!(?:you|u|he|she|they|i|we|it|everyone|someone|somebody|people|nobody|this|that)\b)"
    r"(?:(?:my|our|the|your)\s+)?(?:[a-z0-9&.'-]+\s+){0,3}?[a-z0-9&.-]+"
    r"(?:\s+(?:is|was|has\s+been|keeps|just)|\s*'s)?\s+"
    r"(?:shows|showed|showing|show|indicates|indicated|indicating|flags|flagged|flagging|logged|"
    r"recorded|registered|confirms|confirmed|reports|reported|pinged\s+me|notified\s+me|"
    r"alerted\s+me|has\s+(?:me|you|u)\s+down)\b"
)
# Under such a report, any noun phrase may be what was opened: "your stand booking form".
OPEN_PASSIVE = (
    r"(?:my|our|the|your|ur|that|this|those|these)\s+(?:[a-z0-9&'-]+\s+){0,4}?[a-z0-9&'-]+"
    r"(?:\s+|(?='))"
    r"(?:(?:was|were|got|gets|has\s+been|had\s+been|'s\s+been|have\s+been|is|are|'s|remains?|still|"
    r"sitting|sat)\s+(?:(?:just|already|recently|finally|still|all|also|now|only|last)\s+){0,2}"
    # (Round 12, learner English: "the quotation … was open by your side yesterday".)
    r"(?:opened|open(?=\s+by\s)|clicked|viewed|downloaded|visited|forwarded|accessed|watched|played|looked\s+at|"
    r"unopened|unread|unviewed|unclicked|untouched|not\s+(?:yet\s+|been\s+)*(?:opened|viewed|read|clicked)|"
    r"deleted\s+(?:without\s+(?:being\s+)?(?:read|opened)|unread|unopened))|" + NOT_TRACKED + r")\b"
)
# Between the observer and the act: the actor and what was sent, never a new clause.
GAP = r"(?:\s+(?!(?:if|whether|so|but|because)\b)[a-z0-9'@&.-]+){0,7}?"

# "saw u on our pricing pg", "I saw you were in it for twenty minutes": the prospect seen
# somewhere of ours (the actor right after the observer: "a typo in the proposal" is not).
BEING_THERE = (
    rf"{OBSERVER}\s+(?:that\s+)?{ACTOR}{ACT_AUX}(?:(?:were|was|been|are|'re|re)\s+)?(?:on|in|inside|all\s+over)\s+"
    # Not an account fact: "you're on the legacy price plan".
    r"(?!(?:our|my|the)\s+(?:[a-z-]+\s+){0,2}?(?:plan|plans|tier|package|contract|subscription|licen[cs]e|rate|terms)\b)"
    rf"(?:(?:our|my|the)\s+(?:[a-z-]+\s+){{0,2}}?(?:{WEB_PLACE}|{ARTEFACT})|it\b)"
)
# The tool thanked in an aside: "(thanks, DocSend!)", "courtesy of my tracker"; or named
# after hearsay: "a little bird (our analytics) told me", "a birdie called HubSpot". Each
# starts with a literal, which the regex engine finds fast; the span is the clause the
# source explains, from its start (SOURCE_ASIDES), not from the "(".
THANKED_TOOL = re.compile(
    rf"\(\s*(?:thanks?|thank\s+you|cheers|ty|thx|ta|h/t|hat\s+tip|courtesy\s+of|shout-?out)[,\s]+(?:to\s+)?{NOT_A_NETWORK}{TOOL}"
    r"(?:\s+[a-z]+)?\s*(?:[!.]|\)|$)"
)
COURTESY_OF = re.compile(rf"courtesy\s+of\s+{TOOL}")
HEARSAY = re.compile(
    r"(?:bird(?:ie)?|spidey\s+sense|rumou?r\s+has\s+it|grapevine)\b[^.?!]{0,30}?"
    rf"(?:\(|,|\u2014|\u2013|-|\bcalled|\bnamed)\s*(?:(?:ok|okay|well|i\.e\.|aka|read|actually|really|fine|namely)[:,.]?\s+)?{NOT_A_NETWORK}{TOOL}"
)
SOURCE_ASIDES = frozenset({THANKED_TOOL, COURTESY_OF, HEARSAY})

# Round 10: not opened, stated as a fact and asked nothing: "You haven't opened the last
# one, so I'll keep this short", "u havent clicked the docusign link yet", "I know you
# haven't opened any of my emails". Only tracking knows it. A hedge before it ("you
# probably haven't opened it", "I bet you haven't") or a tag after it ("..., have you?")
# presumes instead: a trap (the pattern starts at a clause, so a hedge before the subject
# leaves it unmatched).
NOT_OPENED_STATED = Gated(
    rf"{CLAUSE_START}(?:(?:i|we)\s+know\s+(?:that\s+)?)?{SUBJECT}(?:{PERFECT})?\s*"
    r"(?:still\s+)?(?:haven'?t|havent|hasn'?t|hasnt|have\s+not|has\s+not|'?ve\s+not|not|never|didn'?t|didnt)\s+"
    r"(?:(?:yet|even|once|actually|ever)\s+)?"
    r"(?:opened|open|clicked|click|downloaded|download|viewed|view|accessed|access)(?:\s+(?:on|into|through))?"
    rf"(?!{A_PLACE})(?=\s+(?:{OUR_THING}|(?:the|my|our)\s+(?:last|latest|previous|first|other)\s+one\b|any\s+of\s+(?:my|our|the)\b|"
    r"anything\s+(?:(?:that|which)\s+)?(?:i|we)(?:'ve|\s+have)?\s+(?:sent|shared|emailed)))"
    r"(?![^.?!,;\u2013\u2014]*\?)(?![^.?!]*,\s*(?:have|has|did|do)\s+(?:you|u|ya|ye|they)\b)",
    "n't",
    " not",
    "havent",
    "hasnt",
    "didnt",
    " never",
)

SURVEILLANCE_PATTERNS: list[re.Pattern[str] | Gated] = [
    # I saw you opened my email / We noticed you've been on the pricing page / Looks like you
    # opened the proposal / Glad to see you opened it / I saw someone from your team clicked.
    Gated(
        rf"(?:\b{OBSERVE}|{BARE_OBSERVE}|{GREETED_OBSERVE}){FROM_MY_END}{ACTOR}{ACT_AUX}"
        rf"(?:(?:(?:had|got|found|get|took)\s+(?:a|the)\s+(?:chance|time|moment)\s+to\s+)?{TRACKED}|"
        # Round 9: the act and its evidence, whatever was opened: "saw you opened the OM a
        # few times over the weekend", "I see that you have watched the film two times".
        rf"(?:re-?)?{TRACKED_IF_OURS}\b[^.?!,;]{{0,60}}?{EVIDENCE})",
        *OBSERVER_NEEDLES,
    ),
    # My system shows you opened it / Our tool shows the deck was opened 6 times.
    Gated(
        rf"\b{TOOL_SAYS}\s+(?:(?:that|me)\s+)?(?:{ACTOR}{ACT_AUX}"
        rf"(?:{TRACKED}|{TRACKED_IF_OURS}|visit(?:ed)?(?!\s+(?:us|me)\b)|open(?:ed)?)|"
        rf"{PASSIVE_SUBJECT}\s+{PASSIVE_TRACKED}|(?:\w+\s+){{0,2}}{ENGAGEMENT_NOUN}|"
        r"(?:a|an|one|another)\s+(?:[a-z-]+\s+)?(?:visit|open|click|view|download|session|page\s*view)\b|"
        # Round 11: interest inferred ("... says you were very interested in the
        # financing section").
        rf"{ACTOR}(?:\s*'re|\s+(?:are|were|was|'s|seem(?:ed)?|seem\s+to\s+be))\s+(?:(?:very|really|quite|so|super|pretty|most)\s+)?"
        r"(?:interested|keen)\s+in\s+(?:my|our|the)\b|"
        # "The tracking pixel tells me you're on an iPad in Edinburgh": the device, told.
        rf"{ACTOR}(?:\s*'re|\s+(?:are|were|was|'s))\s+(?:on|using|in|from)\s+"
        r"(?:an?|your|the)\s+(?:[a-z]+\s+)?(?:iphone|ipad|phone|mobile|android|laptop|desktop|tablet|mac|pc|device)\b)",
        *REPORT_NEEDLES,
    ),
    # I saw that my email was opened / Looks like the proposal was opened by someone.
    Gated(
        rf"(?:\b{OBSERVE}|{BARE_OBSERVE}|\b{TOOL_SAYS}){FROM_MY_END}"
        # Round 11: or not done ("looks like my last email didn't get opened").
        rf"{PASSIVE_SUBJECT}\s+(?:{PASSIVE_TRACKED}|{NOT_TRACKED})",
        *OBSERVER_NEEDLES,
    ),
    # The proposal has been viewed 14 times by your team / My email was opened on an iPhone.
    Gated(
        rf"{CLAUSE_START}{PASSIVE_SUBJECT}(?:\s+|(?=')){PASSIVE_TRACKED_ONLY}[^.?!]{{0,60}}?"
        rf"(?:{EVIDENCE}|\bby\s+(?:{ACTOR}))",
        *ACT_NEEDLES,
    ),
    # "Haven't seen the deck opened yet on my end", "I've not seen an open": the absence, tracked.
    Gated(
        rf"{CLAUSE_START}(?:(?:i|we)\s*)?(?:haven'?t|have\s+not|'ve\s+not|hasn'?t|didn'?t|don'?t|not)\s+"
        r"(?:(?:yet|even|actually)\s+)?(?:seen|see|noticed|spotted)\s+"
        rf"(?:(?:{PASSIVE_SUBJECT})\s+(?:(?:being|get|getting|been)\s+)?(?:opened|viewed|clicked|downloaded|watched|accessed)\b|"
        r"(?:an?|any|a\s+single|one)\s+(?:open|opens|click|clicks|view|views|download|downloads)\b)",
        "n't",
        "nt ",
        "not",
    ),
    # My email hasn't been opened / The link in my last email was never clicked.
    Gated(rf"{CLAUSE_START}{PASSIVE_SUBJECT}(?:\s+|(?=')){NOT_TRACKED}", *ACT_NEEDLES, "logged"),
    # "The board pack I sent was forwarded to three board members, according to our
    # tracking": the act, then the source.
    Gated(
        rf"{CLAUSE_START}{PASSIVE_SUBJECT}(?:\s+|(?=')){PASSIVE_TRACKED}[^.?!]{{0,80}}?"
        r"\b(?:according\s+to|per|going\s+by|from)\s+(?:our|my)\s+(?:[a-z-]+\s+)?"
        r"(?:tracking|tracker|analytics|logs|stats|portal|dashboard|crm|system|records|data|pixel)\b",
        "our ",
        "my ",
    ),
    # "It's showing the policy wording was downloaded twice": the system unnamed.
    Gated(
        r"(?:^\s*|[,;:\-\u2013\u2014(]\s*|\b(?:and|but|so)\s+)it(?:'s|\s+is|\s+was|\s+keeps)\s+(?:still\s+|now\s+)?"
        rf"(?:showing|shows|show|saying|telling\s+me)\s+(?:(?:that|me)\s+)?(?:{OPEN_PASSIVE})",
        "it",
    ),
    # You watched about 80% of the video / You've completed three of the five modules.
    re.compile(rf"{CLAUSE_START}(?:you|u|your\s+team)(?=[\s'])(?:{SHARE_DONE})"),
    # Round 12: "but you only watched like the first two minutes" (not "of the match").
    Gated(
        r"\b(?:you|u)\s+(?:only\s+|just\s+)?(?:watched|listened\s+to|played)\s+(?:(?:like|about|around|only|just)\s+)*"
        r"(?:the\s+first\s+)?(?:\d+|a\s+few|a\s+couple\s+of|two|three|four|five|ten)\s+(?:minutes|mins|seconds|secs)\b"
        r"(?!\s+of\s+(?!(?:my|our|it|the\s+(?:[a-z-]+\s+)?(?:video|demo|recording|webinar|loom|reel|voice\s+note|clip))\b))",
        "watched",
        "listened",
        "played",
    ),
    # Judging by your clicks / Going by your visits: the evidence named as the reason.
    re.compile(
        r"\b(?:(?:judging|going)\s+(?:by|from|off)|based\s+on)\s+(?:all\s+)?(?:your|ur|the)\s+(?:[a-z-]+\s+){0,2}?"
        rf"(?:{ENGAGEMENT_NOUN}|click|visit|open|activity|engagement|browsing|behaviou?r)"
    ),
    # You seem really interested in our pricing page: interest inferred from page views.
    Gated(
        rf"\b{ACTOR}\s+(?:seem|seems|seemed|appear|appears|appeared)\s+(?:to\s+be\s+)?"
        r"(?:(?:really|very|quite|so|super|pretty)\s+)?(?:interested\s+in|keen\s+on|into)\s+"
        r"(?:my|our|the)\s+(?:[a-z-]+\s+){0,2}?(?:page|pages|site|website|blog|docs|portal|homepage)\b",
        *(" seem", " appear"),
    ),
    # You seem to have opened the proposal.
    Gated(
        rf"\b{ACTOR}\s+(?:seem|seems|seemed|appear|appears|appeared)\s+to\s+(?:have\s+)?{TRACKED}",
        *(" seem", " appear"),
    ),
    # I got a notification that you opened my email / I got a read receipt.
    re.compile(
        r"\b(?:i|we)(?:\s*'ve)?\s+(?:just\s+)?(?:got|received|get|had|have|saw)?\s*(?:a|an|the)?\s+"
        r"(?:[a-z-]+\s+){0,2}?(?:notification|notif|alert|ping|notice|read\s+receipt|read\s+confirmation|"
        r"read\s+notification|open\s+notification)"
        # Not a notice of something else: "...that the download link has expired", "...that
        # your payment went through", "...that your system is due for its update".
        r"(?![^.?!]{0,100}?\b(?:expired|expires|expiring|bounced|failed|undeliverable|out\s+of\s+(?:the\s+)?office|"
        r"signed|signature|dispatched|shipped|delivered|renew(?:al|s|ed)?|payment|paid|due\s+for|software\s+update|"
        r"maintenance|outage|service\s+team)\b)"
    ),
    # You opened it three times / You read my email on Saturday morning / on your iPhone.
    re.compile(
        # (Round 10: not past "I send yesterday": when it was sent is no evidence of the act.)
        rf"{CLAUSE_START}{ACTOR}{ACT_AUX}(?:re-?|[a-z]+-)?(?:{TRACKED}|{TRACKED_IF_OURS}|spen[dt])\b"
        r"(?:(?!\s(?:i|we)\s+(?:sent|send|emailed|shared|mailed|posted|dropped)\b)[^.?!]){0,60}?"
        rf"{EVIDENCE}"
    ),
    # You opened my email / Your company visited our pricing page / Someone at Globex has
    # been on our site (a tracked act stated as a fact at the start of a clause).
    re.compile(
        rf"{CLAUSE_START}{ACTOR}{ACT_AUX}(?:{TRACKED_ALWAYS}|"
        rf"(?:open(?:ed)?|view(?:ed)?|visit(?:ed)?|watch(?:ed)?)(?=\s+(?:(?:on|to|through|at)\s+)?{OUR_THING}))"
    ),
    # Since you read my email / Now that you've seen the proposal / Since you haven't
    # clicked the link ("after you've read it" is yet to come: no reveal).
    re.compile(
        rf"\b(?:since|now\s+that|given(?:\s+that)?|seeing\s+(?:as|that)|because|after(?!\s+(?:you|u)\s*(?:'ve|have)\b))\s+{ACTOR}{ACT_AUX}"
        rf"(?:{TRACKED}|seen\s+{SENT_THING}|{NEGATED}(?:opened|open|clicked(?:\s+on)?|click(?:\s+on)?|viewed|view|watched|"
        rf"downloaded|accessed)\s+(?={OUR_THING}))"
    ),
    # "Since the email was opened but you didn't reply": what was sent, tracked, as the reason.
    re.compile(
        rf"\b(?:since|now\s+that|given\s+that|seeing\s+(?:as|that))\s+{ARTEFACT_SUBJECT}(?:\s+|(?=')){PASSIVE_TRACKED_ONLY}"
    ),
    # "Nobody from your side has watched the recording I sent": only tracking knows that.
    re.compile(
        rf"{CLAUSE_START}(?:nobody|no\s*-?\s*one|none\s+of\s+(?:them|you|your\s+[a-z]+))"
        r"(?:\s+(?:from|at|on|in)\s+(?:your|ur|the)\s+[a-z]+)?(?:\s*'s|\s+has|\s+have)?\s+"
        r"(?:(?:yet|actually|even|ever)\s+)?(?:opened|clicked(?:\s+on)?|viewed|watched|downloaded|accessed)\s+"
        rf"(?={OUR_THING})"
    ),
    # Thanks for opening my email / Thanks for checking out our pricing page.
    re.compile(
        r"\b(?:(?:thanks?|thx|ty|cheers|thank\s+u|grateful|obrigad[oa]|gracias|merci|danke|grazie)\s+(?:you\s+)?(?:so\s+much\s+|very\s+much\s+|again\s+)?for|appreciate[d]?\s+(?:you|u|your))\s+(?:opening|reading|clicking|checking\s+out|visiting|"
        r"(?:stopping|popping|dropping|swinging)\s+by|"
        r"viewing|reviewing|downloading|looking\s+at|(?:going|reading|looking|flicking|leafing)\s+(?:through|over)|"
        r"(?:digging|dipping|delving)\s+into|skimming|(?:taking|having)\s+"
        + A_LOOK
        # "Thanks for spending so much time with our rate calculator".
        + r"|spending\s+(?:(?:so\s+much|so\s+long|a\s+lot\s+of|some|a\s+bit\s+of|quality)\s+)?time\s+(?:on|with|in)|"
        # Not "forwarding" or "sharing": the rep is copied in or told ("Thanks for
        # forwarding the note from your IT director", "...my email to Lisa").
        r"watching|coming\s+back\s+to)\s+(?:(?:on|through|thru)\s+(?:to\s+)?|to\s+)?"
        + OUR_THING
        # Not what was done together or told: "with me on the call", "and your comments";
        # round 10: nor what the rep saw done in person ("thanks for watching the demo at
        # the stand", "... at our booth", "great to meet you in person").
        + r"(?![^.?!]*\b(?:with\s+(?:me|us)|together|on\s+(?:the|our)\s+call|comments?|feedback|notes|in\s+person|"
        r"at\s+(?:the|our|my)\s+(?:[a-z-]+\s+)?(?:stand|booth|stall|expo|show|fair|event|launch|open\s+day|roadshow|conference))\b)"
    ),
    # "Thanks for downloading our 2024 Salary Survey": ours, whatever its noun, downloaded.
    re.compile(
        r"\b(?:thanks?|thank\s+(?:you|u)|thx|ty|cheers)\s+(?:(?:so|very)\s+much\s+)?for\s+"
        r"(?:downloading|grabbing(?:\s+a\s+copy\s+of)?)\s+(?:my|our|the)\s+[a-z0-9'-]+"
    ),
    # Welcome back to the proposal / to our pricing page.
    re.compile(rf"\bwelcome\s+back\s+to\s+(?:the|our|my)\s+(?:[a-z-]+\s+){{0,2}}?{WEB_PLACE}"),
    # Three opens / 5 clicks / several visits / your visits to our site.
    re.compile(
        # Round 10: not an audience's size ("The listing has had 300 views on Daft this
        # week"): hundreds of views are many people's, not one prospect's.
        r"\b(?:(?<![\d,.])(?!\d{3})\d+|two|three|four|five|six|seven|eight|nine|ten|several|multiple|a\s+few|a\s+couple\s+of|many|"
        r"repeat(?:ed)?|recent|a\s+lot\s+of|lots\s+of|loads\s+of|plenty\s+of|a\s+bunch\s+of|heaps\s+of|"
        rf"your\s+(?:recent\s+|latest\s+|last\s+|many\s+)?)\s+{ENGAGEMENT_NOUN}"
        r"(?!\s+to\s+(?:our|the)\s+(?:office|booth|stand|event|hq|headquarters))"
    ),
    re.compile(
        r"\byour\s+(?:recent\s+|latest\s+|last\s+)?(?:visit|click|open|view|download)s?\s+(?:to|on|of)\s+"
        rf"(?:our|my|the)\s+(?:[a-z'-]+\s+){{0,2}}?(?:{WEB_PLACE}|{ARTEFACT})"
        # "Your open rate on my emails is 100%": engagement as a rate.
        r"|\b(?:your|ur)\s+(?:[a-z-]+\s+)?(?:open|click|click-through|view|read|watch)\s+(?:rate|rates|count|counts)\b"
    ),
    Gated(
        rf"\b{OBSERVE}{FROM_MY_END}(?:a|an|one|some|\d+|two|three|several|multiple|a\s+few|"
        r"a\s+(?:bunch|lot|couple|load|heap|ton|handful)\s+of|lots\s+of|loads\s+of|heaps\s+of)\s+"
        rf"(?:visits?|clicks?|opens?|views?|downloads?)\b",
        " visit",
        " click",
        " open",
        " view",
        " download",
    ),
    Gated(rf"{OBSERVER},?{GAP}(?:\s+|(?=')){TRACKED_WIDE}", *OBSERVER_NEEDLES),
    # The observer last: "You got through half the video, I see."
    Gated(
        rf"{CLAUSE_START}{ACTOR}{ACT_AUX}{TRACKED_WIDE}[^.?!;]{{0,80}}?,\s*(?:i|we)\s+(?:can\s+)?"
        r"(?:see|notice|noticed|gather|saw|spotted)\b",
        ",",
    ),
    # Thanks for taking the time to read through the proposal last night.
    re.compile(
        r"\b(?:thanks?|thank\s+you|appreciate[d]?)\s+(?:you\s+)?(?:so\s+much\s+)?for\s+(?:taking|finding|making)\s+"
        r"(?:the\s+)?time\s+to\s+(?:read|look|go|watch|review|check|dig|skim)\b"
        # Not what was done together: "... go through the report with us on Tuesday".
        r"(?![^.?!]*\b(?:with\s+(?:me|us)|together|on\s+(?:the|our)\s+call)\b)[^.?!]{0,60}?"
        + any_of(COUNT, WHEN, DEVICE)
    ),
    # "Your name popped up in my profile viewers"
    re.compile(
        r"\b(?:popped|showed|turned|came|pops|shows|pop|show)\s+up\s+(?:in|on|among)\s+(?:my|our)\s+(?:[a-z'-]+\s+){0,2}?"
        r"(?:viewers|visitors|views|notifications|alerts|dashboard|crm|feed|tracker|list|report|log|logs|analytics|records|stats)\b"
    ),
    # "You had the proposal open for 20 minutes", "saw you had the runbook open".
    Gated(
        rf"(?:{CLAUSE_START}|(?:\b{OBSERVE}|{BARE_OBSERVE}|\b{TOOL_SAYS})\s+(?:that\s+)?){ACTOR}{ACT_AUX}(?:had|kept|left|have|keep)\s+"
        r"(?:my|our|the|it)(?:\s+[a-z0-9'-]+){0,3}?\s+open\b",
        " open",
    ),
    Gated(BEING_THERE, *OBSERVER_NEEDLES),
    # Veeva shows the e-detail was opened / The exhibitor portal shows your booking form
    # was opened but not submitted / Our PSA tool shows the renewal quote is still unopened.
    Gated(
        rf"(?:{CLAUSE_START}{DATA_SAYS}|\b{TOOL_SAYS})\s+(?:(?:that|me|us)\s+)?"
        rf"(?:{ACTOR}{ACT_AUX}(?:{TRACKED}|{TRACKED_IF_OURS}|visit(?:ed)?(?!\s+(?:us|me)\b)|open(?:ed)?|"
        r"complet(?:ed|ing)|finish(?:ed|ing)|start(?:ed|ing)|fill(?:ed)?\s+(?:in|out)|abandon(?:ed)?|"
        # Round 14: "the webinar platform tells me you joined for the Q&A only", "… you
        # registered but left after ten minutes".
        r"join(?:ed)?|register(?:ed)?|left|skipped|stopped|paused)|"
        # Round 14, telegraphic: "my email tool's showing the proposal opened 11 times".
        rf"{PASSIVE_SUBJECT}\s+(?:opened|viewed|clicked|downloaded|watched)\b|"
        rf"{OPEN_PASSIVE})",
        *REPORT_NEEDLES,
    ),
    THANKED_TOOL,
    COURTESY_OF,
    HEARSAY,
    # "Mailtrack hasn't shown an open", "my tracker shows zero clicks": the absence, tracked.
    Gated(
        rf"\b{TOOL}\s+(?:hasn'?t|has\s+not|hasnt|doesn'?t|didn'?t|isn'?t|wasn'?t|won'?t|never)\s+"
        r"(?:(?:yet|even|once|actually|ever)\s+)?(?:shown|show|showing|registered|register|logged|log|recorded|"
        r"flagged|picked\s+up|seen|detected|pinged)\s+(?:me\s+)?(?:(?:a|an|any|one|a\s+single)\s+)?"
        r"(?:open|opens|click|clicks|view|views|visit|visits|download|downloads|activity|engagement|reads?)\b",
        *("n't", " has not", "hasnt", " never"),
    ),
    re.compile(
        r"\b(?:zero|not\s+a\s+single|not\s+one|nil)\s+(?:email\s+)?(?:opens|clicks|downloads|page\s*views|views|plays|reads)\b"
        r"(?!\s+(?:needed|required|necessary|involved|to)\b)"
        r"|\b(?:had|got|seen|shows?|showing|registered|logged)\s+no\s+(?:email\s+)?(?:opens|clicks|downloads|page\s*views|views|plays)\b"
    ),
    # "You left me on read", "the read receipt came back", "the blue ticks".
    Gated(
        r"\bleft\s+(?:me|us|my\s+[a-z]+|it)\s+on\s+(?:read|seen|delivered)\b"
        r"|\b(?:the|my|a|your)\s+(?:[a-z-]+\s+)?(?:read\s+receipts?|delivery\s+receipt|open\s+notification|"
        r"tracking\s+(?:notification|alert|pixel))\s+(?:just\s+)?(?:came\s+back|came\s+through|arrived|fired|"
        r"popped\s+up|pinged|went\s+off|says|said|shows|showed)\b",
        *(" left", "receipt", " delivery", " open notification", " tracking"),
    ),
    # A status line: "Proposal opened 3x (Tue, Wed, Fri)", "MSA sent 2 Oct, opened by
    # legal 4 Oct, not yet opened by CFO".
    Gated(
        rf"{CLAUSE_START}(?:(?:my|our|the)\s+)?(?:[a-z0-9'-]+\s+){{0,2}}?{ARTEFACT}\s+"
        r"(?:(?:not\s+yet|never|not)\s+)?(?:opened|viewed|clicked|downloaded|watched|accessed)\s+"
        r"(?:\d+\s?(?:x|times)\b|twice|thrice|by\s+[a-z]|on\s+(?:mobile|desktop|an?\s+)|for\s+\d|at\s+\d)"
        r"|(?:^\s*|[,;(]\s*)(?:(?:not\s+yet|never|not)\s+)?(?:opened|viewed|downloaded)\s+by\s+"
        r"(?:the\s+|your\s+)?[a-z]+(?:\s+\d|\s*[,.;)]|\s*$)",
        *ACT_NEEDLES,
    ),
    # "Our vessel-scheduling demo had a visitor from your Durban terminal for 25 minutes".
    Gated(
        rf"\b(?:my|our|the)\s+(?:[a-z0-9'-]+\s+){{0,2}}?(?:{WEB_PLACE}|{ARTEFACT})\s+(?:has\s+|just\s+)?"
        r"(?:had|got|gets|received)\s+(?:a|an|one|\d+|two|three|several|some|a\s+few)\s+"
        r"(?:visitors?|viewers?|views?|visits?|opens?|clicks?)\s+from\s+(?:your|ur|someone|somebody)\b",
        *(" had", " got", " gets", " received"),
    ),
    # The observer last, with its tool: "... keeps going back to clause 14 - I can see it
    # in the viewer stats".
    Gated(
        rf"(?:{CLAUSE_START}|\bthat\s+){ACTOR}{ACT_AUX}{TRACKED_WIDE}[^.?!]{{0,80}}?\b(?:i|we)\s+(?:can|could)\s+see\s+"
        rf"(?:it|that|this|them)\s+(?:in|on|from|via|through)\s+{TOOL}",
        "see",
    ),
    # Round 9. Read receipts named: "u've read my msg (2 blue ticks lol)".
    re.compile(r"\b(?:(?:two|2|double|the|both)\s+)?blue\s+ticks?\b|\b(?:two|2|double)\s+ticks\b"),
    # The observer, "that", and what was sent described at length before the act: "I
    # noticed that the proposal for outsourced document review, which I sent on Monday, was
    # opened on several occasions", "…our proposal on the CCTV upgrade for SMK Seri Indah
    # has not been opened yet"; the tool as the source: "I see from the shared folder
    # activity that the estates team … have opened the revised scheme".
    Gated(
        rf"\b(?:{OBSERVE}\s+that|{TOOL_SAYS}(?:\s+that)?)\s+(?:my|our|the)\s+[^.?!;]{{0,100}}?\s(?:{PASSIVE_TRACKED}|{NOT_TRACKED})"
        rf"|\b(?:i|we)\s+(?:can\s+)?(?:see|saw|notice[d]?|note[d]?)\s+(?:from|on|in|via)\s+{NOT_A_NETWORK}{TOOL}\s+that\s+[^.?!;]{{0,80}}?"
        rf"\b(?:opened{NOT_A_PLACE}|viewed|clicked|downloaded|accessed|watched|read)\b",
        " that",
        also=(
            *ACT_NEEDLES,
            " read",
            "shared",
            "forwarded",
            " not ",
            "n't",
            "never",
            "popped",
            "started",
            "begun",
            "abandoned",
        ),
    ),
    # What the tool shows not done, or played through: "The data room logs show you
    # haven't logged in yet", "Our video host shows it played right to the end".
    Gated(
        rf"\b{TOOL_SAYS}\s+(?:(?:that|me)\s+)?(?:{ACTOR}\s*{NEGATED}(?:opened|open|viewed|view|clicked|click|logged\s+in|"
        r"log\s+in|accessed|downloaded|watched|read)\b|(?:it|they|(?:the|my|our)\s+[a-z0-9-]+)\s+(?:was\s+|were\s+)?"
        r"(?:played|watched|viewed)\s+(?:right\s+|all\s+the\s+way\s+)?(?:(?:through\s+)?(?:to|until)|through)\s+the\s+(?:end|finish)\b)",
        *REPORT_NEEDLES,
    ),
    # "Still showing as unread on my side", "the quote shows as opened".
    re.compile(
        r"\b(?:showing|shows|showed|show|marked|flagged|listed|coming\s+up|ping|pings|pinged|pop|pops|popped|"
        r"register|registers|registered|came\s+up|come\s+up)\s+as\s+(?:still\s+)?"
        r"(?:unread|unopened|opened|read|viewed|seen|unviewed|not\s+(?:yet\s+)?opened)\b"
        # "the DocuSign envelope still shows unviewed".
        r"|\b(?:still\s+)?(?:showing|shows|showed)\s+(?:as\s+)?(?:still\s+)?(?:unread|unopened|unviewed|unclicked)\b"
    ),
    NOT_OPENED_STATED,
    # Round 11: the tool lights up ("the deck link lit up on my end", "I could see the
    # Highspot page light up on my end", "saw it pop up on my end", "our tracking pixel
    # fired on the tasting notes email").
    Gated(
        r"\b(?:lit|light|lights|lighting|pop(?:s|ped|ping)?|ping(?:s|ed)?)\s+up\s+(?:on|at|from)\s+(?:my|our)\s+"
        r"(?:end|side|screen|dashboard|tracker|crm|phone)\b"
        r"|\b(?:pixel|tracker|tracking|open\s+tracking)\s+(?:just\s+)?(?:fired|triggered|went\s+off|pinged)\b",
        " up ",
        "fired",
        "triggered",
        "went off",
        "pinged",
    ),
    # Round 11: a read receipt, wherever it was read ("Read receipt came back at 9:14",
    # "The read receipt on the procurement pack came back from your PA", "The read receipt
    # on WhatsApp is blue").
    Gated(
        r"\bread\s+receipts?(?:\s+(?:on|for|from)\s+[^.?!,;]{1,40}?)?\s+(?:just\s+)?"
        r"(?:came\s+back|came\s+through|arrived|was\s+received|is\s+blue|went\s+blue|turned\s+blue|pinged|popped\s+up)\b",
        "receipt",
    ),
    # Round 11: activity from their side ("Seeing a lot of activity on the contract from
    # your side today", "Our tool flagged a lot of activity on the proposal from your end").
    Gated(
        r"\b(?:a\s+lot\s+of|lots\s+of|some|a\s+bit\s+of|plenty\s+of|loads\s+of|heaps\s+of|a\s+burst\s+of|recent)\s+"
        r"activity\s+(?:(?:on|in|around)\s+(?:the|my|our|your)\b[^.?!]{0,50}?\bfrom\s+(?:your|ur)\s+"
        r"(?:[a-z\u00e0-\u017f-]+\s+)?(?:side|end|team|office|company|organisation|organization)\b|"
        r"from\s+(?:your|ur)\s+(?:[a-z\u00e0-\u017f-]+\s+)?(?:side|end|team|office|company|organisation|organization)\s+"
        r"(?:on|in|around)\s+(?:the|my|our)\b)",
        "activity",
    ),
    # Round 11: tracked, and the observer after it ("The proposal's been forwarded to your
    # CFO I see", "The rate card's been sitting unopened since the 2nd, from what I can
    # see", "As far as I can tell, the deck has been viewed but not forwarded yet").
    Gated(
        rf"{CLAUSE_START}(?:as\s+far\s+as\s+(?:i|we)\s+can\s+(?:tell|see),?\s+)?{PASSIVE_SUBJECT}(?:\s+|(?='))"
        rf"(?:{PASSIVE_TRACKED}|(?:'s|is|has)\s+(?:been\s+)?(?:sitting\s+|still\s+)?(?:unopened|unread))"
        r"(?:(?<=as\s)|[^.?!]{0,80}?(?:,?\s*(?:i|we)\s+(?:can\s+)?(?:see|notice|gather)\b|from\s+what\s+(?:i|we)\s+can\s+see|"
        r"as\s+far\s+as\s+(?:i|we)\s+can\s+(?:tell|see)|(?<=\s)i\s+see\b))",
        " see",
        " tell",
        " notice",
        " gather",
    ),
    # Round 11: thanks for time spent, or for a look on a day ("Appreciate you spending a
    # good 20 minutes on the policy wording yesterday", "Thx for spending so long on the
    # proposal", "Cheers for having a look at the spray plan last night").
    re.compile(
        r"\b(?:thanks?|thx|ty|cheers|thank\s+(?:you|u)|appreciate[d]?(?:\s+(?:you|u))?)\s+(?:so\s+much\s+)?(?:for\s+)?"
        r"(?:spending|spent)\s+(?:(?:a\s+good|about|around|almost|nearly|over|a\s+solid)\s+)?"
        r"(?:\d+\s*(?:minutes|mins|min|hours|hrs|seconds)|so\s+long|ages|a\s+while|that\s+long|so\s+much\s+time)\s+"
        r"(?:on|with|in|reading|looking|going)\b"
        r"|\b(?:thanks?|thx|ty|cheers|thank\s+(?:you|u))\s+(?:so\s+much\s+)?for\s+(?:having|taking|havin)\s+"
        + A_LOOK
        # Not a look taken together: "... the site list with me on Friday".
        + r"(?![^.?!]*\b(?:with\s+(?:me|us)|together|on\s+(?:the|our)\s+call|in\s+person)\b)[^.?!]{0,60}?"
        + WHEN
    ),
    # Round 13: the reveal in the languages reps switch into: Spanish ("vi que abriste el
    # link", "alguien abrió el paquete"), Tagalog ("nakita ko po na na-open niyo"),
    # Indonesian ("saya lihat Bapak sudah klik link"), French ("notre outil m'indique que
    # vous avez consulté la soumission").
    Gated(
        r"\bvi\s+que\s+(?:abriste|abrió|viste|descargaste|descargó|hiciste\s+clic|visitaste|visitó|entraste)\b"
        r"|\balguien\s+(?:abrió|descargó|visitó)\b|\b(?:tu|su)\s+equipo\s+visitó\b"
        r"|\bnakita\s+ko\s+(?:po\s+)?(?:na|that)\s+(?:na-?open|pinanood|na-?download|nag-?click|binuksan|na-?view)"
        r"|\bbased\s+sa\s+record\s+namin\b"
        r"|\bsaya\s+lihat\b[^.?!]{0,40}\b(?:sudah|telah)\s+(?:membuka|buka|klik|mengklik|download|mengunduh)\b"
        r"|\b(?:notre|mon)\s+(?:outil|système|systeme|logiciel)\s+(?:m'indique|indique|montre)\s+que\s+vous\s+avez\s+"
        r"(?:consulté|ouvert|lu|téléchargé|visité)",
        "vi ",
        "alguien",
        "equipo",
        "nakita",
        "record namin",
        "saya lihat",
        "notre",
        "mon ",
    ),
    # Round 13: the source named anywhere in the sentence, the act anywhere else ("The
    # proposal was printed, according to the viewer", "your office opened version 3 …,
    # according to the document management system", "the video was muted after the
    # intro, based on our player stats", "Per Salesforce, your account had 8 site
    # sessions").
    Gated(
        # (Not "from": "I downloaded the tender documents from the council portal".)
        rf"^(?=[^.?!]*\b(?:according\s+to|per|based\s+on|going\s+by|judging\s+by)\s+{TOOL})"
        r"(?=[^.?!]*\b(?:opened|viewed|clicked|downloaded|printed|watched|muted|played|visited|accessed|forwarded|"
        r"idle|inactive|sessions|visits|views|opens|clicks|plays)\b)[^.?!]*",
        "according",
        " per ",
        "based on",
        "going by",
        "judging by",
    ),
    # Round 13: "Thanks for the profile view!", "Bombora has your domain surging on…",
    # "the trust portal logged access from your procurement team", "most of the time was
    # spent on the risk register".
    re.compile(
        r"\b(?:thanks?|thx|ty|cheers|thank\s+(?:you|u))\s+(?:so\s+much\s+)?for\s+(?:the|checking\s+out\s+my|viewing\s+my)\s+"
        r"(?:linkedin\s+)?profile(?:\s+(?:view|visit)s?)?\b"
    ),
    Gated(
        rf"\b{TOOL}\s+(?:has|had|shows|showed|puts|put)\s+(?:your|ur)\s+(?:[a-z-]+\s+)?(?:domain|company|account|team|organi[sz]ation|firm)\s+"
        r"(?:as\s+)?(?:surging|spiking|trending|in-market|in\s+market|showing\s+intent|researching)\b"
        rf"|\b{TOOL_SAYS}\s+(?:(?:a\s+lot\s+of|lots\s+of|some|several|\d+)\s+)?(?:access|activity|a\s+visit|visits|views|opens|clicks|"
        r"sessions?|downloads?)\s+(?:from|by)\s+(?:your|ur|someone|somebody)\b"
        rf"|\b{TOOL_SAYS}\s+(?:that\s+)?(?:most|much|all|half|the\s+bulk)\s+of\s+(?:the|their|your)\s+time\s+(?:was\s+)?spent\b",
        " has ",
        " had ",
        " shows",
        " showed",
        " puts",
        " put ",
        *REPORT_NEEDLES,
    ),
    # Round 12: the tool first, as the source: "according to my tracking pixel you've
    # opened this thread 11 times".
    Gated(
        rf"\b(?:according\s+to|per|going\s+by)\s+{TOOL}\s*,?\s+{ACTOR}{ACT_AUX}(?:{TRACKED}|{TRACKED_IF_OURS}|open(?:ed)?)\b",
        "according",
        " per ",
        "going by",
    ),
    # Round 11: intent data told ("ZoomInfo intent data says your company is researching
    # warehouse automation", "Apollo says you're in-market for agencies").
    Gated(
        rf"\b{TOOL_SAYS}\s+(?:(?:that|me|us)\s+)?{ACTOR}(?:\s*'(?:s|re|ve)|\s+(?:is|are|was|were|has|have))?"
        r"(?:\s+(?:been|now|currently|actively|really))*\s+(?:researching|in-market|in\s+market|shopping\s+(?:for|around)|"
        r"evaluating|comparing|surging|showing\s+(?:strong\s+|high\s+)?intent|looking\s+(?:at|into|for))\b",
        *REPORT_NEEDLES,
    ),
    # Round 11: a document printed, as its viewer logs it ("Looks like the document was
    # printed from the viewer on Wednesday", "I see the PDF was printed"); not brochures
    # a print shop printed.
    Gated(
        rf"(?:\b{OBSERVE}|{BARE_OBSERVE}|\b{TOOL_SAYS}){FROM_MY_END}(?:the|my|our|that)\s+(?:[a-z0-9-]+\s+){{0,2}}?"
        r"(?:pdf|document|doc|file|proposal|contract|quote|quotation|deck|agreement|offer|it)\s+"
        r"(?:was|got|has\s+been|had\s+been|'s\s+been)\s+(?:just\s+)?printed\b",
        "printed",
    ),
]

# What the prospect told the rep is no reveal: "You said you'd watched the recording".
TOLD_ME = re.compile(
    r"\b(?:you|u|they|he|she)\s+(?:said|mentioned|told\s+(?:me|us)|let\s+(?:me|us)\s+know|wrote|"
    r"replied|confirmed|asked)\b"
)
# Words of presumption: a sentence that guesses is a trap, never a reveal.
GUESSES = re.compile(
    r"\b(?:guess|guessing|imagine|imagining|assume|assuming|suppose|suspect|bet|reckon|presumably|"
    r"chances\s+are|probably|i\s+doubt)\b"
)
# Facts that are not tracking, for the model: no reply ("I noticed I hadn't heard back"),
# a delivery tracked ("the driver's tracker shows the pallet arrived"), a visit in person
# ("Thanks for coming down to see the ballroom"), a thank-you for what was done together.
NOT_TRACKING = re.compile(
    r"\b(?:hadn'?t|haven'?t|hasn'?t|had\s+not|have\s+not|not|no)\s+(?:yet\s+)?(?:heard\s+(?:back|from)|replied|"
    r"responded|had\s+a\s+(?:reply|response)|got(?:ten)?\s+back|come\s+back\s+to)\b"
    r"|^(?!.*\b(?:opened|clicked|viewed|downloaded|watched|read|visited)\b).*\b(?:delivery|deliveries|delivered|"
    r"parcel|shipment|consignment|courier|pallets?|driver)\b"
    r"|\b(?:coming|came|come)\s+(?:down|in|over|along|out|by|round)\s+to\s+(?:see|visit|meet|tour)\b"
    r"|\bin\s+person\b|\bhaving\s+(?:me|us)\s+(?:in|at|over|round|along)\b"
    # A thank-you for what was done together: "Thanks for taking the time to go through
    # the report with us on Tuesday" (the rep was there; no tool told it).
    r"|\b(?:thanks?|thank\s+(?:you|u)|thx|cheers|grateful|appreciate[d]?)\b[^.?!,;:\u2013\u2014]*?"
    r"\s(?:with\s+(?:me|us|our\s+team)|together)\b"
)
# A product described, not a prospect watched: "Our platform tracks email opens so your
# reps can prioritise", "The dashboard shows your team which documents prospects viewed".
CAPABILITY = re.compile(
    # ("I couldn't tell whether anyone opened it" is the rep, not a product.)
    r"\b(?<!n't\s)(?<!not\s)(?<!\bi\s)(?<!we\s)(?:shows?|lets?|helps?|gives?|allows?|enables?|tells?)\s+(?:[a-z'-]+\s+){0,3}?"
    r"(?:which|what|how\s+many|how\s+much|who|whether|when)\b"
    r"|\bso\s+(?:that\s+)?(?:you|your|reps|teams?|clients|customers)\b(?:\s+[a-z'-]+){0,3}?\s+"
    r"(?:can|could|will|won't|never|don't|doesn't)\b|\bso\s+(?:that\s+)?(?:nothing|no\s+one|nobody)\b"
    r"|\b(?:lets?|helps?|allows?|enables?)\s+(?!(?:you|u|me|us)\s+know\b)(?:[a-z'-]+\s+){0,3}?(?:to\s+)?(?:see|track|know|view|monitor|spot)\b"
    r"|\b(?:tracks|flags|reports|monitors|logs|records|measures|captures)\s+"
    r"(?:(?:email|link|page|unopened|every|all|each|overdue)\s+){0,2}"
    r"(?:opens|clicks|visits|views|tasks|engagement|activity|watch\s+time|time\s+on\s+page|device)"
)
# ... unless it also says what the prospect did: "shows which pages you viewed".
YOUR_ACT = re.compile(
    r"\b(?:you|u|your|ur)\b(?:\s+[a-z'-]+){0,2}?\s+(?:'ve\s+|have\s+|had\s+|just\s+)?"
    r"(?:opened|viewed|clicked|visited|downloaded|watched|read|spent|accessed|looked|open|view|"
    r"click|visit|spend|spending|browsing|been\s+on|checked|checking)\b"
)


# Round 10: an audience's size, hundreds or more, with nobody of theirs named ("The
# listing has had 300 views this week", "Our catalogue has been downloaded 10,000 times"):
# many people's doing, not what one prospect was seen to do.
AUDIENCE = re.compile(
    r"\b(?:\d{1,3}(?:,\d{3})+|\d{3,}|hundreds|thousands)\s+(?:of\s+)?"
    r"(?:views|downloads|visits|opens|clicks|plays|times|visitors|viewers|readers|people)\b"
)
_THEIRS_NAMED = re.compile(r"\b(?:you|u|your|ur|ye|ya|yours)\b")


def an_audience(sentence: str) -> bool:
    """Whether the sentence counts an audience (hundreds or more) and names nobody of theirs."""
    return AUDIENCE.search(sentence) is not None and _THEIRS_NAMED.search(sentence) is None


def describes_product(sentence: str) -> bool:
    """Whether the sentence tells what a product does rather than what the prospect did."""
    return CAPABILITY.search(sentence) is not None and YOUR_ACT.search(sentence) is None
