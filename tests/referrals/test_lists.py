"""Waiting-list order, the triage board (htmx), the coordinator's home panels,
and query counts that do not grow with the rows."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from operations.core.models import Role
from operations.core.working_days import subtract_working_days, working_days_between
from referrals.models import Referral
from tests.factories import ChildFactory, ParentFactory, ReferralFactory, ServiceFactory
from tests.home.queries import HOME_QUERIES

TODAY = timezone.localdate


def waiting(organisation, service, *, urgency, end_in, waited, **kwargs) -> Referral:
    return ReferralFactory(
        organisation=organisation,
        service=service,
        status="waiting",
        urgency=urgency,
        eligibility_end=None if end_in is None else TODAY() + timedelta(days=end_in),
        received_on=TODAY() - timedelta(days=waited),
        **kwargs,
    )


@pytest.mark.django_db
def test_waiting_list_order(coordinator, coordinator_client, organisation, service):
    routine_old = waiting(organisation, service, urgency=3, end_in=300, waited=60)
    routine_ageing_out = waiting(organisation, service, urgency=3, end_in=20, waited=5)
    urgent_new = waiting(organisation, service, urgency=1, end_in=400, waited=1)
    routine_same_end_longer_wait = waiting(organisation, service, urgency=3, end_in=300, waited=90)
    routine_no_end = waiting(organisation, service, urgency=3, end_in=None, waited=200)
    ReferralFactory(organisation=organisation, service=service, status="received")
    ordered = list(Referral.objects.visible_to(coordinator).waiting_list())
    assert ordered == [urgent_new, routine_ageing_out, routine_same_end_longer_wait, routine_old, routine_no_end]
    page = coordinator_client.get(reverse("referrals:waiting-list")).content.decode()
    assert "Days left" in page
    assert page.index(f"/referrals/{urgent_new.pk}/") < page.index(f"/referrals/{routine_ageing_out.pk}/")


@pytest.mark.parametrize(
    ("start", "end", "days"),
    [
        (date(2026, 11, 20), date(2026, 11, 27), 5),  # Friday to Friday
        (date(2026, 11, 21), date(2026, 11, 23), 1),  # Saturday to Monday
        (date(2026, 11, 23), date(2026, 11, 23), 0),
        # Scotland's bank holidays are not working days: St Andrew's Day (Monday
        # 30 November 2026), Christmas to New Year with substitute days.
        (date(2026, 11, 23), date(2026, 12, 7), 9),
        (date(2026, 12, 24), date(2027, 1, 5), 4),  # 29, 30, 31 December and 5 January
        (date(2026, 11, 23), date(2027, 12, 31), 277),
    ],
)
def test_working_days(start, end, days):
    assert working_days_between(start, end) == days
    if days:
        assert working_days_between(subtract_working_days(end, days), end) == days


def test_a_bank_holiday_does_not_count_towards_the_contact_target():
    # Received on Thursday 26 November 2026 with a 3-working-day target: Friday,
    # then Tuesday and Wednesday (Monday 30 November is St Andrew's Day).
    assert subtract_working_days(date(2026, 12, 2), 3) == date(2026, 11, 26)
    assert subtract_working_days(date(2026, 12, 1), 3) == date(2026, 11, 25)


@pytest.mark.django_db
def test_board_counts_filters_and_htmx_move(coordinator_client, organisation, service):
    groups = ServiceFactory(organisation=organisation, name="Groups")
    first = ReferralFactory(organisation=organisation, service=service, urgency=1)
    ReferralFactory(organisation=organisation, service=groups)
    ReferralFactory(organisation=organisation, service=service, status="waiting")
    ReferralFactory(organisation=organisation, service=service, status="closed")
    board = coordinator_client.get(reverse("referrals:board"))
    columns = {c.status: c.count for c in board.context["columns"]}
    assert columns["received"] == 2
    assert columns["waiting"] == 1
    assert "closed" not in columns
    filtered = coordinator_client.get(reverse("referrals:board"), {"service": groups.pk}, HTTP_HX_REQUEST="true")
    assert {c.status: c.count for c in filtered.context["columns"]}["received"] == 1
    assert "<html" not in filtered.content.decode()
    moved = coordinator_client.post(
        reverse("referrals:referral-transition", args=[first.pk]), {"to_status": "contacted"}, HTTP_HX_REQUEST="true"
    )
    assert moved.status_code == 200
    assert moved["HX-Trigger"] == "referral-moved"
    refused = coordinator_client.post(
        reverse("referrals:referral-transition", args=[first.pk]), {"to_status": "closed"}, HTTP_HX_REQUEST="true"
    )
    assert refused.status_code == 200
    assert "HX-Trigger" not in refused
    assert "cannot move to closed" in refused.content.decode()  # the service says why, and where it can go
    first.refresh_from_db()
    assert first.status == "contacted"


@pytest.mark.django_db
@time_machine.travel(date(2026, 11, 26), tick=False)
def test_coordinator_home_panels(coordinator_client, organisation, service):
    today = date(2026, 11, 26)
    fresh = ReferralFactory(organisation=organisation, service=service, received_on=today - timedelta(days=1))
    late = ReferralFactory(organisation=organisation, service=service, received_on=today - timedelta(days=20))
    parent = ParentFactory(organisation=organisation)
    ChildFactory(parent=parent, due_date=today - timedelta(days=20))
    ending = ReferralFactory(
        organisation=organisation,
        parent=parent,
        service=service,
        status="active",
        eligibility_end=today + timedelta(weeks=3),
    )
    past = ReferralFactory(
        organisation=organisation, service=service, status="active", eligibility_end=today - timedelta(days=3)
    )
    context = coordinator_client.get(reverse("home")).context["referral_panels"]
    assert fresh.pk in _pks(context["new_referrals"])
    assert _pks(context["overdue"]) == [late.pk]
    assert _pks(context["ending_soon"]) == [ending.pk]
    assert _pks(context["past_end"]) == [past.pk]
    assert [c["parent_id"] for c in context["births_to_confirm"]] == [parent.pk]


@pytest.mark.django_db
@time_machine.travel(date(2026, 11, 26), tick=False)
def test_birth_and_loss_panels_show_the_first_ten_each(coordinator_client, organisation, service):
    today = date(2026, 11, 26)
    births = []
    for index in range(12):
        parent = ParentFactory(organisation=organisation)
        births.append(ChildFactory(parent=parent, due_date=today - timedelta(days=60 - index)))
        # Two open referrals for one parent still make one row.
        for other in [service, ServiceFactory(organisation=organisation)] if index == 0 else [service]:
            ReferralFactory(organisation=organisation, parent=parent, service=other, status="waiting")
    alone = ParentFactory(organisation=organisation)
    no_open_referral = ChildFactory(parent=alone, due_date=today - timedelta(days=90))
    losses = [
        ChildFactory(parent=ParentFactory(organisation=organisation), loss_kind="miscarriage", loss_date=day)
        for day in (today - timedelta(days=5), today - timedelta(days=9))
    ]
    context = coordinator_client.get(reverse("home")).context["referral_panels"]
    assert _pks(context["births_to_confirm"]) == [child.pk for child in births[:10]]
    assert no_open_referral.pk not in _pks(context["births_to_confirm"])
    assert _pks(context["loss_reviews"]) == [losses[1].pk, losses[0].pk]


@pytest.mark.django_db
@time_machine.travel(date(2026, 11, 26), tick=False)
def test_the_waiting_past_target_panel_follows_each_service_s_target(coordinator_client, organisation, service):
    today = date(2026, 11, 26)  # a Thursday

    def overdue() -> list[int]:
        return _pks(coordinator_client.get(reverse("home")).context["referral_panels"]["overdue"])

    groups = ServiceFactory(organisation=organisation, name="Groups", waiting_target_working_days=2)
    waiting_on_groups = ReferralFactory(
        organisation=organisation, service=groups, received_on=today - timedelta(days=6)
    )
    late = ReferralFactory(organisation=organisation, service=service, received_on=today - timedelta(days=4))
    assert waiting_on_groups.pk in overdue()
    assert late.pk not in overdue()
    service.waiting_target_working_days = 1
    service.save()
    assert late.pk in overdue()


def _pks(rows: list[dict]) -> list[int]:
    return [row["pk"] for row in rows]


def _populate(organisation, service, n: int) -> None:
    for i in range(n):
        parent = ParentFactory(organisation=organisation)
        ChildFactory(parent=parent)
        ReferralFactory(
            organisation=organisation,
            parent=parent,
            service=service,
            status=["received", "contacted", "waiting", "active"][i % 4],
            eligibility_end=TODAY() + timedelta(days=10 + i),
        )


#: The queries of a repeat view of each list, the same at every size.
QUERIES = {
    # 1 session, 2 user, 3 membership, 4 services and 5 council areas (the
    # filters), 6 the board's referrals with service and parent, 7 the bell.
    "referrals:board": 7,
    # 1 session, 2 user, 3 membership, 4 the waits of referrals already
    # started (the "usual wait" estimate), 5 count of waiting referrals (the
    # pager), 6 the page of waiting referrals, 7 the bell.
    "referrals:waiting-list": 7,
    # 1 session, 2 user, 3 membership, 4 count (the pager), 5 the page.
    "api-referral-list": 5,
    # 1 session, 2 user, 3 membership, 4 count (the pager), 5 the page of
    # parents, 6 their children.
    "api-parent-list": 6,
    # The coordinator's home, named in tests/home/queries.py.
    "home": HOME_QUERIES[Role.COORDINATOR],
}


@pytest.mark.django_db
@pytest.mark.parametrize("url_name", QUERIES)
def test_query_count_does_not_grow_with_rows(
    coordinator_client, organisation, service, url_name, django_assert_num_queries
):
    url = reverse(url_name)
    for rows in (3, 30):
        _populate(organisation, service, rows)
        coordinator_client.get(url)  # warm-up: the first view fills per-process caches
        with django_assert_num_queries(QUERIES[url_name]):
            assert coordinator_client.get(url).status_code == 200


@pytest.mark.django_db
def test_waiting_list_pages_keep_the_priority_number(coordinator_client, organisation, service):
    for index in range(26):
        waiting(organisation, service, urgency=3, end_in=100 + index, waited=5)
    last = waiting(organisation, service, urgency=3, end_in=500, waited=5)
    first_page = coordinator_client.get(reverse("referrals:waiting-list")).content.decode()
    assert "27 waiting for a match" in first_page
    assert f"/referrals/{last.pk}/" not in first_page
    second_page = coordinator_client.get(reverse("referrals:waiting-list") + "?page=2").content.decode()
    assert f"/referrals/{last.pk}/" in second_page
    assert "<td>27</td>" in second_page  # its place in the whole list, not on the page


@pytest.mark.django_db
def test_a_card_shows_the_referral_its_moves_and_the_answer_to_a_move(coordinator_client, organisation, service):
    referral = ReferralFactory(organisation=organisation, service=service, urgency=1)
    board = coordinator_client.get(reverse("referrals:board")).content.decode()
    card = board.split(f'aria-label="Referral {referral.pk}"', 1)[1].split("</article>", 1)[0]
    assert referral.parent.display_name in card
    assert "text-bg-danger" in card  # most urgent
    assert f"{service.name} · Received" in card
    assert '<option value="contacted">Contacted</option>' in card
    assert '<option value="closed">' not in card  # not a move from received
    assert 'name="csrfmiddlewaretoken"' in card
    moved = coordinator_client.post(
        reverse("referrals:referral-transition", args=[referral.pk]),
        {"to_status": "contacted", "reason": "Rang her"},
        HTTP_HX_REQUEST="true",
    ).content.decode()
    assert f"Referral #{referral.pk} moved to Contacted." in moved
    refused = coordinator_client.post(
        reverse("referrals:referral-transition", args=[referral.pk]),
        {"to_status": "closed", "reason": "<b>typed</b>"},
        HTTP_HX_REQUEST="true",
    ).content.decode()
    assert 'class="text-danger"' in refused
    assert 'value="&lt;b&gt;typed&lt;/b&gt;"' in refused  # kept, and escaped


@pytest.mark.django_db
def test_a_full_new_referrals_panel_says_ten_plus_and_links_to_the_board(coordinator_client, organisation, service):
    ReferralFactory.create_batch(3, organisation=organisation, service=service)
    page = coordinator_client.get(reverse("home")).content.decode()
    assert 'New referrals <span class="badge text-bg-secondary">3</span>' in page
    assert "All new referrals on the triage board" not in page

    ReferralFactory.create_batch(9, organisation=organisation, service=service)
    page = coordinator_client.get(reverse("home")).content.decode()
    assert 'New referrals <span class="badge text-bg-secondary">10+</span>' in page
    assert f'href="{reverse("referrals:board")}?status=received"' in page


@pytest.mark.django_db
def test_board_and_waiting_list_escape_names(coordinator_client, organisation):
    service = ServiceFactory(organisation=organisation, name="Groups <b>&</b>")
    parent = ParentFactory(organisation=organisation, first_name="<script>alert(1)</script>", preferred_name="")
    ReferralFactory(organisation=organisation, parent=parent, service=service, status="waiting")
    for url in [reverse("referrals:board"), reverse("referrals:waiting-list")]:
        page = coordinator_client.get(url).content.decode()
        assert "<script>alert(1)" not in page
        assert "&lt;script&gt;alert(1)&lt;/script&gt; Example" in page
        assert "Groups &lt;b&gt;&amp;&lt;/b&gt;" in page


@pytest.mark.django_db
@time_machine.travel(date(2026, 11, 26), tick=False)
def test_waiting_list_rows_say_how_long_and_how_many_days_are_left(coordinator_client, organisation, service):
    parent = ParentFactory(organisation=organisation, first_name="Ailsa", preferred_name="Ally", last_name="Reid")
    waiting(organisation, service, urgency=1, end_in=-2, waited=17, parent=parent)
    waiting(organisation, service, urgency=2, end_in=None, waited=45)
    waiting(organisation, service, urgency=3, end_in=30, waited=0)
    page = coordinator_client.get(reverse("referrals:waiting-list")).content.decode()
    rows = page.split("<tbody>", 1)[1].split("</tbody>", 1)[0].split("<tr>")[1:]
    assert "Ally Reid" in rows[0]
    assert "<td>Urgent</td><td>2\xa0weeks, 3\xa0days</td>" in rows[0]
    assert '<span class="text-danger">past end</span>' in rows[0]
    assert "<td>Soon</td><td>1\xa0month, 2\xa0weeks</td><td>—</td>" in rows[1]
    assert "<td>Routine</td><td>0\xa0minutes</td><td>30</td>" in rows[2]
    assert [row.split("</td>", 1)[0] for row in rows] == ["<td>1", "<td>2", "<td>3"]


@pytest.mark.django_db
def test_a_full_board_column_links_to_the_rest_of_its_state(coordinator_client, organisation, service):
    ReferralFactory.create_batch(8, organisation=organisation, service=service)
    board = coordinator_client.get(reverse("referrals:board")).content.decode()
    received = board.split('aria-labelledby="column-received"', 1)[1].split("</section>", 1)[0]
    assert received.count("<article") == 6
    assert 'data-count="received">8</span>' in received
    assert 'Showing the 6 most pressing of 8. <a href="?status=received">Show more in this state</a>' in received
    one_state = coordinator_client.get(reverse("referrals:board"), {"status": "received"}).content.decode()
    assert one_state.count("<article") == 8
    assert "None." in board  # the empty columns say so


@pytest.mark.django_db
def test_board_filters_offer_only_the_organisations_services(coordinator_client, organisation, service, other_service):
    ReferralFactory(organisation=organisation, service=service)
    board = coordinator_client.get(reverse("referrals:board")).content.decode()
    services = board.split('<select name="service"', 1)[1].split("</select>", 1)[0]
    assert f'<option value="{service.pk}">{service.name}</option>' in services
    assert f'value="{other_service.pk}"' not in services
    assert '<option value="" selected>Any council area</option>' in board
    chosen = coordinator_client.get(reverse("referrals:board"), {"service": service.pk}).content.decode()
    assert f'<option value="{service.pk}" selected>' in chosen
    assert chosen.count("<article") == 1
    foreign = coordinator_client.get(reverse("referrals:board"), {"service": other_service.pk})
    assert "service" in foreign.context["filters"].errors  # refused, not applied


@pytest.mark.django_db
@time_machine.travel(date(2026, 11, 26), tick=False)
def test_home_panel_rows_name_the_parent_link_the_record_and_escape_names(coordinator_client, organisation, service):
    today = date(2026, 11, 26)
    parent = ParentFactory(
        organisation=organisation, first_name="<script>x</script>", preferred_name="", last_name="O'Neil"
    )
    referral = ReferralFactory(
        organisation=organisation, parent=parent, service=service, urgency=1, received_on=today - timedelta(days=2)
    )
    ending = ReferralFactory(
        organisation=organisation, service=service, status="active", eligibility_end=date(2027, 1, 5)
    )
    child = ChildFactory(
        parent=ParentFactory(organisation=organisation, preferred_name="Kat"), due_date=date(2026, 9, 1)
    )
    ReferralFactory(organisation=organisation, parent=child.parent, service=service, status="waiting")
    page = coordinator_client.get(reverse("home")).content.decode()
    assert "<script>x</script>" not in page
    assert (
        f'<li><a href="{reverse("referrals:referral-detail", args=[referral.pk])}">&lt;script&gt;x&lt;/script&gt;'
        f" O&#x27;Neil</a>, {service.name} (urgent, received 24 Nov 2026)</li>"
    ) in page
    assert f'<a href="{reverse("referrals:referral-detail", args=[ending.pk])}">' in page
    assert f"{service.name}: ends 5 Jan 2027</li>" in page
    assert (
        f'<a href="{reverse("referrals:child-edit", args=[child.pk])}">Kat {child.parent.last_name}</a>: due 1 Sep 2026'
        in page
    )
