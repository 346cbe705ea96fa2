"""GET / PUT / PATCH /api/v1/reminder-settings/: the organisation's reminder
settings, as on the settings page, for managers. Input goes through the
page's form, so the ranges and the order of paired reminders are one rule;
a bad value is a 400 with field errors and nothing is written.

POST /api/v1/parents/<id>/text/ and /api/v1/volunteers/<id>/text/: a
coordinator's text from the record, as on the record's "Send a text" page
(``staff_texts``), for coordinators and managers; refused with a 400 and the
reason when a text is not safe for her, nothing written."""

from __future__ import annotations

from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.decorators import api_view, permission_classes
from rest_framework.request import Request
from rest_framework.response import Response

from operations.core.api_fields import ModelSerializer, Serializer, json_type_errors
from operations.core.models import active_membership
from operations.core.permissions import IsManager, IsStaffRole
from operations.notifications import staff_texts
from operations.notifications.forms import ReminderSettingsForm
from operations.notifications.models import ReminderSettings
from operations.notifications.reminder_settings import SWITCHES, reminder_settings_for
from operations.notifications.services import reminder_settings_save
from referrals.access import get_parent_for
from volunteers.access import get_volunteer_for


class ManagersOnly(IsManager):
    message = "Only managers can change when reminders go."


class ReminderSettingsSerializer(ModelSerializer):
    """The settings' values; ``turned_off`` names the reminders not sent."""

    turned_off = serializers.ListField(
        child=serializers.ChoiceField(choices=list(SWITCHES.items())),
        required=False,
        help_text=(
            "Reminders this organisation does not send (on PUT, left out: every reminder is sent). "
            "Concerns and safety alerts cannot be turned off."
        ),
    )

    class Meta:
        model = ReminderSettings
        fields = [*ReminderSettingsForm.Meta.fields, "turned_off", "updated_at"]
        read_only_fields = ["updated_at"]


class ReminderSettingsPatchSerializer(ReminderSettingsSerializer):
    """For the schema: every field optional."""

    class Meta(ReminderSettingsSerializer.Meta):
        extra_kwargs = {name: {"required": False} for name in ReminderSettingsForm.Meta.fields}


def _send_from(turned_off) -> list[str]:
    """The form's ``send`` (the reminders that go) from the API's ``turned_off``."""
    if not isinstance(turned_off, list):
        raise serializers.ValidationError({"turned_off": ["Expected a list of reminder names."]})
    unknown = [str(name) for name in turned_off if not isinstance(name, str) or name not in SWITCHES]
    if unknown:
        raise serializers.ValidationError(
            {"turned_off": [f"Not a reminder that can be turned off: {', '.join(unknown)}."]}
        )
    return [name for name in SWITCHES if name not in turned_off]


def _form_data(instance: ReminderSettings, body: dict, *, partial: bool) -> dict:
    """The form's data: the stored values under the given ones (PATCH) or the
    given ones alone (PUT, where a missing field is an error and every
    reminder goes unless ``turned_off`` says otherwise)."""
    fields = ReminderSettingsForm.Meta.fields
    data = {name: getattr(instance, name) for name in fields} if partial else {}
    data.update({name: body[name] for name in fields if name in body})
    if "turned_off" in body:
        data["send"] = _send_from(body["turned_off"])
    else:
        data["send"] = [name for name in SWITCHES if instance.is_on(name)] if partial else list(SWITCHES)
    return data


