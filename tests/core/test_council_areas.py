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


def _neighbours_of(name: str) -> set[str]:
    return set(CouncilArea.objects.get(name=name).neighbours.values_list("name", flat=True))


@pytest.mark.django_db
def test_known_neighbours_share_a_land_boundary():
    assert _neighbours_of("Dundee City") == {"Angus", "Perth and Kinross"}
    assert _neighbours_of("Scottish Borders") == {
        "East Lothian",
        "Midlothian",
        "West Lothian",
        "South Lanarkshire",
        "Dumfries and Galloway",
    }
    assert _neighbours_of("Aberdeen City") == {"Aberdeenshire"}
    # Across the Firth of Forth is not a land boundary.
    assert "Falkirk" not in _neighbours_of("Clackmannanshire")
    assert "Fife" not in _neighbours_of("City of Edinburgh")


@pytest.mark.django_db
def test_neighbours_are_symmetrical_and_never_the_area_itself():
    for area in CouncilArea.objects.prefetch_related("neighbours"):
        for neighbour in area.neighbours.all():
            assert neighbour != area
            assert area in neighbour.neighbours.all(), f"{area} -> {neighbour} but not back"


@pytest.mark.django_db
def test_island_councils_have_no_neighbours_and_every_mainland_area_has_one():
    islands = {"Na h-Eileanan Siar", "Orkney Islands", "Shetland Islands"}
    for area in CouncilArea.objects.prefetch_related("neighbours"):
        if area.name in islands:
            assert not area.neighbours.exists(), area.name
        else:
            assert area.neighbours.exists(), area.name


def test_the_neighbours_file_names_each_pair_once_with_known_codes():
    from operations.core.council_areas import CSV_PATH, neighbour_pairs

    codes = {line.split(",")[1] for line in CSV_PATH.read_text().splitlines()[1:]}
    pairs = neighbour_pairs()
    assert len({frozenset(p) for p in pairs}) == len(pairs) == 59
    assert all(a in codes and b in codes and a != b for a, b in pairs)
