"""The columns of the family, referral, match, group, directory and
referrer kinds: each file's header maps to one column only."""

from __future__ import annotations

import pytest

from operations.imports.cells import fold
from operations.imports.kinds import KINDS

OURS = ("parents", "referrals", "matches", "groups", "directory", "referrers")


@pytest.mark.parametrize("key", OURS)
def test_external_id_comes_first_and_no_header_means_two_columns(key):
    kind = KINDS[key]
    assert (kind.columns[0].header, kind.columns[0].required) == ("External ID", True)
    owner: dict[str, str] = {}
    for column in kind.columns:
        for name in {fold(column.header), *(fold(alias) for alias in column.aliases)}:
            assert owner.setdefault(name, column.header) == column.header, (name, owner[name], column.header)
    assert all(column.meaning and column.example is not None for column in kind.columns)


@pytest.mark.parametrize("key", OURS)
def test_the_kinds_depend_only_on_kinds_that_exist(key):
    assert set(KINDS[key].depends_on) <= set(KINDS)
