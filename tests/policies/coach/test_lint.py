"""The lint flags trap questions and surveillance reveals, with honest rewrites."""

from __future__ import annotations

import pytest

from policies.coach import lint, model


class TestTrapQuestions:
    @pytest.mark.parametrize(
        "text",
        [
            "Did you read my email?",
            "Have you had a chance to look at the proposal?",
            "you probably haven't had a chance to read it, have you?",
            "I assume you didn't get to it",
            "Did u see my email??",
            "HAVE YOU READ IT",
        ],
    )
    def test_closed_questions_about_reading_are_traps(self, text: str) -> None:
        assert [finding.kind for finding in lint(text)] == ["trap"]

    def test_a_question_after_a_greeting_is_found_at_its_own_span(self) -> None:
        text = "Hi Anna, hope you're well. Did you get a chance to read my email?"
        [finding] = lint(text)
        assert finding.excerpt == "Did you get a chance to read my email?"
        assert text[finding.start : finding.end] == finding.excerpt

    def test_spans_hold_on_the_original_text_with_curly_quotes(self) -> None:
        text = "Morning! You probably haven\u2019t had a chance to read it, have you?"
        [finding] = lint(text)
        assert text[finding.start : finding.end] == finding.excerpt
        assert "\u2019" in finding.excerpt


class TestSurveillance:
    @pytest.mark.parametrize(
        "text",
        [
            "I saw you opened my email three times",
            "I noticed you clicked the pricing link",
            "Looks like you've been on our pricing page",
            "You viewed the deck at 11pm",
            "Our system shows you visited twice",
        ],
    )
    def test_telling_what_tracking_showed_is_surveillance(self, text: str) -> None:
        assert [finding.kind for finding in lint(text)] == ["surveillance"]

    def test_both_kinds_in_one_message_are_both_found_in_order(self) -> None:
        text = "I noticed you visited our pricing page. Have you had a chance to review the quote?"
        assert [finding.kind for finding in lint(text)] == ["surveillance", "trap"]


class TestHonestOpenersPass:
    @pytest.mark.parametrize(
        "text",
        [
            "What did you think of the proposal?",
            "Which sections were most relevant to you?",
            "How useful was the information I sent over?",
            "Did you see the game last night?",
            "I read your article on pricing strategy.",
            "Which parts did you read?",
            "",
        ],
    )
    def test_open_questions_and_unrelated_uses_pass(self, text: str) -> None:
        assert lint(text) == []


class TestFindings:
    def test_every_finding_says_why_and_offers_a_rewrite_that_passes(self) -> None:
        for text in ("Did you read the proposal?", "I saw you opened the deck twice."):
            [finding] = lint(text)
            assert finding.why and finding.suggestion
            assert lint(finding.suggestion) == []
            assert "the proposal" in finding.suggestion or "the deck" in finding.suggestion

    def test_the_api_shape_has_the_six_fields(self) -> None:
        [finding] = lint("Did you read my email?")
        assert set(finding.as_dict()) == {"kind", "start", "end", "excerpt", "why", "suggestion"}


class TestQuotedReplies:
    """A reply quotes the thread with ">": those lines are not what the rep writes now."""

    REPLY = (
        "Hi Sam,\n\n"
        "> Did you get a chance to read my email about the PO?\n"
        "> I noticed you opened the invoice twice.\n\n"
        "Thanks Sam. I saw you opened the proposal twice. Which parts matter most?"
    )

    def test_quoted_lines_are_not_linted(self) -> None:
        assert lint("> Did you get a chance to read my email about the PO?") == []
        assert lint("  > I noticed you opened the invoice twice.") == []

    def test_the_same_words_unquoted_are(self) -> None:
        assert [f.kind for f in lint("Did you get a chance to read my email about the PO?")] == [
            "trap"
        ]

    def test_the_reply_itself_is_linted_with_spans_into_the_whole_text(self) -> None:
        [finding] = lint(self.REPLY)
        assert finding.kind == "surveillance"
        assert finding.excerpt == "I saw you opened the proposal twice"
        assert self.REPLY[finding.start : finding.end] == finding.excerpt

    def test_a_greater_than_sign_inside_a_line_quotes_nothing(self) -> None:
        assert [f.kind for f in lint("Usage is > 30% up. Did you read my proposal?")] == ["trap"]


class TestWordsNobodyHereWrote:
    """The classes of miss and false alarm from issue 16, in phrasings of our own."""

    @pytest.mark.parametrize(
        "text",
        [
            "hey did u get a chnace to look at the propsal?",  # typos in the key words
            "Have you had the oppertunity to go through the deck?",
            "Has Legal had a chance to review the MSA?",  # subjects other than "you"
            "Have you and Marcus had a chance to go over the rollout plan?",
            "Has the quote been reviewed by your finance team?",  # the passive
            "Did you end up watching the onboarding recording?",
            "Is the ROI model something you've been able to look at?",
            "I'd be grateful to learn whether you have had the opportunity to review the SOW.",
            "I'm guessing the implementation plan is still sitting on your to-do list?",
        ],
    )
    def test_wider_trap_shapes_are_traps(self, text: str) -> None:
        assert [finding.kind for finding in lint(text)] == ["trap"]

    @pytest.mark.parametrize(
        "text",
        [
            "Pandadoc says you spent 6 minutes on the pricing section.",  # a named tool
            "I see here that your CFO viewed the deck on an iPad.",
            "Saw that you looked at my profile again.",  # profile views
            "Looks like you made it most of the way through the demo recording.",  # progress
            "Noticed you still haven't opened the quote.",  # knowing it was NOT opened
            "It's been opened 9 times since Monday, which is great.",
        ],
    )
    def test_wider_reveals_are_surveillance(self, text: str) -> None:
        assert [finding.kind for finding in lint(text)] == ["surveillance"]

    @pytest.mark.parametrize(
        "text",
        [
            "If you haven't had a chance to read it yet, no worries at all.",
            "Did you manage to get the invoice approved?",
            "I won't ask whether you've read it; tell me if any of it is useful.",
            "Did you catch the match on Saturday?",
        ],
    )
    def test_look_alikes_pass(self, text: str) -> None:
        assert lint(text) == []

    def test_a_reveal_spans_the_clause_to_rewrite_not_just_the_trigger(self) -> None:
        text = "Hi Sam, I noticed you opened the proposal twice, so I wanted to follow up."
        [finding] = lint(text)
        assert finding.excerpt == "I noticed you opened the proposal twice"

    def test_a_span_found_through_a_repaired_typo_is_the_reps_own_text(self) -> None:
        text = "Thanks! Did you get a chnace to read the propsal?"
        [finding] = lint(text)
        assert finding.excerpt == "Did you get a chnace to read the propsal?"
        assert text[finding.start : finding.end] == finding.excerpt

    def test_the_suggestion_names_what_was_sent_as_the_rep_wrote_it(self) -> None:
        [finding] = lint("Has Marcus had a look at the ROI model yet?")
        assert "the ROI model" in finding.suggestion
        assert lint(finding.suggestion) == []


