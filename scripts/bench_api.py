"""Benchmark the map API and page on SpatiaLite and PostGIS.

Runs the real server (``fureai serve``, gunicorn) in its own process on a freshly built demo
database per backend, then 20 concurrent keep-alive clients. ``/healthz`` is the baseline in
the same run: the cost of the server and framework with no query. The page is loaded in
headless Chromium and compared with the folium default of embedding all data in the HTML.

Usage: .venv/bin/python scripts/bench_api.py [--requests 100] [--clients 20]
PostGIS comes from FUREAI_TEST_POSTGRES_URL (or scripts/start_postgis.sh is run).
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
OPEN_DATA_DIR = os.environ.get("OPEN_DATA_DIR", str((ROOT.parent / "shared" / "data").resolve()))
TARGETS = {"resources p99 at 20 clients": "< 50 ms", "page (HTML + own assets)": "< 300 KB"}


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def build_demo(url: str) -> None:
    from app.services.demo import build_demo as build
    from app.storage.engine import make_engine
    from app.storage.migrate import drop_all
    from app.storage.repository import Repository

    engine = make_engine(url)
    drop_all(engine)
    repo = Repository(engine)
    build(repo, Path(OPEN_DATA_DIR), progress=lambda n, total, label: log(f"  demo [{n}/{total}] {label}"))
    engine.dispose()


def start_server(url: str, workers: int, threads: int | None = None) -> tuple[subprocess.Popen, int]:
    """``fureai serve`` on a free port over ``url`` (threads: the command's default when None)."""
    port = free_port()
    env = {**os.environ, "DATABASE_URL": url, "OPEN_DATA_DIR": OPEN_DATA_DIR}
    command = [str(Path(sys.executable).parent / "fureai"), "serve", "--port", str(port),
               "--workers", str(workers)]
    if threads is not None:
        command += ["--threads", str(threads)]
    proc = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return wait_until_up(proc, port, "/healthz"), port


def wait_until_up(proc: subprocess.Popen, port: int, path: str) -> subprocess.Popen:
    """``proc`` once ``path`` answers 200 on ``port`` (a minute at most, then it is killed)."""
    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", path)
            if conn.getresponse().status == 200:
                return proc
        except OSError:
            time.sleep(0.2)
    proc.kill()
    raise RuntimeError(f"the server on port {port} did not start")


def request_paths(kind: str, count: int, rng: random.Random) -> list[str]:
    """Viewport-sized bounding boxes (about 2.5 × 2 km) and points across the four cities."""
    paths = []
    for _ in range(count):
        lon, lat = rng.uniform(139.43, 139.60), rng.uniform(35.68, 35.75)
        if kind == "resources":
            paths.append(f"/api/v1/resources?kind=shelter,emergency_site,salon,hub&limit=1000&bbox="
                         f"{lon - 0.014:.5f},{lat - 0.009:.5f},{lon + 0.014:.5f},{lat + 0.009:.5f}")
        elif kind == "nearest":
            paths.append(f"/api/v1/nearest?lat={lat:.5f}&lon={lon:.5f}&kind=shelter&n=5")
        else:
            paths.append("/healthz")
    return paths


def load(port: int, paths_per_client: list[list[str]]) -> dict:
    latencies: list[float] = []
    errors = []
    lock = threading.Lock()

    def client(paths):
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        mine = []
        for path in paths:
            start = time.perf_counter()
            conn.request("GET", path)
            response = conn.getresponse()
            response.read()
            mine.append(time.perf_counter() - start)
            if response.status != 200:
                errors.append((path, response.status))
        conn.close()
        with lock:
            latencies.extend(mine)

    threads = [threading.Thread(target=client, args=(p,)) for p in paths_per_client]
    start = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - start
    latencies.sort()
    return {"n": len(latencies), "p50": statistics.median(latencies) * 1000,
            "p99": latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))] * 1000,
            "rps": len(latencies) / elapsed, "errors": len(errors)}


