"""The lint's word lists: who is asked about, what reps send, where tracking looks.

Each list is a regex group of whole words (``_`` stands for a space). They are the
vocabulary of the grammar in :mod:`policies.coach.grammar`; a word added here is
recognised in every shape that uses the list. Typos of the longer key words are
repaired before matching (:mod:`policies.coach.spelling`), so the lists hold each
word once, spelled right (British and American spellings both).
"""

from __future__ import annotations

import re

__all__ = ["VOCABULARY", "any_of", "words"]

# Every word of every list, and the key words of the grammar's own verbs: the words whose
# typos :mod:`policies.coach.spelling` repairs ("propsal" -> "proposal").
VOCABULARY: set[str] = set()


def any_of(*alternatives: str) -> str:
    """A non-capturing group matching any of ``alternatives`` (each itself a regex)."""
    return "(?:" + "|".join(alternatives) + ")"


def words(spaced: str, suffix: str = "") -> str:
    """A group of whole words from a space-separated list; ``_`` stands for a space.

    ``suffix`` is a regex each word may end in, such as a plural ``s``. Each word joins
    :data:`VOCABULARY`. The group is built as a trie ("re(?:ad|view)"), since Python's
    regex engine tries the branches of a flat alternation one by one.
    """
    VOCABULARY.update(w for word in spaced.split() for w in word.split("_"))
    if suffix.startswith("(?:s|"):
        # Plurals are repaired too ("qoutes" -> "quotes"), not only the words as listed.
        VOCABULARY.update(
            word + "s" for word in spaced.split() if "_" not in word and not word.endswith("s")
        )
    return _trie([tuple(word.replace("_", " ")) for word in spaced.split()]) + suffix + r"\b"


def _trie(entries: list[tuple[str, ...]]) -> str:
    """A regex matching exactly the strings in ``entries`` (a space is ``\\s+``)."""
    end = any(not entry for entry in entries)
    heads: dict[str, list[tuple[str, ...]]] = {}
    for entry in entries:
        if entry:
            heads.setdefault(entry[0], []).append(entry[1:])
    branches = [
        (r"\s+" if head == " " else re.escape(head)) + _trie(rest)
        for head, rest in sorted(heads.items())
    ]
    if not branches:
        return ""
    body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
    # Longest first: a word that is a prefix of another ("read", "reading") must not win
    # before the longer one has been tried.
    return f"(?:{body})?" if end else body


YOU = r"(?:you|u|ya|yu|ye)\b"  # "ye" in Irish English: "Ye've been back to the quote"

# "you guys", "you and your team", "your CFO", "the team": the people asked about.
PEOPLE = words(
    "team teams cfo ceo cto cio coo boss colleague colleagues manager managers legal "
    "procurement finance people folks company org organisation organization firm business "
    "it_team legal_team finance_team leadership board "
    # Roles and the people around them: "your assistant opened", "has your GC had time".
    "assistant assistants pa ea secretary director directors partner partners counsel gc "
    "lawyer lawyers solicitor engineer engineers lead head vp svp evp founder co-founder owner "
    "analyst analysts buyer buyers architect admin staff committee trustees panel department "
    "dept exec execs executive executives ops hr coworker coworkers co-workers teammate "
    "teammates peers deputy controller treasurer principal dean registrar bursar headteacher "
    "head_teacher chef "
    # Round 11: the institution as the actor ("Wonderful to see your school downloaded").
    "school schools clinic hospital depot mgr md gm offsider hiring_manager hiring_mgr "
    "ciso cmo cro cpo faculty spouse office"
)

NOT = words(
    # Round 11: "I'm guessin' you ain't had time to read it".
    "ain't aint "
    "haven't havent have_not hav_nt hadn't hadnt had_not didn't didnt did_not not never "
    "still_haven't still_havent must_not_have may_not_have might_not_have could_not_have "
    "must_not may_not might_not"
)

HEDGE = words("probably prob prolly likely most_likely obviously clearly surely still just")

