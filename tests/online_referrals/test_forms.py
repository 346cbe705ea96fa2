"""The public online referral forms: a mother refers herself, a health
visitor refers a family, the pre-check, and the same answer for everyone."""

from __future__ import annotations

from datetime import date

import pytest
from django.core import mail
from django.urls import reverse

from operations.core.audit import AuditEvent
from operations.notifications.models import Channel as NotificationChannel
from operations.notifications.models import Notification
from operations.notifications.services import notification_send
from referrals.models import Channel, Parent, Referral, Referrer, ReferringOrganisation
from referrals.online.models import HeldReason, OnlineSubmission, Outcome
from referrals.workflow import Status
from tests.factories import DirectoryEntryFactory, ParentFactory, ReferralFactory
from tests.online_referrals.conftest import professional_form, reference_in, self_form, without_tokens

pytestmark = pytest.mark.django_db


def self_url(organisation) -> str:
    return reverse("online_referrals:self", args=[organisation.slug])


def professional_url(organisation) -> str:
    return reverse("online_referrals:professional", args=[organisation.slug])


# --- the self-referral form ------------------------------------------------


def test_the_form_names_the_services_and_areas_and_has_the_quick_exit(client, organisation, service, forms_open):
    page = client.get(self_url(organisation)).content.decode()
    assert "Befriending" in page
    assert "Scottish Borders" in page
    assert "Leave this site quickly" in page
    assert "data-quick-exit" in page
    assert "online_referrals/quick_exit.js" in page
    assert 'name="website"' in page  # the honeypot
    assert 'type="file"' not in page


def test_a_mother_refers_herself_and_it_is_received_on_the_board(client, organisation, service, forms_open):
    response = client.post(self_url(organisation), self_form(service))

    assert response.status_code == 200
    assert "Your reference is" in response.content.decode()
    referral = Referral.objects.get()
    assert (referral.status, referral.channel, referral.source) == (Status.RECEIVED, Channel.SELF_ONLINE, "self")
    assert referral.service == service
    assert referral.eligibility_end == date(2028, 5, 3)
    parent = referral.parent
    assert (parent.first_name, parent.postcode, parent.phone) == ("Isla", "TD1 1AA", "07700900123")
    assert parent.contact_consent_given_on == date(2027, 5, 10)
    # Her safe-contact answer is recorded as the staff intake records it.
    assert (parent.safe_sms, parent.safe_email, parent.safe_phone) == (True, True, False)
    assert parent.contact_safety_recorded_at is not None
    assert parent.best_contact_times == "Weekday mornings"
    submission = OnlineSubmission.objects.get()
    assert (submission.outcome, submission.referral, submission.answers) == (Outcome.REFERRED, referral, {})
    assert submission.reference == reference_in(response)


def test_the_board_marks_it_online(client, organisation, service, forms_open, coordinator_client):
    client.post(self_url(organisation), self_form(service))
    board = coordinator_client.get(reverse("referrals:board")).content.decode()
    assert "Isla Onlinetest" in board
    assert ">Online</span>" in board


def test_check_shows_the_pre_check_and_writes_nothing(client, organisation, service, forms_open):
    response = client.post(self_url(organisation), self_form(service, action="check"))

    page = response.content.decode()
    assert "Tweed Valley Test can support you until your baby turns one (until 3 May 2028)." in page
    assert 'value="send"' in page
    assert not Referral.objects.exists()
    assert not OnlineSubmission.objects.exists()
    assert not Parent.objects.exists()


def test_past_the_end_the_pre_check_says_why_and_where_else_to_turn(client, organisation, service, forms_open):
    DirectoryEntryFactory(organisation=organisation, name="Borders Parent Line", description="Phone support")
    DirectoryEntryFactory(organisation=organisation, name="Closed Service", is_active=False)

    page = client.post(self_url(organisation), self_form(service, birth_date="2026-01-05", action="check"))

    html = page.content.decode()
    assert "supports families until your baby turns one, so it cannot start support now" in html
    assert "that ended on 4 Jan 2027" in html
    assert "Where else to turn" in html
    assert "Borders Parent Line" in html
    assert "Closed Service" not in html


