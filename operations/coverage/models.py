"""Births per council area and year, entered by a manager (from National
Records of Scotland's published figures) so coverage can be read as a rate:
referrals per 1,000 births says more than a count when one area has ten
times the births of its neighbour. Public statistics, nothing personal."""

from __future__ import annotations

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from operations.core.models import CouncilArea, Organisation, StaffOnlyQuerySet

#: Scotland has about 46,000 births a year; Glasgow about 6,000.
MOST_BIRTHS_IN_AN_AREA = 20_000
EARLIEST_YEAR = 2000


class AreaBirthsQuerySet(StaffOnlyQuerySet):
    """Coordinators and managers of the organisation; nobody else."""


class AreaBirths(models.Model):
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    council_area = models.ForeignKey(CouncilArea, on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(validators=[MinValueValidator(EARLIEST_YEAR), MaxValueValidator(2100)])
    births = models.PositiveIntegerField(validators=[MaxValueValidator(MOST_BIRTHS_IN_AN_AREA)])
    updated_at = models.DateTimeField(auto_now=True)

    objects = AreaBirthsQuerySet.as_manager()

    class Meta:
        verbose_name = "births in a council area"
        verbose_name_plural = "births by council area"
        ordering = ["-year", "council_area__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "council_area", "year"], name="one_births_figure_per_area_and_year"
            )
        ]

    def __str__(self) -> str:
        return f"{self.council_area} {self.year}: {self.births}"
