import pytest

from operations.dashboard.cache import forget_all


@pytest.fixture(autouse=True)
def _fresh_dashboards():
    # Each test builds its own records; a page kept by an earlier test (whose
    # organisation id SQLite may hand out again) must not answer for them.
    forget_all()
