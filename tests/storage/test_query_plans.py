"""The hot queries use their indexes, read from each backend's own plan (EXPLAIN) on the demo data.

Captured as the repository sends them (SQL and parameters), then explained: on PostGIS with
sequential scans disabled and the statistics the import left (``refresh_statistics``), so that a
plan without the GiST index means the query cannot use it (a function around the column, a cast);
on SpatiaLite through SQLite's query plan, which names the R*Tree the search goes through.
"""

from __future__ import annotations

import json

from sqlalchemy import event

BBOX = (139.46, 35.69, 139.49, 35.71)  # about 国分寺駅


def _captured(engine, call) -> list[tuple[str, object]]:
    seen = []

    def record(conn, cursor, statement, parameters, context, executemany):
        seen.append((statement, parameters))

    event.listen(engine, "before_cursor_execute", record)
    try:
        call()
    finally:
        event.remove(engine, "before_cursor_execute", record)
    return seen


def _plan(engine, statement, parameters) -> str:
    with engine.connect() as conn:
        raw = conn.connection.driver_connection
        cursor = raw.cursor()
        if engine.dialect.name == "postgresql":
            cursor.execute("SET enable_seqscan = off")
            cursor.execute(f"EXPLAIN (FORMAT JSON) {statement}", parameters)
            return json.dumps(cursor.fetchone()[0])
        cursor.execute(f"EXPLAIN QUERY PLAN {statement}", parameters)
        return " | ".join(str(row[-1]) for row in cursor.fetchall())


def test_resources_by_bbox_go_through_the_spatial_index(demo_repo):
    engine = demo_repo.engine
    # No kind filter: the bounding box is the only condition an index could answer.
    queries = _captured(engine, lambda: demo_repo.find_resources(bbox=BBOX, limit=1000))
    [(statement, parameters)] = [q for q in queries if "FROM resources" in q[0] and "LIMIT" in q[0].upper()]
    plan = _plan(engine, statement, parameters)
    if engine.dialect.name == "postgresql":
        assert "resources_geom" in plan, plan  # the GiST index answers the bounding box
    else:
        assert "idx_resources_geom" in plan and "VIRTUAL TABLE INDEX" in plan, plan


def test_the_areas_at_a_point_go_through_the_spatial_index(demo_repo):
    engine = demo_repo.engine
    queries = _captured(engine, lambda: demo_repo.areas_at(139.48, 35.70))
    [(statement, parameters)] = [q for q in queries if "FROM areas" in q[0]]
    plan = _plan(engine, statement, parameters)
    if engine.dialect.name == "postgresql":
        assert "areas_geom" in plan, plan
    else:
        assert "idx_areas_geom" in plan and "VIRTUAL TABLE INDEX" in plan, plan


def test_a_kept_split_is_read_by_its_index(demo_repo):
    from app.storage.splits import SplitStore

    engine = demo_repo.engine
    key = {"area_kind": "school_district", "units": "", "measure": "", "data_version": "plan-test"}
    queries = _captured(engine, lambda: SplitStore(engine).load(key))
    [(statement, parameters)] = [q for q in queries if "FROM demand_splits" in q[0]]
    plan = _plan(engine, statement, parameters)
    assert "uq_demand_split" in plan or "sqlite_autoindex_demand_splits" in plan, plan


def test_a_citys_pieces_of_a_kept_split_are_read_by_their_index(demo_repo):
    from app.storage.splits import SplitStore

    engine = demo_repo.engine
    query = SplitStore(engine).pieces_query(1, "13214")
    plan = _plan(engine, str(query.compile(engine, compile_kwargs={"literal_binds": True})), ())
    assert "ix_demand_split_pieces_city" in plan, plan


def test_db_check_finds_every_spatial_index(demo_repo):
    from app.storage.integrity import check

    report = check(demo_repo.engine)
    spatial = [c for c in report.checked if c.startswith(("GiST index", "spatial index"))]
    assert len(spatial) == 4 and not [p for p in report.problems if "index" in p], report.problems