@extend_schema(methods=["GET"], responses=ReminderSettingsSerializer)
@extend_schema(methods=["PUT"], request=ReminderSettingsSerializer, responses=ReminderSettingsSerializer)
@extend_schema(methods=["PATCH"], request=ReminderSettingsPatchSerializer, responses=ReminderSettingsSerializer)
@api_view(["GET", "PUT", "PATCH"])
@permission_classes([ManagersOnly])
def reminder_settings(request: Request) -> Response:
    membership = active_membership(request.user)
    instance = reminder_settings_for(membership.organisation_id)
    if request.method == "GET":
        return Response(ReminderSettingsSerializer(instance).data)
    if not isinstance(request.data, dict):
        return Response({"non_field_errors": ["Expected an object of settings."]}, status=400)
    if errors := json_type_errors(ReminderSettingsSerializer(), request.data):
        return Response(errors, status=400)
    data = _form_data(instance, request.data, partial=request.method == "PATCH")
    form = ReminderSettingsForm(data, instance=instance)
    if not form.is_valid():
        errors = {
            ("non_field_errors" if name == "__all__" else name): list(messages)
            for name, messages in form.errors.items()
        }
        return Response(errors, status=400)
    saved = reminder_settings_save(form=form, actor=request.user)
    return Response(ReminderSettingsSerializer(saved).data)


# --- Texting a parent or a volunteer from the record -------------------------------


class StaffTextSerializer(Serializer):
    """A text from staff: a quick text by name (in her language) or one's
    own words (``body``, which wins when both are given)."""

    body = serializers.CharField(required=False, allow_blank=True, max_length=2000, default="")
    quick_text = serializers.CharField(required=False, allow_blank=True, max_length=80, default="")
    client_key = serializers.UUIDField(
        required=False, allow_null=True, default=None, help_text="Sent twice with the same key, it is written once."
    )


class StaffTextResultSerializer(Serializer):
    notification = serializers.IntegerField(help_text="The outbox row's id (see the notification log).")
    status = serializers.CharField()
    due_at = serializers.DateTimeField(help_text="When it goes: later than now in the quiet hours.")
    held_for_quiet_hours = serializers.BooleanField()
    message = serializers.CharField(help_text="What happens next, in words.")


def _staff_text(request: Request, *, parent=None, profile=None, language: str, first_name: str) -> Response:
    if not isinstance(request.data, dict):
        return Response({"non_field_errors": ["Expected an object with body or quick_text."]}, status=400)
    if errors := json_type_errors(StaffTextSerializer(), request.data):
        return Response(errors, status=400)
    serializer = StaffTextSerializer(data=request.data)
    serializer.is_valid(raise_exception=True)
    data = serializer.validated_data
    organisation_id = (parent or profile).organisation_id
    body = data["body"]
    if not body.strip() and data["quick_text"]:
        if data["quick_text"] not in staff_texts.quick_text_names(organisation_id):
            return Response({"quick_text": ["No quick text has this name."]}, status=400)
        body = staff_texts.quick_text_for(
            organisation_id=organisation_id, name=data["quick_text"], language=language, first_name=first_name
        )
    sent = staff_texts.staff_text_send(
        actor=request.user, body=body, parent=parent, profile=profile, token=str(data["client_key"] or "")
    )
    now = timezone.now()
    return Response(
        StaffTextResultSerializer(
            {
                "notification": sent.notification.pk,
                "status": sent.notification.status,
                "due_at": sent.notification.due_at,
                "held_for_quiet_hours": sent.held_until is not None,
                "message": staff_texts.when_it_goes(sent.held_until, now),
            }
        ).data,
        status=201,
    )


@extend_schema(request=StaffTextSerializer, responses={201: StaffTextResultSerializer})
@api_view(["POST"])
@permission_classes([IsStaffRole])
def text_parent(request: Request, pk: int) -> Response:
    """Texts a parent from her record, within her safe-contact answers and
    the quiet hours (400 with the reason when a text is not safe for her)."""
    parent = get_parent_for(request.user, pk)
    return _staff_text(
        request, parent=parent, language=parent.language, first_name=parent.preferred_name or parent.first_name
    )


@extend_schema(request=StaffTextSerializer, responses={201: StaffTextResultSerializer})
@api_view(["POST"])
@permission_classes([IsStaffRole])
def text_volunteer(request: Request, pk: int) -> Response:
    """Texts a volunteer or PSO from their record (400 when they have no mobile number)."""
    profile = get_volunteer_for(request.user, pk)
    return _staff_text(request, profile=profile, language="English", first_name=profile.user.first_name)
