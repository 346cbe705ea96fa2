"""API: /api/v1/groups/, /api/v1/group-sessions/ (with places left) and
/api/v1/bookings/ (create, cancel, mark attendance). Every queryset goes
through ``visible_to``: another organisation's rows are a 404. Coordinators
and managers book and cancel; facilitators read their registers (names and
crèche children only) and mark attendance."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from operations.core.api import ScopedViewSetMixin
from operations.core.api_fields import ModelSerializer, QueryParameters, Serializer, id_field
from operations.core.models import Service, User, active_membership
from operations.core.permissions import IsMember, IsStaffRole
from operations.groups import selectors, services
from operations.groups.access import is_staff
from operations.groups.forms import facilitator_choices
from operations.groups.models import Booking, BookingChild, Group, GroupSession
from referrals.models import Parent


class GroupSerializer(ModelSerializer):
    schedule = serializers.CharField(source="schedule_summary", read_only=True)
    facilitators = serializers.PrimaryKeyRelatedField(many=True, queryset=User.objects.all(), required=False)
    creche_adults = serializers.PrimaryKeyRelatedField(many=True, queryset=User.objects.all(), required=False)

    class Meta:
        model = Group
        fields = [
            "id",
            "name",
            "service",
            "description",
            "audience",
            "young_parent_age_limit",
            "format",
            "stage",
            "venue_name",
            "venue_address",
            "council_area",
            "step_free_access",
            "transport_offered",
            "joining_link",
            "recurrence",
            "weekday",
            "week_of_month",
            "start_time",
            "end_time",
            "starts_on",
            "ends_on",
            "schedule",
            "adult_places",
            "creche_on",
            "creche_adults",
            "creche_child_cap",
            "facilitators",
            "professional_facilitators",
            "is_active",
        ]
        read_only_fields = ["id", "schedule"]

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            self.fields["service"].queryset = Service.objects.visible_to(request.user)
            # Offer (and accept) only the caller's organisation's volunteers and
            # PSOs: never every user of the installation, not even as a choice
            # in the browsable API's form.
            membership = active_membership(request.user)
            people = facilitator_choices(membership.organisation_id) if membership else User.objects.none()
            for name in ("facilitators", "creche_adults"):
                relation = self.fields[name].child_relation
                relation.queryset = people
                relation.error_messages["does_not_exist"] = "Choose volunteers or PSOs of your organisation."


class CrecheBandsSerializer(Serializer):
    under_2 = serializers.IntegerField()
    two_to_3 = serializers.IntegerField()
    three_plus = serializers.IntegerField()


class PlacesLeftSerializer(Serializer):
    adults = serializers.IntegerField()
    creche = CrecheBandsSerializer()
    waiting = serializers.IntegerField()
    creche_adults_fit = serializers.IntegerField(
        help_text="Adults on the crèche rota fit to work with children now: only they count toward its staffing."
    )
    creche_adults_needed = serializers.IntegerField(help_text="Adults the booked children need.")


class GroupSessionSerializer(ModelSerializer):
    group_name = serializers.CharField(source="group.name", read_only=True)
    places_left = serializers.SerializerMethodField()

    class Meta:
        model = GroupSession
        fields = [
            "id",
            "group",
            "group_name",
            "starts_at",
            "ends_at",
            "status",
            "changed",
            "note",
            "adult_places",
            "creche_on",
            "creche_adult_count",
            "creche_child_cap",
            "places_left",
        ]
        read_only_fields = fields

    @extend_schema(responses=PlacesLeftSerializer)
    def get_places_left(self, session: GroupSession) -> dict:
        loads = self.context.get("loads") or {}
        load = loads.get(session.pk) or selectors.load_of(session)
        return {
            "adults": load.adult_places_left,
            "creche": {
                "under_2": load.child_places_left["under_2"],
                "two_to_3": load.child_places_left["2_to_3"],
                "three_plus": load.child_places_left["3_plus"],
            },
            "waiting": load.waiting,
            "creche_adults_fit": load.fit_creche_adults,
            "creche_adults_needed": load.creche_adults_needed,
        }


class BookingChildSerializer(ModelSerializer):
    class Meta:
        model = BookingChild
        fields = ["id", "first_name", "date_of_birth", "present"]
        read_only_fields = ["id", "present"]


class BookingSerializer(ModelSerializer):
    session = serializers.PrimaryKeyRelatedField(queryset=GroupSession.objects.none())
    parent = serializers.PrimaryKeyRelatedField(queryset=Parent.objects.none(), required=False, allow_null=True)
    children = BookingChildSerializer(many=True, required=False)
    name = serializers.CharField(source="display_name", read_only=True)

    class Meta:
        model = Booking
        fields = [
            "id",
            "session",
            "parent",
            "name",
            "attendee_name",
            "attendee_phone",
            "attendee_consent",
            "transport_needed",
            "children",
            "audience_override_reason",
            "status",
            "walk_in",
            "waiting_since",
            "created_at",
        ]
        read_only_fields = ["id", "status", "walk_in", "waiting_since", "created_at"]
        extra_kwargs = {
            "audience_override_reason": {
                "help_text": "Only for a parent outside the group's audience: a coordinator's or manager's reason."
            }
        }

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            self.fields["session"].queryset = GroupSession.objects.visible_to(request.user)
            self.fields["parent"].queryset = Parent.objects.visible_to(request.user)


class RegisterBookingSerializer(ModelSerializer):
    """What a facilitator sees: the register, no contact details."""

    name = serializers.CharField(source="display_name", read_only=True)
    children = BookingChildSerializer(many=True, read_only=True)

    class Meta:
        model = Booking
        # The timestamps are the booking's own, not the attendee's: always sent,
        # so a booking reads the same shape for every role, bar contact details.
        fields = [
            "id",
            "session",
            "name",
            "transport_needed",
            "children",
            "status",
            "walk_in",
            "waiting_since",
            "created_at",
        ]
        read_only_fields = fields


class CancelSessionSerializer(Serializer):
    note = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")


class AttendanceSerializer(Serializer):
    attended = serializers.BooleanField()


class GroupViewSet(
    ScopedViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Groups: members read what they may see; coordinators and managers
    create and change them (sessions for the weeks ahead follow)."""

    model = Group
    ordering = ("name", "pk")
    serializer_class = GroupSerializer

    def get_permissions(self):
        if self.action in ("create", "update", "partial_update"):
            return [IsStaffRole()]
        return [IsMember()]

    def shape(self, queryset):
        return queryset.prefetch_related("facilitators", "creche_adults")

    @staticmethod
    def _split(validated: dict) -> tuple[dict, list, list]:
        data = dict(validated)
        return data, list(data.pop("facilitators", [])), list(data.pop("creche_adults", []))

    def create(self, request: Request, *args, **kwargs) -> Response:
        body = self.get_serializer(data=request.data)
        body.is_valid(raise_exception=True)
        data, facilitators, creche_adults = self._split(body.validated_data)
        group = services.group_create(
            organisation=active_membership(request.user).organisation,
            actor=request.user,
            data=data,
            facilitators=facilitators,
            creche_adults=creche_adults,
        )
        return Response(self.get_serializer(self.get_queryset().get(pk=group.pk)).data, status.HTTP_201_CREATED)

    def update(self, request: Request, *args, **kwargs) -> Response:
        group = self.get_object()
        body = self.get_serializer(group, data=request.data, partial=kwargs.get("partial", False))
        body.is_valid(raise_exception=True)
        current = {name: getattr(group, name) for name in services.GROUP_FIELDS}
        data, facilitators, creche_adults = self._split(body.validated_data)
        if "facilitators" not in body.validated_data:
            facilitators = list(group.facilitators.all())
        if "creche_adults" not in body.validated_data:
            creche_adults = list(group.creche_adults.all())
        services.group_update(
            group=group,
            actor=request.user,
            data={**current, **data},
            facilitators=facilitators,
            creche_adults=creche_adults,
        )
        return Response(self.get_serializer(self.get_queryset().get(pk=group.pk)).data)


