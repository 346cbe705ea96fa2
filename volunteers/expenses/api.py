"""API of volunteer expenses: claims (a volunteer's own; every claim of the
organisation for coordinators and managers), their decisions, their receipt
photos, and payment batches (coordinators and managers).

Every queryset goes through ``visible_to``; writes go through the services,
whose ValidationError is a 400 with field errors. A receipt photo is served
by ``claims/{id}/receipt/`` to whoever may see the claim (the claimant and
her organisation's staff), never cached; nothing else links to the file."""

from __future__ import annotations

from django.http import FileResponse
from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_field
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from operations.core.api import ScopedViewSetMixin
from operations.core.api_fields import ModelSerializer, Serializer
from operations.core.permissions import IsMember, IsStaffRole
from volunteers.expenses import receipts, selectors, services, targets
from volunteers.expenses.models import ClaimStatus, ExpenseClaim, Kind, PaymentBatch
from volunteers.matching.api import pattern_choice


@extend_schema_field(OpenApiTypes.INT)
class LinkedIdField(serializers.Field):
    """The id of the plug-in's record a claim is for (``volunteers.expenses.targets``), or null."""

    def __init__(self, target_name: str, **kwargs) -> None:
        self.target_name = target_name
        super().__init__(source="*", allow_null=True, **kwargs)

    def to_representation(self, claim: ExpenseClaim) -> int | None:
        linked = targets.targets()[self.target_name].linked(claim)
        return linked[0] if linked else None


class ClaimSerializer(ModelSerializer):
    kind = pattern_choice(Kind.choices, read_only=True)
    status = pattern_choice(ClaimStatus.choices, read_only=True)
    status_words = serializers.CharField(source="get_status_display", read_only=True)
    what = serializers.CharField(source="what_words", read_only=True)
    for_what = serializers.CharField(
        source="for_words",
        read_only=True,
        help_text='In words: "Home visit, 2 Mar 2027" or "Bumps and Babies, 3 Mar 2027".',
    )
    amount = serializers.SerializerMethodField()
    category = serializers.CharField(source="category.name", read_only=True, default=None)
    volunteer_name = serializers.SerializerMethodField()
    receipt_url = serializers.SerializerMethodField()

    class Meta:
        model = ExpenseClaim
        fields = [
            "id",
            "kind",
            "status",
            "status_words",
            "what",
            "for_what",
            "volunteer",
            "volunteer_name",
            "contact_log",
            "service",
            "spent_on",
            "miles",
            "pence_per_mile",
            "from_place",
            "to_place",
            "category",
            "amount_pence",
            "amount",
            "note",
            "receipt_url",
            "submitted_at",
            "decided_at",
            "decision_note",
            "batch",
            "paid_on",
        ]
        read_only_fields = fields

    def get_fields(self):
        # Each plug-in's id (``group_session``) beside ``contact_log``: null when not claimed against one.
        fields = super().get_fields()
        for name in targets.targets():
            fields[name] = LinkedIdField(name, read_only=True)
        return fields

    def get_amount(self, claim: ExpenseClaim) -> str:
        """In pounds, as a decimal string: "5.63"."""
        return f"{claim.amount_pence / 100:.2f}"

    def get_volunteer_name(self, claim: ExpenseClaim) -> str:
        user = claim.volunteer.user
        return user.get_full_name() or user.get_username()

    def get_receipt_url(self, claim: ExpenseClaim) -> str | None:
        return reverse("api-expense-claim-receipt", args=[claim.pk]) if claim.receipt_file else None


class ClaimCreateSerializer(Serializer):
    """A claim: mileage (``miles``) or an out-of-pocket cost (``amount`` in
    pounds, ``category`` id, ``receipt`` photo sent as multipart form data),
    for one of the caller's contact logs (``contact_log``) or one of her
    group sessions (``group_session``), exactly one."""

    kind = pattern_choice(Kind.choices)
    contact_log = serializers.IntegerField(
        required=False, allow_null=True, help_text="One of the caller's own contact logs."
    )
    miles = serializers.DecimalField(max_digits=5, decimal_places=1, required=False, allow_null=True)
    from_place = serializers.CharField(max_length=100, required=False, allow_blank=True)
    to_place = serializers.CharField(max_length=100, required=False, allow_blank=True)
    category = serializers.IntegerField(required=False, allow_null=True)
    amount = serializers.DecimalField(max_digits=7, decimal_places=2, required=False, allow_null=True)
    spent_on = serializers.DateField(required=False, allow_null=True)
    note = serializers.CharField(max_length=300, required=False, allow_blank=True)
    receipt = serializers.FileField(required=False, allow_null=True)

    def get_fields(self):
        # What a plug-in offers to claim against (``group_session``), instead of ``contact_log``.
        fields = super().get_fields()
        for name, target in targets.targets().items():
            fields[name] = serializers.IntegerField(
                required=False,
                allow_null=True,
                help_text=f"Instead of contact_log: one of the caller's {target.label.lower()}.",
            )
        return fields