class TestRoundTwo:
    """The classes of miss from the stranger's first blind split, in phrasings of our own."""

    @pytest.mark.parametrize(
        "text",
        [
            "You haven't opened the renewal quote yet, according to our portal.",
            "It says here you've not opened the renewal terms.",
            "Bananatag tells me the rollout plan was opened by two people.",
        ],
    )
    def test_a_statement_of_what_a_tool_showed_is_a_reveal_not_a_trap(self, text: str) -> None:
        assert [finding.kind for finding in lint(text)] == ["surveillance"]

    @pytest.mark.parametrize(
        "text",
        [
            "My proposal hasn't been opened yet, so I'm sending it again.",  # not done
            "The link in my last email was never clicked.",
            "You watched about 70% of the onboarding video.",  # a share, as fact
            "You've finished two of the five training modules.",
        ],
    )
    def test_what_only_tracking_knows_is_a_reveal(self, text: str) -> None:
        assert [finding.kind for finding in lint(text)] == ["surveillance"]

    def test_a_share_of_something_not_ours_is_no_reveal(self) -> None:
        assert lint("You finished half the marathon in record time!") == []

    def test_trap_words_inside_a_reveals_clause_are_the_reveal(self) -> None:
        text = "You opened the onboarding email but haven't clicked the activation link."
        assert [finding.kind for finding in lint(text)] == ["surveillance"]

    def test_a_guess_in_a_clause_of_its_own_after_a_reveal_is_both(self) -> None:
        text = "You opened my email twice, but I'm guessing you haven't read the deck."
        assert [finding.kind for finding in lint(text)] == ["surveillance", "trap"]

    def test_i_can_imagine_is_no_observer(self) -> None:
        assert lint("I can imagine how busy the quarter end is.") == []

    def test_a_sentence_the_model_alone_flags_spans_its_clause_not_the_lead_in(self) -> None:
        text = "Morning Tom, the fleet quote - any chance you have cracked it open?"
        [finding] = lint(text)
        assert finding.kind == "trap"
        assert finding.excerpt == "any chance you have cracked it open?"
        assert lint(finding.suggestion) == []


class TestRoundThree:
    """The classes of miss from the stranger's second blind split, in phrasings of our own."""

    @pytest.mark.parametrize(
        "text",
        [
            "Kindly revert if you have gone through the quotation we submitted.",  # formal asks
            "Could you advise whether the bid we lodged has been considered by the panel?",
            "Hope you have received the brochure and gone through it.",  # a hopeful presumption
            "Has your procurement lead had sight of the pack I left?",
            "Were the case studies I sent across read by your board?",  # anything I sent
            "Revised quote: read or not yet?",  # what was sent, then the question
            "Is it fair to assume the rollout plan I shared hasn't been looked at yet?",
            "pls confirm u recd the rate card",
            "Did the onboarding walkthrough get a proper read from your CTO?",  # any noun
            "Will you have read the renewal terms by Friday?",
        ],
    )
    def test_wider_trap_shapes_are_traps(self, text: str) -> None:
        assert [finding.kind for finding in lint(text)] == ["trap"]

    @pytest.mark.parametrize(
        "text",
        [
            # A system under any name, and any noun phrase as what was opened.
            "Our booking engine shows your quote form was opened but not submitted.",
            "The webinar platform is showing you dropped off after ten minutes.",
            "I can see nobody's opened the onboarding checklist yet.",
            "Still showing as unread on our side, the renewal terms.",
            "The course platform shows you completed the safety module.",
            "Looks like you started the sign-up form but never finished it.",
            "Saw you just opened this, perfect timing!",  # "this" as what was opened
        ],
    )
    def test_wider_reveals_are_surveillance(self, text: str) -> None:
        assert [finding.kind for finding in lint(text)] == ["surveillance"]

    @pytest.mark.parametrize(
        "text",
        [
            "Hope you got it sorted with the bank.",
            "Did you get my invoice paid?",  # an errand, with "my"
            "Hope you had a chance to relax over the break.",
            "The tracking shows your parcel is at the depot.",
            "My manager says you opened a new office in Leeds.",
        ],
    )
    def test_look_alikes_pass(self, text: str) -> None:
        assert lint(text) == []

    def test_a_traps_span_is_its_whole_question_from_the_start_of_its_clause(self) -> None:
        text = "Dear Ms Kelly, would you be able to tell me whether Legal has read the SOW?"
        [finding] = lint(text)
        assert finding.excerpt == "would you be able to tell me whether Legal has read the SOW?"
        [finding] = lint("I know you're busy, but did you get a chance to read the deck?")
        assert finding.excerpt == "did you get a chance to read the deck?"


