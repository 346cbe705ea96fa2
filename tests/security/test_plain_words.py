"""No raw code reaches a person: every page of the permission matrix, opened
by every persona it answers, is read as a person reads it (the text between
the tags) and must hold

- no stored code with an underscore ("not_eligible", "sat_am"): the choice
  values of every model field with choices, and the code lists kept beside
  them (availability cells, notification kinds, reminder switches);
- no ``app_label.ModelName`` ("referrals.Referral");
- no ISO date ("2028-02-14"), and no date or time in another format than the
  project's ("14 Feb 2028", "14:05"): not "Feb. 14, 2028", "14 February
  2028", "14/02/2028" or "2:30 p.m.".

Attributes, ``<input>`` values, scripts and styles are not text; hidden
elements are (a screen reader or a toggle shows them).

The pages are those of ``tests/security/matrix`` (its GET cases that answer
200, for each persona that gets 200), in the matrix's world with every one of
its objects made, and records carrying the codes beside them, so the lists
have something in them."""

from __future__ import annotations

import datetime as dt
import re
from html.parser import HTMLParser

import pytest
from django.apps import apps
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from operations.core.audit import AuditAction, audit_log
from operations.notifications.kinds import KIND_LABELS
from operations.notifications.reminder_settings import SWITCHES
from tests.factories import (
    BookingFactory,
    ChildFactory,
    ContactLogFactory,
    GroupFactory,
    MatchFactory,
    NotificationFactory,
    ParentFactory,
    ReferralFactory,
    ReferralTransitionFactory,
    ServiceFactory,
    StatusChangeFactory,
    SupervisionSessionFactory,
    VisitFactory,
)
from tests.security.matrix import OBJECTS, PAGES, PERSONAS
from tests.security.matrix.world import made
from tests.security.test_permission_matrix import World
from tests.volunteers.helpers import make_profile
from volunteers.fitness import AVAILABILITY_CELLS


def snake_case_codes() -> set[str]:
    """Every stored code with an underscore: the choice values of every model
    field with choices (from the model registry), and the codes kept in JSON
    or text fields beside them."""
    codes = {*AVAILABILITY_CELLS, *KIND_LABELS, *SWITCHES}
    for model in apps.get_models():
        for field in model._meta.get_fields():
            for value, _label in getattr(field, "flatchoices", None) or ():
                if isinstance(value, str) and "_" in value:
                    codes.add(value)
    return {code for code in codes if "_" in code}


def model_labels() -> set[str]:
    return {model._meta.label for model in apps.get_models()}


def _words(words: set[str]) -> re.Pattern:
    """Any of ``words`` as a whole word ("not_eligible", never inside "a_not_eligible_b")."""
    return re.compile(r"\b(" + "|".join(sorted(map(re.escape, words), key=len, reverse=True)) + r")\b")


MONTHS = "January|February|March|April|June|July|August|September|October|November|December"
SHORT_MONTHS = "Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec"
ISO_DATE = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")
#: Dates and times as Django's other formats write them: "Feb. 14, 2028",
#: "14 February 2028", "14/02/2028", "2:30 p.m.".
OTHER_DATE_FORMATS = re.compile(
    rf"\b(?:(?:{SHORT_MONTHS}|{MONTHS})\.? \d{{1,2}}, \d{{4}}|\d{{1,2}} (?:{MONTHS}) \d{{4}}"
    r"|\d{1,2}/\d{1,2}/\d{2,4}|\d{1,2}(?::\d{2})? [ap]\.m\.|noon|midnight)"
)


