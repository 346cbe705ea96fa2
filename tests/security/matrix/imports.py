"""Rows of the imports app (issue 25): managers only. Coordinators neither
see nor run imports (an import writes many records at once and can be
undone: a manager's decision); another organisation's batch is not found."""

from __future__ import annotations

from tests.security.matrix.answers import LOGIN, MANAGER_OTHER, MANAGER_OWN, MANAGERS_ONLY, REDIRECT, Case, answers

PAGES: dict[str, list[Case]] = {
    "imports:index": [
        Case(MANAGERS_ONLY),
        Case(answers(LOGIN, 403, 403, 403, 400, 403), method="POST", data={}, note="no file: field errors"),
    ],
    "imports:template": [
        Case(MANAGERS_ONLY, args=("volunteers", "csv")),
        Case(MANAGERS_ONLY, args=("volunteers", "xlsx")),
        Case(answers(LOGIN, 403, 403, 403, 404, 403), args=("nothing", "csv"), note="no such kind"),
    ],
    "imports:detail": [
        Case(MANAGER_OWN, args=("import_batch",)),
        Case(MANAGER_OTHER, args=("other_import_batch",)),
    ],
    "imports:columns": [
        Case(MANAGER_OWN, args=("import_batch",)),
        Case(MANAGER_OTHER, args=("other_import_batch",)),
        Case(
            answers(LOGIN, 403, 403, 403, REDIRECT, 403),
            args=("import_batch",),
            method="POST",
            data={},
            note="every column ignored: checked (the file is gone: failed), to the batch's page",
        ),
    ],
    "imports:apply": [
        Case(answers(LOGIN, 403, 403, 403, 405, 403), args=("import_batch",)),
        Case(
            answers(LOGIN, 403, 403, 403, REDIRECT, 403),
            args=("import_batch",),
            method="POST",
            data={},
            note="no mode: a message on the batch's page",
        ),
        Case(MANAGER_OTHER, args=("other_import_batch",), method="POST", data={}),
    ],
    "imports:cancel": [
        Case(answers(LOGIN, 403, 403, 403, 405, 403), args=("import_batch",)),
        Case(
            answers(LOGIN, 403, 403, 403, REDIRECT, 403),
            args=("import_batch",),
            method="POST",
            data={},
            note="not running: a message",
        ),
        Case(MANAGER_OTHER, args=("other_import_batch",), method="POST", data={}),
    ],
    "imports:undo": [
        Case(answers(LOGIN, 403, 403, 403, REDIRECT, 403), args=("import_batch",), note="not applied: a message"),
        Case(MANAGER_OTHER, args=("other_import_batch",)),
        Case(answers(LOGIN, 403, 403, 403, REDIRECT, 403), args=("import_batch",), method="POST", data={}),
        Case(MANAGER_OTHER, args=("other_import_batch",), method="POST", data={}),
    ],
    "imports:problems": [
        Case(MANAGER_OWN, args=("import_batch",)),
        Case(MANAGER_OTHER, args=("other_import_batch",)),
    ],
}

API: dict = {}
