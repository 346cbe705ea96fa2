import pytest

from operations.core.models import CouncilArea


@pytest.mark.django_db
def test_all_32_council_areas_are_loaded_with_codes_and_health_boards():
    areas = CouncilArea.objects.all()
    assert areas.count() == 32
    assert all(area.gss_code.startswith("S12") and area.health_board.startswith("NHS ") for area in areas)
    assert len({area.gss_code for area in areas}) == 32


@pytest.mark.django_db
def test_dundee_has_its_own_code_not_east_ayrshire():
    # A widely copied public file maps S12000042 to East Ayrshire; it is Dundee City.
    assert CouncilArea.objects.get(gss_code="S12000042").name == "Dundee City"
    assert CouncilArea.objects.get(name="East Ayrshire").gss_code == "S12000008"
