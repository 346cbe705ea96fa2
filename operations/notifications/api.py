"""GET / PUT / PATCH /api/v1/reminder-settings/: the organisation's reminder
settings, as on the settings page, for managers. Input goes through the
page's form, so the ranges and the order of paired reminders are one rule;
a bad value is a 400 with field errors and nothing is written."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.decorators import api_view, permission_classes
from rest_framework.request import Request
from rest_framework.response import Response

from operations.core.api_fields import ModelSerializer, json_type_errors
from operations.core.models import active_membership
from operations.core.permissions import IsManager
from operations.notifications.forms import ReminderSettingsForm
from operations.notifications.models import ReminderSettings
from operations.notifications.reminder_settings import SWITCHES, reminder_settings_for
from operations.notifications.services import reminder_settings_save


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
