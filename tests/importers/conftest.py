from __future__ import annotations

import pytest

from app.importers.address import ChomeGeocoder
from app.services import imports
from tests.conftest import open_data


@pytest.fixture
def city_repo(repo):
    """A database holding the real city boundaries of the shared data."""
    imports.import_boundaries(repo, open_data("boundaries/n03_2022_cities.geojson"), "city",
                              set_name="N03 2022")
    return repo


@pytest.fixture(scope="session")
def geocoder():
    return ChomeGeocoder(open_data("address/geolonia-api/ja"))