ARTEFACT = words(
    # Round 10: Dutch "offerte" (an offer).
    "offerte offertes "
    "e-mail email emial emai mail message msg note notes voicemail voice_message vm text "
    "dm inmail proposal deck slides slide slide_deck presentation document doc docs pdf "
    "attachment attachement attachmnt file files link links info information material "
    "materials quote quotation offer contract agreement sow rfp one-pager one_pager "
    "case_study case_studies whitepaper white_paper brochure report summary recap "
    "follow-up followup follow_up video recording loom demo overview pricing price_list "
    "prices estimate numbers figures terms invoice spec specs sample samples ebook e-book "
    "guide outline draft update stuff thing things details letter sheet breakdown "
    "write-up writeup calculator model redline redlines plan roadmap case business_case tour "
    "product_tour recording walkthrough walk-through questionnaire answers msa nda sla dpa "
    "memo pack kit kits itinerary bafo rate_card wording policy_wording "
    "method_statement pitch spreadsheet checklist playbook policy order_form statement_of_work "
    "analysis assessment audit benchmark diagram mockup mock-up prototype wireframe "
    "screenshot screenshots testimonial comparison programme program pilot_plan scope "
    "section chapter appendix faq docs api_docs documentation portal profile webinar "
    "resources notes minutes agenda addendum annex appendix projection findings "
    "schedule brief response tender bid submission rfi rfq timeline replay clip screencast "
    "transcript highlights takeaways synopsis template workbook worksheet datasheet "
    "data_sheet factsheet fact_sheet specification requirements handbook manual catalogue "
    "catalog flyer leaflet poc proof_of_concept tco terms_sheet term_sheet changes markup "
    "mark-up edits licence license licensing renewal sandbox mock-ups mockups tiers options "
    "sandbox_link trial_link loom_video glossary shortlist cv resume prospectus monograph "
    "leaflet dossier runbook rate_card rate_sheet memorandum bulletin packet "
    "media_kit portfolio lookbook storyboard script e-detail vid video_message voice_note "
    "summaries txt sms whatsapp imessage abstract lease_abstract calendar_invite "
    "loom statement capability_statement "
    "meeting_invite calendar_invitation floor_plan floor_plans floorplan floorplans listing "
    "teaser offering_memorandum loi heads_of_terms engagement_letter milestones "
    # What designers, data teams and dealmakers send: "the moodboard", "the schema
    # mapping", "the IM", "the WeTransfer", "the site survey".
    "moodboard mood_board render renders visuals artwork proof proofs concepts mapping "
    "schema im information_memorandum wetransfer site_survey zip zip_file matrix reel "
    "highlight_reel showreel sizzle_reel board_paper board_papers position_paper "
    # Safety data sheets, as chemical suppliers send them: "the updated SDS".
    "sds msds "
    # Round 9: what designers, valuers and medical reps send ("the fabric swatches", "the
    # design concept", "the trade-in appraisal", "the dosing chart", "the five-minute
    # explainer", "the IFU").
    "swatch swatches concept appraisal valuation chart explainer ifu "
    # Round 11: invitations, memoranda of understanding, faxes, fee structures, the
    # studies engineers send, gift boxes.
    "invite invites invitation invitations mou moa fax faxes fee_structure fee_structures "
    "feasibility_study capacity_study voltage_study load_study clarifications computation "
    "computations gift_box illustration illustrations newsletter newsletters "
    # Round 12: a learner's "proposition" and "soumission" (a quote, in Québec), the
    # scorecards recruiters send.
    "proposition propositions soumission soumissions scorecard scorecards "
    # Round 13: the rep's letters and enclosures, as formal writers name them.
    "enclosure enclosures briefing_note pre-read preread pamphlet pamphlets "
    # Round 14: what pharma, hospitality and fundraising reps send.
    "cda cdas mta package packages form forms menu menus allocation rooming_grid "
    "certificate certificates rendering renderings welcome_box care_package",
    suffix=r"(?:s|'s|es)?",
)

MODIFIER = words(
    "last latest previous prior earlier recent new revised updated final draft full short "
    "shorter quick brief attached whole entire pricing security enterprise roi one-page "
    "signed follow-up intro introductory sample custom tailored proposed linkedin first "
    "second third original amended detailed"
)
# Whose reports a rep may mention without having sent them ("the Gartner report").
THIRD_PARTY = words(
    "gartner forrester mckinsey idc hbr bloomberg reuters deloitte pwc kpmg accenture bain "
    "g2 capterra techcrunch forbes "
    # Round 10: news outlets ("the ABC report on the wheat price").
    "bbc abc cnn nbc cbs cnbc npr itv rte sky_news ft wsj nyt guardian economist afr scmp axios politico"
)
# "the email from your IT team" is someone else's.

# Somewhere on the web or in the inbox tracking can see.
WEB_PLACE = words(
    "site website page pages pg pricing blog docs portal app homepage landing careers "
    "proposal deck link links email emails e-mail demo video webinar faq calculator form "
    "forms checkout cart folder workspace shared_drive data_room deal_room hub "
    "case_study case_studies whitepaper ebook guide content resources "
    # Interactive tools of ours and the rep's documents (round 9: "the sprayer configurator",
    # "the pricing tab", "the brief doc").
    "configurator estimator simulator builder tab doc document virtual_booth trust_center "
    "webpage web_page gallery course courses module modules training lesson lessons "
    # Round 12: "I can see you started the e-signature but didn't finish".
    "e-signature esignature"
)

