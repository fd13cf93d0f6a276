"""Schema migrations: the baseline is the old release's schema, and upgrading keeps every row."""

from __future__ import annotations

import importlib.util
from datetime import UTC, datetime

import pytest
from geoalchemy2.shape import from_shape
from shapely import MultiPolygon, Point, box
from sqlalchemy import insert, inspect, select, text

from app import create_app
from app.storage import migrate
from app.storage.accounts import Accounts, token_hash
from app.storage.engine import make_engine
from app.storage.repository import Repository
from app.storage.schema import metadata, networks
from tests.conftest import OPEN_DATA_DIR


def _baseline_tables():
    """The baseline revision's frozen tables (its module name starts with a digit)."""
    path = migrate.MIGRATIONS / "versions" / "0001_baseline.py"
    spec = importlib.util.spec_from_file_location("baseline_0001", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def engine(empty_database_url):
    engine = make_engine(empty_database_url)
    yield engine
    engine.dispose()


def _columns(engine) -> dict[str, set[str]]:
    with engine.connect() as conn:
        found = inspect(conn)
        return {t: {c["name"] for c in found.get_columns(t)} for t in metadata.tables}


def test_new_database_is_created_at_head_and_matches_the_tables(engine):
    assert migrate.status(engine).state == "empty"
    assert "created" in migrate.upgrade(engine)
    assert migrate.status(engine).ready
    assert _columns(engine) == {name: {c.name for c in t.columns} for name, t in metadata.tables.items()}


def test_replaying_every_revision_gives_the_same_tables(engine):
    migrate.upgrade(engine, migrate.BASELINE)
    assert migrate.status(engine).state == "outdated"
    migrate.upgrade(engine)
    assert migrate.status(engine).ready
    assert _columns(engine) == {name: {c.name for c in t.columns} for name, t in metadata.tables.items()}
    with engine.connect() as conn:
        indexes = {i["name"] for i in inspect(conn).get_indexes("resources")}
    assert {"ix_resources_kind", "ix_resources_city", "ix_resources_site_key"} <= indexes


def _old_rows(engine, tmp_path) -> None:
    """Rows as the release before migrations wrote them: strings hidden in columns."""
    old = _baseline_tables()
    network_file = tmp_path / "walk.npz"  # gone since: its shape is recorded as unknown
    now = datetime.now(UTC)
    with engine.begin() as conn:
        meta = {"title": "t", "source_file": "f", "attribution": "a", "licence": "", "source_date": "",
                "imported_at": now, "record_count": 1}
        conn.execute(insert(old.datasets).values(key="gsi:emergency_x", layer="emergency_site",
                            notes="unavailable:13203: 架空市: 公開されていません", **meta))
        conn.execute(insert(old.datasets).values(key="network:walk", layer="network",
                                                 notes=f"file:{network_file}", **meta))
        sites = conn.execute(insert(old.datasets).values(key="gsi:sites", layer="emergency_site", notes="",
                             **meta)).inserted_primary_key[0]
        conn.execute(insert(old.resources).values(
            dataset_id=sites, kind="emergency_site", name="架空公園", address="", city_code="13214",
            external_id="E1", site_key="", source_row=1, placement="coordinates", placement_detail="",
            restricted=False, capacity=None, hazards="|earthquake|flood|", welfare_shelter=False,
            attributes={}, geom=from_shape(Point(139.47, 35.70), srid=4326)))
        set_id = conn.execute(insert(old.area_sets).values(
            kind="catchment", name="declared catchments (salon)", provenance="derived", source="",
        )).inserted_primary_key[0]
        conn.execute(insert(old.areas).values(
            area_set_id=set_id, dataset_id=sites, code="resource:7", name="架空サロン", city_code="13214",
            properties={}, geom=from_shape(MultiPolygon([box(139.46, 35.69, 139.48, 35.71)]), srid=4326)))


@pytest.mark.parametrize("versioned", [True, False], ids=["baseline", "before-migrations"])
def test_upgrade_converts_the_hidden_strings_and_downgrade_restores_them(engine, tmp_path, versioned):
    migrate.upgrade(engine, migrate.BASELINE)
    _old_rows(engine, tmp_path)
    if not versioned:  # a database made by the release before migrations has no version table
        with engine.begin() as conn:
            conn.execute(text("DROP TABLE alembic_version"))
        assert migrate.status(engine).state == "unversioned"
    assert "upgraded" in migrate.upgrade(engine)
    repo = Repository(engine)
    datasets = {d["key"]: d for d in repo.datasets()}
    assert datasets["gsi:emergency_x"]["status"] == "unavailable"
    assert datasets["gsi:emergency_x"]["city_code"] == "13203"
    assert datasets["gsi:emergency_x"]["notes"] == "架空市: 公開されていません"
    assert datasets["network:walk"]["notes"] == "" and [n.name for n in _networks(engine)] == ["walk"]
    [site] = repo.find_resources(kinds=["emergency_site"])
    assert site["hazards"] == ["flood", "earthquake"]
    assert [r["name"] for r in repo.find_resources(hazard="flood")] == ["架空公園"]
    assert repo.find_resources(hazard="tsunami") == []
    [area] = repo.areas_frame(kind="catchment").itertuples()
    assert area.resource_id == 7 and area.code == "resource:7"
    migrate.downgrade(engine, migrate.BASELINE)
    with engine.connect() as conn:
        hazards = conn.execute(text("SELECT hazards FROM resources")).scalar_one()
        notes = dict(conn.execute(text("SELECT key, notes FROM datasets")).all())
    assert hazards == "|earthquake|flood|"
    assert notes["gsi:emergency_x"] == "unavailable:13203: 架空市: 公開されていません"
    assert notes["network:walk"].startswith("file:")


def _networks(engine):
    with engine.connect() as conn:
        return conn.execute(select(networks)).all()


def test_an_outdated_database_is_refused_until_upgraded(empty_database_url):
    database_url = empty_database_url
    engine = make_engine(database_url)
    migrate.upgrade(engine, migrate.BASELINE)
    engine.dispose()
    app = create_app({"DATABASE_URL": database_url, "OPEN_DATA_DIR": str(OPEN_DATA_DIR), "TESTING": True})
    client, runner = app.test_client(), app.test_cli_runner()
    refused = client.get("/api/v1/layers")
    assert refused.status_code == 503 and "fureai db upgrade" in refused.get_json()["error"]
    assert client.get("/").status_code == 503
    command = runner.invoke(args=["datasets"])
    assert command.exit_code == 1 and "fureai db upgrade" in command.output
    assert "outdated" in runner.invoke(args=["db", "current"]).output
    upgraded = runner.invoke(args=["db", "upgrade"])
    assert upgraded.exit_code == 0 and "upgraded the schema from 0001_baseline" in upgraded.output
    assert client.get("/api/v1/layers").status_code == 200
    assert runner.invoke(args=["datasets"]).exit_code == 0
    app.extensions["repository"].engine.dispose()


def test_user_cities_become_rows_and_go_back_into_the_string(engine):
    """Revision 0015 moves ``users.cities`` into ``user_cities``; tokens and areas stay with their users."""
    migrate.upgrade(engine, "0014_partition_by_prefecture")
    now = datetime.now(UTC)
    with engine.begin() as conn:
        for name, cities in (("架空コーディネーター", "13214, 13203,13214,"), ("架空管理者", "")):
            conn.execute(text("INSERT INTO users (username, display_name, password_hash, role, cities, "
                              "active, created_at, session_version) VALUES (:n, :n, 'x', 'coordinator', "
                              ":c, true, :at, 1)"), {"n": name, "c": cities, "at": now})
        coordinator = conn.execute(text("SELECT id FROM users WHERE cities <> ''")).scalar_one()
        conn.execute(text("INSERT INTO api_tokens (user_id, token_hash, label, created_at, revoked) "
                          "VALUES (:u, :h, '架空', :at, false)"),
                     {"u": coordinator, "h": token_hash("架空の合言葉"), "at": now})
        conn.execute(text("INSERT INTO user_areas (user_id, area_kind, area_code) "
                          "VALUES (:u, 'school_district', '架空小')"), {"u": coordinator})
    assert "upgraded" in migrate.upgrade(engine)
    accounts = Accounts(engine)
    assert {u["username"]: u["cities"] for u in accounts.users()} == {
        "架空コーディネーター": ["13203", "13214"], "架空管理者": []}
    by_token = accounts.user_for_token("架空の合言葉")
    assert by_token["cities"] == ["13203", "13214"]
    assert by_token["areas"] == [("school_district", "架空小")]
    accounts.update_user("架空コーディネーター", cities=["13229"])
    assert accounts.user(user_id=coordinator)["cities"] == ["13229"]
    migrate.downgrade(engine, "0014_partition_by_prefecture")
    with engine.connect() as conn:
        assert dict(conn.execute(text("SELECT username, cities FROM users")).all()) == {
            "架空コーディネーター": "13229", "架空管理者": ""}
        assert "user_cities" not in inspect(conn).get_table_names()