class GrammarAlone:
    """Cases the grammar must hold by itself: the model's thresholds are set out of reach,
    so a pass here is never the second opinion's."""

    @pytest.fixture(autouse=True)
    def grammar_alone(self, monkeypatch: pytest.MonkeyPatch) -> None:
        monkeypatch.setitem(model._model(), "thresholds", {"trap": 2.0, "surveillance": 2.0})


class TestRoundFour(GrammarAlone):
    """The classes of miss from the stranger's third blind split and the classes no split
    held, in phrasings of our own: found by the grammar alone, the model kept silent."""

    @pytest.mark.parametrize(
        "text",
        [
            "Did you get to the cost section of the business case?",  # a part of what was sent
            "Have you made it to slide 9 of the deck yet?",
            "lmk if u looked at the price list",  # text-speak asks
            "Were you and Ingrid able to go through the tender pack?",  # "you and" a name
            "Did your counsel get eyes on the redlines?",  # roles as subjects
            "Could you confirm receipt of the order form we sent?",
            "I suspect my note went straight to your junk.",
        ],
    )
    def test_wider_trap_shapes_are_traps(self, text: str) -> None:
        assert [finding.kind for finding in lint(text)] == ["trap"]

    @pytest.mark.parametrize(
        "text",
        [
            "Your buyer opened the rate card twice on Monday.",  # someone else, tracked
            "Having read the brochure already (cheers, PandaDoc!), you'll know the tiers.",
            "A little bird (ok, Salesloft) says you're reading the case study.",
            "Yesware hasn't shown a single open on my emails, so I'll call instead.",
            "The read receipt came back on the quote this morning.",
            "The blue ticks say you've read my message.",
            "Noticed you looked me up after the webinar.",
            "Looks like you passed the proposal on to your finance team.",
            "c u clicked the demo link, want a walkthrough?",
            "Since the proposal was opened twice but you didn't reply, I'll keep this short.",
            "You got 70% through the onboarding video before you stopped.",  # progress
            "No one from your team has opened the renewal terms yet.",  # only tracking knows
            "I can see on Mixmax you went straight to the pricing section.",  # a tool, bare
        ],
    )
    def test_wider_reveals_are_surveillance(self, text: str) -> None:
        assert [finding.kind for finding in lint(text)] == ["surveillance"]

    @pytest.mark.parametrize(
        "text",
        [
            "Whether or not you've looked at the deck, I can summarise it in two minutes.",
            "Even if you haven't read my note, the headline is a March start.",
            "Your assistant forwarded me the agenda for Thursday.",  # the rep received it
            "Since you've been to our Bristol office, you know where to park.",  # a place
            "No downloads needed: it runs in your browser.",
            "I wanted to let you know our office is closed on Friday.",
            "Thanks for sharing the article on LinkedIn.",  # someone else's post
            "Did the courier get the samples to your lab?",  # an errand
        ],
    )
    def test_look_alikes_pass(self, text: str) -> None:
        assert lint(text) == []

    def test_a_tool_thanked_in_an_aside_spans_the_clause_it_explains(self) -> None:
        [finding] = lint(
            "Hi Sam, since you've opened the quote (thanks, Mixmax) here are the terms."
        )
        assert finding.kind == "surveillance"
        assert finding.excerpt.startswith("since you've opened the quote (thanks, Mixmax)")

    def test_a_reveal_beside_let_you_know_is_still_a_reveal(self) -> None:
        text = "I noticed you've been spending time on our pricing page, so let you know it changes soon."
        assert [finding.kind for finding in lint(text)] == ["surveillance"]


class TestRoundSix:
    """The classes round 5's blind split (now train_blind5) showed, each in our own words."""

    @pytest.mark.parametrize(
        "text",
        [
            "Has Dr. Patel had a chance to look over the quote?",  # a title's full stop
            "Your finance colleagues saw the rate card, didn't they?",  # another tag
            "Not sure if you already had time to read through?",  # the verb ends it
            "the brochure i send last week, can open or not?",
            "Do you could read the offer I send you?",  # learner English
            "I take it the panel has gone through our method statement?",
            "Was the demo recording worth the 20 minutes?",  # its effect presumes it
            "Did the audio files download okay on your side?",
        ],
    )
    def test_new_trap_shapes_are_traps(self, text: str) -> None:
        assert [finding.kind for finding in lint(text)] == ["trap"]

    @pytest.mark.parametrize(
        "text",
        [
            "Your colleague in Leeds opened the proposal this morning.",
            "Status: SOW sent Monday, opened by procurement 3 Nov.",
            "Looks like you watched a few minutes of the recording.",
            "Your CFO keeps going back to the pricing tab - I can see it in the stats.",
        ],
    )
    def test_new_reveal_shapes_are_surveillance(self, text: str) -> None:
        assert [finding.kind for finding in lint(text)] == ["surveillance"]

    @pytest.mark.parametrize(
        "text",
        [
            "Should you not have had time to read the proposal, I can summarise it.",
            "Saw you opened a new clinic in Leeds - congratulations!",
            "I noticed you haven't opened the Manchester office yet.",
            "The download link I sent has expired, so here is a new one.",
            "Thanks for forwarding the note from your finance director.",
            "Did you see the industry report that came out on Monday?",
        ],
    )
    def test_their_look_alikes_pass(self, text: str) -> None:
        assert lint(text) == []

    def test_after_a_reveal_a_closed_question_needs_no_artefact_of_its_own(self) -> None:
        text = "Noticed you viewed the deck - did it answer your questions on pricing?"
        assert [finding.kind for finding in lint(text)] == ["surveillance", "trap"]

    def test_a_question_after_so_starts_its_own_span(self) -> None:
        text = "I saw the quote got opened today so just checking you were able to read it."
        trap = next(finding for finding in lint(text) if finding.kind == "trap")
        assert trap.excerpt == "just checking you were able to read it."


