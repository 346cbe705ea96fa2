"""Querysets compiled once per process and run again with new dates.

Building a queryset and compiling it to SQL is Django's work in Python: for
the coordinator's home page, whose panels ask nine questions, it took longer
than PostgreSQL took to answer them (the referral panels: 8.5 ms through the
ORM, 2.6 ms for the same two statements run as SQL). Most of those
questions are asked again and again with only the date changed.

``rows(name, viewer_shape, build, today=…)`` (or ``tuples``) compiles ``build(today=…)`` once
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
- ``build`` is compiled three times, with stand-in dates far in the future
  that differ in every calendar property (month, day of the month, leap
  year, weekday, time of day); an input must reach the parameters as given
  or moved by the same fixed amount in all three (``today - 7 days``), and
  every other parameter must be the same in all three. A value worked out
  some other way (a month added, working days counted, the clock read
  inside ``build`` instead of the input) differs between them and raises;
  a date or time that is the same in all three (the clock read beside the
  inputs, or a fixed date) raises too: every date in the SQL is an input.

Only on PostgreSQL (where statements are also prepared,
``DB_PREPARED_STATEMENTS``); elsewhere ``build`` runs afresh every time.
Statements are kept per viewer (the SQL a person's ``visible_to`` gives
names them), so a person's first page in each process compiles them; each
process keeps at most ``MAX_KEPT``."""

from __future__ import annotations

import calendar
import datetime as dt
import enum
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import EmptyResultSet
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import QuerySet
from django.db.models.query import NamedValuesListIterable, ValuesIterable, ValuesListIterable

from operations.core.models import active_membership

#: Statements kept per process, about 1.5 kB each (measured; their SQL text
#: is shared by everyone of one organisation and role): a national
#: federation's 2,000 volunteers with six statements each fit, in about 18 MB.
MAX_KEPT = 20_000
#: Stand-ins for input k in round r lie in the years from
#: FIRST_YEAR + k*SLOT_YEARS + r*ROUND_YEARS: far from real dates and from
#: each other, so a fixed move (at most MAX_MOVE) names one input.
FIRST_YEAR = 2200
SLOT_YEARS = 300
ROUND_YEARS = 90
MAX_MOVE = dt.timedelta(days=366 * 40)
MAX_INPUTS = (9000 - FIRST_YEAR) // SLOT_YEARS
#: Each round's stand-in: (leap year?, month, day, weekday or None, time of
#: day). No two alike in any of these, so a value worked out by the calendar
#: (a month or year added, the first of the month, working days, the start
#: of the day) moves differently in each round and is caught.
ROUNDS = (
    (True, 1, 31, None, dt.time(0, 0)),
    (False, 6, 10, 5, dt.time(12, 34, 56, 789000)),  # moved on to a Saturday
    (True, 2, 29, None, dt.time(23, 59, 59)),
)

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
    using: str
    #: Column position -> (Django's converters, the column's expression):
    #: what the compiler would apply to each value (JSON, arrays on SQLite…).
    converters: dict
    trim_to: int | None  # columns Django selects for ordering only


def viewer_shape(user) -> tuple:
    """What decides the SQL a person's ``visible_to`` produces."""
    membership = active_membership(user)
    if membership is None:
        return (user.pk, None)
    organisation = membership.organisation
    return (user.pk, membership.pk, membership.organisation_id, membership.role, organisation.config_stamp)


def rows(name: str, shape: tuple, build: Callable[..., QuerySet], **inputs) -> list[dict]:
    """The rows of ``build(**inputs)``, a ``values()`` or ``values_list()``
    queryset, as dicts. ``inputs`` are dates and times (or dicts and tuples
    of them); every date or time in the SQL must come from one."""
    names, found = _answer(name, shape, build, inputs)
    return [dict(zip(names, row, strict=True)) for row in found]


def tuples(name: str, shape: tuple, build: Callable[..., QuerySet], **inputs) -> list[tuple]:
    """``rows``, each a tuple of the columns in the order ``build`` asks
    for them (for callers that unpack rows)."""
    return _answer(name, shape, build, inputs)[1]


def _answer(name: str, shape: tuple, build: Callable[..., QuerySet], inputs: dict) -> tuple[tuple, list[tuple]]:
    """The column names and the rows as tuples, kept or afresh."""
    if not _keeps_statements():
        queryset = _rows_queryset(build(**inputs))
        found = [tuple(row.values()) if isinstance(row, dict) else tuple(row) for row in queryset]
        return _names(queryset.query), found
    paths, values = _flatten(inputs)
    key = (name, shape, paths)
    compiled = _kept.get(key)
    if compiled is None:
        compiled = _compile(build, inputs, paths, values)
        if len(_kept) >= MAX_KEPT:
            # Cheaper than tracking use: what is in use compiles again on its next page.
            _kept.clear()
        _kept[key] = compiled
    return compiled.names, _run(compiled, values)


