"""Who referred and how it came in, on the staff pages: the referral form
picks a referrer from the directory or adds one (with the referral, or not
at all), the parent's agreement to updates, the referral page and the
triage card."""

from __future__ import annotations

import pytest
from django.urls import reverse

from referrals.models import Channel, Parent, Referral, Referrer, ReferringOrganisation
from tests.downloads.conftest import csv_rows
from tests.factories import ReferralFactory, ReferrerFactory, ReferringOrganisationFactory
from tests.referrals.test_intake import intake

pytestmark = pytest.mark.django_db

NEW = reverse("referrals:referral-new")


@pytest.fixture
def visitors(organisation):
    return ReferringOrganisationFactory(organisation=organisation, name="Galashiels health visiting team")


@pytest.fixture
def morag(organisation, visitors):
    return ReferrerFactory(
        organisation=organisation, referring_organisation=visitors, name="Morag Henderson", role="Health visitor"
    )


def _nothing_written() -> None:
    assert not Parent.objects.exists()
    assert not Referral.objects.exists()


def test_the_form_offers_the_directory_grouped_by_team(coordinator_client, organisation, morag, other_organisation):
    ReferrerFactory(organisation=organisation, name="Gone Away", is_active=False)
    ReferrerFactory(organisation=other_organisation, name="Their Referrer")
    page = coordinator_client.get(NEW).content.decode()
    group = page.split('<optgroup label="Galashiels health visiting team">', 1)[1].split("</optgroup>", 1)[0]
    assert f'<option value="{morag.pk}">Morag Henderson (Health visitor)</option>' in group
    assert "Gone Away" not in page
    assert "Their Referrer" not in page
    assert "The parent agreed the referrer may hear how the referral goes" in page


def test_a_referral_names_the_referrer_picked_from_the_directory(coordinator_client, service, morag):
    response = coordinator_client.post(NEW, intake(service, referrer=morag.pk, referrer_updates_consent="on"))
    assert response.status_code == 302
    referral = Referral.objects.get()
    assert (referral.referrer, referral.referrer_updates_consent, referral.channel) == (morag, True, Channel.STAFF)


def test_a_referrer_added_on_the_form_joins_the_directory_with_the_referral(coordinator_client, service, visitors):
    response = coordinator_client.post(
        NEW,
        intake(
            service,
            new_referrer_name="Jamie Scott",
            new_referrer_role="Health visitor",
            new_referrer_team=visitors.pk,
            new_referrer_email="jamie.scott@example.org",
            new_referrer_phone="+44 1632 960112",
        ),
    )
    assert response.status_code == 302
    jamie = Referrer.objects.get(name="Jamie Scott")
    assert (jamie.referring_organisation, jamie.phone, jamie.email) == (
        visitors,
        "01632960112",
        "jamie.scott@example.org",
    )
    assert Referral.objects.get().referrer == jamie


def test_a_referrer_added_with_a_new_team(coordinator_client, organisation, service):
    coordinator_client.post(
        NEW,
        intake(
            service,
            new_referrer_name="Dr Alan Rutherford",
            new_team_name="Tweed GP practice",
            new_team_kind="gp_practice",
        ),
    )
    team = ReferringOrganisation.objects.get(organisation=organisation)
    assert (team.name, team.kind) == ("Tweed GP practice", "gp_practice")
    assert Referral.objects.get().referrer.referring_organisation == team


@pytest.mark.parametrize(
    ("extra", "field", "message"),
    [
        ({"new_referrer_phone": "12345", "new_referrer_name": "Jamie Scott"}, "new_referrer_phone", "UK phone"),
        ({"new_referrer_role": "Midwife"}, "new_referrer_name", "Give the new referrer's name."),
        ({"new_team_name": "A team", "new_referrer_name": "A"}, "new_team_kind", "Choose the kind of team."),
        ({"referrer_updates_consent": "on"}, "referrer_updates_consent", "Choose or add the referrer first"),
        ({"referrer": "999999"}, "referrer", "Choose a referrer from your organisation's directory."),
    ],
)
def test_a_bad_referrer_is_a_field_error_and_nothing_is_written(coordinator_client, service, extra, field, message):
    response = coordinator_client.post(NEW, intake(service, **extra))
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    _nothing_written()
    assert not Referrer.objects.exists()
    assert not ReferringOrganisation.objects.exists()


