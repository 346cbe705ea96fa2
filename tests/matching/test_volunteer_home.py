"""The volunteer's home opens on her families (issue 23): each with its next
visit, its last contact and a "Log a contact" button, above supervision,
training and groups; "Raise a concern" stays above them."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from tests.factories import ContactLogFactory, MatchFactory, ParentFactory, ReferralFactory
from tests.volunteers.helpers import make_profile

pytestmark = pytest.mark.django_db


def test_the_home_opens_on_the_families_with_their_last_contact(organisation, volunteer, volunteer_client):
    today = timezone.localdate()
    profile = make_profile(organisation=organisation, user=volunteer, today=today)
    parent = ParentFactory(organisation=organisation, preferred_name="Eilidh")
    match = MatchFactory(
        organisation=organisation,
        referral=ReferralFactory(organisation=organisation, parent=parent),
        parent=parent,
        volunteer=profile,
    )
    quiet = MatchFactory(organisation=organisation, volunteer=profile)
    for days_ago in (9, 2, 5):
        ContactLogFactory(match=match, contact_date=today - dt.timedelta(days=days_ago))
    home = volunteer_client.get(reverse("home")).content.decode()
    concern, families, supervision, groups = (
        home.index("Raise a concern"),
        home.index("Your families"),
        home.index("Your supervision"),
        home.index("Groups you help at"),
    )
    assert concern < families < supervision < groups
    panel = home[families:supervision]
    eilidh = panel.split("Eilidh")[1].split("</li>")[0]
    assert f"last contact {date_format(today - dt.timedelta(days=2), 'j M Y')}" in eilidh
    assert reverse("matching:contact-log-new", args=[match.pk]) in eilidh
    other = panel.split(reverse("matching:match-detail", args=[quiet.pk]))[1].split("</li>")[0]
    assert "no contact logged yet" in other
