"""The volunteer's phone app: installable (manifest, icons), a service worker
at the root that keeps the shell, her own families (name, next visit, safe
contact — nothing more) and their forms; sign-out clears what the phone kept."""

from __future__ import annotations

import datetime as dt
import gzip

import pytest
from django.urls import reverse
from django.utils import timezone

from operations.core.models import Role
from tests.factories import VisitFactory, council_area, member
from tests.matching.helpers import fit_volunteer, waiting_referral
from volunteers.matching import services
from volunteers.matching.models import Match

pytestmark = pytest.mark.django_db


@pytest.fixture
def match(coordinator, organisation, service, volunteer) -> Match:
    area = council_area("S12000026")
    referral = waiting_referral(
        organisation=organisation,
        service=service,
        area=area,
        first_name="Rhona",
        preferred_name="Ro",
        phone="07700900123",
        safe_sms=True,
        best_contact_times="after 10am",
        contact_safety_recorded_at=timezone.now(),
        postcode="TD1 1AA",
    )
    profile = fit_volunteer(organisation=organisation, areas=[area], user=volunteer)
    return services.match_confirm(
        actor=coordinator, organisation_id=organisation.pk, referral_id=referral.pk, volunteer_id=profile.pk
    )


def test_the_worker_is_served_at_the_root_never_cached(client) -> None:
    response = client.get("/sw.js")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/javascript")
    assert response["Cache-Control"] == "no-cache"
    body = response.content.decode()
    assert "/static/vendor/bootstrap/bootstrap.min.css" in body
    assert reverse("phone-offline") in body


def test_the_manifest_makes_the_app_installable(client) -> None:
    response = client.get("/manifest.webmanifest")
    assert response["Content-Type"] == "application/manifest+json"
    manifest = response.json()
    assert (manifest["name"], manifest["display"], manifest["start_url"]) == ("Peer support", "standalone", "/")
    assert {icon["sizes"] for icon in manifest["icons"]} == {"192x192", "512x512"}
    assert manifest["theme_color"].startswith("#")


def test_every_page_links_the_manifest_and_a_signed_in_page_the_phone_script(volunteer_client) -> None:
    page = volunteer_client.get(reverse("home")).content.decode()
    assert 'rel="manifest" href="/manifest.webmanifest"' in page
    assert 'data-worker="/sw.js"' in page


def test_the_offline_page_holds_nothing_personal(volunteer_client, match) -> None:
    page = volunteer_client.get(reverse("phone-offline")).content.decode()
    assert "No signal just now" in page
    assert "Ro" not in page.replace("Rows", "")
    assert "Rhona" not in page


def test_the_phone_keeps_her_own_families_and_nothing_more(volunteer_client, volunteer, match) -> None:
    VisitFactory(match=match, planned_for=timezone.localdate() + dt.timedelta(days=3))
    response = volunteer_client.get(reverse("phone-families"))
    assert response["Cache-Control"].startswith("max-age=0")
    (family,) = response.json()["families"]
    assert set(family) == {"name", "next_visit", "safe_contact", "log_url", "visit_url", "concern_url"}
    assert family["name"] == "Ro"
    assert family["safe_contact"] == "Safe: text message; best times: after 10am. Do not name the service."
    assert "Home visit" in family["next_visit"] or "home visit" in family["next_visit"]
    assert family["log_url"] == reverse("matching:contact-log-new", args=[match.pk])
    body = response.content.decode()
    for private in ("Rhona", "07700900123", "TD1"):
        assert private not in body


def test_another_person_gets_none_of_her_families(client, organisation, coordinator_client, match) -> None:
    other = member(username="othervol", organisation=organisation, role=Role.VOLUNTEER)
    client.force_login(other)
    assert client.get(reverse("phone-families")).json() == {"families": []}
    assert coordinator_client.get(reverse("phone-families")).json() == {"families": []}


def test_the_families_need_a_sign_in(client) -> None:
    response = client.get(reverse("phone-families"))
    assert response.status_code == 302
    assert reverse("login") in response["Location"]


def test_signing_out_tells_the_browser_to_forget_what_the_phone_kept(volunteer_client) -> None:
    response = volunteer_client.post(reverse("logout"))
    assert response.status_code == 302
    assert response["Clear-Site-Data"] == '"cache", "storage"'


def test_the_three_forms_can_wait_on_the_phone(volunteer_client, match) -> None:
    pages = [
        reverse("matching:contact-log-new", args=[match.pk]),
        reverse("matching:visit-new", args=[match.pk]),
        f"{reverse('safeguarding:concern-new')}?match={match.pk}",
    ]
    for url in pages:
        page = volunteer_client.get(url).content.decode()
        assert 'type="hidden" name="client_key"' in page, url
        assert 'data-phone-queue="' in page, url
        assert 'data-family="Ro"' in page, url


def test_the_volunteers_pages_are_light_on_a_slow_network(volunteer_client, match) -> None:
    """Compressed when the phone accepts it, and no dashboard charts on her pages."""
    for url in (reverse("home"), reverse("matching:contact-log-new", args=[match.pk])):
        response = volunteer_client.get(url, HTTP_ACCEPT_ENCODING="gzip")
        assert response["Content-Encoding"] == "gzip", url
        assert b"chart" not in gzip.decompress(response.content).lower(), url


def _log(when: dt.date) -> dict:
    return {"contact_date": when.isoformat(), "duration_minutes": "30", "mode": "phone", "note": "Talked about sleep"}


def test_a_log_sent_by_the_phone_is_answered_204_so_only_a_sign_in_redirects(volunteer_client, match) -> None:
    url = reverse("matching:contact-log-new", args=[match.pk])
    answer = volunteer_client.post(url, _log(timezone.localdate()), headers={"X-Phone-Queue": "1"})
    assert answer.status_code == 204
    assert match.contact_logs.count() == 1
    # The same form from a plain browser (no script) still lands on the family's page.
    answer = volunteer_client.post(url, _log(timezone.localdate()))
    assert answer.status_code == 302
    assert answer["Location"] == f"{match.get_absolute_url()}?logged=1"


def test_signed_out_the_phone_gets_the_sign_in_redirect_and_nothing_is_written(client, match) -> None:
    url = reverse("matching:contact-log-new", args=[match.pk])
    answer = client.post(url, _log(timezone.localdate()), headers={"X-Phone-Queue": "1"})
    assert answer.status_code == 302
    assert answer["Location"].startswith(reverse("login"))
    assert match.contact_logs.count() == 0
