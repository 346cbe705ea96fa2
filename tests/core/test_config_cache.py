"""An organisation's configuration kept between requests
(``operations.core.config_cache``): pages stop re-reading services, areas,
settings and courses, and every change made through the system shows on
the very next page, whoever made it and in whichever process."""

from __future__ import annotations

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from operations.core import config_cache
from operations.core.models import Organisation
from operations.groups import selectors as group_selectors
from operations.groups.models import GroupSettings
from tests.factories import ServiceFactory, council_area
from volunteers import selectors as volunteer_selectors
from volunteers.matching.forms import MatchingNeedsForm
from volunteers.matching.selectors import matching_settings_for, neighbouring_areas
from volunteers.models import Course, LivedExperience, VolunteerSettings

pytestmark = pytest.mark.django_db


def _sql_of(client, path: str) -> list[str]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    assert response.status_code == 200
    return [query["sql"] for query in captured]


def _page(client, path: str = "/") -> str:
    response = client.get(path)
    assert response.status_code == 200
    return response.content.decode()


def _request_in(organisation: Organisation):
    """What a new request does: the organisation as the membership loads it."""
    return config_cache.keeping_for(Organisation.objects.get(pk=organisation.pk))


def test_a_repeat_home_page_reads_no_configuration(coordinator_client, service):
    first = _sql_of(coordinator_client, "/")  # also makes the default settings and courses
    _sql_of(coordinator_client, "/")
    second = _sql_of(coordinator_client, "/")
    # The home view reads council areas afresh (operations.home.views): not kept.
    for table in ('FROM "core_service"', '"volunteers_volunteersettings"', '"volunteers_course"'):
        assert any(table in sql for sql in first), table
        assert not any(table in sql for sql in second), table
    assert len(second) < len(first)


def test_a_service_renamed_added_or_removed_shows_on_the_next_page(coordinator_client, service):
    assert "Befriending" in _page(coordinator_client)
    service.name = "Peer befriending"
    service.save()
    assert "Peer befriending" in _page(coordinator_client)
    added = ServiceFactory(organisation=service.organisation, name="Antenatal group")
    assert "Antenatal group" in _page(coordinator_client)
    added.delete()
    assert "Antenatal group" not in _page(coordinator_client)


def test_council_areas_added_and_cleared_show_on_the_next_page(coordinator_client, organisation):
    assert "Scottish Borders" in _page(coordinator_client)
    organisation.council_areas.add(council_area("S12000036"))
    assert "City of Edinburgh" in _page(coordinator_client)
    organisation.council_areas.clear()
    assert "None recorded." in _page(coordinator_client)


def test_a_change_from_the_council_areas_side_renews_every_organisation_named(
    coordinator_client, organisation, other_organisation
):
    _page(coordinator_client)
    borders = council_area("S12000026")
    borders.organisations.remove(organisation)
    assert "None recorded." in _page(coordinator_client)
    borders.organisations.add(organisation)
    assert "Scottish Borders" in _page(coordinator_client)
    borders.organisations.clear()
    assert "None recorded." in _page(coordinator_client)


def _change_volunteer_settings(organisation):
    row = VolunteerSettings.objects.get(organisation=organisation)
    row.supervision_interval_weeks = 3
    row.save()


def _change_group_settings(organisation):
    GroupSettings.objects.create(organisation=organisation, minimum_creche_adults=4)


def _change_matching_settings(organisation):
    row = matching_settings_for(organisation.pk)
    row.weight_travel = 7
    row.save()


def _add_required_course(organisation):
    Course.objects.create(organisation=organisation, name="Infant feeding", is_required=True)


def _add_lived_experience(organisation):
    LivedExperience.objects.create(organisation=organisation, name="Twins")


def _lived_experience_choices(organisation):
    return MatchingNeedsForm(organisation_id=organisation.pk).fields["lived_experience"].choices


def _link_orkney_to_shetland(organisation):
    council_area("S12000023").neighbours.add(council_area("S12000027"))


