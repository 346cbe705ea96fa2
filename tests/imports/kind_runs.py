"""Running one kind's rows the way the engine does, for the kinds' tests:
check every row (a dry run writes nothing), then apply the good ones and
remember each record under its external id, so a later run finds it."""

from __future__ import annotations

from operations.imports.kinds import KINDS
from operations.imports.kinds.base import Applied, Checked, ImportContext, Planned


def context_for(organisation, user, *, dry_run: bool = False, remembered: ImportContext | None = None) -> ImportContext:
    context = ImportContext(organisation, user, dry_run=dry_run)
    if remembered is not None:
        # What earlier runs imported (the engine's ImportedRecord rows).
        context._this_run = dict(remembered._this_run)
    return context


def check(kind_key: str, rows: list[dict], context: ImportContext) -> list[Checked]:
    """Every row checked, as a dry run: rows checked earlier come back as Planned."""
    kind = KINDS[kind_key]
    checked = []
    for line, row in enumerate(rows, start=2):
        result = kind.check(row, line, context)
        checked.append(result)
        if result.ok and context.dry_run:
            context.remember(kind_key, result.external_id, Planned(kind_key, result.external_id, line))
    return checked


def run(kind_key: str, rows: list[dict], context: ImportContext) -> list[Applied]:
    """Check and apply every row (each must be right), remembering the records."""
    kind = KINDS[kind_key]
    applied = []
    for line, row in enumerate(rows, start=2):
        checked = kind.check(row, line, context)
        assert checked.ok, [(p.column, p.problem) for p in checked.problems]
        result = kind.apply(checked, context)
        context.remember(kind_key, checked.external_id, result.record)
        applied.append(result)
    return applied


def problems(checked: Checked) -> list[str]:
    return [f"{p.column}: {p.problem}" for p in checked.problems]
