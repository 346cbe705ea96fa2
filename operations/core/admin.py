from __future__ import annotations

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin

from operations.core.audit import AuditAction, AuditEvent, audit_log
from operations.core.models import (
    CouncilArea,
    Federation,
    FederationMembership,
    Membership,
    Organisation,
    Role,
    Service,
    User,
    WorkerHeartbeat,
    active_membership,
)


def _is_manager(request) -> bool:
    membership = active_membership(request.user)
    return membership is not None and membership.role == Role.MANAGER


class OrganisationScopedAdmin(admin.ModelAdmin):
    """Admin for a model owned by an organisation: a manager sees and edits
    only their organisation's rows; new rows join their organisation."""

    organisation_field = "organisation"

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if request.user.is_superuser:
            return queryset
        membership = active_membership(request.user)
        if membership is None:
            return queryset.none()
        return queryset.filter(**{f"{self.organisation_field}_id": membership.organisation_id})

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        # A manager's forms offer only their own organisation, so the model's
        # unique and check constraints are validated on the form as usual.
        if db_field.name == self.organisation_field and not request.user.is_superuser:
            membership = active_membership(request.user)
            organisation_id = membership.organisation_id if membership else None
            kwargs["queryset"] = Organisation.objects.filter(pk=organisation_id)
            kwargs["initial"] = organisation_id
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def has_module_permission(self, request) -> bool:
        return request.user.is_superuser or _is_manager(request)

    def has_view_permission(self, request, obj=None) -> bool:
        return self.has_module_permission(request)

    def has_add_permission(self, request) -> bool:
        return self.has_module_permission(request)

    def has_change_permission(self, request, obj=None) -> bool:
        return self.has_module_permission(request)

    def has_delete_permission(self, request, obj=None) -> bool:
        # Records are ended or deactivated, not deleted, except by the installation's superuser.
        return request.user.is_superuser


@admin.register(Service)
class ServiceAdmin(OrganisationScopedAdmin):
    list_display = ["name", "kind", "is_active", "policy_summary"]
    list_filter = ["kind", "is_active"]
    search_fields = ["name"]

    def save_model(self, request, obj, form, change) -> None:
        from operations.core.services import service_saved

        super().save_model(request, obj, form, change)
        service_saved(service=obj, created=not change)


@admin.register(Membership)
class MembershipAdmin(OrganisationScopedAdmin):
    list_display = ["user", "role", "is_active", "created_at"]
    list_filter = ["role", "is_active"]
    search_fields = ["user__username", "user__first_name", "user__last_name"]
    autocomplete_fields: list[str] = []

    def get_readonly_fields(self, request, obj=None):
        # A manager changes roles of existing members; adding people to an
        # organisation stays with whoever runs the installation for now.
        return ["user"] if obj is not None and not request.user.is_superuser else []

    def has_add_permission(self, request) -> bool:
        return request.user.is_superuser

    def save_model(self, request, obj, form, change) -> None:
        # Role and active changes go through the service, which audits them.
        from operations.core.services import membership_update

        membership_update(membership=obj, role=obj.role, is_active=obj.is_active, actor=request.user)


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """View-only, for the installation's superusers. Managers use /audit/;
    nobody adds, changes or deletes audit events through the application."""

    list_display = ["created_at", "actor_username", "organisation", "action", "object_type", "object_id", "summary"]
    list_filter = ["action"]
    search_fields = ["actor_username", "object_type", "object_id"]
    date_hierarchy = "created_at"

    def has_module_permission(self, request) -> bool:
        return request.user.is_superuser

    def has_view_permission(self, request, obj=None) -> bool:
        return request.user.is_superuser

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "member_of", "shares_with_federation", "charity_number"]
    filter_horizontal = ["council_areas"]
    prepopulated_fields = {"slug": ["name"]}

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if request.user.is_superuser:
            return queryset
        membership = active_membership(request.user)
        return queryset.filter(pk=membership.organisation_id) if membership else queryset.none()

    def get_readonly_fields(self, request, obj=None):
        # Sharing is the member's manager's switch (/federation/sharing/,
        # audited); which federation a branch belongs to, the superuser's.
        readonly = ["shares_with_federation"]
        if not request.user.is_superuser:
            readonly.append("member_of")
        return readonly

    def has_module_permission(self, request) -> bool:
        return request.user.is_superuser or _is_manager(request)

    has_view_permission = OrganisationScopedAdmin.has_view_permission
    has_change_permission = OrganisationScopedAdmin.has_change_permission

    def has_add_permission(self, request) -> bool:
        return request.user.is_superuser

    def has_delete_permission(self, request, obj=None) -> bool:
        return request.user.is_superuser

    def save_model(self, request, obj, form, change) -> None:
        moved = change and "member_of" in form.changed_data
        if moved:
            # A branch joining (or leaving) a federation shares nothing until
            # its manager says so.
            obj.shares_with_federation = False
        super().save_model(request, obj, form, change)
        if moved:
            audit_log(
                action=AuditAction.CHANGE,
                actor=request.user,
                obj=obj,
                organisation=obj,
                summary=f"Federation set to {obj.member_of.name}" if obj.member_of else "Federation removed",
            )
        if not change:
            # Every app makes the new organisation's settings with their defaults.
            from operations.core.services import organisation_set_up

            organisation_set_up(organisation=obj)


