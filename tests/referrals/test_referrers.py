"""The referrer directory's rules: adding and changing teams and people,
the likely-duplicate rule, and merging a duplicate into the record kept
(refusals change nothing)."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from operations.core.audit import AuditEvent
from referrals import referrers, signals
from referrals.models import Referral, Referrer, ReferrerKind, ReferringOrganisation
from referrals.referrers import Entry, likely_duplicates
from tests.factories import ReferralFactory, ReferrerFactory, ReferringOrganisationFactory

# --- The duplicate rule (no database) ------------------------------------------


def test_the_same_email_is_a_likely_duplicate_whatever_its_case():
    found = likely_duplicates(
        [
            Entry(3, "F. Gilmour", "Fiona.Gilmour@example.org", 1),
            Entry(1, "Fiona Gilmour", "fiona.gilmour@example.org", 2),
        ]
    )
    assert [(pair.keep, pair.duplicate, pair.why) for pair in found] == [(1, 3, "same work email")]


def test_the_same_name_in_one_team_is_a_likely_duplicate_case_and_spaces_ignored():
    found = likely_duplicates([Entry(1, "Fiona Gilmour", "", 7), Entry(2, "  fiona   GILMOUR ", "", 7)])
    assert [(pair.keep, pair.duplicate, pair.why) for pair in found] == [(1, 2, "same name in the same team")]


def test_the_same_name_in_two_teams_is_two_people():
    assert likely_duplicates([Entry(1, "Jamie Scott", "", 7), Entry(2, "Jamie Scott", "", 8)]) == []


def test_a_pair_found_both_ways_is_listed_once_saying_both():
    (pair,) = likely_duplicates([Entry(1, "Jo Bell", "jo@example.org", 7), Entry(2, "jo bell", "JO@example.org", 7)])
    assert pair.why == "same work email and same name in the same team"


def test_three_copies_are_each_paired_with_the_oldest():
    found = likely_duplicates(
        [Entry(5, "Ann Hay", "", None), Entry(2, "ann hay", "", None), Entry(9, "ANN HAY", "", None)]
    )
    assert [(pair.keep, pair.duplicate) for pair in found] == [(2, 5), (2, 9)]


def test_teams_whose_names_differ_only_in_spacing_are_likely_duplicates():
    found = likely_duplicates([Entry(1, "Tweed GP practice"), Entry(2, "Tweed  GP  Practice")], people=False)
    assert [(pair.keep, pair.duplicate, pair.why) for pair in found] == [(1, 2, "same name")]


# --- Adding and changing -------------------------------------------------------


@pytest.mark.django_db
def test_a_referrer_is_added_with_tidy_details_and_audited(coordinator, organisation):
    team = ReferringOrganisationFactory(organisation=organisation)
    referrer = referrers.referrer_save(
        actor=coordinator,
        organisation=organisation,
        data={
            "name": "  Morag   Henderson ",
            "role": "Health visitor",
            "email": " morag@example.org ",
            "phone": "+44 1632 960111",
            "referring_organisation": team,
        },
    )
    referrer.refresh_from_db()
    assert (referrer.name, referrer.email, referrer.phone) == ("Morag Henderson", "morag@example.org", "01632960111")
    assert referrer.referring_organisation == team
    assert AuditEvent.objects.filter(object_type="referrals.Referrer", object_id=str(referrer.pk), action="create")
    # The audit names the record, never the person.
    assert "Morag" not in AuditEvent.objects.get(object_type="referrals.Referrer").summary


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"name": "   "}, "name"),
        ({"name": "A Referrer", "phone": "+33 1 23 45 67 89"}, "phone"),
        ({"name": "A Referrer", "email": "not an email"}, "email"),
        ({"name": "x" * 151}, "name"),
    ],
)
def test_a_bad_referrer_is_refused_and_nothing_is_written(coordinator, organisation, data, field):
    with pytest.raises(ValidationError) as refused:
        referrers.referrer_save(actor=coordinator, organisation=organisation, data=data)
    assert field in refused.value.message_dict
    assert not Referrer.objects.exists()
    assert not AuditEvent.objects.exists()


@pytest.mark.django_db
def test_a_team_needs_a_name(coordinator, organisation):
    with pytest.raises(ValidationError) as refused:
        referrers.referring_organisation_save(actor=coordinator, organisation=organisation, data={"kind": "other"})
    assert "name" in refused.value.message_dict
    assert not ReferringOrganisation.objects.exists()


@pytest.mark.django_db
def test_a_team_of_another_organisation_is_refused(coordinator, organisation, other_organisation):
    theirs = ReferringOrganisationFactory(organisation=other_organisation)
    with pytest.raises(ValidationError) as refused:
        referrers.referrer_save(
            actor=coordinator, organisation=organisation, data={"name": "A Referrer", "referring_organisation": theirs}
        )
    assert "referring_organisation" in refused.value.message_dict
    assert not Referrer.objects.exists()


@pytest.mark.django_db
def test_a_referrer_of_another_organisation_cannot_be_changed(coordinator, organisation, other_organisation):
    theirs = ReferrerFactory(organisation=other_organisation, name="Their Referrer")
    with pytest.raises(ValidationError):
        referrers.referrer_save(actor=coordinator, organisation=organisation, data={"name": "Mine"}, referrer=theirs)
    theirs.refresh_from_db()
    assert theirs.name == "Their Referrer"


@pytest.mark.django_db
def test_two_teams_never_share_a_name_case_ignored(coordinator, organisation, other_organisation):
    referrers.referring_organisation_save(
        actor=coordinator, organisation=organisation, data={"name": "Tweed GP practice", "kind": "gp_practice"}
    )
    with pytest.raises(ValidationError) as refused:
        referrers.referring_organisation_save(
            actor=coordinator, organisation=organisation, data={"name": "tweed  gp PRACTICE", "kind": "gp_practice"}
        )
    assert refused.value.message_dict["name"] == ["This team is already in the directory."]
    assert ReferringOrganisation.objects.count() == 1
    # Another organisation keeps its own directory.
    referrers.referring_organisation_save(
        actor=coordinator, organisation=other_organisation, data={"name": "Tweed GP practice", "kind": "gp_practice"}
    )


@pytest.mark.django_db
def test_deactivating_keeps_the_referrer_and_their_referrals(coordinator, organisation, service):
    referrer = ReferrerFactory(organisation=organisation)
    ReferralFactory(organisation=organisation, service=service, referrer=referrer)
    referrers.referrer_save(actor=coordinator, organisation=organisation, data={"is_active": False}, referrer=referrer)
    referrer.refresh_from_db()
    assert referrer.is_active is False
    assert Referral.objects.get().referrer == referrer


@pytest.mark.django_db
def test_an_inline_referrer_with_a_new_team_name_uses_the_team_already_there(coordinator, organisation):
    team = ReferringOrganisationFactory(organisation=organisation, name="Tweed GP practice")
    referrer = referrers.referrer_add_inline(
        actor=coordinator,
        organisation=organisation,
        data={"name": "Dr Alan Rutherford"},
        new_team={"name": "tweed gp practice", "kind": "gp_practice"},
    )
    assert referrer.referring_organisation == team
    assert ReferringOrganisation.objects.count() == 1

    fresh = referrers.referrer_add_inline(
        actor=coordinator,
        organisation=organisation,
        data={"name": "Shona Main"},
        new_team={"name": "Roodlands midwifery", "kind": "midwifery"},
    )
    assert (fresh.referring_organisation.name, fresh.referring_organisation.kind) == (
        "Roodlands midwifery",
        "midwifery",
    )


@pytest.mark.django_db
def test_an_inline_referrer_with_a_bad_new_team_says_which_field(coordinator, organisation):
    with pytest.raises(ValidationError) as refused:
        referrers.referrer_add_inline(
            actor=coordinator, organisation=organisation, data={"name": "A"}, new_team={"name": "T", "kind": "nope"}
        )
    assert "team_kind" in refused.value.message_dict
    assert not ReferringOrganisation.objects.exists()


# --- Merging -------------------------------------------------------------------


@pytest.fixture
def pair(organisation):
    """Fiona Gilmour, and the "fiona gilmour" typed again in a hurry, each with referrals."""
    team = ReferringOrganisationFactory(organisation=organisation, kind=ReferrerKind.MIDWIFERY)
    keep = ReferrerFactory(organisation=organisation, referring_organisation=team, name="Fiona Gilmour", phone="")
    duplicate = ReferrerFactory(
        organisation=organisation, referring_organisation=team, name="fiona gilmour", phone="01632960101"
    )
    return keep, duplicate


@pytest.mark.django_db
def test_merging_moves_every_referral_to_the_record_kept_and_removes_the_duplicate(coordinator, organisation, pair):
    keep, duplicate = pair
    mine = ReferralFactory(organisation=organisation, referrer=keep)
    theirs = [ReferralFactory(organisation=organisation, referrer=duplicate) for _ in range(2)]
    duplicate_pk = duplicate.pk
    heard = []
    signals.referrers_merged.connect(lambda sender, **kwargs: heard.append(kwargs), weak=False, dispatch_uid="t")
    try:
        moved = referrers.referrer_merge(actor=coordinator, keep=keep, duplicate=duplicate)
    finally:
        signals.referrers_merged.disconnect(dispatch_uid="t")

    assert moved == 2
    assert not Referrer.objects.filter(pk=duplicate_pk).exists()
    assert set(Referral.objects.filter(referrer=keep)) == {mine, *theirs}
    keep.refresh_from_db()
    assert (keep.name, keep.phone) == ("Fiona Gilmour", "01632960101")  # her own name; the phone she lacked
    assert heard == [{"signal": signals.referrers_merged, "keep_id": keep.pk, "duplicate_id": duplicate_pk}]
    events = AuditEvent.objects.filter(object_type="referrals.Referrer")
    assert set(events.values_list("action", "object_id")) == {("delete", str(duplicate_pk)), ("change", str(keep.pk))}
    assert "2 referrals moved" in events.get(action="change").summary


def _state() -> tuple:
    return (
        sorted(Referrer.objects.values_list("pk", "name", "phone", "referring_organisation_id")),
        sorted(Referral.objects.values_list("pk", "referrer_id")),
        sorted(ReferringOrganisation.objects.values_list("pk", "name")),
        AuditEvent.objects.count(),
    )


@pytest.mark.django_db
def test_merging_across_organisations_is_refused_and_nothing_changes(
    coordinator, organisation, other_organisation, pair
):
    keep, _ = pair
    theirs = ReferrerFactory(organisation=other_organisation, name="Fiona Gilmour", phone="01632960199")
    ReferralFactory(organisation=other_organisation, referrer=theirs)
    ReferralFactory(organisation=organisation, referrer=keep)
    before = _state()
    for first, second in ((keep, theirs), (theirs, keep)):
        with pytest.raises(ValidationError) as refused:
            referrers.referrer_merge(actor=coordinator, keep=first, duplicate=second)
        assert "same organisation" in refused.value.message_dict["keep"][0]
    assert _state() == before


@pytest.mark.django_db
def test_a_record_cannot_be_merged_into_itself(coordinator, pair):
    keep, _ = pair
    before = _state()
    with pytest.raises(ValidationError):
        referrers.referrer_merge(actor=coordinator, keep=keep, duplicate=keep)
    assert _state() == before


@pytest.mark.django_db
def test_merging_teams_moves_their_people_and_takes_what_the_kept_team_lacks(coordinator, organisation):
    keep = ReferringOrganisationFactory(organisation=organisation, name="Tweed GP practice", kind="other", email="")
    duplicate = ReferringOrganisationFactory(
        organisation=organisation, name="Tweed  GP practice", kind="gp_practice", email="tweed.gp@example.org"
    )
    person = ReferrerFactory(organisation=organisation, referring_organisation=duplicate)
    referral = ReferralFactory(organisation=organisation, referrer=person)

    assert referrers.referring_organisation_merge(actor=coordinator, keep=keep, duplicate=duplicate) == 1

    assert not ReferringOrganisation.objects.filter(name="Tweed  GP practice").exists()
    person.refresh_from_db()
    assert person.referring_organisation == keep
    keep.refresh_from_db()
    assert (keep.kind, keep.email) == ("gp_practice", "tweed.gp@example.org")
    referral.refresh_from_db()
    assert referral.referrer.referring_organisation == keep  # the referral follows its referrer
    assert AuditEvent.objects.filter(object_type="referrals.ReferringOrganisation", action="delete").exists()


@pytest.mark.django_db
def test_merging_teams_across_organisations_is_refused_and_nothing_changes(
    coordinator, organisation, other_organisation
):
    mine = ReferringOrganisationFactory(organisation=organisation)
    theirs = ReferringOrganisationFactory(organisation=other_organisation)
    ReferrerFactory(organisation=other_organisation, referring_organisation=theirs)
    before = _state()
    with pytest.raises(ValidationError):
        referrers.referring_organisation_merge(actor=coordinator, keep=mine, duplicate=theirs)
    assert _state() == before