class GroupSessionFilters(QueryParameters):
    group = id_field(required=False, help_text="Only this group's sessions.")
    upcoming = serializers.BooleanField(required=False, help_text="Only sessions that have not started.")


@extend_schema_view(list=extend_schema(parameters=[GroupSessionFilters]))
class GroupSessionViewSet(viewsets.ReadOnlyModelViewSet):
    """Sessions with places left (adults, and crèche places by age band).
    Filter with ``?group=<id>`` and ``?upcoming=1``."""

    serializer_class = GroupSessionSerializer
    permission_classes = [IsMember]

    def get_queryset(self):
        sessions = (
            GroupSession.objects.visible_to(self.request.user).select_related("group").order_by("starts_at", "pk")
        )
        if self.action == "list":
            filters = GroupSessionFilters.of(self.request)
            if "group" in filters:
                sessions = sessions.filter(group_id=filters["group"])
            if filters.get("upcoming"):
                sessions = sessions.upcoming()
        return sessions

    @extend_schema(request=CancelSessionSerializer, responses=GroupSessionSerializer)
    @action(detail=True, methods=["post"], permission_classes=[IsStaffRole])
    def cancel(self, request: Request, pk: str | None = None) -> Response:
        """Cancels this one session; the group's others are untouched."""
        session = self.get_object()
        body = CancelSessionSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        services.session_cancel(session=session, actor=request.user, note=body.validated_data["note"])
        return Response(GroupSessionSerializer(self.get_queryset().get(pk=session.pk)).data)

    def list(self, request: Request, *args, **kwargs) -> Response:
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        rows = page if page is not None else list(self.get_queryset())
        context = {**self.get_serializer_context(), "loads": selectors.loads_for(rows)}
        data = GroupSessionSerializer(rows, many=True, context=context).data
        return self.get_paginated_response(data) if page is not None else Response(data)


