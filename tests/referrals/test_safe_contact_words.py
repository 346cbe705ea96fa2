"""The safe-contact answers read in words wherever a person sees them
(issue 23): one function, no codes."""

from __future__ import annotations

from referrals.contact import NOTHING_SAFE, ContactPermissions, safe_contact_summary


def permissions(**answers) -> ContactPermissions:
    given = {"sms": False, "email": False, "phone": False, "voicemail": False, "may_name_service": False}
    return ContactPermissions(**{**given, "best_times": "", **answers}, recorded=True)


def test_each_channel_reads_yes_or_no_with_the_best_times():
    words = safe_contact_summary(permissions(sms=True, phone=True, best_times="only after 10am"))
    assert words == (
        "Text message: yes; email: no; phone call: yes; voicemail: no. "
        "Best times: only after 10am. Messages must not say who they are from."
    )
    for code in ("sms", "voicemail_", "safe_", "True", "False"):
        assert code not in words


def test_the_organisation_is_named_as_the_parent_would_hear_it():
    words = safe_contact_summary(permissions(email=True, may_name_service=True), sender="Tweed Valley")
    assert (
        words
        == "Text message: no; email: yes; phone call: no; voicemail: no. Messages may say they are from Tweed Valley."
    )


def test_nothing_recorded_and_none_safe_say_so():
    assert (
        safe_contact_summary(NOTHING_SAFE)
        == "Nothing is recorded as safe yet: ask your coordinator before any contact."
    )
    none_safe = ContactPermissions(False, False, False, False, False, "", recorded=True, through_referrer=True)
    assert safe_contact_summary(none_safe) == "None is safe: contact through the referrer."