def test_sent_past_the_end_it_is_held_for_a_coordinator_not_refused(client, organisation, service, forms_open):
    response = client.post(self_url(organisation), self_form(service, birth_date="2026-01-05"))

    assert "Your reference is" in response.content.decode()
    assert not Referral.objects.exists()
    submission = OnlineSubmission.objects.get()
    assert (submission.outcome, submission.held_reason) == (Outcome.HELD, HeldReason.PAST_END)
    assert submission.answers["First name"] == "Isla"


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"first_name": "x" * 101}, "first_name", "Keep this to 100 characters or fewer."),
        ({"reason": "x" * 2001}, "reason", "Keep this to 2000 characters or fewer."),
        ({"best_contact_times": "x" * 151}, "best_contact_times", "Keep this to 150 characters or fewer."),
        ({"postcode": "NOT A POSTCODE"}, "postcode", "Enter a UK postcode"),
        ({"birth_date": "", "due_date": ""}, "due_date", "Give the expected due date"),
        ({"birth_date": "2027-06-01"}, "birth_date", "The birth date cannot be in the future."),
        ({"contact_consent": None}, "contact_consent", "only take the form if you agree"),
        ({"safe_sms": None, "safe_email": None}, "safe_sms", "Tick at least one way"),
        ({"phone": ""}, "phone", "Give a phone number"),
        ({"service": "999999"}, "service", "Choose one of the services listed."),
    ],
)
def test_bad_input_is_a_field_error_and_nothing_is_written(
    client, organisation, service, forms_open, overrides, field, message
):
    response = client.post(self_url(organisation), self_form(service, **overrides))

    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    assert "Please check the form" in response.content.decode()
    assert not Referral.objects.exists()
    assert not OnlineSubmission.objects.exists()


def test_a_post_too_large_is_refused_with_413_and_nothing_written(client, organisation, service, forms_open, settings):
    settings.ONLINE_REFERRAL_MAX_BYTES = 4096
    response = client.post(self_url(organisation), self_form(service, reason="x" * 5000))

    assert response.status_code == 413
    assert "too long" in response.content.decode()
    assert not Referral.objects.exists()
    assert not OnlineSubmission.objects.exists()


def test_a_closed_form_says_so_and_takes_nothing(client, organisation, service, forms_open):
    forms_open.self_form_open = False
    forms_open.save()

    assert "not open at the moment" in client.get(self_url(organisation)).content.decode()
    response = client.post(self_url(organisation), self_form(service))
    assert "not open at the moment" in response.content.decode()
    assert not Referral.objects.exists()
    assert not OnlineSubmission.objects.exists()


def test_an_unknown_organisation_is_not_found(client):
    assert client.get("/refer/no-such-charity/").status_code == 404


def test_a_service_of_another_organisation_cannot_be_chosen(client, organisation, service, forms_open, other_service):
    response = client.post(self_url(organisation), self_form(service, service=other_service.pk))
    assert "service" in response.context["form"].errors
    assert not Referral.objects.exists()


def test_csrf_is_required(organisation, service, forms_open):
    from django.test import Client

    response = Client(enforce_csrf_checks=True).post(self_url(organisation), self_form(service))
    assert response.status_code == 403
    assert not Referral.objects.exists()


# --- the professional form -------------------------------------------------


def test_a_health_visitor_refers_a_family_and_joins_the_directory(client, organisation, service, forms_open):
    response = client.post(professional_url(organisation), professional_form(service))

    assert "Your reference is" in response.content.decode()
    referral = Referral.objects.get()
    assert (referral.channel, referral.source, referral.status) == (
        Channel.PROFESSIONAL_ONLINE,
        "health_visitor",
        Status.RECEIVED,
    )
    assert referral.referrer_updates_consent is True
    referrer = referral.referrer
    assert (referrer.name, referrer.role, referrer.email, referrer.phone) == (
        "Helen Visitor",
        "Health visitor",
        "helen.visitor@nhs.example",
        "01896123456",
    )
    assert referrer.organisation == organisation
    assert referrer.referring_organisation.name == "Galashiels Health Visiting"
    assert referrer.referring_organisation.kind == "health_visiting"


