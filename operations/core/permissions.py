"""DRF permissions: every endpoint needs an active membership; writes and
staff-only resources add a role check. Object scoping is the queryset's job
(``visible_to``), so an object of another organisation is a 404, never a 403."""

from __future__ import annotations

from rest_framework.permissions import SAFE_METHODS, BasePermission

from operations.core.models import Role, active_membership


class IsMember(BasePermission):
    message = "You are not a member of an organisation in this system."

    def has_permission(self, request, view) -> bool:
        return active_membership(request.user) is not None


class IsStaffRole(IsMember):
    message = "Only coordinators and managers can do this."

    def has_permission(self, request, view) -> bool:
        membership = active_membership(request.user)
        return membership is not None and membership.is_staff_role


class IsManager(IsMember):
    """Managers only; a subclass names what for in its message."""

    message = "Only managers can do this."

    def has_permission(self, request, view) -> bool:
        membership = active_membership(request.user)
        return membership is not None and membership.role == Role.MANAGER


class ManagersWrite(IsMember):
    """Any member reads; only managers write."""

    message = "Only managers can change this."

    def has_permission(self, request, view) -> bool:
        membership = active_membership(request.user)
        if membership is None:
            return False
        return request.method in SAFE_METHODS or membership.role == Role.MANAGER
