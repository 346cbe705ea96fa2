"""Factories of the coverage room (births per council area)."""

from __future__ import annotations

import factory

from operations.coverage.models import AreaBirths
from tests.factories.core import OrganisationFactory, council_area


class AreaBirthsFactory(factory.django.DjangoModelFactory):
    """Last year's births in Glasgow City, as a manager would enter them."""

    class Meta:
        model = AreaBirths

    organisation = factory.SubFactory(OrganisationFactory)
    council_area = factory.LazyFunction(lambda: council_area("S12000049"))
    year = 2025
    births = 5800