def test_a_known_referrer_is_found_by_work_email_and_left_unchanged(client, organisation, service, forms_open):
    team = ReferringOrganisation.objects.create(organisation=organisation, name="Galashiels HV", kind="health_visiting")
    known = Referrer.objects.create(
        organisation=organisation, referring_organisation=team, name="Helen V.", email="helen.visitor@nhs.example"
    )

    client.post(professional_url(organisation), professional_form(service, referrer_name="Someone Else"))

    assert Referral.objects.get().referrer == known
    assert Referrer.objects.count() == 1
    known.refresh_from_db()
    assert known.name == "Helen V."


def test_a_referrer_of_another_organisation_is_never_used(
    client, organisation, service, forms_open, other_organisation
):
    Referrer.objects.create(organisation=other_organisation, name="Elsewhere", email="helen.visitor@nhs.example")

    client.post(professional_url(organisation), professional_form(service))

    assert Referral.objects.get().referrer.organisation == organisation


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"parent_agreed": None}, "parent_agreed"),
        ({"referrer_email": "not-an-email"}, "referrer_email"),
        ({"referrer_name": "x" * 151}, "referrer_name"),
        ({"contact_through_referrer": "on"}, "contact_through_referrer"),
    ],
)
def test_the_professional_form_refuses_bad_input(client, organisation, service, forms_open, overrides, field):
    response = client.post(professional_url(organisation), professional_form(service, **overrides))
    assert field in response.context["form"].errors
    assert not Referral.objects.exists()
    assert not Referrer.objects.exists()


def test_none_safe_goes_through_the_referrer(client, organisation, service, forms_open):
    client.post(
        professional_url(organisation),
        professional_form(service, safe_sms=None, phone="", contact_through_referrer="on"),
    )
    assert Referral.objects.get().parent.contact_through_referrer is True


# --- duplicates and no enumeration -------------------------------------------


def _known_parent_with_open_referral(organisation, service):
    parent = ParentFactory(organisation=organisation, first_name="Isla", last_name="Onlinetest")
    parent.date_of_birth = date(1996, 4, 2)
    parent.save()
    return ReferralFactory(organisation=organisation, parent=parent, service=service)


def test_an_open_referral_for_the_same_person_is_held_privately_as_a_duplicate(
    client, organisation, service, forms_open, coordinator
):
    existing = _known_parent_with_open_referral(organisation, service)

    response = client.post(self_url(organisation), self_form(service))

    assert "Your reference is" in response.content.decode()
    assert Referral.objects.get() == existing  # no second referral
    submission = OnlineSubmission.objects.get()
    assert (submission.outcome, submission.held_reason, submission.referral) == (
        Outcome.HELD,
        HeldReason.DUPLICATE,
        existing,
    )
    # Nothing of the new answer was written onto her record.
    assert Parent.objects.get().phone == ""
    told = Notification.objects.get(recipient_user=coordinator)
    assert "needs checking" in told.subject


def test_the_answer_is_the_same_whether_or_not_she_is_known(client, organisation, service, forms_open):
    unknown = client.post(self_url(organisation), self_form(service, first_name="Nobody", last_name="Known"))
    _known_parent_with_open_referral(organisation, service)
    known = client.post(self_url(organisation), self_form(service))
    spam = client.post(self_url(organisation), self_form(service, website="http://spam.example"))

    assert unknown.status_code == known.status_code == spam.status_code == 200
    assert without_tokens(unknown) == without_tokens(known) == without_tokens(spam)


def test_a_restricted_record_is_held_and_answers_the_same(client, organisation, service, forms_open):
    unknown = client.post(self_url(organisation), self_form(service, first_name="Nobody", last_name="Known"))
    parent = ParentFactory(organisation=organisation, first_name="Isla", last_name="Onlinetest")
    Parent.objects.filter(pk=parent.pk).update(date_of_birth=date(1996, 4, 2), processing_restricted=True)

    restricted = client.post(self_url(organisation), self_form(service))

    assert without_tokens(unknown) == without_tokens(restricted)
    held = OnlineSubmission.objects.get(outcome=Outcome.HELD)
    assert held.held_reason == HeldReason.NOT_ADDED
    assert not Referral.objects.filter(parent=parent).exists()


def test_the_pre_check_is_the_same_whether_or_not_she_is_known(client, organisation, service, forms_open):
    unknown = client.post(self_url(organisation), self_form(service, action="check"))
    _known_parent_with_open_referral(organisation, service)
    known = client.post(self_url(organisation), self_form(service, action="check"))
    assert without_tokens(unknown) == without_tokens(known)


