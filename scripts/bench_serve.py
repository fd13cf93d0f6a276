"""Choose ``fureai serve``'s defaults by measuring the settings side by side on this machine.

Starts the real server (gunicorn) on an existing database once per setting and round,
interleaved so that the machine's drift hits every setting alike, and for each: the first
analysis request after the start (a fresh worker), then wrk (20 connections) on viewport-sized
boxes of shelters from ``/api/v1/resources`` and from OGC API items, then the whole server's
memory (Pss of master and workers, see ``bench_memory.server_memory``). Settings: worker
processes per core, threads per worker (more than one makes gunicorn's ``gthread`` worker class,
one its ``sync`` class), and preloading the app before the fork. Medians of the rounds, with the
ratio to the default.

Usage: DATABASE_URL=sqlite:////path/demo.db .venv/bin/python scripts/bench_serve.py [--rounds 3]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_api import ensure_wrk, get_ms, log, start_server, stop_server
from bench_memory import server_memory
from bench_pygeoapi import TARGETS, wrk_load_path

CORES = os.cpu_count() or 1
# label → (workers, threads, extra options); the first is the default.
SETTINGS = {
    f"{CORES} workers × 1 thread, preload (default)": (CORES, 1, ()),
    f"{CORES} workers × 1 thread, no preload": (CORES, 1, ("--no-preload",)),
    f"{CORES} workers × 4 threads (gthread), preload": (CORES, 4, ()),
    f"{2 * CORES} workers × 1 thread, preload": (2 * CORES, 1, ()),
    "1 worker × 1 thread, preload": (1, 1, ()),
}
ANALYSIS = "/api/v1/analysis/coverage?kind=salon&area_kind=school_district&city=13229&minutes=15"


def one_round(wrk: str, url: str, setting: tuple, seconds: int) -> dict:
    workers, threads, options = setting
    proc, port = start_server(url, workers, threads, options)
    try:
        out = {"first analysis": get_ms(port, ANALYSIS)}
        for name in ("resources", "ogc items"):
            out[name] = wrk_load_path(wrk, port, TARGETS[name], 20, seconds)
        out["memory"] = server_memory(proc)["whole"]
        return out
    finally:
        stop_server(proc)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seconds", type=int, default=8, help="wrk run per work and setting")
    args = parser.parse_args()
    wrk = ensure_wrk()
    if wrk is None:
        sys.exit("wrk is needed (apt-get install wrk)")
    runs: dict[str, list[dict]] = {label: [] for label in SETTINGS}
    for number in range(1, args.rounds + 1):
        for label, setting in SETTINGS.items():
            log(f"round {number}/{args.rounds}: {label}")
            runs[label].append(one_round(wrk, os.environ["DATABASE_URL"], setting, args.seconds))
    report(runs, args)


def report(runs: dict[str, list[dict]], args) -> None:
    def median(label, work, key=None):
        return statistics.median(r[work][key] if key else r[work] for r in runs[label])

    default = next(iter(SETTINGS))
    print(f"\nfureai serve settings on {CORES} cores, wrk 20 connections × {args.seconds} s per work, "
          f"{args.rounds} interleaved rounds (medians); load (1 min) {os.getloadavg()[0]:.2f}\n")
    print("| setting | work | req/s | p99 ms | req/s vs default | first analysis ms | server memory MB |")
    print("|---|---|---:|---:|---:|---:|---:|")
    for label in SETTINGS:
        for work in ("resources", "ogc items"):
            ratio = median(label, work, "rps") / median(default, work, "rps")
            print(f"| {label} | {work} | {median(label, work, 'rps'):.0f} | {median(label, work, 'p99'):.1f} "
                  f"| {ratio:.2f}× | {median(label, 'first analysis'):.0f} | {median(label, 'memory'):.0f} |")


if __name__ == "__main__":
    main()