class TestRoundSeven:
    """The classes round 6's three blind splits (now train_blind6-8) showed, each in our
    own words."""

    @pytest.mark.parametrize(
        "text",
        [
            # Receipt checks: what was sent described at length, a link that works, a
            # colleague it ended up with.
            "Just making sure my note from Monday with the floor plans for the annex got through.",
            "Did the link to the pricing calculator work on your side?",
            "Did the proposal end up reaching your CFO?",
            "Could you confirm me that you have received the offer?",  # learner English
            # Presumptions: unread on a pile, or read, stated or in the passive.
            "I'm sure the rate card is still sitting near the bottom of your inbox.",
            "I'm sure your team has already read the case study, but here is the short version.",
            "You'll have seen in the proposal that onboarding takes two weeks.",
            "I gather Finance haven't got round to the quote yet?",
            "I trust the draft MSA has been reviewed by now?",
            # How what was sent was taken in, asked or hoped.
            "Was the pricing on page 4 clear?",
            "Were the redlines easy to follow?",
            "Hope the case study made for a good read on the train.",
            "Was the recording on data residency worth the hour?",
        ],
    )
    def test_new_trap_shapes_are_traps(self, text: str) -> None:
        assert [finding.kind for finding in lint(text)] == ["trap"]

    @pytest.mark.parametrize(
        "text",
        [
            "Gong tells me you listened to the call recording I sent.",
            "The report says you didn't get past slide 4 of the deck.",  # progress by page
            "Our LMS shows you finished the first module.",
            "Notification just came in that the brochure's been opened.",
            "Your click rate on our newsletter is impressive.",  # engagement as a rate
            "Thanks for reading my post on warehouse safety!",  # the rep's own writing
            "I saw you open six of my emails in a row.",  # a count of ours
            "Love that you've been poking around our demo site!",
            "Since you haven't clicked the link in my email, here is the PDF.",  # not done
        ],
    )
    def test_new_reveal_shapes_are_surveillance(self, text: str) -> None:
        assert [finding.kind for finding in lint(text)] == ["surveillance"]

    @pytest.mark.parametrize(
        "text",
        [
            "After you've read the proposal, let's find a time to talk.",  # yet to come
            "Whenever you and your partner have gone through it, let's talk.",
            "I noticed you hadn't come back to me about the start date.",  # no reply
            "I got an automatic notice that the link I sent has expired, so here is a fresh one.",
            "Our records show you're on the standard plan until March.",  # an account fact
            "Thanks for confirming the contract was received by your legal team.",  # told
            "You said you hadn't had a chance to read it yet, so here are the highlights.",
            "I'm not writing to ask whether you read my email.",  # a promise not to ask
            "Did you review the applicants for the analyst role?",  # people, not a send
            "Was the proposal useful for your planning?",  # its value alone (docs/coach.md)
        ],
    )
    def test_their_look_alikes_pass(self, text: str) -> None:
        assert lint(text) == []

    def test_a_question_with_you_and_a_colleague_is_a_trap_not_a_reveal(self) -> None:
        text = "Have you and your team gone through the quote I sent?"
        assert [finding.kind for finding in lint(text)] == ["trap"]

    @pytest.mark.parametrize(
        "text",
        [
            "Saw the quote was opened twice - I assume you've read the payment terms?",
            "Our tracker shows you opened the deck, but has Priya had a look yet?",
        ],
    )
    def test_after_a_reveal_a_presumed_or_third_persons_reading_is_a_trap(self, text: str) -> None:
        assert [finding.kind for finding in lint(text)] == ["surveillance", "trap"]


class TestRoundEight:
    """The classes round 7's three blind splits (now train_blind9-11) showed, each in our
    own words."""

    @pytest.mark.parametrize(
        "text",
        [
            # Samples sent, taken in by trying them.
            "Has your kitchen had a chance to taste the olive oil samples we sent?",
            "Did you get to test the coating samples with your QA lead?",
            "you try the gin I dropped off or not yet?",
            # Learner English, the present passive.
            "Is the quotation read by your director already?",
            # How what was sent was taken in: it made sense.
            "Did the renewal summary make sense?",
            # Spoken, with a filler before the question.
            "I just wondered, erm, whether it had landed with you?",
            # What chemical suppliers send.
            "Could you confirm receipt of the new MSDS for the solvent?",
        ],
    )
    def test_new_trap_shapes_are_traps(self, text: str) -> None:
        assert [finding.kind for finding in lint(text)] == ["trap"]

    @pytest.mark.parametrize(
        "text",
        [
            "Did you get a chance to try the new bakery by the station?",  # nothing sent
            "Is the office opened by the landlord on Saturdays?",  # no artefact of ours
            "Did you get a chance to unwind over the long weekend?",  # a break, no reading
            # A promise not to ask; the media's; a regulator's.
            "I sent the quote on Monday. Rather than ask whether you've read it, here is the gist.",
            "Did you watch that ransomware story on the news last night?",
            "Have you read the new data protection rules? They change how you store CVs.",
            # A thank-you for what was done together.
            "Thanks for taking the time to go through the audit findings with us yesterday.",
            "Thanks for having a look at the floor plans with me on Monday!",
        ],
    )
    def test_their_look_alikes_pass(self, text: str) -> None:
        assert lint(text) == []

    @pytest.mark.parametrize(
        "text",
        [
            # Texted, the question mark dropped.
            "looks like u opened the rate card. did u see the volume discounts",
            # No auxiliary.
            "The tracker says you opened the quote. You get a chance to read the warranty terms?",
            # A presumed reading, stated.
            "Our portal shows the tender pack was opened twice, so I assume your board has read it.",
            # How it was taken in.
            "My tool says the spec sheet was downloaded. Was it detailed enough?",
        ],
    )
    def test_after_a_reveal_these_readings_are_traps_too(self, text: str) -> None:
        assert [finding.kind for finding in lint(text)] == ["surveillance", "trap"]

    @pytest.mark.parametrize(
        "text",
        [
            "Thanks for downloading our 2025 benchmarking study!",  # ours, whatever its noun
            "Thanks for spending so long with our loan calculator last night.",
            "Thank you very much for watching our product video to the end.",
            "Nakita ko po na you opened the brochure, any questions po?",  # Taglish
        ],
    )
    def test_new_reveal_shapes_are_reveals(self, text: str) -> None:
        assert [finding.kind for finding in lint(text)] == ["surveillance"]

    def test_after_a_reveal_a_hunch_about_questions_is_no_trap(self) -> None:
        text = "You spent a while on our pricing page, so I reckon you've got questions."
        assert [finding.kind for finding in lint(text)] == ["surveillance"]