def _neighbour_map(organisation):
    return neighbouring_areas(organisation.pk)


READERS = {
    "lived experience": (_lived_experience_choices, _add_lived_experience),
    "neighbouring council areas": (_neighbour_map, _link_orkney_to_shetland),
    "volunteer settings": (
        lambda org: volunteer_selectors.settings_for(org.pk).supervision_interval_weeks,
        _change_volunteer_settings,
    ),
    "group settings": (lambda org: group_selectors.settings_for(org.pk).minimum_creche_adults, _change_group_settings),
    "matching settings": (lambda org: matching_settings_for(org.pk).weight_travel, _change_matching_settings),
    "required courses": (lambda org: len(volunteer_selectors.required_course_ids(org.pk)), _add_required_course),
}


@pytest.mark.parametrize("name", READERS)
def test_each_kind_of_configuration_is_kept_and_a_change_is_seen_by_the_next_request(organisation, name):
    read, change = READERS[name]
    with _request_in(organisation):
        before = read(organisation)
        with CaptureQueriesContext(connection) as captured:
            assert read(organisation) == before
        assert len(captured) == 0  # the second read within a request's organisation is a kept copy
    change(organisation)  # another request, e.g. a manager in administration
    with _request_in(organisation):
        assert read(organisation) != before


def test_a_request_sees_its_own_change_at_once(organisation):
    with _request_in(organisation):
        volunteer_selectors.settings_for(organisation.pk)
        _change_volunteer_settings(organisation)
        assert volunteer_selectors.settings_for(organisation.pk).supervision_interval_weeks == 3


def test_a_change_rolled_back_leaves_the_kept_copy_right(organisation):
    with _request_in(organisation):
        before = volunteer_selectors.settings_for(organisation.pk).supervision_interval_weeks

    def refused_change() -> None:
        with transaction.atomic():
            _change_volunteer_settings(organisation)
            raise RuntimeError("refused")

    with pytest.raises(RuntimeError):
        refused_change()
    with _request_in(organisation):
        assert volunteer_selectors.settings_for(organisation.pk).supervision_interval_weeks == before


def test_saving_an_older_copy_of_the_organisation_cannot_bring_back_an_older_stamp(organisation):
    older = Organisation.objects.get(pk=organisation.pk)
    _add_required_course(organisation)
    older.name = "Tweed Valley Renamed"
    older.save()
    organisation.refresh_from_db()
    assert organisation.config_stamp != older.config_stamp


def test_outside_a_request_configuration_is_always_read_afresh(organisation):
    volunteer_selectors.settings_for(organisation.pk)
    # A change that sends no signal (SQL by hand) is still seen by a task.
    VolunteerSettings.objects.filter(organisation=organisation).update(supervision_interval_weeks=9)
    assert volunteer_selectors.settings_for(organisation.pk).supervision_interval_weeks == 9


def test_another_organisations_configuration_is_never_kept_for_this_request(organisation, other_organisation):
    with _request_in(organisation):
        volunteer_selectors.settings_for(other_organisation.pk)
        VolunteerSettings.objects.filter(organisation=other_organisation).update(supervision_interval_weeks=9)
        assert volunteer_selectors.settings_for(other_organisation.pk).supervision_interval_weeks == 9


def test_a_change_by_hand_is_kept_until_expiry_and_zero_seconds_turns_keeping_off(organisation, settings):
    with _request_in(organisation):
        before = volunteer_selectors.settings_for(organisation.pk).supervision_interval_weeks
    VolunteerSettings.objects.filter(organisation=organisation).update(supervision_interval_weeks=9)
    with _request_in(organisation):
        assert volunteer_selectors.settings_for(organisation.pk).supervision_interval_weeks == before
    settings.CONFIG_CACHE_SECONDS = 0
    with _request_in(organisation):
        assert volunteer_selectors.settings_for(organisation.pk).supervision_interval_weeks == 9
