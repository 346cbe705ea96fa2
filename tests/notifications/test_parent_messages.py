"""Parents' messages (issue 26): templates per organisation with
translations, the reminder to a parent the day before a visit, online
groups' joining links in session reminders, and coordinators texting a
parent or a volunteer from the record."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from operations.core.audit import AuditEvent
from operations.groups import services as group_services
from operations.groups.models import Format
from operations.notifications import wording
from operations.notifications.group_messages import session_reminders_write
from operations.notifications.message_templates import TemplateBook
from operations.notifications.models import Channel, MessageTemplate, Notification, Status
from operations.notifications.reminder_settings import reminder_settings_for
from operations.notifications.scan import reminders_scan
from operations.notifications.services import notification_send
from tests.factories import MatchFactory, MessageTemplateFactory, ParentFactory, VisitFactory, VolunteerProfileFactory
from tests.groups.helpers import first_session, make_group

# Thursday 26 November 2026, 10:00 in Edinburgh (UTC in winter).
NOW = dt.datetime(2026, 11, 26, 10, 0, tzinfo=dt.UTC)
TOMORROW = dt.date(2026, 11, 27)
# 22:30: the quiet hours (21:00–08:00).
LATE = dt.datetime(2026, 11, 26, 22, 30, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def safe(**fields) -> dict:
    """A parent's contact-safety answers, recorded."""
    return {"contact_safety_recorded_at": NOW, **fields}


def sms_parent(organisation, **fields):
    return ParentFactory(
        organisation=organisation, **{"phone": "07700900123", **safe(safe_sms=True, may_name_service=False), **fields}
    )


# --- Templates: choice by language, placeholders ------------------------------------


@pytest.mark.django_db
def test_her_language_picks_the_template_english_otherwise_and_the_built_in_wording_where_there_is_none(organisation):
    book = TemplateBook(organisation_id=organisation.pk, purpose="session_reminder")
    values = {"when": "Fri 27 Nov 2026 at 10:00"}
    assert book.render(language="Polish", named=False, values=values)[1] == (
        "A reminder of your appointment Fri 27 Nov 2026 at 10:00."
    )

    MessageTemplateFactory(organisation=organisation, language="Polish", body="Przypomnienie: {when}.")
    MessageTemplateFactory(organisation=organisation, language="English", body="See you {when}!")
    book = TemplateBook(organisation_id=organisation.pk, purpose="session_reminder")
    assert (
        book.render(language="  polish ", named=False, values=values)[1] == "Przypomnienie: Fri 27 Nov 2026 at 10:00."
    )
    assert book.render(language="Arabic", named=False, values=values)[1] == "See you Fri 27 Nov 2026 at 10:00!"


@pytest.mark.django_db
def test_another_organisations_template_is_never_used(organisation, other_organisation):
    MessageTemplateFactory(organisation=other_organisation, language="English", body="Theirs {when}")
    book = TemplateBook(organisation_id=organisation.pk, purpose="session_reminder")
    assert book.render(language="English", named=False, values={"when": "x"})[1] == "A reminder of your appointment x."


def test_placeholders_are_checked_unknown_ones_formats_and_naming_ones_in_the_neutral_wording():
    assert wording.placeholder_errors("Hi {first_name}, {when}", purpose="session_reminder", named=False) == []
    assert (
        "Unknown placeholder {venue}"
        in wording.placeholder_errors("At {venue}", purpose="session_reminder", named=False)[0]
    )
    assert (
        "names the service" in wording.placeholder_errors("{group} {when}", purpose="session_reminder", named=False)[0]
    )
    assert wording.placeholder_errors("{group} {when}", purpose="session_reminder", named=True) == []
    assert "cannot have a format" in wording.placeholder_errors("{date:%Y}", purpose="session_reminder", named=False)[0]
    assert "not closed" in wording.placeholder_errors("Hi {first_name", purpose="session_reminder", named=False)[0]
    # An attribute lookup is an unknown placeholder, never evaluated.
    assert wording.placeholder_errors("{first_name.__class__}", purpose="text_from_staff", named=False)
    assert wording.fill("{{literal}} {first_name}", {"first_name": "Sam"}) == "{literal} Sam"


def test_segments_count_gsm_and_other_characters():
    assert wording.sms_segments("a" * 160) == 1
    assert wording.sms_segments("a" * 161) == 2
    assert wording.sms_segments("ą" * 70) == 1
    assert wording.sms_segments("ą" * 71) == 2


def template_form(**overrides) -> dict:
    return {
        "purpose": "session_reminder",
        "name": "",
        "language": "Polish",
        "subject": "",
        "body": "{when}",
        **overrides,
    }