class BookingFilters(QueryParameters):
    session = id_field(required=False, help_text="Only this session's bookings.")


@extend_schema_view(list=extend_schema(parameters=[BookingFilters]))
class BookingViewSet(
    ScopedViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Bookings: coordinators and managers create and cancel; facilitators
    of the group read the register and mark attendance."""

    model = Booking
    ordering = ("session_id", "created_at", "pk")
    filters = BookingFilters
    filter_lookups = {"session": "session_id"}
    permission_classes = [IsMember]

    def get_permissions(self):
        if self.action in ("create", "cancel"):
            return [IsStaffRole()]
        return [IsMember()]

    def get_serializer_class(self):
        if self.action in ("list", "retrieve", "attendance") and not is_staff(self.request.user):
            return RegisterBookingSerializer
        return BookingSerializer

    def shape(self, queryset):
        return queryset.select_related("parent").prefetch_related("children")

    def create(self, request: Request, *args, **kwargs) -> Response:
        body = BookingSerializer(data=request.data, context=self.get_serializer_context())
        body.is_valid(raise_exception=True)
        data = body.validated_data
        booking = services.booking_create(
            session_id=data["session"].pk,
            actor=request.user,
            parent=data.get("parent"),
            attendee_name=data.get("attendee_name", ""),
            attendee_phone=data.get("attendee_phone", ""),
            attendee_consent=data.get("attendee_consent", False),
            children=[
                services.CrecheChild(first_name=child["first_name"], date_of_birth=child["date_of_birth"])
                for child in data.get("children", [])
            ],
            transport_needed=data.get("transport_needed", False),
            audience_override_reason=data.get("audience_override_reason", ""),
        )
        booking = self.get_queryset().get(pk=booking.pk)
        return Response(BookingSerializer(booking, context=self.get_serializer_context()).data, status.HTTP_201_CREATED)

    @extend_schema(request=None, responses=BookingSerializer)
    @action(detail=True, methods=["post"])
    def cancel(self, request: Request, pk: str | None = None) -> Response:
        booking = self.get_object()
        services.booking_cancel(booking=booking, actor=request.user)
        booking = self.get_queryset().get(pk=booking.pk)
        return Response(BookingSerializer(booking, context=self.get_serializer_context()).data)

    @extend_schema(request=AttendanceSerializer, responses=RegisterBookingSerializer)
    @action(detail=True, methods=["post"])
    def attendance(self, request: Request, pk: str | None = None) -> Response:
        booking = self.get_object()
        body = AttendanceSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        services.booking_mark_attendance(booking=booking, attended=body.validated_data["attended"], actor=request.user)
        booking = self.get_queryset().get(pk=booking.pk)
        return Response(RegisterBookingSerializer(booking).data)
