"""Benchmark the map API and page on SpatiaLite and PostGIS.

Runs the real server (``fureai serve``, gunicorn) in its own process on a freshly built demo
database per backend, then 20 concurrent keep-alive clients. ``/healthz`` is the baseline in
the same run: the cost of the server and framework with no query. The pages in the browser
are measured by ``scripts/bench_page.py``.

Usage: .venv/bin/python scripts/bench_api.py [--requests 100] [--clients 20]
PostGIS comes from FUREAI_TEST_POSTGRES_URL (or scripts/start_postgis.sh is run).
"""

from __future__ import annotations

import argparse
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
TARGETS = {"resources p99 at 20 clients": "< 50 ms"}


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def build_demo(url: str) -> None:
    """The demo database at ``url``, built in a child process.

    The benchmark's own process then never loads the app's libraries, so it neither competes with
    the servers for memory nor shares (and so lowers) their proportional memory (Pss).
    """
    subprocess.run([sys.executable, __file__, "--build-demo", url], check=True)


def _build_demo_here(url: str) -> None:
    from app.services.demo import build_demo as build
    from app.storage.engine import make_engine
    from app.storage.migrate import drop_all
    from app.storage.repository import Repository

    engine = make_engine(url)
    drop_all(engine)
    repo = Repository(engine)
    build(repo, Path(OPEN_DATA_DIR), progress=lambda n, total, label: log(f"  demo [{n}/{total}] {label}"))
    engine.dispose()


def start_server(url: str, workers: int, threads: int | None = None,
                 options: tuple[str, ...] = ()) -> tuple[subprocess.Popen, int]:
    """``fureai serve`` on a free port over ``url`` (threads: the command's default when None).

    Started again once on another port when it does not answer: on a busy machine a start can
    lose its port to another process or take longer than a minute.
    """
    try:
        return _start_server(url, workers, threads, options)
    except RuntimeError as exc:
        log(f"{exc}; starting it once more")
        return _start_server(url, workers, threads, options)


def stop_server(proc: subprocess.Popen) -> None:
    """A server stopped: gracefully (TERM; its workers finish their requests), else killed."""
    proc.terminate()
    try:
        proc.wait(timeout=60)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def _start_server(url: str, workers: int, threads: int | None, options: tuple[str, ...]):
    port = free_port()
    env = {**os.environ, "DATABASE_URL": url, "OPEN_DATA_DIR": OPEN_DATA_DIR}
    command = [str(Path(sys.executable).parent / "fureai"), "serve", "--port", str(port),
               "--workers", str(workers)]
    if threads is not None:
        command += ["--threads", str(threads)]
    command += options
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


def get_ms(port: int, path: str) -> float:
    """One GET on a new connection, as a browser's first request after idling; in ms."""
    start = time.perf_counter()
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    conn.request("GET", path)
    response = conn.getresponse()
    response.read()
    assert response.status == 200, f"{path}: HTTP {response.status}"
    conn.close()
    return (time.perf_counter() - start) * 1000


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
    rows = []
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
        finally:
            stop_server(proc)
    client = (f"wrk, {args.clients} connections, {args.seconds} s per endpoint" if wrk else
              f"Python client, {args.clients} threads × {args.requests} requests")
    print(f"\nAPI under load: {client}, {os.cpu_count()} cores shared by client and server\n")
    print("| backend | endpoint | requests | p50 ms | p99 ms | req/s | errors |")
    print("|---|---|---:|---:|---:|---:|---:|")
    for backend, endpoint, r in rows:
        print(f"| {backend} | {endpoint} | {r['n']} | {r['p50']:.1f} | {r['p99']:.1f} | {r['rps']:.0f} "
              f"| {r['errors']} |")
    print(f"\nLoad (1 min) after the run: {os.getloadavg()[0]:.2f}")
    print("\nTargets: " + "; ".join(f"{k} {v}" for k, v in TARGETS.items()))


if __name__ == "__main__":
    if sys.argv[1:2] == ["--build-demo"]:  # the child of build_demo
        _build_demo_here(sys.argv[2])
    else:
        main()
