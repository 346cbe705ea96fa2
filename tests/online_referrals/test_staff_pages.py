"""The staff side of the online forms: the manager's switches, addresses,
QR codes and snippet; the coordinators' held forms; subject access and erasure."""

from __future__ import annotations

import pytest
from django.urls import reverse

from operations.core.audit import AuditEvent
from referrals import services as referral_services
from referrals.models import Referral
from referrals.online.models import OnlineReferralSettings, OnlineSubmission
from tests.factories import ParentFactory, ReferralFactory
from tests.online_referrals.conftest import self_form

pytestmark = pytest.mark.django_db


def test_the_manager_sees_both_addresses_qr_codes_and_the_snippet(manager_client, organisation, forms_open):
    page = manager_client.get(reverse("online_referrals:manage")).content.decode()
    self_address = f"http://testserver/refer/{organisation.slug}/"
    assert self_address in page
    assert f"http://testserver/refer/{organisation.slug}/professional/" in page
    assert page.count('src="data:image/svg+xml') == 2
    assert f"&lt;a href=&quot;{self_address}&quot;&gt;Refer yourself to Tweed Valley Test&lt;/a&gt;" in page

    printable = manager_client.get(reverse("online_referrals:print")).content.decode()
    assert printable.count('src="data:image/svg+xml') == 2


def test_the_manager_opens_and_closes_the_forms_and_it_is_audited(manager_client, client, organisation, service):
    assert "not open" in client.get(reverse("online_referrals:self", args=[organisation.slug])).content.decode()

    response = manager_client.post(
        reverse("online_referrals:manage"), {"self_form_open": "on", "intro": "We cover the Borders."}
    )

    assert response.status_code == 302
    config = OnlineReferralSettings.objects.get(organisation=organisation)
    assert (config.self_form_open, config.professional_form_open) == (True, False)
    page = client.get(reverse("online_referrals:self", args=[organisation.slug])).content.decode()
    assert "We cover the Borders." in page
    assert "not open" in client.get(reverse("online_referrals:professional", args=[organisation.slug])).content.decode()
    assert AuditEvent.objects.filter(summary="Online referral forms: self-referral open, professional closed").exists()


def test_an_intro_too_long_is_a_field_error(manager_client, organisation):
    response = manager_client.post(reverse("online_referrals:manage"), {"intro": "x" * 1001})
    assert "intro" in response.context["form"].errors
    assert not OnlineReferralSettings.objects.get(organisation=organisation).intro


def _held_duplicate(client, organisation, service) -> OnlineSubmission:
    parent = ParentFactory(organisation=organisation, first_name="Isla", last_name="Onlinetest")
    parent.date_of_birth = "1996-04-02"
    parent.save()
    ReferralFactory(organisation=organisation, parent=parent, service=service)
    client.post(reverse("online_referrals:self", args=[organisation.slug]), self_form(service))
    return OnlineSubmission.objects.get()


def test_coordinators_read_a_held_form_and_mark_it_dealt_with(
    client, coordinator_client, organisation, service, forms_open
):
    held = _held_duplicate(client, organisation, service)

    page = coordinator_client.get(reverse("online_referrals:to-check")).content.decode()
    assert held.reference in page
    assert "May be someone with an open referral for this service" in page
    assert f"Open referral #{held.referral_id}" in page
    assert "Feeling low since the birth." in page

    response = coordinator_client.post(reverse("online_referrals:dealt-with", args=[held.pk]))

    assert response.status_code == 302
    held.refresh_from_db()
    assert held.dealt_with_at is not None
    assert held.answers == {}
    assert "Nothing to check." in coordinator_client.get(reverse("online_referrals:to-check")).content.decode()
    again = coordinator_client.post(reverse("online_referrals:dealt-with", args=[held.pk]), follow=True)
    assert "already been dealt with" in again.content.decode()


def test_another_organisation_cannot_see_or_deal_with_a_held_form(
    client, other_coordinator_client, organisation, service, forms_open
):
    held = _held_duplicate(client, organisation, service)
    assert held.reference not in other_coordinator_client.get(reverse("online_referrals:to-check")).content.decode()
    assert other_coordinator_client.post(reverse("online_referrals:dealt-with", args=[held.pk])).status_code == 404
    held.refresh_from_db()
    assert held.dealt_with_at is None


def test_subject_access_lists_her_forms_and_erasure_deletes_them(client, manager, organisation, service, forms_open):
    client.post(reverse("online_referrals:self", args=[organisation.slug]), self_form(service))
    parent = Referral.objects.get().parent

    sections = referral_services.parent_subject_access(actor=manager, parent=parent)
    online = next(section for section in sections if section.title == "Online referral forms")
    assert online.rows[0]["Reference given"] == OnlineSubmission.objects.get().reference

    referral_services.parent_erase(actor=manager, parent=parent)
    assert not OnlineSubmission.objects.exists()


def test_the_held_forms_page_query_count_does_not_grow_with_rows(
    organisation, coordinator_client, django_assert_num_queries
):
    from referrals.online.models import HeldReason, Outcome
    from tests.factories import OnlineSubmissionFactory

    url = reverse("online_referrals:to-check")
    for rows in (2, 60):
        for _ in range(rows):
            OnlineSubmissionFactory(organisation=organisation)
            OnlineSubmissionFactory(organisation=organisation, outcome=Outcome.HELD, held_reason=HeldReason.DUPLICATE)
        coordinator_client.get(url)  # warm-up: the first view fills per-process caches
        # 1 session, 2 user, 3 membership, 4 audit, 5-6 held and its count, 7-8 spam and its count, 9 the bell.
        with django_assert_num_queries(9):
            assert coordinator_client.get(url).status_code == 200
