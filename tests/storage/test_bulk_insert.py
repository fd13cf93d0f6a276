"""Bulk loads: PostGIS streams rows with COPY; what is stored equals what row inserts store."""

from __future__ import annotations

import pytest
import shapely
from geoalchemy2.shape import from_shape
from sqlalchemy import delete, insert, select

from app.storage.repository import AreaSetMeta, DatasetMeta
from app.storage.schema import SRID, area_sets, areas, context_features, datasets, population_units

# Made-up cells and a made-up district: the loads, not the places, are under test.
CELLS = [{"unit_type": "mesh250", "code": f"53394{i:04d}", "name": "", "city_code": "13214", "year": 2020,
          "total": 100.0 + i, "age65": None if i % 3 == 0 else 20.5 + i, "age75": None,
          "geom": shapely.box(139.40 + i * 0.003, 35.70, 139.403 + i * 0.003, 35.7025)} for i in range(30)]
DISTRICT = {"code": "架空1", "name": "架空第一小学校区", "city_code": "13214",
            "properties": {"note": "架空", "n": 1},
            "geometry": shapely.MultiPolygon([shapely.box(139.40, 35.69, 139.50, 35.71)])}


def _stored(repo):
    with repo.engine.connect() as conn:
        cells = [tuple(r) for r in conn.execute(select(
            population_units.c.code, population_units.c.total, population_units.c.age65,
            population_units.c.name, repo.dialect.wkb(population_units.c.geom)).order_by(population_units.c.code))]
        district = conn.execute(select(areas.c.code, areas.c.name, areas.c.properties,
                                       repo.dialect.wkb(areas.c.geom))).one()
    return [(*c[:4], shapely.from_wkb(bytes(c[4])).wkt) for c in cells], (
        *district[:3], shapely.from_wkb(bytes(district[3])).wkt)


def _load(repo):
    repo.replace_dataset(DatasetMeta("t:cells", "population", "架空の格子", "cells.csv", "テスト"),
                         population_rows=CELLS)
    repo.replace_dataset(DatasetMeta("t:district", "areas", "架空の学区", "d.geojson", "テスト"),
                         area_set=AreaSetMeta("school_district", "架空", "official", "テスト"),
                         areas_rows=[DISTRICT])


def test_bulk_loads_store_every_value(repo):
    _load(repo)
    cells, district = _stored(repo)
    assert [c[:4] for c in cells] == [(r["code"], r["total"], r["age65"], "") for r in CELLS]
    assert [c[4] for c in cells] == [r["geom"].wkt for r in CELLS]
    assert district == ("架空1", "架空第一小学校区", {"note": "架空", "n": 1}, DISTRICT["geometry"].wkt)
    frame = repo.population_frame("mesh250")
    assert len(frame) == len(CELLS) and frame["total"].sum() == pytest.approx(sum(r["total"] for r in CELLS))


def test_the_dialects_bulk_path_stores_what_row_inserts_store(repo):
    """PostGIS's COPY (SpatiaLite's executemany) against plain row inserts written here, same rows."""
    _load(repo)
    bulk = _stored(repo)
    with repo.engine.begin() as conn:
        for table in (population_units, areas, context_features):
            conn.execute(delete(table))
    with repo.engine.begin() as conn:
        ids = dict(conn.execute(select(datasets.c.key, datasets.c.id)).all())
        set_id = conn.execute(select(area_sets.c.id)).scalar_one()
        for row in CELLS:
            conn.execute(insert(population_units).values(
                **{**row, "dataset_id": ids["t:cells"], "geom": from_shape(row["geom"], srid=SRID)}))
        conn.execute(insert(areas).values(
            area_set_id=set_id, dataset_id=ids["t:district"], code=DISTRICT["code"], name=DISTRICT["name"],
            city_code="13214", properties=DISTRICT["properties"],
            geom=from_shape(DISTRICT["geometry"], srid=SRID)))
    assert _stored(repo) == bulk


def test_a_failed_load_leaves_the_stored_rows(repo):
    _load(repo)
    before = _stored(repo)
    broken = [*CELLS[:5], {**CELLS[5], "total": "not a number"}]
    with pytest.raises(Exception):  # noqa: B017 - either backend's own error: the point is nothing changed
        repo.replace_dataset(DatasetMeta("t:cells", "population", "架空の格子", "cells.csv", "テスト"),
                             population_rows=broken)
    assert _stored(repo) == before
