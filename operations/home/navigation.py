"""The top bar: which links each role sees, and where the current page is.

The bar keeps to one row at 1280 px. Coordinators and managers reach some
twenty pages, so theirs are grouped in menus by section, the same menus for
both so a page is where a colleague says it is. A PSO's eight fit once
supervision and groups fold into two small menus; a volunteer's five are
plain links.

A link is shown to the roles whose views open it (the views refuse everyone
else): the bar spares people links that would only refuse them. This module
sits in the top layer because it names every app's pages (by URL name only).
"""

from __future__ import annotations

from dataclasses import dataclass

from operations.core.models import Role


@dataclass(frozen=True)
class Link:
    label: str
    url_name: str
    managers_only: bool = False
    #: Standing alone in the bar: the pages (view names beginning with one of these) it marks as current.
    pages: tuple[str, ...] = ()


@dataclass(frozen=True)
class Menu:
    label: str
    #: The section's pages: view names (``namespace:name``) beginning with one of these.
    pages: tuple[str, ...]
    links: tuple[Link, ...]


STAFF_BAR: tuple[Menu, ...] = (
    Menu(
        "Referrals",
        pages=("referrals:", "outcomes:alert-", "outcomes:assessment-", "safeguarding:", "online_referrals:"),
        links=(
            Link("Triage board", "referrals:board"),
            Link("Waiting list", "referrals:waiting-list"),
            Link("Parents", "referrals:parent-list"),
            # Online forms held for a coordinator's eye (duplicates, past the end); managers open the forms there.
            Link("Online forms", "online_referrals:to-check"),
            Link("Referrers", "referrals:referrers"),
            Link("Transfers", "referrals:transfer-list"),
            Link("Safety alerts", "outcomes:alert-list"),
            Link("Concerns", "safeguarding:concern-list"),
        ),
    ),
    Menu(
        "People",
        pages=("volunteers:", "matching:", "expenses:"),
        links=(
            Link("Volunteers", "volunteers:list"),
            Link("Compliance", "volunteers:compliance"),
            Link("Matching", "matching:proposals"),
            Link("Matches", "matching:match-list"),
            # Claims to decide and payment batches; the manager's expense settings open from that page.
            Link("Expenses", "expenses:list"),
        ),
    ),
    Menu(
        "Groups",
        pages=("groups:", "calendar:"),
        links=(
            Link("Groups", "groups:list"),
            Link("Calendar", "calendar:index"),
        ),
    ),
    Menu(
        "Reports",
        pages=("dashboard:", "evaluation:", "notifications:log", "notifications:retry", "notifications:settings"),
        links=(
            Link("Dashboard", "dashboard:index", managers_only=True),
            Link("Evaluation", "evaluation:project-list", managers_only=True),
            Link("Notification log", "notifications:log"),
        ),
    ),
    Menu(
        "Admin",
        pages=(
            "service-list",
            "service-detail",
            "outcomes:questionnaire-",
            "outcomes:wording-",
            "audit-log",
            "retention",
            "federation:sharing",
            "admin:",
            "imports:",
        ),
        links=(
            Link("Services", "service-list"),
            # Spreadsheets and other systems' exports, brought in once (managers only).
            Link("Import", "imports:index", managers_only=True),
            # The organisation's own outcome questionnaires: set up once, like its services.
            Link("Questionnaires", "outcomes:questionnaire-list", managers_only=True),
            Link("Audit log", "audit-log", managers_only=True),
            Link("Retention", "retention", managers_only=True),
            # Whether the organisation's figures count in its federation's roll-up.
            Link("Federation sharing", "federation:sharing", managers_only=True),
            Link("Administration", "admin:index", managers_only=True),
        ),
    ),
)

PSO_BAR: tuple[Link | Menu, ...] = (
    Link("My families", "matching:match-list", pages=("matching:", "outcomes:assessment-")),
    # Her own week, areas, languages, break and checks.
    Link("My details", "volunteers:me", pages=("volunteers:me",)),
    Link("Concerns", "safeguarding:concern-list", pages=("safeguarding:",)),
    Menu(
        "Supervision",
        pages=("volunteers:list", "volunteers:detail", "volunteers:supervision"),
        links=(
            Link("Supervisees", "volunteers:list"),
            Link("Log supervision", "volunteers:supervision-new"),
        ),
    ),
    Menu(
        "Groups",
        pages=("groups:", "calendar:"),
        links=(
            Link("My groups", "groups:list"),
            Link("Calendar", "calendar:index"),
        ),
    ),
    Link("Expenses", "expenses:mine", pages=("expenses:",)),
)

# A volunteer's concerns are reached from their home page.
VOLUNTEER_BAR: tuple[Link, ...] = (
    Link("My families", "matching:match-list", pages=("matching:", "outcomes:assessment-")),
    Link("My groups", "groups:list", pages=("groups:",)),
    Link("Calendar", "calendar:index", pages=("calendar:",)),
    Link("Expenses", "expenses:mine", pages=("expenses:",)),
    Link("My details", "volunteers:me", pages=("volunteers:me",)),
)

#: Not a role of an organisation: a federation officer belongs to none
#: (operations.core.federations) and sees only the federation's pages.
FEDERATION_OFFICER = "federation_officer"

FEDERATION_BAR: tuple[Link, ...] = (
    Link("Roll-up", "federation:rollup", pages=("federation:rollup",)),
    Link("Coverage", "federation:coverage", pages=("federation:coverage",)),
    # Pooled evaluation across the members that opted in (operations/evaluation/pooled).
    Link("Pooled evaluation", "pooled:project-list", pages=("pooled:",)),
)

BARS: dict[str, tuple[Link | Menu, ...]] = {
    Role.MANAGER: STAFF_BAR,
    Role.COORDINATOR: STAFF_BAR,
    Role.PSO: PSO_BAR,
    Role.VOLUNTEER: VOLUNTEER_BAR,
    FEDERATION_OFFICER: FEDERATION_BAR,
}


@dataclass(frozen=True)
class Shown:
    """One entry of the bar as the template draws it: a menu when it has
    ``links``, else a link to ``url_name``."""

    label: str
    url_name: str
    #: The ``aria-current`` value: "page" on the link to this page, "true"
    #: on the menu (or lone link) of the section the page is in, else "".
    current: str
    links: tuple[Shown, ...] = ()

    @property
    def slug(self) -> str:
        return self.label.lower().replace(" ", "-")


def top_bar(*, role: str, view_name: str) -> tuple[Shown, ...]:
    """The entries after Home for ``role`` on the page named ``view_name``
    (``""`` for a page without a name, such as an error page)."""
    shown = []
    for entry in BARS.get(role, ()):
        in_section = bool(view_name) and view_name.startswith(entry.pages)
        if isinstance(entry, Link):
            shown.append(_link(entry, view_name, in_section=in_section))
            continue
        links = tuple(_link(link, view_name) for link in entry.links if role == Role.MANAGER or not link.managers_only)
        if links:
            shown.append(Shown(entry.label, "", "true" if in_section else "", links))
    return tuple(shown)


def _link(link: Link, view_name: str, *, in_section: bool = False) -> Shown:
    current = "page" if link.url_name == view_name else "true" if in_section else ""
    return Shown(link.label, link.url_name, current)
