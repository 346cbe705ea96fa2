"""Factories of the imports app: a checked batch, a problem, an imported record."""

from __future__ import annotations

import factory
from django.contrib.contenttypes.models import ContentType

from operations.core.models import Role
from operations.imports.models import BatchStatus, ImportBatch, ImportedRecord, ImportProblem
from tests.factories.core import OrganisationFactory, member_of
from tests.factories.volunteers import VolunteerProfileFactory


class ImportBatchFactory(factory.django.DjangoModelFactory):
    """A checked batch of volunteers whose file is no longer kept."""

    class Meta:
        model = ImportBatch

    organisation = factory.SubFactory(OrganisationFactory)
    kind = "volunteers"
    file_name = factory.Sequence(lambda n: f"volunteers-{n}.csv")
    uploaded_by = member_of("organisation", Role.MANAGER)
    status = BatchStatus.CHECKED
    headers = factory.LazyFunction(lambda: ["External ID", "First name", "Last name"])
    mapping = factory.LazyFunction(lambda: {"0": "External ID", "1": "First name", "2": "Last name"})


class ImportProblemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ImportProblem

    batch = factory.SubFactory(ImportBatchFactory)
    line = 2
    column = "First name"
    problem = "First name is blank."
    fix = "Fill in First name."


class ImportedRecordFactory(factory.django.DjangoModelFactory):
    """A volunteer created by an applied batch."""

    class Meta:
        model = ImportedRecord
        exclude = ("profile",)

    batch = factory.SubFactory(ImportBatchFactory, status=BatchStatus.APPLIED)
    organisation = factory.SelfAttribute("batch.organisation")
    last_batch = factory.SelfAttribute("batch")
    kind = "volunteers"
    external_id = factory.Sequence(lambda n: f"V-{n:04d}")
    profile = factory.SubFactory(VolunteerProfileFactory, organisation=factory.SelfAttribute("..organisation"))
    content_type = factory.LazyAttribute(lambda made: ContentType.objects.get_for_model(made.profile))
    object_id = factory.LazyAttribute(lambda made: made.profile.pk)
    line = 2
