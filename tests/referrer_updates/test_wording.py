"""The wording rules, without a database: placeholders a manager may use,
and the typical wait in words."""

from __future__ import annotations

import pytest

from operations.referrer_updates import wording
from operations.referrer_updates.wording import Event
from referrals.for_referrers import initial_of, referral_reference


def test_the_standard_wording_of_every_event_uses_only_its_own_placeholders():
    for event in wording.AUTOMATIC_EVENTS:
        assert wording.wording_errors(wording.DEFAULT_WORDING[event], allowed=wording.placeholders_for(event)) == []
    assert wording.wording_errors(wording.DEFAULT_SUBJECT, allowed=wording.SUBJECT_PLACEHOLDERS) == []


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("Hello {name}", "“{name}” is not a placeholder of this message"),
        ("Waiting: {typical_wait}", "“{typical_wait}” is not a placeholder of this message"),
        ("{reference.__class__}", "is not a placeholder"),
        ("{reference!r}", "is not a placeholder"),
        ("{reference:>40}", "is not a placeholder"),
        ("Open { brace", "A single { or }"),
        ("Close } brace", "A single { or }"),
    ],
)
def test_a_placeholder_the_message_does_not_have_or_a_stray_brace_is_refused(text, message):
    errors = wording.wording_errors(text, allowed=wording.placeholders_for(Event.CONTACTED))
    assert errors
    assert message in errors[0]


def test_a_doubled_brace_is_the_sign_itself():
    text = "Our reference {reference} {{not a placeholder}}"
    assert wording.wording_errors(text, allowed=wording.COMMON_PLACEHOLDERS) == []
    assert wording.fill(text, {"reference": "#7"}) == "Our reference #7 {not a placeholder}"


def test_the_typical_wait_needs_enough_recent_matches():
    assert wording.typical_wait_days([10, 12, 30, 40]) is None
    assert wording.typical_wait_days([10, 12, 21, 30, 40]) == 21
    assert wording.typical_wait_sentence(None) == ""
    assert wording.typical_wait_sentence(21) == "The wait for a volunteer is usually about 3 weeks."


@pytest.mark.parametrize(
    ("days", "words"),
    [(0, "less than a week"), (6, "less than a week"), (7, "about 1 week"), (24, "about 3 weeks"),
     (59, "about 8 weeks"), (60, "about 2 months"), (130, "about 4 months")],
)  # fmt: skip
def test_a_wait_reads_as_an_order_of_magnitude(days, words):
    assert wording.wait_in_words(days) == words


def test_the_parent_is_named_by_her_initial_and_the_referral_by_its_number():
    assert initial_of("morven") == "M."
    assert initial_of("  ") == ""
    assert referral_reference(1234) == "#1234"
