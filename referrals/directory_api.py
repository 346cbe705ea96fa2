"""API of the referrer directory: /api/v1/referring-organisations/ (the teams
that refer) and /api/v1/referrers/ (their people). Coordinators and managers
only (``IsStaffRole``); every queryset goes through ``visible_to``, so another
organisation's entry is a 404. Writes go through ``referrals.referrers``: a
broken rule is a 400 with field errors. Nothing is deleted: set
``is_active`` false to take an entry off the pickers."""

from __future__ import annotations

from django.db.models import Count
from drf_spectacular.utils import extend_schema, extend_schema_field, extend_schema_view
from rest_framework import mixins, serializers, viewsets

from operations.core.api import ScopedViewSetMixin
from operations.core.api_fields import ModelSerializer, QueryParameters, id_field
from operations.core.models import active_membership
from operations.core.permissions import IsStaffRole
from operations.core.searching import MAX_QUERY_LENGTH
from referrals import referrers
from referrals.models import Referrer, ReferrerKind, ReferringOrganisation


class ReferringOrganisationSerializer(ModelSerializer):
    kind = serializers.ChoiceField(choices=ReferrerKind.choices, required=False, default=ReferrerKind.OTHER)

    class Meta:
        model = ReferringOrganisation
        fields = ["id", "name", "kind", "email", "phone", "is_active", "created_at"]
        read_only_fields = ["created_at"]
        # The service checks the name (case ignored) and the phone, and says which field.
        validators: list = []
        extra_kwargs = {"phone": {"validators": []}}


class ReferrerSerializer(ModelSerializer):
    referring_organisation = serializers.PrimaryKeyRelatedField(
        queryset=ReferringOrganisation.objects.none(),
        required=False,
        allow_null=True,
        error_messages={
            "does_not_exist": "Choose a team of your organisation's directory.",
            "incorrect_type": "Give the team's id.",
        },
        help_text="The referrer's team (GET /api/v1/referring-organisations/), or null.",
    )
    team = serializers.SerializerMethodField(help_text="The team's name; blank without a team.")
    referrals_made = serializers.IntegerField(read_only=True, help_text="How many referrals they made.")

    class Meta:
        model = Referrer
        fields = [
            "id",
            "name",
            "role",
            "referring_organisation",
            "team",
            "email",
            "phone",
            "is_active",
            "referrals_made",
            "created_at",
        ]
        read_only_fields = ["created_at"]
        validators: list = []
        extra_kwargs = {"phone": {"validators": []}}

    def get_team(self, referrer: Referrer) -> str:
        team = referrer.referring_organisation
        return team.name if team is not None else ""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            self.fields["referring_organisation"].queryset = ReferringOrganisation.objects.visible_to(request.user)


#: Some text that is not only spaces, without the control characters no
#: query string may carry (``RefuseControlCharacters``): what ``q`` accepts.
_NOT_CONTROL = r"[^\x00-\x1f\x7f]"
SEARCH_PATTERN = rf"^{_NOT_CONTROL}*[^\s\x00-\x1f\x7f]{_NOT_CONTROL}*$"


@extend_schema_field({"type": "string", "minLength": 1, "maxLength": MAX_QUERY_LENGTH, "pattern": SEARCH_PATTERN})
class SearchField(serializers.CharField):
    """Part of a name, case ignored; an empty search is a mistake, as for every filter."""

    def __init__(self, **kwargs) -> None:
        super().__init__(required=False, max_length=MAX_QUERY_LENGTH, **kwargs)


class ReferringOrganisationFilters(QueryParameters):
    q = SearchField(help_text="Part of the team's name.")
    is_active = serializers.BooleanField(required=False, help_text="true: active teams only; false: deactivated.")


class ReferrerFilters(QueryParameters):
    q = SearchField(help_text="Part of the person's name.")
    referring_organisation = id_field(required=False, help_text="A team's id: its people.")
    is_active = serializers.BooleanField(required=False, help_text="true: active referrers only; false: deactivated.")


class _DirectoryViewSet(
    ScopedViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    permission_classes = [IsStaffRole]
    filter_lookups = {"q": "name__icontains"}

    @property
    def organisation(self):
        return active_membership(self.request.user).organisation


@extend_schema_view(list=extend_schema(parameters=[ReferringOrganisationFilters]))
class ReferringOrganisationViewSet(_DirectoryViewSet):
    """The teams that refer to the caller's organisation (a health visiting
    team, a GP practice …). Names are unique in the directory, case ignored."""

    model = ReferringOrganisation
    serializer_class = ReferringOrganisationSerializer
    ordering = ("name", "pk")
    filters = ReferringOrganisationFilters

    def perform_create(self, serializer) -> None:
        serializer.instance = referrers.referring_organisation_save(
            actor=self.request.user, organisation=self.organisation, data=dict(serializer.validated_data)
        )

    def perform_update(self, serializer) -> None:
        serializer.instance = referrers.referring_organisation_save(
            actor=self.request.user,
            organisation=self.organisation,
            data=dict(serializer.validated_data),
            team=serializer.instance,
        )


@extend_schema_view(list=extend_schema(parameters=[ReferrerFilters]))
class ReferrerViewSet(_DirectoryViewSet):
    """The people who refer to the caller's organisation, with their team:
    work details only. Likely duplicates are merged on the directory page."""

    model = Referrer
    serializer_class = ReferrerSerializer
    ordering = ("name", "pk")
    filters = ReferrerFilters

    def shape(self, queryset):
        return queryset.select_related("referring_organisation").annotate(referrals_made=Count("referrals"))

    def _saved(self, serializer, referrer: Referrer | None) -> None:
        saved = referrers.referrer_save(
            actor=self.request.user,
            organisation=self.organisation,
            data=dict(serializer.validated_data),
            referrer=referrer,
        )
        # Read back with the count the list shows.
        serializer.instance = self.get_queryset().get(pk=saved.pk)

    def perform_create(self, serializer) -> None:
        self._saved(serializer, None)

    def perform_update(self, serializer) -> None:
        self._saved(serializer, serializer.instance)
