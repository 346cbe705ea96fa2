"""Every model with a path to a parent is answered for by an app's ``gdpr``
module (subject access and erasure walk the same list), or listed in
``NOT_PERSONAL`` with the reason. A model added later fails here until it is."""

from __future__ import annotations

from django.apps import apps

from operations.core import gdpr
from referrals.models import Parent


def models_reaching_parent() -> set[str]:
    """Parent, and every model with a foreign key (or one-to-one) leading to it, however far."""
    reaching = {Parent}
    grew = True
    while grew:
        grew = False
        for model in apps.get_models():
            if model in reaching:
                continue
            for field in model._meta.get_fields():
                if field.concrete and field.is_relation and field.related_model in reaching:
                    reaching.add(model)
                    grew = True
                    break
    return {model._meta.label for model in reaching}


def test_every_model_reaching_a_parent_is_in_subject_access_and_erasure_or_excluded_with_a_reason():
    held = {model._meta.label for module in gdpr.app_modules() for model in module.HOLDS}
    missing = models_reaching_parent() - held - set(gdpr.NOT_PERSONAL)
    assert not missing, f"no gdpr module answers for {sorted(missing)}: add it to an app's gdpr.HOLDS"
    assert all(reason.strip() for reason in gdpr.NOT_PERSONAL.values())


def test_every_gdpr_module_has_both_halves():
    for module in gdpr.app_modules():
        assert callable(module.subject_access), module.__name__
        assert callable(module.erase), module.__name__
        assert module.HOLDS, module.__name__
