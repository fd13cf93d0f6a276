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


def _plan(engine, statement, parameters, analyze: bool = False) -> str:
    with engine.connect() as conn:
        raw = conn.connection.driver_connection
        cursor = raw.cursor()
        if engine.dialect.name == "postgresql":
            cursor.execute("SET enable_seqscan = off")
            cursor.execute(f"EXPLAIN ({'ANALYZE, ' if analyze else ''}FORMAT JSON) {statement}", parameters)
            return json.dumps(cursor.fetchone()[0])
        cursor.execute(f"EXPLAIN QUERY PLAN {statement}", parameters)
        return " | ".join(str(row[-1]) for row in cursor.fetchall())


def _scans(plan: str) -> list[dict]:
    """Every node of a PostgreSQL JSON plan that reads a relation (tables, partitions, indexes)."""
    found, todo = [], [json.loads(plan)[0]["Plan"]]
    while todo:
        node = todo.pop()
        todo.extend(node.get("Plans", []))
        if "Relation Name" in node or "Index Name" in node:
            found.append(node)
    return found


def _relations(plan: str) -> set[str]:
    return {n["Relation Name"] for n in _scans(plan) if "Relation Name" in n}


def _indexes(plan: str) -> set[str]:
    return {n["Index Name"] for n in _scans(plan) if "Index Name" in n}


def test_resources_by_bbox_go_through_the_spatial_index(demo_repo):
    engine = demo_repo.engine
    # No kind filter: the bounding box is the only condition an index could answer.
    queries = _captured(engine, lambda: demo_repo.find_resources(bbox=BBOX, limit=1000))
    [(statement, parameters)] = [q for q in queries if "FROM resources" in q[0] and "LIMIT" in q[0].upper()]
    plan = _plan(engine, statement, parameters)
    if engine.dialect.name == "postgresql":
        # The GiST index answers the bounding box in the partition that holds Tokyo's places.
        assert "resources_p13_geom_idx" in _indexes(plan), _indexes(plan)
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
    if engine.dialect.name == "postgresql":  # Tokyo's partition alone, through its copy of the index
        assert _relations(plan) == {"demand_split_pieces_p13"}, _relations(plan)
        assert _indexes(plan) == {"demand_split_pieces_p13_split_id_area_city_idx"}, _indexes(plan)
    else:
        assert "ix_demand_split_pieces_city" in plan, plan


def test_a_citys_places_are_read_from_its_prefectures_partition(demo_repo):
    engine = demo_repo.engine
    queries = _captured(engine, lambda: demo_repo.resources_frame(city="13214", kinds=["shelter"]))
    [(statement, parameters)] = [q for q in queries if "FROM resources" in q[0]]
    plan = _plan(engine, statement, parameters)
    if engine.dialect.name == "postgresql":
        places = {r for r in _relations(plan) if r.startswith("resources")}
        assert places == {"resources_p13"}, _relations(plan)
    else:
        assert "ix_resources_city" in plan or "ix_resources_kind" in plan, plan


def test_a_page_of_places_finds_its_twins_in_their_own_partition(demo_repo):
    """The twin lookup runs once per row: pruned at run time to the row's prefecture."""
    engine = demo_repo.engine
    queries = _captured(engine, lambda: demo_repo.find_resources(city="13214", limit=50))
    [(statement, parameters)] = [q for q in queries if "FROM resources" in q[0]]
    plan = _plan(engine, statement, parameters, analyze=True)
    if engine.dialect.name == "postgresql":  # pruned at run time: the others are never executed
        twins = [n for n in _scans(plan) if n.get("Alias", "").startswith("twin") and n["Actual Loops"]]
        assert {n["Relation Name"] for n in twins} == {"resources_p13"}, [n["Relation Name"] for n in twins]
    else:
        assert "ix_resources_site_key" in plan, plan


def test_db_check_finds_every_spatial_index(demo_repo):
    from app.storage.integrity import check

    report = check(demo_repo.engine)
    spatial = [c for c in report.checked if c.startswith(("GiST index", "spatial index"))]
    assert len(spatial) == 4 and not [p for p in report.problems if "index" in p], report.problems


def _keyless_salons(repo, count: int) -> None:
    """``count`` made-up salons without a site key (a list of coordinates, no addresses) near 国分寺駅."""
    from app.storage.repository import DatasetMeta

    rows = [{"kind": "salon", "name": f"架空サロン{i:05d}", "city_code": "13214", "address": "", "source_row": i + 2,
             "placement": "coordinates", "placement_detail": "",
             "lonlat": (BBOX[0] + (i % 50) * 0.0005, BBOX[1] + (i // 50) * 0.0005)} for i in range(count)]
    repo.replace_dataset(DatasetMeta("t:keyless", "salon", "架空", "keyless.csv", "テスト"), resource_rows=rows)


def _work(engine, statement, parameters) -> int:
    """How much the database does for a statement.

    Rows its twin lookups read (PostgreSQL, from EXPLAIN ANALYZE), or SQLite's virtual-machine
    steps (counted every 100 by a progress handler).
    """
    if engine.dialect.name == "postgresql":
        nodes = [n for n in _scans(_plan(engine, statement, parameters, analyze=True))
                 if n.get("Alias", "").startswith("twin")]
        return sum((n["Actual Rows"] + n.get("Rows Removed by Filter", 0)) * n["Actual Loops"] for n in nodes)
    steps = [0]
    with engine.connect() as conn:
        raw = conn.connection.driver_connection
        raw.set_progress_handler(lambda: steps.__setitem__(0, steps[0] + 1), 100)
        try:
            raw.cursor().execute(statement, parameters).fetchall()
        finally:
            raw.set_progress_handler(None, 0)
    return steps[0]


def test_a_viewport_of_places_without_a_site_key_looks_up_no_twins(repo):
    """Found by the load test: each keyless place in a page looked up every other keyless place as its twin."""
    engine = repo.engine
    work = {}
    for count in (500, 1000):
        _keyless_salons(repo, count)
        queries = _captured(engine, lambda: repo.find_resources(kinds=["salon"], bbox=BBOX, limit=1000))
        [(statement, parameters)] = [q for q in queries if "FROM resources" in q[0] and "LIMIT" in q[0].upper()]
        work[count] = _work(engine, statement, parameters)
    if engine.dialect.name == "postgresql":
        assert work == {500: 0, 1000: 0}, work
    else:  # twice the places, about twice the work: not four times (the lookups were quadratic)
        assert work[1000] < 2.6 * work[500], work