class SuperuserOnlyAdmin(admin.ModelAdmin):
    """For the installation's superusers only (federations and their officers)."""

    def has_module_permission(self, request) -> bool:
        return request.user.is_superuser

    def has_view_permission(self, request, obj=None) -> bool:
        return request.user.is_superuser

    def has_add_permission(self, request) -> bool:
        return request.user.is_superuser

    def has_change_permission(self, request, obj=None) -> bool:
        return request.user.is_superuser

    def has_delete_permission(self, request, obj=None) -> bool:
        return request.user.is_superuser


class FederationOfficerInline(admin.TabularInline):
    model = FederationMembership
    extra = 1
    autocomplete_fields = ["user"]
    verbose_name = "federation officer"
    verbose_name_plural = "federation officers (people who see the sharing members' figures, suppressed)"


@admin.register(Federation)
class FederationAdmin(SuperuserOnlyAdmin):
    """A federation, its officers and (read only here) its members: a branch
    joins a federation on its organisation page; it shares only when its
    manager switches sharing on."""

    list_display = ["name", "slug", "created_at"]
    prepopulated_fields = {"slug": ["name"]}
    search_fields = ["name"]
    inlines = [FederationOfficerInline]

    def save_formset(self, request, form, formset, change) -> None:
        super().save_formset(request, form, formset, change)
        changes = [
            *((officer, "added to") for officer in formset.new_objects),
            *((officer, "changed at") for officer, _ in formset.changed_objects),
            *((officer, "removed from") for officer in formset.deleted_objects),
        ]
        for officer, what in changes:
            audit_log(
                action=AuditAction.PERMISSION,
                actor=request.user,
                obj=officer,
                summary=f"Federation officer {what} {officer.federation.name}",
            )


@admin.register(CouncilArea)
class CouncilAreaAdmin(admin.ModelAdmin):
    list_display = ["name", "gss_code", "health_board"]
    search_fields = ["name", "gss_code"]

    def has_module_permission(self, request) -> bool:
        return request.user.is_superuser or _is_manager(request)

    def has_view_permission(self, request, obj=None) -> bool:
        return self.has_module_permission(request)

    def has_add_permission(self, request) -> bool:
        return False  # reference data, loaded by a migration

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    fieldsets = (*DjangoUserAdmin.fieldsets, ("Organisation", {"fields": ("active_organisation",)}))

    #: Fields whose change is a permission change, audited as one.
    permission_fields = ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")

    def save_related(self, request, form, formsets, change) -> None:
        super().save_related(request, form, formsets, change)
        changed = [name for name in self.permission_fields if name in form.changed_data]
        if change and changed:
            audit_log(
                action=AuditAction.PERMISSION,
                actor=request.user,
                obj=form.instance,
                summary="User account changed: " + ", ".join(changed),
            )


@admin.register(WorkerHeartbeat)
class WorkerHeartbeatAdmin(admin.ModelAdmin):
    list_display = ["name", "seen_at"]