WRK_SCRIPT = """
math.randomseed(%(seed)d)
request = function()
  local lon = 139.43 + math.random() * 0.17
  local lat = 35.68 + math.random() * 0.07
  local path
  if "%(kind)s" == "resources" then
    path = string.format("/api/v1/resources?kind=shelter,emergency_site,salon,hub&limit=1000&bbox=" ..
      "%%.5f,%%.5f,%%.5f,%%.5f", lon - 0.014, lat - 0.009, lon + 0.014, lat + 0.009)
  elseif "%(kind)s" == "nearest" then
    path = string.format("/api/v1/nearest?lat=%%.5f&lon=%%.5f&kind=shelter&n=5", lat, lon)
  else
    path = "/healthz"
  end
  return wrk.format("GET", path)
end
"""


def ensure_wrk() -> str | None:
    """Wrk (Debian's C load generator) keeps the client's CPU share small; installed when missing."""
    import shutil

    if shutil.which("wrk") is None and os.geteuid() == 0:
        subprocess.run(["apt-get", "install", "-y", "-qq", "wrk"], capture_output=True, check=False)
    return shutil.which("wrk")


def wrk_load(wrk: str, port: int, kind: str, clients: int, seconds: int) -> dict:
    script = Path(tempfile.mkdtemp()) / f"{kind}.lua"
    script.write_text(WRK_SCRIPT % {"seed": 20261201, "kind": kind})
    return run_wrk(wrk, port, script, clients, seconds)


def run_wrk(wrk: str, port: int, script: Path, clients: int, seconds: int) -> dict:
    """Wrk with ``script`` against the server on ``port``: requests, p50/p99 ms, req/s, errors."""
    import re

    out = subprocess.run([wrk, "-t2", f"-c{clients}", f"-d{seconds}s", "--latency", "-s", str(script),
                          f"http://127.0.0.1:{port}"], capture_output=True, text=True, check=True).stdout

    def ms(label: str) -> float:
        value, unit = re.search(rf"^\s+{label}\s+([\d.]+)(us|ms|s)\s*$", out, re.M).groups()
        return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]

    total = int(re.search(r"(\d+) requests in", out).group(1))
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return {"n": total, "p50": ms("50%"), "p99": ms("99%"),
            "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),
            "errors": int(errors.group(1)) if errors else 0}


def page_metrics(port: int) -> dict:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=os.environ.get("FUREAI_CHROMIUM", "/usr/bin/chromium"),
                                    args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"])
        page = browser.new_page()
        sizes: dict[str, int] = {}

        def on_response(response):
            if response.url.startswith(f"http://127.0.0.1:{port}") and "/api/" not in response.url:
                with contextlib.suppress(Exception):  # redirects have no body
                    sizes[response.url] = len(response.body())

        page.on("response", on_response)
        page.route(lambda url: not url.startswith(f"http://127.0.0.1:{port}"),
                   lambda route: route.fulfill(status=204, body=""))
        start = time.perf_counter()
        page.goto(f"http://127.0.0.1:{port}/?city=13214", wait_until="load")
        loaded = time.perf_counter() - start
        page.wait_for_function("document.body.dataset.loaded_shelter !== undefined && "
                               "document.body.dataset.loading === '0'")
        ready = time.perf_counter() - start
        browser.close()
    return {"bytes": sum(sizes.values()), "files": len(sizes), "load_ms": loaded * 1000,
            "ready_ms": ready * 1000}


def embedded_page_bytes(url: str) -> int:
    """What folium's usual approach (all features as GeoJSON inside the HTML) would weigh."""
    import folium

    from app.storage.engine import make_engine
    from app.storage.repository import Repository

    repo = Repository(make_engine(url))
    fmap = folium.Map(location=[35.71, 139.48], zoom_start=13, tiles=None)
    features = [{"type": "Feature", "geometry": r["geometry"], "properties": {"name": r["name"]}}
                for r in repo.find_resources(limit=100_000) if r["geometry"]]
    folium.GeoJson({"type": "FeatureCollection", "features": features}).add_to(fmap)
    areas = repo.find_areas(limit=100_000)
    folium.GeoJson({"type": "FeatureCollection", "features": [
        {"type": "Feature", "geometry": a["geometry"], "properties": {"name": a["name"]}} for a in areas]}
    ).add_to(fmap)
    repo.engine.dispose()
    return len(fmap.get_root().render().encode())


