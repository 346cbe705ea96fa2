"""What the matching app does when an organisation is created, and when a
public online form was sent: it calls a service."""

from __future__ import annotations

from volunteers.matching.services import (
    matches_end_for_transfer,
    matching_needs_from_online_form,
    matching_settings_create,
)


def make_matching_settings(sender, *, organisation, **kwargs) -> None:
    matching_settings_create(organisation_id=organisation.pk)


def record_online_lived_experience(sender, *, submission_id: int, lived_experience_ids=(), **kwargs) -> None:
    matching_needs_from_online_form(submission_id=submission_id, lived_experience_ids=lived_experience_ids)


def end_matches_of_transferred_family(sender, *, transfer_id: int, actor, **kwargs) -> None:
    matches_end_for_transfer(actor=actor, transfer_id=transfer_id)
