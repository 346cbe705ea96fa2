"""Aggregates over a chosen period are planned for its dates, even on a
connection that prepares statements (``operations.core.plans``)."""

from __future__ import annotations

import pytest
from django.db import connection

from operations.core.plans import planned_for_the_values
from operations.dashboard import selectors
from operations.dashboard.period import Filters, default_period

pytestmark = pytest.mark.postgres


def _plan_cache_mode() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SHOW plan_cache_mode")
        return cursor.fetchone()[0]


@pytest.mark.django_db(transaction=True)  # SET LOCAL ends with the outermost transaction
def test_within_every_statement_is_planned_for_its_values_and_afterwards_not():
    before = _plan_cache_mode()
    with planned_for_the_values():
        assert _plan_cache_mode() == "force_custom_plan"
    assert _plan_cache_mode() == before


@pytest.mark.django_db
def test_the_dashboard_counts_with_plans_for_the_chosen_dates(manager, monkeypatch):
    modes = []
    real_groups = selectors._groups

    def groups_noting_the_mode(user, filters, mode):
        modes.append(_plan_cache_mode())
        return real_groups(user, filters, mode)

    monkeypatch.setattr(selectors, "_groups", groups_noting_the_mode)
    selectors.dashboard_for(manager, Filters(*default_period()))
    assert modes == ["force_custom_plan"]