def postgres_url() -> str:
    url = os.environ.get("FUREAI_TEST_POSTGRES_URL")
    if url:
        return url.rsplit("/", 1)[0] + "/fureai_bench"
    out = subprocess.run(["bash", str(ROOT / "scripts/start_postgis.sh")], capture_output=True, text=True,
                         check=True).stdout.strip().splitlines()[-1]
    return out.rsplit("/", 1)[0] + "/fureai_bench"


def ensure_database(url: str) -> None:
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    parsed = make_url(url)
    admin = create_engine(parsed.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        if not conn.execute(text("SELECT 1 FROM pg_database WHERE datname=:n"),
                            {"n": parsed.database}).scalar():
            conn.execute(text(f'CREATE DATABASE "{parsed.database}"'))
    admin.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=100, help="requests per client per endpoint")
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--seconds", type=int, default=15, help="wrk run length per endpoint")
    parser.add_argument("--python-client", action="store_true", help="use the Python client, not wrk")
    parser.add_argument("--workers", type=int, default=2, help="server worker processes")
    parser.add_argument("--only", choices=["SpatiaLite", "PostGIS"], help="one backend only")
    args = parser.parse_args()
    wrk = None if args.python_client else ensure_wrk()
    rng = random.Random(20261201)
    tmp = Path(tempfile.mkdtemp())
    backends = {"SpatiaLite": f"sqlite:///{tmp / 'bench.db'}", "PostGIS": postgres_url()}
    ensure_database(backends["PostGIS"])
    rows, pages = [], {}
    for backend, url in backends.items():
        log(f"{backend}: building the demo database")
        build_demo(url)
        if args.only and backend != args.only:
            continue
        proc, port = start_server(url, args.workers)
        try:
            for endpoint in ("healthz (baseline)", "resources", "nearest"):
                kind = endpoint.split()[0]
                paths = [request_paths(kind, args.requests, rng) for _ in range(args.clients)]
                load(port, [p[:5] for p in paths])  # warm-up
                if wrk:
                    log(f"{backend}: {endpoint}, wrk, {args.clients} connections × {args.seconds} s")
                    rows.append((backend, endpoint, wrk_load(wrk, port, kind, args.clients, args.seconds)))
                else:
                    log(f"{backend}: {endpoint}, {args.clients} clients × {args.requests} requests")
                    rows.append((backend, endpoint, load(port, paths)))
            log(f"{backend}: page in headless Chromium")
            pages[backend] = page_metrics(port)
        finally:
            proc.terminate()
            proc.wait(timeout=20)
    embedded = embedded_page_bytes(backends["SpatiaLite"]) if args.only != "PostGIS" else 0
    client = (f"wrk, {args.clients} connections, {args.seconds} s per endpoint" if wrk else
              f"Python client, {args.clients} threads × {args.requests} requests")
    print(f"\nAPI under load: {client}, {os.cpu_count()} cores shared by client and server\n")
    print("| backend | endpoint | requests | p50 ms | p99 ms | req/s | errors |")
    print("|---|---|---:|---:|---:|---:|---:|")
    for backend, endpoint, r in rows:
        print(f"| {backend} | {endpoint} | {r['n']} | {r['p50']:.1f} | {r['p99']:.1f} | {r['rps']:.0f} "
              f"| {r['errors']} |")
    print("\nMap page (/?city=13214), before API data\n")
    print("| page | bytes | files | load event ms | layers loaded ms |")
    print("|---|---:|---:|---:|---:|")
    for backend, p in pages.items():
        print(f"| Fureai Map, {backend} | {p['bytes']:,} | {p['files']} | {p['load_ms']:.0f} | "
              f"{p['ready_ms']:.0f} |")
    print(f"| baseline: folium with all demo features embedded (HTML only, no assets) | {embedded:,} | 1 "
          "| – | – |")
    print("\nTargets: " + "; ".join(f"{k} {v}" for k, v in TARGETS.items()))


if __name__ == "__main__":
    main()
