"""The pictures in docs/: `make screenshots` runs this file (pytest collects
it only when named, so `make e2e` leaves docs/images/ alone).

It loads the demo data (`seed_demo`), starts the live server and signs in as
each demo person, then saves one viewport-sized PNG per page the guides show:
desktop pages at 1280x800, phone pages at 360x740. The guides reference
exactly these files (tests/docs checks every image they name exists), so
after a page changes, run `make screenshots` and commit the new pictures.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from operations.evaluation.models import EvaluationProject
from operations.groups.models import GroupSession
from referrals.models import Referral
from tests.e2e.conftest import sign_in
from volunteers.matching.models import Match

pytestmark = pytest.mark.django_db(transaction=True)

IMAGES = Path(__file__).resolve().parents[2] / "docs" / "images"
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 360, "height": 740}


def _user(username: str):
    return get_user_model().objects.get(username=username)


def _organisation_of(username: str):
    return _user(username).memberships.first().organisation


def _waiting_referral() -> Referral:
    """A Tweed Valley referral on the waiting list: the one the guides match."""
    organisation = _organisation_of("coordinator")
    return Referral.objects.filter(organisation=organisation, status="waiting").order_by("received_on", "pk").first()


def _volunteer_match(username: str = "volunteer") -> Match:
    return (
        Match.objects.filter(volunteer__user__username=username, status__in=["active", "introduced", "confirmed"])
        .order_by("pk")
        .first()
    )


def _match_page(url_name: str) -> str:
    """A page of the demo volunteer's first open match."""
    return reverse(url_name, args=[_volunteer_match().pk])


def _session_of(username: str) -> GroupSession:
    """The next session of a group this person facilitates (else any of their organisation's)."""
    user = _user(username)
    sessions = GroupSession.objects.filter(organisation=_organisation_of(username), status="scheduled")
    facilitated = sessions.filter(group__facilitators=user)
    return (facilitated if facilitated.exists() else sessions).order_by("starts_at").first()


@dataclass(frozen=True)
class Shot:
    name: str
    username: str
    path: Callable[[], str]
    phone: bool = False


SHOTS: tuple[Shot, ...] = (
    # Coordinator
    Shot("coordinator-home", "coordinator", lambda: "/"),
    Shot("triage-board", "coordinator", lambda: reverse("referrals:board")),
    Shot("new-referral", "coordinator", lambda: reverse("referrals:referral-new")),
    Shot("referral", "coordinator", lambda: reverse("referrals:referral-detail", args=[_waiting_referral().pk])),
    Shot("waiting-list", "coordinator", lambda: reverse("referrals:waiting-list")),
    Shot(
        "candidates",
        "coordinator",
        lambda: reverse("matching:candidates", kwargs={"referral_pk": _waiting_referral().pk}),
    ),
    Shot("matching-proposals", "coordinator", lambda: reverse("matching:proposals")),
    Shot("parent", "coordinator", lambda: reverse("referrals:parent-detail", args=[_waiting_referral().parent_id])),
    Shot("concerns-worklist", "coordinator", lambda: reverse("safeguarding:concern-list")),
    Shot("volunteers", "coordinator", lambda: reverse("volunteers:list")),
    Shot("compliance", "coordinator", lambda: reverse("volunteers:compliance")),
    Shot("groups", "coordinator", lambda: reverse("groups:list")),
    Shot("group-session", "coordinator", lambda: reverse("groups:session", args=[_session_of("coordinator").pk])),
    Shot("calendar", "coordinator", lambda: reverse("calendar:index")),
    Shot("referrers", "coordinator", lambda: reverse("referrals:referrers")),
    # The same form a PSO sees for a family on their caseload (the demo PSO's one match has ended).
    Shot(
        "assessment-new",
        "coordinator",
        lambda: reverse("outcomes:assessment-new", args=[_volunteer_match().parent_id]),
    ),
    # Volunteer, on a phone
    Shot("volunteer-home-phone", "volunteer", lambda: "/", phone=True),
    Shot("my-families-phone", "volunteer", lambda: reverse("matching:match-list"), phone=True),
    Shot(
        "match-phone", "volunteer", lambda: reverse("matching:match-detail", args=[_volunteer_match().pk]), phone=True
    ),
    Shot(
        "contact-log-phone",
        "volunteer",
        lambda: _match_page("matching:contact-log-new"),
        phone=True,
    ),
    Shot(
        "visit-new-phone", "volunteer", lambda: reverse("matching:visit-new", args=[_volunteer_match().pk]), phone=True
    ),
    Shot("raise-concern-phone", "volunteer", lambda: reverse("safeguarding:concern-new"), phone=True),
    Shot("my-concerns-phone", "volunteer", lambda: reverse("safeguarding:concern-mine"), phone=True),
    Shot("calendar-phone", "volunteer", lambda: reverse("calendar:index"), phone=True),
    # PSO
    Shot("pso-home", "pso", lambda: "/"),
    Shot("pso-home-phone", "pso", lambda: "/", phone=True),
    Shot("supervision-new-phone", "pso", lambda: reverse("volunteers:supervision-new"), phone=True),
    Shot("register-phone", "pso", lambda: reverse("groups:register", args=[_session_of("pso").pk]), phone=True),
    # Manager
    Shot("manager-home", "manager", lambda: "/"),
    Shot("dashboard", "manager", lambda: reverse("dashboard:index")),
    Shot("dashboard-summary", "manager", lambda: reverse("dashboard:summary")),
    Shot("evaluation-projects", "manager", lambda: reverse("evaluation:project-list")),
    Shot(
        "evaluation-project",
        "manager",
        lambda: reverse(
            "evaluation:project-detail",
            args=[EvaluationProject.objects.filter(organisation=_organisation_of("manager")).first().pk],
        ),
    ),
    Shot("online-forms", "manager", lambda: reverse("online_referrals:manage")),
    Shot("partners", "manager", lambda: reverse("partners:list")),
    Shot("retention", "manager", lambda: reverse("retention")),
    Shot("audit-log", "manager", lambda: reverse("audit-log")),
    Shot("safeguarding-settings", "manager", lambda: reverse("safeguarding:settings")),
    Shot("reminder-settings", "manager", lambda: reverse("notifications:settings")),
    Shot(
        "subject-access",
        "manager",
        lambda: reverse("referrals:parent-subject-access", args=[_waiting_referral().parent_id]),
    ),
)


def test_take_the_screenshots_the_guides_show(demo, browser, live_server):
    IMAGES.mkdir(parents=True, exist_ok=True)
    pages = {}
    try:
        for shot in SHOTS:
            key = (shot.username, shot.phone)
            if key not in pages:
                # British English and UK time, as the charity's staff browse.
                context = browser.new_context(
                    viewport=PHONE if shot.phone else DESKTOP, locale="en-GB", timezone_id="Europe/London"
                )
                pages[key] = context.new_page()
                pages[key].set_default_timeout(15_000)
                sign_in(pages[key], live_server, shot.username)
            page = pages[key]
            response = page.goto(f"{live_server.url}{shot.path()}")
            page.wait_for_load_state("networkidle")
            assert response.status == 200, f"{shot.name}: {page.url} answered {response.status}"
            page.screenshot(path=str(IMAGES / f"{shot.name}.png"))
    finally:
        for page in pages.values():
            page.context.close()
