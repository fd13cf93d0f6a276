"""Fureai Map's feature API against pygeoapi, side by side in one run, on both backends.

The anchor: pygeoapi 0.21 (installed by this script into its own virtual environment under
``.cache/bench``), served by gunicorn with 2 workers, its GeoJSON provider holding the same
shelters exported from our database. Ours: ``fureai serve`` with its defaults (one process per
core, one thread each). The same viewport-sized bounding boxes (fixed seed) go to
``/api/v1/resources``, our OGC ``/ogcapi/collections/shelter/items`` and pygeoapi's
``/collections/shelter/items``, in interleaved rounds of wrk; medians of the rounds are
reported with the ratios, the machine's load beside them, and each server's memory after the
load: with 2 workers, ours also without preloading, and both with 4 workers, which gives what one
more worker costs and what stays fixed, with what holds it (``bench_memory``).

Beside the boxes by view: 国分寺's whole box (what a planner opens) and a CQL2 filter (pygeoapi's
from its PostgreSQL provider over the same shelters copied into PostGIS), each asked repeatedly.

Usage: .venv/bin/python scripts/bench_pygeoapi.py [--rounds 3] [--seconds 10] [--clients 20]
"""

from __future__ import annotations

import argparse
import http.client
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path
from urllib.parse import quote

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_api import (
    ROOT,
    build_demo,
    ensure_database,
    ensure_wrk,
    free_port,
    log,
    postgres_url,
    run_wrk,
    start_server,
    stop_server,
    wait_until_up,
)
from bench_memory import server_memory, top_holders

PYGEOAPI = "pygeoapi==0.21.0"
VENV = ROOT / ".cache" / "bench" / "pygeoapi"
TARGETS = {"resources": "/api/v1/resources?kind=shelter&limit=1000&bbox=",
           "ogc items": "/ogcapi/collections/shelter/items?limit=1000&bbox=",
           "pygeoapi": "/collections/shelter/items?f=json&limit=1000&bbox="}
# What a planner opens (国分寺 whole, 41 shelters) and a CQL2 filter, each asked again and again.
CITY_BOX = "139.43,35.68,139.50,35.72"
CQL2 = quote("city_code = '13214' AND name LIKE '%小学校%'")
FIXED = {"ogc items, whole city": f"/ogcapi/collections/shelter/items?limit=1000&bbox={CITY_BOX}",
         "pygeoapi, whole city": f"/collections/shelter/items?f=json&limit=1000&bbox={CITY_BOX}",
         "ogc items, CQL2": f"/ogcapi/collections/shelter/items?limit=1000&filter={CQL2}",
         # pygeoapi filters with CQL2 in its PostgreSQL provider only: the same shelters, from PostGIS.
         # (pygeoapi 0.21 reads CQL2 text as its default language, and refuses filter-lang=cql2-text)
         "pygeoapi, CQL2": f"/collections/shelter_pg/items?f=json&limit=1000&filter={CQL2}"}
PAIRS = (("ogc items, whole city", "pygeoapi, whole city"), ("ogc items, CQL2", "pygeoapi, CQL2"))
POSTGRES_COLLECTION = """  shelter_pg:
    type: collection
    title: shelter_pg
    description: 指定避難所 copied from Fureai Map's PostGIS demo
    keywords: [shelter]
    extents: {{spatial: {{bbox: [139.3, 35.6, 139.7, 35.8], crs: http://www.opengis.net/def/crs/OGC/1.3/CRS84}}}}
    providers:
      - {{type: feature, name: PostgreSQL, data: {data}, id_field: id, table: bench_shelter,
          geom_field: geom}}
"""
CONFIG = """server:
  bind: {{host: 127.0.0.1, port: {port}}}
  url: http://127.0.0.1:{port}
  mimetype: application/json; charset=UTF-8
  encoding: utf-8
  languages: [en-US]
  limits: {{default_items: 1000, max_items: 1000}}
  map: {{url: "https://tile.openstreetmap.org/{{z}}/{{x}}/{{y}}.png", attribution: OSM}}
logging: {{level: ERROR}}
metadata:
  identification: {{title: bench, description: bench, keywords: [bench], terms_of_service: none, url: none}}
  license: {{name: CC-BY 4.0, url: https://creativecommons.org/licenses/by/4.0/}}
  provider: {{name: bench, url: none}}
  contact: {{name: bench}}
resources:
  shelter:
    type: collection
    title: shelter
    description: 指定避難所 exported from Fureai Map
    keywords: [shelter]
    extents: {{spatial: {{bbox: [139.3, 35.6, 139.7, 35.8], crs: http://www.opengis.net/def/crs/OGC/1.3/CRS84}}}}
    providers:
      - {{type: feature, name: GeoJSON, data: {data}, id_field: id}}
"""


