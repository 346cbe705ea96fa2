"""Every model with a path to a parent is answered for by an app's ``gdpr``
module (subject access and erasure walk the same list), or listed in
``NOT_PERSONAL`` with the reason. A model added later fails here until it is."""

from __future__ import annotations

import inspect
from importlib import import_module

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


#: The parameters by which a service acts on one parent's record.
PARENT_RECORD_PARAMETERS = {
    "parent", "parent_id", "recipient_parent", "child", "referral", "referral_id", "pairs", "match", "visit",
    "concern", "conflict", "alert", "booking", "booking_child",
}  # fmt: skip


def services_on_a_parents_record(module) -> set[str]:
    """The public, keyword-only services of the app of ``module`` that take a
    parent's record (a parent, a referral, a match, a booking…)."""
    services = import_module(module.__name__.rsplit(".", 1)[0] + ".services")
    found = set()
    for name, function in inspect.getmembers(services, inspect.isfunction):
        # A services package (operations.groups.services) defines them in its modules.
        own = function.__module__ == services.__name__ or function.__module__.startswith(f"{services.__name__}.")
        if not own or name.startswith("_"):
            continue
        parameters = inspect.signature(function).parameters.values()
        if (
            all(p.kind == p.KEYWORD_ONLY for p in parameters)
            and {p.name for p in parameters} & PARENT_RECORD_PARAMETERS
        ):
            found.add(name)
    return found


def test_restriction_walks_the_same_modules_and_every_service_on_a_parents_record_takes_a_side():
    """Restriction of processing reaches every app that holds the parent's
    data: each gdpr module says which of its services refuse while the record
    is restricted and which still run, with the reason. A service added later
    that takes a parent's record fails here until it is put on a side."""
    for module in gdpr.app_modules():
        refuses, allows = set(module.RESTRICTION_REFUSES), set(module.RESTRICTION_ALLOWS)
        # An app that refuses nothing says why (safeguarding: vital interests).
        assert refuses or getattr(module, "RESTRICTION_REFUSES_NOTHING", "").strip(), (
            f"{module.__name__} refuses nothing while processing is restricted, and does not say why"
        )
        assert not refuses & allows, module.__name__
        assert all(reason.strip() for reason in module.RESTRICTION_ALLOWS.values()), module.__name__
        acting = services_on_a_parents_record(module)
        unknown = (refuses | allows) - acting
        assert not unknown, f"{module.__name__} names services that do not take a parent's record: {sorted(unknown)}"
        missing = acting - refuses - allows
        assert not missing, (
            f"{module.__name__}: say whether {sorted(missing)} refuse while processing is restricted "
            "(RESTRICTION_REFUSES) or still run, and why (RESTRICTION_ALLOWS)"
        )