class TestRoundNine:
    """The classes round 8's three blind splits (now train_blind12-14) showed, each in our
    own words."""

    @pytest.mark.parametrize(
        "text",
        [
            # Received, asked: any noun phrase, and of everyone.
            "Just checking whether you received the certificates and the spare cartridges?",
            "Just confirming everyone received the joining pack?",
            # Arrival asked indirectly, with the ways it arrives.
            "Might I ask whether the tender pack has arrived at your office?",
            "I wanted to make sure they got to you safely, as the files were large.",
            "Has the quote made its way to your finance lead?",
            "Did the pricing I sent actually get in front of your MD?",
            "Are my messages even reaching you?",
            "I'm worried the brochure may not have reached you.",
            # Lost, asked of "it" or of the last one.
            "Did that one slip past you?",
            "Not sure if it got buried?",
            # What was sent, named by what it shows or described at length.
            "Did the leaflets of the new moisturiser arrive in one piece?",
            "Has the walkthrough of our billing module reached your team?",
            "Did my note about the warehouse layout for the Dundee site come through okay?",
            # What was sent named first; a texted name with no comma.
            "The estimate I sent, you got it okay?",
            "priya u get a chance to look at the rate card??",
            # Presumed readings with nothing named, or "by now".
            "I'm sure you've had a read by now.",
            "Guessing you've gone through the onboarding checklist by now?",
            "I'm guessing you haven't had a chance to look yet?",
            "I know you haven't looked at the contract yet, but the deadline is Friday.",
            # How it was taken in, hoped or wondered; opened on their end; as expected.
            "I hope the breakdown was easy to follow.",
            "Just wondering if the summary made sense?",
            "Was the demo video easy to open on your side?",
            "Was the fee schedule what you expected?",
            # Trouble opening it; using what was sent.
            "Did your IT people have any trouble opening the attachment?",
            "Did you get a chance to run your own figures through the calculator?",
            # Spoken and formal asks.
            "I'm ringing on the off chance you've had time to read the proposal.",
            "I wondered whether you and your procurement colleagues had been able to look at the quote.",
            "Kindly revert whether the same has been reviewed by your committee.",
            "Do you have read the brochure I sent?",
            "Did Chef Zoë get a chance to flip through the menu pack?",
            # A revision is what the rep sent back, whatever its noun.
            "I'm guessing you haven't looked at the revised layout yet?",
        ],
    )
    def test_these_are_traps(self, text: str) -> None:
        assert [finding.kind for finding in lint(text)] == ["trap"]

    @pytest.mark.parametrize(
        "text",
        [
            "WeTransfer tells me the drawings were downloaded last night.",
            "Dropbox says the brochure was viewed twice.",
            "The link to the pricing calculator was clicked 6 times from your network.",
            "Given you've clicked the pricing link twice, I think a call would help.",
            # A greeting and a name before a bare observer; an act and its evidence.
            "hi sam saw you opened the quote three times yesterday",
            "I see you watched the explainer twice.",
            "Noted you have downloaded the spec sheet.",
            "Our tracker shows you spent quite long on the rate card.",
            # A login, not done or counted; played to the end.
            "The portal logs show you haven't logged in yet.",
            "You've logged in to the customer portal three times this week.",
            "Our video platform shows it played through to the end.",
            # The observer, "that", and what was sent described at length.
            "I noticed that our proposal for the refurbishment of the east wing, which I sent on Monday, was opened several times.",
            "We noticed that the quote for your annual conference in Leeds was opened by you and your ops team.",
            "I see from the folder activity that your finance team opened the pricing workbook.",
            "Based on your activity on our pricing page, you might like the annual plan.",
            "Just saw the quote email popped open on your end.",
            "I saw the enquiry form on our site was started from your end but not submitted.",
            "I was pleased to note that the proposal was viewed by your board.",
            "Interesting that you skipped the pricing section of the deck.",
            "Gong says you listened back to the call recording.",
            "looks like you played around with the payback calculator",
            "I can tell you haven't opened the contract yet.",
            "The envelope still shows unviewed.",
            "got your read receipt, 2 blue ticks 😄",
            # More of them, counted or named.
            "Saw a few of your analysts spent a lot of time in our docs.",
            "Our deal room shows Tom from your legal team has been in the contracts folder all morning.",
            "I saw you and three other people from Acme checked out our pricing page.",
            "Your colleague Dana forwarded my email to the board.",
        ],
    )
    def test_these_are_reveals(self, text: str) -> None:
        assert [finding.kind for finding in lint(text)] == ["surveillance"]

    @pytest.mark.parametrize(
        "text",
        [
            # Someone else's: a possessive, a talk at an event, their own minutes.
            "Did you see the regulator's new guidance on vaping?",
            "Did you watch the keynote on AI pricing at the summit?",
            "Did you read the board minutes before the meeting?",
            # Received from anyone but the rep, or news of their own.
            "Did your team receive the funding from the council?",
            "Did you receive the parcel from your supplier?",
            "Did you get the updated guidance from HMRC?",
            # A request, not a question about the past; a promise to call again.
            "Could you review the contract this week?",
            "I'll check back in the spring.",
            # Its value alone stays honest (docs/coach.md, judgement calls).
            "Did the call on Tuesday answer your questions?",
            "Was the proposal useful for your planning?",
            "I hope the proposal is useful.",
            "Any thoughts on the deck?",
            # Markets, notices of something else, their words, places, the rep's own act.
            "Looks like interest rates bounced back this month.",
            "I got a notification that your payment cleared - thanks!",
            "I got an alert that your printer is due for a service.",
            "As you said on the phone, your team read the deck last week.",
            "I saw on LinkedIn that you've opened an office in Bristol.",
            "Dr. Lee, I've been through the notes you shared and they look great.",
            "I can tell you more about it on a call.",
            "Interesting that you mention the budget.",
        ],
    )
    def test_their_look_alikes_pass(self, text: str) -> None:
        assert lint(text) == []

    def test_a_receipt_check_as_a_reveals_reason_is_the_reveal_only(self) -> None:
        # As train_blind1's and dev's hands marked it (train_blind12's one text disagrees).
        text = "Our portal shows the quote hasn't been opened, so I wanted to make sure it reached you."
        assert [finding.kind for finding in lint(text)] == ["surveillance"]