@pytest.mark.django_db
def test_a_manager_adds_a_translation_and_it_is_audited_without_its_words(manager_client, organisation):
    response = manager_client.post(
        reverse("notifications:template-new"), template_form(body="Przypomnienie o spotkaniu {when}.")
    )
    assert response.status_code == 302
    template = MessageTemplate.objects.get(organisation=organisation)
    assert (template.purpose, template.language) == ("session_reminder", "Polish")
    event = AuditEvent.objects.get(object_type="notifications.MessageTemplate")
    assert event.summary == "Message template added: Group session reminder, in Polish"
    page = manager_client.get(reverse("notifications:templates")).content.decode()
    assert "Przypomnienie o spotkaniu" in page
    assert "Sorry: the meeting on {when} is cancelled." in page  # the usual wording of the others


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"body": "See you at {venue}"}, "body", "Unknown placeholder {venue}"),
        ({"body": "{group} meets {when}"}, "body", "names the service"),
        ({"named_body": "Hi {first_name} {colour}"}, "named_body", "Unknown placeholder {colour}"),
        ({"body": "Hi {first_name"}, "body", "not closed"),
        ({"purpose": "text_from_staff", "name": ""}, "name", "Give the quick text a name"),
    ],
)
def test_a_bad_template_gets_a_field_error_and_nothing_is_saved(manager_client, overrides, field, message):
    response = manager_client.post(reverse("notifications:template-new"), template_form(**overrides))
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    assert not MessageTemplate.objects.exists()
    assert not AuditEvent.objects.filter(object_type="notifications.MessageTemplate").exists()


@pytest.mark.django_db
def test_a_second_template_in_the_same_language_is_a_field_error(manager_client, organisation):
    MessageTemplateFactory(organisation=organisation, language="Polish")
    response = manager_client.post(reverse("notifications:template-new"), template_form(language="polish"))
    assert response.status_code == 200
    assert "already a template" in " ".join(response.context["form"].errors["language"])
    assert MessageTemplate.objects.count() == 1


@pytest.mark.django_db
def test_preview_fills_in_sample_values_and_saves_nothing(manager_client):
    response = manager_client.post(
        reverse("notifications:template-new"), template_form(body="Hi {first_name}, {when}", preview="1")
    )
    assert response.status_code == 200
    assert "Hi Sam, Mon 14 Feb 2028 at 10:00" in response.content.decode()
    assert not MessageTemplate.objects.exists()


@pytest.mark.django_db
def test_editing_and_removing_a_template_are_audited(manager_client, organisation):
    template = MessageTemplateFactory(organisation=organisation)
    response = manager_client.post(
        reverse("notifications:template-edit", args=[template.pk]), template_form(body="Nowe {when}")
    )
    assert response.status_code == 302
    template.refresh_from_db()
    assert template.body == "Nowe {when}"
    manager_client.post(reverse("notifications:template-delete", args=[template.pk]))
    assert not MessageTemplate.objects.exists()
    summaries = list(
        AuditEvent.objects.filter(object_type="notifications.MessageTemplate").values_list("summary", flat=True)
    )
    assert any(summary.startswith("Message template changed") for summary in summaries)
    assert any(summary.startswith("Message template removed") for summary in summaries)


@pytest.mark.django_db
def test_another_organisations_template_cannot_be_opened(manager_client, other_organisation):
    template = MessageTemplateFactory(organisation=other_organisation)
    assert manager_client.get(reverse("notifications:template-edit", args=[template.pk])).status_code == 404


# --- Session reminders: templates and joining links -------------------------------------------


def booked(session, **fields):
    parent = sms_parent(session.organisation, **fields)
    return group_services.booking_create(session_id=session.pk, actor=None, parent=parent)


@pytest.mark.django_db
def test_a_session_reminder_goes_in_her_language(organisation):
    session = first_session(make_group(organisation))
    MessageTemplateFactory(organisation=organisation, language="Polish", body="Cześć {first_name}, spotkanie {when}.")
    booked(session, language="Polish", first_name="Ola")
    booked(session, language="English")
    session_reminders_write(now=NOW)
    bodies = sorted(Notification.objects.filter(kind="session_reminder").values_list("body", flat=True))
    assert bodies == [
        "A reminder of your appointment Fri 27 Nov 2026 at 10:00.",
        "Cześć Ola, spotkanie Fri 27 Nov 2026 at 10:00.",
    ]


