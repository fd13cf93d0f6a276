"""The day of a disaster: many phones polling a city's shelter status while a coordinator updates it.

Synthetic load on the real demo database (国分寺's shelters; the event, its ten opened sites and
the coordinator are made by this script and labelled 「ベンチ」). N simulated clients (100, 500,
1,000 by default, on loopback) each ask for the status every ``--interval`` seconds (30) at their
own phase, on a new connection as a phone waking up would, with ``If-None-Match`` when it holds
an ETag; a coordinator updates one site every 10 seconds through the API. Beside it, the same
clients on pygeoapi's items for the same sites (its GeoJSON provider over the status, rewritten
on every update, since it has no status of its own), in the same run.

Reported per server and N: requests per second, p50 and p99 in ms, the share of 304s, and the
staleness of each update: how long until the first client saw it, and until every client had
(at most one polling interval by design). Targets (not tests): p99 < 100 ms at 1,000 clients on
2 cores; staleness ≤ one interval.

Usage: .venv/bin/python scripts/bench_dayof.py [--clients 100,500,1000] [--seconds 60] [--interval 30]
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import http.client
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_api import ROOT, build_demo, ensure_database, log, postgres_url, start_server, stop_server
from bench_pygeoapi import start_pygeoapi

FUREAI = str(ROOT / ".venv" / "bin" / "fureai")
UPDATE_EVERY = 10.0


def cli(url: str, *args: str) -> str:
    """One ``fureai`` command on the database at ``url``; its output."""
    env = {**os.environ, "DATABASE_URL": url}
    return subprocess.run([FUREAI, *args], env=env, check=True, capture_output=True, text=True).stdout


def request(port: int, method: str, path: str, body: dict | None = None,
            token: str = "") -> tuple[int, bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"} if token else {}
    conn.request(method, path, body=json.dumps(body) if body is not None else None, headers=headers)
    answer = conn.getresponse()
    return answer.status, answer.read()


def prepare(url: str, port: int) -> tuple[str, int, list[int]]:
    """A coordinator's token, an open event (ベンチ) and ten of 国分寺's shelters opened in it."""
    cli(url, "users", "add", "bench_coordinator", "--role", "coordinator", "--city", "13214",
        "--password", "bench-password-1")
    token = cli(url, "users", "token", "bench_coordinator", "--label", "bench").strip().split()[-1]
    event = int(cli(url, "event", "open", "ベンチ（合成負荷）", "--city", "13214", "--hazard",
                    "earthquake").split()[2].rstrip(":"))
    _, body = request(port, "GET", "/api/v1/resources?kind=shelter&city=13214&limit=10")
    sites = [f["id"] for f in json.loads(body)["features"]]
    for site in sites:
        request(port, "POST", f"/api/v1/events/{event}/sites/{site}", {"open": True, "people": 10}, token)
    return token, event, sites


async def fetch(port: int, path: str, etag: str) -> tuple[int, str, float]:
    """One GET on a new connection: (status, version, ms); the version is the ETag, else a body hash."""
    start = time.perf_counter()
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    held = f"If-None-Match: {etag}\r\n" if etag else ""
    writer.write(f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n{held}\r\n".encode())
    await writer.drain()
    data = await reader.read()
    writer.close()
    ms = (time.perf_counter() - start) * 1000
    head, _, body = data.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split()[1])
    tag = next((v.strip() for k, _, v in (h.partition(":") for h in lines[1:]) if k.lower() == "etag"), "")
    return status, tag or hashlib.sha1(body).hexdigest(), ms


class Run:
    """What one load measured: every response, and when each update happened and was first seen."""

    def __init__(self):
        self.samples: list[tuple[int, float]] = []  # (status, ms)
        self.updates: list[float] = []
        self.lags: dict[int, list[float]] = {}  # update index → each client's lag (s)


async def client(run: Run, port: int, path: str, interval: float, until: float, use_etag: bool) -> None:
    await asyncio.sleep(random.uniform(0, interval))
    version, etag, seen = "", "", 0
    while time.time() < until:
        sent = time.time()
        try:
            status, new, ms = await fetch(port, path, etag if use_etag else "")
        except OSError:
            run.samples.append((0, 0.0))
            await asyncio.sleep(interval)
            continue
        run.samples.append((status, ms))
        done = time.time()
        if status == 200 and new != version:
            reached = sum(1 for t in run.updates if t <= sent)
            for index in range(seen, reached):
                run.lags.setdefault(index, []).append(done - run.updates[index])
            version, etag, seen = new, new, reached
        await asyncio.sleep(max(0.0, interval - (time.time() - sent)))


async def updater(run: Run, update, until: float) -> None:
    number = 0
    while time.time() + UPDATE_EVERY < until:
        await asyncio.sleep(UPDATE_EVERY)
        number += 1
        await asyncio.to_thread(update, number)
        run.updates.append(time.time())


def load(port: int, path: str, clients: int, seconds: float, interval: float, update, use_etag: bool) -> dict:
    """``clients`` pollers and one updater for ``seconds``; the figures of the run."""
    run = Run()
    until = time.time() + seconds

    async def everyone():
        await asyncio.gather(updater(run, update, until),
                             *[client(run, port, path, interval, until, use_etag) for _ in range(clients)])

    asyncio.run(everyone())
    answered = [ms for status, ms in run.samples if status in (200, 304)]
    first = [min(v) for v in run.lags.values()]
    every = [max(v) for v in run.lags.values()]
    quantiles = statistics.quantiles(answered, n=100) if len(answered) > 1 else [0.0] * 99
    return {"rps": len(run.samples) / seconds, "p50": quantiles[49], "p99": quantiles[98],
            "share_304": sum(1 for s, _ in run.samples if s == 304) / max(len(run.samples), 1),
            "errors": sum(1 for s, _ in run.samples if s not in (200, 304)),
            "first_seen": statistics.median(first) if first else None,
            "all_seen": max(every) if every else None}


def measure(url: str, backend: str, args, folder: Path) -> list[tuple]:
    """Ours and pygeoapi under each number of clients, interleaved; one row each."""
    ours, port = start_server(url, os.cpu_count() or 2)
    rows = []
    try:
        token, event, sites = prepare(url, port)
        _, body = request(port, "GET", f"/ogcapi/collections/event-{event}-sites/items?limit=1000")
        collection = json.loads(body)
        data = folder / f"sites_{backend}.geojson"

        def write_file(number: int) -> None:
            for feature in collection["features"]:
                feature["properties"]["id"] = feature["id"]
            collection["features"][number % len(sites)]["properties"]["people_label"] = str(10 + number)
            partial = data.with_suffix(".tmp")
            partial.write_text(json.dumps(collection, ensure_ascii=False), encoding="utf-8")
            partial.replace(data)  # whole, never half-written

        def post(number: int) -> None:
            request(port, "POST", f"/api/v1/events/{event}/sites/{sites[number % len(sites)]}",
                    {"people": 10 + number}, token)

        write_file(0)
        theirs, their_port = start_pygeoapi(data, folder)
        try:
            for clients in args.clients:
                log(f"{backend}: {clients} clients, ours")
                mine = load(port, f"/api/v1/events/{event}/sites", clients, args.seconds, args.interval,
                            post, True)
                log(f"{backend}: {clients} clients, pygeoapi")
                other = load(their_port, "/collections/shelter/items?f=json&limit=1000", clients,
                             args.seconds, args.interval, write_file, False)
                rows.append((backend, clients, mine, other, os.getloadavg()[0]))
        finally:
            stop_server(theirs)
    finally:
        stop_server(ours)
    return rows


def report(rows: list[tuple], args) -> None:
    def seen(value):
        return "—" if value is None else f"{value:.1f}"

    print(f"\nShelter status polled every {args.interval:g} s by N synthetic clients (new connection each), "
          f"one site updated every {UPDATE_EVERY:g} s; {args.seconds:g} s per run, {os.cpu_count()} cores "
          "shared by the clients, both servers and the database\n")
    print("| backend | clients | server | req/s | p50 ms | p99 ms | 304 share | errors | first seen s "
          "| all seen s | load (1 min) |")
    print("|---|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    for backend, clients, mine, other, load_avg in rows:
        for name, r in (("ours", mine), ("pygeoapi", other)):
            print(f"| {backend} | {clients} | {name} | {r['rps']:.1f} | {r['p50']:.1f} | {r['p99']:.1f} "
                  f"| {r['share_304']:.0%} | {r['errors']} | {seen(r['first_seen'])} "
                  f"| {seen(r['all_seen'])} | {load_avg:.2f} |")
        print(f"| {backend} | {clients} | ratio ours/pygeoapi | {mine['rps'] / other['rps']:.2f}× "
              f"| {mine['p50'] / other['p50']:.2f}× | {mine['p99'] / other['p99']:.2f}× | | | | | |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", default="100,500,1000")
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--interval", type=float, default=30)
    parser.add_argument("--backends", default="SpatiaLite,PostGIS")
    args = parser.parse_args()
    args.clients = [int(n) for n in args.clients.split(",")]
    random.seed(20261207)
    folder = Path(tempfile.mkdtemp())
    urls = {"SpatiaLite": f"sqlite:///{folder / 'dayof.db'}", "PostGIS": postgres_url()}
    rows = []
    for backend in args.backends.split(","):
        if backend == "PostGIS":
            ensure_database(urls[backend])
        log(f"{backend}: building the demo database")
        build_demo(urls[backend])
        rows += measure(urls[backend], backend, args, folder)
    report(rows, args)


if __name__ == "__main__":
    main()
