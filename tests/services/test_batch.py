"""``fureai batch`` on a 2-worker Dask LocalCluster, on both backends: equal to the serial run, resumable.

The world: 国分寺 and 小金井 (real boundaries) with made-up districts and people; the other
stored cities have neither, so their runs fail and are reported while the two finish.
"""

from __future__ import annotations

import geopandas as gpd
import jismesh.utils as ju

from app.services import batch, imports
from app.services.analysis import Query
from tests.services.worlds import add_places, build_tiny, write_mesh

KOGANEI = (35.7009, 139.5065)  # by 武蔵小金井駅


def _koganei(repo, tmp_path):
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


def test_a_batch_equals_the_serial_run_reports_failures_and_resumes(app, tmp_path):
    repo = app.extensions["repository"]
    _, centre = build_tiny(repo, tmp_path)
    add_places(repo, tmp_path, centre, ("架空サロン", "高齢者", "サロン", ""))
    _koganei(repo, tmp_path)
    runner = app.test_cli_runner()
    first = runner.invoke(args=["batch", "coverage", "--cities", "all", "--workers", "2"])
    assert "13214\tdone" in first.output and "13210\tdone" in first.output, first.output
    failed = sorted(set(repo.city_names()) - {"13214", "13210"})
    assert all(f"{c}\tfailed" in first.output for c in failed) and first.exit_code == 1, first.output
    runs = {r["city_code"]: r for r in app.extensions["runs"].runs("coverage")}
    analyzer = app.extensions["analyzer"]
    for city in ("13214", "13210"):
        serial = batch.figures(analyzer.coverage(Query(city=city, **batch.batch_params("coverage"))))
        assert runs[city]["figures"] == serial, city
        assert runs[city]["status"] == "done" and runs[city]["data_version"] == repo.data_version()
    assert all(runs[c]["status"] == "failed" and runs[c]["error"] for c in failed)
    again = runner.invoke(args=["batch", "coverage", "--cities", "13214,13210", "--workers", "1"])
    assert again.exit_code == 0 and "0 done, 0 failed, 2 skipped" in again.output
    forced = runner.invoke(args=["batch", "coverage", "--cities", "13214", "--workers", "1", "--force"])
    assert "1 done" in forced.output
    assert len([r for r in app.extensions["runs"].runs("coverage") if r["city_code"] == "13214"]) == 1
    bad = runner.invoke(args=["batch", "coverage", "--cities", "99999"])
    assert bad.exit_code == 1 and "unknown city 99999" in bad.output
