"""What a kind of import is: the contract between the engine and the kinds.

See docs/guides/importing.md. A kind turns one row (header -> text) into a
:class:`Checked` (``check``, which never writes) and writes it through the
existing services (``apply``). The engine keeps the external ids
(``ImportedRecord``) and undoes a batch with ``untouched``/``undo``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar

if TYPE_CHECKING:
    from django.db import models

    from operations.core.models import Organisation, User

__all__ = ["Applied", "Checked", "Column", "ImportContext", "ImportKind", "Planned", "Problem"]


@dataclass(frozen=True)
class Column:
    header: str  # as in the template, e.g. "First name"
    meaning: str  # one sentence for the template's notes
    example: str  # the example row's value
    required: bool = False
    aliases: tuple[str, ...] = ()  # headers other systems use, matched with fold()


@dataclass
class Problem:
    column: str  # a Column.header, or "" for the whole row
    problem: str  # what is wrong, in plain words
    fix: str  # how to fix it


@dataclass
class Checked:
    line: int  # line in the file (header = line 1)
    external_id: str  # the row's "External ID"
    data: dict  # cleaned values, ready for apply()
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


@dataclass
class Applied:
    record: Any  # models.Model
    action: str  # "created" | "updated" | "unchanged"


@dataclass(frozen=True)
class Planned:
    """What ``ImportContext.existing`` returns in a dry run for a row checked
    earlier in the same file: the record does not exist yet, but it will.
    (The row's data is not kept: memory stays flat for a large file.)"""

    kind: str
    external_id: str
    line: int


class ImportContext:
    """Built by the engine, one per run (a dry run or an apply).

    Beyond the interface: ``remember``/``handled`` are the engine's (a kind
    need not call them); in a dry run ``existing`` returns a ``Planned``
    (kind, external_id, line: no data, so memory stays flat) for a row
    checked earlier in the file. A kind's tests build one directly:
    ``ImportContext(organisation, user, dry_run=True)``."""

    def __init__(
        self,
        organisation: Organisation,
        user: User | None,
        *,
        today: dt.date | None = None,
        dry_run: bool = True,
        file_name: str = "",
    ) -> None:
        from django.utils import timezone

        self.organisation = organisation
        self.user = user
        self.today = today or timezone.localdate()
        self.dry_run = dry_run
        self.file_name = file_name
        #: Scratch space kept across the rows of one run, keyed by the kind.
        self.seen: dict[str, Any] = {}
        self._this_run: dict[tuple[str, str], Any] = {}
        #: The chunk's external ids read ahead in one query (see ``prefetch``).
        self._known: dict[tuple[str, str], Any] = {}

    def prefetch(self, kind_key: str, external_ids: list[str]) -> None:
        """Reads the ImportedRecord rows of a chunk's external ids in one query,
        so ``existing`` asks the database again only for a record that exists.
        The engine calls it for each chunk; the previous chunk's are dropped."""
        from operations.imports.models import ImportedRecord

        wanted = [external_id for external_id in dict.fromkeys(external_ids) if external_id]
        self._known = dict.fromkeys(((kind_key, external_id) for external_id in wanted), None)
        rows = ImportedRecord.objects.filter(
            organisation=self.organisation, kind=kind_key, external_id__in=wanted
        ).select_related("content_type")
        for row in rows:
            self._known[(kind_key, row.external_id)] = (row.content_type.model_class(), row.object_id)

    def existing(self, kind_key: str, external_id: str) -> models.Model | Planned | None:
        """The record imported earlier in this organisation with that kind and
        external id, or one created earlier in this same run. In a dry run a row
        checked earlier in the file comes back as a :class:`Planned`."""
        if not external_id:
            return None
        found = self._this_run.get((kind_key, external_id))
        if found is None and (kind_key, external_id) in self._known:
            found = self._known[(kind_key, external_id)]
            if found is None:
                return None  # looked up with its chunk: not imported before
        if isinstance(found, tuple):  # (model, pk): fetched again, not held for every row
            model, pk = found
            return model._base_manager.filter(pk=pk).first()
        if found is not None:
            return found
        from operations.imports.models import ImportedRecord

        imported = (
            ImportedRecord.objects.filter(organisation=self.organisation, kind=kind_key, external_id=external_id)
            .select_related("content_type")
            .first()
        )
        return imported.record if imported else None

    def imported_before(self, kind_key: str, external_id: str) -> bool:
        """Whether the chunk's read ahead found an ImportedRecord row for that
        id (its record may have been deleted since: the row is then stale)."""
        return self._known.get((kind_key, external_id)) is not None

    def remember(self, kind_key: str, external_id: str, record: Any) -> None:
        """The engine's note of a row handled in this run (a record, or a Planned in a dry run)."""
        if not external_id:
            return
        if isinstance(record, Planned) or getattr(record, "pk", None) is None:
            self._this_run[(kind_key, external_id)] = record
        else:
            self._this_run[(kind_key, external_id)] = (type(record), record.pk)

    def forget(self, kind_key: str, external_ids: list[str]) -> None:
        """The engine's: drops its notes of these rows (a chunk about to be applied, or rolled back)."""
        for external_id in external_ids:
            self._this_run.pop((kind_key, external_id), None)

    def handled(self, kind_key: str, external_id: str) -> bool:
        """Whether a row of this run already had that kind and external id."""
        return (kind_key, external_id) in self._this_run


class ImportKind:
    """One kind of record that can be imported. Subclass, then ``register(Kind())``."""

    key: ClassVar[str]  # "volunteers", "parents", ...
    label: ClassVar[str]  # "Volunteers and PSOs"
    model: ClassVar[type]  # the record the external id points at
    columns: ClassVar[tuple[Column, ...]]  # first is Column("External ID", ..., required=True)
    depends_on: ClassVar[tuple[str, ...]] = ()  # kinds whose external ids this kind's rows refer to

    def check(self, row: dict[str, str], line: int, context: ImportContext) -> Checked:
        """Check one row (header -> stripped text, '' when blank). Never writes."""
        raise NotImplementedError

    def apply(self, checked: Checked, context: ImportContext) -> Applied:
        """Write one checked row through the existing services, inside the engine's transaction."""
        raise NotImplementedError

    def prepare_chunk(self, rows: list[dict[str, str]], context: ImportContext) -> None:
        """Called with each chunk's rows (as ``check`` gets them) before they
        are checked: a kind may read ahead, in one query for the chunk, what
        its ``check`` would otherwise ask the database row by row (keeping it
        in ``context.seen``, replaced chunk by chunk so memory stays flat).
        The default reads nothing."""

    def apply_many(self, checked_rows: list[Checked], context: ImportContext) -> list[Applied]:
        """Write a chunk of checked rows (in order), one Applied each. The
        default applies them one by one; a kind may write them in bulk, with
        the same rules. Raises like apply() when any row is refused: the
        engine then applies that chunk row by row to find which."""
        applied = []
        for checked in checked_rows:
            one = self.apply(checked, context)
            context.remember(self.key, checked.external_id, one.record)  # a later row may refer to it
            applied.append(one)
        return applied

    def untouched(self, record, imported_at: dt.datetime) -> bool:
        """True while nothing has been done with the record since the import."""
        raise NotImplementedError

    def undo(self, record) -> None:
        """Delete what apply() created for this record."""
        raise NotImplementedError

    # Helpers every kind may use -------------------------------------------------

    def column(self, header: str) -> Column:
        return next(column for column in self.columns if column.header == header)

    def missing_required(self, row: dict[str, str]) -> list[Problem]:
        """A Problem for each required column left blank."""
        return [
            Problem(
                column.header, f"{column.header} is blank.", f"Fill in {column.header}, for example “{column.example}”."
            )
            for column in self.columns
            if column.required and not row.get(column.header, "").strip()
        ]
