"""The scale data set for groups loads, with exact totals, and its sessions
keep the database's rules (a crèche has two adults, sessions end after they start)."""

from __future__ import annotations

import pytest

from operations.core import scale as core_scale
from operations.groups import scale
from operations.groups.models import Booking, BookingChild, GroupSession

pytestmark = pytest.mark.django_db


def test_scale_seed_at_a_tiny_size():
    context = core_scale.seed_base(0.004, log=lambda _: None)
    scale.seed(context)
    assert GroupSession.objects.count() == context.count("group_sessions")
    assert Booking.objects.count() == context.count("bookings")
    assert BookingChild.objects.exists()
    assert all(s.creche_adult_count >= 2 for s in GroupSession.objects.filter(creche_on=True))
