"""The audit log page for managers, and audited permission changes."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.db import connection
from django.urls import reverse

from operations.core.audit import AuditAction, AuditEvent, audit_log
from operations.core.models import Membership, Role
from operations.core.services import membership_update
from tests.factories import ReferralFactory, UserFactory

URL = reverse("audit-log")


def rows(response) -> list[AuditEvent]:
    return list(response.context["page"].object_list)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("persona", "status"),
    [("volunteer_client", 403), ("pso_client", 403), ("coordinator_client", 403), ("manager_client", 200)],
)
def test_only_managers_open_the_audit_log(request, persona, status):
    assert request.getfixturevalue(persona).get(URL).status_code == status


@pytest.mark.django_db
def test_anonymous_is_sent_to_sign_in(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.django_db
def test_a_manager_sees_only_their_organisations_events(manager_client, coordinator, other_coordinator, service):
    audit_log(action=AuditAction.VIEW, actor=coordinator, obj=service)
    audit_log(action=AuditAction.VIEW, actor=other_coordinator, summary="elsewhere")
    response = manager_client.get(URL)
    # The manager's own sign-in (force_login) is in the log too.
    assert {event.actor_username for event in rows(response)} == {"coordinator", "manager"}
    assert "elsewhere" not in response.content.decode()
    assert f"Service {service.name} (#{service.pk})" in response.content.decode()


@pytest.mark.django_db
def test_search_by_username_action_record_type_and_dates(manager_client, coordinator, pso, service, organisation):
    with_time = [
        (dt.datetime(2026, 1, 10, 12, tzinfo=dt.UTC), coordinator, AuditAction.VIEW, service),
        (dt.datetime(2026, 2, 10, 12, tzinfo=dt.UTC), coordinator, AuditAction.CHANGE, service),
        (dt.datetime(2026, 3, 10, 12, tzinfo=dt.UTC), pso, AuditAction.VIEW, None),
    ]
    for created_at, actor, action, obj in with_time:
        event = audit_log(action=action, actor=actor, obj=obj, organisation=organisation)
        # Events are append-only through the ORM: the test backdates them in SQL.
        with connection.cursor() as cursor:
            cursor.execute("UPDATE core_auditevent SET created_at = %s WHERE id = %s", [created_at, event.pk])

    def found(**params) -> int:
        response = manager_client.get(URL, params)
        assert response.status_code == 200
        return len(rows(response))

    assert found() == 4  # with the manager's own sign-in today
    assert found(actor="COORDINATOR") == 2
    assert found(action="change") == 1
    assert found(object_type="core.Service") == 2
    assert found(date_from="2026-02-01", action="view") == 1
    assert found(date_from="2026-02-01", date_to="2026-02-28") == 1
    assert found(actor="pso", action="view", date_to="2026-03-10") == 1


@pytest.mark.django_db
def test_bad_search_input_is_a_field_error(manager_client, coordinator):
    audit_log(action=AuditAction.LOGIN, actor=coordinator)
    response = manager_client.get(URL, {"date_from": "2026-05-01", "date_to": "2026-04-01", "action": "hack"})
    assert response.status_code == 200
    form = response.context["form"]
    assert "date_to" in form.errors
    assert "action" in form.errors
    assert rows(response) == []
    assert manager_client.get(URL, {"date_from": "not a date"}).status_code == 200
    assert manager_client.get(URL, {"page": "999"}).status_code == 200


@pytest.mark.django_db
def test_pages_of_fifty(manager_client, coordinator):
    for _ in range(55):
        audit_log(action=AuditAction.LOGIN, actor=coordinator)
    first = manager_client.get(URL, {"actor": "coordinator"})
    assert len(rows(first)) == 50
    assert "actor=coordinator&amp;page=2" in first.content.decode()
    assert len(rows(manager_client.get(URL, {"actor": "coordinator", "page": 2}))) == 5


@pytest.mark.django_db
def test_query_count_does_not_grow_with_events(
    manager_client, coordinator, organisation, service, django_assert_num_queries
):
    """Each record is named in words with one query per kind of record on
    the page, however many events there are of each."""
    for events in (3, 40):
        for _ in range(events):
            referral = ReferralFactory(organisation=organisation, service=service)
            audit_log(action=AuditAction.VIEW, actor=coordinator, obj=service)
            audit_log(action=AuditAction.CHANGE, actor=coordinator, obj=referral)
            audit_log(action=AuditAction.VIEW, actor=coordinator, obj=referral.parent)
        manager_client.get(URL)  # warm-up: the first view fills per-process caches
        # 1 session, 2 user, 3 membership, 4 count of events (the pager),
        # 5 the bell, 6 the page of events, 7-9 the services, referrals
        # (with their parents) and parents named on it.
        with django_assert_num_queries(9):
            assert manager_client.get(URL).status_code == 200


@pytest.mark.django_db
def test_records_are_named_in_words_with_a_link_to_what_the_manager_may_open(
    manager_client, coordinator, organisation, other_organisation, service
):
    referral = ReferralFactory(organisation=organisation, service=service, parent__preferred_name="Yaz")
    elsewhere = ReferralFactory(organisation=other_organisation)
    audit_log(action=AuditAction.CHANGE, actor=coordinator, obj=referral)
    # Another organisation's record in this organisation's log (as after a
    # move between branches): named by its kind and number, no link.
    audit_log(action=AuditAction.VIEW, actor=coordinator, obj=elsewhere, organisation=organisation)
    audit_log(action=AuditAction.LOGIN, actor=coordinator)
    page = manager_client.get(URL).content.decode()
    detail = reverse("referrals:referral-detail", args=[referral.pk])
    assert f'<a href="{detail}">Referral of Yaz {referral.parent.last_name} (#{referral.pk})</a>' in page
    assert f"<td>Referral #{elsewhere.pk}</td>" in page
    assert reverse("referrals:referral-detail", args=[elsewhere.pk]) not in page
    assert "referrals.Referral" not in re.sub(r"<[^>]*>", " ", page)  # only in the filter's option values


@pytest.mark.django_db
def test_the_record_filter_offers_words_and_finds_by_kind(manager_client, coordinator, organisation, service):
    referral = ReferralFactory(organisation=organisation, service=service)
    audit_log(action=AuditAction.CHANGE, actor=coordinator, obj=referral)
    audit_log(action=AuditAction.VIEW, actor=coordinator, obj=service)
    response = manager_client.get(URL)
    choices = dict(
        choice for _group, options in response.context["form"].fields["object_type"].choices[1:] for choice in options
    )
    assert choices["referrals.Referral"] == "Referral"
    assert choices["referrals.Parent"] == "Parent"
    assert choices["core.Service"] == "Service"
    assert choices["outcomes.SafetyAlert"] == "Safety alert"
    assert choices["volunteers.PvgRecord"] == "PVG record"
    assert choices["otp_totp.TOTPDevice"] == "Authenticator app"
    groups = [group for group, _options in response.context["form"].fields["object_type"].choices[1:]]
    for words in [*groups, *choices.values()]:
        assert not re.search(r"[_.]", words), words
    page = response.content.decode()
    assert '<option value="core.Service">Service</option>' in page
    assert "For example core.Service" not in page
    found = manager_client.get(URL, {"object_type": "referrals.Referral"})
    assert [event.object_id for event in rows(found)] == [str(referral.pk)]
    assert "object_type" in manager_client.get(URL, {"object_type": "core.service"}).context["form"].errors


@pytest.mark.django_db
def test_nobody_edits_the_log_through_the_admin(client, coordinator, manager_client):
    event = audit_log(action=AuditAction.LOGIN, actor=coordinator)
    assert manager_client.get(reverse("admin:core_auditevent_changelist")).status_code in {302, 403}
    root = UserFactory(username="root", is_superuser=True, is_staff=True)
    client.force_login(root)
    assert client.get(reverse("admin:core_auditevent_add")).status_code == 403
    assert client.get(reverse("admin:core_auditevent_delete", args=[event.pk])).status_code == 403
    view = client.get(reverse("admin:core_auditevent_change", args=[event.pk]))
    assert view.status_code == 200  # read-only view
    client.post(reverse("admin:core_auditevent_change", args=[event.pk]), {"summary": "rewritten"})
    assert AuditEvent.objects.get(pk=event.pk).summary == ""


@pytest.mark.django_db
def test_a_role_change_in_the_admin_is_audited_without_names(manager, manager_client, volunteer):
    membership = Membership.objects.get(user=volunteer)
    url = reverse("admin:core_membership_change", args=[membership.pk])
    response = manager_client.post(url, {"organisation": membership.organisation_id, "role": "pso", "is_active": "on"})
    assert response.status_code == 302
    membership.refresh_from_db()
    assert membership.role == Role.PSO
    event = AuditEvent.objects.get(action=AuditAction.PERMISSION)
    assert event.actor == manager
    assert event.object_type == "core.Membership"
    assert event.object_id == str(membership.pk)
    assert event.summary == "Membership role Volunteer -> Perinatal Support Officer"
    assert volunteer.first_name not in event.summary


@pytest.mark.django_db
def test_deactivation_is_audited_and_an_unchanged_save_is_not(manager, volunteer):
    membership = Membership.objects.get(user=volunteer)
    membership_update(membership=membership, role=membership.role, is_active=True, actor=manager)
    assert not AuditEvent.objects.filter(action=AuditAction.PERMISSION).exists()
    membership_update(membership=membership, role=membership.role, is_active=False, actor=manager)
    assert AuditEvent.objects.get(action=AuditAction.PERMISSION).summary == "Membership deactivated"


@pytest.mark.django_db
def test_a_bad_role_is_refused_and_nothing_is_written(manager, volunteer):
    from django.core.exceptions import ValidationError

    membership = Membership.objects.get(user=volunteer)
    with pytest.raises(ValidationError):
        membership_update(membership=membership, role="overlord", is_active=True, actor=manager)
    assert Membership.objects.get(pk=membership.pk).role == Role.VOLUNTEER
    assert not AuditEvent.objects.filter(action=AuditAction.PERMISSION).exists()


@pytest.mark.django_db
def test_a_superuser_changing_account_flags_is_audited(client, volunteer):
    root = UserFactory(username="root", is_superuser=True, is_staff=True)
    client.force_login(root)
    url = reverse("admin:core_user_change", args=[volunteer.pk])
    form = client.get(url).context["adminform"].form
    data = {name: value for name, value in form.initial.items() if value is not None and name != "password"}
    data.update(
        {
            "username": volunteer.username,
            "date_joined_0": volunteer.date_joined.strftime("%d/%m/%Y"),
            "date_joined_1": volunteer.date_joined.strftime("%H:%M:%S"),
            "is_active": "on",
            "is_staff": "on",
            "groups": [],
            "user_permissions": [],
            "active_organisation": volunteer.active_organisation_id,
        }
    )
    data.pop("last_login", None)
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    event = AuditEvent.objects.get(action=AuditAction.PERMISSION)
    assert event.summary == "User account changed: is_staff"
    assert event.actor == root


@pytest.mark.django_db
def test_a_new_membership_is_audited_with_its_role(manager, organisation):
    newcomer = UserFactory(username="newcomer")
    membership = membership_update(
        membership=Membership(user=newcomer, organisation=organisation),
        role=Role.COORDINATOR,
        is_active=True,
        actor=manager,
    )
    event = AuditEvent.objects.get(action=AuditAction.PERMISSION)
    assert event.object_id == str(membership.pk)
    assert event.summary == "Membership created with the role Coordinator"