BBOX_SCRIPT = """
math.randomseed(%(seed)d)
request = function()
  local lon = 139.43 + math.random() * 0.17
  local lat = 35.68 + math.random() * 0.07
  return wrk.format("GET", string.format("%(prefix)s%%.5f,%%.5f,%%.5f,%%.5f", lon - 0.014, lat - 0.009,
                                         lon + 0.014, lat + 0.009))
end
"""


def wrk_load_path(wrk: str, port: int, prefix: str, clients: int, seconds: int) -> dict:
    """Wrk over viewport-sized boxes appended to ``prefix`` (the same boxes for any server: one seed)."""
    script = Path(tempfile.mkdtemp()) / "bbox.lua"
    script.write_text(BBOX_SCRIPT % {"seed": 20261201, "prefix": prefix})
    return run_wrk(wrk, port, script, clients, seconds)


def ensure_pygeoapi() -> Path:
    """The side environment with pygeoapi, gunicorn and its PostgreSQL providers' drivers (pip, once)."""
    python = VENV / "bin" / "python"
    if not python.exists():
        log(f"installing {PYGEOAPI} into {VENV}")
        subprocess.run([sys.executable, "-m", "venv", str(VENV)], check=True)
    if subprocess.run([str(python), "-c", "import pygeoapi, gunicorn, geoalchemy2, psycopg2"],
                      capture_output=True).returncode:
        subprocess.run([str(python), "-m", "pip", "install", "-q", PYGEOAPI, "gunicorn", "geoalchemy2",
                        "psycopg2-binary"], check=True)
    return VENV / "bin"


def export_shelters(port: int, folder: Path) -> Path:
    """Our shelters as GeoJSON, fetched from our own export."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    conn.request("GET", "/api/v1/export/shelter.geojson")
    path = folder / "shelter.geojson"
    path.write_bytes(conn.getresponse().read())
    return path


def postgres_data(url: str) -> str:
    """A pygeoapi PostgreSQL provider's ``data`` for ``url``."""
    from sqlalchemy.engine import make_url

    parsed = make_url(url)
    return (f"{{host: {parsed.host}, port: {parsed.port or 5432}, dbname: {parsed.database}, "
            f"user: {parsed.username}, password: {parsed.password}, search_path: [public]}}")


def copy_tables(url: str, layers) -> None:
    """Each layer's public places as ``bench_<layer>`` (the columns a filter or a tile reads)."""
    from sqlalchemy import create_engine, text

    engine = create_engine(url.replace("postgresql://", "postgresql+psycopg://", 1))
    with engine.begin() as conn:
        for layer in layers:
            conn.execute(text(f"DROP TABLE IF EXISTS bench_{layer}"))
            conn.execute(text(
                f"CREATE TABLE bench_{layer} AS SELECT id, name, kind, category, city_code, geom "
                f"FROM resources WHERE kind = '{layer}' AND NOT restricted AND deleted_at IS NULL "
                "AND geom IS NOT NULL"))
            conn.execute(text(f"ALTER TABLE bench_{layer} ADD PRIMARY KEY (id)"))
            conn.execute(text(f"CREATE INDEX ON bench_{layer} USING gist (geom)"))
    engine.dispose()


