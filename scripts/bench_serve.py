"""Choose ``fureai serve``'s threads per worker by measuring them side by side on this machine.

Starts the real server (gunicorn, ``--workers`` processes) on an existing database once per
setting and round, interleaved, and drives it with 20 keep-alive clients on a page of
shelters from ``/api/v1/resources`` and from OGC API items. Prints req/s and p99 per setting
and the ratio to the old default (4 threads), median of the rounds.

Usage: DATABASE_URL=sqlite:////path/demo.db .venv/bin/python scripts/bench_serve.py [--rounds 3]
"""

from __future__ import annotations

import argparse
import http.client
import os
import socket
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PATHS = {"resources": "/api/v1/resources?kind=shelter&bbox=139.40,35.66,139.52,35.75",
         "ogc items": "/ogcapi/collections/shelter/items?bbox=139.40,35.66,139.52,35.75&limit=100"}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _start(workers: int, threads: int) -> tuple[subprocess.Popen, int]:
    port = _free_port()
    proc = subprocess.Popen([str(ROOT / ".venv/bin/fureai"), "serve", "--port", str(port), "--workers",
                             str(workers), "--threads", str(threads)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for _ in range(150):
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/healthz")
            conn.getresponse().read()
            return proc, port
        except OSError:
            time.sleep(0.2)
    proc.kill()
    raise SystemExit("the server did not start; is DATABASE_URL a built database?")


def _load(port: int, path: str, clients: int, requests: int) -> tuple[float, float]:
    latencies, lock = [], threading.Lock()

    def client():
        conn, mine = http.client.HTTPConnection("127.0.0.1", port, timeout=30), []
        for _ in range(requests):
            started = time.perf_counter()
            conn.request("GET", path)
            conn.getresponse().read()
            mine.append(time.perf_counter() - started)
        with lock:
            latencies.extend(mine)

    workers = [threading.Thread(target=client) for _ in range(clients)]
    started = time.perf_counter()
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    elapsed = time.perf_counter() - started
    latencies.sort()
    return len(latencies) / elapsed, latencies[int(0.99 * len(latencies)) - 1] * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--threads", type=int, nargs="+", default=[1, 2, 4])
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--requests", type=int, default=60)
    args = parser.parse_args()
    results: dict[tuple[int, str], list[tuple[float, float]]] = {}
    for number in range(args.rounds):
        for threads in args.threads:  # interleaved: the machine's drift hits every setting alike
            proc, port = _start(args.workers, threads)
            try:
                for name, path in PATHS.items():
                    _load(port, path, 2, 5)  # warm the worker
                    measured = _load(port, path, args.clients, args.requests)
                    results.setdefault((threads, name), []).append(measured)
                    print(f"round {number + 1}/{args.rounds} threads={threads} {name}: "
                          f"{results[(threads, name)][-1][0]:.0f} req/s", file=sys.stderr, flush=True)
            finally:
                proc.terminate()
                proc.wait()
    base = max(args.threads)
    print(f"| threads per worker ({args.workers} workers) | work | req/s (median) | p99 ms "
          f"| req/s vs {base} threads |")
    print("|---|---|---|---|---|")
    for (threads, name), runs in sorted(results.items()):
        rps = statistics.median(r for r, _ in runs)
        p99 = statistics.median(p for _, p in runs)
        ratio = rps / statistics.median(r for r, _ in results[(base, name)])
        print(f"| {threads} | {name} | {rps:.0f} | {p99:.0f} | {ratio:.2f}× |")


if __name__ == "__main__":
    main()
