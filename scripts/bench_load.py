"""Reads while writes run: mixed public reads at 50 connections, idle and during a 20,000-row import.

Runs the real server (``fureai serve``, gunicorn) over a freshly built demo on each backend and
drives it with wrk: viewport boxes of places (JSON API and OGC API items), near-me answers, household
cards and coverage what-ifs (a salon added), mixed in fixed shares from one seeded list of paths.
Measured twice in the same run: with the server otherwise idle (the anchor), then in 2-second
windows for as long as ``fureai import resources`` stores a **synthetic** list of 20,000 salons
(points drawn at random inside the five cities' boundaries, named 「合成サロン」; not data: each run
rebuilds its databases from the open data first, and the list lives in a temporary folder). Reported as
p50/p99 and the ratio of the import run to the idle one, with the machine's load.

Targets (issue #31): p99 < 500 ms idle and < 1 s during the import, at 50 connections, on both backends.

Usage: .venv/bin/python scripts/bench_load.py [--connections 50] [--seconds 30] [--workers 4]
"""

from __future__ import annotations

import argparse
import csv
import os
import random
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_api import (
    OPEN_DATA_DIR,
    build_demo,
    ensure_database,
    ensure_wrk,
    log,
    postgres_url,
    run_wrk,
    start_server,
    stop_server,
)

SEED = 20261207
SYNTHETIC = "合成データ（ベンチマーク用）"
# Paths per share of the mix: (share, how many distinct paths, maker).


def viewport(lon: float, lat: float) -> str:
    """A phone's view of the map (about 2.5 × 2 km) around a point, as a bbox parameter."""
    return f"bbox={lon - .014:.5f},{lat - .009:.5f},{lon + .014:.5f},{lat + .009:.5f}"


MIX = (
    (40, "places", lambda r, lon, lat: ("/api/v1/resources?kind=shelter,emergency_site,salon,hub&limit=1000&"
                                        + viewport(lon, lat))),
    (20, "OGC items", lambda r, lon, lat: ("/ogcapi/collections/shelter/items?limit=1000&"
                                           + viewport(lon, lat))),
    (20, "near me", lambda r, lon, lat: f"/api/v1/nearest?lat={lat:.5f}&lon={lon:.5f}&kind=shelter&n=5"),
    (10, "card", lambda r, lon, lat: "/card?lat={1:.5f}&lon={0:.5f}".format(*at_home(r))),
    (10, "what-if", lambda r, lon, lat: ("/api/v1/analysis/coverage?kind=salon&area_kind=school_district"
                                         f"&city={r.choice(['13214', '13229', '13210', '13203'])}"
                                         f"&minutes=15&add={lon:.5f},{lat:.5f}")),
)
# Near the centres of the demo's cities: a card is asked for a home inside one.
CENTRES = ((139.4622, 35.7040), (139.5600, 35.7090), (139.5075, 35.6995), (139.5380, 35.7255),
           (139.5260, 35.7850))


def at_home(rng: random.Random) -> tuple[float, float]:
    lon, lat = rng.choice(CENTRES)
    return lon + rng.uniform(-.004, .004), lat + rng.uniform(-.004, .004)


SCRIPT = """
local paths = {%(paths)s}
local n = 0
request = function()
  n = n + 1
  return wrk.format("GET", paths[(n %% #paths) + 1])
end
"""