@pytest.mark.django_db
def test_an_online_groups_reminder_carries_its_joining_link(organisation):
    group = make_group(organisation, format=Format.ONLINE, joining_link="https://meet.example.org/tea", venue_name="")
    booked(first_session(group))
    session_reminders_write(now=NOW)
    row = Notification.objects.get(kind="session_reminder")
    assert (
        row.body == "A reminder of your appointment Fri 27 Nov 2026 at 10:00. Join online: https://meet.example.org/tea"
    )


@pytest.mark.django_db
def test_a_template_that_places_the_link_itself_gets_it_once_and_an_in_person_group_gets_none(organisation):
    MessageTemplateFactory(organisation=organisation, language="English", body="{link} at {time}")
    online = make_group(organisation, format=Format.ONLINE, joining_link="https://meet.example.org/a", venue_name="")
    booked(first_session(online))
    booked(first_session(make_group(organisation)))
    session_reminders_write(now=NOW)
    bodies = sorted(Notification.objects.filter(kind="session_reminder").values_list("body", flat=True))
    assert bodies == [" at 10:00", "https://meet.example.org/a at 10:00"]


# --- Visit reminders to parents ---------------------------------------------------------------


def visit_tomorrow(organisation, parent_fields: dict | None = None, **visit):
    parent = sms_parent(organisation, **(parent_fields or {}))
    match = MatchFactory(referral__organisation=organisation, referral__parent=parent)
    return VisitFactory(match=match, planned_for=TOMORROW, at_time=dt.time(14, 30), **visit)


@pytest.mark.django_db
def test_a_parent_is_reminded_the_day_before_a_visit_exactly_once_asking_yes_or_no_by_text(organisation):
    visit = visit_tomorrow(organisation, parent_fields={"first_name": "Rhona"})
    reminders_scan(today=NOW.date())
    reminders_scan(today=NOW.date())
    row = Notification.objects.get(kind="parent_visit_reminder")
    assert (row.channel, row.recipient_parent_id, row.about_id) == (Channel.SMS, visit.match.parent_id, str(visit.pk))
    assert row.about == visit
    assert row.body == (
        "Hello Rhona, a reminder of your appointment Fri 27 Nov 2026 at 14:30. "
        "Reply YES to confirm or NO if you need to change it."
    )
    assert visit.match.referral.service.name not in row.body  # neutral: her record does not allow naming it


@pytest.mark.django_db
def test_by_email_there_is_no_yes_or_no_and_the_service_is_named_only_where_allowed(organisation):
    visit = visit_tomorrow(
        organisation,
        parent_fields={
            "phone": "",
            "email": "r@example.org",
            "safe_sms": False,
            "safe_email": True,
            "may_name_service": True,
        },
    )
    reminders_scan(today=NOW.date())
    row = Notification.objects.get(kind="parent_visit_reminder")
    assert row.channel == Channel.EMAIL
    assert "Reply YES" not in row.body
    assert visit.match.referral.service.name in row.body
    assert row.names_service


@pytest.mark.django_db
def test_no_visit_reminder_when_the_organisation_turned_them_off(organisation):
    visit_tomorrow(organisation)
    settings = reminder_settings_for(organisation.pk)
    settings.turned_off = ["parent_visit_reminders"]
    settings.save()
    reminders_scan(today=NOW.date())
    assert not Notification.objects.filter(kind="parent_visit_reminder").exists()


@pytest.mark.django_db
def test_no_visit_reminder_without_a_safe_channel_nor_for_a_cancelled_visit_or_a_restricted_record(organisation):
    visit_tomorrow(organisation, parent_fields={"safe_sms": False})
    visit_tomorrow(organisation, cancelled=True)
    visit_tomorrow(organisation, parent_fields={"processing_restricted": True})
    other_day = visit_tomorrow(organisation)
    other_day.planned_for = TOMORROW + dt.timedelta(days=1)
    other_day.save()
    reminders_scan(today=NOW.date())
    assert not Notification.objects.filter(kind="parent_visit_reminder").exists()


@pytest.mark.django_db
def test_a_visit_moved_to_another_time_is_reminded_again(organisation):
    visit = visit_tomorrow(organisation)
    reminders_scan(today=NOW.date())
    visit.at_time = dt.time(16, 0)
    visit.save()
    reminders_scan(today=NOW.date())
    assert Notification.objects.filter(kind="parent_visit_reminder").count() == 2


# --- Texting from the record -------------------------------------------------------------------


def text_url(parent) -> str:
    return reverse("notifications:text-parent", args=[parent.pk])


