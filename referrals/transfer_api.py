"""API of transfers to another organisation: /api/v1/transfers/.

Coordinators and managers of the sending or the receiving organisation
(``Transfer.objects.visible_to``). Until a transfer is accepted the
receiving side reads the proposal only (council area, stage, service asked
for, reason); the summary and the safeguarding note appear for the sending
side, and for the receiving side once it has taken the family. Writes go
through ``referrals.transfers``; refusals are 400s with field errors."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from operations.core.api_fields import ModelSerializer, Serializer, id_field
from operations.core.models import Organisation, Service, active_membership
from operations.core.permissions import IsStaffRole
from referrals import transfers
from referrals.models import Referral, Transfer, TransferStatus

#: Shown to the receiving side only once it has accepted.
NOTES = ("include_needs", "summary_note", "safeguarding_note")


class TransferSerializer(ModelSerializer):
    sending_organisation = serializers.CharField(source="sending_organisation.name", read_only=True)
    receiving_organisation = serializers.CharField(source="receiving_organisation.name", read_only=True)
    council_area = serializers.CharField(source="council_area.name", read_only=True, default=None, allow_null=True)
    service_kind = serializers.CharField(read_only=True, help_text="The kind of service asked for (a service kind).")
    referral = serializers.SerializerMethodField(help_text="The sending side's referral id (sending side only).")
    new_referral = serializers.IntegerField(
        source="new_referral_id",
        read_only=True,
        allow_null=True,
        help_text="The receiving side's new referral, once accepted (receiving side only).",
    )
    # Null for the receiving side until it has accepted.
    include_needs = serializers.BooleanField(read_only=True, allow_null=True)
    summary_note = serializers.CharField(read_only=True, allow_null=True)
    safeguarding_note = serializers.CharField(read_only=True, allow_null=True)

    class Meta:
        model = Transfer
        fields = [
            "id",
            "status",
            "sending_organisation",
            "receiving_organisation",
            "referral",
            "council_area",
            "stage",
            "service_kind",
            "reason",
            "consent_recorded_at",
            "proposed_at",
            "decided_at",
            "decision_reason",
            "new_referral",
            *NOTES,
        ]
        read_only_fields = fields

    def _incoming(self, transfer: Transfer) -> bool:
        membership = active_membership(self.context["request"].user)
        return membership is not None and membership.organisation_id == transfer.receiving_organisation_id

    @extend_schema_field({"type": "integer", "nullable": True})
    def get_referral(self, transfer: Transfer) -> int | None:
        return None if self._incoming(transfer) else transfer.referral_id

    def to_representation(self, transfer: Transfer) -> dict:
        data = super().to_representation(transfer)
        incoming = self._incoming(transfer)
        if incoming and transfer.status != TransferStatus.ACCEPTED:
            for field in NOTES:
                data[field] = None
        if not incoming:
            data["new_referral"] = None
        return data


class ProposeSerializer(Serializer):
    referral = id_field(help_text="The id of your organisation's open referral.")
    receiving_organisation = id_field(help_text="The id of the organisation the family is moving to.")
    reason = serializers.CharField(max_length=transfers.REASON_MAX, allow_blank=True, default="")
    consent = serializers.BooleanField(default=False, help_text="The parent agreed to the transfer.")
    include_needs = serializers.BooleanField(default=False)
    summary_note = serializers.CharField(allow_blank=True, default="")
    safeguarding_note = serializers.CharField(allow_blank=True, default="")


class AcceptSerializer(Serializer):
    service = id_field(help_text="The id of your organisation's service that will support the family.")
    eligibility_override_reason = serializers.CharField(allow_blank=True, default="")


class DeclineSerializer(Serializer):
    reason = serializers.CharField(max_length=transfers.REASON_MAX, allow_blank=True, default="")


class TransferViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Transfers the caller's organisation sends or receives."""

    permission_classes = [IsStaffRole]
    serializer_class = TransferSerializer

    def get_queryset(self):
        return Transfer.objects.visible_to(self.request.user).select_related(
            "sending_organisation", "receiving_organisation", "council_area"
        )

    def _data(self, transfer: Transfer) -> dict:
        return TransferSerializer(
            transfers.get_transfer_for(self.request.user, transfer.pk), context={"request": self.request}
        ).data

    @extend_schema(request=ProposeSerializer, responses={201: TransferSerializer})
    def create(self, request: Request) -> Response:
        body = ProposeSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        referral = Referral.objects.visible_to(request.user).filter(pk=data.pop("referral")).first()
        if referral is None:
            raise serializers.ValidationError({"referral": "No referral with this id in your organisation."})
        receiving = Organisation.objects.filter(pk=data.pop("receiving_organisation")).first()
        if receiving is None:
            raise serializers.ValidationError({"receiving_organisation": "No organisation with this id."})
        transfer = transfers.transfer_propose(
            actor=request.user, referral=referral, receiving_organisation=receiving, **data
        )
        return Response(self._data(transfer), status=201)

    @extend_schema(request=AcceptSerializer, responses=TransferSerializer)
    @action(detail=True, methods=["post"])
    def accept(self, request: Request, pk=None) -> Response:
        transfer = self.get_object()
        body = AcceptSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        service = Service.objects.visible_to(request.user).filter(pk=body.validated_data["service"]).first()
        if service is None:
            raise serializers.ValidationError({"service": "Choose a service of your organisation."})
        transfer = transfers.transfer_accept(
            actor=request.user,
            transfer=transfer,
            service=service,
            eligibility_override_reason=body.validated_data["eligibility_override_reason"],
        )
        return Response(self._data(transfer))

    @extend_schema(request=DeclineSerializer, responses=TransferSerializer)
    @action(detail=True, methods=["post"])
    def decline(self, request: Request, pk=None) -> Response:
        transfer = self.get_object()
        body = DeclineSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        transfer = transfers.transfer_decline(
            actor=request.user, transfer=transfer, reason=body.validated_data["reason"]
        )
        return Response(self._data(transfer))

    @extend_schema(request=None, responses=TransferSerializer)
    @action(detail=True, methods=["post"])
    def withdraw(self, request: Request, pk=None) -> Response:
        transfer = transfers.transfer_withdraw(actor=request.user, transfer=self.get_object())
        return Response(self._data(transfer))