class VisibleText(HTMLParser):
    """The text a person reads: everything between the tags, without
    attributes (so without ``<input>`` values), scripts and styles."""

    SKIPPED = {"script", "style", "template"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skipping = 0

    def handle_starttag(self, tag, attrs) -> None:
        if tag in self.SKIPPED:
            self._skipping += 1

    def handle_endtag(self, tag) -> None:
        if tag in self.SKIPPED and self._skipping:
            self._skipping -= 1

    def handle_data(self, data) -> None:
        if not self._skipping and data.strip():
            self.parts.append(data.strip())


def visible_text(html: str) -> list[str]:
    parser = VisibleText()
    parser.feed(html)
    parser.close()
    return parser.parts


def raw_words(parts: list[str], codes: set[str], labels: set[str]) -> list[str]:
    """What a person should not read, each with the piece of text it is in."""
    checks = (
        (_words(codes), "code"),
        (_words(labels), "model label"),
        (ISO_DATE, "ISO date"),
        (OTHER_DATE_FORMATS, "date not written 14 Feb 2028"),
    )
    return [
        f"{what} {match.group(0)!r} in {text[:160]!r}"
        for text in parts
        for pattern, what in checks
        for match in pattern.finditer(text)
    ]


def page_cases() -> list[tuple[str, object]]:
    return [
        (key, case) for key, cases in PAGES.items() for case in cases if case.method == "GET" and 200 in case.expect
    ]


def coded_records(world: World) -> None:
    """Records of the personas' organisation that carry the stored codes with
    an underscore (beside the matrix's objects, which keep their answers):
    what a list would otherwise only show with the demo's data."""
    organisation, today = world.organisation, timezone.localdate()
    service = ServiceFactory(
        organisation=organisation,
        name="Words service",
        kind="pso_support",
        start_rule="gestation_week",
        start_gestation_weeks=24,
        end_child_age_months=12,
    )
    parent = ParentFactory(
        organisation=organisation,
        role="other_carer",
        needs_agreed=True,
        ethnicity="prefer_not_to_say",
        lawful_basis_article6="legitimate_interests",
        lawful_basis_article9="health_social_care",
    )
    ChildFactory(parent=parent, due_date=today - dt.timedelta(days=30), loss_date=today - dt.timedelta(days=20),
                 loss_kind="neonatal_death")  # fmt: skip
    referral = ReferralFactory(
        organisation=organisation, parent=parent, service=service, source="health_visitor", status="not_eligible"
    )
    ReferralTransitionFactory(referral=referral, from_status="new", to_status="not_eligible")
    trainee = make_profile(organisation=organisation, today=today, status="in_training", availability=["sat_am"])
    StatusChangeFactory(profile=trainee, from_status="applicant", to_status="in_training")
    SupervisionSessionFactory(
        organisation=organisation,
        supervisor=world.users["pso"],
        mode="in_person",
        wellbeing="some_strain",
        volunteers=[made(world, "volunteer_profile")],
    )
    ended = MatchFactory(
        organisation=organisation,
        referral=ReferralFactory(organisation=organisation, service=service, source="perinatal_mh", status="closed"),
        volunteer=made(world, "volunteer_profile"),
        role="birth_companion",
        status="ended",
        ending_type="parent_moved",
    )
    VisitFactory(match=made(world, "match"), mode="home_visit")
    ContactLogFactory(match=ended, mode="home_visit", contact_date=today - dt.timedelta(days=30))
    NotificationFactory(
        organisation=organisation, kind="visit_reminder", channel="sms", recipient_address="+447700900123"
    )
    NotificationFactory(organisation=organisation, kind="concern_raised", channel="in_app",
                        recipient_user=world.users["volunteer"], status="sent", sent_at=timezone.now())  # fmt: skip
    group = GroupFactory(organisation=organisation, name="Words group", audience="parents_carers", format="drop_in")
    session = group.sessions.order_by("starts_at").first()
    BookingFactory(session=session, status="did_not_attend")
    audit_log(action=AuditAction.LOGIN_FAILED, organisation=organisation, summary="Failed sign-in attempt")


@pytest.fixture
def full_world(
    settings,
    organisation,
    other_organisation,
    volunteer,
    pso,
    coordinator,
    manager,
    other_coordinator,
    federation_officer,
):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    users = {
        "volunteer": volunteer,
        "pso": pso,
        "coordinator": coordinator,
        "manager": manager,
        "other_coordinator": other_coordinator,
        "federation_officer": federation_officer,
    }
    world = World(organisation, other_organisation, users, {})
    for name in OBJECTS:
        world.value(name)
    coded_records(world)
    return world


def test_the_checker_finds_codes_labels_and_iso_dates_in_text_only():
    html = (
        '<p title="sat_am 2028-02-14">Saturday morning</p><input value="2028-02-14">'
        "<script>var a = 'not_eligible';</script><td>not_eligible</td><span hidden>referrals.Referral 41</span>"
        "<li>Due 2028-02-14</li><li>a_not_eligible_b</li><li>Mon 14 Feb 2028, 14:30</li>"
        "<li>Feb. 14, 2028, 2:30 p.m.</li><li>14 February 2028</li>"
    )
    found = raw_words(visible_text(html), {"not_eligible", "sat_am"}, {"referrals.Referral"})
    assert found == [
        "code 'not_eligible' in 'not_eligible'",
        "model label 'referrals.Referral' in 'referrals.Referral 41'",
        "ISO date '2028-02-14' in 'Due 2028-02-14'",
        "date not written 14 Feb 2028 'Feb. 14, 2028' in 'Feb. 14, 2028, 2:30 p.m.'",
        "date not written 14 Feb 2028 '2:30 p.m.' in 'Feb. 14, 2028, 2:30 p.m.'",
        "date not written 14 Feb 2028 '14 February 2028' in '14 February 2028'",
    ]


@pytest.mark.django_db
def test_no_page_shows_a_code_a_model_label_or_a_date_in_another_format(full_world):
    codes, labels = snake_case_codes(), model_labels()
    clients: dict[str, Client] = {}
    for persona in PERSONAS:
        clients[persona] = Client()
        if persona != "anonymous":
            clients[persona].force_login(full_world.users[persona])
    problems = []
    for key, case in page_cases():
        url = full_world.fill(case.path) if case.path else reverse(key, args=[full_world.value(a) for a in case.args])
        for persona, expected in zip(PERSONAS, case.expect, strict=True):
            if expected != 200:
                continue
            response = clients[persona].get(url)
            if response.status_code != 200 or not response["Content-Type"].startswith("text/html"):
                continue
            for problem in raw_words(visible_text(response.content.decode()), codes, labels):
                problems.append(f"{key} ({url}) as {persona}: {problem}")
    assert not problems, f"{len(problems)} raw words on pages (page, persona: what, in which text):\n" + "\n".join(
        problems
    )
