"""A contact log or a planned visit sent twice is kept once, in the
database: the phone's offline queue retries after a lost reply, and two
copies may arrive at the same moment. On PostgreSQL, where the unique
constraint and the row lock really meet two connections."""

from __future__ import annotations

import datetime as dt
import threading
import uuid

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from operations.core.audit import AuditEvent
from tests.factories import council_area
from tests.matching.helpers import fit_volunteer, waiting_referral
from volunteers.matching import services
from volunteers.matching.models import ContactLog, Match, MatchStatus, Visit

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]
TODAY = timezone.localdate


@pytest.fixture
def match(coordinator, organisation, service, volunteer) -> Match:
    area = council_area("S12000026")
    referral = waiting_referral(organisation=organisation, service=service, area=area, first_name="Rhona")
    profile = fit_volunteer(organisation=organisation, areas=[area], user=volunteer)
    return services.match_confirm(
        actor=coordinator, organisation_id=organisation.pk, referral_id=referral.pk, volunteer_id=profile.pk
    )


def log_data(key: uuid.UUID, **overrides) -> dict:
    return {"contact_date": TODAY(), "duration_minutes": 40, "mode": "phone", "client_key": key, **overrides}


def log_audits() -> int:
    return AuditEvent.objects.filter(summary__startswith="Contact logged").count()


def at_once(count: int, send) -> list:
    """Runs ``send`` in ``count`` threads released together; each returns
    what it got (a record or the exception)."""
    barrier = threading.Barrier(count)
    results: list = []

    def run() -> None:
        try:
            barrier.wait()
            results.append(send())
        except Exception as exc:  # noqa: BLE001 - the test asserts on it
            results.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def test_the_same_form_posted_twice_keeps_one_log(volunteer_client, match) -> None:
    url = reverse("matching:contact-log-new", args=[match.pk])
    key = str(uuid.uuid4())
    body = {"contact_date": TODAY().isoformat(), "duration_minutes": "45", "mode": "phone", "client_key": key}
    first = volunteer_client.post(url, body)
    again = volunteer_client.post(url, {**body, "note": "Typed again after the reply was lost"})
    assert (first.status_code, again.status_code) == (302, 302)
    log = ContactLog.objects.get()
    assert (str(log.client_key), log.note) == (key, "")
    assert log_audits() == 1


def test_the_api_answers_a_resent_log_with_the_one_kept(volunteer_client, match) -> None:
    body = {"match": match.pk, "contact_date": TODAY().isoformat(), "duration_minutes": 30, "mode": "phone"}
    body["client_key"] = str(uuid.uuid4())
    first = volunteer_client.post("/api/v1/contact-logs/", body, content_type="application/json")
    again = volunteer_client.post("/api/v1/contact-logs/", body, content_type="application/json")
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()["id"] == again.json()["id"] == ContactLog.objects.get().pk
    assert log_audits() == 1


def test_a_log_sent_before_the_match_ended_is_answered_not_refused(volunteer, coordinator, match) -> None:
    key = uuid.uuid4()
    kept = services.contact_log_create(actor=volunteer, match=match, data=log_data(key))
    services.match_transition(
        actor=coordinator, match=match, to_status=MatchStatus.ENDED, ending_type="planned", closing_note="Moved away"
    )
    match.refresh_from_db()
    again = services.contact_log_create(actor=volunteer, match=match, data=log_data(key))
    assert again.pk == kept.pk
    assert ContactLog.objects.count() == 1


def test_two_copies_at_the_same_moment_keep_one_log(volunteer, match) -> None:
    key = uuid.uuid4()
    results = at_once(2, lambda: services.contact_log_create(actor=volunteer, match=match, data=log_data(key)))
    assert all(isinstance(result, ContactLog) for result in results), results
    assert results[0].pk == results[1].pk
    assert ContactLog.objects.filter(client_key=key).count() == 1
    assert log_audits() == 1
    match.refresh_from_db()
    assert match.status == MatchStatus.ACTIVE


def test_someone_elses_key_is_refused_and_nothing_written(volunteer, coordinator, match) -> None:
    key = uuid.uuid4()
    services.contact_log_create(actor=volunteer, match=match, data=log_data(key))
    with pytest.raises(ValidationError) as refused:
        services.contact_log_create(actor=coordinator, match=match, data=log_data(key, duration_minutes=10))
    assert "client_key" in refused.value.message_dict
    assert ContactLog.objects.count() == 1
    assert log_audits() == 1


def test_the_same_visit_planned_twice_is_kept_once(volunteer_client, volunteer, coordinator, match) -> None:
    tomorrow = TODAY() + dt.timedelta(days=1)
    key = str(uuid.uuid4())
    url = reverse("matching:visit-new", args=[match.pk])
    body = {"planned_for": tomorrow.isoformat(), "mode": "home_visit", "client_key": key}
    assert volunteer_client.post(url, body).status_code == 302
    assert volunteer_client.post(url, body).status_code == 302
    api_body = {"match": match.pk, "planned_for": tomorrow.isoformat(), "client_key": key}
    resent = volunteer_client.post("/api/v1/visits/", api_body, content_type="application/json")
    assert resent.status_code == 200
    assert Visit.objects.count() == 1
    with pytest.raises(ValidationError, match="already used"):
        services.visit_plan(actor=coordinator, match=match, data={"planned_for": tomorrow, "client_key": key})
    assert Visit.objects.count() == 1


def test_two_visits_at_the_same_moment_keep_one(volunteer, match) -> None:
    key = uuid.uuid4()
    data = {"planned_for": TODAY() + dt.timedelta(days=2), "mode": "walk", "client_key": key}
    results = at_once(2, lambda: services.visit_plan(actor=volunteer, match=match, data=data))
    assert all(isinstance(result, Visit) for result in results), results
    assert results[0].pk == results[1].pk
    assert Visit.objects.filter(client_key=key).count() == 1