def start_pygeoapi(data: Path, folder: Path, workers: int = 2, pg: str | None = None):
    """Pygeoapi under gunicorn (2 workers unless told): GeoJSON over ``data``; PostgreSQL at ``pg`` too."""
    bin_dir = ensure_pygeoapi()
    port = free_port()
    config = folder / "pygeoapi.yml"
    extra = POSTGRES_COLLECTION.format(data=postgres_data(pg)) if pg else ""
    config.write_text(CONFIG.format(port=port, data=data) + extra, encoding="utf-8")
    openapi = folder / "openapi.yml"
    env = {**os.environ, "PYGEOAPI_CONFIG": str(config), "PYGEOAPI_OPENAPI": str(openapi)}
    subprocess.run([str(bin_dir / "pygeoapi"), "openapi", "generate", str(config), "--output-file",
                    str(openapi)], env=env, check=True, capture_output=True)
    proc = subprocess.Popen([str(bin_dir / "gunicorn"), "-w", str(workers), "-b", f"127.0.0.1:{port}",
                             "pygeoapi.flask_app:APP"], env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    return wait_until_up(proc, port, "/collections/shelter/items?f=json&limit=1"), port


def loaded_memory(start, prefixes: tuple[str, ...], wrk: str, args) -> dict:
    """A server from ``start()``, its memory after wrk over each of ``prefixes`` (as in the rounds)."""
    proc, port = start()
    try:
        for prefix in prefixes:
            wrk_load_path(wrk, port, prefix, args.clients, args.seconds)
        return server_memory(proc)
    finally:
        stop_server(proc)


def more_workers(url: str, data: Path, folder: Path, wrk: str, args) -> dict:
    """Ours without preloading, and both servers with 4 workers: what one more worker costs."""
    ours = (TARGETS["resources"], TARGETS["ogc items"])
    return {"ours, --no-preload": loaded_memory(
                lambda: start_server(url, 2, options=("--no-preload",)), ours, wrk, args),
            "ours, 4 workers": loaded_memory(lambda: start_server(url, 4), ours, wrk, args),
            "pygeoapi, 4 workers": loaded_memory(lambda: start_pygeoapi(data, folder, 4),
                                                 (TARGETS["pygeoapi"],), wrk, args)}


def wrk_fixed(wrk: str, port: int, path: str, clients: int, seconds: int) -> dict:
    """Wrk asking ``path`` again and again."""
    script = Path(tempfile.mkdtemp()) / "fixed.lua"
    script.write_text(f'request = function() return wrk.format("GET", "{path}") end\n')
    return run_wrk(wrk, port, script, clients, seconds)


def rounds(wrk: str, ports: dict, args) -> dict:
    """Interleaved rounds over the targets (boxes by view, then the fixed asks); each target's runs."""
    runs = {name: [] for name in ports}
    for number in range(1, args.rounds + 1):
        for name, port in ports.items():
            log(f"  round {number}/{args.rounds}: {name}")
            runs[name].append(wrk_load_path(wrk, port, TARGETS[name], args.clients, args.seconds)
                              if name in TARGETS else wrk_fixed(wrk, port, FIXED[name], args.clients,
                                                                args.seconds))
    return runs


def median_of(runs: list[dict], key: str) -> float:
    return statistics.median(r[key] for r in runs)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--clients", type=int, default=20)
    args = parser.parse_args()
    wrk = ensure_wrk()
    if wrk is None:
        sys.exit("wrk is needed (apt-get install wrk)")
    folder = Path(tempfile.mkdtemp())
    backends = {"SpatiaLite": f"sqlite:///{folder / 'bench.db'}", "PostGIS": postgres_url()}
    pg = backends["PostGIS"]
    ensure_database(pg)
    for backend, url in backends.items():
        log(f"{backend}: building the demo database")
        build_demo(url)
    copy_tables(pg, ("shelter",))  # pygeoapi's PostgreSQL provider reads these (its CQL2)
    table = []
    for backend, url in backends.items():
        ours, our_port = start_server(url, os.cpu_count() or 2)
        data = export_shelters(our_port, folder)
        theirs, their_port = start_pygeoapi(data, folder, pg=pg)
        try:
            ports = {"resources": our_port, "ogc items": our_port, "pygeoapi": their_port,
                     **{name: their_port if name.startswith("pygeoapi") else our_port for name in FIXED}}
            runs = rounds(wrk, ports, args)
            memory = {"ours": server_memory(ours), "pygeoapi": server_memory(theirs)}
        finally:
            for proc in (ours, theirs):
                stop_server(proc)
        load = os.getloadavg()[0]
        log(f"{backend}: ours with --no-preload, and both with 4 workers, for their memory")
        memory.update(more_workers(url, data, folder, wrk, args))
        table.append((backend, runs, memory, load))
    report(table, args)


def report(table, args) -> None:
    print(f"\nShelters by bbox, wrk {args.clients} connections, {args.seconds} s × {args.rounds} interleaved "
          f"rounds (medians), {os.cpu_count()} cores shared by wrk, both servers and the database\n")
    print("| backend | ours | req/s | p99 ms | pygeoapi req/s | pygeoapi p99 ms | ratio req/s | ratio p99 "
          "| load (1 min) |")
    print("|---|---|---:|---:|---:|---:|---:|---:|---:|")
    for backend, runs, _memory, load in table:
        theirs = runs["pygeoapi"]
        for name in ("resources", "ogc items"):
            mine = runs[name]
            print(f"| {backend} | {name} | {median_of(mine, 'rps'):.0f} | {median_of(mine, 'p99'):.1f} "
                  f"| {median_of(theirs, 'rps'):.0f} | {median_of(theirs, 'p99'):.1f} "
                  f"| {median_of(mine, 'rps') / median_of(theirs, 'rps'):.2f}× "
                  f"| {median_of(mine, 'p99') / median_of(theirs, 'p99'):.2f}× | {load:.2f} |")
    report_fixed(table, args)
    print("\nMemory after the load, MB: per worker, Rss (shared pages counted in full) and Pss (shared "
          "pages divided among their sharers); the whole server (master + workers, Pss) per worker, "
          "and its ratio to pygeoapi's with as many workers\n")
    print("| backend | server | workers | Rss per worker | Pss per worker | whole server | per worker "
          "| ratio |")
    print("|---|---|---:|---:|---:|---:|---:|---:|")
    for backend, _runs, memory, _load in table:
        for name, m in memory.items():
            # against pygeoapi with as many workers
            theirs = memory["pygeoapi, 4 workers" if m["workers"] == 4 else "pygeoapi"]["per_worker"]
            print(f"| {backend} | {name} | {m['workers']} | {m['rss']:.0f} | {m['pss']:.0f} "
                  f"| {m['whole']:.0f} | {m['per_worker']:.0f} | {m['per_worker'] / theirs:.2f}× |")
    report_growth(table)


def report_fixed(table, args) -> None:
    """The whole city's box and the CQL2 filter, ours against pygeoapi's, per backend of ours."""
    print(f"\nThe same request again and again: 国分寺's whole box ({CITY_BOX}) and the CQL2 filter "
          "city_code = '13214' AND name LIKE '%小学校%' (pygeoapi's from its PostgreSQL provider); "
          f"wrk {args.clients} connections, medians of {args.rounds} rounds\n")
    print("| backend of ours | request | ours req/s | ours p99 ms | pygeoapi req/s | pygeoapi p99 ms "
          "| ratio req/s | ratio p99 |")
    print("|---|---|---:|---:|---:|---:|---:|---:|")
    for backend, runs, _memory, _load in table:
        for mine_name, their_name in PAIRS:
            mine, theirs = runs[mine_name], runs[their_name]
            rps, p99 = median_of(mine, "rps"), median_of(mine, "p99")
            base_rps, base_p99 = median_of(theirs, "rps"), median_of(theirs, "p99")
            errors = sum(r["errors"] for r in mine + theirs)  # an error answer is fast, and no answer
            print(f"| {backend} | {mine_name.split(', ')[1]}{f' ({errors} errors)' if errors else ''} "
                  f"| {rps:.0f} | {p99:.1f} | {base_rps:.0f} "
                  f"| {base_p99:.1f} | {rps / base_rps:.2f}× | {p99 / base_p99:.2f}× |")


def report_growth(table) -> None:
    """What one more worker adds (from 2 to 4 workers), what stays fixed, and what holds it."""
    print("\nOne more worker, MB of the whole server's Pss: (4 workers − the default) / the workers added; "
          "fixed: the default server less its workers\n")
    print("| backend | server | one more worker | fixed | ratio per worker | held by (2 workers, MB) |")
    print("|---|---|---:|---:|---:|---|")
    for backend, _runs, memory, _load in table:
        pairs = {name: (memory[name], memory[f"{name}, 4 workers"]) for name in ("ours", "pygeoapi")}
        if any(few["workers"] == many["workers"] for few, many in pairs.values()):
            continue  # a machine of 4 cores serves 4 workers by default: nothing to tell apart
        added = {name: (many["whole"] - few["whole"]) / (many["workers"] - few["workers"])
                 for name, (few, many) in pairs.items()}
        for name in ("ours", "pygeoapi"):
            fixed = memory[name]["whole"] - memory[name]["workers"] * added[name]
            print(f"| {backend} | {name} | {added[name]:.0f} | {fixed:.0f} "
                  f"| {added[name] / added['pygeoapi']:.2f}× | {top_holders(memory[name]['holders'])} |")


if __name__ == "__main__":
    main()
