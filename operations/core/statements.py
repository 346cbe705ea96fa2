"""Querysets compiled once per process and run again with new dates.

Building a queryset and compiling it to SQL is Django's work in Python: for
the coordinator's home page, whose panels ask nine questions, it took longer
than PostgreSQL took to answer them (the referral panels: 8.5 ms through the
ORM, 2.6 ms for the same two statements run as SQL). Most of those
questions are asked again and again with only the date changed.

``rows(name, viewer_shape, build, today=…)`` compiles ``build(today=…)`` once
and keeps the SQL, with a slot wherever a date or time input went into the
parameters; the next call runs the kept SQL with the new values in the
slots. What a kept statement may depend on is checked, not trusted:

- everything that shapes the SQL besides the inputs is in the key:
  ``viewer_shape`` (who asks: organisation, role, membership, and the
  organisation's configuration stamp, so a changed service or target
  compiles anew) and the structure of the inputs (a dict of service ids
  to cut-off dates keys on its ids);
- ``build`` may not read the database: a query while it builds raises, so
  no data can be frozen into a kept statement;
- ``build`` is compiled twice, with two sets of stand-in values; an input
  must reach the parameters as given or moved by a fixed amount
  (``today - 7 days``), and every other parameter must be the same in both.
  A value worked out some other way (a month added, the clock read inside
  ``build``) differs between the two and raises.

Only on PostgreSQL (where statements are also prepared,
``DB_PREPARED_STATEMENTS``); elsewhere ``build`` runs afresh every time.
Each process keeps at most ``MAX_KEPT`` statements (per viewer, so the
first page of the day per person compiles)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import EmptyResultSet
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import QuerySet

from operations.core.models import active_membership

MAX_KEPT = 2000
#: Stand-in years: input k of round r starts at FIRST_YEAR + k*SLOT_YEARS + r*ROUND_YEARS,
#: far from real dates and from each other, so a fixed move names one input.
FIRST_YEAR = 2200
SLOT_YEARS = 300
ROUND_YEARS = 100
MAX_MOVE = dt.timedelta(days=366 * 40)
MAX_INPUTS = (9000 - FIRST_YEAR) // SLOT_YEARS

_kept: dict[tuple, _Compiled] = {}


class StatementError(Exception):
    """``build`` does something a kept statement could not repeat."""


@dataclass(frozen=True)
class _Slot:
    """A parameter that is input ``index`` moved by ``move``."""

    index: int
    move: dt.timedelta


@dataclass(frozen=True)
class _Compiled:
    sql: str | None  # None: the query can have no rows (``.none()``)
    params: tuple
    names: tuple[str, ...]
    compiler: Any
    trim_to: int | None  # columns Django selects for ordering only


def viewer_shape(user) -> tuple:
    """What decides the SQL a person's ``visible_to`` produces."""
    membership = active_membership(user)
    if membership is None:
        return (user.pk, None)
    organisation = membership.organisation
    return (user.pk, membership.pk, membership.organisation_id, membership.role, organisation.config_stamp)


def rows(name: str, shape: tuple, build: Callable[..., QuerySet], **inputs) -> list[dict]:
    """The rows of ``build(**inputs)``, a ``values()`` queryset, as dicts.
    ``inputs`` are dates and times (or dicts and tuples of them)."""
    if not _keeps_statements():
        return list(build(**inputs))
    paths, values = _flatten(inputs)
    key = (name, shape, paths)
    compiled = _kept.get(key)
    if compiled is None:
        compiled = _compile(build, inputs, paths, values)
        if len(_kept) >= MAX_KEPT:
            _kept.clear()  # cheaper than tracking use; a full cache refills in a day
        _kept[key] = compiled
    return _run(compiled, values)


def forget() -> None:
    """Every statement compiles anew (tests)."""
    _kept.clear()


def _keeps_statements() -> bool:
    return connections[DEFAULT_DB_ALIAS].vendor == "postgresql" and settings.KEEP_COMPILED_STATEMENTS


def _flatten(inputs: dict) -> tuple[tuple, tuple]:
    paths, values = [], []
    for name in sorted(inputs):
        for path, value in _leaves(inputs[name], (name,)):
            if not isinstance(value, dt.date):
                raise StatementError(f"input {path} is not a date or time: put it in the shape instead")
            paths.append(path)
            values.append(value)
    if len(values) > MAX_INPUTS:
        raise StatementError(f"at most {MAX_INPUTS} dates or times")
    return tuple(paths), tuple(values)


