"""Demo data of the coverage room, called by `manage.py seed_demo`: births
for last year in each demo organisation's council areas, so the coverage
page shows rates per 1,000 births. Illustrative round figures of the right
size, not the published statistics. Idempotent."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from operations.coverage.models import AreaBirths

#: GSS code -> an illustrative number of births a year.
ILLUSTRATIVE_BIRTHS = {
    "S12000026": 950,  # Scottish Borders
    "S12000049": 5800,  # Glasgow City
    "S12000036": 4600,  # City of Edinburgh
    "S12000042": 1300,  # Dundee City
    "S12000041": 900,  # Angus
    "S12000048": 1200,  # Perth and Kinross
    "S12000047": 3300,  # Fife
    "S12000006": 1200,  # Dumfries and Galloway
    "S12000010": 1000,  # East Lothian
    "S12000019": 1000,  # Midlothian
}
OTHERWISE = 1000


@transaction.atomic
def seed(*, organisations: dict, users: dict) -> None:
    year = timezone.localdate().year - 1
    for organisation in organisations.values():
        for area in organisation.council_areas.all():
            AreaBirths.objects.get_or_create(
                organisation=organisation,
                council_area=area,
                year=year,
                defaults={"births": ILLUSTRATIVE_BIRTHS.get(area.gss_code, OTHERWISE)},
            )