def mixed_paths(count: int = 400) -> list[str]:
    """``count`` paths in the shares of ``MIX``, at random points over the four cities, shuffled."""
    rng = random.Random(SEED)
    paths = []
    for share, _, make in MIX:
        for _ in range(count * share // 100):
            paths.append(make(rng, rng.uniform(139.43, 139.60), rng.uniform(35.68, 35.75)))
    rng.shuffle(paths)
    return paths


def synthetic_list(folder: Path, rows: int) -> Path:
    """A made-up list of ``rows`` salons at random points inside the demo's cities (labelled synthetic).

    Spread over the cities as a large real list is (a prefecture's vending machines, say), not
    stacked in one neighbourhood: every viewport then holds a share of it, as it would.
    """
    import geopandas as gpd  # deferred: only the list's maker needs it
    import shapely

    rng = random.Random(SEED)
    cities = gpd.read_file(Path(OPEN_DATA_DIR) / "boundaries/n03_2022_cities.geojson")
    union = shapely.union_all(cities.geometry.to_numpy())
    shapely.prepare(union)
    west, south, east, north = union.bounds
    path = folder / "synthetic_salons.csv"
    with path.open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(["名称", "緯度", "経度", "備考"])
        written = 0
        while written < rows:
            lon, lat = rng.uniform(west, east), rng.uniform(south, north)
            if union.contains(shapely.Point(lon, lat)):
                writer.writerow([f"合成サロン{written:05d}", f"{lat:.6f}", f"{lon:.6f}", SYNTHETIC])
                written += 1
    return path


def fureai(url: str, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "DATABASE_URL": url, "OPEN_DATA_DIR": OPEN_DATA_DIR}
    return subprocess.run([str(Path(sys.executable).parent / "fureai"), *args], env=env, capture_output=True,
                          text=True, check=False)


WINDOW_S = 2


def during_import(wrk: str, port: int, script: Path, url: str, listing: Path, args) -> tuple[dict, float]:
    """Wrk in windows of ``WINDOW_S`` seconds for as long as the synthetic list is being imported.

    Only windows wholly within the import count: after it, the 20,000 salons are data every
    viewport and salon what-if must read, a different workload. Reported: the worst window's p50
    and p99 (a percentile cannot be merged across windows), and the windows' mean requests per second.
    """
    timing: dict[str, float] = {}

    def importer():
        began = time.perf_counter()
        done = fureai(url, "import", "resources", str(listing), "--kind", "salon")
        timing["s"] = time.perf_counter() - began
        if done.returncode != 0:
            log(f"the import failed: {done.stderr[-500:]}")

    thread = threading.Thread(target=importer)
    thread.start()
    windows = []
    while thread.is_alive():
        windows.append(run_wrk(wrk, port, script, args.connections, WINDOW_S))
    thread.join()
    # The last window is the one the import ended in: after it, the reads see the new rows.
    windows = windows[:-1] or windows
    worst = {"n": sum(w["n"] for w in windows), "p50": max(w["p50"] for w in windows),
             "p99": max(w["p99"] for w in windows), "rps": sum(w["rps"] for w in windows) / len(windows),
             "errors": sum(w["errors"] for w in windows), "windows": len(windows)}
    return worst, timing.get("s", float("nan"))


def one_backend(wrk: str, backend: str, url: str, listing: Path, args) -> dict:
    build_demo(url)
    script = Path(tempfile.mkdtemp()) / "mixed.lua"
    script.write_text(SCRIPT % {"paths": ", ".join(f'"{p}"' for p in mixed_paths())})
    proc, port = start_server(url, args.workers)
    try:
        run_wrk(wrk, port, script, args.connections, 5)  # warm-up: every worker's caches
        log(f"{backend}: idle, {args.connections} connections × {args.seconds} s")
        idle = run_wrk(wrk, port, script, args.connections, args.seconds)
        log(f"{backend}: during a {args.rows}-row import")
        busy, import_s = during_import(wrk, port, script, url, listing, args)
        return {"idle": idle, "import": busy, "import_s": import_s, "load": os.getloadavg()[0]}
    finally:
        stop_server(proc)


def report(results: dict, args) -> None:
    shares = ", ".join(f"{s} % {name}" for s, name, _ in MIX)
    print(f"\nMixed public reads ({shares}), wrk {args.connections} connections × {args.seconds} s, "
          f"fureai serve --workers {args.workers}, {os.cpu_count()} cores shared by client, server and "
          f"importer; the import is a synthetic list of {args.rows} salons\n")
    print(f"(during the import: the worst {WINDOW_S}-second window's p50 and p99 of those wholly within "
          "the import, the windows' mean req/s)\n")
    print("| backend | run | req/s | p50 ms | p99 ms | non-2xx | p99 vs idle | import s | load (1 min) |")
    print("|---|---|---:|---:|---:|---:|---:|---:|---:|")
    for backend, r in results.items():
        for run in ("idle", "import"):
            m = r[run]
            ratio = m["p99"] / r["idle"]["p99"]
            took = f"{r['import_s']:.1f} ({m['windows']} windows)" if run == "import" else ""
            label = "idle" if run == "idle" else "during the import"
            print(f"| {backend} | {label} | {m['rps']:.0f} | {m['p50']:.0f} | {m['p99']:.0f} | "
                  f"{m['errors']} | {ratio:.2f}× | {took} | {r['load']:.2f} |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--connections", type=int, default=50)
    parser.add_argument("--seconds", type=int, default=30)
    parser.add_argument("--workers", type=int, default=4, help="server worker processes")
    parser.add_argument("--rows", type=int, default=20000, help="rows of the synthetic list")
    parser.add_argument("--only", choices=["SpatiaLite", "PostGIS"], help="one backend only")
    args = parser.parse_args()
    wrk = ensure_wrk()
    if wrk is None:
        sys.exit("wrk is needed (apt-get install wrk)")
    folder = Path(tempfile.mkdtemp())
    listing = synthetic_list(folder, args.rows)
    backends = {"SpatiaLite": f"sqlite:///{folder / 'load.db'}", "PostGIS": postgres_url()}
    results = {}
    for backend, url in backends.items():
        if args.only and backend != args.only:
            continue
        if backend == "PostGIS":
            ensure_database(url)
        results[backend] = one_backend(wrk, backend, url, listing, args)
        log(f"{backend}: {results[backend]}")
    report(results, args)


if __name__ == "__main__":
    main()