def _leaves(value, path: tuple) -> Iterator[tuple[tuple, Any]]:
    if isinstance(value, dict):
        for key in sorted(value):
            yield from _leaves(value[key], (*path, key))
    elif isinstance(value, list | tuple):
        for position, item in enumerate(value):
            yield from _leaves(item, (*path, position))
    else:
        yield path, value


def _rebuild(inputs: dict, values: list) -> dict:
    """``inputs`` with its leaves replaced, in order, by ``values``."""
    leaves = iter(values)

    def replace(value):
        if isinstance(value, dict):
            return {key: replace(value[key]) for key in sorted(value)}
        if isinstance(value, list | tuple):
            return type(value)(replace(item) for item in value)
        return next(leaves)

    return {name: replace(inputs[name]) for name in sorted(inputs)}


def _stand_in(value: dt.date, index: int, round_: int) -> dt.date:
    year = FIRST_YEAR + index * SLOT_YEARS + round_ * ROUND_YEARS
    if isinstance(value, dt.datetime):
        return dt.datetime(year, 1, 1, tzinfo=value.tzinfo)
    return dt.date(year, 1, 1)


def _refuse_queries(execute, sql, params, many, context):
    raise StatementError("build read the database: data would be frozen into the kept statement")


def _compile_once(build: Callable[..., QuerySet], inputs: dict, values: list):
    with connections[DEFAULT_DB_ALIAS].execute_wrapper(_refuse_queries):
        queryset = build(**_rebuild(inputs, values))
        query = queryset.query
        compiler = query.get_compiler(queryset.db)
        try:
            sql, params = compiler.as_sql()
        except EmptyResultSet:
            sql, params = None, ()
    if query.selected:
        names = tuple(query.selected)
    else:
        names = (*query.extra_select, *query.values_select, *query.annotation_select)
    return sql, tuple(params), names, compiler


def _compile(build: Callable[..., QuerySet], inputs: dict, paths: tuple, values: tuple) -> _Compiled:
    first = [_stand_in(value, index, 0) for index, value in enumerate(values)]
    second = [_stand_in(value, index, 1) for index, value in enumerate(values)]
    sql, params, names, compiler = _compile_once(build, inputs, first)
    sql_again, params_again, _, _ = _compile_once(build, inputs, second)
    if sql != sql_again or len(params) != len(params_again):
        raise StatementError("the SQL changes with the dates: compile it afresh instead")
    if sql is None:  # no rows for this viewer whatever the dates (``.none()``)
        return _Compiled(None, (), names, compiler, None)
    kept_params, used = [], set()
    for one, other in zip(params, params_again, strict=True):
        slot = _slot_of(one, other, first, second)
        if slot is None:
            if one != other:
                raise StatementError(f"a parameter is worked out from a date other than by a fixed move: {paths}")
            kept_params.append(one)
        else:
            used.add(slot.index)
            kept_params.append(slot)
    unused = [paths[index] for index in range(len(values)) if index not in used]
    if unused:
        raise StatementError(f"inputs not in the SQL as given or moved by a fixed amount: {unused}")
    trim_to = compiler.col_count if compiler.has_extra_select else None
    return _Compiled(sql, tuple(kept_params), names, compiler, trim_to)


def _slot_of(one, other, first: list, second: list) -> _Slot | None:
    if not isinstance(one, dt.date) or type(one) is not type(other):
        return None
    for index, (stand_in, stand_in_again) in enumerate(zip(first, second, strict=True)):
        if type(stand_in) is not type(one):
            continue
        move = one - stand_in
        if abs(move) <= MAX_MOVE and other - stand_in_again == move:
            return _Slot(index, move)
    return None


def _run(compiled: _Compiled, values: tuple) -> list[dict]:
    if compiled.sql is None:
        return []
    params = [values[p.index] + p.move if isinstance(p, _Slot) else p for p in compiled.params]
    compiler = compiled.compiler
    with compiler.connection.cursor() as cursor:
        cursor.execute(compiled.sql, params)
        fetched = cursor.fetchall()
    if compiled.trim_to is not None:
        fetched = [row[: compiled.trim_to] for row in fetched]
    names = compiled.names
    return [dict(zip(names, row, strict=True)) for row in compiler.results_iter(results=[fetched])]
