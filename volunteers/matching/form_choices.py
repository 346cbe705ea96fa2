"""Option lists this app offers to lower layers' forms (found by
``operations.core.form_choices``): the public online referral forms
(referrals/online/) ask which lived experience the parent would like her
volunteer to share. The chosen ids come back in the ``submission_received``
signal and ``receivers.record_online_lived_experience`` records them."""

from __future__ import annotations

from operations.core.models import Organisation
from volunteers.models import LivedExperience


def lived_experience_options(organisation: Organisation) -> list[tuple[int, str]]:
    # Public: the organisation's own words for experiences, nothing about anyone.
    return list(LivedExperience.objects.filter(organisation=organisation).order_by("name").values_list("pk", "name"))


CHOICES = {"lived-experience": [lived_experience_options]}
