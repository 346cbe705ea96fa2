"""Claims for a group session she helped at (the ``expense_targets`` plug-in
of groups): she chooses the session on her phone or through the API; a
session not hers, another organisation's, both a contact and a session, or
neither, is refused with nothing written; the worklist, her list, the
finance file and the API name the session in words."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from django.urls import reverse
from django.utils import timezone

from operations.core.dates import short_date
from operations.dashboard.expenses import expense_totals
from operations.dashboard.period import Filters
from operations.groups.models import SessionExpenseClaim, SessionStatus
from tests.expenses.conftest import mileage, posted
from tests.expenses.test_api import CLAIMS, api
from tests.factories.groups import GroupFactory, GroupSessionFactory
from volunteers.expenses import services
from volunteers.expenses.models import ClaimStatus, ExpenseClaim

pytestmark = pytest.mark.django_db


def past_session(group, days_ago: int = 10, **extra):
    """A session of ``group`` ``days_ago`` days back: before the group's first generated one."""
    return GroupSessionFactory(group=group, occurrence=timezone.localdate() - dt.timedelta(days=days_ago), **extra)


@pytest.fixture
def her_group(organisation, profile, volunteer):
    return GroupFactory(organisation=organisation, name="Bumps and Babies", facilitators=[volunteer])


@pytest.fixture
def session(her_group):
    return past_session(her_group)


@pytest.fixture
def session_words(session) -> str:
    return f"Bumps and Babies, {short_date(session.date)}"


@pytest.fixture
def strangers_session(organisation):
    return past_session(GroupFactory(organisation=organisation, name="Dads Walk"))


def for_session(session, **extra) -> dict:
    return {"kind": "mileage", "group_session": session.pk, "miles": "4", "from_place": "Home"} | extra


def nothing_written() -> bool:
    return not ExpenseClaim.objects.exists() and not SessionExpenseClaim.objects.exists()


def test_she_claims_for_her_session_on_the_page_and_everyone_reads_it(
    volunteer, volunteer_client, coordinator, coordinator_client, manager, her_group, session, session_words, log
) -> None:
    form = volunteer_client.get(reverse("expenses:claim-new"))
    assert "What is this for?" in form.text
    assert f'value="group_session:{session.pk}">{session_words}</option>' in form.text
    assert "Group sessions" in form.text

    sent = volunteer_client.post(reverse("expenses:claim-new"), posted(for_session(session)))
    assert sent.status_code == 302
    claim = ExpenseClaim.objects.get()
    assert claim.contact_log is None
    assert claim.group_session_link.session == session
    # The dashboard's totals by service count it under the group's service, on the session's day.
    assert (claim.service_id, claim.spent_on) == (her_group.service_id, session.date)
    assert session_words in volunteer_client.get(reverse("expenses:mine")).text
    assert session_words in volunteer_client.get(reverse("expenses:claim-detail", args=[claim.pk])).text

    assert session_words in coordinator_client.get(reverse("expenses:list")).text
    services.claim_approve(actor=coordinator, claim=claim)
    batch = services.batch_create(actor=coordinator)
    download = coordinator_client.get(reverse("expenses:batch-csv", args=[batch.pk]))
    rows = list(csv.reader(io.StringIO(b"".join(download.streaming_content).decode("utf-8-sig"))))
    assert rows[0][-1] == "For"
    assert rows[1][-1] == f"#{claim.pk} {session_words}"

    # The dashboard counts the approved claim under the group's service.
    period = Filters(date_from=session.date - dt.timedelta(days=1), date_to=timezone.localdate(), service=None)
    by_service = {row.label: row.mileage for row in expense_totals(manager, period).by_service}
    assert by_service == {her_group.service.name: "£1.80"}


def test_she_changes_a_queried_session_claim_into_a_contact_claim(
    volunteer, volunteer_client, coordinator, session, log
) -> None:
    claim = services.claim_submit(actor=volunteer, data=for_session(session))
    services.claim_query(actor=coordinator, claim=claim, question="Was this for the visit the day before?")
    edit = volunteer_client.get(reverse("expenses:claim-edit", args=[claim.pk]))
    assert f'value="group_session:{session.pk}" selected' in edit.text
    sent = volunteer_client.post(reverse("expenses:claim-edit", args=[claim.pk]), posted(mileage(log)))
    assert sent.status_code == 302
    claim.refresh_from_db()
    assert (claim.contact_log, claim.status) == (log, ClaimStatus.SUBMITTED)
    assert not SessionExpenseClaim.objects.exists()


