"""Small worlds for the service tests, declared in code: 国分寺's real boundary, made-up rest."""

from __future__ import annotations

import geopandas as gpd
import jismesh.utils as ju

from app.services import imports
from tests.conftest import open_data
from tests.importers.helpers import write_csv

CELLS = ["5339434812", "5339434814", "5339434821", "5339434823"]  # four 250 m cells by 国分寺駅
# Per cell: total, 0–14, 65+, 75+, foreign, 高齢単身世帯 (T001142001, 004, 019, 022, 031, 049).
PEOPLE = {"total": 400, "children": 60, "age65": 100, "age75": 50, "foreign": 8, "older_living_alone": 30}


def write_mesh(path, cells, people=PEOPLE):
    """An e-Stat 2020 250 m mesh table of ``cells``, each with ``people``; returns its path."""
    header = ["KEY_CODE", "HTKSYORI", "HTKSAKI", "GASSAN", "T001142001", "T001142004", "T001142019",
              "T001142022", "T001142031", "T001142049"]
    values = [str(people[m]) for m in ("total", "children", "age65", "age75", "foreign", "older_living_alone")]
    return write_csv(path, [header, *[[c, "0", "", "", *values] for c in cells]])


def build_tiny(repo, tmp_path):
    """国分寺's boundary, one made-up district (架空学区, X1) over four mesh cells, and their people.

    Returns
    -------
    repo, centre
        The repository and the centre of the four cells (lon/lat point).
    """
    imports.import_boundaries(repo, open_data("boundaries/n03_2022_cities.geojson"), "city")
    imports.import_population(repo, write_mesh(tmp_path / "mesh_2020.csv", CELLS))
    units = repo.population_frame("mesh250")
    district = gpd.GeoDataFrame({"name": ["架空学区"], "code": ["X1"]},
                                geometry=[units.geometry.union_all().buffer(0.0005)], crs=4326)
    district.to_file(tmp_path / "district.geojson", driver="GeoJSON")
    imports.import_boundaries(repo, tmp_path / "district.geojson", "school_district", name_col="name",
                              code_col="code", provenance="approximate")
    return repo, units.geometry.union_all().centroid


def add_places(repo, tmp_path, centre, *rows):
    """Salons at ``centre``: (name, 対象, 種別, 非公開) each."""
    path = write_csv(tmp_path / "places.csv", [["名称", "緯度", "経度", "市区町村", "対象", "種別", "非公開"],
                                               *[[n, f"{centre.y:.6f}", f"{centre.x:.6f}", "国分寺市", t, c, p]
                                                 for n, t, c, p in rows]])
    imports.import_resources(repo, path, "salon", key="t:places")


KOGANEI = (35.7009, 139.5065)  # by 武蔵小金井駅


def add_koganei(repo, tmp_path):
    """Four made-up 250 m cells by 武蔵小金井駅 and a made-up district (架空学区二, X2) over them."""
    lat, lon = KOGANEI
    cells = sorted({str(ju.to_meshcode(lat + dy, lon + dx, 5)) for dy in (0, 0.0025) for dx in (0, 0.003125)})
    imports.import_population(repo, write_mesh(tmp_path / "mesh_2020_koganei.csv", cells))
    units = repo.population_frame("mesh250")
    mine = units[units["code"].isin(cells)]
    district = gpd.GeoDataFrame({"name": ["架空学区二"], "code": ["X2"]},
                                geometry=[mine.geometry.union_all().buffer(0.0005)], crs=4326)
    district.to_file(tmp_path / "district2.geojson", driver="GeoJSON")
    imports.import_boundaries(repo, tmp_path / "district2.geojson", "school_district", name_col="name",
                              code_col="code", provenance="approximate", set_name="t:koganei")