# --- acknowledgement, coordinators, audit --------------------------------------


def test_the_acknowledgement_goes_once_through_the_outbox_with_nothing_personal(
    client, organisation, service, forms_open
):
    response = client.post(self_url(organisation), self_form(service))
    reference = reference_in(response)

    row = Notification.objects.get(channel=NotificationChannel.EMAIL)
    assert (row.kind, row.recipient_address) == ("online_referral_acknowledgement", "isla@example.org")
    assert notification_send(notification_id=row.pk) == "sent"
    assert notification_send(notification_id=row.pk) == "not-claimed"
    assert len(mail.outbox) == 1
    email = mail.outbox[0]
    assert reference in email.subject
    assert reference in email.body
    assert "Tweed Valley Test" in email.body  # she said messages may say who they are from
    for personal in ("Isla", "Onlinetest", "Galashiels", "TD1", "07700", "low since the birth", "1996"):
        assert personal not in email.subject + email.body


def test_no_acknowledgement_when_email_is_not_safe_and_none_naming_the_service_when_it_must_not(
    client, organisation, service, forms_open
):
    client.post(self_url(organisation), self_form(service, safe_email=None))
    assert not Notification.objects.filter(channel=NotificationChannel.EMAIL).exists()

    client.post(
        self_url(organisation),
        self_form(service, first_name="Other", date_of_birth="1990-01-01", may_name_service=None),
    )
    email = Notification.objects.get(channel=NotificationChannel.EMAIL)
    assert "Tweed Valley" not in email.subject + email.body
    assert email.names_service is False


def test_the_referrer_is_acknowledged_at_work(client, organisation, service, forms_open):
    client.post(professional_url(organisation), professional_form(service, referrer_updates_consent=None))
    email = Notification.objects.get(channel=NotificationChannel.EMAIL)
    assert (email.kind, email.recipient_address) == ("online_referral_acknowledgement", "helen.visitor@nhs.example")
    assert "Isla" not in email.body


def test_a_referrer_who_will_hear_how_it_goes_gets_one_email_not_two(client, organisation, service, forms_open):
    # The parent agreed: the word-back "received" update (reference and status link) is the acknowledgement.
    client.post(professional_url(organisation), professional_form(service))
    email = Notification.objects.get(channel=NotificationChannel.EMAIL)
    assert (email.kind, email.recipient_address) == ("referrer_update", "helen.visitor@nhs.example")
    assert "/referral-status/" in email.body
    assert "Isla" not in email.body


def test_coordinators_are_told_in_the_app(client, organisation, service, forms_open, coordinator, manager):
    client.post(self_url(organisation), self_form(service))
    referral = Referral.objects.get()
    told = Notification.objects.get(channel=NotificationChannel.IN_APP)
    assert told.recipient_user == coordinator
    assert told.subject == f"New online referral #{referral.pk}"
    assert told.link == reverse("referrals:referral-detail", args=[referral.pk])
    assert "Isla" not in told.subject + told.body


def test_every_submission_is_audited_without_personal_data(client, organisation, service, forms_open):
    client.post(self_url(organisation), self_form(service))
    client.post(self_url(organisation), self_form(service, website="spam"))

    events = AuditEvent.objects.filter(object_type="online_referrals.OnlineSubmission")
    assert sorted(event.summary for event in events) == [
        "Self-referral form sent: held apart as spam",
        "Self-referral form sent: on the triage board",
    ]
    assert all(event.organisation_id == organisation.pk for event in events)
    assert all(event.ip_address == "127.0.0.1" for event in events)
    summaries = " ".join(AuditEvent.objects.values_list("summary", flat=True))
    assert "Isla" not in summaries
    assert "Onlinetest" not in summaries


def test_the_referral_page_says_it_came_through_the_online_form(
    client, organisation, service, forms_open, coordinator_client
):
    client.post(self_url(organisation), self_form(service))
    referral = Referral.objects.get()
    page = coordinator_client.get(reverse("referrals:referral-detail", args=[referral.pk])).content.decode()
    assert "Received through the online self-referral form" in page
    assert "someone removed" not in page