@pytest.mark.django_db
def test_a_coordinator_texts_a_parent_through_the_outbox_and_it_shows_on_her_timeline(coordinator_client, organisation):
    parent = sms_parent(organisation)
    page = coordinator_client.get(reverse("referrals:parent-detail", args=[parent.pk])).content.decode()
    assert text_url(parent) in page
    response = coordinator_client.post(text_url(parent), {"body": "Hello, are you free for a call on Friday?"})
    assert response.status_code == 302
    row = Notification.objects.get(kind="text_from_staff")
    assert (row.channel, row.recipient_parent_id, row.recipient_address) == (Channel.SMS, parent.pk, "+447700900123")
    assert row.body == "Hello, are you free for a call on Friday?"
    assert row.due_at == NOW
    follow = coordinator_client.get(response.url).content.decode()
    assert "It is being sent now." in follow
    assert "Text message waiting to be sent" in follow  # her timeline
    audit = AuditEvent.objects.get(object_type="notifications.Notification")
    assert audit.summary == f"Text message to parent #{parent.pk} written from the record"


@pytest.mark.django_db
def test_a_quick_text_goes_in_her_language(coordinator_client, organisation):
    parent = sms_parent(organisation, language="Polish", first_name="Ola")
    MessageTemplateFactory(
        organisation=organisation,
        purpose="text_from_staff",
        name="Running late",
        language="English",
        body="Sorry {first_name}, running late.",
    )
    MessageTemplateFactory(
        organisation=organisation,
        purpose="text_from_staff",
        name="Running late",
        language="Polish",
        body="Przepraszam {first_name}, spóźnię się.",
    )
    coordinator_client.post(text_url(parent), {"quick_text": "Running late", "body": ""})
    assert Notification.objects.get(kind="text_from_staff").body == "Przepraszam Ola, spóźnię się."


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("fields", "reason"),
    [
        ({"contact_safety_recorded_at": None}, "Nothing is recorded as safe for her yet"),
        (
            {"safe_sms": False, "safe_phone": True},
            "Text messages are not recorded as safe for her: use a safe way instead (phone call)",
        ),
        ({"safe_sms": False, "contact_through_referrer": True}, "contact her through her referrer"),
        ({"phone": "01312345678"}, "no mobile number"),
    ],
)
def test_a_text_is_refused_with_the_reason_when_it_is_not_safe_and_nothing_is_written(
    coordinator_client, organisation, fields, reason
):
    parent = sms_parent(organisation, **fields)
    page = coordinator_client.get(text_url(parent)).content.decode()
    assert reason in page
    response = coordinator_client.post(text_url(parent), {"body": "Hello"})
    assert response.status_code == 200
    assert reason in " ".join(response.context["form"].non_field_errors())
    assert not Notification.objects.exists()
    assert not AuditEvent.objects.filter(object_type="notifications.Notification").exists()


@pytest.mark.django_db
def test_an_empty_or_too_long_text_is_a_field_error(coordinator_client, organisation):
    parent = sms_parent(organisation)
    for body, message in (("  ", "Write the message"), ("a" * 460, "Keep it to 459 characters")):
        response = coordinator_client.post(text_url(parent), {"body": body})
        assert message in " ".join(response.context["form"].errors["body"])
    assert not Notification.objects.exists()


@pytest.mark.django_db
def test_in_the_quiet_hours_a_text_waits_for_the_morning_and_says_so(client, coordinator, organisation):
    parent = sms_parent(organisation)
    with time_machine.travel(LATE, tick=False):
        coordinator_client = client
        coordinator_client.force_login(coordinator)
        assert "it will go at 08:00 tomorrow" in coordinator_client.get(text_url(parent)).content.decode()
        response = coordinator_client.post(text_url(parent), {"body": "Hello"}, follow=True)
        assert "It is the quiet hours: it will go at 08:00 tomorrow." in response.content.decode()
        row = Notification.objects.get(kind="text_from_staff")
        assert row.due_at == dt.datetime(2026, 11, 27, 8, 0, tzinfo=dt.UTC)
        assert notification_send(notification_id=row.pk) == "not-claimed"  # not due yet
    assert row.status == Status.PENDING


@pytest.mark.django_db
def test_sending_the_form_twice_writes_one_text(coordinator_client, organisation):
    parent = sms_parent(organisation)
    data = {"body": "Hello", "token": "6f1c1d55-57a4-4a43-9b06-6b1f7e1f3b7e"}
    coordinator_client.post(text_url(parent), data)
    coordinator_client.post(text_url(parent), data)
    assert Notification.objects.filter(kind="text_from_staff").count() == 1


@pytest.mark.django_db
def test_a_text_to_a_parent_whose_sms_became_unsafe_is_withheld_at_delivery(coordinator_client, organisation):
    parent = sms_parent(organisation)
    coordinator_client.post(text_url(parent), {"body": "Hello"})
    parent.safe_sms = False
    parent.save()
    row = Notification.objects.get(kind="text_from_staff")
    assert notification_send(notification_id=row.pk) == Status.CANCELLED