def _rows_queryset(queryset: QuerySet) -> QuerySet:
    if queryset._iterable_class not in (ValuesIterable, ValuesListIterable, NamedValuesListIterable):
        raise StatementError("build must return values() or values_list() (not flat, not model instances)")
    return queryset


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
    leap, month, day, weekday, time_of_day = ROUNDS[round_]
    year = FIRST_YEAR + index * SLOT_YEARS + round_ * ROUND_YEARS
    while calendar.isleap(year) != leap:
        year += 1
    day_of = dt.date(year, month, day)
    if weekday is not None:
        day_of += dt.timedelta(days=(weekday - day_of.weekday()) % 7)
    if isinstance(value, dt.datetime):
        return dt.datetime.combine(day_of, time_of_day, tzinfo=value.tzinfo)
    return day_of


def _refuse_queries(execute, sql, params, many, context):
    raise StatementError("build read the database: data would be frozen into the kept statement")


def _compile_once(build: Callable[..., QuerySet], inputs: dict, values: list):
    with connections[DEFAULT_DB_ALIAS].execute_wrapper(_refuse_queries):
        queryset = _rows_queryset(build(**_rebuild(inputs, values)))
        query = queryset.query
        compiler = query.get_compiler(queryset.db)
        try:
            sql, params = compiler.as_sql()
        except EmptyResultSet:
            sql, params = None, ()
    return sql, tuple(params), _names(query), compiler


def _names(query) -> tuple[str, ...]:
    """The columns of a ``values()`` or ``values_list()`` row, in order."""
    if query.selected:
        return tuple(query.selected)
    return (*query.extra_select, *query.values_select, *query.annotation_select)


def _compile(build: Callable[..., QuerySet], inputs: dict, paths: tuple, values: tuple) -> _Compiled:
    rounds = [[_stand_in(value, index, round_) for index, value in enumerate(values)] for round_ in range(len(ROUNDS))]
    compiled = [_compile_once(build, inputs, stand_ins) for stand_ins in rounds]
    sql, params, names, compiler = compiled[0]
    if any(other[0] != sql or len(other[1]) != len(params) for other in compiled[1:]):
        raise StatementError("the SQL changes with the dates: compile it afresh instead")
    if sql is None:  # no rows for this viewer whatever the dates (``.none()``)
        return _Compiled(None, (), names, compiler.using, {}, None)
    kept_params, used = [], set()
    for position, param in enumerate(params):
        found = [other[1][position] for other in compiled]
        slot = _slot_of(found, rounds)
        if slot is None:
            if any(other != param for other in found):
                raise StatementError(f"a parameter is worked out from a date other than by a fixed move: {paths}")
            if isinstance(param, dt.date):
                # The same in every round: not from an input. The clock read
                # inside build? It would be frozen at this moment.
                raise StatementError(f"a date or time in the SQL that is not an input: pass {param!r} in")
            # A choice's plain value: the driver adapts a str at once, an
            # enum after looking up its class.
            kept_params.append(param.value if isinstance(param, enum.Enum) else param)
        else:
            used.add(slot.index)
            kept_params.append(slot)
    unused = [paths[index] for index in range(len(values)) if index not in used]
    if unused:
        raise StatementError(f"inputs not in the SQL as given or moved by a fixed amount: {unused}")
    trim_to = compiler.col_count if compiler.has_extra_select else None
    converters = compiler.get_converters([column[0] for column in compiler.select[: compiler.col_count]])
    # One copy of each SQL text however many people it is kept for.
    return _Compiled(sys.intern(sql), tuple(kept_params), names, compiler.using, converters, trim_to)


def _slot_of(found: list, rounds: list[list]) -> _Slot | None:
    """The input that ``found`` (a parameter's value in each round) is,
    moved by the same amount in every round; None: not a moved input."""
    first = found[0]
    if not isinstance(first, dt.date) or any(type(value) is not type(first) for value in found):
        return None
    for index, stand_in in enumerate(rounds[0]):
        if type(stand_in) is not type(first):
            continue
        move = first - stand_in
        if abs(move) <= MAX_MOVE and all(
            value - stand_ins[index] == move for value, stand_ins in zip(found, rounds, strict=True)
        ):
            return _Slot(index, move)
    return None


def _run(compiled: _Compiled, values: tuple) -> list[tuple]:
    if compiled.sql is None:
        return []
    params = [values[p.index] + p.move if isinstance(p, _Slot) else p for p in compiled.params]
    # This thread's connection: a statement may be kept by another thread.
    connection = connections[compiled.using]
    with connection.cursor() as cursor:
        cursor.execute(compiled.sql, params)
        fetched = cursor.fetchall()
    if compiled.trim_to is None and not compiled.converters:
        return fetched
    found = []
    for row in fetched:
        if compiled.trim_to is not None:
            row = row[: compiled.trim_to]
        if compiled.converters:
            row = list(row)
            for position, (converters, expression) in compiled.converters.items():
                value = row[position]
                for converter in converters:
                    value = converter(value, expression, connection)
                row[position] = value
        found.append(tuple(row))
    return found
