"""Links to one record on every row of a long list, without a full reverse()
per row: a reverse costs as much as the rest of a row's rendering."""

from __future__ import annotations

from functools import lru_cache

from django.urls import get_script_prefix, reverse

_MARKER = 2_147_483_647


@lru_cache(maxsize=128)
def _around_pk(name: str, prefix: str) -> tuple[str, str]:
    head, _, tail = reverse(name, args=[_MARKER]).partition(str(_MARKER))
    return head, tail


def record_url(name: str, pk: int) -> str:
    """``reverse(name, args=[pk])`` for a URL whose one argument is an integer
    primary key; the pattern is reversed once per name and script prefix."""
    head, tail = _around_pk(name, get_script_prefix())
    return f"{head}{int(pk)}{tail}"