@pytest.mark.django_db
def test_a_coordinator_texts_a_volunteer_from_the_organisations_number(coordinator_client, organisation):
    profile = VolunteerProfileFactory(organisation=organisation, phone="07700 900456")
    response = coordinator_client.post(reverse("notifications:text-volunteer", args=[profile.pk]), {"body": "Thanks!"})
    assert response.status_code == 302
    row = Notification.objects.get(kind="text_from_staff")
    assert (row.recipient_user_id, row.recipient_address, row.recipient_parent_id) == (
        profile.user_id,
        "+447700900456",
        None,
    )


@pytest.mark.django_db
def test_a_volunteer_without_a_mobile_cannot_be_texted(coordinator_client, organisation):
    profile = VolunteerProfileFactory(organisation=organisation, phone="")
    response = coordinator_client.post(reverse("notifications:text-volunteer", args=[profile.pk]), {"body": "Hi"})
    assert "no mobile number" in " ".join(response.context["form"].non_field_errors())
    assert not Notification.objects.exists()


@pytest.mark.django_db
def test_a_parent_of_another_organisation_cannot_be_texted(other_coordinator_client, organisation):
    parent = sms_parent(organisation)
    assert other_coordinator_client.post(text_url(parent), {"body": "Hi"}).status_code == 404
    assert not Notification.objects.exists()


# --- The API -----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_api_texts_a_parent_and_answers_when_it_goes(coordinator_client, organisation):
    parent = sms_parent(organisation)
    url = f"/api/v1/parents/{parent.pk}/text/"
    response = coordinator_client.post(url, {"body": "Hello"}, content_type="application/json")
    assert response.status_code == 201, response.json()
    assert response.json()["held_for_quiet_hours"] is False
    assert Notification.objects.get(pk=response.json()["notification"]).kind == "text_from_staff"


@pytest.mark.django_db
def test_the_api_refuses_with_400_and_writes_nothing(coordinator_client, organisation):
    parent = sms_parent(organisation, safe_sms=False)
    url = f"/api/v1/parents/{parent.pk}/text/"
    response = coordinator_client.post(url, {"body": "Hello"}, content_type="application/json")
    assert response.status_code == 400
    assert "Text messages are not recorded as safe" in response.json()["non_field_errors"][0]
    allowed = sms_parent(organisation)
    url = f"/api/v1/parents/{allowed.pk}/text/"
    assert coordinator_client.post(url, {"body": ""}, content_type="application/json").json() == {
        "body": ["Write the message, or choose a quick text."]
    }
    assert coordinator_client.post(url, {"quick_text": "Nope"}, content_type="application/json").status_code == 400
    assert coordinator_client.post(url, {"body": 5}, content_type="application/json").status_code == 400
    assert not Notification.objects.exists()


@pytest.mark.django_db
def test_the_same_form_sent_again_with_other_words_is_refused_not_dropped(coordinator_client, organisation):
    parent = sms_parent(organisation)
    token = "6f1c1d55-57a4-4a43-9b06-6b1f7e1f3b7e"
    coordinator_client.post(text_url(parent), {"body": "Hello", "token": token})
    response = coordinator_client.post(text_url(parent), {"body": "Another thing", "token": token})
    assert "sent already" in " ".join(response.context["form"].non_field_errors())
    assert list(Notification.objects.values_list("body", flat=True)) == ["Hello"]


@pytest.mark.django_db
def test_the_volunteer_page_offers_a_text_and_the_api_sends_one(coordinator_client, organisation):
    profile = VolunteerProfileFactory(organisation=organisation, phone="07700900456")
    page = coordinator_client.get(reverse("volunteers:detail", args=[profile.pk])).content.decode()
    assert reverse("notifications:text-volunteer", args=[profile.pk]) in page
    response = coordinator_client.post(
        f"/api/v1/volunteers/{profile.pk}/text/", {"body": "Thank you"}, content_type="application/json"
    )
    assert response.status_code == 201, response.json()
    assert Notification.objects.get(kind="text_from_staff").recipient_address == "+447700900456"


@pytest.mark.django_db
def test_a_restricted_parent_cannot_be_texted(coordinator_client, organisation):
    parent = sms_parent(organisation, processing_restricted=True)
    response = coordinator_client.post(text_url(parent), {"body": "Hello"})
    assert "restricted" in " ".join(response.context["form"].non_field_errors())
    assert not Notification.objects.exists()