def test_a_session_on_her_creche_rota_counts_an_old_or_cancelled_one_does_not(organisation, volunteer, profile) -> None:
    group = GroupFactory(organisation=organisation, name="Tea and Tots")
    on_rota = past_session(group, days_ago=3)
    on_rota.creche_adults.add(volunteer)
    old = past_session(group, days_ago=120)
    old.creche_adults.add(volunteer)
    cancelled = past_session(group, days_ago=5, status=SessionStatus.CANCELLED)
    cancelled.creche_adults.add(volunteer)

    claim = services.claim_submit(actor=volunteer, data=for_session(on_rota))
    assert claim.for_words == f"Tea and Tots, {short_date(on_rota.date)}"
    for refused in (old, cancelled):
        with pytest.raises(services.ValidationError) as error:
            services.claim_submit(actor=volunteer, data=for_session(refused))
        assert "group sessions you helped at" in str(error.value.message_dict["group_session"])
    assert ExpenseClaim.objects.count() == SessionExpenseClaim.objects.count() == 1


def test_the_api_takes_her_session_and_answers_in_words(volunteer, session, session_words) -> None:
    made = api(volunteer).post(CLAIMS, for_session(session), format="json")
    assert made.status_code == 201, made.json()
    assert (made.json()["for_what"], made.json()["group_session"]) == (session_words, session.pk)
    assert made.json()["contact_log"] is None
    listed = api(volunteer).get(CLAIMS).json()
    rows = listed["results"] if isinstance(listed, dict) else listed
    assert rows[0]["for_what"] == session_words


def test_someone_elses_or_another_organisations_session_is_refused_with_nothing_written(
    volunteer, volunteer_client, profile, strangers_session, other_organisation
) -> None:
    other_group = GroupFactory(organisation=other_organisation, name="Bumps and Babies")
    # As if she had once facilitated there: the organisation she works in now decides.
    other_group.facilitators.add(volunteer)
    theirs = past_session(other_group)
    for session in (strangers_session, theirs):
        answer = api(volunteer).post(CLAIMS, for_session(session), format="json")
        assert answer.status_code == 400
        assert "group sessions you helped at" in answer.json()["group_session"][0]
        page = volunteer_client.post(reverse("expenses:claim-new"), posted(for_session(session)))
        assert page.status_code == 400
        assert "Select a valid choice" in page.text
    assert nothing_written()


def test_both_a_contact_and_a_session_or_neither_is_a_field_error(volunteer, session, log) -> None:
    both = api(volunteer).post(CLAIMS, for_session(session, contact_log=log.pk), format="json")
    assert both.status_code == 400
    assert "only one thing" in both.json()["contact_log"][0]
    neither = api(volunteer).post(CLAIMS, {"kind": "mileage", "miles": "4"}, format="json")
    assert neither.status_code == 400
    assert "your contacts or your group sessions" in neither.json()["contact_log"][0]
    assert nothing_written()


def test_a_session_lost_between_the_check_and_the_write_leaves_nothing(volunteer, session, monkeypatch) -> None:
    """``attach`` checks again inside the claim's transaction: a session
    cancelled after the claim was checked rolls the claim back."""
    from operations.groups import expense_targets

    real_find = expense_targets.find

    def find_then_cancel(actor, session_id):
        found = real_find(actor, session_id)
        type(session).objects.filter(pk=session_id).update(status=SessionStatus.CANCELLED)
        return found

    target = expense_targets.TARGETS["group_session"]
    monkeypatch.setitem(
        expense_targets.TARGETS, "group_session", type(target)(**{**target.__dict__, "find": find_then_cancel})
    )
    with pytest.raises(services.ValidationError):
        services.claim_submit(actor=volunteer, data=for_session(session))
    assert nothing_written()
