from __future__ import annotations

import geopandas as gpd
import pytest
import shapely

from app.domain.districts import nearest_school_districts
from app.domain.placement import City, Venue, VenueIndex, coordinate_problem
from app.domain.walking import WalkingModel, nearest

# A 2 km × 1 km city in metric coordinates near Kokubunji, two schools 1 km apart.
CITY = gpd.GeoDataFrame(geometry=[shapely.box(-32000, -30000, -30000, -29000)], crs="EPSG:6677")
SCHOOLS = gpd.GeoDataFrame({"name": ["西小", "東小", "よその小"]},
                           geometry=[shapely.Point(-31500, -29500), shapely.Point(-30500, -29500),
                                     shapely.Point(-20000, -29500)], crs="EPSG:6677")


def test_nearest_school_districts_split_city_at_midline():
    districts = nearest_school_districts(CITY, SCHOOLS).to_crs("EPSG:6677")
    assert sorted(districts["name"]) == ["東小", "西小"]  # the school outside is ignored
    areas = dict(zip(districts["name"], districts.area, strict=True))
    assert areas["西小"] == pytest.approx(1_000_000, rel=1e-6)
    assert sum(areas.values()) == pytest.approx(CITY.area.iloc[0], rel=1e-9)


def test_districts_need_crs():
    with pytest.raises(ValueError, match="CRS"):
        nearest_school_districts(gpd.GeoDataFrame(geometry=[shapely.box(0, 0, 1, 1)]), SCHOOLS)


def test_nearest_orders_and_converts_to_minutes():
    origin = (139.48, 35.70)
    # 0.001° of latitude ≈ 110.9 m here.
    candidates = [{"name": "far", "lon": 139.48, "lat": 35.702},
                  {"name": "near", "lon": 139.48, "lat": 35.701}]
    model = WalkingModel(pace_m_per_min=43, detour=1.3)
    [first, second] = nearest(origin, candidates, 2, model)
    assert [first["name"], second["name"]] == ["near", "far"]
    assert first["distance_m"] == pytest.approx(110.9, abs=0.5)
    assert first["walk_minutes"] == pytest.approx(first["distance_m"] * 1.3 / 43, abs=0.05)
    assert nearest(origin, [], 3, model) == []


def test_coordinate_problems():
    assert coordinate_problem(35.7, 139.4) is None
    assert "swapped" in coordinate_problem(139.4, 35.7)
    assert "outside Japan" in coordinate_problem(0, 0)


def test_city_distance_outside():
    city = City("1", "t", shapely.box(139.40, 35.70, 139.41, 35.71))
    assert city.metres_outside(139.405, 35.705) == 0
    assert city.metres_outside(139.405, 35.72) == pytest.approx(1109, abs=5)


def test_venue_index_ambiguity():
    index = VenueIndex([Venue("中央公民館", "1", 139.40, 35.70, "hub"),
                        Venue("中央公民館", "1", 139.45, 35.70, "shelter")])
    venue, detail = index.match("中央公民館", "1")
    assert venue is None and "ambiguous" in detail
    venue, _ = index.match("中央公民館", "2")
    assert venue is None