# The rep's tooling reports it: "Our CRM shows", "My read receipt shows", "HubSpot tells me".
TOOL_NAME = words(
    "system systems tool tools tracker tracking software analytics crm dashboard platform app "
    "pixel data logs log stats records record insights activity_feed notifications notification "
    "read_receipt read_receipts receipt alerts alert sequencer tracker_extension extension "
    "stats reports report heatmap engagement_report email_tracker link_tracker plugin link "
    "portal document_portal data_room read_status ip_lookup link_stats document_stats ats psa "
    "tms backend back-end engine statistics metrics blue_ticks ticks double_ticks "
    "delivery_receipt open_tracking intent_data automation marketing_automation lms icon "
    "eye_icon indicator deal_room video_host folder_activity activity_log website "
    # Round 12: "my email thing says you opened that quote", "my tracking pixel".
    "thing email_thing tracking_pixel "
    # Round 13: "your email client says you read…", "the heat map on the proposal shows",
    # "our usage dashboard", "our player stats".
    "email_client mail_client heat_map usage_dashboard intent_dashboard viewer document_viewer "
    "database db donor_database tracking_link"
)
# Products that track opens, clicks, views and visits, named as the rep's source.
TOOL_BRAND = words(
    "hubspot salesforce sfdc salesloft outreach outreach.io mixmax yesware mailtrack streak "
    "apollo gong docsend pandadoc proposify qwilr seismic highspot showpad vidyard wistia "
    "loom mailchimp pipedrive zoominfo 6sense bombora clearbit leadfeeder lemlist reply.io "
    "woodpecker mailshake groove superhuman intercom drift hotjar mixpanel marketo pardot "
    "klaviyo close.com sales_navigator google_analytics ga4 linkedin_sales_navigator "
    "bananatag docusign mailsuite gmass saleshandy mailbutler cirrus_insight getaccept "
    "paperflite bigtincan brainshark mediafly bonjoro storylane navattic demostack "
    "demandbase rb2b leadinfo albacross lead_forensics dealfront hockeystack chorus "
    "eloqua act-on dotdigital activecampaign sendinblue brevo campaign_monitor "
    "fullstory pendo smartlook crazy_egg lucky_orange matomo "
    "mailmeteor klenty outplay smartlead hunter.io yamm veeva "
    # Chat apps and networks whose read receipts and profile views reps quote.
    "whatsapp imessage messenger linkedin telegram wechat microsoft_teams ms_teams slack "
    "matterport insta instagram facebook fb tiktok seamless.ai "
    # File sharing and hosting that tell the sender of a download or a view (round 9).
    "wetransfer dropbox google_docs google_drive onedrive sharepoint"
)

REPORTS = words(
    "shows show showed says say said tells_me tell_me told_me tells tell told indicates indicate "
    "indicated notified_me notified alerted_me alerted flagged pinged_me pinged lets_me_know "
    "let_me_know registered logged recorded confirms confirm confirmed suggests suggest suggested "
    "reports reported picked_up shows_me showed_me lets_me_see tells_us showing saying "
    "flags flag pings_me pings notifies_me notifies whispered whispers hinted let_slip "
    "lit_up spilled tattled telling_me telling_us informs_me informed_me informs_us informed_us "
    # Round 13: "Clearbit matched a visit from your company", "the trust portal logged".
    "matched detected identified caught signalled signaled signals "
    # Round 10, learner English: "the system notify me u opened the quotation".
    "notify_me notify_us notifying_me record_you records_you "
    # Round 11: "Hubspot sez u opened", "our website tells me".
    "sez"
)

# The grammar's verbs and markers, spelled out once so that their typos are repaired too
# ("chnace", "oppertunity", "recieved", "noticd"). British and American spellings both.
KEY_WORDS = words(
    "chance chances opportunity opportunities moment minute second around round through "
    "managed manage happened happen able review reviewed reviewing reviews read reading "
    "opened opening clicked clicking visited visiting viewed viewing watched watching "
    "downloaded downloading received receive receiving forwarded forwarding accessed "
    "checked checking looked looking noticed noticing spotted seeing glance glanced skimmed "
    "digest digested listened listening already probably likely guessing guess imagine "
    "assume assuming suppose expect wondering wonder whether curious confirm checking "
    "buried inbox spam junk promotions folder tracker tracking notification notifications "
    "analytics dashboard insights engagement activity seems looks appears apparently "
    "interested revisited returned browsing scrolled spending spent minutes hours times "
    "weekend morning evening afternoon yesterday tonight attached sending shared forwarded "
    "colleague colleagues manager procurement finance leadership director "
    # Round 12: "just wanted to chekc you recieved".
    "check"
)
