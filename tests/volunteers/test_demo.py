"""The demo data shows every status and something on the compliance page."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.test import Client, override_settings

from operations.core.models import User
from volunteers.models import DisclosureTask, Status, VolunteerProfile
from volunteers.selectors import compliance_for, volunteers_for

pytestmark = pytest.mark.django_db


@override_settings(DEBUG=True)
def test_demo_volunteers_in_every_status_with_checks_lapsing():
    call_command("seed_demo", verbosity=0)
    coordinator = User.objects.get(username="coordinator")
    organisation_id = coordinator.active_organisation_id
    profiles = VolunteerProfile.objects.filter(organisation_id=organisation_id)
    assert profiles.count() == 28  # 3 PSOs and 25 volunteers
    assert set(profiles.values_list("status", flat=True)) == set(Status.values)
    for username in ("pso", "volunteer", "pso2", "volunteer2", "pso3", "volunteer3"):
        assert VolunteerProfile.objects.filter(user__username=username).exists()
    report = compliance_for(coordinator, organisation_id=organisation_id)
    assert report.pvg
    assert report.training
    assert report.supervision
    assert DisclosureTask.objects.filter(organisation_id=organisation_id).open().exists()
    rows = volunteers_for(coordinator, organisation_id=organisation_id)
    assert any(p.is_fit for p in rows)
    assert any(not p.is_fit and p.status == Status.ACTIVE for p in rows)

    for username, urls in {
        "coordinator": ["/", "/volunteers/", "/volunteers/compliance/", "/volunteers/supervision/new/"],
        "manager": ["/", "/volunteers/", "/volunteers/compliance/"],
        "pso": ["/", "/volunteers/", "/volunteers/supervision/new/"],
        "volunteer": ["/"],
    }.items():
        client = Client()
        client.force_login(User.objects.get(username=username))
        for url in urls:
            assert client.get(url).status_code == 200, (username, url)
