"""The demo and scale data sets make federations; the migration turns the old
free-text federation label into Federation rows."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test import override_settings

from operations.core import scale as core_scale
from operations.core.federations import federation_of, sharing_members
from operations.core.models import Federation, Membership, Organisation, User


@pytest.mark.django_db
@override_settings(DEBUG=True)
def test_seed_demo_makes_one_small_federation_two_members_sharing_and_its_officer():
    call_command("seed_demo", verbosity=0)
    federation = Federation.objects.get(name="Scottish Perinatal Peer Support Network")
    assert federation.members.count() == 3
    assert sorted(sharing_members(federation).values_list("slug", flat=True)) == [
        "family-start-east-lothian",
        "tweed-valley",
    ]
    officer = User.objects.get(username="federation")
    assert officer.check_password("demo-pass-2026")
    assert federation_of(officer) == federation
    assert not Membership.objects.filter(user=officer).exists()


@pytest.mark.django_db
def test_seed_scale_puts_every_branch_in_one_federation_all_sharing():
    context = core_scale.seed_base(0.002, log=lambda _: None)
    federation = Federation.objects.get(slug="scale-federation")
    assert set(sharing_members(federation)) == set(context.organisations)
    assert federation_of(User.objects.get(username="bench-federation")) == federation


BEFORE, AFTER = ("core", "0008_audit_user_agent_request_id"), ("core", "0009_federations")


@pytest.mark.django_db(transaction=True)
def test_the_migration_makes_a_federation_of_each_label_and_links_its_branches():
    executor = MigrationExecutor(connection)
    executor.migrate([BEFORE])
    old = executor.loader.project_state([BEFORE]).apps.get_model("core", "Organisation")
    labels = {"a": "Home-Start Scotland", "b": " home-start  scotland ", "c": "Other Network", "d": ""}
    for slug, label in labels.items():
        old.objects.create(name=f"Branch {slug}", slug=f"branch-{slug}", federation=label)

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate([AFTER])
    try:
        home_start = Federation.objects.get(slug="home-start-scotland")
        assert home_start.name == "Home-Start Scotland"
        assert set(home_start.members.values_list("slug", flat=True)) == {"branch-a", "branch-b"}
        assert Federation.objects.get(slug="other-network").members.get().slug == "branch-c"
        assert Organisation.objects.get(slug="branch-d").member_of is None
        # Nobody shares until a member's manager says so.
        assert not Organisation.objects.filter(shares_with_federation=True).exists()
    finally:
        executor = MigrationExecutor(connection)
        executor.loader.build_graph()
        executor.migrate(executor.loader.graph.leaf_nodes())
