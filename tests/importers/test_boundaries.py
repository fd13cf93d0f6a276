"""Boundary files: N03 and A27 layouts, any polygon file, CRS handling, broken geometries."""

from __future__ import annotations

import geopandas as gpd
import pytest
import shapely

from app.importers.report import ImportFailed
from app.services import imports
from tests import source_counts
from tests.conftest import city_shape, open_data
from tests.importers.helpers import polygon_feature, square, write_geojson


def test_shared_n03_cities(repo):
    report = imports.import_boundaries(repo, open_data("boundaries/n03_2022_cities.geojson"), "city")
    assert report.stored == len(source_counts.cities())
    area_km2 = gpd.GeoSeries([city_shape(repo, "13214")], crs=4326).to_crs(6677).area.iloc[0] / 1e6
    assert area_km2 == pytest.approx(11.46, rel=0.01)


def test_official_n03_fields_dissolved_per_city(repo, tmp_path):
    path = write_geojson(tmp_path / "N03-22_13.geojson", [
        polygon_feature({"N03_001": "東京都", "N03_003": None, "N03_004": "国分寺市", "N03_007": "13214"},
                        square(139.44, 35.69, 0.01)),
        polygon_feature({"N03_001": "東京都", "N03_003": None, "N03_004": "国分寺市", "N03_007": "13214"},
                        square(139.46, 35.69, 0.01)),
    ])
    report = imports.import_boundaries(repo, path, "city")
    assert report.stored == 1 and "N03" in report.notes[0]
    [city] = repo.cities_frame().itertuples()
    assert city.name == "国分寺市" and city.geometry.geom_type == "MultiPolygon"
    assert len(city.geometry.geoms) == 2


def test_a27_districts_with_kml_leftovers_and_z(city_repo):
    path = open_data("school_districts/koganei_a27_elementary_districts.geojson")
    report = imports.import_boundaries(city_repo, path, "school_district", set_name="A27")
    assert (report.read, report.stored) == (10, 9)
    districts = city_repo.find_areas(kind="school_district")
    assert {d["city_code"] for d in districts} == {"13210"}
    second = next(d for d in districts if d["name"] == "小金井第二小学校")
    assert len(second["geometry"]["coordinates"]) == 2  # two parts, one district
    union = shapely.union_all([shapely.geometry.shape(d["geometry"]) for d in districts])
    koganei = city_shape(city_repo, "13210")
    assert union.symmetric_difference(koganei).area / koganei.area < 0.001


def test_official_districts_replace_approximate(city_repo, tmp_path):
    imports.import_resources(city_repo, open_data("schools/elementary_schools_gsi.geojson"), "school")
    imports.build_approximate_districts(city_repo, skip_cities=set())
    assert {a["provenance"] for a in city_repo.find_areas(kind="school_district", city="13210")} == {
        "approximate"}
    imports.import_boundaries(city_repo, open_data(
        "school_districts/koganei_a27_elementary_districts.geojson"), "school_district", set_name="A27")
    koganei = city_repo.find_areas(kind="school_district", city="13210")
    assert {a["provenance"] for a in koganei} == {"official"} and len(koganei) == 9
    assert {a["provenance"] for a in city_repo.find_areas(kind="school_district", city="13214")} == {
        "approximate"}


def test_shapefile_in_plane_rectangular_crs(repo, tmp_path):
    frame = gpd.GeoDataFrame({"地区名": ["北地区"], "コード": ["N1"]},
                             geometry=[shapely.box(-31000, -28000, -30000, -27000)], crs="EPSG:6677")
    frame.to_file(tmp_path / "areas.shp", encoding="utf-8")
    report = imports.import_boundaries(repo, tmp_path / "areas.shp", "daily_living_area",
                                       name_col="地区名", code_col="コード")
    assert report.stored == 1
    [area] = repo.find_areas(kind="daily_living_area")
    lon, lat = shapely.geometry.shape(area["geometry"]).centroid.coords[0]
    assert 139.4 < lon < 139.5 and 35.6 < lat < 35.8