def test_picking_and_adding_at_once_is_refused(coordinator_client, service, morag):
    response = coordinator_client.post(NEW, intake(service, referrer=morag.pk, new_referrer_name="Jamie Scott"))
    assert "not both" in response.context["form"].errors["new_referrer_name"][0]
    _nothing_written()
    assert Referrer.objects.count() == 1


def test_another_organisations_referrer_is_refused(coordinator_client, service, other_organisation):
    theirs = ReferrerFactory(organisation=other_organisation)
    response = coordinator_client.post(NEW, intake(service, referrer=theirs.pk))
    assert response.context["form"].errors["referrer"] == ["Choose a referrer from your organisation's directory."]
    _nothing_written()


def test_a_referral_refused_takes_the_new_referrer_with_it(coordinator_client, service, organisation):
    """The referrer is added in the referral's transaction: a duplicate referral adds no one."""
    coordinator_client.post(NEW, intake(service))
    assert Referral.objects.count() == 1
    response = coordinator_client.post(
        NEW, intake(service, new_referrer_name="Jamie Scott", new_team_name="New team", new_team_kind="other")
    )
    assert response.status_code == 200
    assert response.context["duplicate"] is not None
    assert not Referrer.objects.exists()
    assert not ReferringOrganisation.objects.exists()
    assert Referral.objects.count() == 1


def test_the_referral_page_says_how_it_came_in_and_links_the_referrer(coordinator_client, organisation, service, morag):
    referral = ReferralFactory(
        organisation=organisation, service=service, referrer=morag, channel=Channel.PROFESSIONAL_ONLINE
    )
    page = coordinator_client.get(reverse("referrals:referral-detail", args=[referral.pk])).content.decode()
    assert '<dd class="col-sm-9" id="referral-channel">Online professional referral form</dd>' in page
    shown = page.split('id="referral-referrer">', 1)[1].split("</dd>", 1)[0]
    assert f'href="{reverse("referrals:referrer-detail", args=[morag.pk])}">Morag Henderson</a>' in shown
    assert "Galashiels health visiting team</a>" in shown


def test_a_referral_made_before_the_directory_shows_its_typed_referrer(coordinator_client, organisation, service):
    referral = ReferralFactory(
        organisation=organisation, service=service, referrer_name="A Midwife", referrer_contact="01632 960000"
    )
    page = coordinator_client.get(reverse("referrals:referral-detail", args=[referral.pk])).content.decode()
    shown = page.split('id="referral-referrer">', 1)[1].split("</dd>", 1)[0]
    assert "A Midwife 01632 960000" in shown
    assert "typed before the directory" in shown
    # Its edit form keeps the typed text editable; a referral made since has no such fields.
    edit = coordinator_client.get(reverse("referrals:referral-edit", args=[referral.pk])).content.decode()
    assert 'name="referrer_name"' in edit
    newer = ReferralFactory(organisation=organisation)
    assert (
        'name="referrer_name"'
        not in coordinator_client.get(reverse("referrals:referral-edit", args=[newer.pk])).content.decode()
    )


def _edit(referral, **changes) -> dict:
    return {
        "service": referral.service_id,
        "source": referral.source,
        "urgency": referral.urgency,
        "received_on": referral.received_on.isoformat(),
        "reason": referral.reason,
        **changes,
    }


