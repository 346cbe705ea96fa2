"""The subject access report a parent can read: every app's records about
them, with human labels and values (no field names, codes, True/False or ISO
dates), as a printable page and as JSON holding exactly the same words."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser

import pytest
from django.urls import reverse

from operations.core.audit import AuditAction, AuditEvent
from operations.groups.models import Booking, BookingChild
from referrals import services as referral_services
from tests.factories import ReferralFactory
from tests.referrals.test_erasure_everywhere import NEEDLES, parent_everywhere  # noqa: F401  (fixture)
from volunteers.matching.models import ContactLog

ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


class ReportPage(HTMLParser):
    """The page's sections as [(title, [[(label, value), …], …])], read the
    way a person reads them (a line break in a value is a newline)."""

    def __init__(self) -> None:
        super().__init__()
        self.sections: list[tuple[str, list[list[tuple[str, str]]]]] = []
        self.in_section = False
        self.tag = ""
        self.text = ""
        self.label = ""

    def handle_starttag(self, tag, attrs):
        classes = (dict(attrs).get("class") or "").split()
        if tag == "section" and "sar-section" in classes:
            self.in_section = True
        elif self.in_section and tag == "dl":
            self.sections[-1][1].append([])
        elif self.in_section and tag in ("h2", "dt", "dd"):
            self.tag, self.text = tag, ""
        elif tag == "br" and self.tag == "dd":
            self.text += "\n"

    def handle_data(self, data):
        if self.tag:
            self.text += data

    def handle_endtag(self, tag):
        if tag == "section":
            self.in_section = False
        elif tag == self.tag == "h2":
            self.sections.append((self.text.strip(), []))
        elif tag == self.tag == "dt":
            self.label = self.text
        elif tag == self.tag == "dd":
            self.sections[-1][1][-1].append((self.label, self.text))
        if tag == self.tag:
            self.tag = ""


@pytest.fixture
def parent_in_every_app(parent_everywhere):  # noqa: F811
    """A parent with a match, a visit, a contact log with the volunteer's
    concern note and its concern, a booking she attended with her child in the
    crèche, an assessment with a safety alert and a message."""
    ContactLog.objects.filter(match__parent=parent_everywhere).update(has_concern=True, topics=["mental_health"])
    Booking.objects.filter(parent=parent_everywhere).update(status="attended", transport_needed=True)
    BookingChild.objects.filter(booking__parent=parent_everywhere).update(present=True)
    return parent_everywhere


def report_of(parent, manager) -> dict[str, list[dict[str, str]]]:
    return {s.title: s.rows for s in referral_services.parent_subject_access(actor=manager, parent=parent)}


@pytest.mark.django_db
def test_the_report_holds_every_apps_records_in_words_a_parent_reads(parent_in_every_app, manager):
    report = report_of(parent_in_every_app, manager)

    (person,) = report["Personal details, safe contact, needs and consent"]
    assert (person["First name"], person["SMS is safe"], person["Email is safe"]) == ("Morag", "Yes", "No")
    assert person["Article 9 condition"].startswith("Not-for-profit body")
    (referral,) = report["Referrals"]
    assert (referral["Urgency"], referral["Referrer name"]) == ("Routine", NEEDLES["referrer"])
    (match,) = report["Support from volunteers and Perinatal Support Officers"]
    assert (match["As"], match["Closing note"]) == ("Befriender", NEEDLES["closing note"])
    (visit,) = report["Planned visits"]
    assert (visit["Where"], visit["How"], visit["Match"]) == (NEEDLES["visit place"], "Home visit", match["Reference"])
    (log,) = report["Contact logs"]
    assert (log["Note"], log["Concern raised"], log["Topics"]) == (NEEDLES["contact-log note"], "Yes", "Mental health")
    (concern,) = report["Concerns"]
    assert (concern["What was seen or heard"], concern["Status"], concern["From contact log"]) == (
        NEEDLES["concern"],
        "New",
        log["Reference"],
    )
    assert concern["Urgency"] == "This week"
    raised, planned = report["What was done about each concern"]
    assert (raised["Step"], planned["Step"], planned["Note"]) == ("Raised", "Action planned", NEEDLES["concern note"])
    (review,) = report["Reviews of the support"]
    assert review["Notes"] == NEEDLES["review"]
    (booking,) = report["Group bookings and attendance"]
    assert (booking["Booking and attendance"], booking["Transport asked for"]) == ("Attended", "Yes")
    (child,) = report["Children booked into a crèche"]
    assert (child["First name"], child["Born"], child["Came to the crèche"]) == (NEEDLES["child"], "1 Mar 2026", "Yes")
    (assessment,) = report["Outcome assessments"]
    assert (assessment["Questionnaire kind"], assessment["When in the support"]) == (
        "EPDS",
        "Baseline (start of support)",
    )
    (alert,) = report["Safety alerts"]
    assert alert["Action taken"] == "Rang Morag back"
    (message,) = report["Messages sent to the parent"]
    assert (message["How"], message["Subject"], message["Status"]) == (
        "Text message",
        "Morag, your group is tomorrow",
        "Waiting to be sent",
    )


@pytest.mark.django_db
def test_no_field_name_code_boolean_or_iso_date_reaches_the_report(parent_in_every_app, manager):
    for title, rows in report_of(parent_in_every_app, manager).items():
        for row in rows:
            for label, value in row.items():
                assert "_" not in label, (title, label)
                assert label[0].isupper(), (title, label)
                assert isinstance(value, str), (title, label, value)
                assert value not in ("True", "False", "None"), (title, label)
                assert not ISO_DATE.search(value), (title, label, value)
                assert "_" not in value or label in ("Email", "Sent to"), (title, label, value)


@pytest.mark.django_db
def test_the_page_and_the_json_hold_the_same_labels_and_values(parent_in_every_app, manager_client, manager):
    url = reverse("referrals:parent-subject-access", args=[parent_in_every_app.pk])
    page = manager_client.get(url, {"requested_on": "2026-12-01"})
    body = json.loads(manager_client.get(url, {"format": "json", "requested_on": "2026-12-01"}).content)

    parser = ReportPage()
    parser.feed(page.content.decode())
    from_page = [(title, rows) for title, rows in parser.sections]
    from_json = [
        (section["title"], [[(label, value or "—") for label, value in row.items()] for row in section["rows"]])
        for section in body["sections"]
    ]
    assert from_page == from_json
    assert sum(len(rows) for _, rows in from_page) >= 15  # one row at least from every model of the report
    assert {section["source"] for section in body["sections"]} >= {"matching.ContactLog", "groups.Booking"}
    assert all(section["count"] == len(section["rows"]) for section in body["sections"])
    assert (body["organisation"], body["record"], body["requested_on"]) == (
        "Tweed Valley Test",
        parent_in_every_app.pk,
        "2026-12-01",
    )
    assert body["produced_by"] == manager.get_full_name()
    assert AuditEvent.objects.filter(action=AuditAction.EXPORT, object_id=str(parent_in_every_app.pk)).count() == 2


@pytest.mark.django_db
def test_the_page_prints_with_its_header_and_a_print_button_that_works_without_javascript(
    manager_client, manager, organisation, service
):
    parent = ReferralFactory(organisation=organisation, service=service).parent
    url = reverse("referrals:parent-subject-access", args=[parent.pk])
    page = manager_client.get(url, {"requested_on": "2026-12-01"}).content.decode()
    assert "Tweed Valley Test" in page
    assert "1 Dec 2026" in page  # the day the parent asked
    assert re.search(r"Generated</dt><dd[^>]*>\d{1,2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}<", page)
    assert manager.get_full_name() in page
    # The print button is a link to this very page (itself the printable view); the script opens the dialogue.
    assert re.search(
        r'<a class="btn btn-primary" href="[^"]*subject-access/[^"]*" data-print>Print or save as PDF', page
    )
    assert 'subject_access_print.css" media="print"' in page
    assert "referrals/print.js" in page
    assert "d-print-none" in page


@pytest.mark.django_db
@pytest.mark.parametrize("day", ["2099-01-01", "1 Dec", "2026-02-30"])
def test_a_wrong_request_date_is_a_field_error_and_no_report_is_produced(
    manager_client, manager, organisation, service, day
):
    parent = ReferralFactory(organisation=organisation, service=service).parent
    url = reverse("referrals:parent-subject-access", args=[parent.pk])
    page = manager_client.get(url, {"requested_on": day})
    assert page.status_code == 400
    assert "Date the parent asked" in page.content.decode()
    assert "Print or save as PDF" not in page.content.decode()
    api = manager_client.get(url, {"requested_on": day, "format": "json"})
    assert api.status_code == 400
    assert list(json.loads(api.content)["errors"]) == ["requested_on"]
    assert not AuditEvent.objects.filter(action=AuditAction.EXPORT).exists()
