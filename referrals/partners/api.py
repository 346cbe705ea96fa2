"""The partner API: /api/v1/partner/referrals/. A referring team's system
makes referrals (once per ``Idempotency-Key``) and reads the state of the
referrals its team made, and nothing else; it signs in with its partner
token only (``referrals.partners.auth``)."""

from __future__ import annotations

import hashlib
import json
import re
from datetime import date

from django.utils import timezone
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import exceptions, mixins, serializers, status, viewsets
from rest_framework.parsers import JSONParser
from rest_framework.request import Request
from rest_framework.response import Response

from operations.core.api_fields import ModelSerializer, Serializer
from operations.core.audit import AuditAction, audit_log
from operations.core.models import CouncilArea, Service
from referrals.for_referrers import referral_reference, status_for_referrer
from referrals.models import Parent, Urgency
from referrals.partners import services
from referrals.partners.auth import IsPartner, PartnerTokenAuthentication
from referrals.partners.models import PartnerReferral
from referrals.services import CONTACT_SAFETY_FIELDS, PARENT_DETAIL_FIELDS
from referrals.workflow import Status

IDEMPOTENCY_HEADER = "Idempotency-Key"
#: A key is the partner's own: printable ASCII without spaces, as most systems make them (UUIDs, record ids).
IDEMPOTENCY_KEY = re.compile(r"^[\x21-\x7e]{1,200}$")
REPLAYED_HEADER = "Idempotent-Replayed"

#: What a partner may say about the parent: who she is, where, how to reach her safely.
PARTNER_PARENT_FIELDS = (
    # The intake's parent details, but not her role in the family (partners refer mothers).
    *(field for field in PARENT_DETAIL_FIELDS if field != "role"),
    *CONTACT_SAFETY_FIELDS,
)


class KeyReused(exceptions.APIException):
    status_code = status.HTTP_422_UNPROCESSABLE_ENTITY
    default_detail = (
        "This Idempotency-Key was already used with a different request. Use a new key for a new referral; "
        "send exactly the same request to read the result of the first one."
    )
    default_code = "idempotency_key_reused"