class TestRoundTen:
    @pytest.mark.parametrize(
        "text",
        [
            # Arrival of what was sent, by more verbs, described at more length.
            "Did our box of trial cartridges arrive at your lab?",
            "Did the loan units arrive at the depot in good shape?",
            "Did the signed order form get back to you in the end?",
            "Did the meeting invite for the factory tour show up on your end?",
            "Did the printed copies of our tender reach the procurement office by Friday?",
            "did the paint samples land with you ok?",
            # Learner English: "revise" for review, "receive well", "was it possible".
            "Did you revise the quotation I send last week?",
            "Did you receive well the catalogue I sent?",
            "Was it possible for you to go through the pricing I attached?",
            # Presumed readings, stated; what was sent presumed lost or passed round.
            "You'll have seen by now that the delivery date in the contract has moved to May.",
            "As you no doubt spotted in the proposal, the warranty is now five years.",
            "I'm sure my quote is hiding at the bottom of your inbox somewhere.",
            "I take it the business case has made its way round your finance team?",
            # More shapes of the question.
            "Has your CFO finished reading the business case?",
            "Did anyone on the steering committee open the project plan?",
            "Have you by any chance read the second version of the contract?",
            # A not-opened hedged or tagged is presumed: still a trap.
            "You probably haven't opened the renewal email yet.",
            "You haven't opened the renewal email yet, have you?",
        ],
    )
    def test_these_are_traps(self, text: str) -> None:
        assert [finding.kind for finding in lint(text)] == ["trap"]

    @pytest.mark.parametrize(
        "text",
        [
            # Not opened, stated as a fact: only tracking knows it.
            "You haven't opened the renewal email, so here's the gist.",
            "you havent clicked the signing link yet btw",
            "I know you haven't opened any of my follow-ups.",
            # A question after it asks about something else.
            "You clicked the booking link but didn't pick a slot - did none of the days suit?",
            # Systems and notifications, sessions left, documents re-entered.
            "the portal notify me you opened the price list",
            "Got the alert you viewed the floor plan this morning.",
            "The webinar stats show you dropped off after twenty minutes.",
            "I can see you're back in the proposal again today.",
            "It looks like you watched only the first half of the demo video.",
            "Thanks for reviewing my quote last night at 11pm.",
            "Your visit to our partner's page didn't go unnoticed!",
            "Your company shows up in our visitor logs every day.",
            "Our system indicates the brochure was consulted twice.",
        ],
    )
    def test_these_are_reveals(self, text: str) -> None:
        assert [finding.kind for finding in lint(text)] == ["surveillance"]

    @pytest.mark.parametrize(
        "text",
        [
            # Someone else's: handed over by another supplier, a news outlet's.
            "Did you read the brochure your current vendor left with you?",
            "Did you see the CNN report on shipping costs?",
            # A request waived; an audience's size; what the rep saw in person.
            "No need to reply to confirm you got it; I'll ring on Monday.",
            "The webinar recording has had 400 views this month.",
            "Thanks for watching the demo at our booth, it was great to meet you in person.",
            # Anyone's deliveries.
            "Did the new laptops arrive for your starters?",
            "Did the flowers arrive for the launch?",
        ],
    )
    def test_their_look_alikes_pass(self, text: str) -> None:
        assert lint(text) == []

    def test_when_it_was_sent_is_no_evidence_of_a_reading(self) -> None:
        # "yesterday" is when the rep sent it: a learner's question, not a reveal.
        text = "u have look at the price list i send yesterday?"
        assert [finding.kind for finding in lint(text)] == ["trap"]

    def test_an_unopened_email_told_leaves_the_question_after_it_alone(self) -> None:
        text = "Hi, you've not opened the invoice email from Monday, all good?"
        [finding] = lint(text)
        assert finding.kind == "surveillance"
        assert "all good" not in finding.excerpt


