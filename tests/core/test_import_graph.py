"""The layers import downwards only, and groups and notifications in one direction: groups
announces what happened (``operations.groups.signals``) and notifications
writes the messages. Read from the source (ast), so an import tucked inside
a function counts too."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def imported_modules(package: str) -> dict[str, set[str]]:
    """Each module of ``package`` (dotted name) and the modules it imports."""
    folder = ROOT.joinpath(*package.split("."))
    found: dict[str, set[str]] = {}
    for path in sorted(folder.rglob("*.py")):
        if "migrations" in path.parts:
            continue
        module = ".".join(path.relative_to(ROOT).with_suffix("").parts)
        names: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names.update(alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names.add(node.module)
                names.update(f"{node.module}.{alias.name}" for alias in node.names)
        found[module] = names
    return found


def importers(of: str, by: str) -> list[str]:
    """Modules of ``by`` that import anything of ``of``."""
    return sorted(
        module
        for module, names in imported_modules(by).items()
        if any(name == of or name.startswith(f"{of}.") for name in names)
    )


def test_groups_never_imports_notifications() -> None:
    assert importers("operations.notifications", by="operations.groups") == []


def test_notifications_imports_groups_so_the_graph_has_one_direction() -> None:
    # The direction is deliberate (notifications sits above groups); the test
    # above alone would pass if the messages to parents were lost altogether.
    assert "operations.notifications.group_messages" in importers("operations.groups", by="operations.notifications")


#: The top layer of operations/ (see the README's Layout): the lower layers import none of it.
TOP_LAYER = (
    "operations.federation",
    "operations.outcomes",
    "operations.notifications",
    "operations.referrer_updates",
    "operations.groups",
    "operations.dashboard",
    "operations.evaluation",
    "operations.calendar",
    "operations.home",
    "operations.search",
    "operations.imports",
)


def test_referrals_and_volunteers_import_nothing_of_the_top_layer() -> None:
    """The outcome measures live in the top layer, beside groups and
    evaluation: they read a PSO's caseload from matching directly, and the
    parent's page (referrals) shows their panel through page_panels.py."""
    found = {
        (lower, upper): importers(upper, by=lower)
        for lower in ("operations.core", "referrals", "volunteers")
        for upper in TOP_LAYER
    }
    assert {pair: modules for pair, modules in found.items() if modules} == {}
