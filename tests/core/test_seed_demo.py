from __future__ import annotations

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command
from django.test import override_settings

from operations.core.models import Membership, Role, User


def row_counts() -> dict[str, int]:
    return {model._meta.label: model.objects.count() for model in apps.get_models()}


@pytest.mark.django_db
@override_settings(DEBUG=True)
def test_seed_demo_creates_every_role_and_running_twice_changes_nothing():
    call_command("seed_demo", verbosity=0)
    first = row_counts()
    call_command("seed_demo", verbosity=0)
    assert row_counts() == first
    for username, role in [
        ("coordinator", Role.COORDINATOR),
        ("manager", Role.MANAGER),
        ("pso", Role.PSO),
        ("volunteer", Role.VOLUNTEER),
        ("coordinator2", Role.COORDINATOR),
    ]:
        user = User.objects.get(username=username)
        assert user.check_password("demo-pass-2026")
        assert Membership.objects.get(user=user).role == role
    assert (
        User.objects.get(username="coordinator").active_organisation
        != User.objects.get(username="coordinator2").active_organisation
    )


@pytest.mark.django_db
@override_settings(DEBUG=False)
def test_seed_demo_refuses_with_debug_off_unless_forced():
    with pytest.raises(CommandError, match="Refusing to load demo data"):
        call_command("seed_demo", verbosity=0)
    assert not User.objects.exists()
    call_command("seed_demo", "--force", verbosity=0)
    assert User.objects.filter(username="coordinator").exists()


@pytest.mark.django_db
def test_a_new_organisation_starts_with_every_apps_settings_so_reading_them_never_writes():
    from operations.core.services import organisation_create
    from operations.notifications.models import ReminderSettings
    from volunteers.matching.models import MatchingSettings
    from volunteers.models import DEFAULT_COURSES, Course, LivedExperience, VolunteerSettings

    organisation = organisation_create(name="Borders Peer Support", slug="borders-peer-support")

    assert VolunteerSettings.objects.filter(organisation=organisation).exists()
    assert MatchingSettings.objects.filter(organisation=organisation).exists()
    assert ReminderSettings.objects.filter(organisation=organisation).exists()
    required = Course.objects.filter(organisation=organisation, is_required=True)
    assert sorted(required.values_list("name", flat=True)) == sorted(DEFAULT_COURSES)
    assert LivedExperience.objects.filter(organisation=organisation).count() >= 1
