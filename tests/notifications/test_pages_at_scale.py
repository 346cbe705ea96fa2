"""The notification log and centre make the same number of queries whatever
the number of notifications, and show a page of them with the total."""

from __future__ import annotations

import pytest
from django.utils import timezone

from operations.notifications.models import Channel, Notification, Status
from operations.notifications.views import LOG_PAGE_SIZE

pytestmark = pytest.mark.django_db


def add_notifications(organisation, user, count: int, start: int = 0) -> None:
    now = timezone.now()
    Notification.objects.bulk_create(
        Notification(
            organisation=organisation,
            key=f"scale-{start + index}",
            kind=["visit_reminder", "pvg_renewal"][index % 2],
            channel=Channel.IN_APP,
            recipient_user=user,
            subject=f"Reminder {start + index}",
            body="Something is due",
            due_at=now,
            status=Status.SENT,
            sent_at=now,
        )
        for index in range(count)
    )


#: The queries of a repeat view of each page, the same at every size.
QUERIES = {
    # 1 session, 2 user, 3 membership, 4 the kinds (the filter), 5 count of the
    # organisation's notifications (the pager), 6 the bell, 7 the page with
    # each recipient.
    "/notifications/log/": 7,
    # 1 session, 2 user, 3 membership, 4 count of one's own (the pager), 5 the
    # bell, 6 the page.
    "/notifications/": 6,
}


@pytest.mark.parametrize("url", QUERIES)
def test_query_count_does_not_grow_with_notifications(
    organisation, coordinator, coordinator_client, url, django_assert_num_queries
):
    for start, count in ((0, 3), (3, 120)):
        add_notifications(organisation, coordinator, count, start=start)
        coordinator_client.get(url)  # warm-up: the first view fills per-process caches
        with django_assert_num_queries(QUERIES[url]):
            assert coordinator_client.get(url).status_code == 200


def test_the_log_shows_a_page_and_the_total(organisation, coordinator, coordinator_client):
    add_notifications(organisation, coordinator, LOG_PAGE_SIZE + 1)
    first = coordinator_client.get("/notifications/log/").content.decode()
    assert f"{LOG_PAGE_SIZE + 1} notifications" in first
    assert first.count("Something is due") == 0  # the body is not on the log
    assert first.count("<td>Visit reminder</td>") + first.count("<td>PVG renewal</td>") == LOG_PAGE_SIZE
    assert "Page 1 of 2" in first
    second = coordinator_client.get("/notifications/log/?page=2").content.decode()
    assert "Page 2 of 2" in second
