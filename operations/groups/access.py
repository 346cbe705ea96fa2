"""One access helper per object: scoped through ``visible_to``, 404 otherwise."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from operations.core.models import STAFF_ROLES, active_membership
from operations.groups.models import Booking, BookingChild, Group, GroupSession


def is_staff(user) -> bool:
    membership = active_membership(user)
    return membership is not None and membership.role in STAFF_ROLES


def get_group_for(user, pk: int) -> Group:
    return get_object_or_404(Group.objects.visible_to(user).select_related("service", "council_area"), pk=pk)


def get_session_for(user, pk: int) -> GroupSession:
    return get_object_or_404(GroupSession.objects.visible_to(user).select_related("group"), pk=pk)


def get_booking_for(user, pk: int) -> Booking:
    return get_object_or_404(Booking.objects.visible_to(user).select_related("session", "session__group"), pk=pk)


def get_booking_child_for(user, pk: int) -> BookingChild:
    visible = Booking.objects.visible_to(user).values("pk")
    return get_object_or_404(BookingChild.objects.select_related("booking"), pk=pk, booking__in=visible)


def require_staff(user) -> None:
    if not is_staff(user):
        raise PermissionDenied("Only coordinators and managers can do this.")