class TestRoundEleven(GrammarAlone):
    """The classes round 11 read in train_blind18 ... train_blind20, in phrasings of our
    own, held by the grammar alone (the model kept silent)."""

    @pytest.mark.parametrize(
        "text",
        [
            "Have you had time to go through our MOU?",  # what was sent, named anew
            "Did my fax get to you?",
            "I'm guessin' you ain't had time to look at the quote yet?",  # a dropped g
            "just makin sure u saw the renewal terms",
            "Did you read teh proposal?",  # a slip too short to repair by distance
            "did u peep the deck yet?",
            "Has your team been able to study the proposal?",
            "did you have opportunity to look the catalogue I send?",  # learner English
            "Was the ROI calculator useful?",  # its use, asked closed
            "Did your team find the spec sheets helpful?",
            "Hope you found the checklist handy!",
            "Did you get as far as the pricing section of the proposal?",
            "did my voice note send??",
            "Just double-checking the onboarding guide reached you.",
        ],
    )
    def test_these_are_traps(self, text: str) -> None:
        assert "trap" in [finding.kind for finding in lint(text)]

    @pytest.mark.parametrize(
        "text",
        [
            "My last two emails don't seem to have been opened, so I'll keep this short.",
            "Looks like my last email didn't get opened.",
            "Apollo says your team is researching payroll tools.",  # intent data
            "Your company's IP has been on our pricing page all week.",
            "The heatmap shows you zoomed into the floor plan.",
            "saw u left the starter kit in ur basket",
            "saw you clocked my story",
            "cheers for spending ages on the proposal last night",
            "The deck link lit up on my end around lunch.",
            "The read receipt on the quote came back this morning.",
            "The proposal's been forwarded to your CFO, I see.",
            "I couldn't help noticing you've been on our careers page.",
            "I've been told by our ops team that you opened the quote.",
            "Wonderful to see your school downloaded our curriculum sample!",
        ],
    )
    def test_these_are_reveals(self, text: str) -> None:
        assert "surveillance" in [finding.kind for finding in lint(text)]

    @pytest.mark.parametrize(
        "text",
        [
            # Its use for a purpose, an event's use, the future, another way offered.
            "Was the proposal useful for your budget planning?",
            "Was the meeting with the Dean useful?",
            "I hope you find the guide useful.",
            "Was the demo recording useful, or would a live session be better?",
            # What came from their side; the rep's own outbox; brochures a printer printed.
            "Did the email from your IT team about our domain go through?",
            "Did the deck I promised ever go out? Checking my outbox now.",
            "I see the brochures were printed and look great.",
            # A look taken together; a public award; hearsay from their side.
            "Thanks for taking a look at the site list with me on Friday.",
            "I saw your practice on the shortlist for the design awards.",
            "Our website says we deliver in three days.",
        ],
    )
    def test_their_look_alikes_pass(self, text: str) -> None:
        assert lint(text) == []


class TestRoundTwelve(GrammarAlone):
    """The classes round 12 read in train_blind21 ... train_blind23, in phrasings of our
    own, held by the grammar alone (the model kept silent)."""

    @pytest.mark.parametrize(
        "text",
        [
            # Slips that are words themselves, read where the sense is plain.
            "just wandering weather you had a chance to look at the quote",
            "did u git a chance to look at the proposal?",
            "Did you manage to hive a look at the deck?",
            "Have you had time to read trough the offer?",
            "just wanted to chekc you recieved the quote",
            # A learner's "become" (German: to get), "proposition", "looked the".
            "I hope you have become my email with the offer.",
            "I suppose you had the time to look at our proposition?",
            "May I confirm if your team have looked the integration document?",
            # Asked by more shapes.
            "I want to be sure that you received my email.",
            "Any chance your procurement lead has gone through the rate card yet?",
            "I would like to ask you if your colleague already studied our documentation.",
            "Any news on whether your team reviewed the statement of work?",
            "Hopefully you've had a chance to digest the figures I sent over.",
            "Kindly advise whether the quotation dated 21/10 has been reviewed.",
            "Did that make it to the top of the pile yet?",
            "I take it the rate sheet I sent has made its way to your finance team?",
            "you had a butchers at that quote yet?",
        ],
    )
    def test_these_are_traps(self, text: str) -> None:
        assert "trap" in [finding.kind for finding in lint(text)]

    @pytest.mark.parametrize(
        "text",
        [
            "Just saw the deck ping as opened in Houston.",
            "I received the read confirmation of my email, thank you.",
            "Seeing a lot of activity from your Leeds office on our pricing page.",
            "Your downloads of the spec sheets tell me you're mid-retrofit.",
            "Your team's been living on our demo page this week.",
            "Since you grabbed the whitepaper, here is the follow-up.",
            "You've been back to that proposal four times since Monday.",
            "I noticed from the event platform that you left the session just before the Q&A.",
            "my email thing says you opened that quote like 4 times",
            "our system show that the quotation was open by your side yesterday",
            "Saw you were building a hatchback on our site last night.",
            "i just got the notif that u opened the package",
            "Hi Sophie, I noticed you scanned the QR code on the brochure.",
            "According to my tracking pixel you've opened this thread 11 times.",
            "I noticed you played my voice note but only the start.",
            "You skipped the pricing section of the deck.",
            "but you only watched like the first two minutes of the demo",
        ],
    )
    def test_these_are_reveals(self, text: str) -> None:
        assert "surveillance" in [finding.kind for finding in lint(text)]

    @pytest.mark.parametrize(
        "text",
        [
            "Did you get the invoice for October paid? Accounts asked me to chase.",
            "Did the insurer come back to you about the requirement?",
            "In case the proposal got buried, here's the short version.",
            "I noticed you opened up applications for the September intake.",
            "You only watched two minutes of the final, shame.",
            "We skipped the intro section on the call.",
            "The cattle trough by the gate needs fixing.",
        ],
    )
    def test_their_look_alikes_pass(self, text: str) -> None:
        assert lint(text) == []