class QuestionSerializer(Serializer):
    question = serializers.CharField(max_length=500, allow_blank=True)


class ReasonSerializer(Serializer):
    reason = serializers.CharField(max_length=500, allow_blank=True)


class ClaimViewSet(
    ScopedViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Claims the caller may see, newest first: her own for a volunteer or
    PSO; the organisation's for coordinators and managers, who decide them
    (never their own)."""

    model = ExpenseClaim
    serializer_class = ClaimSerializer
    permission_classes = [IsMember]
    parser_classes = [JSONParser, MultiPartParser, FormParser]

    def shape(self, queryset):
        return queryset.select_related(*selectors.ROW, *targets.related_paths())

    def _answer(self, claim: ExpenseClaim, code: int = status.HTTP_200_OK) -> Response:
        fresh = self.get_queryset().get(pk=claim.pk)
        return Response(ClaimSerializer(fresh, context=self.get_serializer_context()).data, status=code)

    @extend_schema(request={"multipart/form-data": ClaimCreateSerializer, "application/json": ClaimCreateSerializer})
    def create(self, request: Request, *args, **kwargs) -> Response:
        body = ClaimCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        upload = data.pop("receipt", None)
        claim = services.claim_submit(
            actor=request.user, data=data, upload=upload, upload_size=upload.size if upload is not None else None
        )
        return self._answer(claim, status.HTTP_201_CREATED)

    def _decidable(self) -> ExpenseClaim:
        claim = self.get_object()
        if not IsStaffRole().has_permission(self.request, self):
            self.permission_denied(self.request, message="Only a coordinator or a manager can decide a claim.")
        return claim

    @extend_schema(request=None, responses=ClaimSerializer)
    @action(detail=True, methods=["post"])
    def approve(self, request: Request, pk=None) -> Response:
        return self._answer(services.claim_approve(actor=request.user, claim=self._decidable()))

    @extend_schema(request=QuestionSerializer, responses=ClaimSerializer)
    @action(detail=True, methods=["post"])
    def query(self, request: Request, pk=None) -> Response:
        """Queried with a question; the volunteer changes the claim and sends it again."""
        claim = self._decidable()
        body = QuestionSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        return self._answer(services.claim_query(actor=request.user, claim=claim, **body.validated_data))

    @extend_schema(request=ReasonSerializer, responses=ClaimSerializer)
    @action(detail=True, methods=["post"])
    def reject(self, request: Request, pk=None) -> Response:
        claim = self._decidable()
        body = ReasonSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        return self._answer(services.claim_reject(actor=request.user, claim=claim, **body.validated_data))

    @extend_schema(
        responses={
            (200, "image/*"): OpenApiTypes.BINARY,
            404: OpenApiResponse(description="No such claim for you, or it has no receipt photo"),
        }
    )
    @action(detail=True, methods=["get"])
    def receipt(self, request: Request, pk=None) -> FileResponse:
        """The receipt photo: to the claimant and her organisation's coordinators and managers only."""
        claim = self.get_object()
        return receipts.receipt_response(claim.receipt_file, content_type=claim.receipt_content_type, claim_id=claim.pk)


class PayeeSerializer(Serializer):
    name = serializers.CharField()
    reference = serializers.CharField()
    claims = serializers.ListField(child=serializers.IntegerField())
    total_pence = serializers.IntegerField()


class BatchSerializer(ModelSerializer):
    payees = serializers.SerializerMethodField()

    class Meta:
        model = PaymentBatch
        fields = ["id", "created_at", "claim_count", "total_pence", "paid_on", "payees"]
        read_only_fields = fields

    @extend_schema_field(PayeeSerializer(many=True))
    def get_payees(self, batch: PaymentBatch) -> list[dict]:
        return selectors.batch_payees(batch)


class PaidSerializer(Serializer):
    paid_on = serializers.DateField(required=False, help_text="Today unless given.")


class BatchViewSet(
    ScopedViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Payment batches, for coordinators and managers: POST makes one of
    every approved claim not yet in a batch; ``paid`` marks it paid, once."""

    model = PaymentBatch
    serializer_class = BatchSerializer
    permission_classes = [IsStaffRole]

    @extend_schema(request=None, responses={201: BatchSerializer})
    def create(self, request: Request, *args, **kwargs) -> Response:
        batch = services.batch_create(actor=request.user)
        return Response(self.get_serializer(batch).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=PaidSerializer, responses=BatchSerializer)
    @action(detail=True, methods=["post"])
    def paid(self, request: Request, pk=None) -> Response:
        batch = self.get_object()
        body = PaidSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        batch = services.batch_mark_paid(actor=request.user, batch=batch, paid_on=body.validated_data.get("paid_on"))
        return Response(self.get_serializer(batch).data)
