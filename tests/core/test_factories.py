"""Every model of the project has a factory in ``tests/factories/``, and each
factory makes a row the rules accept."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError

import tests.factories as factories

PROJECT_PACKAGES = ("operations.", "referrals.", "volunteers.")


def project_models() -> list[type]:
    return sorted(
        (model for model in apps.get_models() if model.__module__.startswith(PROJECT_PACKAGES)),
        key=lambda model: model._meta.label,
    )


def factory_for(model) -> type | None:
    return getattr(factories, f"{model.__name__}Factory", None)


def test_every_model_of_the_project_has_a_factory():
    missing = [model._meta.label for model in project_models() if factory_for(model) is None]
    assert not missing, (
        f"Models without a factory: {missing}. Add a <Model>Factory to its app's module in tests/factories/ "
        "and export it from tests/factories/__init__.py."
    )


def test_each_factory_makes_its_own_model():
    for model in project_models():
        factory = factory_for(model)
        assert factory is None or factory._meta.model is model, model._meta.label


@pytest.mark.django_db
@pytest.mark.parametrize("model", project_models(), ids=lambda model: model._meta.label)
def test_a_factory_makes_a_valid_row(model):
    made = factory_for(model)()
    made.refresh_from_db()  # it was saved
    try:
        made.full_clean()
    except ValidationError as error:
        pytest.fail(f"{model._meta.label} from its factory is not valid: {error.message_dict}")
