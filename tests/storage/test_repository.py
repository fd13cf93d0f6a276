"""Repository behaviour that both backends must share."""

from __future__ import annotations

import pytest
import shapely
from sqlalchemy.exc import IntegrityError

from app.storage.repository import AreaSetMeta, DatasetMeta

META = DatasetMeta(key="test:salons", layer="salon", title="t", source_file="t.csv", attribution="a")


def _salon(name, lon, lat, **extra):
    return {"kind": "salon", "name": name, "address": "", "city_code": "13214", "source_row": 1,
            "placement": "coordinates", "placement_detail": "", "lonlat": (lon, lat), **extra}


def test_failed_write_rolls_back_and_keeps_old_rows(repo):
    repo.replace_dataset(META, resource_rows=[_salon("old", 139.48, 35.70)])
    broken = [_salon("new", 139.48, 35.70), _salon("bad", 139.48, 35.70, source_row=None)]
    with pytest.raises(IntegrityError):
        repo.replace_dataset(META, resource_rows=broken)
    assert [r["name"] for r in repo.find_resources(kinds=["salon"])] == ["old"]
    assert [d["record_count"] for d in repo.datasets()] == [1]


def test_bbox_is_exact_at_the_edge(repo):
    repo.replace_dataset(META, resource_rows=[_salon("in", 139.4899999, 35.70),
                                              _salon("out", 139.4900012, 35.70)])
    found = repo.find_resources(bbox=(139.47, 35.69, 139.49, 35.71))
    assert [r["name"] for r in found] == ["in"]


def test_areas_at_point_and_kinds(repo):
    meta = DatasetMeta(key="test:areas", layer="daily_living_area", title="t", source_file="f",
                       attribution="a")
    rows = [{"code": "A", "name": "北", "city_code": "13214",
             "geometry": shapely.MultiPolygon([shapely.box(139.40, 35.70, 139.45, 35.75)])},
            {"code": "B", "name": "南", "city_code": "13214",
             "geometry": shapely.MultiPolygon([shapely.box(139.40, 35.65, 139.45, 35.70)])}]
    repo.replace_dataset(meta, area_set=AreaSetMeta("daily_living_area", "圏域", "derived"),
                         areas_rows=rows)
    assert [a["name"] for a in repo.areas_at(139.42, 35.72)] == ["北"]
    assert repo.areas_at(139.50, 35.72) == []
    [south] = repo.find_areas(kind="daily_living_area", bbox=(139.41, 35.66, 139.42, 35.67))
    assert south["name"] == "南" and south["provenance"] == "derived"


def test_search_and_hazard(repo):
    repo.replace_dataset(META, resource_rows=[
        _salon("東町サロン", 139.48, 35.70, hazards=["flood"]),
        _salon("西町サロン", 139.44, 35.70, address="国分寺市西町"),
    ])
    assert [r["name"] for r in repo.find_resources(q="西町")] == ["西町サロン"]
    assert [r["name"] for r in repo.find_resources(hazard="flood")] == ["東町サロン"]
    assert repo.count_resources(kinds=["salon"]) == 2


def test_a_postgresql_restart_mid_request_is_busy_not_an_error():
    """The server ends the connection under a request: StorageBusy (503 with Retry-After), not a 500."""
    from sqlalchemy import text as sql

    from app.storage.engine import StorageBusy, make_engine
    from tests.conftest import _postgres_database

    engine = make_engine(_postgres_database("_restart"))
    try:
        with pytest.raises(StorageBusy, match="restarting or out of reach"), engine.connect() as conn:
            conn.execute(sql("SELECT pg_terminate_backend(pg_backend_pid())"))
            conn.execute(sql("SELECT 1"))
        with engine.connect() as conn:  # the next request gets a fresh connection
            assert conn.execute(sql("SELECT 1")).scalar() == 1
    finally:
        engine.dispose()
