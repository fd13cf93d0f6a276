"""Vector tiles: ours (both backends) against pygeoapi's MVT-postgresql provider, side by side in one run.

The same tiles go to every server: each public point layer of the five cities (shelters, emergency
sites, salons, hubs, schools) at z12–z16 over the cities' box, picked with one seed. Ours is
``fureai serve`` with its defaults over the demo database; the anchor is pygeoapi 0.21 (its own
venv, ``bench_pygeoapi.ensure_pygeoapi``) under gunicorn with as many workers, its MVT-postgresql
provider over tables copied from our PostGIS demo with the same columns a tile of ours carries.
Interleaved rounds of wrk; medians; req/s, p50/p99 and bytes per non-empty tile, then a warm
tile (one tile asked again and again: ours answers it from its cache). Machine load beside.

Usage: .venv/bin/python scripts/bench_tiles.py [--rounds 3] [--seconds 10] [--clients 20]
"""

from __future__ import annotations

import argparse
import http.client
import os
import random
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_api import (
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
from bench_pygeoapi import CONFIG, copy_tables, ensure_pygeoapi, postgres_data

LAYERS = ("shelter", "emergency_site", "salon", "hub", "school")
ZOOMS = range(12, 17)
BOX = (139.43, 35.66, 139.62, 35.80)  # the five cities (武蔵野, 小金井, 国分寺, 清瀬, 西東京)
PATHS = 4000
SCRIPT = """
local paths = {%(paths)s}
math.randomseed(%(seed)d)
request = function() return wrk.format("GET", paths[math.random(#paths)]) end
"""
TILE_RESOURCE = """  {layer}:
    type: collection
    title: {layer}
    description: {layer} copied from Fureai Map's demo
    keywords: [{layer}]
    extents: {{spatial: {{bbox: [139.3, 35.6, 139.7, 35.8], crs: http://www.opengis.net/def/crs/OGC/1.3/CRS84}}}}
    providers:
      - type: feature
        name: PostgreSQL
        data: {data}
        id_field: id
        table: bench_{layer}
        geom_field: geom
      - type: tile
        name: MVT-postgresql
        data: {data}
        id_field: id
        table: bench_{layer}
        geom_field: geom
        options: {{zoom: {{min: 0, max: 18}}}}
        format: {{name: pbf, mimetype: application/vnd.mapbox-vector-tile}}
"""


def tile_paths(rng: random.Random) -> list[tuple[str, int, int, int]]:
    """(layer, z, y, x) over the cities' box, z12–z16, ``PATHS`` of them, with one seed."""
    import morecantile

    tms = morecantile.tms.get("WebMercatorQuad")
    every = [(layer, t.z, t.y, t.x) for layer in LAYERS for z in ZOOMS for t in tms.tiles(*BOX, zooms=[z])]
    return [rng.choice(every) for _ in range(PATHS)]


def ours(layer, z, y, x) -> str:
    return f"/ogcapi/collections/{layer}/tiles/WebMercatorQuad/{z}/{y}/{x}"


def theirs(layer, z, y, x) -> str:
    return f"/collections/{layer}/tiles/WebMercatorQuad/{z}/{y}/{x}?f=mvt"


def start_pygeoapi(url: str, folder: Path, workers: int) -> tuple[subprocess.Popen, int]:
    """Pygeoapi under gunicorn, an MVT-postgresql collection per layer over the copied tables."""
    bin_dir = ensure_pygeoapi()
    port = free_port()
    data = postgres_data(url)
    head = CONFIG.format(port=port, data="unused").split("resources:")[0]
    config = folder / "pygeoapi-tiles.yml"
    config.write_text(head + "resources:\n" + "".join(TILE_RESOURCE.format(layer=layer, data=data)
                                                    for layer in LAYERS), encoding="utf-8")
    openapi = folder / "openapi-tiles.yml"
    env = {**os.environ, "PYGEOAPI_CONFIG": str(config), "PYGEOAPI_OPENAPI": str(openapi)}
    subprocess.run([str(bin_dir / "pygeoapi"), "openapi", "generate", str(config), "--output-file",
                    str(openapi)], env=env, check=True, capture_output=True)
    proc = subprocess.Popen([str(bin_dir / "gunicorn"), "-w", str(workers), "-b", f"127.0.0.1:{port}",
                             "pygeoapi.flask_app:APP"], env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    return wait_until_up(proc, port, "/collections/shelter?f=json"), port


def sizes(port: int, paths: list[str]) -> dict:
    """Each distinct path fetched once: the share answered with content, and its mean bytes."""
    got = []
    for path in sorted(set(paths))[:600]:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        conn.request("GET", path)
        response = conn.getresponse()
        body = response.read()
        if response.status not in (200, 204):
            raise RuntimeError(f"{path}: {response.status}")
        got.append(len(body))
    full = [n for n in got if n]
    return {"bytes": statistics.mean(full) if full else 0.0, "share": len(full) / len(got)}


def wrk_paths(wrk: str, port: int, paths: list[str], args) -> dict:
    script = Path(tempfile.mkdtemp()) / "tiles.lua"
    script.write_text(SCRIPT % {"paths": ",".join(f'"{p}"' for p in paths), "seed": 20261208})
    return run_wrk(wrk, port, script, args.clients, args.seconds)


def measure(wrk: str, servers: dict, cells: list, args) -> dict:
    """Interleaved rounds over every server, then each server's warm tile; runs by name."""
    runs = {name: [] for name in servers}
    for number in range(1, args.rounds + 1):
        for name, (port, spell) in servers.items():
            log(f"  round {number}/{args.rounds}: {name}")
            runs[name].append(wrk_paths(wrk, port, [spell(*c) for c in cells], args))
    hot = ("shelter", 14, 6450, 14539)  # 国分寺 station
    # Two clients (wrk needs one per thread): how long a tile asked again takes, not its queue.
    one = argparse.Namespace(clients=2, seconds=args.seconds)
    warm = {name: wrk_paths(wrk, port, [spell(*hot)], one) for name, (port, spell) in servers.items()}
    bytes_ = {name: sizes(port, [spell(*c) for c in cells]) for name, (port, spell) in servers.items()}
    return {"runs": runs, "warm": warm, "sizes": bytes_}


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
    sqlite, pg = f"sqlite:///{folder / 'bench.db'}", postgres_url()
    ensure_database(pg)
    for url in (sqlite, pg):
        log(f"building the demo database at {url.split('/')[-1]}")
        build_demo(url)
    copy_tables(pg, LAYERS)
    cells = tile_paths(random.Random(20261208))
    workers = os.cpu_count() or 2
    ensure_pygeoapi()
    started = {}
    try:
        started["pygeoapi, PostGIS"] = start_pygeoapi(pg, folder, workers)
        started["ours, SpatiaLite"] = start_server(sqlite, workers)
        started["ours, PostGIS"] = start_server(pg, workers)
        servers = {name: (port, theirs if name.startswith("pygeoapi") else ours)
                   for name, (_proc, port) in started.items()}
        result = measure(wrk, servers, cells, args)
    finally:
        for proc, _port in started.values():
            stop_server(proc)
    report(result, args, os.getloadavg()[0])


def report(result: dict, args, load: float) -> None:
    runs, warm, sizes_ = result["runs"], result["warm"], result["sizes"]
    anchor = runs["pygeoapi, PostGIS"]
    print(f"\nTiles of {len(LAYERS)} point layers, z{ZOOMS[0]}–z{ZOOMS[-1]} over the five cities, "
          f"wrk {args.clients} connections, {args.seconds} s × {args.rounds} interleaved rounds (medians); "
          f"{os.cpu_count()} cores shared by wrk, the servers and PostgreSQL; load (1 min) {load:.2f}\n")
    print("| server | req/s | p50 ms | p99 ms | ratio req/s | ratio p99 | first round (cold): req/s, p99 ms "
          "| bytes per tile with content | share with content | warm tile p99 ms (2 clients) |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for name, mine in runs.items():
        rps, p99 = (statistics.median(r[k] for r in mine) for k in ("rps", "p99"))
        base_rps, base_p99 = (statistics.median(r[k] for r in anchor) for k in ("rps", "p99"))
        p50 = statistics.median(r["p50"] for r in mine)
        errors = sum(r["errors"] for r in mine)
        print(f"| {name}{f' ({errors} errors)' if errors else ''} | {rps:.0f} | {p50:.1f} | {p99:.1f} "
              f"| {rps / base_rps:.2f}× | {p99 / base_p99:.2f}× | {mine[0]['rps']:.0f}, {mine[0]['p99']:.1f} "
              f"| {sizes_[name]['bytes']:.0f} "
              f"| {sizes_[name]['share']:.0%} | {warm[name]['p99']:.1f} |")


if __name__ == "__main__":
    main()