class TestRoundThirteen(GrammarAlone):
    """The classes round 13 read in train_blind24 ... train_blind26, in phrasings of our
    own, held by the grammar alone (the model kept silent)."""

    @pytest.mark.parametrize(
        "text",
        [
            "I'm guessing the redlines are still sitting with your legal folks?",
            "Let me guess, the proposal is still in the 'to read' folder?",
            "We respectfully request confirmation that our bid documents were duly received.",
            "I would like to inquire whether the committee has studied our proposal.",
            "May I follow up if your office has already reviewed the deed I emailed?",
            "I write to enquire whether the enclosed analysis has been duly considered.",
            "May I respectfully ask whether my letter has come to your attention?",
            "Did you have the possibility to evaluate our price offer?",
            "Have you and Rob had time to mull over the plans I sent?",
            "did you look at the 2 condos I sent you?",
            "just seein if you had a chance to look over them payment options I texted you, aight?",
            "Did the renewal perhaps not reach you?",
            "Kindly confirm receipt.",
            "Are you still working through the illustration?",
            "Did the pamphlet make sense when you read it?",
            "Did the pitch deck make sense when you read it?",  # round 8 called it honest
            "Did you manage to look at proposal?",
            "Madam, you don check the quotation I send yesterday?",
            # Switched into another language mid-message.
            "Nabasa mo na po ba yung proposal?",
            "sudah sempat baca proposal yang saya kirim?",
            "proposal dekha kya?",
            "¿Pudo ver el estimado que le mandé?",
        ],
    )
    def test_these_are_traps(self, text: str) -> None:
        assert "trap" in [finding.kind for finding in lint(text)]

    @pytest.mark.parametrize(
        "text",
        [
            "I saw that you watched whole recording.",
            "Bombora has your domain surging on cloud security.",
            "Clearbit matched a visit from your company to our landing page.",
            "Your email client says you read my previous message on your iPhone.",
            "Your trial workspace has been idle for 9 days according to our usage dashboard.",
            "Kinda noticed you hovered on the FAQ for a good while.",
            "The recording link shows 3 plays from your domain.",
            "Thanks for the profile view!",
            "You looked at the trust center page right after our call.",
            "I can see our trust portal logged access from your procurement team.",
            "Looks like the pricing calculator got a workout from your IP yesterday.",
            "Per Salesforce, your account had 8 site sessions this week.",
            "Your CISO opened our threat report this morning.",
            "Our marketing team tells me you attended the first twenty minutes of the webinar.",
            "Someone from your IP address filled half of our contact form.",
            "According to PandaDoc, the agreement was last opened on Sunday.",
            "The proposal was printed, according to the viewer.",
            "The heat map on the proposal shows most of the time was spent on the risk register.",
            "Oye Carlos, vi que abriste el link del demo ayer",
            "Saya lihat Bapak sudah klik link simulasi kemarin sore.",
            "Notre outil m'indique que vous avez consulté la soumission hier soir.",
        ],
    )
    def test_these_are_reveals(self, text: str) -> None:
        assert "surveillance" in [finding.kind for finding in lint(text)]

    @pytest.mark.parametrize(
        "text",
        [
            "Please confirm receipt of payment on your side.",
            "Were you able to get the site visit scheduled?",  # an errand
            "I'm not assuming anyone has read it yet, so here's the short version.",
            "I downloaded the tender documents from the council portal this morning.",
            "According to our records, you signed the contract in May.",
            "Based on our analytics, teams like yours save 20 percent.",
            "Is your dog still with your neighbour?",
            "Sudah sampai di kantor. Terima kasih!",
            "Vi que estás en Madrid esta semana, ¿tomamos un café?",
        ],
    )
    def test_their_look_alikes_pass(self, text: str) -> None:
        assert lint(text) == []


class TestRoundFourteen(GrammarAlone):
    """The classes round 14 read in train_blind27 ... train_blind29, in phrasings of our own."""

    @pytest.mark.parametrize(
        "text",
        [
            "I think you didn't have yet time to see the offer?",
            "Were you able to take a look at the CDA?",
            "Did you get a chance to discuss the leaflet I sent over?",
            "Sent you the pricing yesterday - did it make sense?",
            "Please let me know if you were able to consult the offer.",
            "Any thoughts after reading the materials we dropped off?",
            "Is the quality agreement still waiting for your review?",
            "Just to confirm, the samples were received in good condition?",
            "Has Fiona had a wee look at the package yet?",
            "Did the booking form land okay?",
            "Did my email yesterday about the dinner go through ok?",
            "Hoping the board had the chance to review our tender submission.",
            "Checking in on whether the clause we sent has been looked at by your counsel.",
            "Have ye had a look at the menus at all?",
        ],
    )
    def test_these_are_traps(self, text: str) -> None:
        assert "trap" in [finding.kind for finding in lint(text)]

    @pytest.mark.parametrize(
        "text",
        [
            "Thank you for visiting our webpage about the service several times.",
            "I got notification that you visited our website from your hospital network.",
            "The proposal has been opened by four different people on your side since Tuesday.",
            "Thanks for downloading the stability data!",
            "You haven't opened anything I've sent since August.",
            "The tracking link shows you had the agreement open for about 25 minutes.",
            "Cheers for grabbing the sample request form off our site.",
            "my email tool's showing the proposal opened 11 times",
            "The webinar platform tells me you joined for the Q&A only.",
            "Seems you printed the menus, hope that means good news!",
            "Thanks for checking out the coach fleet gallery earlier.",
            "I've a notification here that the quote was opened at 2am.",
            "You made it to slide 9 of the partnership deck.",
            "It is seen from our end that the fee structure document has been viewed twice.",
            "Seeing a lot of visits from your IP to our packages page.",
            "Per our donor database, the thank-you card was viewed by you on 4 Dec.",
            "Our records show the email was delivered and opened.",
        ],
    )
    def test_these_are_reveals(self, text: str) -> None:
        assert "surveillance" in [finding.kind for finding in lint(text)]

    @pytest.mark.parametrize(
        "text",
        [
            "Did you manage to get the Form 990 filed before the deadline?",
            "Did you catch the article in Hospitality Magazine about tipping?",
            "Thank you again for stopping by our booth at the career fair.",
        ],
    )
    def test_their_look_alikes_pass(self, text: str) -> None:
        assert lint(text) == []
