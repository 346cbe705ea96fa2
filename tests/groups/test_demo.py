"""The demo data shows groups as the review describes them."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.test import override_settings

from operations.groups.models import Booking, BookingStatus, Format, Group, HeadCount

pytestmark = pytest.mark.django_db


@override_settings(DEBUG=True)
def test_demo_groups_with_a_creche_a_drop_in_an_online_group_and_fathers():
    call_command("seed_demo", verbosity=0)
    groups = Group.objects.all()
    assert groups.filter(creche_on=True, transport_offered=True).exists()
    assert groups.filter(format=Format.DROP_IN).exists()
    assert groups.filter(format=Format.ONLINE).exclude(joining_link="").exists()
    assert groups.filter(audience="fathers").exists()
    assert HeadCount.objects.exists()
    assert Booking.objects.filter(status=BookingStatus.WAITING).exists()
    assert Booking.objects.filter(parent__isnull=False).exists()
    full = [
        s
        for g in groups.exclude(format=Format.DROP_IN)
        for s in g.sessions.all()
        if s.bookings.filter(status=BookingStatus.BOOKED).count() == s.adult_places
    ]
    assert full, "at least one session is full"
