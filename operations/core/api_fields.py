"""Serializer fields shared by the apps' APIs."""

from __future__ import annotations

from rest_framework import serializers

#: The largest id a database primary key (bigint) can hold: a larger number
#: must be a 400, not an overflow deep in the database driver.
MAX_ID = 2**63 - 1


def id_field(**kwargs) -> serializers.IntegerField:
    """An integer that names a record by its id."""
    return serializers.IntegerField(min_value=1, max_value=MAX_ID, **kwargs)