class CannotTake(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = (
        "The charity cannot take this referral through the API. Please contact them directly; nothing was recorded."
    )
    default_code = "cannot_take_referral"


class PartnerParentSerializer(ModelSerializer):
    council_area = serializers.SlugRelatedField(
        slug_field="gss_code",
        queryset=CouncilArea.objects.all(),
        required=False,
        allow_null=True,
        help_text="The council area's GSS code, e.g. S12000026 (Scottish Borders).",
    )

    class Meta:
        model = Parent
        fields = list(PARTNER_PARENT_FIELDS)
        validators: list = []


class PartnerChildSerializer(Serializer):
    due_date = serializers.DateField(required=False, allow_null=True)
    birth_date = serializers.DateField(required=False, allow_null=True)


class PartnerReferralCreateSerializer(Serializer):
    service = serializers.PrimaryKeyRelatedField(
        queryset=Service.objects.none(),
        help_text="The id of one of the charity's services (the charity tells you which).",
        error_messages={"does_not_exist": "No service with this id takes referrals.", "incorrect_type": "Give the id."},
    )
    parent = PartnerParentSerializer()
    child = PartnerChildSerializer(required=False, help_text="The pregnancy (due date) or the child (birth date).")
    reason = serializers.CharField(required=False, allow_blank=True, default="", max_length=4000)
    urgency = serializers.ChoiceField(choices=Urgency.choices, required=False, default=Urgency.ROUTINE)
    consent_to_contact = serializers.BooleanField(
        help_text="The parent agreed to be referred and to be contacted by the charity: must be true."
    )
    referrer_updates_consent = serializers.BooleanField(
        required=False,
        default=False,
        help_text="The parent agreed that the referrer may hear how the referral goes (updates by email "
        "to the credential's named referrer).",
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        credential = self.context.get("credential")  # absent only when the schema is generated
        if credential is not None:
            self.fields["service"].queryset = Service.objects.filter(
                organisation_id=credential.organisation_id
            ).active()

    def validate_consent_to_contact(self, value: bool) -> bool:
        if not value:
            raise serializers.ValidationError("Send a referral only once the parent has agreed: this must be true.")
        return value


class PartnerReferralSerializer(Serializer):
    id = serializers.IntegerField(source="referral.id", read_only=True, help_text="The referral's record number.")
    reference = serializers.SerializerMethodField(help_text="The reference the charity's emails and staff use.")
    idempotency_key = serializers.CharField(source="key", read_only=True, help_text="Your key for this referral.")
    service = serializers.IntegerField(source="referral.service_id", read_only=True)
    service_name = serializers.CharField(source="referral.service.name", read_only=True)
    status = serializers.ChoiceField(choices=Status.choices, source="referral.status", read_only=True)
    status_text = serializers.SerializerMethodField(help_text="The state in words, as the referrer's link shows it.")
    received_on = serializers.DateField(source="referral.received_on", read_only=True)
    last_changed_on = serializers.SerializerMethodField()

    def get_reference(self, record: PartnerReferral) -> str:
        return referral_reference(record.referral_id)

    def get_status_text(self, record: PartnerReferral) -> str:
        return status_for_referrer(record.referral.status)

    def get_last_changed_on(self, record: PartnerReferral) -> date:
        return timezone.localtime(record.referral.status_changed_at).date()


def request_hash(data) -> str:
    """The request as sent, whatever the order of its keys or its spacing."""
    canonical = json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)
    return hashlib.sha256(canonical.encode()).hexdigest()


def idempotency_key(request: Request) -> str:
    key = request.headers.get(IDEMPOTENCY_HEADER, "")
    if not key:
        raise serializers.ValidationError(
            {IDEMPOTENCY_HEADER: ["Send an Idempotency-Key header: a new unique value (a UUID) per referral."]}
        )
    if not IDEMPOTENCY_KEY.match(key):
        raise serializers.ValidationError(
            {IDEMPOTENCY_HEADER: ["An Idempotency-Key is 1 to 200 printable characters without spaces."]}
        )
    return key


EXAMPLE_REQUEST = {
    "service": 3,
    "parent": {
        "first_name": "Morven",
        "last_name": "Example",
        "date_of_birth": "1996-04-12",
        "phone": "07700 900123",
        "town": "Galashiels",
        "postcode": "TD1 1AB",
        "council_area": "S12000026",
        "safe_sms": True,
        "safe_phone": True,
        "best_contact_times": "Weekday mornings",
    },
    "child": {"due_date": "2028-05-03"},
    "reason": "Low mood since the scan; would like someone to talk to.",
    "urgency": 3,
    "consent_to_contact": True,
    "referrer_updates_consent": True,
}
EXAMPLE_RESPONSE = {
    "id": 1234,
    "reference": "#1234",
    "idempotency_key": "9f1c2a8e-3b0d-4c1e-9a57-2f6a1d3e8b40",
    "service": 3,
    "service_name": "Befriending",
    "status": "received",
    "status_text": "Received: the charity will contact the parent",
    "received_on": "2028-02-14",
    "last_changed_on": "2028-02-14",
}
UNAUTHORISED = OpenApiResponse(description="No partner token, or one that is not valid or was revoked.")


@extend_schema_view(
    list=extend_schema(
        summary="The referrals your team made",
        description="Newest first: their state in words and dates only.",
        responses={200: PartnerReferralSerializer(many=True)},
        examples=[
            OpenApiExample(
                "A referral waiting for a volunteer",
                value={**EXAMPLE_RESPONSE, "status": "waiting", "status_text": "Waiting for a volunteer"},
                response_only=True,
            )
        ],
    ),
    retrieve=extend_schema(
        summary="One referral your team made",
        examples=[OpenApiExample("A referral just received", value=EXAMPLE_RESPONSE, response_only=True)],
    ),
)
class PartnerReferralViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Referrals made by a referring team's system. A referral of another
    team, or made on the charity's pages, is not found (404)."""

    authentication_classes = [PartnerTokenAuthentication]
    permission_classes = [IsPartner]
    parser_classes = [JSONParser]
    serializer_class = PartnerReferralSerializer
    lookup_field = "referral_id"
    lookup_url_kwarg = "id"
    lookup_value_regex = r"[0-9]{1,18}"

    def get_queryset(self):
        return (
            PartnerReferral.objects.made_by(self.request.auth)
            .select_related("referral__service")
            .order_by("-created_at", "-pk")
        )

    def retrieve(self, request: Request, *args, **kwargs) -> Response:
        record = self.get_object()
        audit_log(
            action=AuditAction.VIEW,
            obj=record.referral,
            organisation=record.referral.organisation_id,
            summary="Referral state read by a partner system",
        )
        return Response(self.get_serializer(record).data)

    @extend_schema(
        summary="Make a referral",
        description=(
            "Makes a referral from your team, once per Idempotency-Key: the same key with the same body again "
            "returns the same referral (201, with Idempotent-Replayed: true) and makes no second one; the same key "
            "with another body is refused (422). A refusal writes nothing, and its key stays free."
        ),
        parameters=[
            OpenApiParameter(
                IDEMPOTENCY_HEADER,
                location=OpenApiParameter.HEADER,
                required=True,
                description="A new unique value (a UUID) per referral, sent again unchanged when retrying.",
                pattern=IDEMPOTENCY_KEY.pattern,
                examples=[OpenApiExample("A UUID", value="9f1c2a8e-3b0d-4c1e-9a57-2f6a1d3e8b40")],
            )
        ],
        request=PartnerReferralCreateSerializer,
        responses={
            201: PartnerReferralSerializer,
            401: UNAUTHORISED,
            409: OpenApiResponse(description=CannotTake.default_detail),
            422: OpenApiResponse(description=KeyReused.default_detail),
        },
        examples=[
            OpenApiExample("A pregnant mother referred by a health visitor", value=EXAMPLE_REQUEST, request_only=True),
            OpenApiExample("The referral made", value=EXAMPLE_RESPONSE, response_only=True, status_codes=["201"]),
        ],
    )
    def create(self, request: Request, *args, **kwargs) -> Response:
        credential = request.auth
        key = idempotency_key(request)
        fingerprint = request_hash(request.data)
        earlier = self.get_queryset().filter(credential=credential, key=key).first()
        if earlier is not None:
            return self._replayed(earlier, fingerprint)
        body = PartnerReferralCreateSerializer(data=request.data, context={"credential": credential})
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        parent = dict(data.pop("parent"))
        child = {k: v for k, v in (data.pop("child", None) or {}).items() if v}
        try:
            record, created = services.partner_referral_create(
                credential=credential,
                key=key,
                request_hash=fingerprint,
                service=data["service"],
                data=data,
                parent_data={k: v for k, v in parent.items() if k not in CONTACT_SAFETY_FIELDS},
                child_data=child or None,
                safety_data={k: v for k, v in parent.items() if k in CONTACT_SAFETY_FIELDS},
            )
        except services.IdempotencyKeyReused:
            raise KeyReused from None
        except services.AlreadyReferred:
            raise CannotTake from None
        if not created:
            return self._replayed(record, fingerprint)
        return Response(PartnerReferralSerializer(record).data, status=status.HTTP_201_CREATED)

    def _replayed(self, record: PartnerReferral, fingerprint: str) -> Response:
        if record.request_hash != fingerprint:
            raise KeyReused
        response = Response(PartnerReferralSerializer(record).data, status=status.HTTP_201_CREATED)
        response[REPLAYED_HEADER] = "true"
        return response
