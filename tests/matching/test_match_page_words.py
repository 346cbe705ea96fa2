"""The match page asks what it means: whether messages may say who they are
from, naming the organisation as the parent would hear it."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from referrals.models import Parent
from tests.factories import MatchFactory
from tests.volunteers.helpers import make_profile

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("may_name", "answer"), [(True, "may say they are from"), (False, "must not say they are from")]
)
def test_the_volunteer_reads_whether_messages_may_say_who_they_are_from(
    organisation, volunteer, volunteer_client, may_name, answer
):
    profile = make_profile(organisation=organisation, user=volunteer, today=timezone.localdate())
    match = MatchFactory(organisation=organisation, volunteer=profile)
    Parent.objects.filter(pk=match.parent_id).update(
        may_name_service=may_name, contact_safety_recorded_at=timezone.now()
    )
    page = volunteer_client.get(reverse("matching:match-detail", args=[match.pk])).content.decode()
    assert f"Messages {answer} {organisation.name}." in page
    assert "Name the service?" not in page
