"""Reads while an import writes: a reader sees the stored rows at once, never waits for the writer."""

from __future__ import annotations

import threading
import time

from sqlalchemy import select

from app.storage.engine import make_engine
from app.storage.repository import DatasetMeta
from app.storage.schema import resources

# Made-up places: the locking, not the places, is under test.
PLACES = [{"kind": "salon", "name": f"架空サロン{i}", "city_code": "13214", "address": "",
           "source_row": i + 2, "placement": "coordinates", "placement_detail": "",
           "lonlat": (139.45 + i * 1e-3, 35.70)}
          for i in range(20)]


def _held_write(engine, started: threading.Event, release: threading.Event) -> None:
    """A writer that renames every place and holds its transaction (and SQLite's strongest lock)."""
    raw = engine.raw_connection()
    try:
        cursor = raw.driver_connection.cursor()
        if engine.dialect.name == "sqlite":
            # What a writer whose page cache spills holds: in a rollback journal every reader waits.
            raw.driver_connection.isolation_level = None
            cursor.execute("BEGIN EXCLUSIVE")
        cursor.execute("UPDATE resources SET name = name || '（変更中）'")
        started.set()
        release.wait(timeout=30)
        raw.driver_connection.rollback()
    finally:
        raw.close()


def test_a_reader_is_not_kept_waiting_by_an_import_that_holds_the_write_lock(repo, database_url):
    repo.replace_dataset(DatasetMeta("t:salons", "salon", "架空のサロン", "s.csv", "テスト"),
                         resource_rows=PLACES)
    writer_engine = make_engine(database_url)
    started, release = threading.Event(), threading.Event()
    writer = threading.Thread(target=_held_write, args=(writer_engine, started, release))
    writer.start()
    try:
        assert started.wait(timeout=30)
        reader = make_engine(database_url)
        began = time.perf_counter()
        with reader.connect() as conn:
            if reader.dialect.name == "sqlite":
                conn.exec_driver_sql("PRAGMA busy_timeout=2000")
            names = set(conn.execute(select(resources.c.name)).scalars())
        waited = time.perf_counter() - began
        reader.dispose()
    finally:
        release.set()
        writer.join()
        writer_engine.dispose()
    # The reader sees what was committed before the writer began, and did not wait for it.
    assert names == {p["name"] for p in PLACES}
    assert waited < 1.0


def test_a_spatialite_file_is_kept_in_write_ahead_mode(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'wal.db'}")
    with engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
    engine.dispose()