def test_editing_a_referral_picks_or_adds_its_referrer(coordinator_client, organisation, service, morag):
    referral = ReferralFactory(organisation=organisation, service=service)
    url = reverse("referrals:referral-edit", args=[referral.pk])
    assert coordinator_client.post(url, _edit(referral, referrer=morag.pk)).status_code == 302
    referral.refresh_from_db()
    assert referral.referrer == morag

    coordinator_client.post(url, _edit(referral, new_referrer_name="Jamie Scott", referrer_updates_consent="on"))
    referral.refresh_from_db()
    assert (referral.referrer.name, referral.referrer_updates_consent) == ("Jamie Scott", True)


def test_a_deactivated_referrer_stays_on_the_referrals_that_name_them(coordinator_client, organisation, service, morag):
    referral = ReferralFactory(organisation=organisation, service=service, referrer=morag)
    morag.is_active = False
    morag.save()
    url = reverse("referrals:referral-edit", args=[referral.pk])
    assert f'<option value="{morag.pk}" selected>Morag Henderson (Health visitor) (deactivated)' in (
        coordinator_client.get(url).content.decode()
    )
    assert coordinator_client.post(url, _edit(referral, referrer=morag.pk, reason="Changed")).status_code == 302
    referral.refresh_from_db()
    assert (referral.referrer, referral.reason) == (morag, "Changed")
    # Not offered on a referral that does not name them.
    other = ReferralFactory(organisation=organisation, service=service)
    response = coordinator_client.post(
        reverse("referrals:referral-edit", args=[other.pk]), _edit(other, referrer=morag.pk)
    )
    assert "referrer" in response.context["form"].errors


def test_how_it_came_in_cannot_be_edited(coordinator_client, organisation, service):
    referral = ReferralFactory(organisation=organisation, service=service, channel=Channel.SELF_ONLINE)
    coordinator_client.post(reverse("referrals:referral-edit", args=[referral.pk]), _edit(referral, channel="staff"))
    referral.refresh_from_db()
    assert referral.channel == Channel.SELF_ONLINE


def test_the_triage_card_marks_online_referrals_and_names_the_referrer(
    coordinator_client, organisation, service, morag
):
    online = ReferralFactory(organisation=organisation, service=service, channel=Channel.SELF_ONLINE)
    referred = ReferralFactory(organisation=organisation, service=service, referrer=morag)
    board = coordinator_client.get(reverse("referrals:board")).content.decode()

    def card(referral) -> str:
        return board.split(f'aria-label="Referral {referral.pk}"', 1)[1].split("</article>", 1)[0]

    assert 'title="Online self-referral form">Online</span>' in card(online)
    assert "Referred by" not in card(online)
    assert ">Online<" not in card(referred)
    assert (
        f'Referred by <a href="{reverse("referrals:referrer-detail", args=[morag.pk])}">Morag Henderson</a>, '
        "Galashiels health visiting team"
    ) in card(referred)


def test_a_moved_card_keeps_its_referrer(coordinator_client, organisation, service, morag):
    referral = ReferralFactory(organisation=organisation, service=service, referrer=morag, channel=Channel.SELF_ONLINE)
    response = coordinator_client.post(
        reverse("referrals:referral-transition", args=[referral.pk]), {"to_status": "contacted"}, HTTP_HX_REQUEST="true"
    )
    assert "Morag Henderson</a>" in response.content.decode()
    assert ">Online</span>" in response.content.decode()


def test_the_board_download_says_how_each_came_in_and_who_referred(coordinator_client, organisation, service, morag):
    ReferralFactory(organisation=organisation, service=service, referrer=morag, channel=Channel.PROFESSIONAL_ONLINE)
    header, row = csv_rows(coordinator_client.get(reverse("referrals:board"), {"download": "csv"}))[:2]
    assert header[-3:] == ["Came in by", "Referrer", "Referrer's team"]
    assert row[-3:] == ["Online professional referral form", "Morag Henderson", "Galashiels health visiting team"]
