"""The top bar (operations/home/navigation.py): each role keeps exactly the
links it had before the menus, every one of them opens for that role, and
the page one is on is marked in the bar."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from operations.core.models import Role
from operations.home.navigation import FEDERATION_OFFICER, Shown, top_bar
from operations.notifications.models import TextHandling
from tests.factories import InboundTextFactory

#: The bar's pages per role, as the per-app links offered them before the menus (issue 22).
PAGES_BY_ROLE = {
    # "My details" and "Expenses" (issue 23): her own week, break and checks; her claims.
    Role.VOLUNTEER: {"matching:match-list", "groups:list", "calendar:index", "expenses:mine", "volunteers:me"},
    Role.PSO: {
        "volunteers:me",
        "volunteers:list",
        "volunteers:supervision-new",
        "matching:match-list",
        "safeguarding:concern-list",
        "groups:list",
        "calendar:index",
        "expenses:mine",
    },
    Role.COORDINATOR: {
        "referrals:board",
        "referrals:waiting-list",
        "referrals:parent-list",
        "online_referrals:to-check",
        "referrals:referrers",
        # Transfers of a family to another organisation (issue 24).
        "referrals:transfer-list",
        "outcomes:alert-list",
        "volunteers:list",
        "volunteers:compliance",
        "matching:proposals",
        "matching:match-list",
        "expenses:list",
        "safeguarding:concern-list",
        "groups:list",
        "calendar:index",
        "service-list",
        "notifications:log",
    },
}
PAGES_BY_ROLE[Role.MANAGER] = PAGES_BY_ROLE[Role.COORDINATOR] | {
    "outcomes:questionnaire-list",
    "dashboard:index",
    "evaluation:project-list",
    "imports:index",
    "audit-log",
    "retention",
    # Whether the organisation's figures count in its federation's roll-up (issue 24).
    "federation:sharing",
    "admin:index",
}


def links_of(bar: tuple[Shown, ...]) -> list[Shown]:
    return [link for entry in bar for link in (entry.links or (entry,))]


@pytest.mark.parametrize("role", list(PAGES_BY_ROLE))
def test_each_role_keeps_the_links_it_had(role):
    assert {link.url_name for link in links_of(top_bar(role=role, view_name="home"))} == PAGES_BY_ROLE[role]


def test_staff_get_menus_by_section_and_a_volunteer_plain_links():
    def labels(role):
        return [(entry.label, bool(entry.links)) for entry in top_bar(role=role, view_name="home")]

    sections = [("Referrals", True), ("People", True), ("Groups", True), ("Reports", True), ("Admin", True)]
    assert labels(Role.MANAGER) == sections
    assert labels(Role.COORDINATOR) == sections
    assert labels(Role.PSO) == [
        ("My families", False),
        ("My details", False),
        ("Concerns", False),
        ("Supervision", True),
        ("Groups", True),
        ("Expenses", False),
    ]
    assert labels(Role.VOLUNTEER) == [
        ("My families", False),
        ("My groups", False),
        ("Calendar", False),
        ("Expenses", False),
        ("My details", False),
    ]


def test_the_page_is_marked_and_so_is_its_section():
    bar = {entry.label: entry for entry in top_bar(role=Role.MANAGER, view_name="referrals:waiting-list")}
    assert bar["Referrals"].current == "true"
    assert {link.label: link.current for link in bar["Referrals"].links}["Waiting list"] == "page"
    assert all(entry.current == "" for label, entry in bar.items() if label != "Referrals")

    # A page the menu has no link to (a referral) still marks its section, and no link as the page.
    bar = {entry.label: entry for entry in top_bar(role=Role.COORDINATOR, view_name="referrals:referral-detail")}
    assert bar["Referrals"].current == "true"
    assert all(link.current == "" for link in bar["Referrals"].links)

    # Sections gather pages of several apps.
    for view_name, section in [
        ("safeguarding:concern-detail", "Referrals"),
        ("matching:candidates", "People"),
        ("calendar:index", "Groups"),
        ("notifications:settings", "Reports"),
        ("outcomes:questionnaire-edit", "Admin"),
        ("service-detail", "Admin"),
    ]:
        marked = [entry.label for entry in top_bar(role=Role.MANAGER, view_name=view_name) if entry.current]
        assert marked == [section], view_name

    # Home, an unnamed page and the notification centre mark no section.
    for view_name in ("home", "", "notifications:centre"):
        assert not any(entry.current for entry in top_bar(role=Role.MANAGER, view_name=view_name))


def test_a_lone_link_marks_the_pages_behind_it():
    bar = {entry.label: entry.current for entry in top_bar(role=Role.VOLUNTEER, view_name="matching:match-list")}
    assert bar == {"My families": "page", "My groups": "", "Calendar": "", "Expenses": "", "My details": ""}
    bar = {entry.label: entry.current for entry in top_bar(role=Role.VOLUNTEER, view_name="matching:contact-log-new")}
    assert bar == {"My families": "true", "My groups": "", "Calendar": "", "Expenses": "", "My details": ""}


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("persona", "role"),
    [
        ("volunteer_client", Role.VOLUNTEER),
        ("pso_client", Role.PSO),
        ("coordinator_client", Role.COORDINATOR),
        ("manager_client", Role.MANAGER),
    ],
)
def test_every_link_in_the_bar_opens_for_the_role_that_sees_it(request, service, persona, role):
    client = request.getfixturevalue(persona)
    for url_name in PAGES_BY_ROLE[role]:
        assert client.get(reverse(url_name)).status_code == 200, url_name


def nav_of(page: str) -> str:
    return page.split('<nav class="navbar', 1)[1].split("</nav>", 1)[0]


@pytest.mark.django_db
def test_the_bar_marks_the_page_for_assistive_technology(manager_client):
    nav = nav_of(manager_client.get(reverse("referrals:waiting-list")).content.decode())
    assert re.search(r'<button[^>]*aria-current="true" id="menu-referrals"[^>]*>Referrals</button>', nav)
    assert re.search(r'aria-current="page" href="/referrals/waiting/">Waiting list</a>', nav)
    assert nav.count("aria-current") == 2

    nav = nav_of(manager_client.get(reverse("home")).content.decode())
    assert re.search(r'aria-current="page" href="/">Home</a>', nav)
    assert nav.count("aria-current") == 1


@pytest.mark.django_db
def test_the_person_menu_says_who_where_and_in_which_role(coordinator, coordinator_client):
    coordinator.first_name, coordinator.last_name = "Morag", "Kerr"
    coordinator.save()
    nav = nav_of(coordinator_client.get(reverse("home")).content.decode())
    assert 'id="menu-you"' in nav
    assert 'Morag<span class="visually-hidden">: your account</span>' in nav
    assert "Coordinator at Tweed Valley Test" in nav
    assert "Sign out coordinator" in nav


@pytest.mark.django_db
def test_coordinators_and_managers_see_the_texts_waiting_in_their_inbox(
    organisation, coordinator_client, manager_client
):
    """Texts received that nobody has dealt with (operations/notifications/inbox.py), counted in the bar."""
    InboundTextFactory(organisation=organisation)
    InboundTextFactory(organisation=organisation)
    InboundTextFactory(organisation=organisation, handling=TextHandling.DONE)
    for client in (coordinator_client, manager_client):
        nav = nav_of(client.get(reverse("home")).content.decode())
        assert (
            'href="/messages/">Texts <span class="badge text-bg-danger">2<span class="visually-hidden"> to deal with'
            in nav
        )
    nav = nav_of(coordinator_client.get(reverse("messages:inbox")).content.decode())
    assert 'aria-current="page" href="/messages/">Texts' in nav


@pytest.mark.django_db
def test_no_badge_when_no_text_waits(coordinator_client):
    nav = nav_of(coordinator_client.get(reverse("home")).content.decode())
    assert 'href="/messages/">Texts</a>' in nav


@pytest.mark.django_db
def test_volunteers_and_psos_have_no_texts_link(organisation, volunteer_client, pso_client):
    InboundTextFactory(organisation=organisation)
    for client in (volunteer_client, pso_client):
        nav = nav_of(client.get(reverse("home")).content.decode())
        assert "/messages/" not in nav


def test_a_federation_officer_sees_only_the_federation_pages():
    bar = top_bar(role=FEDERATION_OFFICER, view_name="federation:coverage")
    assert [(entry.label, entry.url_name, entry.current) for entry in bar] == [
        ("Roll-up", "federation:rollup", ""),
        ("Coverage", "federation:coverage", "page"),
        ("Pooled evaluation", "pooled:project-list", ""),
    ]


@pytest.mark.django_db
def test_the_officers_bar_and_person_menu_on_their_pages(organisation):
    from django.test import Client

    from tests.factories import FederationFactory, federation_member, federation_officer

    federation = FederationFactory(name="Scottish Test Network", slug="scottish-test-network")
    federation_member(organisation, federation, shares=True)
    officer = federation_officer(username="officer", federation=federation)
    client = Client()
    client.force_login(officer)
    nav = nav_of(client.get(reverse("federation:rollup")).content.decode())
    links = re.findall(r'href="([^"]+)"', nav)
    assert links == [
        "/",
        "/",
        reverse("federation:rollup"),
        reverse("federation:coverage"),
        reverse("pooled:project-list"),
        reverse("account"),
    ]
    assert "Federation officer at Scottish Test Network" in nav
    assert 'role="search"' not in nav
    assert "Notifications" not in nav
    for url in links:
        assert client.get(url, follow=True).status_code == 200, url
