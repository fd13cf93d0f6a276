"""Choose ``fureai serve``'s threads per worker by measuring them side by side on this machine.

Starts the real server (gunicorn, ``--workers`` processes) on an existing database once per
setting and round, interleaved, and drives it with 20 keep-alive clients on a page of
shelters from ``/api/v1/resources`` and from OGC API items. Prints req/s and p99 per setting
and the ratio to the old default (4 threads), median of the rounds.

Usage: DATABASE_URL=sqlite:////path/demo.db .venv/bin/python scripts/bench_serve.py [--rounds 3]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
from pathlib import Path

# The API benchmark's own server start and clients, so both measure the same way.
sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_api import load, start_server

PATHS = {"resources": "/api/v1/resources?kind=shelter&bbox=139.40,35.66,139.52,35.75",
         "ogc items": "/ogcapi/collections/shelter/items?bbox=139.40,35.66,139.52,35.75&limit=100"}


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
            proc, port = start_server(os.environ["DATABASE_URL"], args.workers, threads)
            try:
                for name, path in PATHS.items():
                    load(port, [[path] * 5] * 2)  # warm the workers
                    measured = load(port, [[path] * args.requests] * args.clients)
                    results.setdefault((threads, name), []).append((measured["rps"], measured["p99"]))
                    print(f"round {number + 1}/{args.rounds} threads={threads} {name}: "
                          f"{measured['rps']:.0f} req/s", file=sys.stderr, flush=True)
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
