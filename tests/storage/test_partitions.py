"""Places and kept split pieces by prefecture: partitions on PostgreSQL, the same keys on SQLite."""

from __future__ import annotations

import pytest
from sqlalchemy import select, text

from app.storage import migrate
from app.storage.accounts import Accounts
from app.storage.partitions import PREFECTURES, prefecture_of, prefecture_sql
from app.storage.repository import DatasetMeta
from app.storage.schema import audit_log, corrections, resources

META = DatasetMeta("test:架空の場所", "salon", "架空の場所", "places.csv", "テスト")
ADMIN = {"id": None, "username": "架空の管理者"}
# 架空: made-up places in a Tokyo city code, a Saitama one, and one with no city.
PLACES = [("架空サロン東", "13214"), ("架空サロン北", "11222"), ("架空サロン無所属", "")]


def _place(name, city):
    return {"kind": "salon", "name": name, "address": "", "city_code": city, "source_row": 1,
            "placement": "coordinates", "placement_detail": "", "lonlat": (139.48, 35.70)}


def _where_stored(repo) -> dict[str, tuple[str, str]]:
    """Name → (pref_code, the table that holds the row: its partition on PostgreSQL)."""
    holder = "tableoid::regclass::text" if repo.engine.dialect.name == "postgresql" else "'resources'"
    with repo.engine.connect() as conn:
        rows = conn.execute(text(f"SELECT name, pref_code, {holder} FROM resources")).all()
    return {name: (pref, table) for name, pref, table in rows}


def _partitions(engine, table: str) -> list[str]:
    with engine.connect() as conn:
        return sorted(conn.execute(text(
            "SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid "
            "WHERE i.inhparent = CAST(:t AS regclass)"), {"t": table}).scalars())


@pytest.mark.parametrize(("city", "prefecture"), [
    ("13214", "13"), ("01100", "01"), ("47201", "47"), ("48001", ""), ("00001", ""), ("1321", ""),
    ("", ""), (None, ""), ("13a14", "13")])
def test_a_city_codes_prefecture(city, prefecture):
    assert prefecture_of(city) == prefecture


def test_the_sql_prefecture_agrees_with_pythons(repo):
    cities = ["13214", "01100", "47201", "48001", "00001", "1321", "", "131234", "4720"]
    with repo.engine.connect() as conn:
        found = [conn.execute(text(f"SELECT {prefecture_sql(':c')}"), {"c": c}).scalar() for c in cities]
    assert found == [prefecture_of(c) for c in cities]


def test_places_and_pieces_are_partitioned_on_postgresql(repo):
    if repo.engine.dialect.name != "postgresql":
        with repo.engine.connect() as conn:  # SQLite: the pair corrections refer to is unique
            indexes = conn.execute(text("PRAGMA index_list(resources)")).all()
        assert any(row[1] == "uq_resources_id_pref_code" and row[2] == 1 for row in indexes)
        return
    for table in ("resources", "demand_split_pieces"):
        expected = sorted([*(f"{table}_p{p}" for p in PREFECTURES), f"{table}_pnone"])
        assert _partitions(repo.engine, table) == expected


def test_each_place_is_stored_under_its_prefecture(repo):
    repo.replace_dataset(META, resource_rows=[_place(name, city) for name, city in PLACES])
    stored = _where_stored(repo)
    assert {name: pref for name, (pref, _) in stored.items()} == {
        "架空サロン東": "13", "架空サロン北": "11", "架空サロン無所属": ""}
    if repo.engine.dialect.name == "postgresql":
        assert {name: table for name, (_, table) in stored.items()} == {
            "架空サロン東": "resources_p13", "架空サロン北": "resources_p11", "架空サロン無所属": "resources_pnone"}
    assert [r["name"] for r in repo.find_resources(city="11222")] == ["架空サロン北"]
    assert "pref_code" not in repo.find_resources(city="11222")[0]


def test_a_place_moved_to_another_prefecture_keeps_its_id_and_corrections(repo):
    accounts = Accounts(repo.engine)
    place = accounts.create({**_place("架空サロン移転", "13214"), "lonlat": (139.48, 35.70)}, ADMIN)
    [stored] = repo.find_resources(ids=[place])
    correction = accounts.submit_correction(stored, {"name": "架空サロン移転後"}, "架空の連絡")
    accounts.update(place, {"city_code": "11222"}, ADMIN)
    assert _where_stored(repo)["架空サロン移転"][0] == "11"
    assert [r["id"] for r in repo.find_resources(city="11222")] == [place]
    with repo.engine.connect() as conn:
        assert conn.execute(select(corrections.c.resource_id, corrections.c.resource_pref)
                            .where(corrections.c.id == correction)).one() == (place, "11")


def test_replacing_a_list_removes_the_corrections_of_its_places(repo):
    repo.replace_dataset(META, resource_rows=[_place(name, city) for name, city in PLACES])
    accounts = Accounts(repo.engine)
    for record in repo.find_resources(limit=10):
        accounts.submit_correction(record, {"name": record["name"] + "改"}, "")
    repo.replace_dataset(META, resource_rows=[_place("架空サロン新", "13214")])
    with repo.engine.connect() as conn:
        assert conn.execute(select(corrections.c.id)).all() == []
        assert conn.execute(select(resources.c.name)).scalars().all() == ["架空サロン新"]
        # Each pending correction's end is recorded, never silent.
        closed = conn.execute(select(audit_log.c.summary).where(audit_log.c.action == "correction",
                                                                audit_log.c.username == "import")).scalars().all()
        assert len(closed) == len(PLACES) and all("imported again without its place" in s for s in closed)


def test_the_migration_partitions_stored_rows_and_back(repo):
    """Down to plain tables and up again: every place, piece and correction is kept."""
    repo.replace_dataset(META, resource_rows=[_place(name, city) for name, city in PLACES])
    accounts = Accounts(repo.engine)
    [north] = repo.find_resources(city="11222")
    correction = accounts.submit_correction(north, {"address": "架空町1"}, "")
    before = _where_stored(repo)
    migrate.downgrade(repo.engine, "0013_split_pieces_by_city")
    with repo.engine.connect() as conn:
        assert sorted(conn.execute(text("SELECT name FROM resources")).scalars()) == sorted(before)
    if repo.engine.dialect.name == "postgresql":
        assert _partitions(repo.engine, "resources") == []
    migrate.upgrade(repo.engine)
    assert _where_stored(repo) == before
    with repo.engine.connect() as conn:
        assert conn.execute(select(corrections.c.resource_id, corrections.c.resource_pref)
                            .where(corrections.c.id == correction)).one() == (north["id"], "11")
    later = accounts.create(_place("架空サロン後", "13214"), ADMIN)  # the id sequence goes on
    assert later > max(r["id"] for r in repo.find_resources(limit=10) if r["id"] != later)
    repo.replace_dataset(META, resource_rows=[])  # the composite key still cascades
    with repo.engine.connect() as conn:
        assert conn.execute(select(corrections.c.id)).all() == []
