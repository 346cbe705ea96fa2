from __future__ import annotations

from django.contrib import admin
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest

from operations.core.models import Role, active_membership


class OperationsAdminSite(admin.AdminSite):
    """Django admin for managers, scoped to their organisation.

    Managers reach it through their membership rather than ``is_staff``;
    superusers (the people running the installation) see everything."""

    site_header = "Peer support administration"
    site_title = "Peer support admin"
    index_title = "Settings and records of your organisation"

    def has_permission(self, request: HttpRequest) -> bool:
        user = request.user
        if not user.is_active:
            return False
        if user.is_superuser:
            return True
        membership = active_membership(user)
        return membership is not None and membership.role == Role.MANAGER

    def login(self, request, extra_context=None):
        # One login page for the whole site.
        return redirect_to_login(request.get_full_path())
