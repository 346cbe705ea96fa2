"""Signposting on the contact log, phone first (issue 23): the services of
the family's council area come first, then the national ones, then the
others folded away as "Services elsewhere"; "More" is unfolded when
something in it holds a value or an error. Directory entries carry their
areas in the admin, the API and the demo."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.factories import DirectoryEntryFactory, MatchFactory, ParentFactory, ReferralFactory, council_area
from tests.volunteers.helpers import make_profile
from volunteers.matching.forms import ContactLogForm
from volunteers.matching.models import DirectoryEntry
from volunteers.matching.signposting import Signpost, signpost_sections

BORDERS, GLASGOW = "S12000026", "S12000049"


def names(signposts) -> list[str]:
    return [signpost.name for signpost in signposts]


# The rule, without a database.


def test_the_family_s_area_comes_first_then_national_then_elsewhere():
    signposts = [
        Signpost(pk=1, name="Quarriers", area_ids=frozenset({49})),
        Signpost(pk=2, name="PANDAS", area_ids=frozenset()),
        Signpost(pk=3, name="Nurture the Borders", area_ids=frozenset({26})),
        Signpost(pk=4, name="aberlour", area_ids=frozenset()),
        Signpost(pk=5, name="Borders and Glasgow", area_ids=frozenset({26, 49})),
    ]
    sections = signpost_sections(signposts, council_area_id=26)
    assert names(sections.local) == ["Borders and Glasgow", "Nurture the Borders"]
    # Name order whatever the case.
    assert names(sections.national) == ["aberlour", "PANDAS"]
    assert names(sections.elsewhere) == ["Quarriers"]
    assert [s.pk for s in sections.in_order] == [5, 3, 4, 2, 1]


def test_a_family_with_no_area_recorded_has_no_local_services():
    signposts = [Signpost(pk=1, name="Quarriers", area_ids=frozenset({49})), Signpost(2, "PANDAS", frozenset())]
    sections = signpost_sections(signposts, council_area_id=None)
    assert sections.local == ()
    assert names(sections.national) == ["PANDAS"]
    assert names(sections.elsewhere) == ["Quarriers"]


# The form and the page.


@pytest.fixture
def borders_match(organisation, volunteer):
    profile = make_profile(organisation=organisation, user=volunteer, today=timezone.localdate())
    parent = ParentFactory(organisation=organisation, council_area=council_area(BORDERS), preferred_name="Eilidh")
    referral = ReferralFactory(organisation=organisation, parent=parent)
    return MatchFactory(organisation=organisation, referral=referral, parent=parent, volunteer=profile)


@pytest.fixture
def directory(organisation):
    glasgow = DirectoryEntryFactory(organisation=organisation, name="Amma Birth Companions")
    glasgow.council_areas.set([council_area(GLASGOW)])
    borders = DirectoryEntryFactory(organisation=organisation, name="Nurture the Borders")
    borders.council_areas.set([council_area(BORDERS)])
    DirectoryEntryFactory(organisation=organisation, name="PANDAS Foundation Scotland")
    DirectoryEntryFactory(organisation=organisation, name="Closed service", is_active=False)
    return {"glasgow": glasgow, "borders": borders}


@pytest.mark.django_db
def test_the_form_lists_the_family_s_area_first(organisation, directory):
    form = ContactLogForm(organisation_id=organisation.pk, council_area_id=council_area(BORDERS).pk)
    assert [name for _, name in form.fields["signposted_to"].choices] == [
        "Nurture the Borders",
        "PANDAS Foundation Scotland",
        "Amma Birth Companions",
    ]


@pytest.mark.django_db
def test_the_page_shows_local_national_and_folds_the_rest(volunteer_client, borders_match, directory):
    page = volunteer_client.get(reverse("matching:contact-log-new", args=[borders_match.pk])).content.decode()
    local = page.index("In Scottish Borders")
    national = page.index("Across Scotland")
    elsewhere = page.index("Services elsewhere (1)")
    assert local < page.index("Nurture the Borders") < national < page.index("PANDAS") < elsewhere
    assert elsewhere < page.index("Amma Birth Companions")
    assert "Closed service" not in page
    # Folded on a fresh log; the search box waits for its script.
    assert '<details class="contact-log-more mb-3" data-more>' in page
    assert "data-signposting-search hidden" in page


@pytest.mark.django_db
def test_more_unfolds_when_a_field_in_it_has_an_error_or_a_value(volunteer_client, borders_match, directory):
    url = reverse("matching:contact-log-new", args=[borders_match.pk])
    base = {"contact_date": timezone.localdate().isoformat(), "duration_minutes": "30", "mode": "phone"}
    # A value under More, and an error elsewhere: the page comes back with More open.
    response = volunteer_client.post(url, {**base, "duration_minutes": "0", "note": "Walked to the park"})
    assert response.status_code == 400
    assert "data-more open" in response.content.decode()
    assert borders_match.contact_logs.count() == 0
    # An error under More (a service of another organisation).
    other = DirectoryEntryFactory(name="Elsewhere entirely")
    response = volunteer_client.post(url, {**base, "signposted_to": [str(other.pk)]})
    assert response.status_code == 400
    assert "data-more open" in response.content.decode()
    assert borders_match.contact_logs.count() == 0
    # An error outside More, nothing in it: More stays folded.
    response = volunteer_client.post(url, {**base, "mode": ""})
    assert "data-more open" not in response.content.decode()
    # A service elsewhere ticked: its folded list is open too.
    response = volunteer_client.post(url, {**base, "duration_minutes": "", "signposted_to": [directory["glasgow"].pk]})
    assert "data-signposting-elsewhere open" in response.content.decode()


@pytest.mark.django_db
def test_a_log_signposts_to_a_service_from_any_section(volunteer_client, borders_match, directory):
    url = reverse("matching:contact-log-new", args=[borders_match.pk])
    data = {
        "contact_date": timezone.localdate().isoformat(),
        "duration_minutes": "30",
        "mode": "phone",
        "signposted_to": [directory["borders"].pk, directory["glasgow"].pk],
    }
    assert volunteer_client.post(url, data).status_code == 302
    log = borders_match.contact_logs.get()
    assert set(log.signposted_to.values_list("name", flat=True)) == {"Nurture the Borders", "Amma Birth Companions"}


# The directory's areas: the API and the demo.


@pytest.mark.django_db
def test_the_directory_api_shows_and_sets_the_areas(manager_client, volunteer_client, organisation):
    borders = council_area(BORDERS)
    created = manager_client.post(
        "/api/v1/directory/",
        {"name": "Nurture the Borders", "council_areas": [borders.pk]},
        content_type="application/json",
    )
    assert created.status_code == 201, created.content
    national = manager_client.post("/api/v1/directory/", {"name": "PANDAS"}, content_type="application/json")
    assert national.json()["council_areas"] == []
    listed = {row["name"]: row["council_areas"] for row in volunteer_client.get("/api/v1/directory/").json()["results"]}
    assert listed == {"Nurture the Borders": [borders.pk], "PANDAS": []}
    bad = manager_client.post(
        "/api/v1/directory/", {"name": "Nowhere", "council_areas": [999999]}, content_type="application/json"
    )
    assert bad.status_code == 400
    assert "council_areas" in bad.json()
    assert not DirectoryEntry.objects.filter(name="Nowhere").exists()


@pytest.mark.django_db
def test_the_demo_directory_has_sensible_areas(organisation):
    from volunteers.matching.demo import DIRECTORY
    from volunteers.matching.services import directory_entries_seed

    directory_entries_seed(organisation_id=organisation.pk, entries=DIRECTORY)
    directory_entries_seed(organisation_id=organisation.pk, entries=DIRECTORY)  # idempotent
    areas = {
        entry.name: sorted(area.name for area in entry.council_areas.all())
        for entry in DirectoryEntry.objects.filter(organisation=organisation).prefetch_related("council_areas")
    }
    assert len(areas) == len(DIRECTORY)
    assert areas["Nurture the Borders"] == ["Scottish Borders"]
    assert areas["Quarriers Maternal Mental Wellbeing Service"] == ["Glasgow City"]
    assert areas["PANDAS Foundation Scotland"] == []
