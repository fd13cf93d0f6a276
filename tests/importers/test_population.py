"""Population: e-Stat mesh tables with secrecy, 500 m Parquet, 町丁目 points, broken tables."""

from __future__ import annotations

import pandas as pd
import pytest

from app.importers.population import mesh_cells
from app.importers.report import ImportFailed
from app.services import imports
from tests import source_counts
from tests.conftest import open_data
from tests.importers.helpers import write_csv

HEADER = ["KEY_CODE", "HTKSYORI", "HTKSAKI", "GASSAN", "T001142001", "T001142019", "T001142022"]


def test_mesh_cell_geometry():
    [cell] = mesh_cells(["5339430011"])
    west, south, east, north = cell.bounds
    assert (south, west) == pytest.approx((35 + 40 / 60, 139.375))
    assert (north - south, east - west) == pytest.approx((30 / 3600 / 4, 45 / 3600 / 4))


def test_secret_cells(city_repo, tmp_path):
    path = write_csv(tmp_path / "mesh_2020.csv", [
        HEADER,
        ["5339430433", "2", "5339430434", "", "2", "*", "*"],
        ["5339430434", "1", "", "5339430433", "481", "148", "64"],
        ["5339430011", "0", "", "", "392", "89", "44"],
    ])
    report = imports.import_population(city_repo, path)
    assert report.stored == 3 and "2020" in report.notes[0]
    units = {u["code"]: u for u in units_of(city_repo, "mesh250")}
    assert units["5339430433"]["total"] == 2 and units["5339430433"]["age65"] is None
    assert units["5339430434"]["age65"] == 148
    assert sum(u["total"] for u in units.values()) == 875


def test_real_mesh_table_totals(city_repo):
    imports.import_population(city_repo, open_data("population/estat_mesh250m_2020_age.csv"))
    units = units_of(city_repo, "mesh250")
    assert len(units) == source_counts.mesh250_cells()
    raw = pd.read_csv(open_data("population/estat_mesh250m_2020_age.csv"), dtype=str)
    assert sum(u["total"] for u in units) == raw["T001142001"].astype(int).sum()
    expected65 = pd.to_numeric(raw.loc[raw["HTKSYORI"] != "2", "T001142019"]).sum()
    assert sum(u["age65"] or 0 for u in units) == expected65


def test_parquet_500m_with_bbox(city_repo):
    path = open_data("population/estat_mesh500m_2015_5339.parquet")
    imports.import_population(city_repo, path, bbox=(139.42, 35.68, 139.50, 35.72))
    units = units_of(city_repo, "mesh500")
    assert 20 < len(units) < 200
    assert all(u["year"] == 2015 and u["age65"] is None for u in units)


def test_chome_points(city_repo):
    imports.import_population(city_repo, open_data("population/estat_chome_2015_points.geojson"))
    units = units_of(city_repo, "chome")
    assert len(units) == source_counts.chome_points()
    assert any(u["name"] == "貫井北町４丁目" for u in units)


@pytest.mark.parametrize("rows, expected", [
    ([["CODE", "T001142001"], ["5339430011", "1"]], "KEY_CODE (mesh code)"),
    ([["KEY_CODE", "POP"], ["5339430011", "1"]], "T…001 / pop (total)"),
    ([HEADER, ["53394300", "0", "", "", "5", "1", "1"], ["5339430011", "0", "", "", "5", "1", "1"]],
     "several levels"),
    ([HEADER, ["ABC", "0", "", "", "5", "1", "1"]], "'ABC' is not a JIS X 0410 mesh code"),
    ([HEADER, ["5339430011", "0", "", "", "many", "1", "1"]], "'many' is not a number"),
])
def test_broken_mesh_tables_rejected(city_repo, tmp_path, rows, expected):
    write_csv(tmp_path / "good_2020.csv", [HEADER, ["5339430011", "0", "", "", "392", "89", "44"]])
    imports.import_population(city_repo, tmp_path / "good_2020.csv")
    path = write_csv(tmp_path / "mesh_2020.csv", rows)
    with pytest.raises(ImportFailed) as info:
        imports.import_population(city_repo, path)
    assert "mesh_2020.csv" in str(info.value) and expected in str(info.value)
    assert len(units_of(city_repo)) == 1


def test_year_required_when_not_in_name(city_repo, tmp_path):
    path = write_csv(tmp_path / "mesh.csv", [HEADER, ["5339430011", "0", "", "", "1", "1", "1"]])
    with pytest.raises(ImportFailed, match="--year"):
        imports.import_population(city_repo, path)
    assert imports.import_population(city_repo, path, year=2020).stored == 1


def test_empty_file(city_repo, tmp_path):
    (tmp_path / "p_2020.csv").write_bytes(b"")
    with pytest.raises(ImportFailed, match="empty"):
        imports.import_population(city_repo, tmp_path / "p_2020.csv")


def test_cp932_mesh_with_japanese_second_header(city_repo, tmp_path):
    path = write_csv(tmp_path / "tblT001142_2020.csv", [
        HEADER, ["", "秘匿処理", "秘匿先", "合算地域", "人口（総数）", "65歳以上", "75歳以上"],
        ["5339430011", "0", "", "", "392", "89", "44"]], "cp932")
    assert imports.import_population(city_repo, path).stored == 1


def units_of(repo, unit_type=None) -> list[dict]:
    """Stored population units as dicts, unknown figures as None."""
    frame = repo.population_frame(unit_type)
    return frame.astype(object).where(frame.notna(), None).to_dict("records")
