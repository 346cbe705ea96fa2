"""The manager's safeguarding settings: the leads and the deputy, what
"danger now" tells people before anything is sent, and when an
unacknowledged concern escalates."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from operations.core.access import manager_required, require_membership
from operations.core.forms import apply_service_errors
from volunteers.safeguarding import services
from volunteers.safeguarding.forms import SafeguardingSettingsForm


@manager_required
def safeguarding_settings(request: HttpRequest) -> HttpResponse:
    membership = require_membership(request)
    config = services.settings_for(membership.organisation_id)
    form = SafeguardingSettingsForm(request.POST or None, instance=config)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        leads, deputy = list(data.pop("leads")), data.pop("deputy")
        try:
            # A fresh row: the form's instance already holds the submitted values.
            services.safeguarding_settings_save(
                actor=request.user,
                config=services.settings_for(membership.organisation_id),
                data=data,
                leads=leads,
                deputy=deputy,
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(
                request,
                "Safeguarding settings saved. Concerns raised from now on escalate on the new times; "
                "those already raised keep theirs.",
            )
            return redirect("safeguarding:settings")
    status = 400 if request.method == "POST" else 200
    return render(request, "safeguarding/settings.html", {"form": form}, status=status)
