"""Counting a page's SQL queries for the tests that hold them flat."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext


def repeat_view_queries(client, url: str, **headers) -> int:
    """The queries of a repeat view of ``url``: the page's own work, the same
    at every size of data. One view first: it may make settings rows used for
    the first time, and it fills Django's per-process caches (content types)."""
    assert client.get(url, **headers).status_code == 200
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url, **headers).status_code == 200
    return len(captured)
