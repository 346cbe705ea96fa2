"""A database that goes away while a volunteer writes a contact log on her
phone: saving answers "back shortly" (503), not an error page; the phone
keeps the log and sends it once the database is back (issue 23); a page the
phone does not keep shows "back shortly"."""

from __future__ import annotations

import re
from contextlib import contextmanager

import psycopg
import pytest
from django.db import connection
from playwright.sync_api import expect

from tests.e2e.conftest import check_accessibility, sign_in
from volunteers.matching.models import Match

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.postgres]

NOTE = "Slept badly; we walked to the park and she laughed twice."


@contextmanager
def database_away():
    """Takes the test database away for real: no new connections, and every
    open one (the live server's) ended, from a connection to another database."""
    name = connection.settings_dict["NAME"]
    params = {
        "host": connection.settings_dict["HOST"] or "127.0.0.1",
        "port": connection.settings_dict["PORT"] or 5432,
        "user": connection.settings_dict["USER"],
        "dbname": "postgres",
        "autocommit": True,
    }
    with psycopg.connect(**params) as admin:
        admin.execute(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS false')
        admin.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()",
            [name],
        )
        try:
            yield
        finally:
            admin.execute(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS true')
            connection.close()  # this thread's connection was ended too: the next query opens a new one


def test_a_volunteer_s_draft_survives_a_database_outage(demo, new_page, live_server):
    match = Match.objects.open().filter(volunteer__user__username="volunteer").order_by("pk").first()
    family = match.parent.preferred_name or match.parent.first_name

    phone = new_page(width=360, height=740)
    sign_in(phone, live_server, "volunteer")
    families = phone.get_by_role("region", name="Your families")
    families.get_by_role("listitem").filter(has_text=family).get_by_role("link", name="Log a contact").click()
    form_url = phone.url
    phone.get_by_label("How long (minutes)").fill("50")
    phone.get_by_label("Phone", exact=True).check()
    phone.get_by_text("More: topics, signposting, note").click()
    phone.get_by_label("Short note").fill(NOTE)

    with database_away():
        with phone.expect_response(re.compile(r".*")) as answer:
            phone.get_by_role("button", name="Save").click()
        assert answer.value.status == 503
        assert answer.value.headers["retry-after"] == "30"
        # The phone keeps the log (issue 23) rather than show the outage page: nothing typed is lost.
        expect(
            phone.get_by_text("Saved on this phone — will send when you're back online.", exact=True)
        ).to_be_visible()
        check_accessibility(phone, "database outage on a phone")
    assert match.contact_logs.filter(note=NOTE).count() == 0

    # The database is back: the next page sends it, once.
    phone.goto(form_url)
    expect(phone.get_by_text(f"Sent: contact log for {family}.")).to_be_visible(timeout=20_000)
    assert match.contact_logs.filter(note=NOTE).count() == 1
    # The outage page itself, for a page the phone does not keep.
    with database_away():
        phone.goto(f"{live_server.url}/concerns/mine/")
        expect(phone.get_by_role("heading", name="The system will be back shortly")).to_be_visible()