def test_shapefile_without_prj_needs_crs(repo, tmp_path):
    frame = gpd.GeoDataFrame({"name": ["A"]}, geometry=[shapely.box(-31000, -28000, -30000, -27000)],
                             crs="EPSG:6677")
    frame.to_file(tmp_path / "noprj.shp")
    (tmp_path / "noprj.prj").unlink()
    with pytest.raises(ImportFailed, match=r"no CRS.*--crs"):
        imports.import_boundaries(repo, tmp_path / "noprj.shp", "daily_living_area", name_col="name")
    imports.import_boundaries(repo, tmp_path / "noprj.shp", "daily_living_area", name_col="name",
                              crs="EPSG:6677")
    assert len(repo.find_areas(kind="daily_living_area")) == 1


def test_geopackage(repo, tmp_path):
    frame = gpd.GeoDataFrame({"name": ["圏域A"]}, geometry=[shapely.box(139.4, 35.7, 139.41, 35.71)],
                             crs="EPSG:4326")
    frame.to_file(tmp_path / "areas.gpkg", driver="GPKG")
    imports.import_boundaries(repo, tmp_path / "areas.gpkg", "daily_living_area", name_col="name")
    assert repo.find_areas(kind="daily_living_area")[0]["name"] == "圏域A"


def test_unknown_crs_rejected(repo, tmp_path):
    path = write_geojson(tmp_path / "a.geojson", [polygon_feature({"name": "A"}, square(0, 0, 1))])
    with pytest.raises(ImportFailed, match="unknown CRS 'EPSG:99999'"):
        imports.import_boundaries(repo, path, "daily_living_area", name_col="name", crs="EPSG:99999")


@pytest.mark.parametrize("feature, expected", [
    ({"type": "Feature", "properties": {"name": "A"},
      "geometry": {"type": "Point", "coordinates": [139.4, 35.7]}}, "Point is not an area"),
    ({"type": "Feature", "properties": {"name": "A"}, "geometry": None}, "empty geometry"),
    (polygon_feature({"name": "A"}, [(139.40, 35.70), (139.41, 35.71), (139.41, 35.70),
                                     (139.40, 35.71), (139.40, 35.70)]), "invalid polygon"),
    (polygon_feature({"name": ""}, square(139.4, 35.7, 0.01)), "area name is empty"),
])
def test_bad_geometries_rejected_and_nothing_lost(city_repo, tmp_path, feature, expected):
    good = polygon_feature({"name": "良い"}, square(139.45, 35.70, 0.01))
    path = write_geojson(tmp_path / "areas.geojson", [good, feature])
    with pytest.raises(ImportFailed) as info:
        imports.import_boundaries(city_repo, path, "daily_living_area", name_col="name")
    assert "areas.geojson, row 2" in str(info.value) and expected in str(info.value)
    assert city_repo.find_areas(kind="daily_living_area") == []
    assert len(city_repo.cities_frame()) == len(source_counts.cities())


def test_invalid_polygon_repaired_on_request(city_repo, tmp_path):
    bowtie = [(139.40, 35.70), (139.41, 35.71), (139.41, 35.70), (139.40, 35.71), (139.40, 35.70)]
    path = write_geojson(tmp_path / "bowtie.geojson", [polygon_feature({"name": "A"}, bowtie)])
    imports.import_boundaries(city_repo, path, "daily_living_area", name_col="name", repair=True)
    [area] = city_repo.find_areas(kind="daily_living_area")
    assert shapely.geometry.shape(area["geometry"]).is_valid


@pytest.mark.parametrize("name, content", [("empty.geojson", b""), ("bad.geojson", b"{oops"),
                                           ("table.csv", b"a,b\n1,2\n")])
def test_unreadable_files(repo, tmp_path, name, content):
    (tmp_path / name).write_bytes(content)
    with pytest.raises(ImportFailed) as info:
        imports.import_boundaries(repo, tmp_path / name, "city")
    assert name in str(info.value)


def test_columns_must_exist(repo, tmp_path):
    path = write_geojson(tmp_path / "a.geojson", [polygon_feature({"name": "A"}, square(139, 35, 0.1))])
    with pytest.raises(ImportFailed, match="no column 'code'"):
        imports.import_boundaries(repo, path, "daily_living_area", name_col="name", code_col="code")
    with pytest.raises(ImportFailed, match="--name-col"):
        imports.import_boundaries(repo, path, "daily_living_area")
